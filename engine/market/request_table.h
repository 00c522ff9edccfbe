// The provider request-id table: every (provider, request id) the market has answered, with the
// payload hash and package of the answer, so that a retry gets the original reply and an id
// reused for another payload is refused (market_offers.cpp). Records of a package leave with it
// when it retires: the idempotency window is the package's life in memory.
//
// Why not a std::unordered_map<std::string, …> keyed by "provider\nrequest id": that built and
// allocated a key string per command and a node per record, and was the largest single cost of
// an offer. A look-up builds a RequestKey (the provider's index plus the id's bytes, request ids
// being validated to at most 64 characters), hashed once, and probes an open-addressing table:
// one probe and one comparison of the full id (so two ids whose hashes collide are still told
// apart). The table does not hold RequestKeys (80 bytes each, and a second copy per package to
// drop them, ~280 bytes a record in all, in each of the process's three markets): a record is a
// 40-byte slot keyed by the hash, its id's bytes in an arena per package (request_table.cpp).
//
// State, part of the market digest and snapshot (Market::digest, save_snapshot), which see it
// as the map it replaced: each record under the key string "provider id\nrequest id". The
// per-package key lists are derived. Not thread-safe.
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <functional>
#include <string>
#include <utility>
#include <string_view>
#include <vector>

#include <boost/unordered/unordered_flat_map.hpp>

#include "engine/market/types.h"

namespace carebroker::engine {

/// The longest request id a provider may send (longer ones are refused before any look-up).
inline constexpr std::size_t kMaxRequestId = 64;

/// What a provider request was answered with.
struct RequestRecord {
  std::uint64_t payload_hash = 0;
  PackageId package = 0;
};

/// A provider's request id, as a fixed-size key. REQUIRES: id.size() <= kMaxRequestId.
class RequestKey {
 public:
  RequestKey(LocationIndex provider, std::string_view id)
      : hash_(std::hash<std::string_view>{}(id) ^ (std::uint64_t{provider} * 0x9e3779b97f4a7c15ULL)),
        provider_(provider),
        size_(static_cast<std::uint8_t>(std::min(id.size(), kMaxRequestId))) {
    std::memcpy(bytes_.data(), id.data(), size_);
  }

  LocationIndex provider() const { return provider_; }
  std::string_view id() const { return {bytes_.data(), size_}; }
  std::uint64_t hash() const { return hash_; }

  bool operator==(const RequestKey& o) const {
    return hash_ == o.hash_ && provider_ == o.provider_ && id() == o.id();
  }

 private:
  std::uint64_t hash_;  // of the provider and the id, computed once
  LocationIndex provider_;
  std::uint8_t size_;
  std::array<char, kMaxRequestId> bytes_;  // only the first size_ are set
};

class RequestTable {
 public:
  const RequestRecord* find(const RequestKey& key) const;

  /// Records an answer; a key already recorded keeps its first record (as a retry would).
  void insert(const RequestKey& key, RequestRecord record);

  /// Drops every record whose answer was about `package`.
  void erase_package(PackageId package);

  void reserve(std::size_t records) { records_.reserve(records); }
  std::size_t size() const { return records_.size() + collided_.size(); }

  /// Calls f(key, record) for every record, in no particular order.
  template <typename F>
  void for_each(F&& f) const {
    for (const auto& [hash, stored] : records_) f(RequestKey(stored.provider, id_of(stored)), stored.record);
    for (const auto& [key, record] : collided_) f(key, record);
  }

 private:
  // A record in records_, keyed by its RequestKey::hash(): where its id's bytes lie in the
  // arena of its package (ids_[record.package]), and the answer.
  struct Stored {
    LocationIndex provider = 0;
    std::uint32_t offset = 0;  // of the id's bytes in ids_[record.package]
    std::uint8_t size = 0;
    RequestRecord record;
  };
  std::string_view id_of(const Stored& s) const {
    return std::string_view(ids_[s.record.package]).substr(s.offset, s.size);
  }
  bool same(const Stored& s, const RequestKey& key) const { return s.provider == key.provider() && id_of(s) == key.id(); }

  // One slot per record (40 bytes), keyed by the hash. The request ids' bytes live in one arena
  // per package ("no package" at 0): each record adds [provider, 4 bytes][size, 1][id] to it, and
  // the arena goes when the package retires. An id whose hash another record already has (rare:
  // 64 bits) goes to collided_, with its key held whole, so look-ups stay exact.
  boost::unordered_flat_map<std::uint64_t, Stored> records_;
  std::vector<std::string> ids_;  // by package id
  std::vector<std::pair<RequestKey, RequestRecord>> collided_;
};

}  // namespace carebroker::engine
