// REST route for the early-warning dashboard (issue 12 item 3):
//   GET /api/v1/early-warning?from=YYYY-MM-DD&to=YYYY-MM-DD[&rag=red|amber|green][&dps=CODE]
// answers, per location, its RAG and reasons now under each DPS it belongs to, and the RAG
// changes (RagChanged) and input entries (who, when, why, evidence) dated in the period, Red
// first. Read on a replica (run_read). Also the early-warning block of GET /api/v1/locations/{id}.
#include <algorithm>

#include "gateway/error_codes.h"
#include "gateway/rest/route_context.h"

namespace carebroker::gateway::rest {

using namespace carebroker::engine;

namespace {

json::array texts(const std::vector<std::string>& items) {
  json::array a;
  for (const auto& s : items) a.emplace_back(s);
  return a;
}

bool in_period(UtcMillis t, Date from, Date to) {
  const Date d = london_date(t);
  return (from == 0 || d >= from) && (to == 0 || d <= to);
}

/// The default period: the 90 days to today.
constexpr int kDefaultPeriodDays = 90;

}  // namespace

json::object early_warning_json(const Market& m, LocationIndex i, int dps, Date from, Date to, bool staff) {
  const Location& l = m.location(i);
  json::array ratings;
  for (const Membership& mem : l.memberships) {
    if (dps >= 0 && mem.dps != dps) continue;
    const RiskRating r = m.risk_of(i, mem.dps);
    ratings.push_back(json::object{{"dps", m.dps(mem.dps).code}, {"rag", to_string(r.rag)}, {"reasons", texts(r.reasons)}});
  }
  json::array changes;
  for (const RagChange& c : l.rag_changes) {
    if ((dps >= 0 && c.dps != dps) || !in_period(c.at, from, to)) continue;
    json::object o{{"dps", m.dps(c.dps).code}, {"from", to_string(c.from)}, {"to", to_string(c.to)},
                   {"reasons", texts(c.reasons)}};
    put_time(o, "at", c.at);
    changes.push_back(std::move(o));
  }
  json::array entries;
  for (const QualityEntry& e : l.quality_entries) {
    if (!in_period(e.at, from, to)) continue;
    json::object o;
    put_time(o, "at", e.at);
    if (staff) o["by"] = e.by;
    o["reason"] = e.reason;
    if (staff) o["evidence"] = e.evidence;
    json::array what;
    for (const InputChange& c : e.changes)
      what.push_back(json::object{{"input", c.input}, {"from", c.from}, {"to", c.to}});
    o["changes"] = std::move(what);
    entries.push_back(std::move(o));
  }
  return json::object{{"ratings", std::move(ratings)}, {"rag_changes", std::move(changes)}, {"entries", std::move(entries)}};
}

void get_early_warning(RestContext& ctx) {
  Page page;
  if (JsonStatus s = read_page(ctx, page); !s.ok()) return reply_error(ctx.respond, s);
  auto value = [&](std::string_view name) {
    const std::string* v = ctx.query_value(name);
    return v ? *v : std::string();
  };
  const std::string from_text = value("from"), to_text = value("to"), rag_text = value("rag"), dps = value("dps");
  Date from = 0, to = 0;
  for (auto [name, text, out] : {std::tuple{"from", &from_text, &from}, std::tuple{"to", &to_text, &to}}) {
    if (text->empty()) continue;
    const auto d = parse_date(*text);
    if (!d) return reply_error(ctx.respond, input_error(engine::Code::invalid_date, std::string("query '") + name + "' must be a date YYYY-MM-DD, not '" + *text + "'"));
    *out = *d;
  }
  if (from != 0 && to != 0 && from > to)
    return reply_error(ctx.respond, input_error(GatewayCode::invalid_period, "from " + from_text + " is after to " + to_text));
  bool filter_rag = !rag_text.empty();
  Rag rag = Rag::green;
  if (filter_rag) {
    bool found = false;
    for (Rag r : {Rag::green, Rag::amber, Rag::red})
      if (to_string(r) == rag_text) {
        rag = r;
        found = true;
      }
    if (!found) return reply_error(ctx.respond, input_error(GatewayCode::unknown_rag, "rag must be red, amber or green, not '" + rag_text + "'"));
  }
  run_read(ctx, [=](const Market& m) {
    int d = -1;
    if (!dps.empty() && (d = m.find_dps(dps)) < 0)
      return error_response(http_status(Code::unknown_dps), to_string(Code::unknown_dps), "no DPS '" + dps + "'");
    // The period: to defaults to today, from to 90 days before to (so from alone may not pass today).
    const Date until = to != 0 ? to : std::max(m.today(), from);
    const Date since = from != 0 ? from : until - (kDefaultPeriodDays - 1);
    struct Row {
      LocationIndex location;
      Rag worst;
    };
    std::vector<Row> rows;
    for (LocationIndex i = 0; i < m.location_count(); ++i) {
      const Location& l = m.location(i);
      bool member = false, matches = !filter_rag;
      Rag worst = Rag::green;
      for (const Membership& mem : l.memberships) {
        if (d >= 0 && mem.dps != d) continue;
        member = true;
        const Rag r = m.risk_of(i, mem.dps).rag;
        worst = std::max(worst, r);
        matches = matches || r == rag;
      }
      if (member && matches) rows.push_back({i, worst});
    }
    std::stable_sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) { return a.worst > b.worst; });
    json::array items;
    for (std::size_t n = page.first(); n < rows.size() && items.size() < static_cast<std::size_t>(page.size); ++n) {
      const Location& l = m.location(rows[n].location);
      json::object o{{"location", l.id}, {"name", l.name}, {"provider", l.provider_id}, {"rag", to_string(rows[n].worst)}};
      for (auto& [k, v] : early_warning_json(m, rows[n].location, d, since, until, true)) o[k] = v;
      items.push_back(std::move(o));
    }
    json::object body = page_json(std::move(items), rows.size(), page);
    body["from"] = format_date(since);
    body["to"] = format_date(until);
    return json_response(200, body);
  });
}

}  // namespace carebroker::gateway::rest
