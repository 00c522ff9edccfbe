// Fuzz target: raw bytes on the REST port, through the server's own path — Beast's request
// parser with the server's body and header limits, the same conversion (gateway/beast_request.h)
// and handle_rest — against an in-process market with a DPS, an admitted location and an open
// package, so bodies and query strings reach the routes' readers and the market's rules.
//
// Bearer tokens are random, so an input names a role instead: "@admin", "@officer",
// "@compliance" and "@provider" are replaced by that role's real token before parsing (the seed
// corpus uses them). The market keeps what earlier inputs did, as a long-running server does.
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket/rfc6455.hpp>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstdio>
#include <string>
#include <string_view>

#include "gateway/auth.h"
#include "gateway/beast_request.h"
#include "gateway/rest/router.h"
#include "tests/inline_market_service.h"
#include "tests/rest_fixture_json.h"

namespace {

using namespace carebroker;
namespace http = boost::beast::http;

struct Server {
  testing::InlineMarketService market;
  gateway::TokenStore tokens;
  std::string admin, officer, compliance, provider;

  Server() {
    std::string error;
    if (!tokens.open("", error)) die("token store: " + error);
    admin = issue({gateway::Role::admin, "", "admin-1"});
    officer = issue({gateway::Role::officer, "", "officer-1"});
    compliance = issue({gateway::Role::compliance, "", "compliance-1"});
    provider = issue({gateway::Role::provider, "P-1", "provider P-1"});
    (void)market.run(engine::Tick{engine::london_to_utc(*engine::parse_date("2026-11-23"), 9 * engine::kMillisPerHour)});
    setup("PUT", "/api/v1/calendar", admin, R"({"bank_holidays": ["2026-12-25"]})");
    for (const char* c : {"older_people", "dementia", "learning_disability", "mental_health", "physical_disability"})
      setup("POST", "/api/v1/categories", admin, std::string(R"({"code": ")") + c + R"(", "name": ")" + c + "\"}");
    setup("PUT", "/api/v1/dps/home-care", admin, testing::kHomeCareJson);
    setup("POST", "/api/v1/providers", compliance, R"({"id": "P-1", "name": "Provider 1"})");
    setup("POST", "/api/v1/locations", compliance,
          R"({"id": "L1", "provider": "P-1", "name": "L1 branch", "postcode": "B13 9AA", "local_authority": "Birmingham"})");
    setup("POST", "/api/v1/locations/L1/applications", compliance, R"({"dps": "home-care"})");
    setup("POST", "/api/v1/locations/L1/admissions", compliance,
          R"({"dps": "home-care", "lots": ["hc"], "categories": ["older_people"], "zones": ["south"], "tier": "tier1", "capacity": 500})");
    setup("PATCH", "/api/v1/locations/L1/quality", compliance, R"({"cqc": "good", "pamms": "good", "self_assessment": 75})");
    setup("POST", "/api/v1/packages", officer, testing::kPackageJson);
  }

  [[noreturn]] static void die(const std::string& why) {
    std::fprintf(stderr, "fuzz_http_request set-up failed: %s\n", why.c_str());
    std::abort();
  }
  std::string issue(const gateway::Principal& who) {
    std::string error;
    auto token = tokens.issue(who, error);
    if (!token) die("token: " + error);
    return *token;
  }
  gateway::HttpResponse handle(const gateway::HttpRequest& request) {
    gateway::HttpResponse out;
    int answers = 0;
    gateway::handle_rest(request, tokens, market, [&](gateway::HttpResponse r) {
      out = std::move(r);
      ++answers;
    });
    if (answers != 1) die("handle_rest answered " + std::to_string(answers) + " times to " + request.target);
    return out;
  }
  void setup(std::string method, std::string target, const std::string& token, std::string body) {
    gateway::HttpRequest r{std::move(method), std::move(target), "Bearer " + token, "application/json", std::move(body)};
    const auto response = handle(r);
    if (response.status >= 300) die(r.method + " " + r.target + " → " + response.body);
  }

  /// The input with each "@role" replaced by that role's token.
  std::string with_tokens(std::string_view input) const {
    std::string out(input);
    const std::pair<std::string_view, const std::string*> roles[] = {
        {"@admin", &admin}, {"@officer", &officer}, {"@compliance", &compliance}, {"@provider", &provider}};
    for (const auto& [name, token] : roles)
      for (std::size_t at = out.find(name); at != std::string::npos; at = out.find(name, at + token->size()))
        out.replace(at, name.size(), *token);
    return out;
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static Server server;
  const std::string input = server.with_tokens(std::string_view(reinterpret_cast<const char*>(data), size));
  http::request_parser<http::string_body> parser;
  parser.eager(true);
  parser.body_limit(gateway::kMaxRestBodyBytes);  // the server's limits (gateway/server.h)
  parser.header_limit(16 << 10);
  boost::beast::error_code ec;
  parser.put(boost::asio::buffer(input), ec);
  if (!ec && !parser.is_done()) parser.put_eof(ec);
  if (ec || !parser.is_done()) return 0;  // the session answers 400/413/431 and closes
  auto request = parser.release();
  if (boost::beast::websocket::is_upgrade(request)) return 0;  // handed to the WebSocket session
  const gateway::HttpRequest r = gateway::to_http_request(std::move(request));
  (void)server.handle(r);
  return 0;
}
