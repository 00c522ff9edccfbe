// Providers (organisations) and their locations (CQC-registered services), and a location's
// membership of each DPS: the admission life cycle and what it is enrolled in.
// A location is what is admitted, rated and bids. Plain state; not thread-safe.
#pragma once

#include <algorithm>
#include <string>
#include <vector>

#include "engine/market/admission_history.h"
#include "engine/market/assessment.h"
#include "engine/market/contract_actions.h"
#include "engine/market/cqc_ratings.h"
#include "engine/market/early_warning.h"
#include "engine/market/fsa_ratings.h"
#include "engine/market/quality.h"
#include "engine/market/types.h"

namespace carebroker::engine {

struct Provider {
  std::string id;  ///< CQC provider ID, e.g. "1-101641521"
  std::string name;
  bool in_administration = false;
  std::vector<int> terminated_in;  ///< DPSs (sorted indexes) whose contract with it is terminated
  std::string status_reason;
  std::vector<LocationIndex> locations;
  std::vector<ContractAction> contract_actions;  ///< numbered 1, 2, … (id = index + 1)
  std::string status_by;  ///< who made the latest status change (ProviderStatusChanged::by)
  bool operator==(const Provider&) const = default;

  bool contract_terminated_in(int dps) const {
    return std::binary_search(terminated_in.begin(), terminated_in.end(), dps);
  }
  /// The action of `kind` in force under DPS `dps` (-1: under any DPS), or null.
  const ContractAction* contract_action_in_force(ContractActionKind kind, int dps = -1) const {
    for (const auto& a : contract_actions)
      if (a.kind == kind && a.in_force() && (dps < 0 || a.dps == dps)) return &a;
    return nullptr;
  }
};

enum class MembershipStatus : std::uint8_t { under_assessment, admitted, refused, suspended, exited };
std::string_view to_string(MembershipStatus);

/// The most hours a week a location may declare as its capacity under a DPS.
inline constexpr int kMaxDeclaredCapacity = 10'000'000;

/// A location's standing in one DPS. Masks index the DPS's lots and zones and the deployment's
/// categories.
struct Membership {
  int dps = -1;
  MembershipStatus status = MembershipStatus::under_assessment;
  UtcMillis applied_at = 0;
  UtcMillis decision_due = 0;  ///< 10 working days after applying; 15 when extended
  bool extended = false;
  LotMask lots = 0;
  CategoryMask categories = 0;
  ZoneMask zones = 0;
  int tier = -1;
  int capacity = 0;  ///< declared capacity, in the lot's unit per week (hours, places, sessions)
  std::string reason;  ///< refusal, suspension or exit reason
  /// Who made its latest change (the token's user; issue 13): journaled in MembershipChanged with
  /// the rest of the record; "" in journals from before, or when no user made it.
  std::string by;
  bool operator==(const Membership&) const = default;
};

struct Location {
  std::string id;  ///< CQC location ID, e.g. "1-2375497294"
  std::string provider_id;
  LocationIndex provider_index = 0;  ///< index into the provider table
  std::string name;
  std::string postcode;
  std::string local_authority;
  QualityInputs quality;
  std::vector<Membership> memberships;  ///< at most one per DPS
  /// CQC ratings imported from CQC's files, oldest first; the newest is `quality.cqc` when it
  /// was imported (cqc_ratings.h).
  std::vector<CqcRatingRecord> cqc_history;
  /// When it was registered (the market clock then): a dated entry may not be older.
  UtcMillis registered_at = 0;
  /// The early-warning history (early_warning.h), oldest first: every change to `quality`, and
  /// every change of its RAG under a DPS it belongs to.
  std::vector<QualityEntry> quality_entries;
  std::vector<RagChange> rag_changes;
  /// Its entries to and departures from each DPS, oldest first (admission_history.h).
  std::vector<AdmissionMove> admission_moves;
  /// Assessment cycles (assessment.h), oldest first: self-assessments numbered 1, 2, … (under
  /// any DPS), and the council's PAMMS assessments.
  std::vector<SelfAssessment> self_assessments;
  std::vector<PammsAssessment> pamms_assessments;
  /// Quarterly KPI returns (kpi.h), oldest first, numbered 1, 2, … (under any DPS); an
  /// amendment is a later return for the same DPS and quarter.
  std::vector<KpiReturn> kpi_returns;
  /// The version of its quality score: advances whenever an input of the score changes — its
  /// quality inputs (a self-assessment validated, PAMMS, CQC, a patch), a KPI return, or the
  /// quality policy or KPI set of a DPS it belongs to (market_kpis.cpp). 0 = as registered.
  std::uint32_t quality_version = 0;
  /// The FSA hygiene rating imported last as its newest (fsa_ratings.h); rated_on 0 = none. Its
  /// rating became `quality.fsa` then (a PATCH may have changed the input since).
  FsaRatingRecord fsa_rating;
  bool operator==(const Location&) const = default;

  /// The RAG last announced (by a RagChanged) under `dps`: Green until one says otherwise.
  Rag announced_rag(int dps) const {
    for (auto it = rag_changes.rbegin(); it != rag_changes.rend(); ++it)
      if (it->dps == dps) return it->to;
    return Rag::green;
  }

  const Membership* membership_of(int dps) const {
    for (const auto& m : memberships)
      if (m.dps == dps) return &m;
    return nullptr;
  }
};

}  // namespace carebroker::engine
