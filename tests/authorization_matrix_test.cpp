// The authorisation matrix (issue 13): every REST route and every WebSocket message type, tried
// by every role — admin, officer, compliance, provider — and by no token and an unknown token.
//  - REST: the test walks the server's own route table (gateway::rest_routes), so a route added
//    without the right roles fails here: an allowed role is never refused (no 401, no 403), any
//    other role gets 403 forbidden, and no token or an unknown token gets 401 unauthenticated;
//  - WebSocket: every ClientMessage of schemas/wire.fbs (the test enumerates the union, so a new
//    message type without its row fails): a provider's commands reach the market, staff
//    connections are refused with forbidden, and nothing but a Hello is taken before one;
//  - the README's table of WebSocket messages says the same;
//  - cross-tenant: provider A acting on provider B's offer, award, placement, variation and
//    locations is refused and changes nothing; the person's identity reaches a provider only
//    once its location accepted the award, and only that location;
//  - only an admin issues tokens.
// The file paths given to admin operations (the online backup's target) are in
// authorization_paths_test.cpp.
#include <catch2/catch.hpp>

#include <boost/json.hpp>

#include <algorithm>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "gateway/rest/router.h"
#include "provider_client.h"
#include "rest_harness.h"

using namespace carebroker::testing;
using namespace carebroker::testing::gateway_support;
using carebroker::gateway::RouteInfo;
using carebroker::gateway::rest_routes;

namespace {

/// Who calls: a role with a token, no token at all, or a token the server never issued.
struct Caller {
  std::string name;
  std::optional<Role> role;  ///< nullopt: no token / an unknown token
  std::string token;
};

/// A value for each path parameter that names something the provider caller (P-A) owns, so
/// that an allowed provider is refused only by the role check this test is about.
std::string fill(std::string_view path) {
  std::string out;
  std::string_view previous;
  std::size_t at = 0;
  while (at < path.size()) {
    const std::size_t slash = path.find('/', at + 1);
    const std::string_view segment = path.substr(at + 1, slash == std::string_view::npos ? std::string_view::npos : slash - at - 1);
    std::string value(segment);
    if (segment == "{id}")
      value = previous == "locations" ? "A" : previous == "providers" ? "P-A" : "1";
    else if (segment == "{code}" || segment == "{dps}")
      value = "home-care";
    else if (segment == "{lot}")
      value = "hc";
    else if (segment == "{n}")
      value = "1";
    else if (segment == "{name}")
      value = "capacity";
    REQUIRE(value.find('{') == std::string::npos);  // a parameter this test does not know yet
    out += "/" + value;
    previous = segment;
    if (slash == std::string_view::npos) break;
    at = slash;
  }
  return out;
}

std::string roles_text(const RouteInfo& r) {
  std::string out;
  for (Role role : r.roles) out += (out.empty() ? "" : ", ") + std::string(to_string(role));
  return out.empty() ? "anyone" : out;
}

/// The market every REST case starts from: A (P-A) and B (P-B) admitted, package 1 open.
struct TwoTenants : RestHarness {
  std::string provider_a, provider_b;
  TwoTenants() {
    configure_market();
    admit("A");
    admit("B");
    provider_a = issue(Role::provider, "rota system A", "P-A");
    provider_b = issue(Role::provider, "rota system B", "P-B");
    provider = provider_a;
    must(201, "POST", "/api/v1/packages", officer, kPackageJson);
  }
  std::vector<Caller> callers() const {
    return {{"admin", Role::admin, admin},           {"officer", Role::officer, officer},
            {"compliance", Role::compliance, compliance}, {"provider", Role::provider, provider_a},
            {"no token", std::nullopt, ""},          {"unknown token", std::nullopt, "not-a-token-the-server-issued"}};
  }
  void expect(int status, const std::string& code, const std::string& method, const std::string& target,
              const std::string& token, const std::string& body = "") {
    const HttpResponse r = call(method, target, token, body);
    INFO(method << " " << target << " " << body << " → " << r.status << " " << r.body);
    CHECK(r.status == status);
    CHECK(error_code(r) == code);
  }
};

}  // namespace

