// Market: live placements. An accepted award opens a placement; it runs until an event ends it
// with a reason — its planned end, a provider's hand-back once the notice runs out (the package is
// re-procured meanwhile as a new, linked package), the council's end, a contract termination, or
// the start of the placement that replaces it. The council may vary its hours; the provider
// accepts, or the officer sends the change to market as a new linked package.
#include <algorithm>

#include "engine/market/digest.h"
#include "engine/market/market.h"
#include "engine/market/market_emitter.h"

namespace carebroker::engine {
namespace {

constexpr std::size_t kMaxText = 200;
constexpr std::int64_t kMaxQuantity = 100'000;
constexpr Date kFurthestEnd = 366 * 10;  ///< how far ahead a planned end may be, in days

std::string package_words(PackageId id) { return "package " + std::to_string(id); }

}  // namespace

// ---- look-ups ----

const Placement* Market::find_placement(PackageId id) const {
  const auto it = placements_.find(id);
  return it == placements_.end() ? nullptr : &it->second;
}

PackageId Market::replaces_placement(PackageId id) const {
  const auto it = replaces_.find(id);
  return it == replaces_.end() ? 0 : it->second;
}

std::int64_t Market::placed_load(LocationIndex location, int dps) const {
  const auto it = placed_load_.find({location, dps});
  return it == placed_load_.end() ? 0 : it->second;
}

bool Market::at_capacity(LocationIndex location, int dps) const {
  const Membership* m = locations_[location].membership_of(dps);
  if (!m || m->capacity <= 0) return false;
  return placed_load(location, dps) >= static_cast<std::int64_t>(m->capacity) * 60;
}

Status Market::live_placement(PackageId id, const Placement*& out) const {
  if (!find_package(id)) return reject(Code::unknown_package, "no " + package_words(id));
  out = find_placement(id);
  if (!out) return reject(Code::no_placement, package_words(id) + " has no placement");
  if (!out->is_live())
    return reject(Code::placement_ended, "the placement of " + package_words(id) + " ended on " +
                                             format_date(out->ended_on) + " (" +
                                             std::string(to_string(out->end_reason)) + ")");
  return {};
}

// ---- commands ----

Reply Market::hand_back(const HandBackPackage& c, ProviderRequest& r, Emitter& e) {
  const Package& p = *r.package;
  const Placement* placement = find_placement(p.id);
  if (p.status != PackageStatus::placed || p.award_location != r.location || !placement)
    return {reject(Code::package_not_placed, "package is not placed with " + c.location)};
  if (placement->status == PlacementStatus::notice)
    return {reject(Code::placement_handed_back, "the placement was already handed back; the notice ends on " +
                                                    format_date(placement->notice_ends))};
  if (c.reason.empty() || c.reason.size() > kMaxText)
    return {reject(Code::reason_required, "a hand-back needs a reason of 1..200 characters")};
  const Date notice_ends = today_ + dps_[p.dps].windows.hand_back_notice_days;
  if (placement->replacement != 0) {  // a variation already sent to market re-procures it
    e.emit(PlacementHandedBack{c.package, r.location, std::move(r.ref), now_, c.reason, notice_ends,
                               placement->replacement});
    return {Status{}, c.package};
  }
  // The replacement is checked first and posted after the hand-back, so that its broadcast
  // already knows whose placement it replaces and leaves that location out (query_for).
  PackageSpec spec = *p.spec;
  spec.start_date = today_;  // as soon as a provider can start: the notice is running
  spec.window = 0;           // the DPS's default window for the urgency
  PackagePosted replacement;
  if (Status s = posting(PostPackage{std::move(spec), *people_[p.id - 1]}, replacement); !s.ok()) return {s};
  e.emit(PlacementHandedBack{c.package, r.location, std::move(r.ref), now_, c.reason, notice_ends, replacement.package});
  if (const Reply posted = post(std::move(replacement), e); !posted.ok()) return posted;
  return {Status{}, c.package};
}

Reply Market::handle(const SetPlannedEnd& c, Emitter& e) {
  const Placement* placement = nullptr;
  if (Status s = live_placement(c.package, placement); !s.ok()) return {s};
  if (c.officer.empty() || c.officer.size() > kMaxText)
    return {reject(Code::reason_required, "record the officer who plans the end")};
  if (c.planned_end <= today_ || c.planned_end <= placement->start || c.planned_end > today_ + kFurthestEnd)
    return {reject(Code::invalid_date, "a planned end is after today and the placement's start, within ten years")};
  e.emit(PlacementEndScheduled{c.package, c.planned_end, PlacementEndReason::planned_end, c.officer, now_});
  return {Status{}, c.package};
}

Reply Market::handle(const EndPlacement& c, Emitter& e) {
  const Placement* placement = nullptr;
  if (Status s = live_placement(c.package, placement); !s.ok()) return {s};
  if (!ended_by_officer(c.reason))
    return {reject(Code::invalid_end_reason,
                   std::string(to_string(c.reason)) +
                       " is not an officer's reason: needs_changed, moved, hospital, residential_care, died or terminated")};
  if (c.officer.empty() || c.officer.size() > kMaxText)
    return {reject(Code::reason_required, "record the officer who ends the placement")};
  const Date on = c.on == 0 ? today_ : c.on;
  if (on < placement->start && on < today_)
    return {reject(Code::invalid_date, "the placement cannot end before it started (" + format_date(placement->start) + ")")};
  if (on > today_ + kFurthestEnd) return {reject(Code::invalid_date, "an end date within ten years")};
  if (on <= today_)
    e.emit(PlacementEnded{c.package, c.reason, on, c.officer, now_});  // today, or recorded late
  else
    e.emit(PlacementEndScheduled{c.package, on, c.reason, c.officer, now_});
  return {Status{}, c.package};
}

Reply Market::handle(const ProposeVariation& c, Emitter& e) {
  const Placement* placement = nullptr;
  if (Status s = live_placement(c.package, placement); !s.ok()) return {s};
  if (placement->status == PlacementStatus::notice)
    return {reject(Code::placement_handed_back, "a placement under notice cannot be varied")};
  if (placement->has_pending_variation)
    return {reject(Code::variation_pending, "a variation proposed on " + format_london(placement->pending.proposed_at) +
                                                " is waiting for the provider or the officer")};
  if (placement->replacement != 0)
    return {reject(Code::variation_pending, "the placement is being re-procured as " + package_words(placement->replacement))};
  std::int64_t quantity = c.quantity;
  std::vector<VisitCall> schedule = c.schedule;
  if (!schedule.empty()) {  // a variation by schedule: the calls give the hours
    if (placement->unit != Unit::hours) return {reject(Code::invalid_variation, "a schedule of calls needs an hours lot")};
    if (c.visits.visits_per_day > 0)
      return {reject(Code::invalid_variation, "give the schedule of calls or the visits summary, not both")};
    if (Status s = check_schedule(schedule); !s.ok()) return {s};
    const std::int64_t derived = person_minutes(schedule);
    if (quantity != 0 && quantity != derived)
      return {reject(Code::invalid_variation, "the schedule gives " + std::to_string(derived) +
                                                  " minutes a week, the variation says " + std::to_string(quantity))};
    quantity = derived;
  }
  const std::vector<VisitCall>& calls_now =
      placement->schedule.empty() ? packages_[c.package - 1].spec->schedule : placement->schedule;
  if (schedule.empty() && !calls_now.empty())
    return {reject(Code::invalid_variation, "the placement runs to a schedule of calls: give the new schedule")};
  const VisitPattern& v = c.visits;
  if (quantity <= 0 || quantity > kMaxQuantity)
    return {reject(Code::invalid_variation, "hours must be 1..100000 (minutes a week, places or sessions)")};
  if (v.visits_per_day < 0 || v.minutes_per_visit < 0 || v.days_per_week < 0 || v.visits_per_day > 12 ||
      v.days_per_week > 7 || v.minutes_per_visit > 24 * 60)
    return {reject(Code::invalid_variation, "visits: up to 12 a day, 7 days a week")};
  if (v.visits_per_day > 0) {
    if (placement->unit != Unit::hours) return {reject(Code::invalid_variation, "a visit pattern needs an hours lot")};
    if (v.minutes_per_week() != quantity)
      return {reject(Code::invalid_variation, "the visit pattern gives " + std::to_string(v.minutes_per_week()) +
                                                  " minutes a week, the variation says " + std::to_string(quantity))};
  }
  if (quantity == placement->quantity && v == placement->visits && (schedule.empty() || schedule == calls_now))
    return {reject(Code::invalid_variation, "the variation changes neither the hours nor the visit pattern")};
  if (c.effective < today_ || c.effective > today_ + 366)
    return {reject(Code::invalid_date, "a variation takes effect from today to a year ahead")};
  if (c.reason.empty() || c.reason.size() > kMaxText || c.officer.empty() || c.officer.size() > kMaxText)
    return {reject(Code::reason_required, "a variation records the officer and the reason")};
  e.emit(VariationProposed{c.package, quantity, c.visits, c.effective, c.reason, c.officer, now_, std::move(schedule)});
  return {Status{}, c.package};
}

Reply Market::handle(const AcceptVariation& c, Emitter& e) {
  const auto loc = find_location(c.location);
  Digest payload;  // hashed in full, as payload_hash hashes a command (market_offers.cpp)
  payload.u64(Command(c).index());
  payload.add(c);
  ProviderRequest r;
  Reply replayed;
  if (Status s = provider_request(c.provider, c.location, loc, c.request_id, c.package, payload.value(), r, replayed);
      !s.ok())
    return {s};
  if (replayed.replayed) return replayed;
  const Placement* placement = nullptr;
  if (Status s = live_placement(c.package, placement); !s.ok()) return {s};
  if (placement->location != r.location)
    return {reject(Code::package_not_placed, "package is not placed with " + c.location)};
  if (!placement->has_pending_variation)
    return {reject(Code::no_variation_pending, "no variation is waiting for an answer on this placement")};
  e.emit(VariationAccepted{c.package, r.location, std::move(r.ref), now_});
  return {Status{}, c.package};
}

Reply Market::handle(const SendVariationToMarket& c, Emitter& e) {
  const Placement* placement = nullptr;
  if (Status s = live_placement(c.package, placement); !s.ok()) return {s};
  if (!placement->has_pending_variation)
    return {reject(Code::no_variation_pending, "no variation is waiting on this placement")};
  if (c.officer.empty() || c.officer.size() > kMaxText)
    return {reject(Code::reason_required, "record the officer who sends the variation to market")};
  const Package& p = packages_[c.package - 1];
  PackageSpec spec = *p.spec;
  spec.quantity = placement->pending.quantity;
  spec.visits = placement->pending.visits;
  if (!placement->pending.schedule.empty()) {
    spec.schedule = placement->pending.schedule;
    spec.double_handed = any_double_handed(spec.schedule);
  }
  spec.start_date = std::max(placement->pending.effective, today_);
  spec.officer = c.officer;
  const Reply posted = post_replacement(std::move(spec), *people_[p.id - 1], e);
  if (!posted.ok()) return posted;
  e.emit(VariationSentToMarket{c.package, posted.package, c.officer, now_});
  return {Status{}, c.package};
}

// ---- the steps the commands and the clock share ----

Reply Market::post_replacement(PackageSpec spec, const SealedPerson& person, Emitter& e) {
  spec.window = 0;  // the DPS's default window for the urgency
  // The original's person record as it is (sealed, erased, or an old journal's clear form): not
  // handle(PostPackage), which takes only a freshly sealed person.
  PackagePosted posted;
  if (Status s = posting(PostPackage{std::move(spec), person}, posted); !s.ok()) return {s};
  return post(std::move(posted), e);
}

void Market::schedule_replaced_end(const Package& replacement, Emitter& e) {
  const PackageId old = replaces_placement(replacement.id);
  const Placement* placed = find_placement(replacement.id);
  const Placement* previous = old ? find_placement(old) : nullptr;
  if (!placed || !previous || !previous->is_live()) return;
  if (placed->start <= today_)
    e.emit(PlacementEnded{old, PlacementEndReason::replaced, today_, {}, now_});
  else
    e.emit(PlacementEndScheduled{old, placed->start, PlacementEndReason::replaced, {}, now_});
}

void Market::end_placement_due(PackageId id, Emitter& e) {
  const Placement& placement = placements_.at(id);
  const ScheduledEnd end = scheduled_end(placement);
  const bool by_officer = end.reason == placement.officer_end_reason && end.on == placement.officer_end;
  e.emit(PlacementEnded{id, end.reason, end.on, by_officer ? placement.ended_by : std::string(), now_});
}

// ---- apply ----

void Market::open_placement(const Package& p, LocationIndex location, UtcMillis at) {
  Placement placement;
  placement.package = p.id;
  placement.location = location;
  placement.dps = p.dps;
  placement.unit = dps_[p.dps].lots[p.lot].unit;
  const Offer* offer = p.offer_of(location);
  placement.rate = offer ? Pence{offer->price} : 0;
  placement.start = offer ? offer->start_date : p.spec->start_date;
  placement.placed_at = at;
  placement.quantity = p.spec->quantity;
  placement.visits = p.spec->visits;
  placement.double_handed = p.spec->double_handed;
  add_load(placement, +1);
  placements_.insert_or_assign(p.id, std::move(placement));
}

void Market::add_load(const Placement& placement, int sign) {
  if (!placement.is_live()) return;
  const std::int64_t load = placement.unit == Unit::hours
                                ? placement.quantity * (placement.double_handed ? 2 : 1)
                                : placement.quantity * 60;
  auto& total = placed_load_[{placement.location, placement.dps}];
  total += sign * load;
  if (total == 0) placed_load_.erase({placement.location, placement.dps});
}

void Market::schedule_end(Package& p, const Placement& placement) {
  const ScheduledEnd end = scheduled_end(placement);
  if (placement.is_live() && end.on != 0)
    set_deadline(p, london_to_utc(end.on, 0));
  else
    clear_deadline(p);
}

void Market::apply_placement_event(const Event& event) {
  if (const auto* handed = std::get_if<PlacementHandedBack>(&event)) {
    Placement& placement = placements_.at(handed->package);
    placement.status = PlacementStatus::notice;
    placement.notice_ends = handed->notice_ends;
    placement.hand_back_reason = handed->reason;
    placement.has_pending_variation = false;
    placement.pending = {};
    if (handed->replacement != 0) {
      placement.replacement = handed->replacement;
      replaces_[handed->replacement] = handed->package;
    }
    schedule_end(package_mut(handed->package), placement);
    remember_request(handed->request, handed->package, handed->location);
  } else if (const auto* scheduled = std::get_if<PlacementEndScheduled>(&event)) {
    Placement& placement = placements_.at(scheduled->package);
    switch (scheduled->reason) {
      case PlacementEndReason::planned_end: placement.planned_end = scheduled->ends_on; break;
      case PlacementEndReason::replaced: placement.replaced_from = scheduled->ends_on; break;
      case PlacementEndReason::handed_back: placement.notice_ends = scheduled->ends_on; break;
      default:
        placement.officer_end = scheduled->ends_on;
        placement.officer_end_reason = scheduled->reason;
        break;
    }
    if (!scheduled->officer.empty()) placement.ended_by = scheduled->officer;
    schedule_end(package_mut(scheduled->package), placement);
  } else if (const auto* ended = std::get_if<PlacementEnded>(&event)) {
    Placement& placement = placements_.at(ended->package);
    add_load(placement, -1);
    placement.status = PlacementStatus::ended;
    placement.end_reason = ended->reason;
    placement.ended_on = ended->ended_on;
    placement.ended_at = ended->at;
    if (!ended->officer.empty()) placement.ended_by = ended->officer;
    placement.has_pending_variation = false;
    placement.pending = {};
    mark_closed(package_mut(ended->package), PackageStatus::ended, ended->at);
  } else if (const auto* proposed = std::get_if<VariationProposed>(&event)) {
    Placement& placement = placements_.at(proposed->package);
    placement.has_pending_variation = true;
    placement.pending = PendingVariation{proposed->quantity, proposed->visits, proposed->effective, proposed->reason,
                                         proposed->officer, proposed->at, proposed->schedule};
  } else if (const auto* accepted = std::get_if<VariationAccepted>(&event)) {
    Placement& placement = placements_.at(accepted->package);
    add_load(placement, -1);
    placement.previous_quantity = placement.quantity;
    placement.quantity = placement.pending.quantity;
    placement.visits = placement.pending.visits;
    if (!placement.pending.schedule.empty()) {
      placement.schedule = placement.pending.schedule;
      placement.double_handed = any_double_handed(placement.schedule);
    }
    placement.varied_from = placement.pending.effective;
    ++placement.variations;
    placement.has_pending_variation = false;
    placement.pending = {};
    add_load(placement, +1);
    remember_request(accepted->request, accepted->package, accepted->location);
  } else if (const auto* reprocured = std::get_if<PlacementReprocured>(&event)) {
    placements_.at(reprocured->package).replacement = reprocured->replacement;
    replaces_[reprocured->replacement] = reprocured->package;
  } else if (const auto* sent = std::get_if<VariationSentToMarket>(&event)) {
    Placement& placement = placements_.at(sent->package);
    placement.replacement = sent->replacement;
    placement.has_pending_variation = false;
    placement.pending = {};
    replaces_[sent->replacement] = sent->package;
  }
}

}  // namespace carebroker::engine
