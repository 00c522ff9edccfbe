// A DPS's configuration is data, checked before it is accepted: weights add up, codes are unique
// and within 64, routes name known tiers and categories, rate bands make sense. A reconfiguration
// may grow a DPS but never remove or reorder what enrolments point at.
#include "market_fixture.h"

using namespace carebroker::testing;

namespace {

std::vector<Category> known_categories() {
  std::vector<Category> out;
  for (const char* c : {"older_people", "dementia", "learning_disability", "mental_health",
                        "physical_disability", "autism"})
    out.push_back({c, c});
  return out;
}

/// validate_config names the problem, and the market refuses the same configuration with
/// invalid_config and that detail, leaving the DPS as it was.
void invalid(const DpsConfig& c, std::string_view problem_mentions) {
  const std::string problem = validate_config(c, known_categories());
  INFO("validate_config: \"" << problem << "\"");
  CHECK_FALSE(problem.empty());
  CHECK(problem.find(problem_mentions) != std::string::npos);

  MarketFixture f;
  const std::uint64_t before = f.market.digest();
  const Reply r = f.run(ConfigureDps{c});
  CHECK(r.status.code == Code::invalid_config);
  CHECK(r.status.detail == problem);
  CHECK(f.market.digest() == before);
  CHECK(f.market.dps(0) == home_care_config());
}

std::vector<Zone> many_zones(int n) {
  std::vector<Zone> zones;
  for (int i = 0; i < n; ++i)
    zones.push_back(Zone{"z" + std::to_string(i), "Zone " + std::to_string(i), {"D" + std::to_string(i)}});
  return zones;
}

}  // namespace

TEST_CASE("the demonstration home-care configuration is valid", "[config]") {
  CHECK(validate_config(home_care_config(), known_categories()).empty());
  MarketFixture f;
  REQUIRE(f.market.dps_count() == 1);
  CHECK(f.market.dps(0).code == "home-care");
  CHECK(f.market.find_dps("home-care") == 0);
  CHECK(f.market.find_dps("nope") == -1);
}

TEST_CASE("ranking weights must add up to 100", "[config]") {
  DpsConfig c = home_care_config();
  c.ranking.price_weight_pct = 50;
  c.ranking.quality_weight_pct = 40;
  invalid(c, "weights");
  c.ranking.price_weight_pct = 120;
  c.ranking.quality_weight_pct = -20;
  invalid(c, "weights");
  c.ranking.price_weight_pct = 60;
  c.ranking.quality_weight_pct = 40;
  CHECK(validate_config(c, known_categories()).empty());
}

TEST_CASE("quality weights must add up to 100", "[config]") {
  DpsConfig c = home_care_config();
  c.quality.self_assessment_weight_pct = 30;
  invalid(c, "quality weights");
  c.quality.pamms_weight_pct = 30;
  CHECK(validate_config(c, known_categories()).empty());
}

TEST_CASE("lot, zone and tier codes are unique", "[config]") {
  DpsConfig lots = home_care_config();
  lots.lots.push_back(Lot{"hc", "Home care again"});
  invalid(lots, "duplicate lots 'hc'");
  DpsConfig zones = home_care_config();
  zones.zones.push_back(Zone{"north", "North again", {"B99"}});
  invalid(zones, "duplicate zones 'north'");
  DpsConfig tiers = home_care_config();
  tiers.tiers.push_back("tier2");
  invalid(tiers, "duplicate tiers 'tier2'");
  DpsConfig categories = home_care_config();
  categories.categories.push_back("dementia");
  invalid(categories, "duplicate categories 'dementia'");
  DpsConfig empty_code = home_care_config();
  empty_code.zones.push_back(Zone{"", "Nowhere", {"B98"}});
  invalid(empty_code, "empty code");
}

TEST_CASE("a postcode district belongs to one zone only", "[config]") {
  DpsConfig c = home_care_config();
  c.zones[2].postcode_districts.push_back("B11");  // already Central
  invalid(c, "B11");
}

TEST_CASE("a route names known tiers and categories", "[config]") {
  DpsConfig tier = home_care_config();
  tier.routes[1].tiers = {"tier1", "tier3"};
  invalid(tier, "tier3");
  DpsConfig category = home_care_config();
  category.routes[0].when_any_category = {"learning_disability", "equine_therapy"};
  invalid(category, "equine_therapy");
  DpsConfig empty = home_care_config();
  empty.routes[1].tiers = {};
  invalid(empty, "no tiers");
}

