// REST: market reports (GET /api/v1/reports/{name}?dps=&from=&to=[&funder=][&bucket=][&format=]),
// issue 12 item 6. Each report is a table — the same columns in JSON ("rows", objects) and in CSV (a
// header row, then one line per row, RFC 4180: CRLF line ends, a field holding a comma, a quote
// or a line break in double quotes, quotes doubled). CSV when ?format=csv, or when the request
// accepts text/csv and names no format. The figures are computed on the reader replica
// (engine/market/market_reports.h), never on the writer.
#include <cmath>

#include "engine/market/market_reports.h"
#include "gateway/error_codes.h"
#include "gateway/rest/report_table.h"
#include "gateway/rest/csv.h"
#include "gateway/rest/json_convert.h"
#include "gateway/rest/route_context.h"

namespace carebroker::gateway::rest {
namespace {

using namespace carebroker::engine;

/// n out of d as a percentage to one decimal place; null when d is 0.
json::value pct(std::int64_t n, std::int64_t d) {
  if (d == 0) return nullptr;
  return std::round(1000.0 * static_cast<double>(n) / static_cast<double>(d)) / 10.0;
}

json::value optional_number(const std::optional<std::int64_t>& v) { return v ? json::value(*v) : json::value(nullptr); }

std::string_view funder_name(const std::optional<Funder>& f) { return f ? to_string(*f) : std::string_view("all"); }

ReportTable sourcing_table(const Market& m, const ReportQuery& q) {
  const ReportPeriod& period = q.period;
  ReportTable t;
  t.columns = {"funder", "urgency", "posted", "placed", "unsourced", "withdrawn", "in_progress",
               "cascaded", "declined", "handed_back", "time_to_source_median_minutes",
               "time_to_source_p90_minutes", "cascade_rate_pct", "decline_rate_pct", "unsourced_rate_pct",
               "hand_back_rate_pct"};
  for (const SourcingRow& r : sourcing_report(m, period))
    t.rows.push_back({json::value(funder_name(r.funder)),
                      json::value(r.urgency ? to_string(*r.urgency) : std::string_view("all")),
                      r.posted, r.placed, r.unsourced, r.withdrawn, r.in_progress, r.cascaded, r.declined,
                      r.handed_back, optional_number(r.source_minutes_median),
                      optional_number(r.source_minutes_p90), pct(r.cascaded, r.posted), pct(r.declined, r.posted),
                      pct(r.unsourced, r.placed + r.unsourced), pct(r.handed_back, r.placed)});
  return t;
}

ReportTable rates_table(const Market& m, const ReportQuery& q) {
  const ReportPeriod& period = q.period;
  const DpsConfig& dps = m.dps(period.dps);
  ReportTable t;
  t.columns = {"funder", "lot", "zone", "category", "placements", "rate_q1", "rate_median", "rate_q3",
               "fair_cost", "median_minus_fair_cost", "median_pct_of_fair_cost"};
  for (const RatesRow& r : rates_report(m, period)) {
    const bool fair = r.fair_cost > 0;
    t.rows.push_back({json::value(funder_name(r.funder)), json::value(dps.lots[static_cast<std::size_t>(r.lot)].code),
                      r.zone < 0 ? json::value("all") : json::value(dps.zones[static_cast<std::size_t>(r.zone)].code),
                      r.category < 0 ? json::value("all") : json::value(m.category_codes()[static_cast<std::size_t>(r.category)]),
                      r.placements, r.q1, r.median, r.q3, fair ? json::value(r.fair_cost) : json::value(nullptr),
                      fair ? json::value(r.median - r.fair_cost) : json::value(nullptr),
                      fair ? pct(r.median, r.fair_cost) : json::value(nullptr)});
  }
  return t;
}

/// Sixtieths of a unit (minutes of an hour) as units to one decimal place.
json::value per_week(std::int64_t sixtieths) { return std::round(static_cast<double>(sixtieths) / 6.0) / 10.0; }

ReportTable capacity_table(const Market& m, const ReportQuery& q) {
  const ReportPeriod& period = q.period;
  const DpsConfig& dps = m.dps(period.dps);
  ReportTable t;
  t.columns = {"funder", "zone", "category", "locations", "declared_per_week", "placements", "used_per_week",
               "used_pct_of_declared", "packages_posted", "demand_per_week"};
  for (const CapacityReportRow& r : capacity_report(m, period))
    t.rows.push_back({json::value(funder_name(r.funder)),
                      r.zone < 0 ? json::value("all") : json::value(dps.zones[static_cast<std::size_t>(r.zone)].code),
                      r.category < 0 ? json::value("all") : json::value(m.category_codes()[static_cast<std::size_t>(r.category)]),
                      r.locations, per_week(r.declared), r.placements, per_week(r.used), pct(r.used, r.declared),
                      r.packages, per_week(r.demand)});
  return t;
}

/// Pence as a figure, or null when there is none.
json::value pence_or_null(bool present, Pence p) { return present ? json::value(p) : json::value(nullptr); }

ReportTable savings_table(const Market& m, const ReportQuery& q) {
  const DpsConfig& dps = m.dps(q.period.dps);
  ReportTable t;
  t.columns = {"funder", "lot", "zone", "category", "placements", "units_per_week", "rate_paid_mean", "baseline_rate",
               "paid_per_week", "baseline_per_week", "saving_per_week", "saving_per_year", "saving_pct_of_baseline"};
  for (const SavingsRow& r : savings_report(m, q.period)) {
    const bool base = r.has_baseline();
    t.rows.push_back({json::value(funder_name(r.funder)), json::value(dps.lots[static_cast<std::size_t>(r.lot)].code),
                      r.zone < 0 ? json::value("all") : json::value(dps.zones[static_cast<std::size_t>(r.zone)].code),
                      r.category < 0 ? json::value("all") : json::value(m.category_codes()[static_cast<std::size_t>(r.category)]),
                      r.placements, per_week(r.weekly_load), r.mean_rate(), pence_or_null(base, r.baseline_rate),
                      r.paid_per_week(), pence_or_null(base, base ? r.baseline_per_week() : 0),
                      pence_or_null(base, base ? r.saving_per_week() : 0), pence_or_null(base, base ? r.saving_per_year() : 0),
                      base ? pct(r.baseline_rate * r.weekly_load - r.paid_60ths, r.baseline_rate * r.weekly_load)
                           : json::value(nullptr)});
  }
  return t;
}

using TableOf = ReportTable (*)(const Market&, const ReportQuery&);
struct ReportKind {
  std::string_view name;
  TableOf table;
  bool by_funder = true;   ///< about packages, so split by funder (else about locations: ?funder= is refused)
  bool by_bucket = false;  ///< takes ?bucket=day|week
};
constexpr ReportKind kReports[] = {{"capacity", capacity_table},
                                   {"sourcing", sourcing_table},
                                   {"rates", rates_table},
                                   {"savings", savings_table},
                                   {"entering-leaving", entering_leaving_table, false},
                                   {"entering-leaving-list", entering_leaving_list_table, false},
                                   {"rag-counts", rag_counts_table, false, true}};
constexpr std::string_view kReportNames =
    "capacity, sourcing, rates, savings, entering-leaving, entering-leaving-list or rag-counts";

/// A cell's text in CSV: a string as it is, a number as in JSON, null as an empty field.
std::string cell_text(const json::value& v) {
  if (v.is_null()) return {};
  return v.is_string() ? std::string(v.as_string()) : to_text(v);
}

HttpResponse csv_response(const ReportTable& t) {
  std::string body;
  append_csv_record(body, std::vector<std::string>(t.columns.begin(), t.columns.end()));
  std::vector<std::string> fields;
  for (const auto& row : t.rows) {
    fields.clear();
    for (const json::value& v : row) fields.push_back(cell_text(v));
    append_csv_record(body, fields);
  }
  HttpResponse r;
  r.content_type = "text/csv; charset=utf-8";
  r.body = std::move(body);
  return r;
}

HttpResponse json_table(const ReportKind& kind, const Market& m, const ReportQuery& q, const ReportTable& t) {
  const ReportPeriod& period = q.period;
  json::array rows;
  rows.reserve(t.rows.size());
  for (const auto& row : t.rows) {
    json::object o;
    for (std::size_t i = 0; i < t.columns.size(); ++i) o[t.columns[i]] = row[i];
    rows.push_back(std::move(o));
  }
  json::object body{{"report", kind.name},
                    {"dps", m.dps(period.dps).code},
                    {"from", format_date(period.from)},
                    {"to", format_date(period.to)},
                    {"funder", period.funder ? json::value(to_string(*period.funder)) : json::value(nullptr)},
                    {"by_funder", kind.by_funder},
                    {"dates", "Europe/London"},
                    {"as_of", format_london(m.now())},
                    {"columns", json::array(t.columns.begin(), t.columns.end())},
                    {"rows", std::move(rows)}};
  if (kind.by_bucket) body["bucket"] = q.bucket == RagBucket::day ? "day" : "week";
  return json_response(200, std::move(body));
}

/// A YYYY-MM-DD query parameter; false (and `error` set) when absent or not a date.
bool period_date(const RestContext& ctx, std::string_view name, Date& out, JsonStatus& error) {
  const std::string* v = ctx.query_value(name);
  if (!v) {
    error = input_error(GatewayCode::invalid_period, std::string(name) + " is required: a UK date YYYY-MM-DD");
    return false;
  }
  const auto d = parse_date(*v);
  if (!d) {
    error = input_error(GatewayCode::invalid_period, std::string(name) + " '" + *v + "' is not a date YYYY-MM-DD");
    return false;
  }
  out = *d;
  return true;
}

}  // namespace

void get_report(RestContext& ctx) {
  const std::string& name = ctx.param("name");
  const ReportKind* kind = nullptr;
  for (const ReportKind& k : kReports)
    if (k.name == name) kind = &k;
  if (!kind) return reply_error(ctx.respond, input_error(GatewayCode::unknown_report, "no report '" + name + "': " + std::string(kReportNames)));
  bool csv = ctx.request.accept.find("text/csv") != std::string::npos;
  if (const std::string* f = ctx.query_value("format")) {
    if (*f != "json" && *f != "csv")
      return reply_error(ctx.respond, input_error(GatewayCode::invalid_format, "format '" + *f + "' is not json or csv"));
    csv = *f == "csv";
  }
  const std::string* dps = ctx.query_value("dps");
  if (!dps || dps->empty()) return reply_error(ctx.respond, input_error(GatewayCode::invalid_query, "dps is required"));
  ReportQuery query;
  ReportPeriod& period = query.period;
  JsonStatus error;
  if (!period_date(ctx, "from", period.from, error) || !period_date(ctx, "to", period.to, error))
    return reply_error(ctx.respond, error);
  if (period.to < period.from)
    return reply_error(ctx.respond, input_error(GatewayCode::invalid_period, "to is before from"));
  if (const std::string* f = ctx.query_value("funder")) {
    Funder funder = Funder::council;
    if (!parse(*f, funder))
      return reply_error(ctx.respond, input_error(GatewayCode::invalid_query, "funder '" + *f + "' is not council, nhs, joint or self_funder"));
    if (!kind->by_funder)
      return reply_error(ctx.respond, input_error(GatewayCode::report_not_by_funder,
                                                  "the " + name + " report is about locations, which are admitted to a DPS, not to a funder: it takes no funder"));
    period.funder = funder;
  }
  if (const std::string* b = ctx.query_value("bucket")) {
    if (!kind->by_bucket)
      return reply_error(ctx.respond, input_error(GatewayCode::invalid_query, "only rag-counts takes a bucket"));
    if (*b != "day" && *b != "week")
      return reply_error(ctx.respond, input_error(GatewayCode::invalid_bucket, "bucket '" + *b + "' is not day or week"));
    query.bucket = *b == "day" ? RagBucket::day : RagBucket::week;
  }
  run_read(ctx, [kind, csv, query, code = *dps](const Market& m) mutable {
    query.period.dps = m.find_dps(code);
    if (query.period.dps < 0) return error_response(engine::Code::unknown_dps, "no DPS " + code);
    const ReportTable t = kind->table(m, query);
    return csv ? csv_response(t) : json_table(*kind, m, query, t);
  });
}

}  // namespace carebroker::gateway::rest
