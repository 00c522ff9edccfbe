// What each kind of user may see of a package. A provider's view carries the broadcast
// (needs, outcomes, hours, zone, start — never the person), its own offer, and its own rank and
// score only when the rules allow (best-and-final shortlist, after the award); the person's
// details only after it accepted the award. An officer's view carries everything.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "engine/market/eligibility.h"
#include "engine/market/package.h"
#include "engine/market/ranking.h"
#include "engine/market/types.h"

namespace carebroker::engine {

/// The anonymised package, as broadcast to eligible locations.
/// A clarification question as every invited location may see it once answered.
struct AnsweredQuestion {
  int number = 0;
  std::string question, answer;
  bool operator==(const AnsweredQuestion&) const = default;
};

struct BroadcastView {
  PackageId package = 0;
  std::string dps, lot;
  std::vector<std::string> categories;
  std::string zone, postcode_district;
  Unit unit = Unit::hours;
  std::int64_t quantity = 0;
  VisitPattern visits;
  bool double_handed = false;
  Date start_date = 0;
  Date latest_start = 0;
  std::vector<std::string> needs, outcomes, must_meet;
  Urgency urgency = Urgency::standard;
  Funder funder = Funder::council;
  Pence price_ceiling = 0;
  std::string tier;
  UtcMillis closes_at = 0;
  std::vector<VisitCall> schedule;  ///< empty = posted as the visits summary
  Date end_date = 0;
  std::int64_t carer_minutes = 0;   ///< paid minutes a week (hours lots; 0 otherwise)
  std::int64_t person_minutes = 0;  ///< the person's minutes of care a week (hours lots; 0 otherwise)
  std::vector<FundingShare> funding;  ///< always at least one share (100% `funder` for older posts)
  int amendments = 0;  ///< how many times the officer amended it
  std::string amendment_notes;  ///< the latest amendment's
  UtcMillis amended_at = 0;     ///< the latest amendment's time; 0 = never amended
  /// Answered clarification questions (number, question, answer), never who asked.
  std::vector<AnsweredQuestion> clarifications;
  bool operator==(const BroadcastView&) const = default;
};

struct OwnOfferView {
  Pence price = 0;
  Date start_date = 0;
  bool must_meet_confirmed = false;
  std::string notes;
  UtcMillis amended_at = 0;
  int version = 0;
  bool withdrawn = false;
  bool made_before_amendment = false;  ///< placed or last amended before the package's latest amendment
  bool operator==(const OwnOfferView&) const = default;
};

/// Where the package stands, as this location may know it.
enum class ProviderStanding : std::uint8_t {
  open,                ///< bidding is open
  best_and_final,      ///< shortlisted: may improve its offer
  closed_for_bidding,  ///< evaluation under way
  award_offered,       ///< the award is offered to this location: accept or decline
  placed_with_you,
  awarded_elsewhere,
  closed,              ///< cancelled, unsourced, direct payment, or moved to another tier
};
std::string_view to_string(ProviderStanding);

struct ProviderPackageView {
  BroadcastView package;
  ProviderStanding standing = ProviderStanding::open;
  std::optional<OwnOfferView> own_offer;
  std::optional<int> own_rank;      ///< shortlisted, or after the award
  std::optional<double> own_score;  ///< after the award
  std::optional<SealedPerson> person;  ///< only once this location accepted the award (sealed: the gateway opens it)
  bool operator==(const ProviderPackageView&) const = default;
};

struct OfficerPackageView {
  const Package* package = nullptr;
  const SealedPerson* person = nullptr;  ///< sealed: the gateway opens it
  std::string dps, lot, zone, tier;
  Ranking ranking;
  std::vector<LocationIndex> invited;
  std::vector<Exclusion> exclusions;  ///< everyone not broadcast at this step, and why
  /// Invited locations whose placed hours reach their declared capacity: a warning for the
  /// officer (they were broadcast: the DPS does not exclude them).
  std::vector<LocationIndex> at_capacity;
};

}  // namespace carebroker::engine