// ---- REST: every route × every caller ------------------------------------------------------------

TEST_CASE("every REST route answers each caller as its table says: allowed roles pass, others 403, no token 401",
          "[gateway][security][authz]") {
  TwoTenants h;
  int checked = 0;
  for (const RouteInfo& route : rest_routes()) {
    const std::string target = fill(route.path);
    for (const Caller& who : h.callers()) {
      const std::string method(route.method);
      const HttpResponse r = h.call(method, target, who.token, method == "GET" ? "" : "{}");
      INFO(method << " " << route.path << " (" << roles_text(route) << ") as " << who.name << " → " << r.status << " "
                  << r.body.substr(0, 300));
      const bool open = route.roles.empty();
      const bool allowed = who.role && std::find(route.roles.begin(), route.roles.end(), *who.role) != route.roles.end();
      if (open || allowed) {
        CHECK(r.status != 401);
        CHECK(r.status != 403);
      } else if (!who.role) {
        CHECK(r.status == 401);
        CHECK(RestHarness::error_code(r) == "unauthenticated");
        const bool challenged = std::any_of(r.headers.begin(), r.headers.end(), [](const auto& header) {
          return header.first == "WWW-Authenticate" && header.second == "Bearer";
        });
        CHECK(challenged);
      } else {
        CHECK(r.status == 403);
        CHECK(RestHarness::error_code(r) == "forbidden");
      }
      ++checked;
    }
  }
  CHECK(checked == static_cast<int>(rest_routes().size() * 6));
}

TEST_CASE("every route that needs a token names at least one role, and a provider's routes are few and listed",
          "[gateway][security][authz]") {
  // A route is either open to anyone (liveness and readiness only) or names its roles.
  std::set<std::string> open;
  for (const RouteInfo& r : rest_routes())
    if (r.roles.empty()) open.insert(std::string(r.method) + " " + std::string(r.path));
  CHECK(open == std::set<std::string>{"GET /healthz", "GET /readyz"});
  // A provider writes only its own locations' self-service: a new provider route is a decision
  // to make here, on purpose, with its ownership check.
  std::set<std::string> provider_writes;
  for (const RouteInfo& r : rest_routes())
    if (r.method != "GET" && std::find(r.roles.begin(), r.roles.end(), Role::provider) != r.roles.end())
      provider_writes.insert(std::string(r.method) + " " + std::string(r.path));
  CHECK(provider_writes == std::set<std::string>{"POST /api/v1/locations/{id}/applications",
                                                 "PUT /api/v1/locations/{id}/memberships/{dps}/capacity",
                                                 "POST /api/v1/locations/{id}/self-assessments",
                                                 "POST /api/v1/locations/{id}/kpi-returns",
                                                 // its own token, for a new one (every role may)
                                                 "POST /api/v1/tokens/rotate"});
}

TEST_CASE("an officer, a compliance officer or a provider cannot issue tokens, an admin can", "[gateway][security][authz]") {
  TwoTenants h;
  const std::string body = R"({"role": "admin", "name": "made-by-whom"})";
  for (const std::string* token : {&h.officer, &h.compliance, &h.provider_a}) {
    h.expect(403, "forbidden", "POST", "/api/v1/tokens", *token, body);
    h.expect(403, "forbidden", "POST", "/api/v1/tokens", *token, R"({"role": "officer", "name": "x"})");
  }
  const json::value made = h.must(201, "POST", "/api/v1/tokens", h.admin, body);
  CHECK(str(made.at("role")) == "admin");
}

// ---- REST: provider A and provider B's locations --------------------------------------------------

