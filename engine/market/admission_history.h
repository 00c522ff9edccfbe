// A location's entries to and departures from each DPS (issue 12 item 6, the "providers
// entering and leaving" and "RAG counts over time" reports): one compact move per change, kept
// on the location in the market's state as events apply (never rebuilt by rescanning the
// journal), snapshotted with it. Moves are derived from the events actually recorded:
//   - MembershipChanged into `admitted` from an application: admitted; from `suspended`: reinstated;
//   - MembershipChanged from `admitted` into `suspended`: suspended (the council's removal, for now);
//   - MembershipChanged into `exited`: exited — the exit action of the admission life cycle
//     (engine/market/admission.h), the membership ended at the provider's request or by its own
//     choice; a council ending a provider's membership terminates its contract instead;
//   - ProviderStatusChanged terminating the provider's contract under the DPS: terminated, one
//     move for each of its locations admitted or suspended there; lifting it: contract_restored.
// "In the DPS" (in_before / in_after) means admitted, under a contract not terminated. Plain
// values; not thread-safe.
#pragma once

#include <cstdint>
#include <string_view>

#include "engine/market/types.h"

namespace carebroker::engine {

enum class AdmissionMoveKind : std::uint8_t { admitted, reinstated, contract_restored, exited, suspended, terminated };
std::string_view to_string(AdmissionMoveKind);

/// Entering kinds bring a location into the DPS (when its contract stands); leaving kinds take it
/// out (an exit of a suspended location ends a membership that was already out).
inline bool is_entering(AdmissionMoveKind k) { return k <= AdmissionMoveKind::contract_restored; }

struct AdmissionMove {
  UtcMillis at = 0;  ///< the market clock when the event applied
  int dps = -1;
  AdmissionMoveKind kind = AdmissionMoveKind::admitted;
  bool in_before = false;  ///< in the DPS just before
  bool in_after = false;   ///< in the DPS just after
  bool operator==(const AdmissionMove&) const = default;
};
static_assert(sizeof(AdmissionMove) <= 16);

}  // namespace carebroker::engine
