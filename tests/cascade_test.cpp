// The cascade: a package goes tier by tier along its route. The next tier hears of it only when
// the current one ends with no acceptable offer (or every acceptable offer declined); a tier with
// no eligible location cascades at once; after the last tier the package is unsourced. A strict
// regulation-34 DPS broadcasts to everyone at once instead. Windows depend on urgency.
#include <string>

#include "market_fixture.h"

using namespace carebroker::testing;

namespace {

LocationSpec tier2(std::string id) {
  return {.id = std::move(id), .tier = "tier2", .zones = {"north", "central", "south"}};
}

const TierEnded* last_tier_ended(const MarketFixture& f) {
  const TierEnded* out = nullptr;
  for (const auto& e : f.events)
    if (const auto* t = std::get_if<TierEnded>(&e)) out = t;
  return out;
}

}  // namespace

TEST_CASE("Tier 2 is broadcast only after Tier 1 ends with no acceptable offer", "[cascade]") {
  MarketFixture f;
  f.admit({"A"});
  f.admit({.id = "Q", .cqc = CqcRating::requires_improvement,
           .pamms = PammsRating::requires_improvement, .self_assessment = 35});  // quality 39
  f.admit(tier2("T2"));
  const PackageId id = f.post();
  CHECK(f.tier(id) == "tier1");
  CHECK(f.invited(id) == std::vector<std::string>{"A", "Q"});
  CHECK_FALSE(f.market.provider_view(id, "T2"));
  const Reply early = f.run(PlaceOffer{"P-T2", "T2", "t2-early", id, 3000, kMonday + 2, true, ""});
  CHECK(early.status.code == Code::not_broadcast_to_location);
  REQUIRE(f.offer("Q", id, 2900).ok());  // an offer, but not an acceptable one

  f.must(Tick{london_at("2026-11-25", 9) - 1});  // a millisecond before Tier 1's close
  CHECK(f.tier(id) == "tier1");
  CHECK(f.count<TierOpened>() == 1);

  f.must(Tick{london_at("2026-11-25", 9)});
  REQUIRE(last_tier_ended(f));
  CHECK(last_tier_ended(f)->step == 0);
  CHECK(last_tier_ended(f)->reason == TierEndReason::no_acceptable_offer);
  CHECK(f.count<TierOpened>() == 2);
  CHECK(f.tier(id) == "tier2");
  CHECK(f.status(id) == PackageStatus::open);
  CHECK(f.invited(id) == std::vector<std::string>{"T2"});
  CHECK(f.package(id).tiers_tried == 2);
  CHECK(f.package(id).offers.empty());  // Tier 1's offers stay behind
  CHECK(f.package(id).closes_at == london_at("2026-11-27", 9));  // a fresh 2-working-day window
  REQUIRE(f.offer("T2", id, 3000).ok());
  f.pass_deadline(id);
  CHECK(f.awarded(id) == "T2");
}

TEST_CASE("Tier 2 is not broadcast while Tier 1 has an acceptable offer", "[cascade]") {
  MarketFixture f;
  f.admit({"A"});
  f.admit(tier2("T2"));
  const PackageId id = f.post();
  REQUIRE(f.offer("A", id, 3000).ok());
  f.pass_deadline(id);
  CHECK(f.awarded(id) == "A");
  CHECK(f.count<TierEnded>() == 0);
  CHECK_FALSE(f.market.provider_view(id, "T2"));
}

TEST_CASE("a package whose first tier has nobody eligible opens the next tier the moment it is posted", "[cascade]") {
  MarketFixture f;
  f.admit({.id = "N", .zones = {"north"}});  // Tier 1, but not in the South
  f.admit(tier2("T2"));
  const PackageId id = f.post();  // B13: South
  REQUIRE(last_tier_ended(f));
  CHECK(last_tier_ended(f)->step == 0);
  CHECK(last_tier_ended(f)->reason == TierEndReason::no_eligible_location);
  CHECK(last_tier_ended(f)->at == kMonday9am);
  CHECK(f.tier(id) == "tier2");
  CHECK(f.invited(id) == std::vector<std::string>{"T2"});
  CHECK(f.package(id).opened_at == kMonday9am);
  CHECK(f.package(id).closes_at == london_at("2026-11-25", 9));
}

TEST_CASE("when every acceptable offer is declined the package cascades", "[cascade]") {
  MarketFixture f;
  f.admit({"A"});
  f.admit({"B"});
  f.admit(tier2("T2"));
  const PackageId id = f.post();
  REQUIRE(f.offer("A", id, 2900).ok());
  REQUIRE(f.offer("B", id, 3000).ok());
  f.pass_deadline(id);
  REQUIRE(f.awarded(id) == "A");
  REQUIRE(f.decline("A", id).ok());
  REQUIRE(f.awarded(id) == "B");
  CHECK(f.tier(id) == "tier1");
  f.pass_deadline(id);  // B lets the award lapse: a decline too
  REQUIRE(last_tier_ended(f));
  CHECK(last_tier_ended(f)->reason == TierEndReason::every_acceptable_offer_declined);
  CHECK(f.tier(id) == "tier2");
  CHECK(f.status(id) == PackageStatus::open);
  CHECK(f.invited(id) == std::vector<std::string>{"T2"});
}

