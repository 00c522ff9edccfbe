// One way to authenticate a request's bearer token, for every door (REST routes, /metrics, the
// WebSocket's Hello): who it is, or the refusal — 401 unauthenticated (no token, or one the
// server does not know), 401 token_expired, 401 token_revoked — and a failure counted against
// the client's address, whose further requests get 429 too_many_auth_failures with Retry-After
// (gateway/auth_failures.h). A missing token is not counted: only a token that does not work.
// The refusal never repeats the token. Thread-safe.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "gateway/auth.h"
#include "gateway/auth_failures.h"
#include "gateway/http_types.h"

namespace carebroker::gateway {

/// The code for a failed authentication (unauthenticated for a missing or unknown token).
GatewayCode auth_failure_code(AuthFailure failure);
/// What to tell the caller: no token; not known; expired or revoked at a time.
std::string auth_failure_detail(const Authentication& a);
/// 401 with the code and WWW-Authenticate: Bearer.
HttpResponse auth_refusal(const Authentication& a);
/// 429 too_many_auth_failures with Retry-After.
HttpResponse too_many_auth_failures(std::chrono::seconds retry_after);

/// Checks `token`; counts a failure (not a missing token) against `address` when `failures` is
/// given and the address is known.
Authentication authenticate_token(const TokenStore& tokens, std::string_view token, AuthFailureLimiter* failures,
                                  const std::string& address);

}  // namespace carebroker::gateway
