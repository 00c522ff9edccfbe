// After unsourced: the officer records the spot purchase that followed (provider, rate, reason),
// from a registered location — on the framework when admitted to the package's DPS and lot — or
// from a provider not registered here. One per package, only once it is unsourced.
#include <string>

#include "market_fixture.h"

using namespace carebroker::testing;

namespace {

/// A package that nobody could take: no location serves South, so both tiers cascade at once.
struct UnsourcedMarket : MarketFixture {
  PackageId id = 0;
  UnsourcedMarket() {
    admit({"N", "tier1", {"north"}});
    id = post();
    REQUIRE(status(id) == PackageStatus::unsourced);
  }
  RecordSpotPurchase spot(std::string location, std::string provider = "", Pence rate = 3850) const {
    return RecordSpotPurchase{id, std::move(provider), std::move(location), rate, "no framework capacity in B13", "officer-1"};
  }
};

}  // namespace

TEST_CASE("a spot purchase from an admitted location is recorded on the framework with its provider", "[spot]") {
  UnsourcedMarket f;
  REQUIRE(f.run(f.spot("N")).ok());
  const SpotPurchase& s = f.package(f.id).records->spot_purchase;
  CHECK(s.recorded());
  CHECK(s.provider == "P-N");
  CHECK(s.location == "N");
  CHECK_FALSE(s.off_framework);
  CHECK(s.rate == 3850);
  CHECK(s.reason == "no framework capacity in B13");
  CHECK(s.officer == "officer-1");
  CHECK(s.at == f.market.now());
  CHECK(f.status(f.id) == PackageStatus::unsourced);  // the package's outcome stays unsourced
}

TEST_CASE("a spot purchase from a provider not registered here is off the framework", "[spot]") {
  UnsourcedMarket f;
  REQUIRE(f.run(f.spot("1-555000111", "Elm Spot Care Ltd", 4200)).ok());
  const SpotPurchase& s = f.package(f.id).records->spot_purchase;
  CHECK(s.off_framework);
  CHECK(s.provider == "Elm Spot Care Ltd");
  CHECK(s.location == "1-555000111");
}

TEST_CASE("a registered location that is not admitted to the DPS is off the framework", "[spot]") {
  UnsourcedMarket f;
  f.must(RegisterProvider{"P-X", "X Ltd"});
  f.must(RegisterLocation{"X", "P-X", "X branch", "B13 1AA", "Birmingham"});
  REQUIRE(f.run(f.spot("X")).ok());
  CHECK(f.package(f.id).records->spot_purchase.off_framework);
  CHECK(f.package(f.id).records->spot_purchase.provider == "P-X");
}

TEST_CASE("a spot purchase is refused before unsourced or twice or without rate or reason or provider", "[spot]") {
  UnsourcedMarket f;
  f.admit({"A"});
  const PackageId open = f.post();
  expect_rejected(f, RecordSpotPurchase{open, "", "A", 3000, "why", "officer-1"}, Code::package_not_unsourced);
  expect_rejected(f, RecordSpotPurchase{99, "", "A", 3000, "why", "officer-1"}, Code::unknown_package);
  expect_rejected(f, f.spot("N", "", 0), Code::price_not_positive);
  expect_rejected(f, f.spot("N", "", -5), Code::price_not_positive);
  expect_rejected(f, f.spot("N", "", 100'000'01), Code::price_outside_rate_band);
  expect_rejected(f, RecordSpotPurchase{f.id, "", "N", 3000, "", "officer-1"}, Code::reason_required);
  expect_rejected(f, f.spot(""), Code::unknown_location);
  expect_rejected(f, f.spot("no-such-location"), Code::unknown_location);
  expect_rejected(f, f.spot("N", "P-A"), Code::location_not_of_provider);
  expect_rejected(f, f.spot("unregistered", "P-A"), Code::unknown_location);  // a registered provider: name its location
  REQUIRE(f.run(f.spot("N")).ok());
  expect_rejected(f, f.spot("N"), Code::spot_purchase_already_recorded);
}

TEST_CASE("a spot purchase survives replay and travels with the package to the archive", "[spot]") {
  DpsConfig config = home_care_config();
  config.windows.retain_closed_days = 1;
  MarketFixture f(config);
  f.admit({"N", "tier1", {"north"}});
  const PackageId id = f.post();
  REQUIRE(f.run(RecordSpotPurchase{id, "Elm Spot Care", "", 3900, "spot", "officer-1"}).ok());
  Market replayed;
  for (const auto& e : f.events) replayed.apply(e);
  CHECK(replayed.digest() == f.market.digest());
  const Package before = f.package(id);
  f.advance(2 * kMillisPerDay);
  REQUIRE(f.count<PackageRetired>() == 1);
  const auto archived = Market::read_archive(std::get<PackageRetired>(f.events.back()).archive);
  REQUIRE(archived);
  CHECK(archived->package.records->spot_purchase == before.records->spot_purchase);
}
