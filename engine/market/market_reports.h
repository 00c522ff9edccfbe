// Market reports (issue 12 item 6): figures over the packages of one DPS posted in a period of
// UK (London) dates, live and retired (archived) alike, each split by funder. Computed from the
// market's state on a replica's thread (a report is a read; never run one on the writer): the
// packages in memory are read as they stand, the retired ones from the facts kept as they
// retired (Market::retired_facts). One pass over the DPS's packages per report; nothing is
// rescanned from the journal.
//
// Percentiles (medians, quartiles, p90) interpolate linearly between the sorted values (the
// "inclusive" method: spreadsheets' QUARTILE.INC, numpy's default), rounded to the nearest
// whole penny or minute, halves away from zero.
// Pure; not thread-safe (read a Market that no other thread changes).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "engine/market/market.h"

namespace carebroker::engine {

/// Which packages a report counts: those of `dps` posted on a London date from `from` to `to`
/// (both included), of `funder` when given.
struct ReportPeriod {
  int dps = -1;
  Date from = 0;
  Date to = 0;
  std::optional<Funder> funder;
};

/// Calls `fn(const PackageFacts&)` for every package the period counts, in memory or retired.
template <typename Fn>
void for_each_reported(const Market& m, const ReportPeriod& period, Fn&& fn) {
  const auto counts = [&](const PackageFacts& f) {
    if (f.dps != period.dps) return false;
    const Date posted = london_date(f.posted_at);
    return posted >= period.from && posted <= period.to && (!period.funder || f.funder == *period.funder);
  };
  for (const PackageFacts& f : m.retired_facts())
    if (counts(f)) fn(f);
  for (PackageId id = 1; id <= m.package_count(); ++id) {
    const Package* p = m.find_package(id);
    if (!p || p->dps != period.dps) continue;  // retired: counted above
    const PackageFacts f = report_facts_of(*p, m.find_placement(id), m.dps(p->dps).lots[p->lot].unit);
    if (counts(f)) fn(f);
  }
}

/// The value at fraction `q` (0..1) of the sorted `values`, interpolated; REQUIRES: not empty.
std::int64_t percentile(const std::vector<std::int64_t>& sorted, double q);

/// "How fast and how surely is care found": one row per funder (and all funders, `funder`
/// empty) and urgency (and all urgencies, `urgency` empty), rows with no package left out.
struct SourcingRow {
  std::optional<Funder> funder;
  std::optional<Urgency> urgency;
  std::int64_t posted = 0;
  std::int64_t placed = 0;       ///< ever placed (award accepted, or placed by the person's choice)
  std::int64_t unsourced = 0;    ///< closed with no provider found
  std::int64_t withdrawn = 0;    ///< cancelled, or closed for a direct payment
  std::int64_t in_progress = 0;  ///< still in competition
  std::int64_t cascaded = 0;     ///< broadcast to more than one tier
  std::int64_t declined = 0;     ///< at least one award declined or let lapse
  std::int64_t handed_back = 0;  ///< placed, then handed back by the provider
  /// Minutes from posting to placement, of the placed packages; nullopt when none.
  std::optional<std::int64_t> source_minutes_median;
  std::optional<std::int64_t> source_minutes_p90;
};
std::vector<SourcingRow> sourcing_report(const Market&, const ReportPeriod&);

/// "What we pay against the fair cost": the rates of placements (with a rate) by funder, lot,
/// zone and category — each also over all funders, zones and categories (empty / -1) — beside
/// the lot's fair cost of care (its cost model's, or as configured; 0 = none).
struct RatesRow {
  std::optional<Funder> funder;
  int lot = -1;
  int zone = -1;      ///< -1: all zones
  int category = -1;  ///< -1: all categories (a package of two categories counts under each)
  std::int64_t placements = 0;
  Pence q1 = 0;
  Pence median = 0;
  Pence q3 = 0;
  Pence fair_cost = 0;
};
std::vector<RatesRow> rates_report(const Market&, const ReportPeriod&);

/// "Is there capacity where the demand is": by funder, zone and category (each also all, -1 /
/// empty), in sixtieths of the lots' unit a week (hours lots: minutes) —
///   - `declared`: the capacity admitted locations declared (Membership::capacity), each counted
///     whole under every zone and category it serves (not split), the same on every funder's
///     row (capacity is not funded): now, as the market stands;
///   - `used`: the live placements' load (hours as agreed now; double-handed counted twice) in
///     that zone and category, of that funder's packages: now;
///   - `demand`: what the packages posted in the period asked for, and how many there were.
/// Rows with nothing declared, used or asked for are left out.
struct CapacityReportRow {
  std::optional<Funder> funder;
  int zone = -1;
  int category = -1;
  std::int64_t locations = 0;  ///< admitted locations serving the zone and category
  std::int64_t declared = 0;
  std::int64_t placements = 0;  ///< live placements
  std::int64_t used = 0;
  std::int64_t packages = 0;  ///< posted in the period
  std::int64_t demand = 0;
};
std::vector<CapacityReportRow> capacity_report(const Market&, const ReportPeriod&);

}  // namespace carebroker::engine
