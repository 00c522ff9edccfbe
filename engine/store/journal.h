// The journal: the durable, ordered record of the market's event batches, plus snapshots and
// the archive of retired packages. A narrow interface of our own: RocksDB is one implementation
// (rocksdb_journal.h), an in-memory one serves tests (memory_journal.h). Batches are opaque
// payloads here (the codec encodes events); the journal frames each with its sequence range, a
// CRC32C of our own and its audit-chain link (audit_chain.h), and verifies all three when it
// reads them back. The writer keeps the chain's head in memory.
// One writer (the sequencer thread). Readers: recovery at start-up and, beside the writer, the
// snapshot thread (replay_range, latest_snapshot, put_snapshot), which the implementations allow
// (RocksDB's reads and writes are thread-safe; the memory journal has one mutex). resume() only
// with no reader running (the sequencer's journal mutex).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/store/audit_chain.h"
#include "engine/store/store_status.h"

namespace carebroker::store {

/// One batch of events as the sequencer hands it over: the global sequence numbers of its first
/// and last event, the encoded events, and archive records of packages retired in it.
struct BatchToAppend {
  std::uint64_t first_seq = 0;
  std::uint64_t last_seq = 0;
  std::string payload;
  std::vector<std::pair<std::uint64_t, std::string>> archive;  ///< package id → final record
};

struct Snapshot {
  std::uint64_t seq = 0;     ///< the state after this event
  std::uint64_t digest = 0;  ///< Market::digest() of that state
  std::string state;         ///< Market::save_snapshot()
};

/// Called for each batch read back, in order; returning an error stops the replay with it.
using BatchVisitor =
    std::function<StoreStatus(std::uint64_t first_seq, std::uint64_t last_seq, std::string_view payload)>;

class Journal {
 public:
  virtual ~Journal() = default;

  /// Appends one batch (and its archive records) atomically and, unless the journal was opened
  /// unsafe, durably. REQUIRES: batch.first_seq == last_seq() + 1 and last_seq >= first_seq.
  virtual StoreStatus append(const BatchToAppend& batch) = 0;
  /// The last sequence number on disk (0 when empty).
  virtual std::uint64_t last_seq() const = 0;
  /// Visits every batch whose events come after `after`, verifying each batch's checksum, that
  /// sequence numbers continue without a gap, and each link of the audit chain from the link
  /// stored in the batch ending at `after` (so a batch must end there); the first problem stops
  /// the replay with an error naming its sequence number.
  StoreStatus replay(std::uint64_t after, const BatchVisitor& visit) { return replay_range(after, kToTheEnd, visit); }
  /// As replay(), but stops before the first batch whose events come after `up_to`: how a
  /// replica of the past (a snapshot's, engine/sequencer/snapshot_replica.h) reads the journal
  /// while the writer appends to it.
  virtual StoreStatus replay_range(std::uint64_t after, std::uint64_t up_to, const BatchVisitor& visit) = 0;
  static constexpr std::uint64_t kToTheEnd = ~std::uint64_t{0};

  /// The audit chain's head after the last batch appended (or found at open). Any thread.
  virtual ChainHead chain_head() const = 0;
  /// The chain's head as stored in the batch ending at `seq` (genesis at 0, and for a batch of
  /// the pre-history); not_found when no batch ends there. Not verified: replay verifies.
  virtual StoreStatus chain_head_at(std::uint64_t seq, ChainHead& out) = 0;

  virtual StoreStatus put_snapshot(const Snapshot&) = 0;
  /// The most recent snapshot, if any (a corrupt one is reported, not returned).
  virtual StoreStatus latest_snapshot(std::optional<Snapshot>& out) = 0;

  /// A retired package's final record; not_found when there is none.
  virtual StoreStatus archived_package(std::uint64_t package, std::string& out) = 0;

  /// After a failed append (e.g. a full disk): try to return to service. ok when appends may
  /// be tried again.
  virtual StoreStatus resume() = 0;
};

}  // namespace carebroker::store
