// A replica of the market fed by durable batches. It applies each journaled batch event by
// event through Market::apply — the only code that changes market state — so it only ever
// holds a state the journal holds, and its digest must equal the writer's at the same
// sequence number. It is built for three users:
//   - in-process readers (ReplicaThread): queries, snapshots for providers and JSON rendering
//     run on a replica, never on the writer, and notifications are projected on one;
//   - a standby on another machine, fed the same batches over a replicated log;
//   - what-if replays and the store tools: a range of the journal applied into a scratch replica.
// An observer sees every event with the market exactly as that event left it.
//
// Not thread-safe: one thread owns a Replica (ReplicaThread runs one on a thread of its own).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "engine/market/market.h"
#include "engine/replica/durable_batch.h"

namespace carebroker::replica {

/// Told of each batch a replica applies, and of each event with the market right after it.
/// Called on the replica's thread; must not keep references to the market.
class ReplicaObserver {
 public:
  virtual ~ReplicaObserver() = default;
  virtual void batch_begins(const DurableBatch&) {}
  virtual void event_applied(const engine::Event&, const engine::Market& after) { (void)after; }
  virtual void batch_applied(const DurableBatch&, const engine::Market&) {}
};

class Replica {
 public:
  Replica() = default;
  Replica(const Replica&) = delete;
  Replica& operator=(const Replica&) = delete;

  /// Whether the replica keeps the provider request-id table (Market::keep_request_ids; on by
  /// default). A standby that may become the writer keeps it; a replica that only serves reads
  /// and notifications does not, and holds nothing per offer for idempotency.
  /// REQUIRES: before start.
  void keep_request_ids(bool keep) { keep_request_ids_ = keep; }
  bool keeps_request_ids() const { return keep_request_ids_; }

  /// Starts from a state the journal holds: a snapshot (Market::save_snapshot) of the market
  /// after event `seq` (an empty snapshot and seq 0 = an empty market). "" on success, else why.
  [[nodiscard]] std::string start(std::string_view snapshot, std::uint64_t seq);

  /// Applies the next batch. REQUIRES: batch.first_seq == applied_seq() + 1 — anything else is
  /// refused ("" on success, else why) and nothing is applied. When the batch carries the
  /// writer's digest, the replica's must match: a mismatch is reported (returned) after applying.
  [[nodiscard]] std::string apply(const DurableBatch& batch, ReplicaObserver* observer = nullptr);

  const engine::Market& market() const { return market_; }
  std::uint64_t applied_seq() const { return applied_seq_; }

 private:
  engine::Market market_;
  std::uint64_t applied_seq_ = 0;
  bool started_ = false;
  bool keep_request_ids_ = true;
};

}  // namespace carebroker::replica
