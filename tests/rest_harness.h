// Test helpers for the REST API: an in-process market service, an in-memory token store with
// one token per role, `call` to drive handle_rest with a request and get its one response, and
// the setup of a small home-care market by REST. Header-only; each test builds its own harness.
#pragma once

#include <catch2/catch.hpp>

#include <optional>
#include <string>

#include "gateway/auth.h"
#include "gateway/rest/json_convert.h"
#include "gateway/rest/router.h"
#include "inline_market_service.h"
#include "market_fixture.h"
#include "rest_fixture_json.h"

namespace carebroker::testing {

namespace json = boost::json;
using gateway::HttpRequest;
using gateway::HttpResponse;
using gateway::Role;

struct RestHarness {
  InlineMarketService service;
  gateway::TokenStore tokens;
  std::string admin, officer, compliance, provider;  ///< bearer tokens, one per role
  int next_request = 1;

  RestHarness() {
    std::string error;
    REQUIRE(tokens.open("", error));
    admin = issue(Role::admin, "admin-1");
    officer = issue(Role::officer, "brokerage-officer-1");
    compliance = issue(Role::compliance, "compliance-1");
    REQUIRE(service.run(engine::Tick{kMonday9am}).ok());
  }

  std::string issue(Role role, std::string name, std::string subject = "") {
    std::string error;
    const auto token = tokens.issue(gateway::Principal{role, std::move(subject), std::move(name)}, error);
    REQUIRE(token);
    return *token;
  }

  const std::string& token_for(Role role) const {
    switch (role) {
      case Role::admin: return admin;
      case Role::officer: return officer;
      case Role::compliance: return compliance;
      case Role::provider: break;
    }
    return provider;
  }

  /// Sends one request; checks that exactly one response came back.
  HttpResponse call(std::string method, std::string target, const std::string& token, std::string body = "",
                    std::string content_type = "application/json") {
    return send({std::move(method), std::move(target), token.empty() ? "" : "Bearer " + token, std::move(content_type),
                 std::move(body)});
  }

  /// Sends one request with an Idempotency-Key header (`key` verbatim).
  HttpResponse call_keyed(std::string method, std::string target, const std::string& token, std::string key,
                          std::string body = "") {
    return send({std::move(method), std::move(target), "Bearer " + token, "application/json", std::move(body),
                 std::move(key)});
  }

  /// Hands one request to the router; it must answer exactly once.
  HttpResponse send(const HttpRequest& request) {
    std::optional<HttpResponse> out;
    int responses = 0;
    gateway::handle_rest(request, tokens, service, [&](HttpResponse r) {
      out = std::move(r);
      ++responses;
    });
    REQUIRE(responses == 1);
    return *out;
  }

  /// The same, requiring `status`; returns the parsed JSON body.
  json::value must(int status, std::string method, std::string target, const std::string& token, std::string body = "") {
    const HttpResponse r = call(method, target, token, std::move(body));
    INFO(method << " " << target << " → " << r.status << " " << r.body);
    REQUIRE(r.status == status);
    return parse(r);
  }

  static json::value parse(const HttpResponse& r) {
    REQUIRE(r.content_type == "application/json");
    boost::system::error_code ec;
    json::value v = json::parse(r.body, ec);
    INFO(r.body);
    REQUIRE(!ec);
    return v;
  }
  /// Sends a request that must be refused with `status` and `code` (and a detail containing
  /// `detail`), and checks that the market did not change: the same digest, no new event.
  void refused(const std::string& method, const std::string& target, const std::string& token,
               const std::string& body, int status, const std::string& code, const std::string& detail = "",
               const std::string& content_type = "application/json") {
    const auto digest = service.market().digest();
    const auto events = service.events().size();
    const HttpResponse r = call(method, target, token, body, content_type);
    INFO(method << " " << target << " " << body.substr(0, 200) << " → " << r.status << " " << r.body.substr(0, 400));
    CHECK(r.status == status);
    CHECK(error_code(r) == code);
    if (!detail.empty()) CHECK(r.body.find(detail) != std::string::npos);
    CHECK(service.market().digest() == digest);
    CHECK(service.events().size() == events);
  }

  static std::string error_code(const HttpResponse& r) {
    const json::value v = parse(r);
    const auto* e = v.is_object() ? v.as_object().if_contains("error") : nullptr;
    return e && e->is_object() ? std::string(e->as_object().at("code").as_string()) : std::string();
  }

  /// Calendar, categories, the home-care DPS, and locations admitted by REST (tier 1, south).
  void configure_market() {
    must(200, "PUT", "/api/v1/calendar", admin, R"({"bank_holidays": ["2026-12-25", "2026-12-28"]})");
    for (const char* c : {"older_people", "dementia", "learning_disability", "mental_health", "physical_disability", "autism"})
      must(201, "POST", "/api/v1/categories", admin, std::string(R"({"code": ")") + c + R"(", "name": ")" + c + "\"}");
    must(200, "PUT", "/api/v1/dps/home-care", admin, kHomeCareJson);
  }

  void admit(const std::string& id, const std::string& cqc = "good", const std::string& pamms = "good",
             int self_assessment = 75) {
    must(201, "POST", "/api/v1/providers", compliance, R"({"id": "P-)" + id + R"(", "name": "Provider )" + id + "\"}");
    must(201, "POST", "/api/v1/locations", compliance,
         R"({"id": ")" + id + R"(", "provider": "P-)" + id + R"(", "name": ")" + id + R"( branch", "postcode": "B13 9AA", "local_authority": "Birmingham"})");
    must(201, "POST", "/api/v1/locations/" + id + "/applications", compliance, R"({"dps": "home-care"})");
    must(200, "POST", "/api/v1/locations/" + id + "/admissions", compliance,
         R"({"dps": "home-care", "lots": ["hc"], "categories": ["older_people", "dementia", "physical_disability"], "zones": ["south"], "tier": "tier1", "capacity": 500})");
    must(200, "PATCH", "/api/v1/locations/" + id + "/quality", compliance,
         R"({"cqc": ")" + cqc + R"(", "pamms": ")" + pamms + R"(", "self_assessment": )" + std::to_string(self_assessment) + "}");
  }

  engine::Reply offer(const std::string& location, engine::PackageId package, engine::Pence price) {
    return service.run(engine::PlaceOffer{"P-" + location, location, "req-" + std::to_string(next_request++), package,
                                          price, kMonday + 2, true, ""});
  }
  engine::Reply accept(const std::string& location, engine::PackageId package) {
    return service.run(engine::AcceptAward{"P-" + location, location, "req-" + std::to_string(next_request++), package});
  }
  /// Moves the clock to the package's current deadline (window close or award expiry).
  void pass_deadline(engine::PackageId id) {
    const engine::Package* p = service.market().find_package(id);
    REQUIRE(p);
    const engine::UtcMillis at = p->status == engine::PackageStatus::award_pending ? p->award_expires : p->closes_at;
    REQUIRE(service.run(engine::Tick{at}).ok());
  }
};

inline const json::object& as_object(const json::value& v) { return v.as_object(); }
inline std::string str(const json::value& v) { return std::string(v.as_string()); }
/// A JSON number as a double, whether it was written as an integer or not.
inline double number(const json::value& v) { return v.is_double() ? v.as_double() : static_cast<double>(v.as_int64()); }

}  // namespace carebroker::testing
