// Live placements: an accepted award opens a placement that runs until an event ends it with a
// reason — its planned end, a hand-back whose notice ran out (re-procured meanwhile as a new
// linked package), the council's end, or the start of the placement that replaces it. A
// placement of any age can be handed back, varied or ended; only an ended one retires.
#include <string>

#include "market_fixture.h"

using namespace carebroker::testing;

namespace {

/// Three Tier 1 South locations (A, B, C) of equal quality; a Tier 2 location T2 of another
/// provider serving every zone.
struct PlacementMarket : MarketFixture {
  explicit PlacementMarket(DpsConfig config = home_care_config()) : MarketFixture(std::move(config)) {
    admit({"A"});
    admit({"B"});
    admit({"C"});
  }
  /// Posts the standard package (four 30-minute visits a day) and places it with `location`
  /// at `price` pence an hour, starting `start`.
  PackageId place(const std::string& location, Pence price = 3000, Date start = 0,
                  PackageSpec spec = standard_package()) {
    if (start == 0) start = today() + 2;
    spec.start_date = start;
    const PackageId id = post(spec);
    REQUIRE(offer(location, id, price, start).ok());
    pass_deadline(id);
    REQUIRE(awarded(id) == location);
    REQUIRE(accept(location, id).ok());
    return id;
  }
  Date today() const { return london_date(market.now()); }
  const Placement& placement(PackageId id) const {
    const Placement* p = market.find_placement(id);
    REQUIRE(p);
    return *p;
  }
  Reply hand_back(const std::string& location, PackageId id, const std::string& reason = "lost two carers") {
    return run(HandBackPackage{provider_of(location), location, request_id(), id, reason});
  }
  Reply accept_variation(const std::string& location, PackageId id) {
    return run(AcceptVariation{provider_of(location), location, request_id(), id});
  }
  /// Moves the clock to 00:00 London on `date`.
  void advance_to(Date date) { must(Tick{london_to_utc(date, 0)}); }
  ProposeVariation variation(PackageId id, std::int64_t minutes, VisitPattern visits, Date effective) const {
    return ProposeVariation{id, minutes, visits, effective, "needs more support at lunchtime", "officer-1"};
  }
};

}  // namespace

TEST_CASE("an accepted award opens a live placement at the offer's rate and start", "[placement]") {
  PlacementMarket f;
  const PackageId id = f.place("B", 3150, kMonday + 3);
  CHECK(f.status(id) == PackageStatus::placed);
  CHECK_FALSE(is_closed(PackageStatus::placed));
  const Placement& p = f.placement(id);
  CHECK(f.location_id(p.location) == "B");
  CHECK(p.rate == 3150);
  CHECK(p.start == kMonday + 3);
  CHECK(p.quantity == 840);
  CHECK(p.status == PlacementStatus::live);
  CHECK(scheduled_end(p).on == 0);  // open-ended until a planned end is set
}

TEST_CASE("a placement awarded 400 simulated days ago can still be handed back", "[placement]") {
  PlacementMarket f;  // closed packages retire after 90 days
  const PackageId id = f.place("A");
  f.advance(400 * kMillisPerDay);
  REQUIRE(f.market.find_package(id));
  CHECK_FALSE(f.market.is_retired(id));
  CHECK(f.count<PackageRetired>() == 0);

  REQUIRE(f.hand_back("A", id).ok());
  const Placement& p = f.placement(id);
  CHECK(p.status == PlacementStatus::notice);
  CHECK(p.notice_ends == london_date(f.market.now()) + 28);  // the default notice
  REQUIRE(p.replacement == id + 1);
  CHECK(f.market.replaces_placement(p.replacement) == id);
  CHECK(f.status(id) == PackageStatus::placed);  // care continues during the notice
  CHECK(f.status(p.replacement) == PackageStatus::open);
  CHECK(f.tier(p.replacement) == "tier1");
  CHECK(f.package(p.replacement).spec->quantity == 840);
  CHECK(f.count<PlacementHandedBack>() == 1);
  CHECK(f.count<PackageHandedBack>() == 0);  // the old immediate hand-back is for old journals only
}

