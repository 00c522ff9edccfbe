// A snapshot taken from a replica of the past: the market as it was after event `seq`, rebuilt
// from the journal on the snapshot thread (the latest snapshot at or before `seq`, then the
// batches up to it), checked against the digests the writer computed at that point, and
// serialised. The writer pays only for its digest: it never serialises a periodic snapshot and
// never forks (a fork write-protects every page of the process, and on this machine the faults
// that followed held acknowledgements up for 100–300 ms; README "Snapshots"). The same path is
// how a standby fed by the journal starts. Thread-safe as far as the journal is: the writer may
// append while it runs.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "engine/market/market_digests.h"
#include "engine/store/journal.h"

namespace carebroker::sequencer {

struct PastSnapshot {
  std::optional<store::Snapshot> snapshot;  ///< set only when the rebuilt state matched the writer's
  bool diverged = false;                    ///< the rebuilt state's digest differs from the writer's
  std::string problem;                      ///< why there is no snapshot
};

/// REQUIRES: a journal batch ends at `seq`, and `writers` are the writer's digests after it.
PastSnapshot snapshot_from_journal(store::Journal& journal, std::uint64_t seq, const engine::MarketDigests& writers);

}  // namespace carebroker::sequencer
