// Building a scenario's market (scenario_market.h).
#include "sim/scenario_market.h"

#include <map>
#include <random>
#include <set>

#include "demo/demo_market.h"

namespace carebroker::sim {

using namespace engine;

namespace {

std::optional<CqcRating> cqc(const std::string& s) {
  if (s == "outstanding") return CqcRating::outstanding;
  if (s == "good") return CqcRating::good;
  if (s == "requires_improvement") return CqcRating::requires_improvement;
  if (s == "inadequate") return CqcRating::inadequate;
  return std::nullopt;
}

std::optional<PammsRating> pamms(const std::string& s) {
  if (s == "excellent") return PammsRating::excellent;
  if (s == "good") return PammsRating::good;
  if (s == "requires_improvement") return PammsRating::requires_improvement;
  if (s == "poor") return PammsRating::poor;
  return std::nullopt;
}

/// Every provider in the order its first location came, each speaking JSON or FlatBuffers by
/// the scenario's share (seeded, so a scenario always gives the same providers the same encoding).
void group_providers(SimMarket& m, double flatbuffers_share, std::uint64_t seed) {
  std::map<std::string, std::size_t> index;
  std::mt19937_64 rng(seed ^ 0x5eed'f1a7ULL);
  std::bernoulli_distribution speaks_json(1 - flatbuffers_share);
  for (std::size_t i = 0; i < m.locations.size(); ++i) {
    auto [it, added] = index.try_emplace(m.locations[i].provider, m.providers.size());
    if (added) m.providers.push_back({m.locations[i].provider, speaks_json(rng), {}});
    m.providers[it->second].locations.push_back(i);
  }
}

SimMarket from_groups(const Scenario& s) {
  SimMarket m;
  m.spec = s.market;
  const MarketSpec& spec = s.market;
  std::set<std::string> categories;
  for (const auto& g : spec.providers) categories.insert(g.categories.begin(), g.categories.end());
  for (const auto& c : s.demand.categories) categories.insert(c.category);
  for (const auto& c : categories) m.commands.push_back(DefineCategory{{c, c}});
  DpsConfig c;
  c.code = spec.dps;
  c.name = s.name;
  c.council = s.name;
  c.lots = {Lot{spec.lot, "Home care", Unit::hours, spec.rate_min, spec.rate_max, spec.fair_cost}};
  c.categories.assign(categories.begin(), categories.end());
  for (const auto& z : spec.zones) c.zones.push_back(Zone{z.code, z.code, z.districts});
  c.tiers = spec.tiers;
  for (const auto& r : spec.routes) c.routes.push_back(Route{r.name, r.when_any_category, r.tiers});
  m.commands.push_back(ConfigureDps{c});
  for (const auto& g : spec.providers)
    for (int n = 1; n <= g.count; ++n) {
      SimLocation l;
      l.id = g.name + "-" + std::to_string(n);
      l.provider = l.id;
      l.tier = g.tier;
      l.zones = g.spread_over_zones ? std::vector<std::string>{g.zones[static_cast<std::size_t>(n - 1) % g.zones.size()]} : g.zones;
      l.categories = g.categories;
      l.capacity_hours = g.capacity_hours;
      l.behaviour = g.behaviour;
      const Zone* zone = nullptr;
      for (const auto& z : c.zones)
        if (z.code == l.zones.front()) zone = &z;
      const std::string postcode = zone && !zone->postcode_districts.empty() ? zone->postcode_districts.front() + " 1AA" : "";
      m.commands.push_back(RegisterProvider{l.provider, l.provider + " Care Ltd"});
      m.commands.push_back(RegisterLocation{l.id, l.provider, l.id + " branch", postcode, s.name});
      m.commands.push_back(ApplyToDps{l.id, spec.dps});
      m.commands.push_back(AdmitToDps{l.id, spec.dps, {spec.lot}, l.categories, l.zones, l.tier, l.capacity_hours});
      UpdateQualityInputs q;
      q.location = l.id;
      q.cqc = cqc(g.cqc);
      q.pamms = pamms(g.pamms);
      q.self_assessment = g.self_assessment;
      m.commands.push_back(q);
      m.locations.push_back(std::move(l));
    }
  return m;
}

SimMarket from_demo(const Scenario& s, const std::string& data_dir, UtcMillis now) {
  SimMarket m;
  auto demo = demo::demo_market(data_dir, now);
  if (!demo.error.empty()) {
    m.error = "cannot read the demonstration market: " + demo.error;
    return m;
  }
  m.spec = s.market;
  m.spec.dps = demo::kHomeCareDps;
  std::map<std::string, std::string> provider_of;
  for (const auto& command : demo.commands) {
    if (const auto* d = std::get_if<ConfigureDps>(&command); d && d->config.code == demo::kHomeCareDps) {
      const DpsConfig& c = d->config;
      m.spec.lot = c.lots.front().code;
      m.spec.fair_cost = c.lots.front().fair_cost;
      m.spec.rate_min = c.lots.front().rate_min;
      m.spec.rate_max = c.lots.front().rate_max;
      m.spec.tiers = c.tiers;
      m.spec.zones.clear();
      for (const auto& z : c.zones) m.spec.zones.push_back({z.code, z.postcode_districts});
    }
    if (const auto* r = std::get_if<RegisterLocation>(&command)) provider_of[r->location] = r->provider;
    if (const auto* a = std::get_if<AdmitToDps>(&command); a && a->dps == demo::kHomeCareDps) {
      SimLocation l;
      l.id = a->location;
      l.provider = provider_of[a->location];
      l.tier = a->tier;
      l.zones = a->zones;
      l.categories = a->categories;
      l.capacity_hours = a->capacity > 0 ? a->capacity : s.market.demo_capacity_hours;
      l.behaviour = s.market.demo_behaviour;
      m.locations.push_back(std::move(l));
    }
  }
  m.commands = std::move(demo.commands);
  // The demo declares no capacity: give every home-care location the scenario's.
  for (auto& command : m.commands)
    if (auto* a = std::get_if<AdmitToDps>(&command); a && a->dps == demo::kHomeCareDps && a->capacity == 0)
      a->capacity = s.market.demo_capacity_hours;
  return m;
}

}  // namespace

SimMarket scenario_market(const Scenario& s, const std::string& data_dir, UtcMillis now) {
  SimMarket m = s.market.source == "demo" ? from_demo(s, data_dir, now) : from_groups(s);
  if (m.error.empty()) group_providers(m, s.market.flatbuffers_share, s.seed);
  return m;
}

}  // namespace carebroker::sim
