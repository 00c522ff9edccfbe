// REST routes for contract actions (engine/market/contract_actions.h): issue one under a
// provider's contract for a DPS, change it (its history grows), list a provider's, and list
// every provider's — e.g. those in force whose review is due by a date.
#include <limits>

#include "gateway/error_codes.h"
#include "gateway/rest/route_context.h"

namespace carebroker::gateway::rest {
namespace {

using namespace carebroker::engine;

constexpr std::initializer_list<ContractActionKind> kKinds = {
    ContractActionKind::improvement_plan, ContractActionKind::default_notice, ContractActionKind::special_measures_plan,
    ContractActionKind::suspension, ContractActionKind::termination};
constexpr std::initializer_list<ContractActionStatus> kStatuses = {
    ContractActionStatus::in_force, ContractActionStatus::complied, ContractActionStatus::escalated,
    ContractActionStatus::withdrawn};

json::value optional_date(Date d) { return d == 0 ? json::value(nullptr) : json::value(format_date(d)); }

json::object action_json(const Market& m, const Provider& p, const ContractAction& a) {
  json::array history;
  for (const auto& u : a.history)
    history.push_back(json::object{{"at", iso_utc(u.at)},
                                   {"status", to_string(u.status)},
                                   {"review_date", optional_date(u.review_date)},
                                   {"owner", u.owner},
                                   {"notes", u.notes},
                                   {"by", u.by}});
  return json::object{{"id", a.id},
                      {"provider", p.id},
                      {"dps", m.dps(a.dps).code},
                      {"kind", to_string(a.kind)},
                      {"status", to_string(a.status)},
                      {"issued_at", iso_utc(a.issued_at)},
                      {"start_date", format_date(a.start_date)},
                      {"review_date", optional_date(a.review_date)},
                      {"owner", a.owner},
                      {"notes", a.notes},
                      {"escalates", a.escalates == 0 ? json::value(nullptr) : json::value(a.escalates)},
                      {"issued_by", a.issued_by},
                      {"history", std::move(history)}};
}

/// The filters both lists take: ?dps=, ?kind=, ?status=, ?review_due_by=YYYY-MM-DD (in force,
/// review on or before the date).
struct ActionFilter {
  std::string dps;
  std::optional<ContractActionKind> kind;
  std::optional<ContractActionStatus> status;
  Date review_due_by = 0;
};

JsonStatus read_filter(const RestContext& ctx, ActionFilter& f) {
  if (const std::string* v = ctx.query_value("dps")) f.dps = *v;
  if (const std::string* v = ctx.query_value("kind"); v && !(f.kind = parse_contract_action_kind(*v)))
    return input_error(GatewayCode::invalid_query, "kind '" + *v + "' is not a contract action kind");
  if (const std::string* v = ctx.query_value("status"); v && !(f.status = parse_contract_action_status(*v)))
    return input_error(GatewayCode::invalid_query, "status '" + *v + "' is not a contract action status");
  if (const std::string* v = ctx.query_value("review_due_by")) {
    const auto d = parse_date(*v);
    if (!d) return input_error(GatewayCode::invalid_query, "review_due_by must be a date YYYY-MM-DD");
    f.review_due_by = *d;
  }
  return {};
}

bool matches(const ActionFilter& f, int dps, const ContractAction& a) {
  if (dps >= 0 && a.dps != dps) return false;
  if (f.kind && a.kind != *f.kind) return false;
  if (f.status && a.status != *f.status) return false;
  if (f.review_due_by != 0 && (!a.in_force() || a.review_date == 0 || a.review_date > f.review_due_by)) return false;
  return true;
}

/// Runs the list `body` on a replica once the filter's DPS is resolved (-1: every DPS).
void list_actions(RestContext& ctx, std::string provider) {
  Page page;
  if (JsonStatus s = read_page(ctx, page); !s.ok()) return reply_error(ctx.respond, s);
  ActionFilter filter;
  if (JsonStatus s = read_filter(ctx, filter); !s.ok()) return reply_error(ctx.respond, s);
  run_read(ctx, [=](const Market& m) {
    int dps = -1;
    if (!filter.dps.empty() && (dps = m.find_dps(filter.dps)) < 0)
      return error_response(GatewayCode::invalid_query, "no DPS '" + filter.dps + "'");
    if (!provider.empty() && !m.find_provider(provider)) return error_response(engine::Code::unknown_provider, "no provider " + provider);
    json::array items;
    std::size_t total = 0;
    for (const Provider& p : m.providers()) {
      if (!provider.empty() && p.id != provider) continue;
      for (const ContractAction& a : p.contract_actions) {
        if (!matches(filter, dps, a)) continue;
        if (total++ < page.first() || items.size() >= static_cast<std::size_t>(page.size)) continue;
        items.push_back(action_json(m, p, a));
      }
    }
    return json_response(200, page_json(std::move(items), total, page));
  });
}

}  // namespace

void post_contract_action(RestContext& ctx) {
  IssueContractAction c;
  c.provider = ctx.param("id");
  c.by = ctx.principal.name;
  if (!read_body(ctx, [&](ObjectReader& r) {
        r.text("dps", c.dps, Need::required);
        r.choice("kind", c.kind, Need::required, kKinds);
        r.date("start_date", c.start_date, Need::optional);
        r.date("review_date", c.review_date, Need::optional);
        r.text("owner", c.owner, Need::required);
        r.free_text("notes", c.notes, Need::optional);
        r.integer("escalates", c.escalates, Need::optional, 1, 1'000'000);
        r.date("transition_end", c.transition_end, Need::optional);
      }))
    return;
  run_command(ctx, std::move(c), 201, [provider = c.provider](const Reply&, json::object& body) { body["provider"] = provider; });
}

void post_contract_action_update(RestContext& ctx) {
  UpdateContractAction c;
  c.provider = ctx.param("id");
  c.by = ctx.principal.name;
  const std::string& n = ctx.param("n");
  std::int64_t number = 0;
  if (!whole_number(n, 1, std::numeric_limits<decltype(c.action)>::max(), number))
    return ctx.respond(error_response(engine::Code::unknown_contract_action, "no contract action " + n));
  c.action = static_cast<decltype(c.action)>(number);
  if (!read_body(ctx, [&](ObjectReader& r) {
        r.choice("status", c.status, Need::required, kStatuses);
        r.date("review_date", c.review_date, Need::optional);
        r.text("owner", c.owner, Need::optional);
        r.free_text("notes", c.notes, Need::required);
      }))
    return;
  run_command(ctx, std::move(c), 200, [provider = c.provider, action = c.action](const Reply&, json::object& body) {
    body["provider"] = provider;
    body["action"] = action;
  });
}

void list_provider_contract_actions(RestContext& ctx) { list_actions(ctx, ctx.param("id")); }
void list_contract_actions(RestContext& ctx) { list_actions(ctx, {}); }

}  // namespace carebroker::gateway::rest
