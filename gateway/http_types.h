// Plain HTTP request and response values, so request handling is a free function of values
// (Beast's examples: "the session only moves bytes") and can be tested without sockets.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "engine/market/codes.h"
#include "gateway/gateway_codes.h"

namespace carebroker::gateway {

struct HttpRequest {
  std::string method;  ///< "GET", "POST", …
  std::string target;  ///< path and query, e.g. "/api/v1/packages?status=open"
  std::string authorization;  ///< the Authorization header, verbatim
  std::string content_type;
  std::string body;
  /// The Idempotency-Key header; nullopt when absent. Repeated headers are joined with ", "
  /// (RFC 9110 field-line combination), which is not a valid key.
  std::optional<std::string> idempotency_key;
  std::string accept;  ///< the Accept header, verbatim (market reports answer text/csv when asked)
  std::string client_address;  ///< the peer's IP address ("" when not over a socket, e.g. tests)
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
};

/// Completes a request; may be called from any thread (the session marshals to its strand).
using Respond = std::function<void(HttpResponse)>;

/// A JSON error body with the stable machine-readable code: {"error":{"code":…,"detail":…}}.
HttpResponse error_response(int status, std::string_view code, std::string_view detail);
/// The same, for a gateway code at its own status (gateway/gateway_codes.h).
HttpResponse error_response(GatewayCode code, std::string_view detail);
/// The same, for a market rejection at its status (http_status in gateway/error_codes.h).
HttpResponse error_response(engine::Code code, std::string_view detail);

}  // namespace carebroker::gateway
