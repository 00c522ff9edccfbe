// carebroker-sim's scenarios: a scenario file is checked against its schema with errors that
// name the field, and the demand it plans follows its seed, its shape and its surges.
#include <catch2/catch.hpp>

#include <algorithm>

#include "sim/demand.h"
#include "sim/scenario.h"
#include "sim/scenario_market.h"

using namespace carebroker::sim;

namespace {

/// A small valid scenario; `market_extra` / `demand_extra` are spliced into those objects.
std::string scenario_text(const std::string& market_extra = "", const std::string& demand_extra = "") {
  return R"({"name": "t", "seed": 7, "days": 14, "speed": 1000,
    "market": {"zones": [{"code": "north", "districts": ["S60"]}, {"code": "south", "districts": ["S66"]}],
               "tiers": ["tier1", "tier2"], "routes": [{"name": "standard", "tiers": ["tier1", "tier2"]}],
               "providers": [{"name": "a", "count": 4, "tier": "tier1", "zones": ["north", "south"],
                              "spread_over_zones": true, "categories": ["older_people"], "capacity_hours": 100}])" +
         market_extra + R"(},
    "demand": {"packages_per_week": 700, "categories": [{"category": "older_people", "share": 1}])" +
         demand_extra + "}}";
}

Scenario parsed(const std::string& text) {
  auto r = parse_scenario(text, CAREBROKER_DATA_DIR);
  INFO(r.error);
  REQUIRE(r.scenario);
  return *r.scenario;
}

std::string error_of(const std::string& text) { return parse_scenario(text, ".").error; }

std::size_t count_between(const std::vector<Arrival>& a, double from_day, double to_day) {
  return static_cast<std::size_t>(std::count_if(a.begin(), a.end(), [&](const Arrival& x) {
    return x.at_s >= from_day * 86'400 && x.at_s < to_day * 86'400;
  }));
}

}  // namespace

TEST_CASE("a scenario's mistakes are refused with the field that is wrong", "[sim]") {
  CHECK(error_of(scenario_text()).empty());
  CHECK_THAT(error_of("{"), Catch::StartsWith("not JSON"));
  CHECK_THAT(error_of(R"({"seed": 1})"), Catch::StartsWith("name: is required"));
  const std::string bad_tier = R"({"name": "t", "days": 1, "speed": 10,
    "market": {"zones": [{"code": "north", "districts": ["S60"]}], "tiers": ["tier1"],
               "routes": [{"name": "r", "tiers": ["tier1"]}],
               "providers": [{"name": "a", "count": 1, "tier": "tier9", "zones": ["north"], "categories": ["x"]}]},
    "demand": {"packages_per_week": 1, "categories": [{"category": "x", "share": 1}]}})";
  CHECK(error_of(bad_tier) == "market.providers[0].tier: \"tier9\" is not in market.tiers");
  CHECK(error_of(R"({"name": "t", "days": 1, "speed": 10, "start_date": "2026-13-01"})") ==
        "start_date: must be a date YYYY-MM-DD (not \"2026-13-01\")");
  CHECK(error_of(scenario_text(", \"flatbuffers_share\": 2")) == "market.flatbuffers_share: must be between 0 and 1");
  CHECK(error_of(scenario_text("", ", \"hourly\": [1, 2]")) == "demand.hourly: must be an array of 24 numbers");
  CHECK(error_of(scenario_text("", ", \"winter_surge\": {\"from_day\": 5, \"to_day\": 3, \"factor\": 2}")) ==
        "demand.winter_surge.to_day: must be after from_day");
  CHECK(error_of(scenario_text("", ", \"surge\": 2")) == "demand.surge: is not a field of this object");
  CHECK(error_of(scenario_text("", ", \"administration\": {\"location\": \"zz-1\", \"day\": 2}")) ==
        "demand.administration.location: \"zz-1\" is not <group name>-<n> of a provider group");
}

TEST_CASE("the same scenario and seed always plan the same demand", "[sim]") {
  const Scenario s = parsed(scenario_text());
  const SimMarket m = scenario_market(s, CAREBROKER_DATA_DIR, 0);
  const auto a = plan_demand(s, m.spec), b = plan_demand(s, m.spec);
  REQUIRE(a.size() == b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    CHECK(a[i].at_s == b[i].at_s);
    CHECK(a[i].district == b[i].district);
    CHECK(a[i].minutes_per_week == b[i].minutes_per_week);
  }
  Scenario other = s;
  other.seed = 8;
  CHECK(plan_demand(other, m.spec).front().at_s != a.front().at_s);
}

TEST_CASE("a winter surge of x2 about doubles its days' packages, a discharge surge adds exactly its urgent ones", "[sim]") {
  const Scenario s = parsed(scenario_text("", R"(, "winter_surge": {"from_day": 7, "to_day": 14, "factor": 2},
      "discharge_surge": {"from_day": 3, "to_day": 4, "packages": 50})"));
  const SimMarket m = scenario_market(s, CAREBROKER_DATA_DIR, 0);
  const auto a = plan_demand(s, m.spec);
  const std::size_t baseline = count_between(a, 0, 7) - 50, winter = count_between(a, 7, 14);
  CHECK(static_cast<double>(winter) / static_cast<double>(baseline) == Approx(2).epsilon(0.2));  // ~700 vs ~1,400
  const auto discharge = std::count_if(a.begin(), a.end(), [](const Arrival& x) { return x.discharge; });
  CHECK(discharge == 50);
  CHECK(std::all_of(a.begin(), a.end(), [](const Arrival& x) {
    return !x.discharge || (x.urgency == carebroker::sim::Urgency::urgent && x.at_s >= 3 * 86'400 && x.at_s < 4 * 86'400);
  }));
}

TEST_CASE("yearly new-client requests size the weekly demand by the documented home-care share", "[sim]") {
  const Scenario s = parsed(scenario_text("", R"(, "yearly_requests": {"file": "asc_new_client_requests_wmids_syorks_2014_2023.csv",
      "councils": ["Birmingham", "Solihull"], "year": 2023, "home_care_share": 0.18})"));
  CHECK(s.demand.packages_per_week == Approx((37'785 + 6'355) * 0.18 * 7 / 365.25));
  CHECK_THAT(error_of(scenario_text("", R"(, "yearly_requests": {"file": "missing.csv", "councils": ["X"], "year": 2023, "home_care_share": 0.1})")),
             Catch::StartsWith("demand.yearly_requests.file: cannot read"));
}

TEST_CASE("a market spread over zones gives each of its locations one zone in turn", "[sim]") {
  const SimMarket m = scenario_market(parsed(scenario_text()), CAREBROKER_DATA_DIR, 0);
  REQUIRE(m.locations.size() == 4);
  CHECK(m.locations[0].zones == std::vector<std::string>{"north"});
  CHECK(m.locations[1].zones == std::vector<std::string>{"south"});
  CHECK(m.locations[2].zones == std::vector<std::string>{"north"});
  CHECK(m.providers.size() == 4);
}