TEST_CASE("a hand-back's notice running out ends the placement, which then retires", "[placement]") {
  DpsConfig config = home_care_config();
  config.windows.hand_back_notice_days = 14;
  config.windows.retain_closed_days = 30;
  PlacementMarket f(config);
  const PackageId id = f.place("A");
  REQUIRE(f.hand_back("A", id).ok());
  const Date notice_ends = f.placement(id).notice_ends;
  CHECK(notice_ends == f.today() + 14);
  f.advance_to(notice_ends - 1);
  CHECK(f.placement(id).status == PlacementStatus::notice);
  f.advance_to(notice_ends);
  CHECK(f.placement(id).status == PlacementStatus::ended);
  CHECK(f.placement(id).end_reason == PlacementEndReason::handed_back);
  CHECK(f.placement(id).ended_on == notice_ends);
  CHECK(f.status(id) == PackageStatus::ended);
  f.advance(31 * kMillisPerDay);
  CHECK(f.market.is_retired(id));
  CHECK(f.market.find_placement(id) == nullptr);
}

TEST_CASE("a hand-back by another provider, of an unknown placement or twice is refused", "[placement]") {
  PlacementMarket f;
  const PackageId id = f.place("A");
  expect_rejected(f, HandBackPackage{"P-B", "B", "hb-1", id, "not ours"}, Code::package_not_placed);
  expect_rejected(f, HandBackPackage{"P-B", "A", "hb-2", id, "not our location"}, Code::location_not_of_provider);
  expect_rejected(f, HandBackPackage{"P-A", "A", "hb-3", 99, "no such package"}, Code::unknown_package);
  const PackageId open = f.post();
  expect_rejected(f, HandBackPackage{"P-A", "A", "hb-4", open, "not placed"}, Code::package_not_placed);
  expect_rejected(f, HandBackPackage{"P-A", "A", "hb-5", id, ""}, Code::reason_required);
  REQUIRE(f.hand_back("A", id).ok());
  expect_rejected(f, HandBackPackage{"P-A", "A", "hb-6", id, "again"}, Code::placement_handed_back);
}

TEST_CASE("the replacement's placement starting ends the handed-back one", "[placement]") {
  PlacementMarket f;
  const PackageId id = f.place("A");
  REQUIRE(f.hand_back("A", id).ok());
  const PackageId replacement = f.placement(id).replacement;
  const Date new_start = london_date(f.market.now()) + 5;
  REQUIRE(f.offer("B", replacement, 3100, new_start).ok());
  f.pass_deadline(replacement);
  REQUIRE(f.accept("B", replacement).ok());
  CHECK(f.placement(replacement).status == PlacementStatus::live);
  CHECK(scheduled_end(f.placement(id)).on == new_start);
  CHECK(scheduled_end(f.placement(id)).reason == PlacementEndReason::replaced);
  f.advance_to(new_start - 1);
  CHECK(f.placement(id).status == PlacementStatus::notice);  // both run until the new one starts
  f.advance_to(new_start);
  CHECK(f.placement(id).end_reason == PlacementEndReason::replaced);
  CHECK(f.status(id) == PackageStatus::ended);
  CHECK(f.placement(replacement).status == PlacementStatus::live);
}

TEST_CASE("the council ends a placement for one of its reasons, today or on a later date", "[placement]") {
  PlacementMarket f;
  const PackageId id = f.place("A");
  expect_rejected(f, EndPlacement{id, PlacementEndReason::planned_end, 0, "officer-1"}, Code::invalid_end_reason);
  expect_rejected(f, EndPlacement{id, PlacementEndReason::handed_back, 0, "officer-1"}, Code::invalid_end_reason);
  expect_rejected(f, EndPlacement{id, PlacementEndReason::replaced, 0, "officer-1"}, Code::invalid_end_reason);
  expect_rejected(f, EndPlacement{id, PlacementEndReason::hospital, 0, ""}, Code::reason_required);
  expect_rejected(f, EndPlacement{id, PlacementEndReason::hospital, kMonday - 10, "officer-1"}, Code::invalid_date);
  expect_rejected(f, EndPlacement{99, PlacementEndReason::hospital, 0, "officer-1"}, Code::unknown_package);
  expect_rejected(f, EndPlacement{f.post(), PlacementEndReason::hospital, 0, "officer-1"}, Code::no_placement);

  const Date on = kMonday + 10;
  REQUIRE(f.run(EndPlacement{id, PlacementEndReason::residential_care, on, "officer-1"}).ok());
  CHECK(f.placement(id).status == PlacementStatus::live);
  f.advance_to(on);
  CHECK(f.placement(id).end_reason == PlacementEndReason::residential_care);
  CHECK(f.placement(id).ended_by == "officer-1");
  CHECK(f.status(id) == PackageStatus::ended);
}

