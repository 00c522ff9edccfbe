// Market: noting each location's entries to and departures from each DPS as the events apply
// (admission_history.h says which event makes which move).
#include <algorithm>

#include "engine/market/market.h"

namespace carebroker::engine {

std::string_view to_string(AdmissionMoveKind k) {
  switch (k) {
    case AdmissionMoveKind::admitted: return "admitted";
    case AdmissionMoveKind::reinstated: return "reinstated";
    case AdmissionMoveKind::contract_restored: return "contract_restored";
    case AdmissionMoveKind::exited: return "exited";
    case AdmissionMoveKind::suspended: return "suspended";
    case AdmissionMoveKind::terminated: return "terminated";
  }
  return "?";
}

void Market::note_membership_move(LocationIndex l, const Membership* before, const Membership& after) {
  const MembershipStatus from = before ? before->status : MembershipStatus::under_assessment;
  if (before && from == after.status) return;  // terms, capacity or an extension: no move
  AdmissionMoveKind kind{};
  if (after.status == MembershipStatus::admitted)
    kind = from == MembershipStatus::suspended ? AdmissionMoveKind::reinstated : AdmissionMoveKind::admitted;
  else if (after.status == MembershipStatus::suspended)
    kind = AdmissionMoveKind::suspended;
  else if (after.status == MembershipStatus::exited)
    kind = AdmissionMoveKind::exited;
  else
    return;  // an application, or its refusal: the location never entered
  const bool contract = !provider_of(locations_[l]).contract_terminated_in(after.dps);
  const bool in_before = from == MembershipStatus::admitted && contract;
  const bool in_after = after.status == MembershipStatus::admitted && contract;
  locations_[l].admission_moves.push_back({now_, after.dps, kind, in_before, in_after});
}

void Market::note_contract_moves(const Provider& p, const std::vector<int>& before) {
  for (int dps = 0; dps < static_cast<int>(dps_.size()); ++dps) {
    const bool was = std::binary_search(before.begin(), before.end(), dps);
    const bool is = p.contract_terminated_in(dps);
    if (was == is) continue;
    for (const LocationIndex l : p.locations) {
      const Membership* m = locations_[l].membership_of(dps);
      if (!m || (m->status != MembershipStatus::admitted && m->status != MembershipStatus::suspended)) continue;
      const bool admitted = m->status == MembershipStatus::admitted;
      locations_[l].admission_moves.push_back(
          {now_, dps, is ? AdmissionMoveKind::terminated : AdmissionMoveKind::contract_restored, admitted && !was,
           admitted && !is});
    }
  }
}

}  // namespace carebroker::engine