TEST_CASE("provider A cannot submit a self-assessment, a KPI return or a capacity for provider B's location",
          "[gateway][security][authz]") {
  TwoTenants h;
  std::string scores = "{";
  for (const auto& d : carebroker::engine::default_assessment_domains())
    for (const auto& s : d.standards) scores += (scores.size() > 1 ? ", \"" : "\"") + s.code + "\": 4";
  scores += "}";
  h.expect(403, "location_not_of_provider", "POST", "/api/v1/locations/B/self-assessments", h.provider_a,
           R"({"dps": "home-care", "scores": )" + scores + R"(, "notes": "all excellent"})");
  h.expect(403, "location_not_of_provider", "POST", "/api/v1/locations/B/kpi-returns", h.provider_a,
           R"({"dps": "home-care", "quarter": "2026-Q3", "values": {"assistive_technology": 100, "strengths_based_training": 100, "qualifications": 100, "care_certificate": 100}})");
  h.expect(403, "location_not_of_provider", "PUT", "/api/v1/locations/B/memberships/home-care/capacity", h.provider_a,
           R"({"capacity": 1})");
  h.expect(403, "location_not_of_provider", "POST", "/api/v1/locations/B/applications", h.provider_a, R"({"dps": "home-care"})");
  // B's records are as they were: no self-assessment, no KPI return, its capacity unchanged.
  const json::value sa = h.must(200, "GET", "/api/v1/locations/B/self-assessments", h.provider_b);
  CHECK(sa.at("self_assessments").as_array().empty());
  const json::value kpi = h.must(200, "GET", "/api/v1/locations/B/kpi-returns", h.provider_b);
  CHECK(kpi.at("returns").as_array().empty());
  const auto b = h.service.market().find_location("B");
  REQUIRE(b);
  CHECK(h.service.market().location(*b).memberships.at(0).capacity == 500);
}

TEST_CASE("provider A cannot read provider B's location, its score and RAG, or its assessment and KPI history",
          "[gateway][security][authz]") {
  TwoTenants h;
  for (const std::string target : {"/api/v1/locations/B", "/api/v1/locations/B/self-assessments",
                                   "/api/v1/locations/B/kpi-returns"})
    h.expect(403, "forbidden", "GET", target, h.provider_a);
  const HttpResponse compliance = h.call("GET", "/api/v1/dps/home-care/kpi-compliance?location=B", h.provider_a);
  INFO(compliance.body);
  CHECK(compliance.status == 403);
  CHECK(RestHarness::error_code(compliance) == "forbidden");
  // Lists show a provider its own locations only, whatever it filters by.
  h.expect(403, "forbidden", "GET", "/api/v1/locations?provider=P-B", h.provider_a);
  for (const std::string target : {"/api/v1/locations", "/api/v1/locations?dps=home-care",
                                   "/api/v1/dps/home-care/kpi-compliance"}) {
    const HttpResponse r = h.call("GET", target, h.provider_a);
    INFO(target << " → " << r.status << " " << r.body);
    CHECK(r.status == 200);
    CHECK(r.body.find("\"B\"") == std::string::npos);
    CHECK(r.body.find("P-B") == std::string::npos);
  }
  // Its own, it reads.
  h.must(200, "GET", "/api/v1/locations/A", h.provider_a);
}

TEST_CASE("no REST route a provider may call shows the person's identity, before or after its award",
          "[gateway][security][authz]") {
  TwoTenants h;
  const auto no_person_for_provider = [&](const char* when) {
    for (const RouteInfo& route : rest_routes()) {
      if (route.method != "GET" || std::find(route.roles.begin(), route.roles.end(), Role::provider) == route.roles.end())
        continue;
      const HttpResponse r = h.call("GET", fill(route.path), h.provider_a);
      INFO(when << ": GET " << route.path << " → " << r.status);
      CHECK_FALSE(mentions_person(r.body));
    }
  };
  no_person_for_provider("open");
  REQUIRE(h.offer("A", 1, 2900).ok());
  h.pass_deadline(1);
  REQUIRE(h.accept("A", 1).ok());
  no_person_for_provider("placed with A");
  // The officer's view has the person: the package is A's, and its details stay with staff.
  CHECK(mentions_person(h.call("GET", "/api/v1/packages/1", h.officer).body));
  h.expect(403, "forbidden", "GET", "/api/v1/packages/1", h.provider_a);
  h.expect(403, "forbidden", "GET", "/api/v1/packages/1/placement", h.provider_a);
}

