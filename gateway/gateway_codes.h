// The gateway's own error codes, beside the engine's rejection codes (engine/market/codes.h):
// what the server answers to input that never reaches the market, or that the market cannot take
// right now. One list, each code with the HTTP status it is served with (0: a WebSocket error
// frame only), so no error site spells a code by hand. Names are public API: never rename one.
// docs/bad-input.md catalogues every code; tests/bad_input_catalogue_test.cpp fails when a code
// here has no row there.
#pragma once

#include <cstdint>
#include <string_view>

namespace carebroker::gateway {

#define CAREBROKER_GATEWAY_CODES(X)                                                                \
  /* HTTP request line, headers and limits */                                                      \
  X(malformed_http, 400)                                                                           \
  X(headers_too_large, 431)                                                                        \
  X(body_too_large, 413)                                                                           \
  X(not_found, 404)                                                                                \
  X(method_not_allowed, 405)                                                                       \
  X(malformed_target, 400)                                                                         \
  X(invalid_path, 400)                                                                             \
  X(unsupported_media_type, 415)                                                                   \
  /* the server cannot take it now */                                                              \
  X(not_ready, 503)                                                                                \
  X(overloaded, 503)                                                                               \
  X(store_unavailable, 503)                                                                        \
  X(not_durable, 503)                                                                              \
  /* authentication and roles */                                                                   \
  X(unauthenticated, 401)                                                                          \
  X(forbidden, 403)                                                                                \
  /* REST JSON bodies */                                                                           \
  X(malformed_json, 400)                                                                           \
  X(wrong_type, 422)                                                                               \
  X(unknown_field, 422)                                                                            \
  X(missing_field, 422)                                                                            \
  X(invalid_value, 422)                                                                            \
  X(invalid_money, 422)                                                                            \
  X(path_mismatch, 422)                                                                            \
  /* query strings */                                                                              \
  X(invalid_query, 422)                                                                            \
  X(invalid_period, 422)                                                                           \
  X(invalid_format, 422)                                                                           \
  X(unknown_report, 404)                                                                           \
  X(unknown_rag, 422)                                                                              \
  X(invalid_bucket, 422)                                                                           \
  X(report_not_by_funder, 422)                                                                     \
  /* admin operations */                                                                           \
  X(invalid_backup_name, 422)                                                                      \
  X(backup_exists, 409)                                                                            \
  X(backup_failed, 500)                                                                            \
  X(token_store_failed, 500)                                                                       \
  X(clock_not_simulated, 409)                                                                      \
  X(person_key_store_failed, 500)                                                                  \
  /* WebSocket error frames only */                                                                \
  X(malformed_frame, 0)                                                                            \
  X(frame_too_large, 0)                                                                            \
  X(already_authenticated, 0)                                                                      \
  X(not_your_location, 0)                                                                          \
  X(rate_limited, 0)                                                                               \
  X(price_not_whole_pence, 0)                                                                      \
  X(busy, 0)                                                                                       \
  /* tokens: expiry, revocation, rotation, failed authentication */                                \
  X(token_expired, 401)                                                                            \
  X(token_revoked, 401)                                                                            \
  X(too_many_auth_failures, 429)                                                                   \
  X(unknown_token, 404)                                                                            \
  X(invalid_token_lifetime, 422)                                                                   \
  X(token_already_rotated, 409)                                                                    \
  X(last_admin_token, 409)

enum class GatewayCode : std::uint8_t {
#define CAREBROKER_GATEWAY_CODE_ENUM(name, status) name,
  CAREBROKER_GATEWAY_CODES(CAREBROKER_GATEWAY_CODE_ENUM)
#undef CAREBROKER_GATEWAY_CODE_ENUM
};

/// The stable name of a gateway code, e.g. "malformed_json".
constexpr std::string_view to_string(GatewayCode code) {
  switch (code) {
#define CAREBROKER_GATEWAY_CODE_NAME(name, status) \
  case GatewayCode::name: return #name;
    CAREBROKER_GATEWAY_CODES(CAREBROKER_GATEWAY_CODE_NAME)
#undef CAREBROKER_GATEWAY_CODE_NAME
  }
  return "";
}

/// The HTTP status a gateway code is served with; 0 for a code only sent in WebSocket error frames.
constexpr int http_status(GatewayCode code) {
  switch (code) {
#define CAREBROKER_GATEWAY_CODE_STATUS(name, status) \
  case GatewayCode::name: return status;
    CAREBROKER_GATEWAY_CODES(CAREBROKER_GATEWAY_CODE_STATUS)
#undef CAREBROKER_GATEWAY_CODE_STATUS
  }
  return 500;
}

}  // namespace carebroker::gateway
