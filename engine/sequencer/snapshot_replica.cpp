// Rebuild the past from the journal, compare, serialise (snapshot_replica.h).
#include "engine/sequencer/snapshot_replica.h"

#include "engine/sequencer/recovery.h"

namespace carebroker::sequencer {

PastSnapshot snapshot_from_journal(store::Journal& journal, std::uint64_t seq, const engine::MarketDigests& writers) {
  PastSnapshot out;
  engine::Market market;  // keeps request ids, as the writer does: the snapshot restores a writer
  Recovered info;
  if (auto s = recover_market(journal, market, info, SnapshotUse::latest, seq); !s.ok()) {
    out.problem = "the journal could not be replayed to " + std::to_string(seq) + ": " + s.message;
    return out;
  }
  const engine::MarketDigests mine = market.digests();
  if (mine != writers) {
    out.diverged = true;
    out.problem = "the state rebuilt from the journal at " + std::to_string(seq) + " has digest " +
                  std::to_string(mine.whole) + ", the writer's is " + std::to_string(writers.whole);
    return out;
  }
  out.snapshot = store::Snapshot{seq, mine.whole, market.save_snapshot()};
  return out;
}

}  // namespace carebroker::sequencer
