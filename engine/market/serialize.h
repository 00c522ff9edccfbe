// The engine's binary encoding of market values, for snapshots (package archives were written in
// it before the journal schema's ArchivedPackage; engine/codec/archive_codec.cpp keeps a frozen
// reader of that form): integers (little-endian, fixed width), doubles by bit pattern,
// length-prefixed strings, optionals, vectors, variants, pairs, maps, Shared<T> and Boxed<T> (as their T) and
// plain aggregates field by field in walking order (reflect.h).
// It is not a stable interchange format — the journal (FlatBuffers, schemas/) is. A snapshot
// written by another build is detected by its format tag and ignored (the store replays the
// journal instead). Decoding is bounds-checked and reports errors as values.
// Pure; not thread-safe.
#pragma once

#include <bit>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "engine/market/reflect.h"

namespace carebroker::engine {

class Encoder {
 public:
  void u64(std::uint64_t v) {
    char b[8];
    for (int i = 0; i < 8; ++i) b[i] = static_cast<char>(v >> (8 * i));
    out_.append(b, 8);
  }
  void bytes(std::string_view s) {
    u64(s.size());
    out_.append(s.data(), s.size());
  }
  /// Writes a + separator + b exactly as bytes() writes that string, without building it.
  void joined(std::string_view a, char separator, std::string_view b) {
    u64(a.size() + 1 + b.size());
    out_.append(a.data(), a.size()).push_back(separator);
    out_.append(b.data(), b.size());
  }
  template <typename T>
  Encoder& add(const T& v) {
    encode_value(*this, v);
    return *this;
  }
  std::string take() { return std::move(out_); }

 private:
  std::string out_;
};

/// Why decoding stopped. The first two mean the bytes end early (a truncated snapshot).
enum class DecodeFault : std::uint8_t {
  none,
  truncated,                ///< fewer bytes left than a fixed-width value needs
  length_exceeds_input,     ///< a length prefix promises more items than bytes remain
  bad_bool,                 ///< a bool that is neither 0 nor 1
  unknown_alternative,      ///< a variant index this build does not know
  invalid_record,           ///< the caller's own check failed (its words in DecodeError::what)
};

/// The fault's words, as the Decoder has always reported them: "truncated", "a length exceeds
/// the input", …
constexpr std::string_view to_string(DecodeFault f) {
  switch (f) {
    case DecodeFault::none: return "";
    case DecodeFault::truncated: return "truncated";
    case DecodeFault::length_exceeds_input: return "a length exceeds the input";
    case DecodeFault::bad_bool: return "bad bool";
    case DecodeFault::unknown_alternative: return "unknown variant alternative";
    case DecodeFault::invalid_record: return "invalid record";
  }
  return "unknown";
}

/// The first fault a Decoder met: branch on `fault`; `message()` is for people.
struct DecodeError {
  DecodeFault fault = DecodeFault::none;
  std::string_view what;  ///< invalid_record: the caller's words (a string literal)

  bool any() const { return fault != DecodeFault::none; }
  /// The bytes ended before the value did.
  bool ends_early() const {
    return fault == DecodeFault::truncated || fault == DecodeFault::length_exceeds_input;
  }
  std::string message() const { return std::string(what.empty() ? to_string(fault) : what); }
};

class Decoder {
 public:
  explicit Decoder(std::string_view in) : in_(in) {}
  bool u64(std::uint64_t& v) {
    if (in_.size() - pos_ < 8) return fail(DecodeFault::truncated);
    v = 0;
    for (int i = 0; i < 8; ++i) v |= static_cast<std::uint64_t>(static_cast<unsigned char>(in_[pos_ + i])) << (8 * i);
    pos_ += 8;
    return true;
  }
  bool length(std::uint64_t& n, std::size_t min_item_size) {
    if (!u64(n)) return false;
    if (n > (in_.size() - pos_) / (min_item_size ? min_item_size : 1)) return fail(DecodeFault::length_exceeds_input);
    return true;
  }
  bool bytes(std::string& s) {
    std::uint64_t n = 0;
    if (!length(n, 1)) return false;
    s.assign(in_.data() + pos_, n);
    pos_ += n;
    return true;
  }
  template <typename T>
  bool get(T& v) {
    return decode_value(*this, v);
  }
  bool fail(DecodeFault fault) {
    if (!error_.any()) error_ = {fault, {}};
    return false;
  }
  /// A check of the caller's own failed: an invalid_record fault with `why` (a string literal).
  bool fail_record(const char* why) {
    if (!error_.any()) error_ = {DecodeFault::invalid_record, why};
    return false;
  }
  bool done() const { return pos_ == in_.size(); }
  const DecodeError& error() const { return error_; }

