// A batch of the journal as its users downstream of the store see it: the sequence range and
// the events, decoded once and shared (never copied) by every replica it passes through. Only
// batches the journal holds — synced, durable — are ever made into one.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "engine/market/events.h"

namespace carebroker::replica {

struct DurableBatch {
  std::uint64_t first_seq = 0;
  std::uint64_t last_seq = 0;
  std::shared_ptr<const std::vector<engine::Event>> events;
  /// The writer's state digest right after this batch, when it was asked to compute one (a
  /// determinism check: every replica must reach the same); 0 = not given.
  std::uint64_t writer_digest = 0;
  /// The writer snapshots its state after this batch: replicas note their digest here, to be
  /// compared with the snapshot's (ReplicaThread::expect_digest).
  bool snapshot_point = false;
};

}  // namespace carebroker::replica
