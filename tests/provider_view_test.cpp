// What each user may see. Bids are sealed: a provider's view of a package carries the anonymised
// broadcast and its own offer, its own rank and score only after the award, and the person's
// details only once it accepted the award. The officer sees every offer, explained, and why
// everyone else was left out.
#include <string>

#include "market_fixture.h"

using namespace carebroker::testing;
using Catch::Detail::Approx;

namespace {

const PersonDetails kPerson{"Ada Example", "1 Test Street", "B13 9ZZ", "CASE-1"};

/// Every piece of text in a broadcast, to look for the person's details in.
std::string all_text(const BroadcastView& v) {
  std::string out = v.dps + "|" + v.lot + "|" + v.zone + "|" + v.postcode_district + "|" + v.tier;
  for (const auto* list : {&v.categories, &v.needs, &v.outcomes, &v.must_meet})
    for (const auto& s : *list) out += "|" + s;
  return out;
}

/// A, B and C at Tier 1 South; N in the North; T2 at Tier 2. A bids £30.00, B £29.00; C does
/// not bid. Ranked B (0.85), A (0.4 × 2900/3000 + 0.45 = 0.83667).
struct Viewed : MarketFixture {
  PackageId id = 0;
  Viewed() {
    admit({"A"});
    admit({"B"});
    admit({"C"});
    admit({.id = "N", .zones = {"north"}});
    admit({.id = "T2", .tier = "tier2", .zones = {"north", "central", "south"}});
    id = post(standard_package(), kPerson);
    REQUIRE(offer("A", id, 3000).ok());
    REQUIRE(offer("B", id, 2900).ok());
  }
  ProviderPackageView view(const std::string& location) const {
    const auto v = market.provider_view(id, location);
    REQUIRE(v);
    return *v;
  }
};

}  // namespace

TEST_CASE("while bidding is open a provider sees the broadcast and its own offer, nothing more", "[provider_view]") {
  Viewed f;
  const ProviderPackageView a = f.view("A");
  CHECK(a.standing == ProviderStanding::open);
  CHECK(a.package == f.market.broadcast_view(f.package(f.id)));
  CHECK(a.package.closes_at == f.package(f.id).closes_at);
  CHECK(a.package.tier == "tier1");
  REQUIRE(a.own_offer);
  CHECK(a.own_offer->price == 3000);  // its own price, not B's lower one
  CHECK(a.own_offer->version == 1);
  CHECK_FALSE(a.own_rank);
  CHECK_FALSE(a.own_score);
  CHECK_FALSE(a.person);

  const ProviderPackageView b = f.view("B");
  REQUIRE(b.own_offer);
  CHECK(b.own_offer->price == 2900);
  CHECK_FALSE(b.own_rank);
  CHECK_FALSE(b.own_score);

  const ProviderPackageView c = f.view("C");  // invited, has not bid
  CHECK(c.standing == ProviderStanding::open);
  CHECK_FALSE(c.own_offer);
  CHECK_FALSE(c.own_rank);
}

TEST_CASE("a location the package was never broadcast to gets no view", "[provider_view]") {
  Viewed f;
  CHECK_FALSE(f.market.provider_view(f.id, "N"));   // another zone
  CHECK_FALSE(f.market.provider_view(f.id, "T2"));  // a later tier, not reached
  CHECK_FALSE(f.market.provider_view(f.id, "NOPE"));
  CHECK_FALSE(f.market.provider_view(99, "A"));
}

TEST_CASE("the person's details go only to the location that accepted the award", "[provider_view]") {
  Viewed f;
  const std::string broadcast = all_text(f.market.broadcast_view(f.package(f.id)));
  for (const std::string& secret : {kPerson.name, kPerson.address, kPerson.postcode, kPerson.case_reference})
    CHECK(broadcast.find(secret) == std::string::npos);

  f.pass_deadline(f.id);
  REQUIRE(f.awarded(f.id) == "B");
  CHECK(f.view("B").standing == ProviderStanding::award_offered);
  CHECK_FALSE(f.view("B").person);  // offered, not yet accepted
  CHECK_FALSE(f.view("A").person);

  REQUIRE(f.accept("B", f.id).ok());
  const ProviderPackageView b = f.view("B");
  CHECK(b.standing == ProviderStanding::placed_with_you);
  REQUIRE(b.person);
  CHECK(opened(*b.person) == kPerson);
  const ProviderPackageView a = f.view("A");
  CHECK(a.standing == ProviderStanding::awarded_elsewhere);
  CHECK_FALSE(a.person);
  const ProviderPackageView c = f.view("C");
  CHECK(c.standing == ProviderStanding::awarded_elsewhere);
  CHECK_FALSE(c.person);
}

