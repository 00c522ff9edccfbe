// A batch of the journal as its users downstream of the store see it: the sequence range and
// the events, decoded once and shared (never copied) by every replica it passes through. Only
// batches the journal holds — synced, durable — are ever made into one.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "engine/market/events.h"
#include "engine/market/market_digests.h"

namespace carebroker::replica {

struct DurableBatch {
  std::uint64_t first_seq = 0;
  std::uint64_t last_seq = 0;
  std::shared_ptr<const std::vector<engine::Event>> events;
  /// The writer's state digests right after this batch, when it was asked to compute them (a
  /// determinism check: every replica must reach the one for what it keeps); not given() = none.
  engine::MarketDigests writer_digests;
  /// The writer snapshots its state after this batch: replicas note their digest here, to be
  /// compared with the snapshot's (ReplicaThread::expect_digest).
  bool snapshot_point = false;
};

}  // namespace carebroker::replica