TEST_CASE("ending an ended placement, or handing it back or varying it, is refused", "[placement]") {
  PlacementMarket f;
  const PackageId id = f.place("A");
  REQUIRE(f.run(EndPlacement{id, PlacementEndReason::died, 0, "officer-1"}).ok());
  CHECK(f.placement(id).ended_on == f.today());
  expect_rejected(f, EndPlacement{id, PlacementEndReason::died, 0, "officer-1"}, Code::placement_ended);
  expect_rejected(f, SetPlannedEnd{id, kMonday + 30, "officer-1"}, Code::placement_ended);
  expect_rejected(f, f.variation(id, 7 * 60 * 4, {4, 60, 7}, kMonday + 3), Code::placement_ended);
  expect_rejected(f, HandBackPackage{"P-A", "A", "hb-ended", id, "too late"}, Code::package_not_placed);
  expect_rejected(f, CancelPackage{id, "gone"}, Code::package_closed);
}

TEST_CASE("a placed package cannot be cancelled: its placement is ended instead", "[placement]") {
  PlacementMarket f;
  const PackageId id = f.place("A");
  expect_rejected(f, CancelPackage{id, "moved"}, Code::package_closed);
  expect_rejected(f, CloseForDirectPayment{id}, Code::package_closed);
}

TEST_CASE("a planned end is reached by the clock", "[placement]") {
  PlacementMarket f;
  const PackageId id = f.place("A");
  const Date today = f.today(), start = f.placement(id).start;
  expect_rejected(f, SetPlannedEnd{id, today, "officer-1"}, Code::invalid_date);
  expect_rejected(f, SetPlannedEnd{id, start, "officer-1"}, Code::invalid_date);
  expect_rejected(f, SetPlannedEnd{id, today + 4000, "officer-1"}, Code::invalid_date);
  expect_rejected(f, SetPlannedEnd{id, today + 60, ""}, Code::reason_required);
  REQUIRE(f.run(SetPlannedEnd{id, today + 60, "officer-1"}).ok());
  CHECK(f.market.next_deadline() == london_to_utc(today + 60, 0));
  f.advance_to(today + 59);
  CHECK(f.placement(id).is_live());
  f.advance_to(today + 60);
  CHECK(f.placement(id).end_reason == PlacementEndReason::planned_end);
  CHECK(f.count<PlacementEnded>() == 1);
}

