// The REST API: one table of routes (method, path template, roles, summary, query parameters,
// handler) used both to dispatch requests and to check docs/openapi.json, and `handle_rest`,
// a free function of values that authenticates, validates and answers one request.
//
// Called by the lead's Beast HTTP session on its I/O thread. handle_rest never blocks on the
// market: commands and reads go through MarketService, and `respond` is called exactly once —
// possibly on another thread (the sequencer's), so the session must marshal it back to
// its strand (or a backup's thread: POST /api/v1/admin/backups answers when the checkpoint is done).
// Thread-safe as long as TokenStore and MarketService are (they are).
#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

#include "gateway/auth.h"
#include "gateway/auth_failures.h"
#include "gateway/http_types.h"
#include "gateway/market_service.h"

namespace carebroker::gateway {

namespace rest {
struct RestContext;
}

/// Bodies above this are refused (413 body_too_large); the server's body limit should match.
inline constexpr std::size_t kMaxRestBodyBytes = 1 << 20;
/// List paging: ?page= (1-based) and ?page_size= (1..500, default 50).
inline constexpr int kDefaultPageSize = 50;
inline constexpr int kMaxPageSize = 500;

struct RouteInfo {
  std::string_view method;              ///< "GET", "POST", "PUT", "PATCH"
  std::string_view path;                ///< template, e.g. "/api/v1/packages/{id}"
  std::vector<Role> roles;              ///< who may call it; empty = no authentication
  std::string_view summary;
  std::vector<std::string_view> query;  ///< the query parameters it accepts (others are refused)
  void (*handler)(rest::RestContext&) = nullptr;
  /// Runs a market command and takes an Idempotency-Key header (docs/openapi.json says so).
  bool keyed = false;
};

/// Every REST route, in a stable order.
const std::vector<RouteInfo>& rest_routes();

/// Answers one request through `respond` (exactly once). Errors are JSON bodies
/// {"error":{"code","detail"}}: 400 malformed_json / malformed_target, 401 unauthenticated /
/// token_expired / token_revoked, 429 too_many_auth_failures (with `failures`: the client's
/// address failed to authenticate too often; gateway/bearer_auth.h), 403 forbidden, 404 not_found (no route) or unknown_* (no such thing), 405 method_not_allowed,
/// 413 body_too_large, 415 unsupported_media_type, 422 (validation and market rules),
/// 409 (a clash with the market's state), 503 overloaded / store_unavailable / not_durable.
void handle_rest(const HttpRequest& request, TokenStore& tokens, MarketService& market, Respond respond,
                 AuthFailureLimiter* failures = nullptr);

}  // namespace carebroker::gateway
