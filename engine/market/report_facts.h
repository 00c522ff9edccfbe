// What a market report needs to know of one package, kept compactly: the facts of a package
// that retires (leaves memory for the store's archive) are kept in the market's state, so
// reports over a period include archived packages; the facts of a package still in memory are
// read from it when a report is asked for (report_facts_of). Plain values; not thread-safe.
#pragma once

#include <cstdint>

#include "engine/market/package.h"
#include "engine/market/placement.h"
#include "engine/market/reflect.h"
#include "engine/market/types.h"

namespace carebroker::engine {

struct PackageFacts {
  PackageId id = 0;
  UtcMillis posted_at = 0;
  UtcMillis placed_at = 0;   ///< the award accepted (its placement opened); 0 = never placed
  CategoryMask categories = 0;
  Pence rate = 0;            ///< the placement's rate; 0 = none (never placed, or placed without an offer)
  /// What the package asks for a week, in sixtieths of its lot's unit (Market::placed_load's
  /// unit): carer minutes for hours (a double-handed minute counts twice), else places or
  /// sessions × 60.
  std::int64_t weekly_load = 0;
  int dps = -1;
  int lot = -1;
  int zone = -1;
  int tiers_tried = 0;       ///< tiers broadcast (more than 1: cascaded)
  int declines = 0;          ///< awards declined (or let lapse)
  Urgency urgency = Urgency::standard;
  Funder funder = Funder::council;
  PackageStatus status = PackageStatus::open;
  bool handed_back = false;  ///< its placement was handed back (either form of hand-back)
  bool retired = false;      ///< from the archive: the package has left memory
  bool operator==(const PackageFacts&) const = default;
};
static_assert(sizeof(PackageFacts) <= 80);  // held for every retired package, for good

/// The facts of `p` as it stands, with its placement (nullptr: none in memory).
/// `unit`: the unit of the package's lot.
PackageFacts report_facts_of(const Package& p, const Placement* placement, Unit unit);

/// A weekly quantity in sixtieths of its unit (see PackageFacts::weekly_load).
inline std::int64_t weekly_load(Unit unit, std::int64_t quantity, bool double_handed) {
  return unit == Unit::hours ? quantity * (double_handed ? 2 : 1) : quantity * 60;
}

}  // namespace carebroker::engine
