// Who gets a package's broadcast, and why everyone else does not.
// The index keeps, per DPS, tier and zone, the sorted admitted locations, so a broadcast looks
// at a few candidates rather than every provider; `exclusion_of` names the first rule that keeps
// a location out (for officers and auditors). Both share `placement_bar`. Not thread-safe.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "engine/config.h"
#include "engine/provider.h"
#include "engine/types.h"

namespace carebroker::engine {

/// What a package asks of a location. tier = -1 means any tier (all-at-once distribution).
struct EligibilityQuery {
  int dps = -1;
  int lot = -1;
  CategoryMask categories = 0;
  int zone = -1;
  int tier = -1;
};

struct Exclusion {
  LocationIndex location = 0;
  std::string rule;    ///< stable: not_applied, not_admitted, lot, categories, zone, tier, suspended,
                       ///< contract_terminated, embargo, red, amber
  std::string detail;  ///< e.g. "does not offer dementia, double_handed"
};

/// Why an admitted location may not take new placements now (contract terminated, embargo, Red
/// or — where the policy says so — Amber). Empty rule when it may. `detail` is filled only when
/// `want_detail` is true, so the broadcast path builds no strings.
struct PlacementBar {
  std::string rule;
  std::string detail;
  bool barred() const { return !rule.empty(); }
};
PlacementBar placement_bar(const Location&, const Provider&, const DpsConfig&, UtcMillis now,
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
  /// Admitted locations in the query's tier (or every tier) serving the zone, sorted.
  void candidates(const EligibilityQuery&, std::vector<LocationIndex>& out) const;

 private:
  void remove(int dps, LocationIndex);
  // buckets_[dps][tier][zone] = sorted location indexes
  std::vector<std::vector<std::vector<std::vector<LocationIndex>>>> buckets_;
};

}  // namespace carebroker::engine
