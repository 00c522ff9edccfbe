// REST commands carry an Idempotency-Key (issue 7, defect 7): a retry whose reply was lost gets
// the original answer, replayed, instead of a second competition for the same person; the same key
// with another body is refused; keys are each caller's own, checked, and kept by the market —
// journaled, so a restart of the real server still answers the retry.
#include "gateway_client.h"
#include "rest_harness.h"

using namespace carebroker::testing;
using carebroker::gateway::rest_routes;

namespace {

/// A market with the home-care DPS and location A admitted, by REST.
struct KeyedMarket : RestHarness {
  KeyedMarket() {
    configure_market();
    admit("A");
  }
  std::uint64_t package_of(const HttpResponse& r) {
    INFO(r.status << " " << r.body);
    return parse(r).at("package").to_number<std::uint64_t>();
  }
  bool replayed(const HttpResponse& r) {
    const json::value v = parse(r);
    const json::value* flag = v.as_object().if_contains("replayed");
    return flag && flag->is_bool() && flag->get_bool();
  }
};

std::string header(const HttpResponse& r, std::string_view name) {
  for (const auto& [n, v] : r.headers)
    if (n == name) return v;
  return "";
}

}  // namespace

TEST_CASE("POST /api/v1/packages twice with one Idempotency-Key opens one competition, the retry is replayed",
          "[rest]") {
  KeyedMarket m;
  const HttpResponse first = m.call_keyed("POST", "/api/v1/packages", m.officer, "post-ada-1", kPackageJson);
  REQUIRE(first.status == 201);
  CHECK_FALSE(m.replayed(first));
  const std::uint64_t package = m.package_of(first);
  const std::size_t packages = m.service.market().package_count();
  const auto events = m.service.events().size();
  const auto digest = m.service.market().digest();

  // The reply was lost; the client retries, with the same body written differently.
  json::value same = json::parse(kPackageJson);
  const HttpResponse retry = m.call_keyed("POST", "/api/v1/packages", m.officer, "post-ada-1", json::serialize(same));
  INFO(retry.body);
  CHECK(retry.status == 201);  // the same status
  CHECK(m.package_of(retry) == package);
  CHECK(m.replayed(retry));
  CHECK(header(retry, "Location") == header(first, "Location"));
  CHECK(m.service.market().package_count() == packages);
  CHECK(m.service.events().size() == events);
  CHECK(m.service.market().digest() == digest);

  // Without a key a second POST is a second package, as before.
  CHECK(m.package_of(m.call("POST", "/api/v1/packages", m.officer, kPackageJson)) != package);
}

TEST_CASE("an Idempotency-Key reused with another body is refused 409 request_id_reused and changes nothing",
          "[rest]") {
  KeyedMarket m;
  REQUIRE(m.call_keyed("POST", "/api/v1/packages", m.officer, "k-1", kPackageJson).status == 201);
  const auto events = m.service.events().size();
  json::value other = json::parse(kPackageJson);
  other.as_object()["quantity"] = 420;
  other.as_object()["visits"].as_object()["visits_per_day"] = 2;
  for (const auto& [target, body] : std::vector<std::pair<std::string, std::string>>{
           {"/api/v1/packages", json::serialize(other)},
           {"/api/v1/packages/1/hold", R"({"reason": "awaiting assessment"})"}}) {
    const HttpResponse r = m.call_keyed("POST", target, m.officer, "k-1", body);
    INFO(target << " → " << r.status << " " << r.body);
    CHECK(r.status == 409);
    CHECK(RestHarness::error_code(r) == "request_id_reused");
  }
  CHECK(m.service.events().size() == events);
}

TEST_CASE("Idempotency-Keys are each caller's own", "[rest]") {
  KeyedMarket m;
  const std::string other_officer = m.issue(Role::officer, "brokerage-officer-2");
  const std::uint64_t mine = m.package_of(m.call_keyed("POST", "/api/v1/packages", m.officer, "same-key", kPackageJson));
  const HttpResponse theirs = m.call_keyed("POST", "/api/v1/packages", other_officer, "same-key", kPackageJson);
  REQUIRE(theirs.status == 201);
  CHECK_FALSE(m.replayed(theirs));
  CHECK(m.package_of(theirs) != mine);
}

TEST_CASE("a bad Idempotency-Key is refused 422 invalid_idempotency_key before anything runs", "[rest]") {
  KeyedMarket m;
  const auto events = m.service.events().size();
  const auto commands = m.service.commands();
  for (const std::string& bad : {std::string(), std::string(65, 'k'), std::string("two words"), std::string("k1, k2"),
                                 std::string("caf\xc3\xa9"), std::string("tab\t")}) {
    INFO("'" << bad << "'");
    const HttpResponse r = m.call_keyed("POST", "/api/v1/packages", m.officer, bad, kPackageJson);
    CHECK(r.status == 422);
    CHECK(RestHarness::error_code(r) == "invalid_idempotency_key");
  }
  // Routes that run no market command take no key (a client must not believe its retry is safe).
  const HttpResponse token = m.call_keyed("POST", "/api/v1/tokens", m.admin, "k-token", R"({"role": "officer", "name": "x"})");
  CHECK(token.status == 422);
  CHECK(RestHarness::error_code(token) == "invalid_idempotency_key");
  CHECK(m.service.events().size() == events);
  CHECK(m.service.commands() == commands);
  // A read ignores it.
  CHECK(m.call_keyed("GET", "/api/v1/dps", m.officer, "whatever").status == 200);
}

