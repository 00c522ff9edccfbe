// The award: at the window's close the top acceptable offer is offered the award; the location
// accepts (placed), declines or lets it lapse (next offer). An abnormally low top offer holds
// the award for an officer's decision. The person's own choice can override the ranking.
// Officers can cancel, hold and release, or close for a direct payment; a provider can hand back.
#include <string>

#include "market_fixture.h"

using namespace carebroker::testing;

namespace {

/// Three Tier 1 South locations of quality 75. Posted Monday 09:00; the window closes
/// Wednesday 25 November 09:00.
struct AwardMarket : MarketFixture {
  explicit AwardMarket(DpsConfig config = home_care_config()) : MarketFixture(std::move(config)) {
    admit({"A"});
    admit({"B"});
    admit({"C"});
  }
  LocationIndex index(const std::string& id) const { return *market.find_location(id); }
  DecideAbnormallyLow decide(PackageId id, const std::string& location, bool accept) const {
    return DecideAbnormallyLow{id, location, accept, "officer-1", "explanation judged"};
  }
};

}  // namespace

TEST_CASE("at the window's close the top acceptable offer is offered the award, accepting places it", "[award]") {
  AwardMarket f;
  const PackageId id = f.post();
  REQUIRE(f.offer("A", id, 3000).ok());
  REQUIRE(f.offer("B", id, 2900).ok());  // same quality, cheaper: ranked first
  f.advance(kMillisPerHour);
  CHECK(f.status(id) == PackageStatus::open);
  CHECK(f.count<AwardOffered>() == 0);

  f.pass_deadline(id);
  CHECK(f.market.now() == london_at("2026-11-25", 9));
  CHECK(f.status(id) == PackageStatus::award_pending);
  CHECK(f.awarded(id) == "B");
  CHECK(f.count<AwardOffered>() == 1);
  CHECK(f.package(id).award_expires == london_at("2026-11-26", 9));  // one working day to answer

  REQUIRE(f.accept("B", id).ok());
  CHECK(f.status(id) == PackageStatus::placed);
  CHECK(f.count<AwardAccepted>() == 1);
  CHECK(f.package(id).closed_at == london_at("2026-11-25", 9));
  f.advance(7 * kMillisPerDay);  // no deadline is left to fire
  CHECK(f.status(id) == PackageStatus::placed);
  CHECK(f.count<AwardDeclined>() == 0);
}

TEST_CASE("a declined award goes to the next offer", "[award]") {
  AwardMarket f;
  const PackageId id = f.post();
  REQUIRE(f.offer("A", id, 3000).ok());
  REQUIRE(f.offer("B", id, 2900).ok());
  f.pass_deadline(id);
  REQUIRE(f.awarded(id) == "B");
  REQUIRE(f.decline("B", id).ok());
  CHECK(f.status(id) == PackageStatus::award_pending);
  CHECK(f.awarded(id) == "A");
  CHECK(f.package(id).declines == 1);
  CHECK(f.package(id).offer_of(f.index("B"))->declined);
  CHECK(f.count<AwardDeclined>() == 1);
  CHECK_FALSE(std::get<AwardDeclined>(f.events[f.events.size() - 2]).timed_out);
  REQUIRE(f.accept("A", id).ok());
  CHECK(f.status(id) == PackageStatus::placed);
}

TEST_CASE("an award not answered within one working day lapses to the next offer", "[award]") {
  AwardMarket f;
  const PackageId id = f.post();
  REQUIRE(f.offer("A", id, 3000).ok());
  REQUIRE(f.offer("B", id, 2900).ok());
  f.pass_deadline(id);
  REQUIRE(f.awarded(id) == "B");
  f.must(Tick{london_at("2026-11-26", 9) - 1});
  CHECK(f.awarded(id) == "B");
  f.must(Tick{london_at("2026-11-26", 9)});
  CHECK(f.awarded(id) == "A");
  REQUIRE(f.count<AwardDeclined>() == 1);
  for (const auto& e : f.events)
    if (const auto* d = std::get_if<AwardDeclined>(&e)) CHECK(d->timed_out);
  CHECK(f.package(id).award_expires == london_at("2026-11-27", 9));
  expect_rejected(f, AcceptAward{"P-B", "B", "late", id}, Code::award_not_for_location);
}

TEST_CASE("an urgent award must be answered within two hours", "[award]") {
  AwardMarket f;
  PackageSpec spec = MarketFixture::standard_package();
  spec.urgency = Urgency::urgent;
  const PackageId id = f.post(spec);
  REQUIRE(f.offer("A", id, 3000).ok());
  REQUIRE(f.offer("B", id, 2900).ok());
  f.pass_deadline(id);
  CHECK(f.market.now() == kMonday9am + 4 * kMillisPerHour);
  REQUIRE(f.awarded(id) == "B");
  CHECK(f.package(id).award_expires == kMonday9am + 6 * kMillisPerHour);
  f.pass_deadline(id);
  CHECK(f.awarded(id) == "A");
  CHECK(f.package(id).award_expires == kMonday9am + 8 * kMillisPerHour);
}

