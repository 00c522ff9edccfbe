// The REST route table and dispatch (path templates, authentication, roles, query and body
// parsing), the shared reply helpers, and the system, configuration and provider routes.
#include "gateway/rest/router.h"

#include <algorithm>
#include <charconv>

#include "gateway/backup_target.h"
#include "gateway/bearer_auth.h"
#include "gateway/error_codes.h"
#include "gateway/percent_decode.h"
#include "gateway/rest/route_context.h"

namespace carebroker::gateway {
namespace rest {
namespace {

using engine::Command;

std::vector<std::string_view> split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  while (true) {
    const std::size_t end = s.find(sep, start);
    out.push_back(s.substr(start, end - start));
    if (end == std::string_view::npos) return out;
    start = end + 1;
  }
}

/// Matches decoded path segments against a template; fills the {name} parameters.
bool match(std::string_view pattern, const std::vector<std::string>& segments,
           std::vector<std::pair<std::string, std::string>>& params) {
  const auto parts = split(pattern.substr(1), '/');
  if (parts.size() != segments.size()) return false;
  params.clear();
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (parts[i].size() > 2 && parts[i].front() == '{' && parts[i].back() == '}') {
      if (segments[i].empty()) return false;
      params.emplace_back(std::string(parts[i].substr(1, parts[i].size() - 2)), segments[i]);
    } else if (parts[i] != segments[i]) {
      return false;
    }
  }
  return true;
}

/// Empty, or application/json with any parameters ("application/json; charset=utf-8").
bool json_content_type(std::string_view type) {
  std::string media(type.substr(0, type.find(';')));
  while (!media.empty() && media.back() == ' ') media.pop_back();
  std::transform(media.begin(), media.end(), media.begin(), [](char c) {
    return static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  });
  return type.empty() || media == "application/json";
}

HttpResponse with_header(HttpResponse r, std::string name, std::string value) {
  r.headers.emplace_back(std::move(name), std::move(value));
  return r;
}

}  // namespace

HttpResponse overloaded() {
  return with_header(error_response(GatewayCode::overloaded, "the market is busy: retry shortly"), "Retry-After", "1");
}

// ---- context and reply helpers ----

const std::string& RestContext::param(std::string_view name) const {
  static const std::string none;
  for (const auto& [k, v] : params)
    if (k == name) return v;
  return none;
}

const std::string* RestContext::query_value(std::string_view name) const {
  for (const auto& [k, v] : query)
    if (k == name) return &v;
  return nullptr;
}

HttpResponse json_response(int status, const json::value& body) {
  HttpResponse r;
  r.status = status;
  r.body = to_text(body);
  return r;
}

void reply_error(const Respond& respond, const JsonStatus& s) { respond(error_response(s.http, s.code, s.detail)); }

void run_command_with(RestContext& ctx, Command command, std::function<CommandSuccess(const engine::Reply&)> success,
                      std::function<void()> not_done) {
  run_command_with(ctx.market, ctx.key, ctx.respond, std::move(command), std::move(success), std::move(not_done));
}

void run_command_with(MarketService& market, const engine::CommandKey& key, const Respond& respond, Command command,
                      std::function<CommandSuccess(const engine::Reply&)> success, std::function<void()> not_done) {
  const bool queued = market.execute(
      std::move(command), key, [respond, success = std::move(success), not_done](sequencer::CommandResult&& r) {
        if ((!r.durable || !r.reply.ok()) && not_done) not_done();
        if (!r.durable)
          return respond(error_response(GatewayCode::store_unavailable,
                                        "the change could not be saved, so it did not happen: retry shortly"));
        if (!r.reply.ok())
          return respond(error_response(http_status(r.reply.status.code), engine::to_string(r.reply.status.code),
                                        r.reply.status.detail));
        CommandSuccess s = success(r.reply);
        if (r.reply.replayed) s.body["replayed"] = true;  // the original answer, again
        HttpResponse response = json_response(s.status, s.body);
        response.headers = std::move(s.headers);
        respond(std::move(response));
      });
  if (!queued) {
    if (not_done) not_done();
    respond(overloaded());
  }
}

