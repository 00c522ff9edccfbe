// Provider self-service through the API the portal uses: a provider applies to a DPS for its own
// locations, declares its admitted locations' capacity, and reads its own locations' quality
// score, RAG rating and their reasons — never another provider's.
#include <catch2/catch.hpp>

#include "rest_harness.h"

using namespace carebroker::testing;
using carebroker::engine::Code;
using carebroker::engine::DeclareCapacity;
using carebroker::engine::MembershipStatus;

namespace {

/// A harness with the home-care market, location A admitted (provider P-A), location B of
/// provider P-B registered but not applied, and a token for each provider.
struct SelfService : RestHarness {
  std::string provider_a, provider_b;
  SelfService() {
    configure_market();
    admit("A");
    must(201, "POST", "/api/v1/providers", compliance, R"({"id": "P-B", "name": "Provider B"})");
    must(201, "POST", "/api/v1/locations", compliance,
         R"({"id": "B", "provider": "P-B", "name": "B branch", "postcode": "B13 9AB", "local_authority": "Birmingham"})");
    provider_a = issue(Role::provider, "rota system A", "P-A");
    provider_b = issue(Role::provider, "rota system B", "P-B");
  }
  bool has_memberships(const std::string& location) {
    const auto l = service.market().find_location(location);
    REQUIRE(l);
    return !service.market().location(*l).memberships.empty();
  }
  const carebroker::engine::Membership& membership(const std::string& location) {
    const auto l = service.market().find_location(location);
    REQUIRE(l);
    const auto& memberships = service.market().location(*l).memberships;
    REQUIRE(!memberships.empty());
    return memberships.front();
  }
};

}  // namespace

TEST_CASE("a provider applies to a DPS for its own location, and its application is under assessment", "[rest][self-service]") {
  SelfService h;
  const json::value r = h.must(201, "POST", "/api/v1/locations/B/applications", h.provider_b, R"({"dps": "home-care"})");
  CHECK(str(r.at("location")) == "B");
  CHECK(h.membership("B").status == MembershipStatus::under_assessment);
  // The council still decides: admission is not the provider's.
  CHECK(h.call("POST", "/api/v1/locations/B/admissions", h.provider_b,
               R"({"dps": "home-care", "lots": ["hc"], "categories": ["older_people"], "zones": ["south"], "tier": "tier1"})")
            .status == 403);
}

TEST_CASE("a provider cannot apply for another provider's location", "[rest][self-service]") {
  SelfService h;
  const HttpResponse r = h.call("POST", "/api/v1/locations/B/applications", h.provider_a, R"({"dps": "home-care"})");
  CHECK(r.status == 403);
  CHECK(RestHarness::error_code(r) == "location_not_of_provider");
  CHECK_FALSE(h.has_memberships("B"));
}

TEST_CASE("a provider's application with bad input gets its own code and changes nothing", "[rest][self-service]") {
  SelfService h;
  struct Case {
    std::string target, body;
    int status;
    std::string code;
  };
  for (const Case& c : {Case{"/api/v1/locations/B/applications", R"({"dps": "no-such-dps"})", 404, "unknown_dps"},
                        Case{"/api/v1/locations/Z/applications", R"({"dps": "home-care"})", 404, "unknown_location"},
                        Case{"/api/v1/locations/B/applications", "{}", 422, "missing_field"},
                        Case{"/api/v1/locations/B/applications", R"({"dps": 7})", 422, "wrong_type"},
                        Case{"/api/v1/locations/B/applications", R"({"dps": "home-care", "tier": "tier1"})", 422, "unknown_field"},
                        Case{"/api/v1/locations/B/applications", R"({"dps": "home-care")", 400, "malformed_json"}}) {
    const HttpResponse r = h.call("POST", c.target, h.provider_b, c.body);
    INFO(c.target << " " << c.body << " → " << r.status << " " << r.body);
    CHECK(r.status == c.status);
    CHECK(RestHarness::error_code(r) == c.code);
  }
  CHECK_FALSE(h.has_memberships("B"));
  // Applying twice is a clash with the market's state.
  h.must(201, "POST", "/api/v1/locations/B/applications", h.provider_b, R"({"dps": "home-care"})");
  const HttpResponse again = h.call("POST", "/api/v1/locations/B/applications", h.provider_b, R"({"dps": "home-care"})");
  CHECK(again.status == 409);
  CHECK(RestHarness::error_code(again) == "already_applied");
}

TEST_CASE("a provider declares its admitted location's capacity, and the rest of its enrolment stays", "[rest][self-service]") {
  SelfService h;
  const auto before = h.membership("A");
  REQUIRE(before.capacity == 500);
  const json::value r = h.must(200, "PUT", "/api/v1/locations/A/memberships/home-care/capacity", h.provider_a,
                               R"({"capacity": 320})");
  CHECK(str(r.at("dps")) == "home-care");
  const auto after = h.membership("A");
  CHECK(after.capacity == 320);
  CHECK(after.lots == before.lots);
  CHECK(after.categories == before.categories);
  CHECK(after.zones == before.zones);
  CHECK(after.tier == before.tier);
  CHECK(after.status == MembershipStatus::admitted);
  // 0 = not declared (no capacity check for new placements), and the location reads it back.
  h.must(200, "PUT", "/api/v1/locations/A/memberships/home-care/capacity", h.provider_a, R"({"capacity": 0})");
  const json::value detail = h.must(200, "GET", "/api/v1/locations/A", h.provider_a);
  CHECK(detail.at("memberships").as_array().at(0).at("capacity").as_int64() == 0);
}