// Fair cost £32.14; 85% of it is 2731.9p: 2731 is flagged, 2732 is not.
TEST_CASE("an offer below 85% of the fair cost of care is flagged abnormally low", "[award]") {
  AwardMarket f;
  const PackageId id = f.post();
  REQUIRE(f.offer("A", id, 2731).ok());
  REQUIRE(f.offer("B", id, 2732).ok());
  CHECK(f.package(id).offer_of(f.index("A"))->abnormally_low == AbnormallyLow::pending);
  CHECK(f.package(id).offer_of(f.index("B"))->abnormally_low == AbnormallyLow::not_flagged);
  // Raising the price clears the flag.
  REQUIRE(f.amend("A", id, 2900).ok());
  CHECK(f.package(id).offer_of(f.index("A"))->abnormally_low == AbnormallyLow::not_flagged);
}

TEST_CASE("an abnormally low offer is held, then rejected, and the package re-ranks", "[award]") {
  AwardMarket f;
  const PackageId id = f.post();
  REQUIRE(f.offer("A", id, 2731).ok());  // 0.4 + 0.45 = 0.85: top
  REQUIRE(f.offer("B", id, 3000).ok());  // 0.4 × 2731/3000 + 0.45 = 0.8141
  REQUIRE(f.offer("C", id, 3200).ok());
  f.pass_deadline(id);
  CHECK(f.status(id) == PackageStatus::awaiting_decision);
  CHECK(f.count<AwardHeld>() == 1);
  CHECK(f.count<AwardOffered>() == 0);
  CHECK(f.market.ranking(id).lowest == 2731);
  f.advance(7 * kMillisPerDay);  // the award waits for the officer, however long
  CHECK(f.status(id) == PackageStatus::awaiting_decision);

  REQUIRE(f.run(f.decide(id, "A", false)).ok());
  CHECK(f.count<AbnormallyLowDecided>() == 1);
  const Ranking r = f.market.ranking(id);
  CHECK(r.lowest == 3000);
  CHECK(f.rank_order(id) == std::vector<std::string>{"B", "C"});
  CHECK(r.find(f.index("A"))->failed_gate == OfferGate::rejected_abnormally_low);
  CHECK(r.find(f.index("A"))->not_acceptable_reason.find("abnormally low") != std::string::npos);
  CHECK(f.status(id) == PackageStatus::award_pending);
  CHECK(f.awarded(id) == "B");
}

TEST_CASE("an abnormally low offer whose explanation is accepted proceeds to the award", "[award]") {
  AwardMarket f;
  const PackageId id = f.post();
  REQUIRE(f.offer("A", id, 2731).ok());
  REQUIRE(f.offer("B", id, 3000).ok());
  f.pass_deadline(id);
  REQUIRE(f.status(id) == PackageStatus::awaiting_decision);
  REQUIRE(f.run(f.decide(id, "A", true)).ok());
  CHECK(f.package(id).offer_of(f.index("A"))->abnormally_low == AbnormallyLow::accepted);
  CHECK(f.market.ranking(id).lowest == 2731);
  CHECK(f.awarded(id) == "A");
  REQUIRE(f.accept("A", id).ok());
  CHECK(f.status(id) == PackageStatus::placed);
}

TEST_CASE("an abnormally-low decision needs a flagged offer, one decision, an officer and a reason", "[award]") {
  AwardMarket f;
  const PackageId id = f.post();
  REQUIRE(f.offer("A", id, 2731).ok());
  REQUIRE(f.offer("B", id, 3000).ok());
  f.pass_deadline(id);
  expect_rejected(f, f.decide(id, "B", false), Code::not_abnormally_low);
  expect_rejected(f, f.decide(id, "C", false), Code::no_offer);
  expect_rejected(f, f.decide(id, "NOPE", false), Code::unknown_location);
  expect_rejected(f, f.decide(99, "A", false), Code::unknown_package);
  expect_rejected(f, DecideAbnormallyLow{id, "A", false, "officer-1", ""}, Code::reason_required);
  expect_rejected(f, DecideAbnormallyLow{id, "A", false, "", "too cheap"}, Code::reason_required);
  CHECK(f.status(id) == PackageStatus::awaiting_decision);
  REQUIRE(f.run(f.decide(id, "A", true)).ok());
  expect_rejected(f, f.decide(id, "A", false), Code::decision_already_made);
  CHECK(f.awarded(id) == "A");
}

