// A replica: start from a snapshot, apply batches in sequence (replica.h).
#include "engine/replica/replica.h"

namespace carebroker::replica {

std::string Replica::start(std::string_view snapshot, std::uint64_t seq) {
  market_ = engine::Market();
  market_.keep_request_ids(keep_request_ids_);
  if (!snapshot.empty())
    if (engine::SnapshotStatus s = market_.load_snapshot(snapshot); !s.ok())
      return "the replica cannot load the snapshot at " + std::to_string(seq) + " (" +
             std::string(engine::to_string(s.code)) + "): " + s.detail;
  applied_seq_ = seq;
  started_ = true;
  return {};
}

std::string Replica::apply(const DurableBatch& batch, ReplicaObserver* observer) {
  if (!started_) return "the replica was not started";
  if (batch.first_seq != applied_seq_ + 1 || !batch.events ||
      batch.last_seq != batch.first_seq + batch.events->size() - 1)
    return "batch " + std::to_string(batch.first_seq) + ".." + std::to_string(batch.last_seq) +
           " does not follow the replica's sequence " + std::to_string(applied_seq_);
  if (observer) observer->batch_begins(batch);
  for (const engine::Event& e : *batch.events) {
    market_.apply(e);
    if (observer) observer->event_applied(e, market_);
  }
  applied_seq_ = batch.last_seq;
  if (observer) observer->batch_applied(batch, market_);
  if (batch.writer_digests.given()) {
    const std::uint64_t writers = batch.writer_digests.for_market(keep_request_ids_);
    if (const std::uint64_t mine = market_.digest(); mine != writers)
      return "the replica's digest " + std::to_string(mine) + " differs from the writer's " + std::to_string(writers) +
             " after event " + std::to_string(batch.last_seq);
  }
  return {};
}

}  // namespace carebroker::replica