void run_command(RestContext& ctx, Command command, int success_status,
                 std::function<void(const engine::Reply&, json::object&)> fill) {
  run_command_with(ctx, std::move(command), [success_status, fill = std::move(fill)](const engine::Reply& reply) {
    CommandSuccess s{success_status, json::object{{"ok", true}}, {}};
    if (fill) fill(reply, s.body);
    return s;
  });
}

void run_read(RestContext& ctx, std::function<HttpResponse(const engine::Market&)> read) {
  auto result = std::make_shared<HttpResponse>();
  Respond respond = ctx.respond;
  const bool queued = ctx.market.read([result, read = std::move(read)](const engine::Market& m, std::uint64_t) { *result = read(m); },
                                      [result, respond](bool durable) {
                                        if (!durable)
                                          return respond(error_response(
                                              GatewayCode::not_durable, "the market could not confirm what it read: retry shortly"));
                                        respond(std::move(*result));
                                      });
  if (!queued) respond(overloaded());
}

bool whole_number(std::string_view text, std::int64_t min, std::int64_t max, std::int64_t& out) {
  if (text.empty() || (text.size() > 1 && text.front() == '0')) return false;
  for (char c : text)
    if (c < '0' || c > '9') return false;
  std::int64_t n = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (ec != std::errc() || end != text.data() + text.size() || n < min || n > max) return false;
  out = n;
  return true;
}

JsonStatus read_page(const RestContext& ctx, Page& page) {
  auto number = [&](std::string_view name, int& out, int max) -> JsonStatus {
    const std::string* v = ctx.query_value(name);
    if (!v) return {};
    std::int64_t n = 0;
    if (!whole_number(*v, 1, max, n))
      return input_error(GatewayCode::invalid_query, "query parameter '" + std::string(name) + "' must be 1.." + std::to_string(max));
    out = static_cast<int>(n);
    return {};
  };
  if (JsonStatus s = number("page", page.page, 1'000'000); !s.ok()) return s;
  return number("page_size", page.size, kMaxPageSize);
}

json::object page_json(json::array items, std::size_t total, const Page& page) {
  return {{"items", std::move(items)}, {"page", page.page}, {"page_size", page.size}, {"total", total}};
}

bool read_body(RestContext& ctx, const std::function<void(ObjectReader&)>& read) {
  JsonStatus status;
  ObjectReader r(ctx.body, "", status);
  read(r);
  r.finish();
  if (status.ok()) return true;
  reply_error(ctx.respond, status);
  return false;
}

// ---- system ----

void get_healthz(RestContext& ctx) {
  HttpResponse r;
  r.content_type = "text/plain";
  r.body = "ok";
  ctx.respond(std::move(r));
}

void get_readyz(RestContext& ctx) {
  run_read(ctx, [](const engine::Market&) { return json_response(200, json::object{{"ready", true}}); });
}

void post_backup(RestContext& ctx) {
  std::string name;
  // Taken raw: backup_name_problem is stricter than text(), and every bad name is invalid_backup_name.
  if (!read_body(ctx, [&](ObjectReader& r) { r.raw_text("name", name, Need::required); })) return;
  if (std::string problem = backup_name_problem(name); !problem.empty())
    return reply_error(ctx.respond, input_error(GatewayCode::invalid_backup_name, "field 'name': " + problem));
  ctx.market.backup(name, [name, respond = ctx.respond](BackupOutcome made) {
    switch (made.result) {
      case BackupOutcome::Result::made: {
        json::object body{{"ok", true}, {"name", name}, {"path", made.path}};
        if (!made.audit_chain_head.empty()) body["audit_chain_head"] = made.audit_chain_head;  // as in its manifest
        return respond(json_response(201, std::move(body)));
      }
      case BackupOutcome::Result::exists:
        return respond(error_response(GatewayCode::backup_exists, "a backup named " + name + " exists already: " + made.path));
      case BackupOutcome::Result::failed: break;
    }
    respond(error_response(GatewayCode::backup_failed, made.detail));
  });
}

// ---- the market's clock (simulations) ----

json::object clock_json(const ClockReading& c) {
  json::object body{{"clock", c.simulated ? "simulated" : "real"}, {"now", iso_utc(c.now)}, {"now_ms", c.now},
                    {"speed", c.speed}, {"frozen", c.frozen}};
  return body;
}

void get_clock(RestContext& ctx) { ctx.respond(json_response(200, clock_json(ctx.market.clock()))); }

