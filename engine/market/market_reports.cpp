// Market reports: sourcing (time to source and the rates of cascade, decline, unsourced and
// hand-back) and rates paid against the fair cost.
#include "engine/market/market_reports.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <tuple>

namespace carebroker::engine {

std::int64_t percentile(const std::vector<std::int64_t>& sorted, double q) {
  const double pos = q * static_cast<double>(sorted.size() - 1);
  const auto below = static_cast<std::size_t>(pos);
  const std::size_t above = std::min(below + 1, sorted.size() - 1);
  const double value = static_cast<double>(sorted[below]) +
                       (pos - static_cast<double>(below)) * static_cast<double>(sorted[above] - sorted[below]);
  return static_cast<std::int64_t>(std::llround(value));
}

namespace {

constexpr std::int64_t kMillisPerMinute = 60'000;

struct SourcingTally {
  SourcingRow row;
  std::vector<std::int64_t> minutes;
};

void count(SourcingTally& t, const PackageFacts& f) {
  SourcingRow& r = t.row;
  ++r.posted;
  if (f.placed_at != 0) {
    ++r.placed;
    t.minutes.push_back((f.placed_at - f.posted_at) / kMillisPerMinute);
    if (f.handed_back) ++r.handed_back;
  } else if (f.status == PackageStatus::unsourced) {
    ++r.unsourced;
  } else if (f.status == PackageStatus::cancelled || f.status == PackageStatus::direct_payment) {
    ++r.withdrawn;
  } else {
    ++r.in_progress;
  }
  if (f.tiers_tried > 1) ++r.cascaded;
  if (f.declines > 0) ++r.declined;
}

}  // namespace

std::vector<SourcingRow> sourcing_report(const Market& m, const ReportPeriod& period) {
  // Keyed by (funder, urgency), each with "all" (-1) first.
  std::map<std::pair<int, int>, SourcingTally> tallies;
  for_each_reported(m, period, [&](const PackageFacts& f) {
    for (const int funder : {-1, static_cast<int>(f.funder)})
      for (const int urgency : {-1, static_cast<int>(f.urgency)}) count(tallies[{funder, urgency}], f);
  });
  std::vector<SourcingRow> rows;
  rows.reserve(tallies.size());
  for (auto& [key, t] : tallies) {
    SourcingRow r = t.row;
    if (key.first >= 0) r.funder = static_cast<Funder>(key.first);
    if (key.second >= 0) r.urgency = static_cast<Urgency>(key.second);
    if (!t.minutes.empty()) {
      std::sort(t.minutes.begin(), t.minutes.end());
      r.source_minutes_median = percentile(t.minutes, 0.5);
      r.source_minutes_p90 = percentile(t.minutes, 0.9);
    }
    rows.push_back(r);
  }
  return rows;
}

namespace {

/// Calls fn(zone, category) for "all" and for each zone and category of the masks.
template <typename Fn>
void for_each_cell(std::uint64_t zones, CategoryMask categories, Fn&& fn) {
  std::vector<int> zs = {-1}, cs = {-1};
  for (int z = 0; z < 64; ++z)
    if (zones & (std::uint64_t{1} << z)) zs.push_back(z);
  for (int c = 0; c < 64; ++c)
    if (categories & (CategoryMask{1} << c)) cs.push_back(c);
  for (const int z : zs)
    for (const int c : cs) fn(z, c);
}

std::uint64_t zone_bit(int zone) { return zone < 0 ? 0 : std::uint64_t{1} << zone; }

}  // namespace

std::vector<CapacityReportRow> capacity_report(const Market& m, const ReportPeriod& period) {
  // Keyed by (funder, zone, category), -1 meaning all.
  std::map<std::tuple<int, int, int>, CapacityReportRow> rows;
  // Declared capacity: funder "all" first, copied to each funder's rows below.
  std::map<std::pair<int, int>, std::pair<std::int64_t, std::int64_t>> declared;  // → (locations, capacity)
  for (LocationIndex i = 0; i < m.location_count(); ++i) {
    const Membership* ms = m.location(i).membership_of(period.dps);
    if (!ms || ms->status != MembershipStatus::admitted) continue;
    for_each_cell(ms->zones, ms->categories, [&](int z, int c) {
      auto& d = declared[{z, c}];
      ++d.first;
      d.second += static_cast<std::int64_t>(ms->capacity) * 60;
    });
  }
  const auto funders = [](Funder f) { return std::array<int, 2>{-1, static_cast<int>(f)}; };
  // Use now: live placements of the DPS's packages in memory (a retired package's placement has ended).
  for (PackageId id = 1; id <= m.package_count(); ++id) {
    const Package* p = m.find_package(id);
    if (!p || p->dps != period.dps) continue;
    const Placement* placement = m.find_placement(id);
    if (!placement || !placement->is_live()) continue;
    if (period.funder && p->spec->funder != *period.funder) continue;
    const std::int64_t load = weekly_load(placement->unit, placement->quantity, placement->double_handed);
    for (const int f : funders(p->spec->funder))
      for_each_cell(zone_bit(p->zone), p->categories, [&](int z, int c) {
        CapacityReportRow& r = rows[{f, z, c}];
        ++r.placements;
        r.used += load;
      });
  }
  // Demand: the packages posted in the period.
  for_each_reported(m, period, [&](const PackageFacts& facts) {
    for (const int f : funders(facts.funder))
      for_each_cell(zone_bit(facts.zone), facts.categories, [&](int z, int c) {
        CapacityReportRow& r = rows[{f, z, c}];
        ++r.packages;
        r.demand += facts.weekly_load;
      });
  });
  // Declared capacity on every funder's rows of its cell (and a row for a cell with capacity only).
  for (const auto& [cell, d] : declared) rows[{-1, cell.first, cell.second}];
  std::vector<CapacityReportRow> out;
  out.reserve(rows.size());
  for (auto& [key, r] : rows) {
    const auto [f, z, c] = key;
    if (f >= 0) r.funder = static_cast<Funder>(f);
    r.zone = z;
    r.category = c;
    if (const auto it = declared.find({z, c}); it != declared.end()) {
      r.locations = it->second.first;
      r.declared = it->second.second;
    }
    out.push_back(r);
  }
  return out;
}

std::vector<RatesRow> rates_report(const Market& m, const ReportPeriod& period) {
  const DpsConfig& dps = m.dps(period.dps);
  const int categories = static_cast<int>(m.categories().size());
  // Keyed by (funder, lot, zone, category), -1 meaning all.
  std::map<std::tuple<int, int, int, int>, std::vector<std::int64_t>> rates;
  for_each_reported(m, period, [&](const PackageFacts& f) {
    if (f.placed_at == 0 || f.rate <= 0 || f.lot < 0) return;
    for (const int funder : {-1, static_cast<int>(f.funder)})
      for (const int zone : {-1, f.zone}) {
        rates[{funder, f.lot, zone, -1}].push_back(f.rate);
        for (int c = 0; c < categories && c < 64; ++c)
          if (f.categories & (CategoryMask{1} << c)) rates[{funder, f.lot, zone, c}].push_back(f.rate);
      }
  });
  std::vector<RatesRow> rows;
  rows.reserve(rates.size());
  for (auto& [key, values] : rates) {
    std::sort(values.begin(), values.end());
    RatesRow r;
    const auto [funder, lot, zone, category] = key;
    if (funder >= 0) r.funder = static_cast<Funder>(funder);
    r.lot = lot;
    r.zone = zone;
    r.category = category;
    r.placements = static_cast<std::int64_t>(values.size());
    r.q1 = percentile(values, 0.25);
    r.median = percentile(values, 0.5);
    r.q3 = percentile(values, 0.75);
    r.fair_cost = static_cast<std::size_t>(lot) < dps.lots.size() ? dps.lots[static_cast<std::size_t>(lot)].fair_cost : 0;
    rows.push_back(r);
  }
  return rows;
}

}  // namespace carebroker::engine