TEST_CASE("a variation with bad hours, or while another waits, is refused", "[placement][variation]") {
  PlacementMarket f;
  const PackageId id = f.place("A");
  expect_rejected(f, f.variation(id, 0, {}, kMonday + 3), Code::invalid_variation);
  expect_rejected(f, f.variation(id, -60, {}, kMonday + 3), Code::invalid_variation);
  expect_rejected(f, f.variation(id, 100'001, {}, kMonday + 3), Code::invalid_variation);
  expect_rejected(f, f.variation(id, 900, {4, 30, 7}, kMonday + 3), Code::invalid_variation);  // 840 ≠ 900
  expect_rejected(f, f.variation(id, 840, {13, 30, 7}, kMonday + 3), Code::invalid_variation);
  expect_rejected(f, f.variation(id, 840, {4, 30, 7}, kMonday + 3), Code::invalid_variation);  // no change
  expect_rejected(f, f.variation(id, 1260, {6, 30, 7}, kMonday - 1), Code::invalid_date);
  expect_rejected(f, ProposeVariation{id, 1260, {6, 30, 7}, kMonday + 3, "", "officer-1"}, Code::reason_required);
  expect_rejected(f, f.variation(99, 1260, {6, 30, 7}, kMonday + 3), Code::unknown_package);
  REQUIRE(f.run(f.variation(id, 1260, {6, 30, 7}, kMonday + 3)).ok());
  expect_rejected(f, f.variation(id, 420, {2, 30, 7}, kMonday + 3), Code::variation_pending);
}

TEST_CASE("the provider accepts a variation and the placement runs at its hours", "[placement][variation]") {
  PlacementMarket f;
  const PackageId id = f.place("A");
  expect_rejected(f, AcceptVariation{"P-A", "A", "v-0", id}, Code::no_variation_pending);
  REQUIRE(f.run(f.variation(id, 1260, {6, 30, 7}, kMonday + 3)).ok());
  expect_rejected(f, AcceptVariation{"P-B", "B", "v-1", id}, Code::package_not_placed);
  expect_rejected(f, AcceptVariation{"P-A", "A", "", id}, Code::request_id_missing);
  REQUIRE(f.run(AcceptVariation{"P-A", "A", "v-2", id}).ok());
  CHECK(f.run(AcceptVariation{"P-A", "A", "v-2", id}).replayed);  // a retry gets the first answer
  const Placement& p = f.placement(id);
  CHECK(p.quantity == 1260);
  CHECK(p.visits == VisitPattern{6, 30, 7});
  CHECK(p.varied_from == kMonday + 3);
  CHECK(p.variations == 1);
  CHECK_FALSE(p.has_pending_variation);
  CHECK(f.market.placed_load(p.location, 0) == 1260);
}

TEST_CASE("an officer sends a variation to market as a new linked package", "[placement][variation]") {
  PlacementMarket f;
  const PackageId id = f.place("A");
  expect_rejected(f, SendVariationToMarket{id, "officer-1"}, Code::no_variation_pending);
  REQUIRE(f.run(f.variation(id, 1260, {6, 30, 7}, kMonday + 5)).ok());
  expect_rejected(f, SendVariationToMarket{id, ""}, Code::reason_required);
  REQUIRE(f.run(SendVariationToMarket{id, "officer-2"}).ok());
  const PackageId replacement = f.placement(id).replacement;
  REQUIRE(replacement == id + 1);
  CHECK(f.market.replaces_placement(replacement) == id);
  CHECK(f.package(replacement).spec->quantity == 1260);
  CHECK(f.package(replacement).spec->start_date == kMonday + 5);
  CHECK(f.placement(id).quantity == 840);  // the old hours run until the new placement starts
  expect_rejected(f, AcceptVariation{"P-A", "A", "v-late", id}, Code::no_variation_pending);
  REQUIRE(f.offer("C", replacement, 3200, kMonday + 5).ok());
  f.pass_deadline(replacement);
  REQUIRE(f.accept("C", replacement).ok());
  f.advance_to(kMonday + 5);
  CHECK(f.placement(id).end_reason == PlacementEndReason::replaced);
  CHECK(f.placement(replacement).quantity == 1260);
}

TEST_CASE("who is affected: live placements by provider with weekly hours and value", "[placement][affected]") {
  PlacementMarket f;
  f.admit({.id = "B2", .provider = "P-B"});  // a second location of provider P-B
  const PackageId a = f.place("A", 3000);
  const PackageId b = f.place("B", 3100);
  PackageSpec double_handed = MarketFixture::standard_package();
  double_handed.double_handed = true;
  const PackageId b2 = f.place("B2", 3400, 0, double_handed);
  const PackageId ended = f.place("C", 2900);
  REQUIRE(f.run(EndPlacement{ended, PlacementEndReason::moved, 0, "officer-1"}).ok());

  const AffectedPlacements all = f.market.affected({});
  REQUIRE(all.rows.size() == 3);  // the ended one is no longer affected
  CHECK(all.rows[0].placement->package == a);
  CHECK(all.rows[0].person_minutes == 840);
  CHECK(all.rows[0].weekly_value == 3000 * 14);
  CHECK(all.rows[2].placement->package == b2);
  CHECK(all.rows[2].carer_minutes == 1680);  // double-handed: two carers per call
  CHECK(all.rows[2].weekly_value == 3400 * 28);

  const AffectedPlacements p_b = f.market.affected({.provider = "P-B"});
  REQUIRE(p_b.providers.size() == 1);
  CHECK(p_b.providers[0].provider == "P-B");
  CHECK(p_b.providers[0].people == 2);
  CHECK(p_b.providers[0].person_minutes == 1680);
  CHECK(p_b.providers[0].carer_minutes == 840 + 1680);
  CHECK(p_b.providers[0].weekly_value == 3100 * 14 + 3400 * 28);
  CHECK(f.market.affected({.location = "B2"}).rows.size() == 1);
  CHECK(f.market.affected({.zone = "south"}).rows.size() == 3);
  CHECK(f.market.affected({.zone = "north"}).rows.empty());
  CHECK(f.market.affected({.dps = "home-care", .category = "older_people"}).rows.size() == 3);
  CHECK(f.market.affected({.category = "dementia"}).rows.empty());
  CHECK(f.market.affected({.dps = "other"}).rows.empty());
  (void)b;
}

TEST_CASE("a location at capacity is still broadcast, with a warning, unless the DPS excludes it", "[placement][capacity]") {
  DpsConfig config = home_care_config();
  PlacementMarket f(config);
  // A declares 14 hours a week: one standard package (840 minutes) fills it.
  f.must(UpdateMembership{"A", "home-care", {"hc"}, {"older_people", "dementia", "physical_disability"}, {"south"}, "tier1", 14});
  f.place("A");
  const LocationIndex a = *f.market.find_location("A");
  CHECK(f.market.at_capacity(a, 0));
  const auto rows = f.market.capacity(0);
  REQUIRE(rows.size() == 3);
  CHECK(rows[0].location == "A");
  CHECK(rows[0].placed_load == 840);
  CHECK(rows[0].at_capacity);
  CHECK_FALSE(rows[1].at_capacity);

  const PackageId next = f.post();
  CHECK(f.invited(next) == std::vector<std::string>{"A", "B", "C"});
  const auto view = f.market.officer_view(next);
  REQUIRE(view);
  CHECK(view->at_capacity == std::vector<LocationIndex>{a});

  config.risk.at_capacity_excludes_from_broadcast = true;
  f.must(ConfigureDps{config});
  const PackageId excluded = f.post();
  CHECK(f.invited(excluded) == std::vector<std::string>{"B", "C"});
  CHECK(f.exclusion_rule(excluded, "A") == "at_capacity");
}

TEST_CASE("an old journal's immediate hand-back replays as it did: the same package is procured again", "[placement][fixture]") {
  PlacementMarket f;
  const PackageId id = f.place("A");
  Market replica;
  replica.apply(f.events);
  REQUIRE(replica.find_placement(id));
  // What the engine wrote for a hand-back before live placements: PackageHandedBack, then the
  // first tier opened again for the same package.
  const UtcMillis at = f.market.now();
  replica.apply(PackageHandedBack{id, *f.market.find_location("A"), RequestRef{"P-A", "old-hb", 1}, at, "staff"});
  replica.apply(TierOpened{id, 0, at, at + kMillisPerDay, std::vector<LocationIndex>{0, 1, 2}});
  const Package* p = replica.find_package(id);
  REQUIRE(p);
  CHECK(p->status == PackageStatus::open);
  CHECK(p->hand_backs == 1);
  CHECK(replica.find_placement(id) == nullptr);
  CHECK(replica.placed_load(0, 0) == 0);
}

TEST_CASE("placements survive a snapshot and a replay of the journal", "[placement][snapshot]") {
  PlacementMarket f;
  const PackageId id = f.place("A");
  const PackageId other = f.place("B");
  REQUIRE(f.run(SetPlannedEnd{other, kMonday + 100, "officer-1"}).ok());
  REQUIRE(f.hand_back("A", id).ok());
  REQUIRE(f.run(f.variation(other, 1260, {6, 30, 7}, f.today() + 3)).ok());

  Market replayed;
  replayed.apply(f.events);
  CHECK(replayed.digest() == f.market.digest());

  Market restored;
  REQUIRE(restored.load_snapshot(f.market.save_snapshot()).ok());
  CHECK(restored.digest() == f.market.digest());
  CHECK(restored.next_deadline() == f.market.next_deadline());
  CHECK(restored.placed_load(0, 0) == f.market.placed_load(0, 0));
  REQUIRE(restored.find_placement(other));
  CHECK(restored.find_placement(other)->has_pending_variation);
}

TEST_CASE("a contract's termination ends a placement with the terminated reason", "[placement]") {
  // The hook for contract actions (issue 10, item 4): the same officer command, with its reason.
  PlacementMarket f;
  const PackageId id = f.place("A");
  const Date transition_ends = f.today() + 14;  // kept for a stated transition period
  REQUIRE(f.run(EndPlacement{id, PlacementEndReason::terminated, transition_ends, "commissioner-1"}).ok());
  CHECK(scheduled_end(f.placement(id)).reason == PlacementEndReason::terminated);
  f.advance_to(transition_ends);
  CHECK(f.placement(id).end_reason == PlacementEndReason::terminated);
  CHECK(f.placement(id).ended_on == transition_ends);
  CHECK(f.placement(id).ended_by == "commissioner-1");
}

TEST_CASE("the location that handed a placement back is not invited to the package that replaces it", "[placement]") {
  PlacementMarket f;
  const PackageId id = f.place("A");
  REQUIRE(f.hand_back("A", id).ok());
  const PackageId replacement = f.placement(id).replacement;
  CHECK(f.invited(replacement) == std::vector<std::string>{"B", "C"});
  CHECK(f.exclusion_rule(replacement, "A") == "handed_back");
  CHECK(f.offer("A", replacement, 3000).status.code == Code::not_broadcast_to_location);
}

namespace {

ProposeVariation by_schedule(PackageId id, std::vector<VisitCall> calls, Date effective, std::int64_t minutes = 0) {
  return ProposeVariation{id, minutes, {}, effective, "tea call no longer needed", "officer-1", std::move(calls)};
}

}  // namespace

TEST_CASE("a variation by schedule gives its hours from the calls, in force from its date", "[placement]") {
  PlacementMarket f;
  const PackageId id = f.place("A");  // 840 minutes a week as four visits a day
  const Date effective = f.today() + 7;
  REQUIRE(f.run(by_schedule(id, three_calls_a_day(2), effective)).ok());
  CHECK(f.placement(id).pending.quantity == 630);
  REQUIRE(f.accept_variation("A", id).ok());
  const Placement& p = f.placement(id);
  CHECK(p.quantity == 630);
  CHECK(p.schedule.size() == 21);
  CHECK(p.double_handed);
  CHECK(p.quantity_on(effective - 1) == 840);  // the hours agreed before, until the variation's date
  CHECK(p.quantity_on(effective) == 630);
  // Who is affected counts the hours in force today, then the varied ones.
  CHECK(f.market.affected({}).rows.at(0).person_minutes == 840);
  f.advance_to(effective);
  const auto rows = f.market.affected({}).rows;
  CHECK(rows.at(0).person_minutes == 630);
  CHECK(rows.at(0).carer_minutes == 630 + 7 * 30);  // the double-handed evening call twice
}

TEST_CASE("a variation with overlapping calls, a call past midnight or hours that disagree is refused", "[placement]") {
  PlacementMarket f;
  const PackageId id = f.place("A");
  const Date effective = f.today() + 7;
  expect_rejected(f, by_schedule(id, {{0, at(8), 60, 1}, {0, at(8, 30), 30, 1}}, effective), Code::schedule_calls_overlap);
  expect_rejected(f, by_schedule(id, {{4, at(23, 30), 60, 1}}, effective), Code::schedule_call_past_midnight);
  expect_rejected(f, by_schedule(id, three_calls_a_day(2), effective, 700), Code::invalid_variation);
  ProposeVariation both = by_schedule(id, three_calls_a_day(2), effective);
  both.visits = {3, 30, 7};
  expect_rejected(f, both, Code::invalid_variation);
  REQUIRE(f.run(by_schedule(id, three_calls_a_day(2), effective, 630)).ok());
  REQUIRE(f.accept_variation("A", id).ok());
  // Once it runs to a schedule, it is varied by a schedule.
  expect_rejected(f, f.variation(id, 1260, {6, 30, 7}, effective), Code::invalid_variation);
  expect_rejected(f, by_schedule(id, three_calls_a_day(2), effective), Code::invalid_variation);  // no change
}
