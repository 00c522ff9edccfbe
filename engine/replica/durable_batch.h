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
  /// The writer's state digests right after this batch, when it computed them — after every
  /// batch in tests (SequencerOptions::digest_every_batch), and at every snapshot point — a
  /// determinism check: every replica must reach the one for what it keeps; not given() = none.
  engine::MarketDigests writer_digests;
};

}  // namespace carebroker::replica
