// The token routes: issue (admin), list (admin), revoke (admin) and rotate (any caller, its own
// token). No answer ever carries a token's hash; only issue and rotate carry the new token, once.
#include <algorithm>

#include "gateway/rest/route_context.h"

namespace carebroker::gateway::rest {
namespace {

json::value time_or_null(const std::optional<WallMillis>& t) { return t ? json::value(iso_utc(*t)) : json::value(nullptr); }

std::string_view status_of(const TokenRecord& r, WallMillis now) {
  if (r.revoked_at && *r.revoked_at <= now) return "revoked";
  if (r.expires_at && *r.expires_at <= now) return "expired";
  if (r.revoked_at) return "rotating";  // replaced: works until its grace ends
  return "active";
}

/// What is shown about a token (GET /api/v1/tokens, and with the token itself when issued).
json::object token_json(const TokenRecord& r, WallMillis now) {
  json::object o{{"id", r.id}, {"user", r.who.name}, {"role", to_string(r.who.role)}};
  o["provider"] = r.who.subject.empty() ? json::value(nullptr) : json::value(r.who.subject);
  o["issued_at"] = time_or_null(r.issued_at);
  o["expires_at"] = time_or_null(r.expires_at);
  o["revoked_at"] = time_or_null(r.revoked_at);
  o["replaces"] = r.replaces.empty() ? json::value(nullptr) : json::value(r.replaces);
  o["replaced_by"] = r.replaced_by.empty() ? json::value(nullptr) : json::value(r.replaced_by);
  o["status"] = status_of(r, now);
  return o;
}

json::object issued_json(const IssuedToken& issued, WallMillis now) {
  json::object o = token_json(issued.record, now);
  o["token"] = issued.token;
  o["name"] = issued.record.who.name;  // the field's first name, for older clients
  return o;
}

/// expires_in_days: absent or null = the server's default lifetime; else a whole number of days,
/// 0 (never) .. kMaxTokenLifetimeDays. Anything else is 422 invalid_token_lifetime.
JsonStatus read_lifetime(const json::value& body, std::optional<int>& days) {
  const json::value* v = body.is_object() ? body.as_object().if_contains("expires_in_days") : nullptr;
  if (!v || v->is_null()) return {};
  const std::string range = "0 (never expires) .. " + std::to_string(kMaxTokenLifetimeDays);
  if (v->is_int64() && v->get_int64() >= 0 && v->get_int64() <= kMaxTokenLifetimeDays) {
    days = static_cast<int>(v->get_int64());
    return {};
  }
  if (v->is_uint64() && v->get_uint64() <= static_cast<std::uint64_t>(kMaxTokenLifetimeDays)) {
    days = static_cast<int>(v->get_uint64());
    return {};
  }
  return input_error(GatewayCode::invalid_token_lifetime,
                     "field 'expires_in_days' must be a whole number of days, " + range);
}

}  // namespace

void post_token(RestContext& ctx) {
  std::optional<int> lifetime;
  if (JsonStatus s = read_lifetime(ctx.body, lifetime); !s.ok()) return reply_error(ctx.respond, s);
  Principal who;
  std::string provider, user, name;
  bool has_user = false, has_name = false;
  if (!read_body(ctx, [&](ObjectReader& r) {
        r.choice("role", who.role, Need::required, {Role::admin, Role::officer, Role::compliance, Role::provider});
        r.text("provider", provider, Need::optional);
        has_user = r.has("user");
        has_name = r.has("name");
        r.text("user", user, Need::optional, kMaxTokenNameChars);
        r.text("name", name, Need::optional, kMaxTokenNameChars);  // the older name of 'user'
        int days = 0;
        r.integer("expires_in_days", days, Need::optional, 0, kMaxTokenLifetimeDays);  // checked above
      }))
    return;
  if (!has_user && !has_name)
    return reply_error(ctx.respond, input_error(GatewayCode::missing_field, "field 'user' is required"));
  if (has_user && has_name && user != name)
    return reply_error(ctx.respond, input_error(GatewayCode::invalid_value,
                                                "fields 'user' and 'name' (its older name) differ: send 'user' alone"));
  who.name = has_user ? user : name;
  if (who.name.empty()) return reply_error(ctx.respond, input_error(GatewayCode::invalid_value, "field 'user' must not be empty"));
  if ((who.role == Role::provider) != !provider.empty())
    return reply_error(ctx.respond, input_error(GatewayCode::invalid_value,
                                                who.role == Role::provider
                                                    ? "field 'provider' is required for role provider"
                                                    : "field 'provider' is only for role provider"));
  who.subject = provider;
  TokenStore* tokens = &ctx.tokens;
  auto issue = [tokens, lifetime](const Principal& p, const Respond& respond) {
    std::string error;
    const auto issued = tokens->issue(p, lifetime, error);
    if (!issued) return respond(error_response(GatewayCode::token_store_failed, error));
    respond(json_response(201, issued_json(*issued, tokens->now())));
  };
  if (who.role != Role::provider) return issue(who, ctx.respond);
  auto known = std::make_shared<bool>(false);
  Respond respond = ctx.respond;
  const bool queued = ctx.market.read(
      [known, provider](const engine::Market& m, std::uint64_t) { *known = m.find_provider(provider) != nullptr; },
      [known, who, respond, issue](bool durable) {
        if (!durable) return respond(error_response(GatewayCode::not_durable, "the market could not confirm the provider: retry"));
        if (!*known) return respond(error_response(engine::Code::unknown_provider, "no provider " + who.subject));
        issue(who, respond);
      });
  if (!queued) {
    HttpResponse busy = error_response(GatewayCode::overloaded, "the market is busy: retry shortly");
    busy.headers.emplace_back("Retry-After", "1");
    respond(std::move(busy));
  }
}

void list_tokens(RestContext& ctx) {
  Page page;
  if (JsonStatus s = read_page(ctx, page); !s.ok()) return reply_error(ctx.respond, s);
  const std::string* user = ctx.query_value("user");
  const WallMillis now = ctx.tokens.now();
  json::array items;
  std::size_t total = 0;
  for (const TokenRecord& r : ctx.tokens.list()) {
    if (user && r.who.name != *user) continue;
    if (total++ >= page.first() && items.size() < static_cast<std::size_t>(page.size)) items.push_back(token_json(r, now));
  }
  ctx.respond(json_response(200, page_json(std::move(items), total, page)));
}

void delete_token(RestContext& ctx) {
  if (!read_body(ctx, [](ObjectReader&) {})) return;  // no fields
  const std::string& id = ctx.param("id");
  TokenRecord record;
  std::string error;
  const TokenChange change = ctx.tokens.revoke(id, record, error);
  switch (change) {
    case TokenChange::done:
    case TokenChange::already_revoked: break;  // again: 200, the record unchanged
    case TokenChange::unknown: return ctx.respond(error_response(GatewayCode::unknown_token, "no token with id " + id));
    case TokenChange::last_admin:
      return ctx.respond(error_response(GatewayCode::last_admin_token,
                                        "token " + id + " is the last admin token that works: issue another admin token first"));
    case TokenChange::already_rotated:
    case TokenChange::store_failed: return ctx.respond(error_response(GatewayCode::token_store_failed, error));
  }
  ctx.respond(json_response(200, json::object{{"ok", true},
                                              {"already_revoked", change == TokenChange::already_revoked},
                                              {"token", token_json(record, ctx.tokens.now())}}));
}

void post_token_rotation(RestContext& ctx) {
  if (!read_body(ctx, [](ObjectReader&) {})) return;  // no fields
  std::optional<IssuedToken> issued;
  std::string error;
  const std::string& id = ctx.principal.token_id;
  switch (ctx.tokens.rotate(id, issued, error)) {
    case TokenChange::done: break;
    case TokenChange::already_rotated:
      return ctx.respond(error_response(GatewayCode::token_already_rotated,
                                        "token " + id + " was rotated already: use its replacement (an admin can issue another)"));
    case TokenChange::unknown:
    case TokenChange::already_revoked:  // revoked between authentication and now
      return ctx.respond(error_response(GatewayCode::token_revoked, "the token was revoked"));
    case TokenChange::last_admin:
    case TokenChange::store_failed: return ctx.respond(error_response(GatewayCode::token_store_failed, error));
  }
  const WallMillis now = ctx.tokens.now();
  json::object body = issued_json(*issued, now);
  // When the token presented stops working.
  for (const TokenRecord& r : ctx.tokens.list())
    if (r.id == id) body["old_token_valid_until"] = time_or_null(r.revoked_at);
  ctx.respond(json_response(201, body));
}

}  // namespace carebroker::gateway::rest
