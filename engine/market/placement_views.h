// "Who is affected": the live placements an officer or commissioner asks about — by provider,
// location, zone, DPS or category — with weekly hours and weekly value, totals per provider
// ("if this provider fails, 37 people and 412 hours a week need new care"), and declared
// capacity against hours placed per location. Built by Market (placement_views.cpp) on a
// replica, never on the writer. Plain values; not thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "engine/market/placement.h"
#include "engine/market/types.h"

namespace carebroker::engine {

/// Which live placements to list; an empty field matches every placement.
struct PlacementFilter {
  std::string provider, location, dps, zone, category;
};

/// One live placement (live or under notice), with what it costs and takes a week.
struct PlacementRow {
  const Placement* placement = nullptr;
  std::string location, provider, dps, lot, zone;
  std::vector<std::string> categories;
  Unit unit = Unit::hours;
  std::int64_t person_minutes = 0;  ///< hours lots: minutes of care a week for the person
  std::int64_t carer_minutes = 0;   ///< hours lots: carer minutes (a double-handed call counts twice)
  std::int64_t units = 0;           ///< places or sessions lots: places or sessions a week
  Pence weekly_value = 0;           ///< rate × carer hours (hours lots), or rate × units
  /// Why the care may need to move, from what is known of its provider (empty: not at risk): the
  /// provider in administration (an organisation-wide event that ends nothing by itself), its
  /// contract under the DPS terminated, suspended or under a default notice, the placement
  /// handed back or being re-procured.
  std::vector<std::string> at_risk;
};

/// What a provider's live placements in the list add up to.
struct ProviderExposure {
  std::string provider;
  int people = 0;  ///< live placements (one person each)
  std::int64_t person_minutes = 0, carer_minutes = 0, units = 0;
  Pence weekly_value = 0;
  int at_risk = 0;  ///< of `people`, how many placements are at risk
};

struct AffectedPlacements {
  std::vector<PlacementRow> rows;          ///< by package id
  std::vector<ProviderExposure> providers;  ///< by provider id
};

/// A location's declared capacity under a DPS against what is placed with it now.
struct CapacityRow {
  std::string location, provider, dps;
  int capacity = 0;              ///< declared, in the unit a week (0 = not declared)
  std::int64_t placed_load = 0;  ///< sixtieths of that unit (carer minutes, for hours)
  bool at_capacity = false;
};

}  // namespace carebroker::engine
