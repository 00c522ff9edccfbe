// A fast hash of a short identifier (a provider, location or request id: printable, at most 64
// bytes) for the market's in-memory look-up tables: eight bytes at a time, multiply and shift,
// then a final mix. Ids are hashed on every provider command, and std::hash (MurmurHash2, byte
// by byte for the tail) was a tenth of an offer's cost. Never stored or digested, so it may
// change between builds. Pure; thread-safe.
#pragma once

#include <cstdint>
#include <cstring>
#include <string_view>

namespace carebroker::engine {

inline std::uint64_t id_hash(std::string_view id) {
  constexpr std::uint64_t kMul = 0x9e3779b97f4a7c15ULL;
  std::uint64_t h = (id.size() + 1) * kMul;
  const char* p = id.data();
  std::size_t n = id.size();
  for (; n >= 8; p += 8, n -= 8) {
    std::uint64_t word;
    std::memcpy(&word, p, 8);
    h = (h ^ word) * kMul;
    h ^= h >> 29;
  }
  if (n > 0) {
    std::uint64_t word = 0;
    std::memcpy(&word, p, n);
    h = (h ^ word) * kMul;
    h ^= h >> 29;
  }
  h *= kMul;
  return h ^ (h >> 32);
}

}  // namespace carebroker::engine
