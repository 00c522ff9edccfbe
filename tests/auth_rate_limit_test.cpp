// Failed authentication is rate limited per client address (issue 13, "Users and secrets"):
//  - after N unknown, expired or revoked tokens from one address within the window, further
//    requests from that address that need a token get 429 too_many_auth_failures with
//    Retry-After — REST routes, /metrics and the WebSocket upgrade — until the window passes;
//  - another address is not held back, and the health checks never are;
//  - a correct token never counts, however many clients authenticate from one address (as the
//    load tool and the integration tests do from 127.0.0.1), and a missing token does not count;
//  - memory is bounded: the oldest tracked address is forgotten first.
// The limiter's clock is the test's where a window must pass; nothing waits for real time.
#include <catch2/catch.hpp>

#include <chrono>
#include <optional>

#include "gateway/auth_failures.h"
#include "gateway_client.h"
#include "rest_harness.h"

namespace {

using namespace carebroker::testing;
using carebroker::gateway::AuthFailureLimiter;
using carebroker::gateway::AuthFailureLimits;
using carebroker::gateway::HttpRequest;
using Clock = std::chrono::steady_clock;

/// A limiter on a clock the test moves.
struct ManualLimiter {
  Clock::time_point now = Clock::time_point{} + std::chrono::hours(1);
  AuthFailureLimiter limiter;
  explicit ManualLimiter(AuthFailureLimits limits) : limiter(limits, [this] { return now; }) {}
};

/// The REST router as the server calls it: with the limiter and the client's address.
HttpResponse call_from(RestHarness& h, AuthFailureLimiter& limiter, const std::string& address, const std::string& method,
                       const std::string& target, const std::string& token) {
  HttpRequest request{method, target, token.empty() ? "" : "Bearer " + token, "application/json", ""};
  request.client_address = address;
  std::optional<HttpResponse> out;
  carebroker::gateway::handle_rest(request, h.tokens, h.service, [&](HttpResponse r) { out = std::move(r); }, &limiter);
  REQUIRE(out);
  return *out;
}

std::string response_header(const HttpResponse& r, const std::string& name) {
  for (const auto& [k, v] : r.headers)
    if (k == name) return v;
  return "";
}

}  // namespace

TEST_CASE("an address that fails to authenticate N times in the window gets 429 too_many_auth_failures until the window passes",
          "[gateway][security][auth_limit]") {
  RestHarness h;
  ManualLimiter m(AuthFailureLimits{3, std::chrono::seconds(60), 100});
  const std::string attacker = "192.0.2.7", neighbour = "192.0.2.8";
  for (int i = 0; i < 3; ++i) {
    const HttpResponse r = call_from(h, m.limiter, attacker, "GET", "/api/v1/me", "guess-" + std::to_string(i));
    CHECK(r.status == 401);
    CHECK(RestHarness::error_code(r) == "unauthenticated");
    m.now += std::chrono::seconds(10);
  }
  // Held back: every request that needs a token, even with a good one, until 60 s after the first failure.
  for (const std::string& token : {std::string("guess-4"), h.officer}) {
    const HttpResponse r = call_from(h, m.limiter, attacker, "GET", "/api/v1/me", token);
    CHECK(r.status == 429);
    CHECK(RestHarness::error_code(r) == "too_many_auth_failures");
    CHECK(response_header(r, "Retry-After") == "30");
    CHECK(r.body.find(token) == std::string::npos);
  }
  CHECK(call_from(h, m.limiter, attacker, "GET", "/healthz", "").status == 200);  // no token needed: not held back
  CHECK(call_from(h, m.limiter, neighbour, "GET", "/api/v1/me", h.officer).status == 200);
  m.now += std::chrono::seconds(29);
  CHECK(response_header(call_from(h, m.limiter, attacker, "GET", "/api/v1/me", h.officer), "Retry-After") == "1");
  m.now += std::chrono::seconds(1);
  CHECK(call_from(h, m.limiter, attacker, "GET", "/api/v1/me", h.officer).status == 200);  // the window has passed
  CHECK(call_from(h, m.limiter, attacker, "GET", "/api/v1/me", "guess-5").status == 401);  // a new window's first failure
}

TEST_CASE("expired and revoked tokens count as failures, correct and missing tokens never do", "[gateway][security][auth_limit]") {
  RestHarness h;
  ManualLimiter m(AuthFailureLimits{2, std::chrono::seconds(60), 100});
  const std::string address = "127.0.0.1";
  for (int i = 0; i < 500; ++i) REQUIRE(call_from(h, m.limiter, address, "GET", "/api/v1/me", h.officer).status == 200);
  for (int i = 0; i < 50; ++i) REQUIRE(call_from(h, m.limiter, address, "GET", "/api/v1/me", "").status == 401);
  CHECK(m.limiter.tracked() == 0);
  const std::string revoked = h.issue(Role::compliance, "compliance-2");
  carebroker::gateway::TokenRecord record;
  std::string error;
  REQUIRE(h.tokens.revoke(h.tokens.authenticate(revoked)->token_id, record, error) == carebroker::gateway::TokenChange::done);
  CHECK(RestHarness::error_code(call_from(h, m.limiter, address, "GET", "/api/v1/me", revoked)) == "token_revoked");
  const HttpResponse expired_token = h.call("POST", "/api/v1/tokens", h.admin, R"({"role": "officer", "user": "o", "expires_in_days": 1})");
  const std::string expired = str(RestHarness::parse(expired_token).at("token"));
  const auto real = h.tokens.now();
  h.tokens.set_clock([real] { return real + 2 * 86'400'000; });
  CHECK(RestHarness::error_code(call_from(h, m.limiter, address, "GET", "/api/v1/me", expired)) == "token_expired");
  CHECK(RestHarness::error_code(call_from(h, m.limiter, address, "GET", "/api/v1/me", h.officer)) == "too_many_auth_failures");
}