/// {"frozen": true} stops a simulated clock for good (a simulation's end); a real clock is never
/// touched (409 clock_not_simulated), and a frozen clock never runs again.
void put_clock(RestContext& ctx) {
  bool frozen = false;
  if (!read_body(ctx, [&](ObjectReader& r) { r.boolean("frozen", frozen, Need::required); })) return;
  if (!frozen)
    return reply_error(ctx.respond, input_error(GatewayCode::invalid_value, "field 'frozen': a frozen clock stays frozen; only true is accepted"));
  if (!ctx.market.freeze_clock())
    return reply_error(ctx.respond, input_error(GatewayCode::clock_not_simulated,
                                                "the market runs on the real clock: only a simulation's clock (--sim-clock-speed) can be frozen"));
  ctx.respond(json_response(200, clock_json(ctx.market.clock())));
}

// ---- who am I ----

void get_me(RestContext& ctx) {
  const Principal who = ctx.principal;
  json::object body{{"role", to_string(who.role)}, {"name", who.name}};
  if (who.role != Role::provider) {
    body["provider"] = nullptr;
    body["locations"] = json::array();
    return ctx.respond(json_response(200, body));
  }
  body["provider"] = who.subject;
  run_read(ctx, [body, who](const engine::Market& m) mutable {
    json::array locations;
    const engine::Provider* p = m.find_provider(who.subject);
    if (p)
      for (engine::LocationIndex l : p->locations)
        locations.push_back(json::object{{"location", m.location(l).id}, {"name", m.location(l).name}});
    body["provider_name"] = p ? json::value(p->name) : json::value(nullptr);
    body["locations"] = std::move(locations);
    return json_response(200, body);
  });
}

// ---- configuration ----

void list_dps(RestContext& ctx) {
  Page page;
  if (JsonStatus s = read_page(ctx, page); !s.ok()) return reply_error(ctx.respond, s);
  run_read(ctx, [page](const engine::Market& m) {
    json::array items;
    for (std::size_t i = page.first(); i < m.dps_count() && items.size() < static_cast<std::size_t>(page.size); ++i)
      items.push_back(dps_config_json(m.dps(static_cast<int>(i))));
    return json_response(200, page_json(std::move(items), m.dps_count(), page));
  });
}

void get_dps(RestContext& ctx) {
  run_read(ctx, [code = ctx.param("code")](const engine::Market& m) {
    const int d = m.find_dps(code);
    if (d < 0) return error_response(engine::Code::unknown_dps, "no DPS " + code);
    return json_response(200, dps_config_json(m.dps(d)));
  });
}

void put_dps(RestContext& ctx) {
  engine::DpsConfig config;
  if (JsonStatus s = dps_config_from_json(ctx.body, config); !s.ok()) return reply_error(ctx.respond, s);
  const std::string& code = ctx.param("code");
  if (config.code.empty()) config.code = code;
  if (config.code != code)
    return reply_error(ctx.respond, input_error(GatewayCode::path_mismatch,
                                                "the body's code '" + config.code + "' is not the path's '" + code + "'"));
  run_command(ctx, engine::ConfigureDps{std::move(config)}, 200,
              [code](const engine::Reply&, json::object& body) { body["dps"] = code; });
}

void post_category(RestContext& ctx) {
  engine::Category category;
  if (JsonStatus s = category_from_json(ctx.body, category); !s.ok()) return reply_error(ctx.respond, s);
  const std::string code = category.code;
  run_command(ctx, engine::DefineCategory{std::move(category)}, 201,
              [code](const engine::Reply&, json::object& body) { body["category"] = code; });
}

void put_calendar(RestContext& ctx) {
  engine::SetCalendar c;
  if (!read_body(ctx, [&](ObjectReader& r) { r.dates("bank_holidays", c.bank_holidays, Need::required); })) return;
  run_command(ctx, std::move(c), 200);
}

// ---- providers ----

void post_provider(RestContext& ctx) {
  engine::RegisterProvider c;
  if (!read_body(ctx, [&](ObjectReader& r) {
        r.text("id", c.provider, Need::required);
        r.text("name", c.name, Need::required);
      }))
    return;
  const std::string id = c.provider;
  run_command(ctx, std::move(c), 201, [id](const engine::Reply&, json::object& body) { body["provider"] = id; });
}

