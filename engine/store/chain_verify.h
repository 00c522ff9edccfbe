// Verifying a journal's audit chain as a whole (carebroker-store verify): every batch from the
// first, its CRC, its sequence numbers and its link; and whether the chain passes through a
// head recorded earlier outside the store (/metrics, a backup's manifest). Not thread-safe: the
// caller owns the journal while it runs.
#pragma once

#include <cstdint>

#include "engine/store/journal.h"

namespace carebroker::store {

struct ChainReport {
  ChainHead head;                  ///< after the last batch
  std::uint64_t batches = 0;       ///< batches read
  std::uint64_t unchained = 0;     ///< of them, version-1 frames: the chain's pre-history
  std::uint64_t chained_from = 0;  ///< the first sequence number the chain covers (0: none yet)
};

/// Reads every batch from the first, checking each CRC, sequence number and link; the first
/// problem is returned, naming its sequence number (and for a link, the expected and found hash).
StoreStatus verify_chain(Journal& journal, ChainReport& report);

/// ok when a batch of the journal ends at `expected.seq` with the link `expected.hash`, i.e. the
/// chain passes through (or ends at) the head recorded earlier; otherwise not_found (no batch
/// ends there: the store is shorter, or was renumbered) or corruption (another link there).
/// Meaningful after verify_chain: the links it reads are the stored ones.
StoreStatus check_expected_head(Journal& journal, const ChainHead& expected);

}  // namespace carebroker::store