TEST_CASE("every command route takes an Idempotency-Key: retries of configuration, membership and package actions are replayed",
          "[rest]") {
  KeyedMarket m;
  const std::uint64_t p = m.package_of(m.call("POST", "/api/v1/packages", m.officer, kPackageJson));
  struct Case {
    std::string method, target, token, body;
    int status;
  };
  const std::vector<Case> cases = {
      {"PUT", "/api/v1/dps/home-care", m.admin, kHomeCareJson, 200},
      {"POST", "/api/v1/categories", m.admin, R"({"code": "autism", "name": "Autism support"})", 201},
      {"PUT", "/api/v1/calendar", m.admin, R"({"bank_holidays": ["2026-12-25", "2026-12-28"]})", 200},
      {"POST", "/api/v1/providers", m.compliance, R"({"id": "P-B", "name": "Provider B"})", 201},
      {"POST", "/api/v1/locations", m.compliance,
       R"({"id": "B", "provider": "P-B", "name": "B branch", "postcode": "B13 9AA", "local_authority": "Birmingham"})", 201},
      {"POST", "/api/v1/locations/B/applications", m.compliance, R"({"dps": "home-care"})", 201},
      {"PATCH", "/api/v1/locations/A/quality", m.compliance, R"({"self_assessment": 80})", 200},
      {"POST", "/api/v1/packages/" + std::to_string(p) + "/hold", m.officer, R"({"reason": "awaiting assessment"})", 200},
      {"POST", "/api/v1/packages/" + std::to_string(p) + "/release", m.officer, "", 200},
      {"POST", "/api/v1/packages/" + std::to_string(p) + "/cancel", m.officer, R"({"reason": "moved away"})", 200},
  };
  int n = 0;
  for (const auto& c : cases) {
    const std::string key = "route-" + std::to_string(n++);
    const HttpResponse first = m.call_keyed(c.method, c.target, c.token, key, c.body);
    INFO(c.method << " " << c.target << " → " << first.status << " " << first.body);
    REQUIRE(first.status == c.status);
    CHECK_FALSE(m.replayed(first));
    const auto events = m.service.events().size();
    const HttpResponse retry = m.call_keyed(c.method, c.target, c.token, key, c.body);
    INFO("retry → " << retry.status << " " << retry.body);
    CHECK(retry.status == c.status);
    CHECK(m.replayed(retry));
    json::object original = RestHarness::parse(first).as_object();
    original["replayed"] = true;
    CHECK(RestHarness::parse(retry) == json::value(original));
    CHECK(m.service.events().size() == events);
  }
  // The route table says which routes take a key: every POST/PUT/PATCH/DELETE but tokens, backups
  // and the clock (none of them is a market command).
  for (const auto& route : rest_routes()) {
    INFO(route.method << " " << route.path);
    const bool command = route.method != "GET" && route.path.rfind("/api/v1/tokens", 0) != 0 &&
                         route.path != "/api/v1/admin/backups" && route.path != "/api/v1/admin/clock";
    CHECK(route.keyed == command);
  }
}

TEST_CASE("a keyed POST /api/v1/packages is still answered as a replay after the real server restarts",
          "[rest][gateway]") {
  TestServer server;
  const std::string officer = server.token(Role::officer);
  const std::vector<std::pair<std::string, std::string>> key = {{"Idempotency-Key", "restart-ada-1"}};
  const HttpResult first = http_request(server.port(), "POST", "/api/v1/packages", officer, kPackageJson, kNetTimeout, key);
  INFO(first.status << " " << first.body << first.error);
  REQUIRE(first.status == 201);
  const json::value posted = json::parse(first.body);
  const std::uint64_t package = posted.at("package").to_number<std::uint64_t>();

  server.restart();  // e.g. killed after the batch was durable but before the reply left
  const std::uint64_t durable = server.durable_seq();
  const HttpResult retry = http_request(server.port(), "POST", "/api/v1/packages", officer, kPackageJson, kNetTimeout, key);
  INFO(retry.status << " " << retry.body << retry.error);
  REQUIRE(retry.status == 201);
  const json::value replayed = json::parse(retry.body);
  CHECK(replayed.at("package").to_number<std::uint64_t>() == package);
  CHECK(replayed.at("replayed") == json::value(true));
  CHECK(retry.location == first.location);
  CHECK(server.durable_seq() == durable);  // nothing new was journaled

  json::value other = json::parse(kPackageJson);
  other.as_object()["needs"] = json::array{"personal care"};
  const HttpResult reused =
      http_request(server.port(), "POST", "/api/v1/packages", officer, json::serialize(other), kNetTimeout, key);
  CHECK(reused.status == 409);
  CHECK(reused.body.find("request_id_reused") != std::string::npos);
}