// ---- WebSocket: every message type × every caller -------------------------------------------------

namespace {

/// A JSON client frame of each ClientMessage (but Hello), for location A of package `package`.
std::map<std::string, std::string> command_frames(std::uint64_t package) {
  const auto frame = [&](const char* type, json::object extra) {
    json::object m{{"request_id", std::string("m-") + type}, {"location", "A"}, {"package", package}};
    for (auto& kv : extra) m[kv.key()] = kv.value();
    return client_json(type, std::move(m));
  };
  const json::object offer{{"price", 2500}, {"start_date", "2026-11-25"}, {"must_meet_confirmed", true}, {"notes", ""}};
  return {{"PlaceOffer", frame("PlaceOffer", offer)},
          {"AmendOffer", frame("AmendOffer", offer)},
          {"WithdrawOffer", frame("WithdrawOffer", {})},
          {"AcceptAward", frame("AcceptAward", {})},
          {"DeclineAward", frame("DeclineAward", {{"reason", "no carers"}})},
          {"HandBack", frame("HandBack", {{"reason", "no carers"}})},
          {"ExplainOffer", frame("ExplainOffer", {{"explanation", "volunteer drivers"}})},
          {"AcceptVariation", frame("AcceptVariation", {})},
          {"AskQuestion", frame("AskQuestion", {{"question", "is there parking?"}})},
          {"Ping", client_json("Ping", {{"nonce", 7}})}};
}

/// Every member of union ClientMessage (schemas/wire.fbs) but NONE.
std::vector<std::string> client_message_types() {
  std::vector<std::string> out;
  const char* const* names = w::EnumNamesClientMessage();
  for (int i = 1; i <= static_cast<int>(w::ClientMessage::MAX); ++i) out.emplace_back(names[i]);
  return out;
}

/// The next reply (stream number 0: Ack, Error, Pong…) on `c`, past any notifications.
Msg next_reply(ProviderClient& c) {
  for (int i = 0; i < 20; ++i) {
    Msg m = c.next();
    if (m.seq == 0) return m;
  }
  FAIL("no reply among 20 frames");
  return {};
}

Msg reply_to(ProviderClient& c, const std::string& frame) {
  c.send_raw(frame, false);
  return next_reply(c);
}

/// Reads `c` until a frame of `type` (at most 10 frames).
Msg wait_for(ProviderClient& c, std::string_view type) {
  for (int i = 0; i < 10; ++i) {
    Msg m = c.next();
    if (m.type == type) return m;
  }
  FAIL("no " << type << " among 10 frames");
  return {};
}

}  // namespace

TEST_CASE("every WebSocket message type, from every caller: providers command, staff only listen, nobody before a Hello",
          "[gateway][security][authz]") {
  TestServer server;
  const std::uint64_t package = post_package(server, server.token(Role::officer));
  const auto frames = command_frames(package);
  const auto types = client_message_types();
  for (const std::string& type : types) {
    INFO(type);
    CHECK((type == "Hello" || frames.count(type) == 1));  // a new message type needs its row here
  }

  SECTION("before a Hello: every message but a Hello is refused unauthenticated") {
    ProviderClient nobody(server, "", false);
    nobody.connect();
    for (const auto& [type, frame] : frames) {
      INFO(type);
      const Msg m = reply_to(nobody, frame);
      CHECK(m.type == "Error");
      CHECK(m.text("code") == "unauthenticated");
    }
  }
  SECTION("an unknown token: the Hello is refused and the connection closed") {
    ProviderClient stranger(server, "not-a-token-the-server-issued", false);
    stranger.connect();
    const Msg m = reply_to(stranger, hello_frame("not-a-token-the-server-issued", 0, "").json);
    CHECK(m.type == "Error");
    CHECK(m.text("code") == "unauthenticated");
    stranger.expect_closed();
  }
  SECTION("staff (admin, officer, compliance): Ping is answered, every command forbidden") {
    for (Role role : {Role::admin, Role::officer, Role::compliance}) {
      ProviderClient staff(server, server.token(role), false);
      CHECK(staff.hello().text("role") == std::string(to_string(role)));
      for (const auto& [type, frame] : frames) {
        INFO(to_string(role) << " " << type);
        const Msg m = reply_to(staff, frame);
        if (type == "Ping") {
          CHECK(m.type == "Pong");
        } else {
          CHECK(m.type == "Error");
          CHECK(m.text("code") == "forbidden");
          CHECK(m.text("request_id") == "m-" + type);
        }
      }
    }
  }
  SECTION("a provider: every command reaches the market, answered by its rules, never refused for its role") {
    ProviderClient a(server, server.token(Role::provider, "P-A"), false);
    a.hello();
    CHECK(packages_in_snapshot(a.snapshot) == std::vector<std::uint64_t>{package});
    for (const auto& [type, frame] : frames) {
      INFO(type);
      const Msg m = reply_to(a, frame);
      if (type == "Ping") {
        CHECK(m.type == "Pong");
        continue;
      }
      CHECK((m.type == "Ack" || m.type == "Error"));
      CHECK(m.text("code") != "forbidden");
      CHECK(m.text("code") != "unauthenticated");
      if (type == "PlaceOffer") CHECK(m.type == "Ack");
    }
  }
}

