// Best-and-final (Birmingham's shortlist and re-bid): at the first close the top acceptable
// offers form a shortlist; each shortlisted location learns its own rank only and may improve
// its offer once, for two hours; then the award goes to the new top.
#include <string>

#include "market_fixture.h"

using namespace carebroker::testing;
using Catch::Detail::Approx;

namespace {

DpsConfig best_and_final(int shortlist_size) {
  DpsConfig c = home_care_config();
  c.ranking.auction = AuctionFormat::best_and_final;
  c.ranking.shortlist_size = shortlist_size;
  return c;
}

AmendOffer improve(const std::string& location, PackageId id, Pence price, const std::string& rid) {
  return AmendOffer{"P-" + location, location, rid, id, price, kMonday + 2, true, "best and final"};
}

/// A, B and C, all quality 75, bid £30.00, £29.00 and £31.00: ranked B, A, C. A shortlist of
/// two: B (rank 1) and A (rank 2).
struct Shortlisted : MarketFixture {
  PackageId id = 0;
  UtcMillis first_close = 0;
  explicit Shortlisted(int shortlist_size = 2) : MarketFixture(best_and_final(shortlist_size)) {
    admit({"A"});
    admit({"B"});
    admit({"C"});
    id = post();
    REQUIRE(offer("A", id, 3000).ok());
    REQUIRE(offer("B", id, 2900).ok());
    REQUIRE(offer("C", id, 3100).ok());
    REQUIRE(rank_order(id) == std::vector<std::string>{"B", "A", "C"});
    first_close = package(id).closes_at;
    pass_deadline(id);
  }
  std::optional<ProviderPackageView> view(const std::string& location) const {
    return market.provider_view(id, location);
  }
};

}  // namespace

TEST_CASE("at the first close the top acceptable offers form a shortlist for two hours", "[best_and_final]") {
  Shortlisted f;
  CHECK(f.status(f.id) == PackageStatus::best_and_final);
  CHECK(f.count<ShortlistFormed>() == 1);
  CHECK(f.count<AwardOffered>() == 0);
  const Package& p = f.package(f.id);
  REQUIRE(p.shortlist.size() == 2);
  CHECK(f.location_id(p.shortlist[0].location) == "B");
  CHECK(p.shortlist[0].rank == 1);
  CHECK(f.location_id(p.shortlist[1].location) == "A");
  CHECK(p.shortlist[1].rank == 2);
  CHECK(p.round == 2);
  CHECK(p.closes_at == f.first_close + 2 * kMillisPerHour);
}

TEST_CASE("each shortlisted location sees its own rank, and nobody else's", "[best_and_final]") {
  Shortlisted f;
  const auto b = f.view("B");
  const auto a = f.view("A");
  const auto c = f.view("C");
  REQUIRE(b);
  REQUIRE(a);
  REQUIRE(c);
  CHECK(b->standing == ProviderStanding::best_and_final);
  CHECK(b->own_rank == std::optional<int>(1));
  REQUIRE(b->own_offer);
  CHECK(b->own_offer->price == 2900);
  CHECK_FALSE(b->own_score);
  CHECK(a->standing == ProviderStanding::best_and_final);
  CHECK(a->own_rank == std::optional<int>(2));
  REQUIRE(a->own_offer);
  CHECK(a->own_offer->price == 3000);
  CHECK_FALSE(a->own_score);
  // Left off the shortlist: no rank at all, and no way to bid.
  CHECK(c->standing == ProviderStanding::closed_for_bidding);
  CHECK_FALSE(c->own_rank);
  CHECK_FALSE(c->own_score);
  CHECK_FALSE(b->person);
}

TEST_CASE("only the shortlist may amend, and only to a price no higher than before", "[best_and_final]") {
  Shortlisted f;
  expect_rejected(f, improve("C", f.id, 2500, "c-1"), Code::not_shortlisted);
  // A shortlisted location amends: it does not place a second offer.
  expect_rejected(f, PlaceOffer{"P-A", "A", "a-0", f.id, 2800, kMonday + 2, true, ""},
                  Code::not_shortlisted);
  expect_rejected(f, improve("A", f.id, 3001, "a-1"), Code::best_and_final_must_improve);
  CHECK(f.package(f.id).offer_of(*f.market.find_location("A"))->price == 3000);
  CHECK(f.run(improve("A", f.id, 3000, "a-2")).ok());  // unchanged price: allowed, not improved
}

TEST_CASE("an improved offer can change the winner of the best-and-final round", "[best_and_final]") {
  Shortlisted f;
  // A drops to £28.00: A 0.4 + 0.45 = 0.85; B 0.4 × 2800/2900 + 0.45 = 0.8362.
  REQUIRE(f.run(improve("A", f.id, 2800, "a-1")).ok());
  CHECK(f.rank_order(f.id) == std::vector<std::string>{"A", "B", "C"});
  CHECK(f.market.ranking(f.id).lowest == 2800);
  CHECK(f.status(f.id) == PackageStatus::best_and_final);  // the round runs its full two hours

  f.must(Tick{f.first_close + 2 * kMillisPerHour - 1});
  CHECK(f.status(f.id) == PackageStatus::best_and_final);
  f.must(Tick{f.first_close + 2 * kMillisPerHour});
  CHECK(f.status(f.id) == PackageStatus::award_pending);
  CHECK(f.awarded(f.id) == "A");
  CHECK(f.count<ShortlistFormed>() == 1);  // one round only

  const auto a = f.view("A");
  const auto b = f.view("B");
  REQUIRE(a);
  REQUIRE(b);
  CHECK(a->standing == ProviderStanding::award_offered);
  CHECK(a->own_rank == std::optional<int>(1));
  REQUIRE(a->own_score);
  CHECK(*a->own_score == Approx(0.85));
  CHECK(b->own_rank == std::optional<int>(2));
}

TEST_CASE("without improvement the best-and-final round ends with the first ranking's winner", "[best_and_final]") {
  Shortlisted f;
  f.pass_deadline(f.id);
  CHECK(f.awarded(f.id) == "B");
  REQUIRE(f.decline("B", f.id).ok());
  CHECK(f.awarded(f.id) == "A");
}

TEST_CASE("the shortlist holds at most shortlist_size offers", "[best_and_final]") {
  Shortlisted two(2);
  CHECK(two.package(two.id).shortlist.size() == 2);
  Shortlisted five(5);  // three acceptable offers: all shortlisted
  CHECK(five.package(five.id).shortlist.size() == 3);
  CHECK(five.view("C")->own_rank == std::optional<int>(3));
}

TEST_CASE("with fewer than two acceptable offers there is no best-and-final round", "[best_and_final]") {
  MarketFixture f(best_and_final(5));
  f.admit({"A"});
  f.admit({.id = "Q", .cqc = CqcRating::requires_improvement,
           .pamms = PammsRating::requires_improvement, .self_assessment = 35});  // quality 39
  const PackageId id = f.post();
  REQUIRE(f.offer("A", id, 3000).ok());
  REQUIRE(f.offer("Q", id, 2800).ok());  // below the minimum quality
  f.pass_deadline(id);
  CHECK(f.count<ShortlistFormed>() == 0);
  CHECK(f.status(id) == PackageStatus::award_pending);
  CHECK(f.awarded(id) == "A");
}

TEST_CASE("a location left off the shortlist can no longer withdraw its offer", "[best_and_final]") {
  // DOMAIN.md: offers can be amended or withdrawn *until the window closes*; for C it has.
  Shortlisted f;
  expect_rejected(f, WithdrawOffer{"P-C", "C", "c-w", f.id}, Code::not_shortlisted);
}
