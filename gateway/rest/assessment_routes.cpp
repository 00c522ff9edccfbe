// REST routes for assessment cycles (issue 12 item 1; engine/market/assessment.h):
//   POST /api/v1/locations/{id}/self-assessments                  a provider submits (own locations)
//   GET  /api/v1/locations/{id}/self-assessments                  the history (a provider: its own)
//   POST /api/v1/locations/{id}/self-assessments/{n}/validation   compliance validates, with changes
//   POST /api/v1/locations/{id}/pamms-assessments                 compliance records a PAMMS assessment
//   GET  /api/v1/dps/{code}/self-assessments                      due, overdue, submitted, validated
// Bodies are read here (types and shapes); every market rule (scores 1..4, every standard, a
// reason per change, …) is the market's, with its codes. Reads run on a replica (run_read).
#include <algorithm>

#include "gateway/error_codes.h"
#include "gateway/rest/route_context.h"

namespace carebroker::gateway::rest {

using namespace carebroker::engine;

namespace {

/// {"<code>": 1..4, …} into scores (the range is the market's rule: any whole number passes here).
void read_scores(ObjectReader& r, std::string_view key, std::vector<StandardScore>& out) {
  const json::value* v = r.object(key, Need::required);
  if (!v) return;
  const json::object& o = v->get_object();
  if (o.size() > kMaxListItems) return r.fail(GatewayCode::invalid_value, "field '" + r.name(key) + "' has too many items");
  for (const auto& kv : o) {
    const std::string item = r.name(key) + "." + std::string(kv.key());
    if (std::string problem = text_problem(kv.key(), TextForm::line, 64); !problem.empty())
      return r.fail(GatewayCode::invalid_value, "field '" + item + "' " + problem);
    if (!kv.value().is_int64() && !kv.value().is_uint64())
      return r.fail(GatewayCode::wrong_type, "field '" + item + "' must be a whole number 1..4");
    const std::int64_t n = kv.value().is_int64() ? kv.value().get_int64() : 1000;
    out.push_back({std::string(kv.key()), static_cast<int>(std::clamp<std::int64_t>(n, -1000, 1000))});
  }
  // By code: an Idempotency-Key's payload is the same whatever the members' order.
  std::sort(out.begin(), out.end(), [](const StandardScore& a, const StandardScore& b) { return a.standard < b.standard; });
}

json::array domain_scores_json(const std::vector<DomainScore>& scores) {
  json::array a;
  for (const DomainScore& s : scores) a.push_back(json::object{{"domain", s.domain}, {"score", s.score_x100 / 100.0}});
  return a;
}

json::object due_json(const SelfAssessmentDue& d) {
  json::object o{{"status", to_string(d.status)}, {"last", d.last == 0 ? json::value(nullptr) : json::value(d.last)}};
  o["next_due"] = d.next_due == 0 ? json::value(nullptr) : json::value(format_date(d.next_due));
  o["overdue"] = d.overdue;
  return o;
}

json::object self_assessment_json(const Market& m, const SelfAssessment& a, int number, bool staff) {
  json::object scores;
  for (const StandardScore& s : a.scores) scores[s.standard] = s.score;
  json::object o{{"number", number},        {"dps", m.dps(a.dps).code},     {"status", a.validated ? "validated" : "submitted"},
                 {"scores", std::move(scores)}, {"domains", domain_scores_json(a.domains)}, {"notes", a.notes},
                 {"submitted_on", format_date(a.submitted_on)}};
  put_time(o, "submitted_at", a.submitted_at);
  if (staff) o["submitted_by"] = a.submitted_by;
  if (!a.validated) return o;
  json::array changes;
  for (const DomainChange& c : a.changes)
    changes.push_back(json::object{{"domain", c.domain}, {"from", c.from_x100 / 100.0}, {"to", c.to_x100 / 100.0}, {"reason", c.reason}});
  json::object v{{"changes", std::move(changes)}, {"domains", domain_scores_json(a.validated_domains)}, {"points", a.points}};
  put_time(v, "at", a.validated_at);
  if (staff) v["by"] = a.validated_by;
  o["validation"] = std::move(v);
  return o;
}

json::object pamms_assessment_json(const Market& m, const PammsAssessment& a, int number, bool staff) {
  json::object o{{"number", number},
                 {"dps", m.dps(a.dps).code},
                 {"domains", domain_scores_json(a.domains)},
                 {"assessed_on", format_date(a.assessed_on)},
                 {"mean", a.mean_x100 / 100.0},
                 {"rating", to_string(a.rating)}};
  if (staff) {
    o["evidence"] = a.evidence;
    o["assessed_by"] = a.assessed_by;
  }
  put_time(o, "at", a.at);
  return o;
}

/// Runs a command that records a numbered assessment: 201 with its location, DPS and number.
void run_recorded(RestContext& ctx, Command c, std::string location, std::string dps) {
  run_command(ctx, std::move(c), 201, [location = std::move(location), dps = std::move(dps)](const Reply& reply, json::object& body) {
    body["location"] = location;
    body["dps"] = dps;
    body["number"] = reply.number;
  });
}

}  // namespace

void post_self_assessment(RestContext& ctx) {
  SubmitSelfAssessment c;
  c.provider = ctx.principal.subject;  // the route is the provider's: its own locations only (403 location_not_of_provider)
  c.location = ctx.param("id");
  c.by = ctx.principal.name;
  if (!read_body(ctx, [&](ObjectReader& r) {
        r.text("dps", c.dps, Need::required);
        read_scores(r, "scores", c.scores);
        r.free_text("notes", c.notes, Need::optional);
      }))
    return;
  std::string location = c.location, dps = c.dps;  // before c is moved into the command
  run_recorded(ctx, std::move(c), std::move(location), std::move(dps));
}

void post_self_assessment_validation(RestContext& ctx) {
  ValidateSelfAssessment c;
  c.location = ctx.param("id");
  c.officer = ctx.principal.name;
  std::int64_t n = 0;
  if (!whole_number(ctx.param("n"), 1, 1'000'000, n))
    return reply_error(ctx.respond, input_error(engine::Code::unknown_self_assessment, "'" + ctx.param("n") + "' is not a self-assessment number"));
  c.number = static_cast<int>(n);
  JsonStatus status;
  ObjectReader r(ctx.body, "", status);
  r.text("dps", c.dps, Need::required);
  if (const json::array* changes = r.array("domain_changes", Need::optional, 64))
    for (std::size_t i = 0; i < changes->size() && status.ok(); ++i) {
      DomainScoreChange change;
      ObjectReader cr((*changes)[i], "domain_changes[" + std::to_string(i) + "].", status);
      cr.text("domain", change.domain, Need::required, 64);
      cr.integer("score", change.score, Need::required, INT32_MIN, INT32_MAX);  // 1..4: the market's rule
      cr.free_text("reason", change.reason, Need::optional);
      cr.finish();
      c.changes.push_back(std::move(change));
    }
  r.finish();
  if (!status.ok()) return reply_error(ctx.respond, status);
  const std::string location = c.location;
  const int number = c.number;
  run_command(ctx, std::move(c), 200, [location, number](const Reply&, json::object& body) {
    body["location"] = location;
    body["number"] = number;
  });
}

void post_pamms_assessment(RestContext& ctx) {
  RecordPammsAssessment c;
  c.location = ctx.param("id");
  c.officer = ctx.principal.name;
  if (!read_body(ctx, [&](ObjectReader& r) {
        r.text("dps", c.dps, Need::required);
        read_scores(r, "domains", c.domains);
        r.date("assessed_on", c.assessed_on, Need::optional);
        r.text("evidence", c.evidence, Need::optional);
      }))
    return;
  std::string location = c.location, dps = c.dps;  // before c is moved into the command
  run_recorded(ctx, std::move(c), std::move(location), std::move(dps));
}

void get_self_assessments(RestContext& ctx) {
  read_location(ctx, [](const Market& m, LocationIndex loc, bool staff) {
    const Location& l = m.location(loc);
    json::array cycles;
    for (const Membership& mem : l.memberships) {
      json::object o = due_json(m.self_assessment_due(loc, mem.dps));
      o["dps"] = m.dps(mem.dps).code;
      cycles.push_back(std::move(o));
    }
    json::array self, pamms;
    for (std::size_t i = 0; i < l.self_assessments.size(); ++i)
      self.push_back(self_assessment_json(m, l.self_assessments[i], static_cast<int>(i + 1), staff));
    for (std::size_t i = 0; i < l.pamms_assessments.size(); ++i)
      pamms.push_back(pamms_assessment_json(m, l.pamms_assessments[i], static_cast<int>(i + 1), staff));
    const QualityInputs& q = l.quality;
    json::object body{{"location", l.id},
                      {"cycles", std::move(cycles)},
                      {"self_assessments", std::move(self)},
                      {"pamms_assessments", std::move(pamms)},
                      {"self_assessment", q.self_assessment < 0 ? json::value(nullptr) : json::value(q.self_assessment)},
                      {"pamms", to_string(q.pamms)}};
    return json_response(200, body);
  });
}

void list_dps_self_assessments(RestContext& ctx) {
  Page page;
  if (JsonStatus s = read_page(ctx, page); !s.ok()) return reply_error(ctx.respond, s);
  const std::string* status_text = ctx.query_value("status");
  const std::string status = status_text ? *status_text : std::string();
  if (!status.empty() && status != "due" && status != "overdue" && status != "submitted" && status != "validated")
    return reply_error(ctx.respond, input_error(GatewayCode::invalid_query, "status must be due, overdue, submitted or validated"));
  Date due_by = 0;
  if (const std::string* v = ctx.query_value("due_by")) {
    const auto d = parse_date(*v);
    if (!d) return reply_error(ctx.respond, input_error(engine::Code::invalid_date, "due_by must be a date YYYY-MM-DD"));
    due_by = *d;
  }
  run_read(ctx, [code = ctx.param("code"), status, due_by, page](const Market& m) {
    const int d = m.find_dps(code);
    if (d < 0) return error_response(engine::Code::unknown_dps, "no DPS " + code);
    const Date by = due_by != 0 ? due_by : m.today();
    json::array items;
    std::size_t total = 0;
    for (LocationIndex i = 0; i < m.location_count(); ++i) {
      const Location& l = m.location(i);
      const Membership* mem = l.membership_of(d);
      // The locations rated under the DPS: admitted or suspended.
      if (!mem || (mem->status != MembershipStatus::admitted && mem->status != MembershipStatus::suspended)) continue;
      const SelfAssessmentDue due = m.self_assessment_due(i, d);
      const bool due_by_date = due.next_due != 0 && due.next_due <= by;
      if ((status == "due" && !due_by_date) || (status == "overdue" && !due.overdue) ||
          (status == "submitted" && due.status != SelfAssessmentStatus::submitted) ||
          (status == "validated" && due.status != SelfAssessmentStatus::validated))
        continue;
      if (total++ < page.first() || items.size() >= static_cast<std::size_t>(page.size)) continue;
      json::object o = due_json(due);
      o["location"] = l.id;
      o["name"] = l.name;
      o["provider"] = l.provider_id;
      o["membership"] = to_string(mem->status);
      o["last_submitted_on"] = due.last == 0 ? json::value(nullptr)
                                             : json::value(format_date(l.self_assessments[due.last - 1].submitted_on));
      o["due_by_date"] = due_by_date;
      items.push_back(std::move(o));
    }
    json::object body = page_json(std::move(items), total, page);
    body["dps"] = code;
    body["due_by"] = format_date(by);
    body["today"] = format_date(m.today());
    return json_response(200, body);
  });
}

}  // namespace carebroker::gateway::rest