TEST_CASE("after the award a provider learns its own rank and score only", "[provider_view]") {
  Viewed f;
  f.pass_deadline(f.id);
  const Ranking r = f.market.ranking(f.id);
  const ProviderPackageView b = f.view("B");
  const ProviderPackageView a = f.view("A");
  CHECK(b.own_rank == std::optional<int>(1));
  REQUIRE(b.own_score);
  CHECK(*b.own_score == Approx(0.85));
  CHECK(a.own_rank == std::optional<int>(2));
  REQUIRE(a.own_score);
  CHECK(*a.own_score == Approx(0.4 * 2900.0 / 3000.0 + 0.45));
  CHECK(*a.own_score == Approx(r.find(*f.market.find_location("A"))->score));
  REQUIRE(a.own_offer);
  CHECK(a.own_offer->price == 3000);
  CHECK(a.standing == ProviderStanding::closed_for_bidding);
  CHECK_FALSE(f.view("C").own_rank);  // no offer, no rank
  REQUIRE(f.accept("B", f.id).ok());
  CHECK(f.view("A").own_rank == std::optional<int>(2));
  CHECK(f.view("B").own_rank == std::optional<int>(1));
}

TEST_CASE("a provider's standing follows the package", "[provider_view]") {
  SECTION("closed for bidding while an abnormally low offer waits for the officer") {
    Viewed f;
    REQUIRE(f.amend("A", f.id, 2700).ok());  // under 85% of £32.14: flagged, and now top
    f.pass_deadline(f.id);
    REQUIRE(f.status(f.id) == PackageStatus::awaiting_decision);
    CHECK(f.view("A").standing == ProviderStanding::closed_for_bidding);
    CHECK(f.view("B").standing == ProviderStanding::closed_for_bidding);
    CHECK_FALSE(f.view("A").own_rank);
  }
  SECTION("closed for bidding while on hold") {
    Viewed f;
    f.must(HoldPackage{f.id, "reassessment"});
    CHECK(f.view("A").standing == ProviderStanding::closed_for_bidding);
  }
  SECTION("closed for an earlier tier after the cascade; open for the new one") {
    Viewed f;
    REQUIRE(f.withdraw("A", f.id).ok());
    REQUIRE(f.withdraw("B", f.id).ok());
    f.pass_deadline(f.id);
    REQUIRE(f.tier(f.id) == "tier2");
    CHECK(f.view("A").standing == ProviderStanding::closed);
    CHECK_FALSE(f.view("A").own_offer);  // Tier 1's offers are gone with Tier 1
    CHECK(f.view("T2").standing == ProviderStanding::open);
    f.pass_deadline(f.id);
    REQUIRE(f.status(f.id) == PackageStatus::unsourced);
    CHECK(f.view("T2").standing == ProviderStanding::closed);
    CHECK(f.view("A").standing == ProviderStanding::closed);
  }
  SECTION("closed when cancelled") {
    Viewed f;
    f.must(CancelPackage{f.id, "no longer needed"});
    CHECK(f.view("B").standing == ProviderStanding::closed);
    CHECK_FALSE(f.view("B").person);
  }
}

TEST_CASE("the officer sees every offer with its explanation, and every exclusion", "[provider_view]") {
  Viewed f;
  REQUIRE(f.offer("C", f.id, 3100).ok());
  REQUIRE(f.withdraw("C", f.id).ok());
  const auto v = f.market.officer_view(f.id);
  REQUIRE(v);
  REQUIRE(v->person);
  CHECK(opened(*v->person) == kPerson);
  CHECK(v->tier == "tier1");
  CHECK(v->zone == "south");
  CHECK(v->invited == f.package(f.id).invited);
  REQUIRE(v->ranking.offers.size() == 3);
  for (const auto& o : v->ranking.offers) {
    INFO(o.offer.location_id << ": " << o.explanation);
    if (o.offer.location_id == "C") {
      CHECK_FALSE(o.acceptable);
      CHECK(o.explanation == "not ranked: withdrawn by the provider");
    } else {
      CHECK(o.acceptable);
      CHECK(o.explanation.find("score = 0.40 × lowest/price") != std::string::npos);
      CHECK(o.explanation.find(o.offer.location_id == "A" ? "£30.00" : "£29.00") != std::string::npos);
    }
  }
  std::vector<std::pair<std::string, std::string>> excluded;
  for (const auto& x : v->exclusions) excluded.emplace_back(f.location_id(x.location), to_string(x.rule));
  CHECK(excluded == std::vector<std::pair<std::string, std::string>>{{"N", "zone"}, {"T2", "tier"}});
  CHECK_FALSE(f.market.officer_view(99));
}
