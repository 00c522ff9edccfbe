// The provider request-id table: every (provider, request id) the market has answered, with the
// payload hash and package of the answer, so that a retry gets the original reply and an id
// reused for another payload is refused (market_offers.cpp). Records of a package leave with it
// when it retires: the idempotency window is the package's life in memory.
//
// Why not a std::unordered_map<std::string, …> keyed by "provider\nrequest id": that built and
// allocated a key string per command and a node per record, and was the largest single cost of
// an offer. Here the key is the provider's index plus the id's bytes held inline (request ids are
// validated to at most 64 characters), hashed once, in an open-addressing table: no allocation
// per record and, on a look-up, one probe and one comparison of the full id (so two ids whose
// hashes collide are still told apart).
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
  const RequestRecord* find(const RequestKey& key) const {
    auto it = records_.find(key);
    return it == records_.end() ? nullptr : &it->second;
  }

  /// Records an answer; a key already recorded keeps its first record (as a retry would).
  void insert(const RequestKey& key, RequestRecord record) {
    if (!records_.try_emplace(key, record).second || record.package == 0) return;
    if (keys_of_.size() < record.package) keys_of_.resize(record.package);
    keys_of_[record.package - 1].push_back(key);
  }

  /// Drops every record whose answer was about `package`.
  void erase_package(PackageId package) {
    if (package == 0 || package > keys_of_.size()) return;
    auto& keys = keys_of_[package - 1];
    for (const RequestKey& key : keys) records_.erase(key);
    keys = {};  // frees the list
  }

  void reserve(std::size_t records) { records_.reserve(records); }
  std::size_t size() const { return records_.size(); }

  /// Calls f(key, record) for every record, in no particular order.
  template <typename F>
  void for_each(F&& f) const {
    for (const auto& [key, record] : records_) f(key, record);
  }

 private:
  struct KeyHash {
    std::size_t operator()(const RequestKey& k) const { return k.hash(); }
  };
  boost::unordered_flat_map<RequestKey, RequestRecord, KeyHash> records_;
  // Derived: the keys recorded for package N at index N-1, to drop them when it retires.
  std::vector<std::vector<RequestKey>> keys_of_;
};

}  // namespace carebroker::engine
