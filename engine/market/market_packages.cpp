// Market: the package life cycle. Posting, the route's tiers and their windows, close, the
// best-and-final round, award, decline, cascade, unsourced; hold, cancel, direct payment,
// the officer's abnormally-low decisions and awards to the person's own choice.
#include <algorithm>

#include "engine/market/home_care_order.h"
#include "engine/market/market.h"
#include "engine/market/market_emitter.h"

namespace carebroker::engine {
namespace {

constexpr std::size_t kMaxListItems = 50;
constexpr std::size_t kMaxText = 200;
constexpr UtcMillis kMaxWindow = 90 * kMillisPerDay;

bool bad_list(const std::vector<std::string>& items) {
  if (items.size() > kMaxListItems) return true;
  return std::any_of(items.begin(), items.end(),
                     [](const std::string& s) { return s.empty() || s.size() > kMaxText; });
}

}  // namespace

Reply Market::handle(const PostPackage& c, Emitter& e) {
  // The person comes sealed by the gateway; clear text is refused (a replacement package, posted
  // by the market itself, carries on its original's record as it is: post_replacement).
  if (std::string problem = sealed_person_problem(c.person); !problem.empty())
    return {reject(Code::person_not_sealed, std::move(problem))};
  PackagePosted posted;
  if (Status s = posting(c, posted); !s.ok()) return {s};
  return post(std::move(posted), e);
}

Status Market::posting(const PostPackage& c, PackagePosted& posted) const {
  PackageSpec spec = c.spec;  // with what its schedule derives filled in (check_order_terms)
  const PackageSpec& s = spec;
  const int dps = find_dps(s.dps);
  if (dps < 0) return {reject(Code::unknown_dps, "no DPS " + s.dps)};
  const DpsConfig& config = dps_[dps];
  const int lot = config.lot_index(s.lot);
  if (lot < 0) return {reject(Code::unknown_lot, "no lot " + s.lot + " in " + s.dps)};
  if (Status terms = check_order_terms(spec, config.lots[lot].unit); !terms.ok()) return {terms};
  if (s.categories.empty()) return {reject(Code::unknown_category, "a package needs at least one category")};
  CategoryMask categories = 0;
  for (const auto& cat : s.categories) {
    if (std::find(config.categories.begin(), config.categories.end(), cat) == config.categories.end())
      return {reject(Code::unknown_category, s.dps + " does not buy category " + cat)};
    categories |= CategoryMask{1}
                  << (std::find(category_codes_.begin(), category_codes_.end(), cat) - category_codes_.begin());
  }
  int zone = -1;
  if (!s.postcode_district.empty()) {
    zone = config.zone_of_district(s.postcode_district);
    if (zone < 0)
      return {reject(Code::unknown_postcode_district,
                     "postcode district " + s.postcode_district + " is in no zone of " + s.dps)};
    if (!s.zone.empty() && config.zone_index(s.zone) != zone)
      return {reject(Code::invalid_package, "postcode district " + s.postcode_district +
                                                " is not in zone " + s.zone)};
  } else if (!s.zone.empty()) {
    zone = config.zone_index(s.zone);
    if (zone < 0) return {reject(Code::unknown_zone, "no zone " + s.zone + " in " + s.dps)};
  } else {
    return {reject(Code::invalid_package, "give the postcode district or the zone")};
  }
  if (s.quantity <= 0 || s.quantity > 100'000)
    return {reject(Code::invalid_package, "quantity must be 1..100000 (minutes a week, places or sessions)")};
  if (s.visits.visits_per_day < 0 || s.visits.minutes_per_visit < 0 || s.visits.days_per_week < 0 ||
      s.visits.visits_per_day > 12 || s.visits.days_per_week > 7 || s.visits.minutes_per_visit > 24 * 60)
    return {reject(Code::visit_pattern_mismatch, "visits: up to 12 a day, 7 days a week")};
  if (s.visits.visits_per_day > 0) {
    if (config.lots[lot].unit != Unit::hours)
      return {reject(Code::visit_pattern_mismatch, "a visit pattern needs an hours lot")};
    if (s.visits.minutes_per_week() != s.quantity)
      return {reject(Code::visit_pattern_mismatch,
                     "the visit pattern gives " + std::to_string(s.visits.minutes_per_week()) +
                         " minutes a week, the quantity says " + std::to_string(s.quantity))};
  }
  const Date today = today_;
  if (s.start_date < today)
    return {reject(Code::invalid_date, "start date " + format_date(s.start_date) + " is in the past")};
  if (s.start_date > today + 366)
    return {reject(Code::invalid_date, "start date is more than a year away")};
  if (bad_list(s.needs) || bad_list(s.outcomes) || bad_list(s.must_meet))
    return {reject(Code::invalid_package, "needs, outcomes and must-meet: up to 50 items of 1..200 characters")};
  if (s.price_ceiling < 0) return {reject(Code::invalid_package, "the price ceiling cannot be negative")};
  if (s.window < 0 || s.window > kMaxWindow)
    return {reject(Code::invalid_package, "the response window must be 0 (default) up to 90 days")};
  int route = -1;
  for (std::size_t i = 0; i < config.routes.size() && route < 0; ++i) {
    const auto& when = config.routes[i].when_any_category;
    if (when.empty() || std::any_of(when.begin(), when.end(), [&](const std::string& cat) {
          return std::find(s.categories.begin(), s.categories.end(), cat) != s.categories.end();
        }))
      route = static_cast<int>(i);
  }
  if (route < 0) return {reject(Code::no_route_for_package, "no route of " + s.dps + " takes these categories")};

  posted.package = packages_.size() + 1;
  posted.spec = s;  // the one copy: every market that applies the event shares it
  posted.person = c.person;
  posted.dps = dps;
  posted.lot = lot;
  posted.zone = zone;
  posted.route = route;
  posted.categories = categories;
  posted.urgency = s.urgency == Urgency::urgent ? Urgency::urgent
                   : s.start_date - today > config.windows.planned_after_days ? Urgency::planned
                                                                              : Urgency::standard;
  posted.latest_start = s.start_date + config.windows.start_slack_days;
  posted.at = now_;
  return {};
}

Reply Market::post(PackagePosted posted, Emitter& e) {
  const PackageId id = posted.package;
  e.emit(std::move(posted));
  open_step(packages_[id - 1], 0, e);
  return {Status{}, id};
}

UtcMillis Market::window_close(const Package& p) const {
  const WindowPolicy& w = dps_[p.dps].windows;
  if (p.spec->window > 0) return now_ + p.spec->window;
  switch (p.urgency) {
    case Urgency::urgent: return now_ + w.urgent_window;
    case Urgency::planned: return calendar_.add_working_days(now_, w.planned_working_days);
    case Urgency::standard: break;
  }
  return calendar_.add_working_days(now_, w.standard_working_days);
}

UtcMillis Market::acceptance_deadline(const Package& p) const {
  const WindowPolicy& w = dps_[p.dps].windows;
  if (p.urgency == Urgency::urgent) return now_ + w.urgent_acceptance;
  return calendar_.add_working_days(now_, w.acceptance_working_days);
}

EligibilityQuery Market::query_for(const Package& p, int step) const {
  const bool all_at_once = p.route_tiers.empty();
  // Regulation 34: all at once means every admitted location, whatever its zone, unless the DPS
  // declares zones part of its lots.
  const int zone = all_at_once && !dps_[p.dps].zones_part_of_lots ? -1 : p.zone;
  EligibilityQuery q{p.dps, p.lot, p.categories, zone, all_at_once ? -1 : p.route_tiers[step]};
  // A package that re-procures a handed-back placement is not broadcast to the location that
  // handed it back.
  if (const auto link = replaces_.find(p.id); link != replaces_.end())
    if (const Placement* old = find_placement(link->second); old && !old->hand_back_reason.empty())
      q.handed_back = old->location;
  return q;
}

void Market::open_step(const Package& p, int step, Emitter& e) {
  std::vector<LocationIndex> invited = eligible(query_for(p, step));
  // eligible() reserves for every candidate; this list is kept for the package's life (TierOpened's,
  // shared by every market), so it is trimmed to its size here, not in eligible()'s other callers.
  invited.shrink_to_fit();
  TierOpened opened{p.id, step, now_, window_close(p), std::move(invited)};
  const bool nobody = opened.invited->empty();
  e.emit(std::move(opened));
  if (nobody) cascade(p, TierEndReason::no_eligible_location, e);
}

void Market::cascade(const Package& p, TierEndReason reason, Emitter& e) {
  const int step = p.step;
  e.emit(TierEnded{.package = p.id, .step = step, .at = now_, .detail = {}, .reason = reason});
  const bool last = step + 1 >= static_cast<int>(p.route_tiers.size());
  if (last)
    e.emit(PackageUnsourced{p.id, now_});
  else
    open_step(p, step + 1, e);
}

void Market::conclude_window(const Package& p, Emitter& e) {
  const RankingPolicy& policy = dps_[p.dps].ranking;
  if (policy.auction == AuctionFormat::best_and_final && p.round == 1) {
    const Ranking r = ranking(p.id, false);
    if (r.acceptable_count() >= 2) {
      ShortlistFormed shortlist{p.id, now_, now_ + dps_[p.dps].windows.best_and_final_window, {}};
      for (const auto& offer : r.offers) {
        if (!offer.acceptable || static_cast<int>(shortlist.shortlist.size()) >= policy.shortlist_size) break;
        shortlist.shortlist.push_back({offer.offer.location, offer.rank});
      }
      e.emit(std::move(shortlist));
      return;
    }
  }
  seek_award(p, e);
}

void Market::seek_award(const Package& p, Emitter& e) {
  const Ranking r = ranking(p.id, false);
  const RankedOffer* next = r.next_for_award();
  if (!next) {
    cascade(p,
            r.acceptable_count() == 0 ? TierEndReason::no_acceptable_offer
                                      : TierEndReason::every_acceptable_offer_declined,
            e);
    return;
  }
  if (next->offer.abnormally_low == AbnormallyLow::pending) {
    e.emit(AwardHeld{p.id, next->offer.location, now_});
    return;
  }
  e.emit(AwardOffered{p.id, next->offer.location, now_, acceptance_deadline(p), false, {}});
}

void Market::on_deadline(PackageId id, Emitter& e) {
  const Package& p = packages_[id - 1];
  switch (p.status) {
    case PackageStatus::open:
      e.emit(WindowClosed{id, now_});
      conclude_window(p, e);
      return;
    case PackageStatus::best_and_final:
      e.emit(WindowClosed{id, now_});
      seek_award(p, e);
      return;
    case PackageStatus::award_pending:
      e.emit(AwardDeclined{id, p.award_location, RequestRef{}, now_, true,
                           "no answer by " + format_london(p.award_expires)});
      seek_award(p, e);
      return;
    case PackageStatus::placed:
      end_placement_due(id, e);  // its placement's scheduled end (market_placements.cpp)
      return;
    default:
      // Unreachable: apply() clears the deadline whenever a package leaves these states.
      e.emit(TierEnded{.package = id,
                       .step = p.step,
                       .at = now_,
                       .detail = "a deadline fired while the package was " + std::string(to_string(p.status)),
                       .reason = TierEndReason::unexpected_deadline});
      return;
  }
}

Reply Market::handle(const HoldPackage& c, Emitter& e) {
  const Package* p = find_package(c.package);
  if (!p) return {reject(Code::unknown_package, "no package " + std::to_string(c.package))};
  if (p->status != PackageStatus::open && p->status != PackageStatus::best_and_final)
    return {reject(Code::package_not_open, "only a package open for offers can be held; it is " +
                                               std::string(to_string(p->status)))};
  if (c.reason.empty()) return {reject(Code::reason_required, "a hold needs a reason")};
  e.emit(PackageHeld{c.package, now_, c.reason, c.by});
  return {Status{}, c.package};
}

Reply Market::handle(const ReleasePackage& c, Emitter& e) {
  const Package* p = find_package(c.package);
  if (!p) return {reject(Code::unknown_package, "no package " + std::to_string(c.package))};
  if (p->status != PackageStatus::on_hold)
    return {reject(Code::package_not_on_hold, "package " + std::to_string(c.package) + " is not on hold")};
  e.emit(PackageReleased{c.package, now_, now_ + p->hold_remaining, c.by});
  return {Status{}, c.package};
}

Reply Market::handle(const CancelPackage& c, Emitter& e) {
  const Package* p = find_package(c.package);
  if (!p) return {reject(Code::unknown_package, "no package " + std::to_string(c.package))};
  if (is_closed(p->status) || p->status == PackageStatus::placed)
    return {reject(Code::package_closed, "package is already " + std::string(to_string(p->status)) +
                                             (p->status == PackageStatus::placed ? " (end its placement instead)" : ""))};
  if (c.reason.empty()) return {reject(Code::reason_required, "a cancellation needs a reason")};
  e.emit(PackageCancelled{c.package, now_, c.reason, c.by});
  return {Status{}, c.package};
}

Reply Market::handle(const CloseForDirectPayment& c, Emitter& e) {
  const Package* p = find_package(c.package);
  if (!p) return {reject(Code::unknown_package, "no package " + std::to_string(c.package))};
  if (is_closed(p->status) || p->status == PackageStatus::placed)
    return {reject(Code::package_closed, "package is already " + std::string(to_string(p->status)) +
                                             (p->status == PackageStatus::placed ? " (end its placement instead)" : ""))};
  e.emit(PackageClosedForDirectPayment{c.package, now_, c.by});
  return {Status{}, c.package};
}

Reply Market::handle(const DecideAbnormallyLow& c, Emitter& e) {
  const Package* p = find_package(c.package);
  if (!p) return {reject(Code::unknown_package, "no package " + std::to_string(c.package))};
  const auto loc = find_location(c.location);
  if (!loc) return {reject(Code::unknown_location, "no location " + c.location)};
  const Offer* offer = p->offer_of(*loc);
  if (!offer) return {reject(Code::no_offer, c.location + " has no offer on this package")};
  if (offer->abnormally_low == AbnormallyLow::not_flagged)
    return {reject(Code::not_abnormally_low, "the offer is not flagged abnormally low")};
  if (offer->abnormally_low != AbnormallyLow::pending)
    return {reject(Code::decision_already_made, "the offer was already " +
                                                   std::string(to_string(offer->abnormally_low)))};
  if (c.officer.empty() || c.reason.empty())
    return {reject(Code::reason_required, "record the officer and the reason for the decision")};
  const bool was_waiting = p->status == PackageStatus::awaiting_decision;
  e.emit(AbnormallyLowDecided{c.package, *loc, c.accept, c.officer, c.reason, now_});
  if (was_waiting) seek_award(*p, e);
  return {Status{}, c.package};
}

Reply Market::handle(const AwardToPersonsChoice& c, Emitter& e) {
  const Package* p = find_package(c.package);
  if (!p) return {reject(Code::unknown_package, "no package " + std::to_string(c.package))};
  if (p->status != PackageStatus::open && p->status != PackageStatus::best_and_final &&
      p->status != PackageStatus::awaiting_decision)
    return {reject(Code::package_not_open, "the package is " + std::string(to_string(p->status)))};
  const auto loc = find_location(c.location);
  if (!loc) return {reject(Code::unknown_location, "no location " + c.location)};
  if (c.reason.empty() || c.officer.empty())
    return {reject(Code::reason_required, "a person's-choice award records the officer and the reason")};
  const Location& l = locations_[*loc];
  const Membership* m = l.membership_of(p->dps);
  if (!m || m->status != MembershipStatus::admitted || !((m->lots >> p->lot) & 1U))
    return {reject(Code::not_admitted, c.location + " is not admitted to this DPS and lot")};
  if (PlacementBar bar = placement_bar(l, provider_of(l), p->dps, dps_[p->dps], now_, true); bar.barred())
    return {reject(Code::location_excluded, c.location + " may not take new placements: " + bar.detail)};
  if (p->status != PackageStatus::awaiting_decision) e.emit(WindowClosed{c.package, now_});
  e.emit(AwardOffered{c.package, *loc, now_, acceptance_deadline(*p), true,
                      c.officer + ": " + c.reason, c.officer});
  return {Status{}, c.package};
}

}  // namespace carebroker::engine
