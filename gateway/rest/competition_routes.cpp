// REST routes for what happens during a mini-competition: an officer amends an open package
// (POST /api/v1/packages/{id}/amendments: a new start date, a new schedule of calls, or both,
// with notes), lists the clarification questions invited providers asked (GET
// /api/v1/packages/{id}/questions, with who asked — staff only) and answers one (POST
// /api/v1/packages/{id}/questions/{n}/answer) to every invited location. The officer recorded
// is the caller's token name, never a body field. Also the JSON of amendments and questions.
#include <limits>

#include "engine/market/calendar.h"
#include "gateway/error_codes.h"
#include "gateway/rest/json_convert.h"
#include "gateway/rest/route_context.h"

namespace carebroker::gateway::rest {

using namespace carebroker::engine;

json::array amendments_json(const Package& p) {
  json::array out;
  int number = 0;
  for (const PackageAmendment& a : p.records->amendments) {
    json::object o{{"number", ++number},
                   {"previous_start_date", format_date(a.previous_start)},
                   {"start_date", format_date(a.start_date)},
                   {"previous_quantity", a.previous_quantity},
                   {"quantity", a.quantity},
                   {"schedule_changed", a.schedule_changed},
                   {"notes", a.notes},
                   {"officer", a.officer}};
    put_time(o, "at", a.at);
    out.push_back(std::move(o));
  }
  return out;
}

json::array decisions_json(const Package& p) {
  json::array out;
  for (const PackageDecision& d : p.records->decisions) {
    json::object o{{"what", d.what}, {"by", d.by}, {"reason", d.reason}};
    put_time(o, "at", d.at);
    out.push_back(std::move(o));
  }
  return out;
}

json::array questions_json(const Market& m, const Package& p) {
  json::array out;
  int number = 0;
  for (const ClarificationQuestion& q : p.records->questions) {
    json::object o{{"number", ++number},
                   {"asked_by", m.location(q.location).id},
                   {"provider", m.location(q.location).provider_id},
                   {"question", q.question}};
    put_time(o, "asked_at", q.asked_at);
    o["answered"] = q.answered();
    o["answer"] = q.answered() ? json::value(q.answer) : json::value(nullptr);
    o["officer"] = q.answered() ? json::value(q.officer) : json::value(nullptr);
    put_time(o, "answered_at", q.answered_at);
    out.push_back(std::move(o));
  }
  return out;
}

void post_amendment(RestContext& ctx) {
  AmendPackage c;
  if (!package_id(ctx, c.package)) return;
  if (!read_body(ctx, [&](ObjectReader& r) {
        r.date("start_date", c.start_date, Need::optional);
        JsonStatus nested;
        read_schedule(r, c.schedule, nested);
        if (!nested.ok()) r.fail(nested.http, nested.code, nested.detail);
        r.free_text("notes", c.notes, Need::required);
      }))
    return;
  c.officer = ctx.principal.name;
  run_package_command(ctx, std::move(c));
}

void list_questions(RestContext& ctx) {
  PackageId id = 0;
  if (!package_id(ctx, id)) return;
  run_read(ctx, [id](const Market& m) {
    const Package* p = m.find_package(id);
    if (!p || p->retired) return error_response(engine::Code::unknown_package, "no package " + std::to_string(id));
    json::array questions = questions_json(m, *p);
    std::size_t unanswered = 0;
    for (const auto& q : p->records->questions) unanswered += q.answered() ? 0 : 1;
    return json_response(200, json::object{{"package", id}, {"unanswered", unanswered}, {"questions", std::move(questions)}});
  });
}

void post_answer(RestContext& ctx) {
  AnswerQuestion c;
  if (!package_id(ctx, c.package)) return;
  const std::string& text = ctx.param("n");
  std::int64_t n = 0;
  if (!whole_number(text, 1, std::numeric_limits<int>::max(), n))
    return ctx.respond(error_response(engine::Code::unknown_question, "no question " + text));
  c.question = static_cast<int>(n);
  if (!read_body(ctx, [&](ObjectReader& r) { r.free_text("answer", c.answer, Need::required); })) return;
  c.officer = ctx.principal.name;
  run_package_command(ctx, std::move(c));
}

}  // namespace carebroker::gateway::rest
