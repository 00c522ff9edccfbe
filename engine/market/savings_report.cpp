// Market reports: savings against each lot's baseline rate (market_reports.h SavingsRow says
// the arithmetic).
#include <map>
#include <tuple>

#include "engine/market/market_reports.h"

namespace carebroker::engine {
namespace {

/// n / d rounded to the nearest whole number, halves away from zero; REQUIRES: d > 0.
std::int64_t rounded_div(std::int64_t n, std::int64_t d) { return n >= 0 ? (n + d / 2) / d : -((-n + d / 2) / d); }

constexpr std::int64_t kWeeksPerYear = 52;

}  // namespace

Pence SavingsRow::mean_rate() const { return weekly_load == 0 ? 0 : rounded_div(paid_60ths, weekly_load); }
Pence SavingsRow::paid_per_week() const { return rounded_div(paid_60ths, 60); }
Pence SavingsRow::baseline_per_week() const { return rounded_div(baseline_rate * weekly_load, 60); }
Pence SavingsRow::saving_per_week() const { return rounded_div(baseline_rate * weekly_load - paid_60ths, 60); }
Pence SavingsRow::saving_per_year() const {
  return rounded_div((baseline_rate * weekly_load - paid_60ths) * kWeeksPerYear, 60);
}

std::vector<SavingsRow> savings_report(const Market& m, const ReportPeriod& period) {
  const DpsConfig& dps = m.dps(period.dps);
  const int categories = static_cast<int>(m.categories().size());
  // Keyed by (funder, lot, zone, category), -1 meaning all.
  std::map<std::tuple<int, int, int, int>, SavingsRow> rows;
  for_each_reported(m, period, [&](const PackageFacts& f) {
    if (f.placed_at == 0 || f.rate <= 0 || f.lot < 0) return;
    const auto add = [&](SavingsRow& r) {
      ++r.placements;
      r.weekly_load += f.weekly_load;
      r.paid_60ths += f.rate * f.weekly_load;
    };
    for (const int funder : {-1, static_cast<int>(f.funder)})
      for (const int zone : {-1, f.zone}) {
        add(rows[{funder, f.lot, zone, -1}]);
        for (int c = 0; c < categories && c < 64; ++c)
          if (f.categories & (CategoryMask{1} << c)) add(rows[{funder, f.lot, zone, c}]);
      }
  });
  std::vector<SavingsRow> out;
  out.reserve(rows.size());
  for (auto& [key, r] : rows) {
    const auto [funder, lot, zone, category] = key;
    if (funder >= 0) r.funder = static_cast<Funder>(funder);
    r.lot = lot;
    r.zone = zone;
    r.category = category;
    r.baseline_rate = static_cast<std::size_t>(lot) < dps.lots.size() ? dps.lots[static_cast<std::size_t>(lot)].baseline_rate : 0;
    out.push_back(r);
  }
  return out;
}

}  // namespace carebroker::engine