TEST_CASE("on an urgent package the first acceptable offer wins when the DPS says so", "[award]") {
  DpsConfig config = home_care_config();
  config.ranking.first_acceptable_wins_urgent = true;
  AwardMarket f(config);
  f.admit({.id = "Q", .cqc = CqcRating::requires_improvement,
           .pamms = PammsRating::requires_improvement, .self_assessment = 35});  // quality 39
  PackageSpec urgent = MarketFixture::standard_package();
  urgent.urgency = Urgency::urgent;
  const PackageId id = f.post(urgent);
  const PackageId standard = f.post();

  REQUIRE(f.offer("Q", id, 3000).ok());  // below the minimum quality: not acceptable
  REQUIRE(f.offer("A", id, 2700).ok());  // abnormally low: waits for the ranking
  CHECK(f.status(id) == PackageStatus::open);
  f.advance(kMillisPerMinute);
  REQUIRE(f.offer("B", id, 3100).ok());
  CHECK(f.status(id) == PackageStatus::award_pending);
  CHECK(f.awarded(id) == "B");
  CHECK(f.package(id).award_expires == f.market.now() + 2 * kMillisPerHour);
  expect_rejected(f, PlaceOffer{"P-C", "C", "late", id, 2900, kMonday + 2, true, ""},
                  Code::offer_after_close);

  REQUIRE(f.offer("B", standard, 3100).ok());  // only urgent packages
  CHECK(f.status(standard) == PackageStatus::open);

  AwardMarket plain;  // and only where configured
  const PackageId other = plain.post(urgent);
  REQUIRE(plain.offer("B", other, 3100).ok());
  CHECK(plain.status(other) == PackageStatus::open);
}

TEST_CASE("the person's own choice of provider overrides the ranking, with a recorded reason", "[award]") {
  AwardMarket f;
  f.must(RegisterProvider{"P-X", "X Ltd"});
  f.must(RegisterLocation{"X", "P-X", "X branch", "B13 1AA", "Birmingham"});
  f.must(ApplyToDps{"X", "home-care"});  // under assessment: not admitted
  const PackageId id = f.post();
  REQUIRE(f.offer("A", id, 2900).ok());
  REQUIRE(f.offer("B", id, 3000).ok());
  REQUIRE(f.rank_order(id).front() == "A");

  expect_rejected(f, AwardToPersonsChoice{id, "B", "officer-1", ""}, Code::reason_required);
  expect_rejected(f, AwardToPersonsChoice{id, "B", "", "knows the carers"}, Code::reason_required);
  expect_rejected(f, AwardToPersonsChoice{id, "X", "officer-1", "knows the carers"}, Code::not_admitted);
  expect_rejected(f, AwardToPersonsChoice{id, "NOPE", "officer-1", "knows the carers"},
                  Code::unknown_location);
  CHECK(f.status(id) == PackageStatus::open);

  REQUIRE(f.run(AwardToPersonsChoice{id, "B", "officer-1", "knows the carers"}).ok());
  CHECK(f.status(id) == PackageStatus::award_pending);
  CHECK(f.awarded(id) == "B");
  CHECK(f.package(id).persons_choice);
  CHECK(f.package(id).award_reason.find("knows the carers") != std::string::npos);
  expect_rejected(f, AwardToPersonsChoice{id, "A", "officer-1", "changed mind"}, Code::package_not_open);
  REQUIRE(f.accept("B", id).ok());
  CHECK(f.status(id) == PackageStatus::placed);
}

TEST_CASE("only the location offered the award may answer it, and only while it waits", "[award]") {
  AwardMarket f;
  const PackageId id = f.post();
  REQUIRE(f.offer("A", id, 3000).ok());
  REQUIRE(f.offer("B", id, 2900).ok());
  expect_rejected(f, AcceptAward{"P-B", "B", "early-1", id}, Code::no_award_pending);
  expect_rejected(f, DeclineAward{"P-B", "B", "early-2", id, "no"}, Code::no_award_pending);
  f.pass_deadline(id);
  REQUIRE(f.awarded(id) == "B");
  expect_rejected(f, AcceptAward{"P-A", "A", "wrong-1", id}, Code::award_not_for_location);
  expect_rejected(f, DeclineAward{"P-A", "A", "wrong-2", id, "no"}, Code::award_not_for_location);
  REQUIRE(f.accept("B", id).ok());
  expect_rejected(f, AcceptAward{"P-B", "B", "after-1", id}, Code::no_award_pending);
  expect_rejected(f, DeclineAward{"P-B", "B", "after-2", id, "no"}, Code::no_award_pending);
}