TEST_CASE("a DPS buys only categories the deployment has defined", "[config]") {
  DpsConfig c = home_care_config();
  c.categories.push_back("equine_therapy");
  invalid(c, "equine_therapy");
}

TEST_CASE("a DPS needs a code and at least one lot, zone, tier and route", "[config]") {
  DpsConfig no_code = home_care_config();
  no_code.code = "";
  invalid(no_code, "code");
  DpsConfig no_lots = home_care_config();
  no_lots.lots.clear();
  invalid(no_lots, "lot");
  DpsConfig no_zones = home_care_config();
  no_zones.zones.clear();
  invalid(no_zones, "zone");
  DpsConfig no_tiers = home_care_config();
  no_tiers.tiers.clear();
  no_tiers.routes.clear();
  invalid(no_tiers, "tier");
  DpsConfig no_routes = home_care_config();
  no_routes.routes.clear();
  invalid(no_routes, "route");
}

TEST_CASE("a DPS has at most 64 zones", "[config]") {
  DpsConfig c = home_care_config();
  c.zones = many_zones(64);
  CHECK(validate_config(c, known_categories()).empty());
  c.zones = many_zones(65);
  invalid(c, "64");
}

TEST_CASE("a lot's minimum rate cannot be above its maximum", "[config]") {
  DpsConfig c = home_care_config();
  c.lots[0].rate_min = 4500;
  c.lots[0].rate_max = 4000;
  invalid(c, "rate_min above rate_max");
  c.lots[0].rate_max = 0;  // no maximum: any minimum is fine
  CHECK(validate_config(c, known_categories()).empty());
  c.lots[0].rate_min = -1;
  invalid(c, "negative");
}

TEST_CASE("thresholds and windows must make sense", "[config]") {
  DpsConfig quality = home_care_config();
  quality.ranking.min_quality = 101;
  invalid(quality, "0..100");
  DpsConfig risk = home_care_config();
  risk.risk.lookback_days = 0;
  invalid(risk, "risk");
  DpsConfig windows = home_care_config();
  windows.windows.admission_extended_working_days = 9;  // shorter than the 10-day clock
  invalid(windows, "admission");
}

TEST_CASE("reconfiguring a DPS may add lots, zones and tiers", "[config]") {
  MarketFixture f;
  f.admit({"A"});
  DpsConfig grown = home_care_config();
  grown.lots.push_back(Lot{"re", "Reablement", Unit::hours, 1800, 4000, 3214});
  grown.zones.push_back(Zone{"east", "East", {"B33"}});
  grown.tiers.push_back("spot");
  grown.ranking.price_weight_pct = 60;
  grown.ranking.quality_weight_pct = 40;
  f.must(ConfigureDps{grown});
  CHECK(f.market.dps_count() == 1);
  CHECK(f.market.dps(0) == grown);
  // The existing enrolment still points at the same lot, zone and tier.
  CHECK(f.invited(f.post()) == std::vector<std::string>{"A"});
  // And the new zone can be served.
  f.must(UpdateMembership{"A", "home-care", {"hc", "re"}, {"older_people"}, {"south", "east"}, "tier1", 100});
  PackageSpec east = MarketFixture::standard_package();
  east.postcode_district = "B33";
  east.lot = "re";
  CHECK(f.invited(f.post(east)) == std::vector<std::string>{"A"});
}

TEST_CASE("reconfiguring a DPS may not remove or reorder lots, zones or tiers", "[config]") {
  MarketFixture f;
  f.admit({"A"});
  const std::uint64_t before = f.market.digest();
  auto refused = [&](const DpsConfig& c) {
    REQUIRE(validate_config(c, f.market.categories()).empty());  // valid on its own
    const Reply r = f.run(ConfigureDps{c});
    CHECK(r.status.code == Code::invalid_config);
    CHECK(r.status.detail.find("remove or reorder") != std::string::npos);
  };
  DpsConfig fewer_zones = home_care_config();
  fewer_zones.zones.pop_back();
  refused(fewer_zones);
  DpsConfig reordered_zones = home_care_config();
  std::swap(reordered_zones.zones[0], reordered_zones.zones[2]);
  refused(reordered_zones);
  DpsConfig reordered_tiers = home_care_config();
  std::swap(reordered_tiers.tiers[0], reordered_tiers.tiers[1]);
  refused(reordered_tiers);
  DpsConfig renamed_lot = home_care_config();
  renamed_lot.lots[0].code = "homecare";
  refused(renamed_lot);
  DpsConfig inserted_tier = home_care_config();
  inserted_tier.tiers.insert(inserted_tier.tiers.begin(), "tier0");
  refused(inserted_tier);
  CHECK(f.market.digest() == before);
  CHECK(f.market.dps(0) == home_care_config());
}