void put_provider_status(RestContext& ctx) {
  engine::SetProviderStatus c;
  c.provider = ctx.param("id");
  c.by = ctx.principal.name;
  if (!read_body(ctx, [&](ObjectReader& r) {
        r.boolean("in_administration", c.in_administration, Need::required);
        r.boolean("contract_terminated", c.contract_terminated, Need::required);
        r.free_text("reason", c.reason, Need::optional);
        r.text("dps", c.dps, Need::optional);
      }))
    return;
  run_command(ctx, std::move(c), 200);
}

}  // namespace rest

// ---- the table ----

const std::vector<RouteInfo>& rest_routes() {
  using namespace rest;
  constexpr Role admin = Role::admin, officer = Role::officer, compliance = Role::compliance,
                 provider = Role::provider;
  const std::vector<std::string_view> paged = {"page", "page_size"};
  constexpr bool kKeyed = true;  // runs a market command: takes an Idempotency-Key
  static const std::vector<RouteInfo> routes = {
      {"GET", "/healthz", {}, "Liveness: the process answers", {}, get_healthz},
      {"GET", "/readyz", {}, "Readiness: the market is recovered from the journal and the store can write (503 not_ready while recovering, or while the store cannot write, e.g. a full disk)", {}, get_readyz},
      {"GET", "/api/v1/me", {admin, officer, compliance, provider}, "Who the token belongs to: role, name, and a provider's id and locations", {}, get_me},
      {"POST", "/api/v1/tokens", {admin}, "Issue a bearer token to a named user, for a role (and provider), expiring after `expires_in_days` (default: the server's --token-lifetime-days; 0 = never)", {}, post_token},
      {"GET", "/api/v1/tokens", {admin}, "List the tokens: id, user, role, provider, issued, expires, revoked, rotation (never a token or its hash)", {"user", "page", "page_size"}, list_tokens},
      {"DELETE", "/api/v1/tokens/{id}", {admin}, "Revoke a token by its id (again: 200, unchanged; the last admin token that works: 409 last_admin_token)", {}, delete_token},
      {"POST", "/api/v1/tokens/rotate", {admin, officer, compliance, provider}, "Rotate the caller's own token: a new token for the same user, role and provider; the old one stops working after a grace period (--token-rotation-grace-seconds)", {}, post_token_rotation},
      {"GET", "/api/v1/dps", {admin, officer, compliance, provider}, "List DPS configurations", paged, list_dps},
      {"GET", "/api/v1/dps/{code}", {admin, officer, compliance, provider}, "A DPS's configuration", {}, get_dps},
      {"PUT", "/api/v1/dps/{code}", {admin}, "Create or reconfigure a DPS", {}, put_dps, kKeyed},
      {"GET", "/api/v1/dps/{code}/self-assessments", {admin, officer, compliance}, "Each rated location's self-assessment cycle under the DPS: its last submission, status, next due date and whether overdue; filtered by status (due by a date, overdue, submitted, validated)", {"status", "due_by", "page", "page_size"}, list_dps_self_assessments},
      {"GET", "/api/v1/dps/{code}/kpi-returns", {admin, officer, compliance}, "Each rated location's KPI return cycle under the DPS: the quarter owed, its due date and whether overdue, the next quarter due; filtered by status (overdue, returned)", {"status", "page", "page_size"}, list_dps_kpi_returns},
      {"GET", "/api/v1/dps/{code}/kpi-compliance", {admin, officer, compliance, provider}, "KPI compliance per location per quarter (from..to, default the last four quarters): each KPI's value against its target, met or missed, and compliance % (a provider: its own locations only)", {"from", "to", "location"}, get_kpi_compliance},
      {"GET", "/api/v1/dps/{code}/lots/{lot}/fair-cost", {admin, officer, compliance, provider}, "A lot's fair cost of care: its cost model line by line, the abnormally-low threshold and the suggested rate ceiling", {}, get_fair_cost},
      {"POST", "/api/v1/categories", {admin}, "Define (or rename) a category of care", {}, post_category, kKeyed},
      {"PUT", "/api/v1/calendar", {admin}, "Set the bank holidays of the working-day calendar", {}, put_calendar, kKeyed},
      {"POST", "/api/v1/providers", {admin, compliance}, "Register a provider (organisation)", {}, post_provider, kKeyed},
      {"PUT", "/api/v1/providers/{id}/status", {compliance}, "Set a provider's administration, and its contract's termination under one DPS (`dps`) or all", {}, put_provider_status, kKeyed},
      {"POST", "/api/v1/providers/{id}/contract-actions", {compliance}, "Issue a contract action under the provider's contract for a DPS", {}, post_contract_action, kKeyed},
      {"GET", "/api/v1/providers/{id}/contract-actions", {admin, officer, compliance}, "A provider's contract actions, with their history",
       {"dps", "kind", "status", "review_due_by", "page", "page_size"}, list_provider_contract_actions},
      {"POST", "/api/v1/providers/{id}/contract-actions/{n}/updates", {compliance}, "Change a contract action's status, review date or owner, with notes (kept as history)", {}, post_contract_action_update, kKeyed},
      {"GET", "/api/v1/contract-actions", {admin, officer, compliance}, "Every provider's contract actions, e.g. in force with a review due by a date",
       {"dps", "kind", "status", "review_due_by", "page", "page_size"}, list_contract_actions},
      {"POST", "/api/v1/locations", {admin, compliance}, "Register a location (CQC service) of a provider", {}, post_location, kKeyed},
      {"GET", "/api/v1/locations", {admin, officer, compliance, provider}, "List locations, optionally within one DPS (a provider sees only its own)",
       {"dps", "tier", "zone", "rag", "status", "provider", "page", "page_size"}, list_locations},
      {"GET", "/api/v1/locations/{id}", {admin, officer, compliance, provider}, "A location with memberships, quality and RAG (a provider: its own locations only, else 403 forbidden)", {}, get_location},
      {"POST", "/api/v1/locations/{id}/applications", {admin, compliance, provider}, "Record an application to a DPS (a provider: for its own locations only)", {}, post_application, kKeyed},
      {"POST", "/api/v1/locations/{id}/assessment-extensions", {admin, compliance}, "Extend an assessment to 15 working days", {}, post_assessment_extension, kKeyed},
      {"POST", "/api/v1/locations/{id}/admissions", {admin, compliance}, "Admit an application with its enrolment terms", {}, post_admission, kKeyed},
      {"PUT", "/api/v1/locations/{id}/memberships/{dps}", {admin, compliance}, "Change an admitted location's enrolment terms", {}, put_membership, kKeyed},
      {"PUT", "/api/v1/locations/{id}/memberships/{dps}/capacity", {provider}, "A provider declares an admitted location's capacity (hours a week) under a DPS", {}, put_declared_capacity, kKeyed},
      {"POST", "/api/v1/locations/{id}/refusals", {admin, compliance}, "Refuse an application, with a reason", {}, post_refusal, kKeyed},
      {"POST", "/api/v1/locations/{id}/suspensions", {admin, compliance}, "Suspend a membership, with a reason", {}, post_suspension, kKeyed},
      {"POST", "/api/v1/locations/{id}/reinstatements", {admin, compliance}, "Reinstate a suspended membership", {}, post_reinstatement, kKeyed},
      {"POST", "/api/v1/locations/{id}/exits", {admin, compliance}, "Exit a location from a DPS, with a reason", {}, post_exit, kKeyed},
      {"PATCH", "/api/v1/locations/{id}/quality", {compliance}, "Patch a location's quality and risk inputs", {}, patch_quality, kKeyed},
      {"POST", "/api/v1/locations/{id}/self-assessments", {provider}, "A provider submits a self-assessment of its own admitted location: a score 1..4 for every standard of the DPS's framework, and notes", {}, post_self_assessment, kKeyed},
      {"GET", "/api/v1/locations/{id}/self-assessments", {admin, officer, compliance, provider}, "A location's assessment history: its cycle per DPS, every self-assessment with its validation (changes with reasons) and every PAMMS assessment (a provider: its own locations only)", {}, get_self_assessments},
      {"POST", "/api/v1/locations/{id}/self-assessments/{n}/validation", {compliance}, "Validate a submitted self-assessment, changing domain scores with reasons; its result (0..100) becomes the location's self-assessment input", {}, post_self_assessment_validation, kKeyed},
      {"POST", "/api/v1/locations/{id}/kpi-returns", {provider}, "A provider returns a quarter's KPIs for its own admitted location: a percentage 0..100 for every KPI of the DPS's set; a later return for the same quarter amends it", {}, post_kpi_return, kKeyed},
      {"GET", "/api/v1/locations/{id}/kpi-returns", {admin, officer, compliance, provider}, "A location's KPI returns, each judged against its targets, and its return cycle per DPS (a provider: its own locations only)", {}, get_kpi_returns},
      {"POST", "/api/v1/locations/{id}/pamms-assessments", {compliance}, "Record the council's PAMMS assessment of a location (a score 1..4 per domain); its rating by the DPS's rule becomes the location's PAMMS input", {}, post_pamms_assessment, kKeyed},
      {"POST", "/api/v1/cqc-imports", {admin, compliance}, "Import a CQC CSV file (read by header name): every row applied, counted as not registered here, or rejected with its row number and reason", {}, post_cqc_import, kKeyed},
      {"GET", "/api/v1/cqc-imports", {admin, officer, compliance}, "The CQC imports, newest first, with their counts", paged, list_cqc_imports},
      {"GET", "/api/v1/cqc-imports/{n}", {admin, officer, compliance}, "A CQC import's report: every row's outcome", {}, get_cqc_import},
      {"POST", "/api/v1/fsa-imports", {admin, compliance}, "Import an FSA food hygiene rating (FHRS) CSV file with a CQC location column: each location's newest rating becomes its FSA input; every row applied, counted (no rating, older than the rating held, not registered here) or rejected with its row number and reason", {}, post_fsa_import, kKeyed},
      {"GET", "/api/v1/fsa-imports", {admin, officer, compliance}, "The FSA imports, newest first, with their counts", paged, list_fsa_imports},
      {"GET", "/api/v1/fsa-imports/{n}", {admin, officer, compliance}, "An FSA import's report: every row's outcome", {}, get_fsa_import},
      {"GET", "/api/v1/early-warning", {admin, officer, compliance}, "The early-warning dashboard: per location, its RAG and reasons now, and its RAG changes and input entries (who, when, why, evidence) in a period, Red first", {"from", "to", "rag", "dps", "page", "page_size"}, get_early_warning},
      {"GET", "/api/v1/reports/{name}", {admin, officer, compliance}, "A market report of one DPS over a period of UK dates (packages posted from `from` to `to`, archived ones included), split by funder: `capacity` (declared and used against demand by zone and category), `sourcing` (time to source; cascade, decline, unsourced and hand-back rates), `rates` (rates paid against the fair cost: quartiles by lot, zone and category) or `savings` (against each lot's baseline rate); and about the DPS's locations, not by funder: `entering-leaving` (by month), `entering-leaving-list` (each move) and `rag-counts` (Green/Amber/Red at the end of each day or week); JSON, or CSV with format=csv or Accept: text/csv",
       {"dps", "from", "to", "funder", "bucket", "format"}, get_report},
      {"POST", "/api/v1/packages", {officer}, "Post a care package (starts its mini-competition)", {}, post_package, kKeyed},
      {"GET", "/api/v1/packages", {officer, compliance}, "List packages", {"status", "dps", "zone", "officer", "page", "page_size"}, list_packages},
      {"GET", "/api/v1/packages/{id}", {officer, compliance}, "The officer's view of a package, with every explanation", {}, get_package},
      {"POST", "/api/v1/packages/{id}/hold", {officer}, "Hold a package's window", {}, post_hold, kKeyed},
      {"POST", "/api/v1/packages/{id}/release", {officer}, "Release a held package", {}, post_release, kKeyed},
      {"POST", "/api/v1/packages/{id}/cancel", {officer}, "Cancel a package", {}, post_cancel, kKeyed},
      {"POST", "/api/v1/packages/{id}/direct-payment", {officer}, "Close a package for a direct payment", {}, post_direct_payment, kKeyed},
      {"POST", "/api/v1/packages/{id}/abnormally-low-decisions", {officer}, "Accept or reject an abnormally low offer's explanation", {}, post_abnormally_low_decision, kKeyed},
      {"POST", "/api/v1/packages/{id}/persons-choice", {officer}, "Award to the person's own choice of location", {}, post_persons_choice, kKeyed},
      {"POST", "/api/v1/packages/{id}/person/erasure", {admin}, "Erase the package's person (UK GDPR): destroys their key, so their sealed details are unreadable everywhere; journaled with who and why", {}, post_person_erasure, kKeyed},
      {"POST", "/api/v1/packages/{id}/spot-purchase", {officer}, "Record the spot purchase that followed an unsourced package (provider, rate, reason)", {}, post_spot_purchase, kKeyed},
      {"POST", "/api/v1/packages/{id}/amendments", {officer}, "Amend an open package (start date, schedule of calls) with notes; every invited location is told and earlier offers are marked for confirmation", {}, post_amendment, kKeyed},
      {"GET", "/api/v1/packages/{id}/questions", {officer, compliance}, "The clarification questions invited providers asked, with who asked, and the answers", {}, list_questions},
      {"POST", "/api/v1/packages/{id}/questions/{n}/answer", {officer}, "Answer a clarification question to every invited location, without saying who asked", {}, post_answer, kKeyed},
      {"GET", "/api/v1/packages/{id}/what-if", {officer, compliance}, "What-if: the package's offers ranked under another scheme, weights, minimum quality or abnormally-low threshold, beside its DPS's ranking", {"scheme", "price_weight_pct", "quality_weight_pct", "min_quality", "abnormally_low_pct"}, get_what_if},
      {"GET", "/api/v1/spot-purchases", {officer, compliance}, "List the spot purchases recorded after unsourced packages (still in memory)", {"dps", "off_framework", "page", "page_size"}, list_spot_purchases},
      {"GET", "/api/v1/placements", {officer, compliance}, "Who is affected: live placements by provider, location, zone, DPS and category, with weekly hours and value, and totals per provider", {"provider", "location", "zone", "dps", "category", "page", "page_size"}, list_placements},
      {"GET", "/api/v1/capacity", {officer, compliance}, "Declared capacity against hours placed, per admitted location", {"dps", "at_capacity"}, list_capacity},
      {"GET", "/api/v1/packages/{id}/placement", {officer, compliance}, "A package's placement: rate, start, hours, scheduled end, hand-back, variation, end", {}, get_placement},
      {"POST", "/api/v1/packages/{id}/placement/planned-end", {officer}, "Plan the date a live placement ends", {}, post_planned_end, kKeyed},
      {"POST", "/api/v1/packages/{id}/placement/end", {officer}, "End a live placement for a council reason (today or a later date)", {}, post_placement_end, kKeyed},
      {"POST", "/api/v1/packages/{id}/placement/variations", {officer}, "Propose a change of a live placement's hours or visits, for the provider to accept", {}, post_variation, kKeyed},
      {"POST", "/api/v1/packages/{id}/placement/variations/market", {officer}, "Send the pending variation to market as a new linked package", {}, post_variation_to_market, kKeyed},
      {"POST", "/api/v1/admin/backups", {admin}, "Back the store up online into a named directory under the backup directory", {}, post_backup},
      {"GET", "/api/v1/admin/clock", {admin}, "The market's clock: real, or a simulation's with its speed and whether it is frozen", {}, get_clock},
      {"PUT", "/api/v1/admin/clock", {admin}, "Freeze a simulation's clock for good ({\"frozen\": true}), as carebroker-sim does at a run's end", {}, put_clock},
  };
  return routes;
}