TEST_CASE("the README's table of WebSocket messages lists every message type and who may send it", "[docs][authz]") {
  const std::string readme = read_text_file(std::string(CAREBROKER_DATA_DIR) + "/../README.md");
  for (const std::string& type : client_message_types()) {
    const std::string row = type == "Hello"  ? "| `Hello` | anyone, once, first |"
                            : type == "Ping" ? "| `Ping` | any authenticated connection |"
                                             : "| `" + type + "` | provider (its own locations) |";
    INFO(row);
    CHECK(readme.find(row) != std::string::npos);
  }
}

// ---- WebSocket: provider A and provider B's offers, awards, placements -----------------------------

namespace {

/// A market where B outranks A, both offered on one package; A's and B's connections and the officer.
struct TwoProviders {
  TestServer server{[] {
    TestServerOptions o;
    o.locations = {LocationSpec{"A"}, LocationSpec{"B"}};
    o.locations[1].cqc = carebroker::engine::CqcRating::outstanding;
    return o;
  }()};
  std::string officer = server.token(Role::officer);
  ProviderClient a{server, server.token(Role::provider, "P-A"), false};
  ProviderClient b{server, server.token(Role::provider, "P-B"), true};
  std::uint64_t package = 0;

  TwoProviders() {
    a.hello();
    b.hello();
    package = post_package(server, officer);
    a.expect("PackageBroadcast");
    b.expect("PackageBroadcast");
    a.place({"a-1", "A", package, 3000});
    a.expect_ack("a-1", package);
    b.place({"b-1", "B", package, 2900});
    b.expect_ack("b-1", package);
  }
  json::value view() { return must_http(server, 200, "GET", "/api/v1/packages/" + std::to_string(package), officer); }
  json::object offer_of(const std::string& location) {
    const json::value v = view();
    for (const auto& o : v.at("ranking").at("offers").as_array())
      if (o.at("location").as_string() == location) return o.as_object();
    FAIL("no offer of " << location);
    return {};
  }
  /// A's frame of `type` naming `location`; its answer.
  Msg a_sends(const std::string& type, const std::string& location, json::object extra = {}) {
    json::object m{{"request_id", "a-" + type + "-" + location + std::to_string(++n)}, {"location", location}, {"package", package}};
    for (auto& kv : extra) m[kv.key()] = kv.value();
    a.send_raw(client_json(type, std::move(m)), false);
    Msg reply = next_reply(a);
    INFO(reply.describe());
    CHECK(reply.type == "Error");
    return reply;
  }
  int n = 0;
};

}  // namespace

