// What the web portal needs of the server, through the real server (TestServer) and real clients:
//   - GET /api/v1/me tells every role who it is (a provider: its id and locations);
//   - a provider reads its own locations (quality, RAG, reasons) and nothing of anyone else's;
//   - staff (officer, compliance, admin) follow the market live on /ws: a PackageChanged per
//     package and batch on the staff stream, resumable, notices only (a command is forbidden),
//     and never a staff notice on a provider's stream;
//   - the officer's package view counts exclusions by rule and lists only the DPS's locations.
// Nothing here asserts on timing: every wait is a read with a generous timeout.
#include <catch2/catch.hpp>

#include <boost/json.hpp>

#include <string>
#include <vector>

#include "gateway_client.h"
#include "provider_client.h"

namespace {

namespace json = boost::json;
using carebroker::gateway::Role;
using namespace carebroker::testing;
using namespace carebroker::testing::gateway_support;

}  // namespace

TEST_CASE("GET /api/v1/me names the caller's role, and a provider's id and locations", "[gateway][rest]") {
  TestServer server;
  const json::value officer = must_http(server, 200, "GET", "/api/v1/me", server.token(Role::officer));
  CHECK(officer.at("role") == "officer");
  CHECK(officer.at("name") == "officer-1");
  CHECK(officer.at("provider").is_null());
  CHECK(officer.at("locations").as_array().empty());
  for (Role r : {Role::compliance, Role::admin})
    CHECK(must_http(server, 200, "GET", "/api/v1/me", server.token(r)).at("role").as_string() == to_string(r));
  const json::value provider = must_http(server, 200, "GET", "/api/v1/me", server.token(Role::provider, "P-A"));
  CHECK(provider.at("role") == "provider");
  CHECK(provider.at("provider") == "P-A");
  CHECK(provider.at("provider_name") == "P-A Ltd");
  REQUIRE(provider.at("locations").as_array().size() == 1);
  CHECK(provider.at("locations").at(0).at("location") == "A");

  // Bad input: no token, an unknown token, a body, a query.
  CHECK(http_request(server.port(), "GET", "/api/v1/me").status == 401);
  CHECK(http_request(server.port(), "GET", "/api/v1/me", std::string(64, 'a')).status == 401);
  CHECK(http_request(server.port(), "POST", "/api/v1/me", server.token(Role::officer), "{}").status == 405);
  const HttpResult query = http_request(server.port(), "GET", "/api/v1/me?as=admin", server.token(Role::officer));
  CHECK(query.status == 422);
  CHECK(rest_error_code(query) == "invalid_query");
}

TEST_CASE("a provider reads its own locations' quality and RAG, and nothing of another provider's", "[gateway][rest]") {
  TestServer server;
  const std::string a = server.token(Role::provider, "P-A");
  const json::value own = must_http(server, 200, "GET", "/api/v1/locations/A", a);
  CHECK(own.at("location") == "A");
  REQUIRE(own.at("memberships").as_array().size() == 1);
  CHECK(own.at("memberships").at(0).at("risk").at("rag").is_string());
  CHECK(own.at("memberships").at(0).at("quality").at("explanation").is_string());

  // Another provider's location, and one that does not exist, are the same 403: nothing leaks.
  for (const char* other : {"/api/v1/locations/B", "/api/v1/locations/no-such-location"}) {
    const HttpResult r = http_request(server.port(), "GET", other, a);
    INFO(other << " " << r.body);
    CHECK(r.status == 403);
    CHECK(rest_error_code(r) == "forbidden");
  }
  // The list holds only its own locations, with or without a DPS; naming another provider is 403.
  const json::value list = must_http(server, 200, "GET", "/api/v1/locations", a);
  REQUIRE(list.at("items").as_array().size() == 1);
  CHECK(list.at("items").at(0).at("location") == "A");
  const json::value in_dps = must_http(server, 200, "GET", "/api/v1/locations?dps=home-care", a);
  REQUIRE(in_dps.at("items").as_array().size() == 1);
  CHECK(in_dps.at("items").at(0).at("rag_reasons").is_array());
  CHECK(must_http(server, 200, "GET", "/api/v1/locations?provider=P-A", a).at("total") == 1);
  const HttpResult others = http_request(server.port(), "GET", "/api/v1/locations?provider=P-B", a);
  CHECK(others.status == 403);
  CHECK(rest_error_code(others) == "forbidden");
  // Staff still see everyone; a provider still may not write.
  CHECK(must_http(server, 200, "GET", "/api/v1/locations", server.token(Role::officer)).at("total") == 3);
  CHECK(http_request(server.port(), "PATCH", "/api/v1/locations/A/quality", a, R"({"cqc":"outstanding"})").status == 403);
}