TEST_CASE("declared capacity: another provider's location, a location not admitted and bad values are refused", "[rest][self-service]") {
  SelfService h;
  h.must(201, "POST", "/api/v1/locations/B/applications", h.provider_b, R"({"dps": "home-care"})");
  struct Case {
    const std::string* token;
    std::string target, body;
    int status;
    std::string code;
  };
  const std::string a = "/api/v1/locations/A/memberships/home-care/capacity";
  for (const Case& c : {Case{&h.provider_b, a, R"({"capacity": 100})", 403, "location_not_of_provider"},
                        Case{&h.provider_b, "/api/v1/locations/B/memberships/home-care/capacity", R"({"capacity": 100})", 409, "not_admitted"},
                        Case{&h.provider_a, "/api/v1/locations/A/memberships/supported-living/capacity", R"({"capacity": 100})", 404, "unknown_dps"},
                        Case{&h.provider_a, "/api/v1/locations/Z/memberships/home-care/capacity", R"({"capacity": 100})", 404, "unknown_location"},
                        Case{&h.provider_a, a, R"({"capacity": -1})", 422, "invalid_capacity"},
                        Case{&h.provider_a, a, R"({"capacity": 10000001})", 422, "invalid_capacity"},
                        Case{&h.provider_a, a, R"({"capacity": 99999999999})", 422, "invalid_value"},
                        Case{&h.provider_a, a, R"({"capacity": 12.5})", 422, "wrong_type"},
                        Case{&h.provider_a, a, R"({"capacity": "320"})", 422, "wrong_type"},
                        Case{&h.provider_a, a, "{}", 422, "missing_field"},
                        Case{&h.provider_a, a, R"({"capacity": 320, "tier": "tier2"})", 422, "unknown_field"},
                        Case{&h.officer, a, R"({"capacity": 320})", 403, "forbidden"},
                        Case{&h.compliance, a, R"({"capacity": 320})", 403, "forbidden"}}) {
    const HttpResponse r = h.call("PUT", c.target, *c.token, c.body);
    INFO(c.target << " " << c.body << " → " << r.status << " " << r.body);
    CHECK(r.status == c.status);
    CHECK(RestHarness::error_code(r) == c.code);
  }
  CHECK(h.membership("A").capacity == 500);
}

TEST_CASE("a declared capacity is a market command: replayed by its Idempotency-Key, journaled as the membership's change",
          "[rest][self-service]") {
  SelfService h;
  const HttpResponse first = h.call_keyed("PUT", "/api/v1/locations/A/memberships/home-care/capacity", h.provider_a, "cap-1",
                                          R"({"capacity": 250})");
  REQUIRE(first.status == 200);
  const auto events = h.service.events().size();
  const HttpResponse retry = h.call_keyed("PUT", "/api/v1/locations/A/memberships/home-care/capacity", h.provider_a, "cap-1",
                                          R"({"capacity": 250})");
  CHECK(retry.status == 200);
  CHECK(RestHarness::parse(retry).at("replayed").as_bool());
  CHECK(h.service.events().size() == events);  // the retry changed nothing
  const carebroker::engine::MembershipChanged* changed = nullptr;
  for (const auto& e : h.service.events())
    if (const auto* c = std::get_if<carebroker::engine::MembershipChanged>(&e)) changed = c;
  REQUIRE(changed);
  CHECK(changed->membership.capacity == 250);
}

TEST_CASE("in the engine, only the location's own provider declares its capacity, within range", "[self-service]") {
  SelfService h;
  CHECK(h.service.run(DeclareCapacity{"P-B", "A", "home-care", 100}).status.code == Code::location_not_of_provider);
  CHECK(h.service.run(DeclareCapacity{"P-A", "A", "home-care", -5}).status.code == Code::invalid_capacity);
  CHECK(h.service.run(DeclareCapacity{"P-A", "A", "home-care", carebroker::engine::kMaxDeclaredCapacity}).ok());
  CHECK(h.membership("A").capacity == carebroker::engine::kMaxDeclaredCapacity);
}

TEST_CASE("a provider reads its own location's quality score, RAG and their reasons, and not another's", "[rest][self-service]") {
  SelfService h;
  h.must(200, "PATCH", "/api/v1/locations/A/quality", h.compliance, R"({"registered_manager_vacancy": true})");
  const json::value own = h.must(200, "GET", "/api/v1/locations/A", h.provider_a);
  const json::object& m = own.at("memberships").as_array().at(0).as_object();
  CHECK(m.at("quality").as_object().contains("explanation"));
  CHECK(str(m.at("risk").at("rag")) == "amber");
  CHECK_FALSE(m.at("risk").at("reasons").as_array().empty());
  const HttpResponse other = h.call("GET", "/api/v1/locations/A", h.provider_b);
  CHECK(other.status == 403);
  CHECK(RestHarness::error_code(other) == "forbidden");
}