TEST_CASE("the failed-authentication tracker is bounded: the oldest address is forgotten first", "[gateway][security][auth_limit]") {
  ManualLimiter m(AuthFailureLimits{1, std::chrono::seconds(60), 3});
  for (const char* a : {"10.0.0.1", "10.0.0.2", "10.0.0.3"}) {
    m.limiter.failed(a);
    m.now += std::chrono::seconds(1);
  }
  CHECK(m.limiter.tracked() == 3);
  CHECK(m.limiter.retry_after("10.0.0.1"));
  m.limiter.failed("10.0.0.4");  // a fourth: 10.0.0.1, the oldest, goes
  CHECK(m.limiter.tracked() == 3);
  CHECK(!m.limiter.retry_after("10.0.0.1"));
  for (const char* a : {"10.0.0.2", "10.0.0.3", "10.0.0.4"}) CHECK(m.limiter.retry_after(a));
  for (int i = 0; i < 10'000; ++i) m.limiter.failed("198.51.100." + std::to_string(i));
  CHECK(m.limiter.tracked() == 3);
  // A limit of 0 turns the limiter off.
  ManualLimiter off(AuthFailureLimits{0, std::chrono::seconds(60), 3});
  for (int i = 0; i < 10; ++i) off.limiter.failed("10.0.0.9");
  CHECK(!off.limiter.retry_after("10.0.0.9"));
}

TEST_CASE("the real server holds back an address after failed tokens: REST, /metrics and the WebSocket upgrade get 429 with Retry-After",
          "[gateway][security][auth_limit]") {
  TestServerOptions options;
  options.limits.auth_failures = AuthFailureLimits{3, std::chrono::seconds(600), 100};
  TestServer server(options);
  const std::string officer = server.token(Role::officer);
  const std::string provider = server.token(Role::provider, "P-A");
  // Correct tokens, many clients from one address: never held back.
  for (int i = 0; i < 50; ++i) REQUIRE(http_request(server.port(), "GET", "/api/v1/me", officer).status == 200);
  for (int i = 0; i < 10; ++i) {
    WsClient ws;
    std::string error;
    REQUIRE(ws.connect(server.port(), error));
    REQUIRE(ws.send_text(R"({"message_type":"Hello","message":{"token":")" + provider + R"("}})"));
    const WsFrame welcome = ws.read();
    REQUIRE(welcome.is_message());
    CHECK(welcome.data.find("Welcome") != std::string::npos);
    ws.close();
  }
  // Two unknown tokens over REST, a third in a WebSocket Hello.
  for (int i = 0; i < 2; ++i) {
    const HttpResult r = http_request(server.port(), "GET", "/api/v1/me", std::string(64, 'f'));
    CHECK(r.status == 401);
    CHECK(r.www_authenticate == "Bearer");
  }
  {
    WsClient ws;
    std::string error;
    REQUIRE(ws.connect(server.port(), error));
    REQUIRE(ws.send_text(R"({"message_type":"Hello","message":{"token":"not-a-token"}})"));
    const WsFrame refused = ws.read();
    CHECK(refused.data.find("unauthenticated") != std::string::npos);
  }
  const HttpResult rest = http_request(server.port(), "GET", "/api/v1/me", officer);
  CHECK(rest.status == 429);
  CHECK(rest.body.find("too_many_auth_failures") != std::string::npos);
  CHECK(!rest.retry_after.empty());
  CHECK(std::stoi(rest.retry_after) > 0);
  CHECK(std::stoi(rest.retry_after) <= 600);
  const HttpResult metrics = http_request(server.port(), "GET", "/metrics", server.token(Role::admin));
  CHECK(metrics.status == 429);
  CHECK(!metrics.retry_after.empty());
  const HttpResult upgrade = http_request(server.port(), "GET", "/ws", {}, {}, kNetTimeout,
                                          {{"Upgrade", "websocket"},
                                           {"Connection", "Upgrade"},
                                           {"Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ=="},
                                           {"Sec-WebSocket-Version", "13"}});
  CHECK(upgrade.status == 429);
  CHECK(upgrade.body.find("too_many_auth_failures") != std::string::npos);
  CHECK(!upgrade.retry_after.empty());
  WsClient ws;
  std::string error;
  CHECK(!ws.connect(server.port(), error));
  CHECK(http_request(server.port(), "GET", "/healthz").status == 200);  // health checks are never held back
}
