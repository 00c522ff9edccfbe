// REST market reports about a DPS's locations (not split by funder: a location is admitted to a
// DPS, not to a funder): providers entering and leaving, by month and move by move, and the
// RAG counts over time (engine/market/market_reports.h says what each counts).
#include "engine/market/calendar.h"
#include "gateway/rest/report_table.h"

namespace carebroker::gateway::rest {
namespace {

using namespace carebroker::engine;
namespace json = boost::json;

/// "2026-11" of a date.
std::string month_of(Date d) { return format_date(d).substr(0, 7); }

}  // namespace

ReportTable entering_leaving_table(const Market& m, const ReportQuery& q) {
  ReportTable t;
  t.columns = {"month", "first_day", "last_day", "entering", "admitted", "reinstated", "contract_restored",
               "leaving", "planned_exits", "terminations", "suspensions", "net_change"};
  for (const MovementMonthRow& r : movement_months_report(m, q.period))
    t.rows.push_back({json::value(month_of(r.first)), json::value(format_date(r.first)), json::value(format_date(r.last)),
                      r.entering(), r.admitted, r.reinstated, r.contract_restored, r.leaving(), r.exited, r.terminated,
                      r.suspended, r.net});
  return t;
}

ReportTable entering_leaving_list_table(const Market& m, const ReportQuery& q) {
  ReportTable t;
  t.columns = {"date", "at", "direction", "kind", "location_id", "location_name", "provider_id", "in_dps_before",
               "in_dps_after"};
  for (const MoveRow& r : movements_report(m, q.period)) {
    const Location& l = m.location(r.location);
    t.rows.push_back({json::value(format_date(london_date(r.move.at))), json::value(format_london(r.move.at)),
                      json::value(is_entering(r.move.kind) ? "entering" : "leaving"), json::value(to_string(r.move.kind)),
                      json::value(l.id), json::value(l.name), json::value(l.provider_id), r.move.in_before, r.move.in_after});
  }
  return t;
}

ReportTable rag_counts_table(const Market& m, const ReportQuery& q) {
  ReportTable t;
  t.columns = {"first_day", "last_day", "counted_at", "locations", "green", "amber", "red"};
  for (const RagCountRow& r : rag_counts_report(m, q.period, q.bucket))
    t.rows.push_back({json::value(format_date(r.first)), json::value(format_date(r.last)), json::value(format_london(r.at)),
                      r.locations(), r.green, r.amber, r.red});
  return t;
}

}  // namespace carebroker::gateway::rest
