// REST routes for KPIs (issue 12 item 4; engine/market/kpi.h):
//   POST /api/v1/locations/{id}/kpi-returns    a provider returns a quarter's KPIs (own locations)
//   GET  /api/v1/locations/{id}/kpi-returns    the history and return cycle (a provider: its own)
//   GET  /api/v1/dps/{code}/kpi-returns        each location's cycle: due, overdue, returned
//   GET  /api/v1/dps/{code}/kpi-compliance     per location per quarter: values, met, compliance
// Bodies are read here (types and shapes); every market rule (0..100, every KPI once, the
// quarter's form and not in the future, …) is the market's, with its codes. Reads run on a replica.
#include <algorithm>
#include <cmath>

#include "gateway/error_codes.h"
#include "gateway/rest/route_context.h"

namespace carebroker::gateway::rest {

using namespace carebroker::engine;

namespace {

/// {"<kpi id>": percentage, …}: any JSON number (72.5 is 7250 hundredths; the range 0..100 is
/// the market's rule), anything else 422 wrong_type.
void read_values(ObjectReader& r, std::vector<KpiValue>& out) {
  const json::value* v = r.object("values", Need::required);
  if (!v) return;
  if (!v->is_object()) return r.wrong_type("values", "an object of KPI id: percentage");
  const json::object& o = v->get_object();
  if (o.size() > 64) return r.fail(GatewayCode::invalid_value, "field '" + r.name("values") + "' has too many items");
  for (const auto& kv : o) {
    const std::string item = r.name("values") + "." + std::string(kv.key());
    if (std::string problem = text_problem(kv.key(), TextForm::line, 64); !problem.empty())
      return r.fail(GatewayCode::invalid_value, "field '" + item + "' " + problem);
    const json::value& n = kv.value();
    if (!n.is_number()) return r.fail(GatewayCode::wrong_type, "field '" + item + "' must be a number, a percentage 0..100");
    const double pct = n.is_double() ? n.get_double() : n.is_int64() ? static_cast<double>(n.get_int64())
                                                                    : static_cast<double>(n.get_uint64());
    // Clamped far outside 0..100 so the market refuses it (invalid_kpi_value) without overflow.
    const double x100 = std::clamp(std::round(pct * 100), -1e8, 1e8);
    out.push_back({std::string(kv.key()), static_cast<int>(x100)});
  }
  // By id: an Idempotency-Key's payload is the same whatever the members' order.
  std::sort(out.begin(), out.end(), [](const KpiValue& a, const KpiValue& b) { return a.kpi < b.kpi; });
}

json::value pct_json(int x100) { return x100 % 100 == 0 ? json::value(x100 / 100) : json::value(x100 / 100.0); }

json::array results_json(const KpiCompliance& c) {
  json::array a;
  for (const KpiResult& r : c.results)
    a.push_back(json::object{{"kpi", r.kpi.id}, {"name", r.kpi.name}, {"value", pct_json(r.value_x100)},
                             {"target", r.kpi.target_pct}, {"met", r.met}});
  return a;
}

/// A judged return: each KPI against its target, how many met, compliance %.
void put_compliance(json::object& o, const KpiReturn& r) {
  const KpiCompliance c = kpi_compliance(r);
  o["results"] = results_json(c);
  o["met"] = c.met;
  o["of"] = c.results.size();
  o["compliance"] = pct_json(c.compliance_x100);
}

json::object due_json(const KpiReturnDue& d) {
  auto quarter = [](Quarter q) { return q == 0 ? json::value(nullptr) : json::value(format_quarter(q)); };
  auto date = [](Date x) { return x == 0 ? json::value(nullptr) : json::value(format_date(x)); };
  return {{"last_returned", quarter(d.last_returned)}, {"owed", quarter(d.owed)}, {"owed_due", date(d.owed_due)},
          {"overdue", d.overdue}, {"next", quarter(d.next)}, {"next_due", date(d.next_due)}};
}

json::object kpi_return_json(const Market& m, LocationIndex loc, std::size_t i, bool staff) {
  const KpiReturn& r = m.location(loc).kpi_returns[i];
  const int number = static_cast<int>(i + 1);
  int counting = 0;
  (void)m.counting_kpi_return(loc, r.dps, r.quarter, &counting);
  json::object o{{"number", number},
                 {"dps", m.dps(r.dps).code},
                 {"quarter", format_quarter(r.quarter)},
                 {"amends", r.amends == 0 ? json::value(nullptr) : json::value(r.amends)},
                 {"counts", counting == number},
                 {"notes", r.notes},
                 {"submitted_on", format_date(r.submitted_on)}};
  put_time(o, "submitted_at", r.submitted_at);
  if (staff) o["submitted_by"] = r.submitted_by;
  put_compliance(o, r);
  return o;
}

/// ?from= and ?to= quarters ("2026-Q1"); by default the four quarters to the current one.
bool read_quarter_range(RestContext& ctx, std::string& from, std::string& to) {
  for (auto [key, out] : {std::pair{"from", &from}, std::pair{"to", &to}})
    if (const std::string* v = ctx.query_value(key)) {
      if (!parse_quarter(*v)) {
        reply_error(ctx.respond, input_error(GatewayCode::invalid_query, std::string(key) + " must be a quarter like 2026-Q3"));
        return false;
      }
      *out = *v;
    }
  if (!from.empty() && !to.empty()) {
    const Quarter f = *parse_quarter(from), t = *parse_quarter(to);
    if (f > t) {
      reply_error(ctx.respond, input_error(GatewayCode::invalid_query, "from must not be after to"));
      return false;
    }
    if (t - f >= 40) {
      reply_error(ctx.respond, input_error(GatewayCode::invalid_query, "a range is at most 40 quarters"));
      return false;
    }
  }
  return true;
}

}  // namespace

void post_kpi_return(RestContext& ctx) {
  SubmitKpiReturn c;
  c.provider = ctx.principal.subject;  // the route is the provider's: its own locations only (403 location_not_of_provider)
  c.location = ctx.param("id");
  c.by = ctx.principal.name;
  if (!read_body(ctx, [&](ObjectReader& r) {
        r.text("dps", c.dps, Need::required);
        r.text("quarter", c.quarter, Need::required, 32);
        read_values(r, c.values);
        r.free_text("notes", c.notes, Need::optional);
      }))
    return;
  std::string location = c.location, dps = c.dps, quarter = c.quarter;  // before c is moved into the command
  run_command(ctx, std::move(c), 201, [location, dps, quarter](const Reply& reply, json::object& body) {
    body["location"] = location;
    body["dps"] = dps;
    body["quarter"] = quarter;
    body["number"] = reply.number;
  });
}

void get_kpi_returns(RestContext& ctx) {
  read_location(ctx, [](const Market& m, LocationIndex loc, bool staff) {
    const Location& l = m.location(loc);
    json::array cycles;
    for (const Membership& mem : l.memberships) {
      json::object o = due_json(m.kpi_return_due(loc, mem.dps));
      o["dps"] = m.dps(mem.dps).code;
      o["kpis"] = kpis_json(kpis_of(m.dps(mem.dps)));
      cycles.push_back(std::move(o));
    }
    json::array returns;
    for (std::size_t i = 0; i < l.kpi_returns.size(); ++i) returns.push_back(kpi_return_json(m, loc, i, staff));
    json::object body{{"location", l.id},
                      {"quality_version", l.quality_version},
                      {"cycles", std::move(cycles)},
                      {"returns", std::move(returns)}};
    return json_response(200, body);
  });
}

void list_dps_kpi_returns(RestContext& ctx) {
  Page page;
  if (JsonStatus s = read_page(ctx, page); !s.ok()) return reply_error(ctx.respond, s);
  const std::string* status_text = ctx.query_value("status");
  const std::string status = status_text ? *status_text : std::string();
  if (!status.empty() && status != "overdue" && status != "returned")
    return reply_error(ctx.respond, input_error(GatewayCode::invalid_query, "status must be overdue or returned"));
  run_read(ctx, [code = ctx.param("code"), status, page](const Market& m) {
    const int d = m.find_dps(code);
    if (d < 0) return error_response(engine::Code::unknown_dps, "no DPS " + code);
    json::array items;
    std::size_t total = 0;
    for (LocationIndex i = 0; i < m.location_count(); ++i) {
      const Location& l = m.location(i);
      const Membership* mem = l.membership_of(d);
      // The locations that return KPIs under the DPS: admitted or suspended.
      if (!mem || (mem->status != MembershipStatus::admitted && mem->status != MembershipStatus::suspended)) continue;
      const KpiReturnDue due = m.kpi_return_due(i, d);
      if ((status == "overdue" && !due.overdue) || (status == "returned" && (due.owed == 0 || due.overdue))) continue;
      if (total++ < page.first() || items.size() >= static_cast<std::size_t>(page.size)) continue;
      json::object o = due_json(due);
      o["location"] = l.id;
      o["name"] = l.name;
      o["provider"] = l.provider_id;
      o["membership"] = to_string(mem->status);
      items.push_back(std::move(o));
    }
    json::object body = page_json(std::move(items), total, page);
    body["dps"] = code;
    body["today"] = format_date(m.today());
    body["kpi_return_due_days"] = m.dps(d).quality.kpi_return_due_days;
    return json_response(200, body);
  });
}

void get_kpi_compliance(RestContext& ctx) {
  std::string from, to;
  if (!read_quarter_range(ctx, from, to)) return;
  // A provider sees its own locations only; naming another's is 403.
  const std::string own = ctx.principal.role == Role::provider ? ctx.principal.subject : std::string();
  const std::string* location_param = ctx.query_value("location");
  run_read(ctx, [code = ctx.param("code"), from, to, own,
                 only = location_param ? *location_param : std::string()](const Market& m) {
    if (!only.empty()) {
      const auto loc = m.find_location(only);
      if (!own.empty() && (!loc || m.location(*loc).provider_id != own))
        return error_response(GatewayCode::forbidden, "location " + only + " is not one of your locations");
      if (!loc) return error_response(engine::Code::unknown_location, "no location " + only);
    }
    const int d = m.find_dps(code);
    if (d < 0) return error_response(engine::Code::unknown_dps, "no DPS " + code);
    const Quarter t = to.empty() ? quarter_of(m.today()) : *parse_quarter(to);
    const Quarter f = from.empty() ? t - 3 : *parse_quarter(from);
    if (f > t) return error_response(GatewayCode::invalid_query, "from must not be after to");
    json::array locations;
    for (LocationIndex i = 0; i < m.location_count(); ++i) {
      const Location& l = m.location(i);
      if (!own.empty() && l.provider_id != own) continue;
      if (!only.empty() && l.id != only) continue;
      const Membership* mem = l.membership_of(d);
      if (!mem) continue;
      const KpiReturnDue due = m.kpi_return_due(i, d);
      json::array quarters;
      int returned = 0, compliance_sum = 0;
      for (Quarter q = f; q <= t; ++q) {
        json::object o{{"quarter", format_quarter(q)}};
        int number = 0;
        if (const KpiReturn* r = m.counting_kpi_return(i, d, q, &number)) {
          o["returned"] = true;
          o["number"] = number;
          put_compliance(o, *r);
          ++returned;
          compliance_sum += kpi_compliance(*r).compliance_x100;
        } else {
          o["returned"] = false;
          o["overdue"] = due.overdue && q == due.owed;
        }
        quarters.push_back(std::move(o));
      }
      json::object lo{{"location", l.id}, {"name", l.name}, {"provider", l.provider_id},
                      {"membership", to_string(mem->status)}, {"quarters", std::move(quarters)},
                      {"returned", returned}, {"overdue", due.overdue}, {"quality_version", l.quality_version}};
      // The mean compliance over the quarters returned in the range, to hundredths (half up).
      lo["mean_compliance"] = returned == 0 ? json::value(nullptr)
                                            : pct_json((compliance_sum * 2 + returned) / (2 * returned));
      locations.push_back(std::move(lo));
    }
    json::object body{{"dps", code},
                      {"from", format_quarter(f)},
                      {"to", format_quarter(t)},
                      {"kpis", kpis_json(kpis_of(m.dps(d)))},
                      {"locations", std::move(locations)}};
    return json_response(200, body);
  });
}

}  // namespace carebroker::gateway::rest