TEST_CASE("provider A cannot withdraw or amend provider B's offer", "[gateway][security][authz]") {
  TwoProviders t;
  const json::object offer{{"price", 2800}, {"start_date", "2026-11-25"}, {"must_meet_confirmed", true}, {"notes", "undercut"}};
  CHECK(t.a_sends("WithdrawOffer", "B").text("code") == "location_not_of_provider");
  CHECK(t.a_sends("AmendOffer", "B", offer).text("code") == "location_not_of_provider");
  CHECK(t.a_sends("PlaceOffer", "B", offer).text("code") == "location_not_of_provider");
  const json::object b = t.offer_of("B");
  CHECK(b.at("price").to_number<std::int64_t>() == 2900);
  CHECK_FALSE(b.at("withdrawn").as_bool());
  t.a.expect_quiet();
}

TEST_CASE("provider A cannot accept or decline provider B's award, and never sees the person", "[gateway][security][authz]") {
  TwoProviders t;
  t.server.clock().advance(kHour + 1000);
  t.b.expect("PackageUpdate");
  t.b.expect("AwardOffered");
  t.a.expect("PackageUpdate");
  CHECK(t.a_sends("AcceptAward", "B").text("code") == "location_not_of_provider");
  CHECK(t.a_sends("DeclineAward", "B", {{"reason", "not wanted"}}).text("code") == "location_not_of_provider");
  CHECK(t.a_sends("AcceptAward", "A").text("code") == "award_not_for_location");
  CHECK(t.a_sends("DeclineAward", "A", {{"reason", "not wanted"}}).text("code") == "award_not_for_location");
  const json::value pending = t.view();
  CHECK(pending.at("status").as_string() == "award_pending");
  CHECK(pending.at("award").at("location").as_string() == "B");
  // Before accepting, B has had no word of the person either.
  for (const Msg& m : t.b.seen) CHECK_FALSE(mentions_person(m.raw));

  t.b.accept("b-2", "B", t.package);
  bool person = false;
  for (int i = 0; i < 3; ++i) {
    const Msg m = t.b.next();
    if (m.type == "PersonDetails") {
      person = true;
      CHECK(m.text("location") == "B");
      CHECK(m.text("name") == "Ada Example");
    }
  }
  CHECK(person);
  t.a.expect("PackageUpdate");  // awarded elsewhere
  t.a.expect_quiet();
  for (const Msg& m : t.a.seen) CHECK_FALSE(mentions_person(m.raw));
  // A reconnecting provider's snapshot has no person either.
  ProviderClient again(t.server, t.server.token(Role::provider, "P-A"), false);
  again.hello();
  for (const Msg& m : again.seen) CHECK_FALSE(mentions_person(m.raw));
}

TEST_CASE("provider A cannot hand back provider B's placement or accept its variation", "[gateway][security][authz]") {
  TwoProviders t;
  t.server.clock().advance(kHour + 1000);
  t.b.expect("PackageUpdate");
  t.b.expect("AwardOffered");
  t.b.accept("b-2", "B", t.package);
  wait_for(t.b, "Ack");
  const std::string placement = "/api/v1/packages/" + std::to_string(t.package) + "/placement";
  must_http(t.server, 200, "POST", placement + "/variations", t.officer,
            R"({"quantity": 1260, "visits": {"visits_per_day": 6, "minutes_per_visit": 30, "days_per_week": 7}, "effective": "2026-12-01", "reason": "more help at lunchtime"})");
  CHECK(t.a_sends("HandBack", "B", {{"reason", "no carers"}}).text("code") == "location_not_of_provider");
  CHECK(t.a_sends("AcceptVariation", "B").text("code") == "location_not_of_provider");
  CHECK_FALSE(t.a_sends("HandBack", "A", {{"reason", "no carers"}}).text("code").empty());
  CHECK_FALSE(t.a_sends("AcceptVariation", "A").text("code").empty());
  const json::value live = must_http(t.server, 200, "GET", placement, t.officer);
  INFO(json::serialize(live));
  CHECK(live.at("status").as_string() == "live");
  CHECK(live.at("location").as_string() == "B");
  CHECK(live.at("pending_variation").is_object());
}
