// Rebuilding the market from the journal: the latest snapshot (if it loads and its digest
// checks out) and then every batch after it, decoded and applied. Used by the sequencer at
// start-up and after a failed write, and by the store tools. Not thread-safe: the caller owns
// the journal and the market while it runs.
#pragma once

#include <cstdint>
#include <string>

#include "engine/market/market.h"
#include "engine/store/journal.h"

namespace carebroker::sequencer {

struct Recovered {
  std::uint64_t last_seq = 0;      ///< the last event applied
  std::uint64_t events_replayed = 0;
  std::uint64_t batches_replayed = 0;
  bool from_snapshot = false;
  std::uint64_t snapshot_seq = 0;
  std::string note;  ///< e.g. why a snapshot was not used
};

enum class SnapshotUse : std::uint8_t { latest, none };

/// REQUIRES: `market` is fresh. On error the market is left as far as it got; discard it.
/// `up_to`: the state after that event rather than the journal's last (a batch must end there,
/// and a snapshot after it is not used); any thread may do this while the writer appends.
store::StoreStatus recover_market(store::Journal& journal, engine::Market& market, Recovered& info,
                                  SnapshotUse use = SnapshotUse::latest,
                                  std::uint64_t up_to = store::Journal::kToTheEnd);

}  // namespace carebroker::sequencer