// ---- dispatch ----

void handle_rest(const HttpRequest& request, TokenStore& tokens, MarketService& market, Respond respond,
                 AuthFailureLimiter* failures) {
  using rest::input_error;
  if (request.body.size() > kMaxRestBodyBytes)
    return respond(error_response(GatewayCode::body_too_large, "the body is larger than " + std::to_string(kMaxRestBodyBytes) + " bytes"));
  const std::string_view target = request.target;
  const std::size_t question = target.find('?');
  const std::string_view path = target.substr(0, question);
  const std::string_view query = question == std::string_view::npos ? std::string_view() : target.substr(question + 1);
  if (path.empty() || path.front() != '/') return respond(error_response(GatewayCode::malformed_target, "the target must start with '/'"));
  std::vector<std::string> segments;
  for (std::string_view raw : rest::split(path.substr(1), '/')) {
    std::string decoded;
    if (!percent_decode(raw, false, decoded)) return respond(error_response(GatewayCode::malformed_target, "a broken %-escape in the path"));
    if (std::string problem = text_problem(decoded, TextForm::line, rest::kMaxCodeChars); !problem.empty())
      return respond(error_response(GatewayCode::malformed_target, "a path segment " + problem));
    segments.push_back(std::move(decoded));
  }

  const RouteInfo* route = nullptr;
  std::vector<std::pair<std::string, std::string>> params;
  std::string allowed;
  for (const RouteInfo& r : rest_routes()) {
    std::vector<std::pair<std::string, std::string>> p;
    if (!rest::match(r.path, segments, p)) continue;
    if (r.method == request.method) {
      route = &r;
      params = std::move(p);
      break;
    }
    allowed += (allowed.empty() ? "" : ", ") + std::string(r.method);
  }
  if (!route && allowed.empty())
    return respond(error_response(GatewayCode::not_found, "no route " + std::string(path)));
  if (!route)
    return respond(rest::with_header(error_response(GatewayCode::method_not_allowed, request.method + " is not allowed here; use " + allowed),
                                     "Allow", allowed));

  rest::RestContext ctx{request, tokens, market, respond, {}, std::move(params), {}, rest::json::object()};
  if (!route->roles.empty()) {
    if (failures && !request.client_address.empty())
      if (const auto wait = failures->retry_after(request.client_address)) return respond(too_many_auth_failures(*wait));
    const Authentication a =
        authenticate_token(tokens, TokenStore::bearer(request.authorization), failures, request.client_address);
    const auto& who = a.who;
    if (!who) return respond(auth_refusal(a));
    if (std::find(route->roles.begin(), route->roles.end(), who->role) == route->roles.end())
      return respond(error_response(GatewayCode::forbidden, "role " + std::string(to_string(who->role)) + " may not " +
                                                          request.method + " " + std::string(route->path)));
    ctx.principal = *who;
  }

  if (!query.empty()) {
    for (std::string_view pair : rest::split(query, '&')) {
      if (pair.empty()) continue;
      const std::size_t eq = pair.find('=');
      std::string key, value;
      if (!percent_decode(pair.substr(0, eq), true, key) ||
          !percent_decode(eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1), true, value))
        return respond(error_response(GatewayCode::malformed_target, "a broken %-escape in the query"));
      if (std::string problem = text_problem(value, TextForm::line, rest::kMaxCodeChars); !problem.empty())
        return rest::reply_error(respond, input_error(GatewayCode::invalid_query, "query parameter '" + key + "' " + problem));
      if (std::find(route->query.begin(), route->query.end(), key) == route->query.end())
        return rest::reply_error(respond, input_error(GatewayCode::invalid_query, "unknown query parameter '" + key + "'"));
      if (ctx.query_value(key))
        return rest::reply_error(respond, input_error(GatewayCode::invalid_query, "query parameter '" + key + "' is given twice"));
      ctx.query.emplace_back(std::move(key), std::move(value));
    }
  }

  // Idempotency-Key: on the routes that run a market command, scoped to the caller (role and
  // token name); the market keeps and decides it (engine::CommandKey). Refused elsewhere, so a
  // client never believes a retry of another POST is safe; ignored on reads.
  if (request.idempotency_key && request.method != "GET") {
    const std::string& key = *request.idempotency_key;
    if (!route->keyed)
      return rest::reply_error(respond, input_error(engine::Code::invalid_idempotency_key,
                                                    request.method + " " + std::string(route->path) +
                                                        " does not take an Idempotency-Key"));
    if (!engine::valid_command_key(key))
      return rest::reply_error(
          respond, input_error(http_status(engine::Code::invalid_idempotency_key), "invalid_idempotency_key",
                               "an Idempotency-Key is 1..64 printable ASCII characters without spaces"));
    ctx.key = engine::CommandKey{std::string(to_string(ctx.principal.role)) + ":" + ctx.principal.name, key};
  }

  if (request.method != "GET") {
    if (!request.body.empty() && !rest::json_content_type(request.content_type))
      return respond(error_response(GatewayCode::unsupported_media_type, "send the body as application/json"));
    if (rest::JsonStatus s = rest::parse_body(request.body, ctx.body); !s.ok()) return rest::reply_error(respond, s);
  }
  route->handler(ctx);
}

}  // namespace carebroker::gateway