 private:
  std::string_view in_;
  std::size_t pos_ = 0;
  DecodeError error_;
};

template <typename T>
void encode_value(Encoder& e, const T& v) {
  if constexpr (std::is_same_v<T, bool>) {
    e.u64(v ? 1 : 0);
  } else if constexpr (std::is_enum_v<T> || std::is_integral_v<T>) {
    e.u64(static_cast<std::uint64_t>(v));
  } else if constexpr (std::is_floating_point_v<T>) {
    e.u64(std::bit_cast<std::uint64_t>(static_cast<double>(v)));
  } else if constexpr (std::is_same_v<T, std::string>) {
    e.bytes(v);
  } else if constexpr (is_indirect<T>::value) {
    encode_value(e, *v);
  } else if constexpr (is_optional<T>::value) {
    e.u64(v ? 1 : 0);
    if (v) encode_value(e, *v);
  } else if constexpr (is_vector<T>::value) {
    e.u64(v.size());
    for (const auto& item : v) encode_value(e, item);
  } else if constexpr (is_pair<T>::value) {
    encode_value(e, v.first);
    encode_value(e, v.second);
  } else if constexpr (is_variant<T>::value) {
    e.u64(v.index());
    std::visit([&](const auto& alt) { encode_value(e, alt); }, v);
  } else if constexpr (is_ordered_map<T>::value || is_unordered_map<T>::value) {
    e.u64(v.size());
    for (const auto& [k, val] : v) {
      encode_value(e, k);
      encode_value(e, val);
    }
  } else {
    static_assert(std::is_aggregate_v<T>, "serialize: add a case for this type");
    for_each_walked_field(v, [&](const auto& field) { encode_value(e, field); });
  }
}

template <typename V, std::size_t I = 0>
bool decode_variant(Decoder& d, V& v, std::uint64_t index) {
  if constexpr (I < std::variant_size_v<V>) {
    if (index == I) {
      std::variant_alternative_t<I, V> alt{};
      if (!decode_value(d, alt)) return false;
      v = std::move(alt);
      return true;
    }
    return decode_variant<V, I + 1>(d, v, index);
  } else {
    return d.fail(DecodeFault::unknown_alternative);
  }
}

template <typename T>
bool decode_value(Decoder& d, T& v) {
  std::uint64_t raw = 0;
  if constexpr (std::is_same_v<T, bool>) {
    if (!d.u64(raw)) return false;
    if (raw > 1) return d.fail(DecodeFault::bad_bool);
    v = raw == 1;
    return true;
  } else if constexpr (std::is_enum_v<T> || std::is_integral_v<T>) {
    if (!d.u64(raw)) return false;
    v = static_cast<T>(raw);
    return true;
  } else if constexpr (std::is_floating_point_v<T>) {
    if (!d.u64(raw)) return false;
    v = static_cast<T>(std::bit_cast<double>(raw));
    return true;
  } else if constexpr (std::is_same_v<T, std::string>) {
    return d.bytes(v);
  } else if constexpr (is_compact_int<T>::value) {
    typename T::element_type value{};
    if (!decode_value(d, value)) return false;
    if (!T::holds(value)) return d.fail_record("a value out of its field's range");
    v = T(value);
    return true;
  } else if constexpr (is_indirect<T>::value) {
    typename T::element_type value{};
    if (!decode_value(d, value)) return false;
    v = T(std::move(value));
    return true;
  } else if constexpr (is_optional<T>::value) {
    if (!d.u64(raw)) return false;
    if (raw == 0) {
      v.reset();
      return true;
    }
    v.emplace();
    return decode_value(d, *v);
  } else if constexpr (is_vector<T>::value) {
    if (!d.length(raw, 1)) return false;
    v.clear();
    v.resize(raw);
    for (auto& item : v)
      if (!decode_value(d, item)) return false;
    return true;
  } else if constexpr (is_pair<T>::value) {
    return decode_value(d, v.first) && decode_value(d, v.second);
  } else if constexpr (is_variant<T>::value) {
    if (!d.u64(raw)) return false;
    return decode_variant(d, v, raw);
  } else if constexpr (is_ordered_map<T>::value || is_unordered_map<T>::value) {
    if (!d.length(raw, 1)) return false;
    v.clear();
    for (std::uint64_t i = 0; i < raw; ++i) {
      typename T::key_type key{};
      typename T::mapped_type value{};
      if (!decode_value(d, key) || !decode_value(d, value)) return false;
      v.emplace(std::move(key), std::move(value));
    }
    return true;
  } else {
    static_assert(std::is_aggregate_v<T>, "serialize: add a case for this type");
    bool ok = true;
    for_each_walked_field(v, [&](auto& field) { ok = ok && decode_value(d, field); });
    return ok;
  }
}

}  // namespace carebroker::engine
