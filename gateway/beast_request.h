// The one conversion from a request Beast parsed to the plain HttpRequest the REST layer handles
// (gateway/http_types.h): which headers it keeps and how repeated Idempotency-Key headers join.
// Used by the HTTP session (server.cpp) and by the HTTP fuzz target (fuzz/fuzz_http_request.cpp),
// so the fuzzer drives exactly what the server hands to handle_rest. Header-only (it needs Beast,
// which only the server's translation units include).
#pragma once

#include <boost/beast/http.hpp>
#include <string>
#include <string_view>
#include <utility>

#include "gateway/http_types.h"

namespace carebroker::gateway {

inline HttpRequest to_http_request(boost::beast::http::request<boost::beast::http::string_body>&& request) {
  namespace http = boost::beast::http;
  HttpRequest r;
  r.method = std::string(request.method_string());
  r.target = std::string(request.target());
  r.authorization = std::string(request[http::field::authorization]);
  r.content_type = std::string(request[http::field::content_type]);
  r.accept = std::string(request[http::field::accept]);
  for (auto range = request.equal_range("Idempotency-Key"); range.first != range.second; ++range.first) {
    const std::string_view value = range.first->value();
    r.idempotency_key = r.idempotency_key ? *r.idempotency_key + ", " + std::string(value) : std::string(value);
  }
  r.body = std::move(request.body());
  return r;
}

}  // namespace carebroker::gateway
