// What a chaos run's store holds, read from its journal once the server has stopped: every
// package posted, every provider request that made an event (offers placed, awards accepted
// and declined, by provider and request id), and every award: a package's award may be offered
// to one location at a time, and accepted once. A double award is an award offered while
// another offer of the same package is still unanswered, or a second acceptance.
// Reads the store with the journal's own replay (CRC, sequence and audit-chain checks).
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <utility>

namespace carebroker::sim::chaos {

struct JournalAudit {
  std::uint64_t events = 0, last_seq = 0;
  std::set<std::uint64_t> posted;                       ///< package ids
  std::map<std::pair<std::string, std::string>, char> requests;  ///< (provider, request id) → o / a / d
  std::map<std::uint64_t, int> acceptances;             ///< package → AwardAccepted events
  std::uint64_t awards_offered = 0, awards_accepted = 0;
  std::uint64_t double_awards = 0;                      ///< see above: must be 0
  std::string error;                                     ///< the store could not be read
};

/// Reads `<data_dir>/journal`. REQUIRES: no server has the store open.
JournalAudit audit_journal(const std::string& data_dir);

}  // namespace carebroker::sim::chaos
