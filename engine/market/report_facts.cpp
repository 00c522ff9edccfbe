// The facts of a package that market reports count.
#include "engine/market/report_facts.h"

namespace carebroker::engine {

PackageFacts report_facts_of(const Package& p, const Placement* placement, Unit unit) {
  PackageFacts f;
  f.id = p.id;
  f.posted_at = p.posted_at;
  f.categories = p.categories;
  f.dps = p.dps;
  f.lot = p.lot;
  f.zone = p.zone;
  f.tiers_tried = p.tiers_tried;
  f.declines = p.declines;
  f.urgency = p.urgency;
  f.funder = p.spec->funder;
  f.weekly_load = weekly_load(unit, p.spec->quantity, p.spec->double_handed);  // a default (empty) spec in a retired stub
  f.status = p.status;
  f.retired = p.retired;
  // Old journals' immediate hand-back counts on the package; a hand-back with notice leaves its
  // reason on the placement.
  f.handed_back = p.hand_backs > 0;
  if (placement) {
    f.placed_at = placement->placed_at;
    f.rate = placement->rate;
    if (!placement->hand_back_reason.empty() || placement->status == PlacementStatus::notice ||
        (placement->status == PlacementStatus::ended && placement->end_reason == PlacementEndReason::handed_back))
      f.handed_back = true;
  }
  return f;
}

}  // namespace carebroker::engine
