// CompactInt<T, Bytes>: an integer field kept in fewer bytes than its type, for a struct held by
// the million — an offer, held by each of the process's three markets, whose price and two times
// would otherwise take 8 bytes each. The value is stored as `Bytes` little-endian two's-complement
// bytes with alignment 1, so such fields pack around a struct's others without padding; it reads
// and converts as a T. The engine's walkers (digest.h, serialize.h, the journal codec) see the T
// (reflect.h), so a CompactInt<T> field digests, snapshots and journals byte for byte as a T.
// REQUIRES: every value stored fits in `Bytes` bytes (asserted): the field's owner chooses
// `Bytes` from an invariant of the field (a price the market validated; a time in milliseconds,
// which 6 bytes hold for ±4,000 years around 1970). A plain value; not thread-safe.
#pragma once

#include <array>
#include <cassert>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <type_traits>

namespace carebroker::engine {

template <std::signed_integral T, std::size_t Bytes>
class CompactInt {
  static_assert(Bytes >= 1 && Bytes < sizeof(T) && sizeof(T) <= sizeof(std::uint64_t));

 public:
  using element_type = T;
  /// The smallest and largest values it holds.
  static constexpr T kMin = static_cast<T>(-(std::int64_t{1} << (8 * Bytes - 1)));
  static constexpr T kMax = static_cast<T>((std::int64_t{1} << (8 * Bytes - 1)) - 1);

  constexpr CompactInt() noexcept = default;
  /// Whether `value` fits. Decoders of untrusted bytes (snapshots, archive records) refuse a
  /// value that does not, rather than hold another.
  static constexpr bool holds(T value) noexcept { return value >= kMin && value <= kMax; }

  /// Holds `value` (implicitly: the field is set from a T). REQUIRES: holds(value).
  constexpr CompactInt(T value) noexcept {  // NOLINT(google-explicit-constructor)
    assert(value >= kMin && value <= kMax);
    auto bits = static_cast<std::uint64_t>(static_cast<std::int64_t>(value));
    for (std::size_t i = 0; i < Bytes; ++i, bits >>= 8) bytes_[i] = static_cast<std::uint8_t>(bits);
  }

  /// The value (implicitly: the field reads as a T).
  constexpr operator T() const noexcept {  // NOLINT(google-explicit-constructor)
    std::uint64_t bits = 0;
    for (std::size_t i = Bytes; i-- > 0;) bits = bits << 8 | bytes_[i];
    constexpr unsigned kUnused = 64 - 8 * Bytes;  // sign-extend from the top stored bit
    return static_cast<T>(static_cast<std::int64_t>(bits << kUnused) >> kUnused);
  }
  /// The value, as the walkers read a field that holds a T (Shared<T>, Boxed<T>).
  constexpr T operator*() const noexcept { return static_cast<T>(*this); }
  // No operator== of its own: comparisons go through the T (also against a plain T, unambiguously).

 private:
  std::array<std::uint8_t, Bytes> bytes_{};
};

}  // namespace carebroker::engine
