// The provider request-id table: every (provider, request id) the market has answered, with the
// payload hash and package of the answer, so that a retry gets the original reply and an id
// reused for another payload is refused (market_offers.cpp). Records of a package leave with it
// when it retires: the idempotency window is the package's life in memory.
//
// Why not a std::unordered_map<std::string, …> keyed by "provider\nrequest id": that built and
// allocated a key string per command and a node per record, and was the largest single cost of
// an offer. Here a record is 40 bytes: its answer, the provider's index and the id's bytes
// inline when the id has at most 23 (the Node client's and the load tools' ids do; a longer
// one, up to 64, is kept in a block of its own). The records sit in a pool of fixed chunks
// (never copied as it grows, reused as packages retire); each package chains its own records
// through a small array beside the records in each chunk, so retiring a package does not read
// them (the links were one vector beside the pool, whose doubling left up to 8 bytes a record
// unused: issue 8). The
// look-up is an open-addressing table (linear probing, deletion by backward shift, no
// tombstones) of 8-byte slots — 32 bits of the key's hash and the record's place in the pool —
// so a probe reads one cache line, and the full id is compared only when those 32 bits agree
// (two ids whose hashes collide are still told apart). Replaying a journal inserts a million
// records: with the record in the slot each insert was a cache miss on a fresh page, a third of
// replay. A record used to hold its id in 64 inline bytes (96 in all): with one record per
// offer, that was most of an offer's memory (issue 8).
// State, part of the market digest and snapshot (Market::digest, save_snapshot), which see it
// as the map it replaced: each record under the key string "provider id\nrequest id". The
// pool's order, the chains and the slots are derived. Not thread-safe.
#pragma once

