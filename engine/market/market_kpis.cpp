// Market: KPIs (issue 12 item 4). A provider returns the KPIs of its own admitted location for a
// quarter (a percentage 0..100 for every KPI of the DPS's set); a later return for the same DPS
// and quarter amends it (the latest counts; every return is kept). A location's KPI input to the
// quality score is the compliance of its latest quarter returned, 0 once a quarter's return is
// overdue. Every change of a quality score's input advances the location's quality score
// version, and a package's window closing keeps each offer's score and version, which its
// ranking uses from then on. The rules are kpi.h's.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <set>

#include "engine/market/market.h"
#include "engine/market/market_emitter.h"

namespace carebroker::engine {
namespace {

constexpr std::size_t kMaxKpiNotes = 2000;

}  // namespace

Reply Market::handle(const SubmitKpiReturn& c, Emitter& e) {
  Membership_ref ref{};
  if (Status s = find_own_admitted_membership(c.provider, c.location, c.dps, ref); !s.ok()) return {s};
  const std::optional<Quarter> quarter = parse_quarter(c.quarter);
  if (!quarter)
    return {reject(Code::invalid_quarter, "a quarter is written like 2026-Q3 (a year 2000..2199, Q1..Q4), not '" +
                                              c.quarter.substr(0, 32) + "'")};
  if (*quarter > quarter_of(today_))
    return {reject(Code::quarter_in_future, c.quarter + " has not begun: today is " + format_date(today_) + " (" +
                                                format_quarter(quarter_of(today_)) + ")")};
  if (c.notes.size() > kMaxKpiNotes) return {reject(Code::notes_too_long, "a KPI return's notes are limited to 2000 characters")};
  const std::vector<Kpi>& kpis = kpis_of(dps_[ref.dps]);
  std::set<std::string_view> given;
  for (const KpiValue& v : c.values) {
    if (std::none_of(kpis.begin(), kpis.end(), [&](const Kpi& k) { return k.id == v.kpi; }))
      return {reject(Code::unknown_kpi, "no KPI '" + v.kpi.substr(0, 64) + "' in " + c.dps + "'s KPI set")};
    if (!given.insert(v.kpi).second) return {reject(Code::duplicate_kpi, "KPI '" + v.kpi + "' is reported twice")};
    if (v.value_x100 < 0 || v.value_x100 > 10000)
    {
      char shown[32];
      std::snprintf(shown, sizeof shown, "%.2f", v.value_x100 / 100.0);
      return {reject(Code::invalid_kpi_value, "KPI '" + v.kpi + "' is a percentage 0..100, not " + shown)};
    }
  }
  KpiReturn r;
  r.dps = ref.dps;
  r.quarter = *quarter;
  for (const Kpi& k : kpis) {
    const auto it = std::find_if(c.values.begin(), c.values.end(), [&](const KpiValue& v) { return v.kpi == k.id; });
    if (it == c.values.end()) return {reject(Code::kpi_not_reported, "KPI '" + k.id + "' (" + k.name + ") is not reported")};
    r.values.push_back(*it);  // in the set's order
  }
  r.kpis = kpis;
  r.notes = c.notes;
  r.submitted_by = c.by;
  r.submitted_at = now_;
  r.submitted_on = today_;
  (void)counting_kpi_return(ref.location, ref.dps, *quarter, &r.amends);
  e.emit(KpiReturnSubmitted{ref.location, std::move(r)});
  return Reply{Status{}, 0, false, locations_[ref.location].kpi_returns.size()};  // its number
}

void Market::apply_kpi_return(const KpiReturnSubmitted& e) {
  Location& l = locations_[e.location];
  l.kpi_returns.push_back(e.kpi_return);
  ++l.quality_version;
}

const KpiReturn* Market::counting_kpi_return(LocationIndex loc, int dps, Quarter q, int* number) const {
  const auto& returns = locations_[loc].kpi_returns;
  for (std::size_t i = returns.size(); i-- > 0;)
    if (returns[i].dps == dps && returns[i].quarter == q) {
      if (number) *number = static_cast<int>(i + 1);
      return &returns[i];
    }
  if (number) *number = 0;
  return nullptr;
}

KpiReturnDue Market::kpi_return_due(LocationIndex loc, int dps) const {
  const Location& l = locations_[loc];
  const int due_days = dps_[dps].quality.kpi_return_due_days;
  KpiReturnDue due;
  for (const KpiReturn& r : l.kpi_returns)
    if (r.dps == dps && r.quarter > due.last_returned) due.last_returned = r.quarter;
  if (due.last_returned != 0) (void)counting_kpi_return(loc, dps, due.last_returned, &due.last_number);
  const Membership* m = l.membership_of(dps);
  if (!m || m->applied_at == 0) return due;
  // The quarters owed: from the one the location applied in, each due `due_days` after it ends.
  const Quarter first = quarter_of(london_date(m->applied_at));
  Quarter owed = quarter_of(today_);
  while (owed >= first && quarter_last_day(owed) + due_days >= today_) --owed;  // not yet past due
  if (owed >= first) {
    due.owed = owed;
    due.owed_due = quarter_last_day(owed) + due_days;
    due.overdue = counting_kpi_return(loc, dps, owed) == nullptr;
  }
  Quarter next = std::max(first, owed + 1);
  while (next <= quarter_of(today_) && counting_kpi_return(loc, dps, next)) ++next;
  due.next = next;
  due.next_due = quarter_last_day(next) + due_days;
  return due;
}

KpiStanding Market::kpi_standing(LocationIndex loc, int dps) const {
  const KpiReturnDue due = kpi_return_due(loc, dps);
  KpiStanding s;
  s.overdue = due.overdue;
  if (due.last_returned != 0) {
    s.points = kpi_points(kpi_compliance(*counting_kpi_return(loc, dps, due.last_returned)));
    s.quarter = format_quarter(due.last_returned);
  }
  return s;
}

void Market::capture_quality_at_close(Package& p, UtcMillis at) {
  if (p.offers.empty() && p.records->quality_at_close.empty()) return;
  PackageRecords records = *p.records;
  records.quality_at_close.clear();
  for (const Offer& o : p.offers) {
    QualityScore q = quality_of(o.location, p.dps);
    records.quality_at_close.push_back({o.location, locations_[o.location].quality_version,
                                        static_cast<int>(std::llround(q.score * 100)), q.provisional, std::move(q.parts)});
  }
  records.quality_closed_at = at;
  p.records = std::move(records);
}

}  // namespace carebroker::engine