TEST_CASE("after the last tier the package is unsourced, for the officer to spot-purchase", "[cascade]") {
  MarketFixture f;
  f.admit({"A"});
  f.admit(tier2("T2"));
  const PackageId id = f.post();
  f.pass_deadline(id);
  REQUIRE(f.tier(id) == "tier2");
  CHECK(f.count<PackageUnsourced>() == 0);
  f.pass_deadline(id);
  CHECK(f.status(id) == PackageStatus::unsourced);
  CHECK(f.count<PackageUnsourced>() == 1);
  CHECK(f.count<TierEnded>() == 2);
  CHECK(f.count<TierOpened>() == 2);
  CHECK(f.package(id).closed_at == f.market.now());
  const std::size_t events = f.events.size();
  f.advance(30 * kMillisPerDay);
  CHECK(f.events.size() == events + 1);  // the clock only
  const Reply late = f.run(PlaceOffer{"P-T2", "T2", "late", id, 3000, kMonday + 2, true, ""});
  CHECK(late.status.code == Code::offer_after_close);
}

TEST_CASE("a learning-disability package goes to specialists first, then Tier 2", "[cascade]") {
  MarketFixture f;
  const std::vector<std::string> ld = {"learning_disability", "older_people"};
  f.admit({.id = "A", .categories = ld});  // Tier 1: never on this route
  f.admit({.id = "S", .tier = "specialist", .categories = ld});
  f.admit({.id = "T2", .tier = "tier2", .zones = {"south"}, .categories = ld});
  PackageSpec spec = MarketFixture::standard_package();
  spec.categories = {"learning_disability"};
  const PackageId id = f.post(spec);
  CHECK(f.tier(id) == "specialist");
  CHECK(f.invited(id) == std::vector<std::string>{"S"});
  f.pass_deadline(id);
  CHECK(f.tier(id) == "tier2");
  CHECK(f.invited(id) == std::vector<std::string>{"T2"});
  f.pass_deadline(id);
  CHECK(f.status(id) == PackageStatus::unsourced);
  CHECK_FALSE(f.market.provider_view(id, "A"));
}

TEST_CASE("a strict DPS broadcasts to every admitted location at once, then the package is unsourced", "[cascade]") {
  DpsConfig config = home_care_config();
  config.mode = DistributionMode::all_at_once;
  MarketFixture f(config);
  f.admit({"A"});
  f.admit(tier2("T2"));
  f.admit({.id = "S", .tier = "specialist"});
  f.admit({.id = "N", .zones = {"north"}});  // other zone: in too (zones are not part of the lots)
  const PackageId id = f.post();
  CHECK(f.tier(id) == "all");
  CHECK(f.invited(id) == std::vector<std::string>{"A", "T2", "S", "N"});
  f.pass_deadline(id);
  CHECK(f.status(id) == PackageStatus::unsourced);
  CHECK(f.count<TierOpened>() == 1);
  CHECK(f.count<TierEnded>() == 1);
  CHECK(f.count<PackageUnsourced>() == 1);
}

TEST_CASE("windows: urgent 4 hours, standard 2 working days, planned 5 working days", "[cascade]") {
  MarketFixture f;
  f.admit({"A"});
  // Posted Monday 23 November 2026, 09:00 GMT.
  PackageSpec urgent = MarketFixture::standard_package();
  urgent.urgency = Urgency::urgent;
  const PackageId u = f.post(urgent);
  CHECK(f.package(u).urgency == Urgency::urgent);
  CHECK(f.package(u).closes_at == london_at("2026-11-23", 13));

  const PackageId s = f.post();
  CHECK(f.package(s).urgency == Urgency::standard);
  CHECK(f.package(s).closes_at == london_at("2026-11-25", 9));

  PackageSpec day28 = MarketFixture::standard_package();
  day28.start_date = kMonday + 28;  // not more than 28 days away: still standard
  const PackageId s28 = f.post(day28);
  CHECK(f.package(s28).urgency == Urgency::standard);
  CHECK(f.package(s28).closes_at == london_at("2026-11-25", 9));

  PackageSpec planned = MarketFixture::standard_package();
  planned.start_date = kMonday + 29;
  const PackageId p = f.post(planned);
  CHECK(f.package(p).urgency == Urgency::planned);
  CHECK(f.package(p).closes_at == london_at("2026-11-30", 9));
  CHECK(f.market.broadcast_view(f.package(p)).closes_at == london_at("2026-11-30", 9));

  f.pass_deadline(u);
  CHECK(f.market.now() == london_at("2026-11-23", 13));
  CHECK(f.status(u) != PackageStatus::open);
  CHECK(f.status(s) == PackageStatus::open);
}
