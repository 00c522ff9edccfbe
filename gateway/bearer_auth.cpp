// Bearer authentication's refusals, and failures counted per address.
#include "gateway/bearer_auth.h"

#include "gateway/rest/json_convert.h"

namespace carebroker::gateway {

GatewayCode auth_failure_code(AuthFailure failure) {
  switch (failure) {
    case AuthFailure::expired: return GatewayCode::token_expired;
    case AuthFailure::revoked: return GatewayCode::token_revoked;
    case AuthFailure::none:
    case AuthFailure::missing:
    case AuthFailure::unknown: break;
  }
  return GatewayCode::unauthenticated;
}

std::string auth_failure_detail(const Authentication& a) {
  const std::string when = a.at ? rest::iso_utc(*a.at) : std::string();
  switch (a.failure) {
    case AuthFailure::missing: return "send Authorization: Bearer <token>";
    case AuthFailure::expired: return "the token expired at " + when + ": ask an admin for a new one";
    case AuthFailure::revoked: return "the token was revoked at " + when;
    case AuthFailure::none:
    case AuthFailure::unknown: break;
  }
  return "the token is not known";
}

HttpResponse auth_refusal(const Authentication& a) {
  HttpResponse r = error_response(auth_failure_code(a.failure), auth_failure_detail(a));
  r.headers.emplace_back("WWW-Authenticate", "Bearer");
  return r;
}

HttpResponse too_many_auth_failures(std::chrono::seconds retry_after) {
  HttpResponse r = error_response(GatewayCode::too_many_auth_failures,
                                  "too many failed authentications from this address: retry in " +
                                      std::to_string(retry_after.count()) + " s");
  r.headers.emplace_back("Retry-After", std::to_string(retry_after.count()));
  return r;
}

Authentication authenticate_token(const TokenStore& tokens, std::string_view token, AuthFailureLimiter* failures,
                                  const std::string& address) {
  Authentication a = tokens.check(token);
  if (!a.who && a.failure != AuthFailure::missing && failures && !address.empty()) failures->failed(address);
  return a;
}

}  // namespace carebroker::gateway
