// Market reports (issue 12 item 6): figures over the packages of one DPS posted in a period of
// UK (London) dates, live and retired (archived) alike, each split by funder — and, about the
// DPS's locations rather than its packages (so not by funder), the providers entering and
// leaving and the RAG counts over time, from the history market state keeps as events apply. Computed from the
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

/// "What the DPS saves against what we paid before": the placements (with a rate) of the
/// packages posted in the period, by funder, lot, zone and category (each but the lot also all:
/// -1 / empty; a package of two categories counts under each), against the lot's configured
/// baseline rate (Lot::baseline_rate, pence per unit). The arithmetic, exact until the last step:
///   - a placement's units a week u = PackageFacts::weekly_load / 60 (hours for hours lots, a
///     double-handed hour counting twice; places or sessions otherwise), at its rate r;
///   - paid a week = Σ r × u; at baseline a week = Σ b × u (b: the lot's baseline rate);
///   - weekly saving = at baseline − paid = Σ (b − r) × u (negative: an overspend);
///   - annual saving = weekly saving × 52;
///   - mean rate paid = paid a week / Σ u (weighted by units).
/// Sums are kept in sixtieths of a penny (Σ rate × weekly_load) and each figure is rounded to
/// the penny (halves away from zero) only when it is reported. A lot with no baseline (0) has
/// `has_baseline` false and no baseline, saving or annual figures — not a zero saving.
struct SavingsRow {
  std::optional<Funder> funder;
  int lot = -1;
  int zone = -1;
  int category = -1;
  std::int64_t placements = 0;
  std::int64_t weekly_load = 0;   ///< Σ weekly_load (sixtieths of a unit)
  std::int64_t paid_60ths = 0;    ///< Σ rate × weekly_load (sixtieths of a penny a week)
  Pence baseline_rate = 0;        ///< the lot's; 0 = none configured
  bool has_baseline() const { return baseline_rate > 0; }
  /// Rounded figures (pence), as reported.
  Pence mean_rate() const;        ///< paid / units; 0 when no units
  Pence paid_per_week() const;
  Pence baseline_per_week() const;  ///< REQUIRES: has_baseline()
  Pence saving_per_week() const;    ///< REQUIRES: has_baseline()
  Pence saving_per_year() const;    ///< REQUIRES: has_baseline()
};
std::vector<SavingsRow> savings_report(const Market&, const ReportPeriod&);

/// "Which providers came and went": the moves into and out of the DPS (admission_history.h)
/// dated (London) in the period, oldest first (moves of the same instant in the order the
/// locations were registered). Not split by funder: a location is admitted to
/// a DPS, not to a funder. `period.funder` is ignored (the route refuses it).
struct MoveRow {
  LocationIndex location = 0;
  AdmissionMove move;
};
std::vector<MoveRow> movements_report(const Market&, const ReportPeriod&);

/// The same moves counted by London calendar month (each month of the period, clipped to it,
/// also those with no move): entering and leaving by kind, and the net change in the number of
/// locations in the DPS (Σ in_after − in_before).
struct MovementMonthRow {
  Date first = 0, last = 0;  ///< the month's days within the period
  std::int64_t admitted = 0, reinstated = 0, contract_restored = 0;
  std::int64_t exited = 0, terminated = 0, suspended = 0;
  std::int64_t net = 0;
  std::int64_t entering() const { return admitted + reinstated + contract_restored; }
  std::int64_t leaving() const { return exited + terminated + suspended; }
};
std::vector<MovementMonthRow> movement_months_report(const Market&, const ReportPeriod&);

/// "How many admitted locations were Green, Amber or Red": for each day, or each week (Monday
/// to Sunday, the first and last clipped to the period), the locations in the DPS (admitted,
/// under a contract not terminated: admission_history.h) at the end of the bucket's last day
/// (London midnight), each under the RAG last announced for it under the DPS before then
/// (RagChanged history; Green when none). A bucket that ends after the market's clock counts
/// the market as it stands now; buckets that start after today are left out. Not split by
/// funder (`period.funder` is ignored; the route refuses it).
enum class RagBucket : std::uint8_t { day, week };
struct RagCountRow {
  Date first = 0, last = 0;  ///< the bucket's days within the period
  UtcMillis at = 0;          ///< the instant counted at: the last millisecond of `last`, or now
  std::int64_t green = 0, amber = 0, red = 0;
  std::int64_t locations() const { return green + amber + red; }
};
std::vector<RagCountRow> rag_counts_report(const Market&, const ReportPeriod&, RagBucket);

}  // namespace carebroker::engine
