// The market's outcomes (sim_outcomes.h).
#include "sim/sim_outcomes.h"

#include <algorithm>

namespace carebroker::sim {

namespace {

double percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const auto i = static_cast<std::size_t>(p / 100 * static_cast<double>(v.size() - 1) + 0.5);
  return v[std::min(i, v.size() - 1)];
}

}  // namespace

Outcomes market_outcomes(const RunRecord& r, const SimMarket& market) {
  Outcomes o;
  std::map<std::string, std::vector<double>> hours;
  double price_sum = 0;
  std::uint64_t priced = 0;
  for (const auto& [id, p] : r.packages) {
    std::vector<std::string> groups = {"all"};
    if (!p.posted_by_officer) groups.push_back("reprocured");
    else {
      groups.push_back(to_string(p.urgency));
      if (p.discharge) groups.push_back("discharge");
      groups.push_back(p.winter ? "winter" : "baseline");
    }
    for (const auto& g : groups) {
      SourcingFigures& f = o.by_group[g];
      ++f.posted;
      if (p.cascades > 0) ++f.cascaded;
      if (p.status == "placed" || p.status == "ended") {
        ++f.placed;
        if (p.sourced_sim_s >= 0) hours[g].push_back((p.sourced_sim_s - p.posted_sim_s) / 3600);
      } else if (p.status == "unsourced") {
        ++f.unsourced;
      } else {
        ++f.still_open;
      }
    }
    if (p.price > 0) {
      price_sum += static_cast<double>(p.price);
      ++priced;
    }
  }
  for (auto& [g, f] : o.by_group) {
    f.hours_p50 = percentile(hours[g], 50);
    f.hours_p90 = percentile(hours[g], 90);
    f.hours_max = percentile(hours[g], 100);
  }
  o.average_rate = priced ? price_sum / static_cast<double>(priced) : 0;
  o.rate_vs_fair = market.spec.fair_cost ? o.average_rate / static_cast<double>(market.spec.fair_cost) : 0;
  for (const auto& l : market.locations) o.declared_hours_per_week += l.capacity_hours;
  o.placed_hours_per_week = static_cast<double>(r.placed_minutes) / 60;
  o.capacity_used = o.declared_hours_per_week > 0 ? o.placed_hours_per_week / o.declared_hours_per_week : 0;
  return o;
}

std::vector<double> fan_out_ms(const RunRecord& r, bool to_first) {
  std::vector<double> out;
  for (const auto& [id, p] : r.packages) {
    const double at = to_first ? p.first_first_tier_broadcast_wall_s : p.last_first_tier_broadcast_wall_s;
    if (p.posted_by_officer && p.acked_wall_s >= 0 && at >= 0) out.push_back(std::max(0.0, (at - p.acked_wall_s) * 1000));
  }
  return out;
}

}  // namespace carebroker::sim