TEST_CASE("a package handed back is re-procured from the first tier as a new package", "[award]") {
  AwardMarket f;
  f.admit({.id = "T2", .tier = "tier2", .zones = {"north", "central", "south"}});
  const PackageId id = f.post();
  f.pass_deadline(id);  // nobody at Tier 1 bid
  REQUIRE(f.tier(id) == "tier2");
  REQUIRE(f.offer("T2", id, 3000).ok());
  f.pass_deadline(id);
  REQUIRE(f.accept("T2", id).ok());
  REQUIRE(f.status(id) == PackageStatus::placed);

  expect_rejected(f, HandBackPackage{"P-A", "A", "hb-0", id, "not ours"}, Code::package_not_placed);
  expect_rejected(f, HandBackPackage{"P-T2", "T2", "hb-1", id, ""}, Code::reason_required);
  REQUIRE(f.run(HandBackPackage{"P-T2", "T2", "hb-2", id, "lost two carers"}).ok());
  CHECK(f.count<PlacementHandedBack>() == 1);
  CHECK(f.status(id) == PackageStatus::placed);  // care continues during the notice (placement_test.cpp)
  const PackageId again = id + 1;
  CHECK(f.market.replaces_placement(again) == id);
  CHECK(f.status(again) == PackageStatus::open);
  CHECK(f.package(again).step == 0);
  CHECK(f.tier(again) == "tier1");
  CHECK(f.invited(again) == std::vector<std::string>{"A", "B", "C"});
  CHECK(f.package(again).offers.empty());
  CHECK(f.package(again).closes_at == f.market.calendar().add_working_days(f.market.now(), 2));
  expect_rejected(f, HandBackPackage{"P-T2", "T2", "hb-3", id, "again"}, Code::placement_handed_back);
}

TEST_CASE("a cancelled package takes no more offers and fires no deadline", "[award]") {
  AwardMarket f;
  const PackageId id = f.post();
  REQUIRE(f.offer("A", id, 3000).ok());
  expect_rejected(f, CancelPackage{id, ""}, Code::reason_required);
  expect_rejected(f, CancelPackage{99, "gone"}, Code::unknown_package);
  REQUIRE(f.run(CancelPackage{id, "person moved to residential care"}).ok());
  CHECK(f.status(id) == PackageStatus::cancelled);
  expect_rejected(f, PlaceOffer{"P-B", "B", "c-1", id, 3000, kMonday + 2, true, ""},
                  Code::offer_after_close);
  expect_rejected(f, CancelPackage{id, "again"}, Code::package_closed);
  f.advance(7 * kMillisPerDay);
  CHECK(f.count<WindowClosed>() == 0);
  CHECK(f.count<AwardOffered>() == 0);
}

TEST_CASE("a held package keeps the time left in its window until it is released", "[award]") {
  AwardMarket f;
  const PackageId id = f.post();  // closes Wednesday 09:00: 48 hours
  expect_rejected(f, ReleasePackage{id}, Code::package_not_on_hold);
  f.advance(5 * kMillisPerHour);
  expect_rejected(f, HoldPackage{id, ""}, Code::reason_required);
  REQUIRE(f.run(HoldPackage{id, "awaiting a reassessment"}).ok());
  CHECK(f.status(id) == PackageStatus::on_hold);
  CHECK(f.package(id).hold_remaining == 43 * kMillisPerHour);
  expect_rejected(f, PlaceOffer{"P-A", "A", "h-1", id, 3000, kMonday + 2, true, ""},
                  Code::package_not_open);
  f.advance(3 * kMillisPerDay);  // past the original close: nothing fires
  CHECK(f.status(id) == PackageStatus::on_hold);
  CHECK(f.count<WindowClosed>() == 0);

  REQUIRE(f.run(ReleasePackage{id}).ok());
  CHECK(f.status(id) == PackageStatus::open);
  CHECK(f.package(id).closes_at == f.market.now() + 43 * kMillisPerHour);
  REQUIRE(f.offer("A", id, 3000, kMonday + 3).ok());  // today is Thursday: no earlier start
  f.advance(43 * kMillisPerHour - 1);
  CHECK(f.status(id) == PackageStatus::open);
  f.advance(1);
  CHECK(f.awarded(id) == "A");
}

TEST_CASE("a person who takes a direct payment leaves brokerage", "[award]") {
  AwardMarket f;
  const PackageId id = f.post();
  REQUIRE(f.offer("A", id, 3000).ok());
  f.pass_deadline(id);
  REQUIRE(f.awarded(id) == "A");
  REQUIRE(f.run(CloseForDirectPayment{id}).ok());
  CHECK(f.status(id) == PackageStatus::direct_payment);
  CHECK(f.package(id).closed_at == f.market.now());
  expect_rejected(f, AcceptAward{"P-A", "A", "dp-1", id}, Code::no_award_pending);
  expect_rejected(f, CloseForDirectPayment{id}, Code::package_closed);
  f.advance(7 * kMillisPerDay);  // the award's expiry no longer fires
  CHECK(f.count<AwardDeclined>() == 0);
  CHECK(f.status(id) == PackageStatus::direct_payment);
}
