// Who gets a package's broadcast, and why everyone else does not.
// The index keeps, per DPS, tier and zone, the sorted admitted locations, so a broadcast looks
// at a few candidates rather than every provider; `exclusion_of` names the first rule that keeps
// a location out (for officers and auditors). Both share `placement_bar`. Not thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/market/config.h"
#include "engine/market/provider.h"
#include "engine/market/types.h"

namespace carebroker::engine {

/// What a package asks of a location. tier = -1 means any tier (all-at-once distribution);
/// zone = -1 any zone (all at once where the DPS does not declare zones part of its lots).
struct EligibilityQuery {
  int dps = -1;
  int lot = -1;
  CategoryMask categories = 0;
  int zone = -1;
  int tier = -1;
  /// The location that handed back the placement this package re-procures: never broadcast it.
  std::optional<LocationIndex> handed_back;
};

/// The rule that keeps a location out of a package's broadcast, in the order they are tried.
/// The last four are placement bars: an admitted location that may not take new placements now.
enum class ExclusionRule : std::uint8_t {
  not_applied,
  not_admitted,
  lot,
  categories,
  zone,
  tier,
  suspended,
  contract_terminated,
  embargo,
  red,
  amber,
  joined_after_broadcast,  ///< eligible now, but not when this tier was broadcast
  contract_suspended,      ///< a suspension in force under the provider's contract for the DPS
  at_capacity,  ///< placed hours reach the declared capacity, and the DPS excludes such locations
  handed_back,  ///< handed back the placement that this package re-procures
};
/// The rule's stable name (in the API and reports): "not_applied", …, "amber".
std::string_view to_string(ExclusionRule);
/// Every rule, in order (tests and reports list them).
inline constexpr ExclusionRule kExclusionRules[] = {
    ExclusionRule::not_applied, ExclusionRule::not_admitted, ExclusionRule::lot,
    ExclusionRule::categories,  ExclusionRule::zone,         ExclusionRule::tier,
    ExclusionRule::suspended,   ExclusionRule::contract_terminated, ExclusionRule::embargo,
    ExclusionRule::red,         ExclusionRule::amber,        ExclusionRule::joined_after_broadcast,
    ExclusionRule::contract_suspended, ExclusionRule::at_capacity, ExclusionRule::handed_back};

struct Exclusion {
  LocationIndex location = 0;
  ExclusionRule rule = ExclusionRule::not_applied;
  std::string detail;  ///< e.g. "does not offer dementia, double_handed"
};

/// Why an admitted location may not take new placements now (contract terminated, embargo, Red
/// or — where the policy says so — Amber); no rule when it may. `detail` is filled only when
/// `want_detail` is true, so the broadcast path builds no strings.
struct PlacementBar {
  std::optional<ExclusionRule> rule;
  std::string detail;
  bool barred() const { return rule.has_value(); }
};
PlacementBar placement_bar(const Location&, const Provider&, int dps_index, const DpsConfig&, UtcMillis now,
                           bool want_detail);

/// The first rule that keeps `location` out of the broadcast for `query`; nullopt = eligible.
std::optional<Exclusion> exclusion_of(LocationIndex, const Location&, const Provider&,
                                      const DpsConfig&, const EligibilityQuery&, UtcMillis now,
                                      const std::vector<std::string>& category_codes);

class EligibilityIndex {
 public:
  /// Resize a DPS's buckets after its configuration (tiers, zones) changed; callers re-add.
  void reset_dps(int dps, std::size_t tiers, std::size_t zones);
  /// Put a location in the buckets its membership calls for (only while admitted).
  void update(LocationIndex, const Membership&);
  /// Admitted locations in the query's tier (or every tier) serving the zone (or any), sorted.
  void candidates(const EligibilityQuery&, std::vector<LocationIndex>& out) const;

 private:
  void remove(int dps, LocationIndex);
  // buckets_[dps][tier][zone] = sorted location indexes
  std::vector<std::vector<std::vector<std::vector<LocationIndex>>>> buckets_;
};

}  // namespace carebroker::engine
