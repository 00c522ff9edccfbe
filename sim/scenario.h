// A carebroker-sim scenario: the market (a DPS, its providers by tier, zone and category, their
// quality, pricing around the fair cost, response and decline behaviour, declared capacity, and
// which wire encoding they speak) and the demand on it (a baseline week with its daily and
// weekly shape, a winter surge, a hospital-discharge surge of urgent packages, a provider
// entering administration), with the time compression and the seed. Read from a JSON file whose
// format sim/scenarios/README.md documents; parse_scenario checks it against that schema and
// names the first bad field. Pure data; no I/O beyond reading the demand CSV it may point to.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace carebroker::sim {

/// How a group of providers behaves when a package is broadcast to it or awarded to it.
struct Behaviour {
  double bid_share = 0.8;             ///< share of broadcasts a location bids on (when it has room)
  double price_vs_fair = 1.0;         ///< mean offer as a share of the lot's fair cost
  double price_spread = 0.05;         ///< standard deviation of that share
  double respond_within = 0.5;        ///< a bid comes after this share of the window at most (uniform)
  double decline_share = 0.05;        ///< share of awards declined
  double accept_after_minutes = 20;   ///< simulated minutes before an award is answered (at most)
};

struct ProviderGroup {
  std::string name;                   ///< id prefix: locations are <name>-<n>
  int count = 0;
  std::string tier;
  std::vector<std::string> zones;     ///< the zones the group serves
  bool spread_over_zones = false;     ///< true: location n serves zones[n % size] only
  std::vector<std::string> categories;
  int capacity_hours = 0;             ///< declared, per location (hours a week; 0 = undeclared)
  std::string cqc = "good";           ///< outstanding | good | requires_improvement | inadequate | none
  std::string pamms = "good";         ///< excellent | good | requires_improvement | poor | none
  int self_assessment = 70;
  Behaviour behaviour;
};

struct ZoneSpec {
  std::string code;
  std::vector<std::string> districts;
};

struct RouteSpec {
  std::string name;
  std::vector<std::string> when_any_category;
  std::vector<std::string> tiers;
};

struct MarketSpec {
  std::string source = "scenario";    ///< scenario: the groups below; demo: Birmingham & Solihull (data/cqc)
  std::string dps = "home-care";
  std::string lot = "home-care";
  std::vector<ZoneSpec> zones;
  std::vector<std::string> tiers;
  std::vector<RouteSpec> routes;
  std::int64_t fair_cost = 3214;      ///< pence an hour
  std::int64_t rate_min = 2000, rate_max = 4500;
  std::vector<ProviderGroup> providers;
  Behaviour demo_behaviour;           ///< source demo: how every location behaves
  int demo_capacity_hours = 400;      ///< source demo: each location's declared capacity
  double flatbuffers_share = 0.8;     ///< share of provider connections speaking FlatBuffers (the rest JSON)
};

/// A share of packages: by category and urgency.
struct Mix {
  std::string category;
  double share = 0;
};

struct Surge {
  double from_day = 0, to_day = 0;    ///< simulated days from the start
  double factor = 1;                  ///< winter: demand × factor
  int packages = 0;                   ///< discharge: extra urgent packages over the span
};

struct DemandSpec {
  double packages_per_week = 0;       ///< the baseline's new packages a week
  std::vector<double> hourly;         ///< 24 weights: the daily shape
  std::vector<double> weekday;        ///< 7 weights, Monday first: the weekly shape
  double hours_mean = 12, hours_spread = 6;  ///< hours a week per package
  double urgent_share = 0.15, planned_share = 0.15;
  std::vector<Mix> categories;        ///< which categories packages ask for
  double window_hours_urgent = 4, window_hours_standard = 48, window_hours_planned = 120;
  std::optional<Surge> winter;
  std::optional<Surge> discharge;
  /// The provider (group name and index, e.g. "tier1-2") that enters administration, and when.
  std::string administration_provider;
  double administration_day = -1;
  std::string sized_from;             ///< how packages_per_week was sized (said in the report)
};

struct Scenario {
  std::string name;
  std::string description;
  std::uint64_t seed = 1;
  double days = 7;                    ///< simulated days
  double speed = 1000;                ///< simulated seconds per real second
  std::string start_date;             ///< YYYY-MM-DD the simulated clock starts at (London); "" = today
  MarketSpec market;
  DemandSpec demand;
};

struct ScenarioResult {
  std::optional<Scenario> scenario;
  std::string error;                  ///< names the bad field, e.g. "market.providers[2].tier: …"
};

/// Parses and checks a scenario; `base_dir` resolves the demand CSV a scenario may name.
ScenarioResult parse_scenario(const std::string& json_text, const std::string& base_dir);
ScenarioResult read_scenario_file(const std::string& path);

}  // namespace carebroker::sim
