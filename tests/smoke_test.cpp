// A whole mini-competition, end to end: post, broadcast, offers, rank, award, accept.
#include "market_fixture.h"

using namespace carebroker::testing;

TEST_CASE("a package is broadcast, ranked, awarded and placed", "[smoke]") {
  MarketFixture f;
  f.admit({"A"});
  f.admit({"B", "tier1", {"south"}, {"older_people"}, CqcRating::outstanding, PammsRating::excellent, 90});
  const PackageId id = f.post();
  CHECK(f.invited(id) == std::vector<std::string>{"A", "B"});
  REQUIRE(f.offer("A", id, 2600).ok());
  REQUIRE(f.offer("B", id, 2800).ok());
  f.pass_deadline(id);
  CHECK(f.status(id) == PackageStatus::award_pending);
  CHECK(f.awarded(id) == "B");
  REQUIRE(f.accept("B", id).ok());
  CHECK(f.status(id) == PackageStatus::placed);
  const auto view = f.market.provider_view(id, "B");
  REQUIRE(view);
  REQUIRE(view->person);
  CHECK(opened(*view->person).name == "Ada Example");
}
