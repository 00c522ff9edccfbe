// PolicyReplay: what-if over a period of the journal (policy_replay.h).
#include "engine/replica/policy_replay.h"

#include <algorithm>

#include "engine/market/home_care_order.h"

namespace carebroker::replica {

using namespace carebroker::engine;

void PolicyReplay::event_applied(const Event& event, const Market& after) {
  ++report_.events;
  if (const auto* closed = std::get_if<WindowClosed>(&event))
    window_closed(closed->package, closed->at, after);
  else if (const auto* opened = std::get_if<TierOpened>(&event))
    tier_opened(opened->package, opened->step, opened->at, after);
}

const Package* PolicyReplay::compared(PackageId id, UtcMillis at, const Market& m) const {
  if (at < options_.from || at >= options_.to) return nullptr;
  const Package* p = m.find_package(id);
  const int dps = m.find_dps(options_.dps);
  return p && !p->retired && dps >= 0 && p->dps == dps ? p : nullptr;
}

void PolicyReplay::window_closed(PackageId id, UtcMillis at, const Market& m) {
  const Package* p = compared(id, at, m);
  if (!p) return;
  const std::optional<WhatIfRanking> w = m.what_if(id, options_.ranking);
  if (!w) return;
  ++report_.packages_compared;
  const RankedOffer* now = w->now.top();
  const RankedOffer* then = w->then.top();
  report_.no_acceptable_now += now ? 0 : 1;
  report_.no_acceptable_then += then ? 0 : 1;
  const Unit unit = m.dps(p->dps).lots[p->lot].unit;
  const auto weekly = [&](const RankedOffer* o) { return o ? weekly_value(*p->spec, unit, o->offer.price) : Pence{0}; };
  if (now && then) {
    report_.weekly_now += weekly(now);
    report_.weekly_then += weekly(then);
  }
  const bool same = (now == nullptr) == (then == nullptr) && (!now || now->offer.location == then->offer.location);
  if (same) return;
  ++report_.winners_changed;
  report_.changed.push_back(PackageComparison{.package = id,
                                              .closed_at = at,
                                              .top_now = now ? now->offer.location_id : "",
                                              .top_then = then ? then->offer.location_id : "",
                                              .price_now = now ? now->offer.price : 0,
                                              .price_then = then ? then->offer.price : 0,
                                              .weekly_now = weekly(now),
                                              .weekly_then = weekly(then)});
}

void PolicyReplay::tier_opened(PackageId id, int step, UtcMillis at, const Market& m) {
  const Package* p = compared(id, at, m);
  if (!p) return;
  ++report_.tiers_opened;
  const DpsConfig& actual = m.dps(p->dps);
  if (actual.risk == options_.risk) return;  // the same broadcast
  DpsConfig tried = actual;
  tried.risk = options_.risk;
  std::vector<LocationIndex> would = m.eligible(m.query_for(*p, step), tried);
  std::sort(would.begin(), would.end());
  const std::vector<LocationIndex>& invited = p->invited;  // sorted: the TierOpened list
  ExtraInvitations extra{id, step, {}};
  for (LocationIndex l : would)
    if (!std::binary_search(invited.begin(), invited.end(), l)) extra.locations.push_back(m.location(l).id);
  for (LocationIndex l : invited)
    report_.fewer_invited += std::binary_search(would.begin(), would.end(), l) ? 0 : 1;
  report_.extra_invited += extra.locations.size();
  if (!extra.locations.empty()) report_.extra.push_back(std::move(extra));
}

}  // namespace carebroker::replica
