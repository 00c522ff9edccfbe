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
static_assert(sizeof(PackageFacts) <= 72);  // held for every retired package, for good

/// The facts of `p` as it stands, with its placement (nullptr: none in memory).
PackageFacts report_facts_of(const Package& p, const Placement* placement);

}  // namespace carebroker::engine