TEST_CASE("an officer's WebSocket gets a PackageChanged per package and batch, resumes, and may not command",
          "[gateway]") {
  TestServer server;
  const std::string officer_token = server.token(Role::officer);
  ProviderClient staff(server, officer_token, false);
  ProviderClient a(server, server.token(Role::provider, "P-A"), false);
  ProviderClient b(server, server.token(Role::provider, "P-B"), true);
  const Msg welcome = staff.hello();
  CHECK(welcome.text("role") == "officer");
  CHECK(welcome.text("provider").empty());
  CHECK(welcome.m.at("locations").as_array().empty());
  CHECK(packages_in_snapshot(staff.snapshot).empty());
  CHECK(a.hello().text("role") == "provider");
  b.hello();

  const std::uint64_t package = post_package(server, officer_token);
  Msg posted = staff.expect("PackageChanged");
  CHECK(static_cast<std::uint64_t>(posted.number("package")) == package);
  CHECK(posted.text("status") == "open");
  CHECK(posted.text("what").find("package_posted") != std::string::npos);
  CHECK(posted.number("offers") == 0);

  a.expect("PackageBroadcast");
  b.expect("PackageBroadcast");
  a.place({"a-1", "A", package, 2900});
  a.expect_ack("a-1", package);
  const Msg offered = staff.expect("PackageChanged");
  CHECK(offered.text("what") == "offer_placed");
  CHECK(offered.number("offers") == 1);
  CHECK(offered.m.size() == 4);  // package, status, what, offers: no price, no location, no person

  // Commands on a staff connection are refused and change nothing; Ping is answered.
  for (bool binary : {false, true}) {
    staff.send_raw(binary ? offer_frame({"s-1", "A", package, 2500}).binary : offer_frame({"s-1", "A", package, 2500}).json,
                   binary);
    Msg refused = staff.expect("Error");
    CHECK(refused.text("code") == "forbidden");
    CHECK(refused.text("request_id") == "s-1");
  }
  staff.expect_quiet();

  // The officer's connection drops; B bids meanwhile; a resume delivers exactly what was missed.
  const std::uint64_t seen = staff.last_seq();
  const std::string epoch = staff.epoch();
  staff.drop();
  b.place({"b-1", "B", package, 3100});
  b.expect_ack("b-1", package);
  ProviderClient again(server, officer_token, false);
  CHECK(again.hello(seen, epoch).flag("resumed"));
  const Msg missed = again.expect("PackageChanged");
  CHECK(missed.seq == seen + 1);
  CHECK(missed.number("offers") == 2);
  again.expect_quiet();

  // Providers never receive a staff notice.
  a.expect_quiet();
  b.expect_quiet();
  for (const ProviderClient* p : {&a, &b})
    for (const Msg& m : p->seen) CHECK(m.type != "PackageChanged");

  // A compliance officer's and an admin's tokens open staff connections too.
  for (Role r : {Role::compliance, Role::admin}) {
    ProviderClient other(server, server.token(r), true);
    CHECK(other.hello().text("role") == std::string(to_string(r)));
  }
}

TEST_CASE("the officer's package view counts exclusions by rule and lists only the DPS's locations", "[gateway][rest]") {
  TestServer server;
  const std::string admin = server.token(Role::admin), officer = server.token(Role::officer);
  // A location registered but never applied to the DPS: counted as not_applied, never listed.
  must_http(server, 201, "POST", "/api/v1/providers", admin, R"({"id":"P-X","name":"X Ltd"})");
  must_http(server, 201, "POST", "/api/v1/locations", admin, R"({"id":"X","provider":"P-X","name":"X branch"})");
  const std::uint64_t package = post_package(server, officer);
  const json::value view = must_http(server, 200, "GET", "/api/v1/packages/" + std::to_string(package), officer);
  const json::object& by_rule = view.at("exclusions_by_rule").as_object();
  CHECK(by_rule.at("not_applied") == 1);
  CHECK(by_rule.at("zone") == 1);  // N serves the north only
  std::int64_t counted = 0;
  for (const auto& kv : by_rule) counted += kv.value().as_int64();
  CHECK(counted == 2);
  const json::array& listed = view.at("exclusions").as_array();
  REQUIRE(listed.size() == 1);
  CHECK(listed.at(0).at("location") == "N");
  CHECK(listed.at(0).at("rule") == "zone");
}