TEST_CASE("a reconfiguration cannot strand an open package on a route that no longer fits",
          "[config]") {
  // A package in flight keeps the route it was posted on: the new configuration is refused, or
  // the open package carries on along its own route (never reading a route that has moved).
  MarketFixture f;
  f.admit({"T2", "tier2"});
  const PackageId id = f.post();  // no tier-1 location: at once on tier 2 of the standard route
  REQUIRE(f.package(id).step == 1);
  DpsConfig changed = home_care_config();
  SECTION("the specialist route is dropped, so the standard route moves up") {
    changed.routes.erase(changed.routes.begin());
  }
  SECTION("the standard route is cut to tier 1 only") { changed.routes[1].tiers = {"tier1"}; }
  SECTION("the routes swap places") { std::swap(changed.routes[0], changed.routes[1]); }
  const Reply r = f.run(ConfigureDps{changed});
  if (!r.ok()) {
    CHECK(r.status.code == Code::invalid_config);
    CHECK_FALSE(r.status.detail.empty());
    return;
  }
  // Accepted: the open package carries on along the route it was posted on.
  CHECK(f.tier(id) == "tier2");
  CHECK(f.invited(id) == std::vector<std::string>{"T2"});
  CHECK(f.market.exclusions(id).empty());
  f.pass_deadline(id);  // no offers at the last tier of its own route
  CHECK(f.status(id) == PackageStatus::unsourced);
}

TEST_CASE("a new DPS code creates a second DPS", "[config]") {
  MarketFixture f;
  DpsConfig mh = home_care_config();
  mh.code = "mental-health";
  mh.tiers = {"framework"};
  mh.routes = {Route{"all", {}, {"framework"}}};
  f.must(ConfigureDps{mh});
  CHECK(f.market.dps_count() == 2);
  CHECK(f.market.find_dps("mental-health") == 1);
  CHECK(f.market.dps(1).tiers == std::vector<std::string>{"framework"});
}

TEST_CASE("a category needs a code and a name", "[config]") {
  MarketFixture f;
  const std::size_t count = f.market.categories().size();
  Reply r = f.run(DefineCategory{{"", "Nameless"}});
  CHECK(r.status.code == Code::invalid_config);
  CHECK_FALSE(r.status.detail.empty());
  r = f.run(DefineCategory{{"respite", ""}});
  CHECK(r.status.code == Code::invalid_config);
  CHECK(f.market.categories().size() == count);
  f.must(DefineCategory{{"respite", "Respite care"}});
  CHECK(f.market.categories().size() == count + 1);
  CHECK(f.market.category_codes().back() == "respite");
}

TEST_CASE("a deployment has at most 64 categories, renaming one is still allowed", "[config]") {
  MarketFixture f;
  for (std::size_t i = f.market.categories().size(); i < 64; ++i)
    f.must(DefineCategory{{"cat" + std::to_string(i), "Category " + std::to_string(i)}});
  REQUIRE(f.market.categories().size() == 64);
  const Reply r = f.run(DefineCategory{{"one_too_many", "Sixty-fifth"}});
  CHECK(r.status.code == Code::invalid_config);
  CHECK(r.status.detail.find("64") != std::string::npos);
  CHECK(f.market.categories().size() == 64);
  f.must(DefineCategory{{"dementia", "Dementia care"}});
  CHECK(f.market.categories().size() == 64);
  CHECK(f.market.categories()[1].name == "Dementia care");
}

TEST_CASE("a package whose categories no route of the DPS takes is refused with no_route_for_package", "[config]") {
  DpsConfig c = home_care_config();
  c.routes.pop_back();  // only the specialist route is left: learning disability, mental health
  MarketFixture f(c);
  const std::uint64_t before = f.market.digest();
  const Reply r = f.run(PostPackage{MarketFixture::standard_package(), sealed({"Ada Example", "1 Test Street", "B13 9ZZ", "CASE-1"})});
  CHECK(r.status.code == Code::no_route_for_package);
  CHECK(r.status.detail.find("home-care") != std::string::npos);
  CHECK(f.market.digest() == before);
  PackageSpec specialist = MarketFixture::standard_package();
  specialist.categories = {"mental_health"};
  CHECK(f.run(PostPackage{specialist, sealed({"Ada Example", "1 Test Street", "B13 9ZZ", "CASE-1"})}).ok());
}