#include <algorithm>
#include <array>
#include <cassert>
#include <cstdint>
#include <cstring>
#include <functional>
#include <memory>
#include <optional>
#include <type_traits>
#include <string_view>
#include <vector>

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
      : hash_(hash_of(provider, id)),
        provider_(provider),
        size_(static_cast<std::uint8_t>(std::min(id.size(), kMaxRequestId))) {
    std::memcpy(bytes_.data(), id.data(), size_);
  }

  LocationIndex provider() const { return provider_; }
  std::string_view id() const { return {bytes_.data(), size_}; }
  std::uint64_t hash() const { return hash_; }
  static std::uint64_t hash_of(LocationIndex provider, std::string_view id) {
    return std::hash<std::string_view>{}(id) ^ (std::uint64_t{provider} * 0x9e3779b97f4a7c15ULL);
  }

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
  RequestTable() = default;
  RequestTable(RequestTable&& o) noexcept { swap(o); }
  RequestTable& operator=(RequestTable&& o) noexcept {
    RequestTable(std::move(o)).swap(*this);
    return *this;
  }
  RequestTable(const RequestTable& o) {
    reserve(o.size());
    o.for_each([&](LocationIndex provider, std::string_view id, const RequestRecord& r) {
      insert(RequestKey(provider, id), r);
    });
  }
  RequestTable& operator=(const RequestTable& o) {
    if (this != &o) RequestTable(o).swap(*this);
    return *this;
  }
  ~RequestTable() {
    for (std::size_t id = 0; id < live_.size(); ++id)
      if (live_[id] && long_[id]) entry(static_cast<std::uint32_t>(id)).release();
  }

  std::optional<RequestRecord> find(const RequestKey& key) const {
    const std::size_t at = slot_of(key);
    if (slots_.empty() || slots_[at] == 0) return std::nullopt;
    return entry(id_of(slots_[at])).record();
  }

  /// Records an answer; a key already recorded keeps its first record (as a retry would).
  void insert(const RequestKey& key, RequestRecord record) {
    if (find(key)) return;
    if ((size_ + 1) * kMaxLoadDen > slots_.size() * kMaxLoadNum) rehash(std::max<std::size_t>(16, 2 * slots_.size()));
    std::uint32_t id;
    if (free_ != kNone) {
      id = free_;
      free_ = link(id).next;
    } else {
      id = static_cast<std::uint32_t>(live_.size());
      if (id == chunks_.size() * kChunk) chunks_.push_back(std::make_unique_for_overwrite<Chunk>());
      live_.push_back(false);
      long_.push_back(false);
    }
    if (heads_.size() <= record.package) heads_.resize(record.package + 1, kNone);
    entry(id).set(key, record);
    link(id) = Link{heads_[record.package], tag(key.hash())};
    live_[id] = true;
    long_[id] = key.id().size() > Entry::kInline;
    heads_[record.package] = id;
    slots_[slot_of(key)] = std::uint64_t{link(id).tag} << 32 | (id + 1U);  // find() left it empty
    ++size_;
  }

  /// Drops every record whose answer was about `package` (records without one, package 0, stay).
  void erase_package(PackageId package) {
    if (package == 0 || package >= heads_.size()) return;
    // First ask for every slot the package's records are in, so the misses overlap; then erase.
    // Neither pass reads the records themselves (but for a long id's, to free its block).
    for (std::uint32_t id = heads_[package]; id != kNone; id = link(id).next) prefetch_tag(link(id).tag);
    for (std::uint32_t id = heads_[package], next; id != kNone; id = next) {
      next = link(id).next;
      erase_slot(slot_of_id(link(id).tag, id));
      if (long_[id]) entry(id).release();
      live_[id] = false;
      link(id).next = free_;
      free_ = id;
      --size_;
    }
    heads_[package] = kNone;
  }

  /// A hint: the slot where the key of `hash` (RequestKey::hash_of) would be is read into the
  /// cache, so that a look-up or insert of it a little later does not wait for memory.
  void prefetch(std::uint64_t hash) const { prefetch_tag(tag(hash)); }

  /// Room for `records` without growing the slots or the arrays beside the pool.
  void reserve(std::size_t records) {
    std::size_t want = 16;
    while (records * kMaxLoadDen > want * kMaxLoadNum) want *= 2;
    if (want > slots_.size()) rehash(want);
    chunks_.reserve((records + kChunk - 1) / kChunk);
  }
  std::size_t size() const { return size_; }

  /// Calls f(provider, id, record) for every record, in the pool's order (the same for the same
  /// history).
  template <typename F>
  void for_each(F&& f) const {
    for (std::size_t id = 0; id < live_.size(); ++id)
      if (live_[id]) {
        const Entry& e = entry(static_cast<std::uint32_t>(id));
        f(e.provider(), e.id(), e.record());
      }
  }

 private:
  /// One record: its answer, its provider and its id, in 40 bytes. An id of at most kInline
  /// bytes is held inline; a longer one in a block of its own, whose address the inline bytes
  /// hold. Trivial, so a chunk of them is allocated without being written.
  class Entry {
   public:
    static constexpr std::size_t kInline = 23;
    void set(const RequestKey& key, RequestRecord r) {
      payload_hash_ = r.payload_hash;
      assert(r.package <= UINT32_MAX);
      package_ = static_cast<std::uint32_t>(r.package);
      provider_ = key.provider();
      const std::string_view id = key.id();
      size_ = static_cast<std::uint8_t>(id.size());
      if (id.size() <= kInline) {
        std::memcpy(bytes_, id.data(), id.size());
      } else {
        char* block = new char[id.size()];
        std::memcpy(block, id.data(), id.size());
        std::memcpy(bytes_, &block, sizeof block);
      }
    }
    /// Frees a long id's block (the entry is then unset).
    void release() {
      delete[] block();
      size_ = 0;
    }
    RequestRecord record() const { return RequestRecord{payload_hash_, package_}; }
    LocationIndex provider() const { return provider_; }
    std::string_view id() const { return {size_ <= kInline ? bytes_ : block(), size_}; }
    bool matches(const RequestKey& key) const { return provider_ == key.provider() && id() == key.id(); }

   private:
    char* block() const {
      char* b;
      std::memcpy(&b, bytes_, sizeof b);
      return b;
    }
    std::uint64_t payload_hash_;
    std::uint32_t package_;  // packages are numbered from 1 by the market; heads_ is indexed by them
    LocationIndex provider_;
    std::uint8_t size_;
    char bytes_[kInline];
  };
  static_assert(sizeof(Entry) == 40 && std::is_trivial_v<Entry>);

  /// Beside each entry, small and apart from it so a package's records are dropped without
  /// reading them: the package's previous record (or the next free entry), and the slot's tag.
  /// Trivial, like Entry: set whole when its entry is.
  struct Link {
    std::uint32_t next;
    std::uint32_t tag;
  };
  static constexpr std::uint32_t kNone = UINT32_MAX;
  static constexpr std::size_t kChunk = 1024;  // entries a pool chunk holds
  /// A chunk of the pool (48 KiB): its entries, and their links apart from them.
  struct Chunk {
    Entry entries[kChunk];
    Link links[kChunk];
  };
  static_assert(std::is_trivial_v<Chunk>);
  static constexpr std::size_t kMaxLoadNum = 5, kMaxLoadDen = 8;  // at most 5/8 of slots used

  Entry& entry(std::uint32_t id) { return chunks_[id / kChunk]->entries[id % kChunk]; }
  const Entry& entry(std::uint32_t id) const { return chunks_[id / kChunk]->entries[id % kChunk]; }
  Link& link(std::uint32_t id) { return chunks_[id / kChunk]->links[id % kChunk]; }

  // A slot: 0 = empty, else the tag (32 bits of the mixed hash) and the entry's index + 1.
  static std::uint32_t tag(std::uint64_t hash) { return static_cast<std::uint32_t>((hash * 0x9e3779b97f4a7c15ULL) >> 32); }
  static std::uint32_t id_of(std::uint64_t s) { return static_cast<std::uint32_t>(s) - 1; }
  std::size_t home(std::uint64_t s) const { return (s >> 32) & (slots_.size() - 1); }
  void prefetch_tag(std::uint32_t t) const {
    if (!slots_.empty()) __builtin_prefetch(&slots_[t & (slots_.size() - 1)]);
  }

  /// The slot holding `key`, or the empty slot that ends its probe (0 when there are no slots).
  std::size_t slot_of(const RequestKey& key) const {
    if (slots_.empty()) return 0;
    const std::uint32_t t = tag(key.hash());
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t i = t & mask;; i = (i + 1) & mask) {
      const std::uint64_t s = slots_[i];
      if (s == 0 || ((s >> 32) == t && entry(id_of(s)).matches(key))) return i;
    }
  }
  /// The slot of live entry `id`, whose tag is `t`.
  std::size_t slot_of_id(std::uint32_t t, std::uint32_t id) const {
    const std::size_t mask = slots_.size() - 1;
    std::size_t i = t & mask;
    while (static_cast<std::uint32_t>(slots_[i]) != id + 1U) i = (i + 1) & mask;
    return i;
  }

  /// Empties slot i and moves later slots of the same run back, so no probe stops short.
  void erase_slot(std::size_t i) {
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t j = (i + 1) & mask; slots_[j] != 0; j = (j + 1) & mask) {
      const std::size_t h = home(slots_[j]);
      // Slot j may move to i when its home is not cyclically within (i, j].
      if (((j - h) & mask) >= ((j - i) & mask)) {
        slots_[i] = slots_[j];
        i = j;
      }
    }
    slots_[i] = 0;
  }

  void rehash(std::size_t capacity) {
    std::vector<std::uint64_t> old(capacity, 0);
    old.swap(slots_);
    const std::size_t mask = capacity - 1;
    for (const std::uint64_t s : old) {
      if (s == 0) continue;
      std::size_t i = home(s);
      while (slots_[i] != 0) i = (i + 1) & mask;
      slots_[i] = s;
    }
  }

  void swap(RequestTable& o) noexcept {
    chunks_.swap(o.chunks_);
    live_.swap(o.live_);
    long_.swap(o.long_);
    std::swap(free_, o.free_);
    heads_.swap(o.heads_);
    slots_.swap(o.slots_);
    std::swap(size_, o.size_);
  }

  std::vector<std::unique_ptr<Chunk>> chunks_;  // the pool: kChunk records each, live or free
  std::vector<bool> live_;                      // beside the pool
  std::vector<bool> long_;                      // beside the pool: the id is in a block of its own
  std::uint32_t free_ = kNone;                  // the first free entry; they chain through the links
  std::vector<std::uint32_t> heads_;            // package N's most recent record at N (0: no package)
  std::vector<std::uint64_t> slots_;            // power-of-two size, or empty
  std::size_t size_ = 0;
};

}  // namespace carebroker::engine
