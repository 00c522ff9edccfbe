// The REST API, driven as a client would drive it: an administrator configures a DPS, compliance
// admits locations, an officer posts a package and reads the mini-competition with every
// explanation, and acts on it. Offers come from providers over WebSocket in production; here
// they are placed on the engine directly. Also: the route table and docs/openapi.json agree, the
// status of every rejection code, and configuration round-trips through JSON.
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <limits>
#include <set>
#include <sstream>

#include "gateway/server.h"
#include "gateway/error_codes.h"
#include "rest_harness.h"

using namespace carebroker::testing;
using carebroker::gateway::rest_routes;
using carebroker::gateway::http_status;
namespace rest = carebroker::gateway::rest;
namespace engine = carebroker::engine;

namespace {

const json::object* find_by(const json::array& items, std::string_view key, std::string_view value) {
  for (const auto& item : items)
    if (item.as_object().at(key).as_string() == value) return &item.as_object();
  return nullptr;
}

}  // namespace

TEST_CASE("a mini-competition runs by REST: configure, admit, post, rank with explanations, award", "[rest]") {
  RestHarness h;
  h.configure_market();
  h.admit("A");
  h.admit("B", "outstanding", "excellent", 90);
  h.admit("C");
  h.must(200, "PATCH", "/api/v1/locations/C/quality", h.compliance,
         R"({"embargo": true, "embargo_reason": "safeguarding investigation", "record_safeguarding_decisions": 1})");

  const json::value posted = h.must(201, "POST", "/api/v1/packages", h.officer, kPackageJson);
  const auto id = posted.at("package").as_int64();
  CHECK(id == 1);
  CHECK(posted.at("ok").as_bool());
  REQUIRE(h.offer("A", 1, 2600).ok());
  REQUIRE(h.offer("B", 1, 2800).ok());

  const json::value view = h.must(200, "GET", "/api/v1/packages/1", h.officer);
  CHECK(str(view.at("status")) == "open");
  CHECK(str(view.at("tier")) == "tier1");
  CHECK(str(view.at("officer")) == "brokerage-officer-1");  // from the token, not the body
  CHECK(str(view.at("closes_at")) == "2026-11-25T09:00:00.000Z");  // two working days
  CHECK(str(view.at("closes_at_london")) == "2026-11-25 09:00 GMT");
  CHECK(str(view.at("person").at("name")) == "Ada Example");
  const json::array& invited = view.at("invited").as_array();
  REQUIRE(invited.size() == 2);
  CHECK(str(invited[0].at("location")) == "A");
  CHECK(str(invited[1].at("location")) == "B");
  const json::object* c = find_by(view.at("exclusions").as_array(), "location", "C");
  REQUIRE(c);
  CHECK(str(c->at("rule")) == "embargo");
  CHECK(str(c->at("detail")).find("safeguarding investigation") != std::string::npos);

  const json::array& offers = view.at("ranking").at("offers").as_array();
  REQUIRE(offers.size() == 2);
  CHECK(str(offers[0].at("location")) == "B");  // quality counts: 60% of the score
  CHECK(offers[0].at("rank").as_int64() == 1);
  CHECK(str(offers[1].at("location")) == "A");
  CHECK(view.at("ranking").at("lowest").as_int64() == 2600);
  for (const auto& o : offers) {
    CHECK(o.at("acceptable").as_bool());
    CHECK(str(o.at("explanation")).find("rank") != std::string::npos);
    CHECK(str(o.at("quality").at("explanation")).find("quality = ") == 0);
    CHECK(o.at("score").is_number());
  }
  CHECK(str(offers[1].at("price_display")) == "£26.00");
  CHECK(view.at("award").is_null());

  h.pass_deadline(1);
  const json::value awarding = h.must(200, "GET", "/api/v1/packages/1", h.compliance);
  CHECK(str(awarding.at("status")) == "award_pending");
  CHECK(str(awarding.at("award").at("location")) == "B");
  CHECK(str(awarding.at("award").at("state")) == "offered");
  CHECK(awarding.at("award").at("expires_at").is_string());

  const json::value pending = h.must(200, "GET", "/api/v1/packages?status=award_pending", h.officer);
  CHECK(pending.at("total").as_int64() == 1);
  CHECK(str(pending.at("items").at(0).at("award_location")) == "B");

  REQUIRE(h.accept("B", 1).ok());
  const json::value placed = h.must(200, "GET", "/api/v1/packages/1", h.officer);
  CHECK(str(placed.at("status")) == "placed");
  CHECK(str(placed.at("award").at("state")) == "placed");
  CHECK(placed.at("closed_at").is_string());
  CHECK(h.must(200, "GET", "/api/v1/packages?status=open", h.officer).at("total").as_int64() == 0);
}

TEST_CASE("an abnormally low offer waits for the officer, who decides by REST", "[rest]") {
  RestHarness h;
  h.configure_market();
  h.admit("A");
  h.must(201, "POST", "/api/v1/packages", h.officer, kPackageJson);
  REQUIRE(h.offer("A", 1, 2000).ok());  // under 85% of the £32.14 fair cost
  h.pass_deadline(1);
  const json::value held = h.must(200, "GET", "/api/v1/packages/1", h.officer);
  CHECK(str(held.at("status")) == "awaiting_decision");
  CHECK(str(held.at("award").at("state")) == "awaiting_abnormally_low_decision");
  CHECK(str(held.at("ranking").at("offers").at(0).at("abnormally_low")) == "pending");

  const json::value decided = h.must(200, "POST", "/api/v1/packages/1/abnormally-low-decisions", h.officer,
                                     R"({"location": "A", "accept": true, "reason": "explained: volunteer drivers"})");
  CHECK(decided.at("package").as_int64() == 1);
  const json::value after = h.must(200, "GET", "/api/v1/packages/1", h.officer);
  CHECK(str(after.at("status")) == "award_pending");
  CHECK(str(after.at("ranking").at("offers").at(0).at("abnormally_low")) == "accepted");
  // A second decision on the same offer clashes with the market's state.
  const auto again = h.call("POST", "/api/v1/packages/1/abnormally-low-decisions", h.officer,
                            R"({"location": "A", "accept": false, "reason": "changed my mind"})");
  CHECK(again.status == 409);
  CHECK(RestHarness::error_code(again) == "decision_already_made");
}

TEST_CASE("an officer holds, releases, cancels, closes for a direct payment and awards to the person's choice",
          "[rest]") {
  RestHarness h;
  h.configure_market();
  h.admit("A");
  h.admit("B");
  for (int i = 0; i < 3; ++i) h.must(201, "POST", "/api/v1/packages", h.officer, kPackageJson);

  h.must(200, "POST", "/api/v1/packages/1/hold", h.officer, R"({"reason": "awaiting hospital discharge date"})");
  CHECK(str(h.must(200, "GET", "/api/v1/packages/1", h.officer).at("status")) == "on_hold");
  CHECK(h.must(200, "GET", "/api/v1/packages/1", h.officer).at("hold_remaining").is_int64());
  h.must(200, "POST", "/api/v1/packages/1/release", h.officer);  // no body at all
  CHECK(str(h.must(200, "GET", "/api/v1/packages/1", h.officer).at("status")) == "open");
  h.must(200, "POST", "/api/v1/packages/1/cancel", h.officer, R"({"reason": "person moved away"})");
  CHECK(str(h.must(200, "GET", "/api/v1/packages/1", h.officer).at("status")) == "cancelled");

  h.must(200, "POST", "/api/v1/packages/2/direct-payment", h.officer, "{}");
  CHECK(str(h.must(200, "GET", "/api/v1/packages/2", h.officer).at("status")) == "direct_payment");

  h.must(200, "POST", "/api/v1/packages/3/persons-choice", h.officer, R"({"location": "A", "reason": "her neighbour's carers"})");
  const json::value choice = h.must(200, "GET", "/api/v1/packages/3", h.officer);
  CHECK(str(choice.at("award").at("location")) == "A");
  CHECK(choice.at("award").at("persons_choice").as_bool());
  CHECK(str(choice.at("award").at("reason")).find("brokerage-officer-1") == 0);

  const json::value list = h.must(200, "GET", "/api/v1/packages?dps=home-care&zone=south&page_size=2", h.officer);
  CHECK(list.at("total").as_int64() == 3);
  CHECK(list.at("items").as_array().size() == 2);
  CHECK(h.must(200, "GET", "/api/v1/packages?page=2&page_size=2", h.officer).at("items").as_array().size() == 1);
  CHECK(h.must(200, "GET", "/api/v1/packages?officer=someone-else", h.officer).at("total").as_int64() == 0);
}

TEST_CASE("a location's detail shows memberships, a provisional quality score and the RAG with reasons",
          "[rest]") {
  RestHarness h;
  h.configure_market();
  h.admit("A");
  h.must(201, "POST", "/api/v1/providers", h.admin, R"({"id": "P-N", "name": "New Co"})");
  h.must(201, "POST", "/api/v1/locations", h.admin, R"({"id": "N", "provider": "P-N", "name": "New branch"})");
  h.must(201, "POST", "/api/v1/locations/N/applications", h.compliance, R"({"dps": "home-care"})");
  h.must(200, "POST", "/api/v1/locations/N/assessment-extensions", h.compliance, R"({"dps": "home-care"})");
  h.must(200, "PATCH", "/api/v1/locations/N/quality", h.compliance, R"({"cqc": "requires_improvement"})");

  const json::value n = h.must(200, "GET", "/api/v1/locations/N", h.officer);
  CHECK(str(n.at("provider").at("name")) == "New Co");
  CHECK(n.at("quality_inputs").at("self_assessment").is_null());
  const json::value& m = n.at("memberships").at(0);
  CHECK(str(m.at("status")) == "under_assessment");
  CHECK(m.at("extended").as_bool());
  CHECK(m.at("decision_due").is_string());
  CHECK(m.at("quality").at("provisional").as_bool());  // no PAMMS, no self-assessment yet
  CHECK(str(m.at("quality").at("explanation")).find("provisional") != std::string::npos);
  CHECK(str(m.at("risk").at("rag")) == "amber");
  CHECK(str(m.at("risk").at("reasons").at(0)).find("CQC") != std::string::npos);

  h.must(200, "PUT", "/api/v1/providers/P-A/status", h.compliance,
         R"({"in_administration": true, "contract_terminated": false, "reason": "administrators appointed"})");
  const json::value red = h.must(200, "GET", "/api/v1/locations?dps=home-care&rag=red", h.officer);
  REQUIRE(red.at("total").as_int64() == 1);
  CHECK(str(red.at("items").at(0).at("location")) == "A");
  CHECK(str(red.at("items").at(0).at("membership").at("tier")) == "tier1");
  CHECK(h.must(200, "GET", "/api/v1/locations?dps=home-care&status=under_assessment", h.officer).at("total").as_int64() == 1);
  CHECK(h.must(200, "GET", "/api/v1/locations?dps=home-care&tier=tier1&zone=south", h.officer).at("total").as_int64() == 1);
  CHECK(h.must(200, "GET", "/api/v1/locations", h.officer).at("total").as_int64() == 2);

  // The rest of the admission life cycle.
  h.must(200, "POST", "/api/v1/locations/N/refusals", h.compliance, R"({"dps": "home-care", "reason": "insufficient evidence"})");
  h.must(201, "POST", "/api/v1/locations/N/applications", h.compliance, R"({"dps": "home-care"})");
  h.must(200, "POST", "/api/v1/locations/N/admissions", h.compliance,
         R"({"dps": "home-care", "lots": ["hc"], "categories": ["older_people"], "zones": ["north"], "tier": "tier2"})");
  h.must(200, "PUT", "/api/v1/locations/N/memberships/home-care", h.compliance,
         R"({"lots": ["hc"], "categories": ["older_people", "dementia"], "zones": ["north", "central"], "tier": "tier2", "capacity": 120})");
  h.must(200, "POST", "/api/v1/locations/N/suspensions", h.compliance, R"({"dps": "home-care", "reason": "audit"})");
  h.must(200, "POST", "/api/v1/locations/N/reinstatements", h.compliance, R"({"dps": "home-care"})");
  const json::value terms = h.must(200, "GET", "/api/v1/locations/N", h.compliance).at("memberships").at(0);
  CHECK(str(terms.at("status")) == "admitted");
  CHECK(terms.at("capacity").as_int64() == 120);
  CHECK(terms.at("zones").as_array().size() == 2);
  h.must(200, "POST", "/api/v1/locations/N/exits", h.compliance, R"({"dps": "home-care", "reason": "left the market"})");
  CHECK(str(h.must(200, "GET", "/api/v1/locations/N", h.compliance).at("memberships").at(0).at("status")) == "exited");
}

TEST_CASE("tokens are issued by an administrator and bound to a role, a provider token cannot act as an officer",
          "[rest]") {
  RestHarness h;
  h.configure_market();
  h.admit("A");
  const json::value issued = h.must(201, "POST", "/api/v1/tokens", h.admin,
                                    R"({"role": "provider", "provider": "P-A", "name": "rostering-system"})");
  const std::string token = str(issued.at("token"));
  CHECK(token.size() == 64);
  const auto who = h.tokens.authenticate(token);
  REQUIRE(who);
  CHECK(who->role == Role::provider);
  CHECK(who->subject == "P-A");
  CHECK(h.call("GET", "/api/v1/packages", token).status == 403);
  CHECK(h.must(200, "GET", "/api/v1/dps/home-care", token).at("code").as_string() == "home-care");

  const json::value officer = h.must(201, "POST", "/api/v1/tokens", h.admin, R"({"role": "officer", "name": "officer-2"})");
  h.must(201, "POST", "/api/v1/packages", str(officer.at("token")), kPackageJson);
  CHECK(str(h.must(200, "GET", "/api/v1/packages/1", h.officer).at("officer")) == "officer-2");
}

TEST_CASE("a DPS configuration reads back as it was sent, with the documented defaults filled in", "[rest]") {
  RestHarness h;
  h.configure_market();
  const json::value got = h.must(200, "GET", "/api/v1/dps/home-care", h.officer);
  engine::DpsConfig config;
  REQUIRE(rest::dps_config_from_json(got, config).ok());
  CHECK(config == home_care_config());
  CHECK(got.at("ranking").at("price_weight_pct").as_int64() == 40);
  CHECK(got.at("windows").at("urgent_window").as_int64() == 4 * engine::kMillisPerHour);
  CHECK(h.must(200, "GET", "/api/v1/dps", h.compliance).at("items").as_array().size() == 1);

  // Every field survives the round trip, not only the defaults.
  engine::DpsConfig odd = home_care_config();
  odd.code = "mh";
  odd.mode = engine::DistributionMode::all_at_once;
  odd.lots[0].unit = engine::Unit::places;
  odd.ranking = {engine::RankingScheme::quality_adjusted_price, 60, 40, 55, 80, engine::AuctionFormat::best_and_final, 3, true};
  odd.quality = {50, 30, 20, 45, 99, 70, 35, 1, 98, 71, 36, 2};
  odd.risk = {false, true, 60, 3, 4};
  odd.windows = {3 * engine::kMillisPerHour, 3, 6, 21, engine::kMillisPerHour, 2, 3 * engine::kMillisPerHour, 5, 9, 14, 30};
  engine::DpsConfig back;
  REQUIRE(rest::dps_config_from_json(rest::dps_config_json(odd), back).ok());
  CHECK(back == odd);
  h.must(200, "PUT", "/api/v1/dps/mh", h.admin, rest::to_text(rest::dps_config_json(odd)));
  CHECK(h.service.market().dps(h.service.market().find_dps("mh")) == odd);
}

TEST_CASE("a token the tokens file cannot record is not issued: 500 token_store_failed", "[rest]") {
  RestHarness h;
  char pattern[] = "/tmp/carebroker-tokens-XXXXXX";
  REQUIRE(mkdtemp(pattern) != nullptr);
  const std::filesystem::path dir = pattern;
  std::string error;
  REQUIRE(h.tokens.open((dir / "tokens").string(), error));
  h.admin = h.issue(Role::admin, "admin-1");
  std::filesystem::remove_all(dir);  // the file can no longer be rewritten
  const HttpResponse r = h.call("POST", "/api/v1/tokens", h.admin, R"({"role": "officer", "name": "brokerage-officer-2"})");
  CHECK(r.status == 500);
  CHECK(RestHarness::error_code(r) == "token_store_failed");
  CHECK(r.body.find("brokerage-officer-2") == std::string::npos);
  CHECK(r.body.find("\"token\"") == std::string::npos);  // no token exists that the file does not hold
  CHECK(h.call("GET", "/api/v1/dps/home-care", h.admin).status != 401);  // the admin's own token still works
}

TEST_CASE("a failed write answers 503 and changes nothing, a full queue answers 503 overloaded", "[rest]") {
  RestHarness h;
  h.configure_market();
  const auto digest = h.service.market().digest();
  h.service.fail_writes = true;
  const auto post = h.call("POST", "/api/v1/packages", h.officer, kPackageJson);
  CHECK(post.status == 503);
  CHECK(RestHarness::error_code(post) == "store_unavailable");
  const auto read = h.call("GET", "/api/v1/dps/home-care", h.officer);
  CHECK(read.status == 503);
  CHECK(RestHarness::error_code(read) == "not_durable");
  CHECK(h.call("GET", "/readyz", "").status == 503);
  CHECK(h.call("POST", "/api/v1/admin/backups", h.admin, R"({"name": "x"})").status == 500);
  h.service.fail_writes = false;
  h.service.overloaded = true;
  const auto busy = h.call("POST", "/api/v1/packages", h.officer, kPackageJson);
  CHECK(busy.status == 503);
  CHECK(RestHarness::error_code(busy) == "overloaded");
  REQUIRE(!busy.headers.empty());
  CHECK(busy.headers[0].first == "Retry-After");
  h.service.overloaded = false;
  CHECK(h.service.market().digest() == digest);
  CHECK(h.call("GET", "/healthz", "").body == "ok");
  CHECK(h.must(200, "GET", "/readyz", "").at("ready").as_bool());
  h.must(201, "POST", "/api/v1/admin/backups", h.admin, R"({"name": "2026-11-23"})");
  CHECK(h.service.backups == std::vector<std::string>{"2026-11-23"});
}

TEST_CASE("every route in the table is in docs/openapi.json, with the same roles and parameters", "[rest]") {
  std::ifstream in(std::string(CAREBROKER_DOCS_DIR) + "/openapi.json");
  REQUIRE(in);
  std::stringstream text;
  text << in.rdbuf();
  boost::system::error_code ec;
  const json::value doc = json::parse(text.str(), ec);
  REQUIRE(!ec);
  CHECK(str(doc.at("openapi")).rfind("3.0", 0) == 0);
  REQUIRE(doc.at("components").at("schemas").as_object().contains("Error"));
  const json::object& paths = doc.at("paths").as_object();
  std::set<std::string> in_table;
  for (const auto& route : rest_routes()) {
    std::string method(route.method);
    for (auto& ch : method) ch = static_cast<char>(ch - 'A' + 'a');
    in_table.insert(method + " " + std::string(route.path));
    INFO(route.method << " " << route.path);
    const json::value* path = paths.if_contains(route.path);
    REQUIRE(path);  // the path template must match exactly
    const json::value* op = path->as_object().if_contains(method);
    REQUIRE(op);
    std::set<std::string> roles, documented_roles, query, documented_query, params, documented_params, headers,
        documented_headers;
    for (Role r : route.roles) roles.insert(std::string(to_string(r)));
    for (const auto& r : op->at("x-roles").as_array()) documented_roles.insert(str(r));
    CHECK(roles == documented_roles);
    for (auto q : route.query) query.insert(std::string(q));
    for (std::size_t open = route.path.find('{'); open != std::string_view::npos; open = route.path.find('{', open + 1))
      params.insert(std::string(route.path.substr(open + 1, route.path.find('}', open) - open - 1)));
    if (const json::value* ps = op->as_object().if_contains("parameters"))
      for (const auto& p : ps->as_array())
        (str(p.at("in")) == "query"    ? documented_query
         : str(p.at("in")) == "header" ? documented_headers
                                       : documented_params)
            .insert(str(p.at("name")));
    CHECK(query == documented_query);
    CHECK(params == documented_params);
    // Every route that runs a market command takes an Idempotency-Key, and says so.
    if (route.keyed) headers.insert("Idempotency-Key");
    CHECK(headers == documented_headers);
    if (route.keyed) CHECK(op->at("responses").as_object().contains("409"));  // request_id_reused
    const json::object& responses = op->at("responses").as_object();
    if (!route.roles.empty()) {
      CHECK(responses.contains("401"));
      CHECK(responses.contains("403"));
    }
  }
  for (std::string_view served : carebroker::gateway::kServerPaths) {  // answered by the server itself
    INFO("GET " << served);
    const json::value* path = paths.if_contains(served);
    REQUIRE(path);
    CHECK(path->as_object().contains("get"));
    in_table.insert("get " + std::string(served));
  }
  for (const auto& [path, ops] : paths)
    for (const auto& [method, op] : ops.as_object()) {
      INFO(method << " " << path);
      CHECK(in_table.count(std::string(method) + " " + std::string(path)) == 1);  // nothing documented that is not served
    }
}

TEST_CASE("every rejection code has an HTTP status: unknown things 404, state clashes 409, bad values 422",
          "[rest]") {
  using engine::Code;
  for (int c = 1; c <= static_cast<int>(Code::invalid_idempotency_key); ++c) {
    const Code code = static_cast<Code>(c);
    INFO(engine::to_string(code));
    const int status = http_status(code);
    CHECK(status >= 400);
    CHECK(status < 500);
    if (engine::to_string(code).rfind("unknown_", 0) == 0) CHECK(status == 404);
  }
  CHECK(http_status(Code::ok) == 200);
  for (Code c : {Code::request_id_reused, Code::offer_exists, Code::package_closed, Code::offer_after_close,
                 Code::already_applied})
    CHECK(http_status(c) == 409);
  for (Code c : {Code::invalid_config, Code::invalid_package, Code::price_not_positive, Code::price_outside_rate_band,
                 Code::start_date_infeasible, Code::must_meet_not_confirmed, Code::visit_pattern_mismatch,
                 Code::reason_required})
    CHECK(http_status(c) == 422);
  CHECK(http_status(Code::location_not_of_provider) == 403);
  const auto e = carebroker::gateway::error_response(404, "unknown_package", "no package \"7\"\n");
  CHECK(e.body == R"({"error":{"code":"unknown_package","detail":"no package \"7\"\n"}})");
}

TEST_CASE("JSON responses print numbers as people write them", "[rest]") {
  CHECK(rest::to_text(json::value(66.5)) == "66.5");
  CHECK(rest::to_text(json::object{{"a", 75.0}, {"b", -3}, {"c", "x\"y"}}) == R"({"a":75,"b":-3,"c":"x\"y"})");
  CHECK(rest::iso_utc(kMonday9am) == "2026-11-23T09:00:00.000Z");
  // Integers at both ends of both of Boost.JSON's integer kinds, and zero.
  CHECK(rest::to_text(json::value(std::numeric_limits<std::int64_t>::min())) == "-9223372036854775808");
  CHECK(rest::to_text(json::value(std::numeric_limits<std::int64_t>::max())) == "9223372036854775807");
  CHECK(rest::to_text(json::value(std::numeric_limits<std::uint64_t>::max())) == "18446744073709551615");
  CHECK(rest::to_text(json::array{0, std::uint64_t{0}}) == "[0,0]");
}

TEST_CASE("a JSON body is whole whatever the size of the one written before it on the thread", "[rest]") {
  // The writer reuses a per-thread buffer and frees it once grown past 256 KiB: bodies below
  // and above that, in a mixed order, each come out whole with nothing of the one before.
  const std::size_t kept = 256 << 10;
  for (const std::size_t size : {std::size_t{10}, kept - 100, kept + 100, std::size_t{5}, 4 * kept, kept - 100,
                                 std::size_t{0}, kept + 100, std::size_t{10}}) {
    INFO("a string of " << size << " bytes");
    const json::value v = json::object{{"s", std::string(size, 'x') + "\\"}, {"n", size}};
    const std::string written = rest::to_text(v);
    CHECK(written.size() == size + std::to_string(size).size() + 15);  // {"s":"x…\\","n":N}: 15 bytes around them
    CHECK(json::parse(written) == v);
  }
}

TEST_CASE("JSON responses escape what JSON requires and pass UTF-8 through", "[rest]") {
  std::string every_control;
  for (int c = 0; c < 0x20; ++c) every_control.push_back(static_cast<char>(c));
  const std::string text = "plain \"quoted\" back\\slash " + every_control + " £32.14 × café";
  const std::string written = rest::to_text(json::object{{"k\"ey", text}});
  CHECK(json::parse(written) == json::value(json::object{{"k\"ey", text}}));  // what was written reads back the same
  CHECK(written.find("\\u0000\\u0001") != std::string::npos);
  CHECK(written.find("\\b\\t\\n\\u000b\\f\\r") != std::string::npos);
  CHECK(written.find("£32.14 × café") != std::string::npos);
  CHECK(carebroker::gateway::json_quote("") == "\"\"");
  CHECK(carebroker::gateway::json_quote("a\"") == "\"a\\\"\"");
  // Every character that needs an escape is found wherever it stands in a run of text, between
  // bytes on both sides of each boundary it is tested against, and only it is escaped.
  for (const char special : std::string{'"', '\\', '\0', '\x1f', '\n'})
    for (const char filler : std::string{'a', ' ', '\x7f', '\x80', '\xff', '!', '#', '[', ']'})
      for (std::size_t at = 0; at < 20; ++at) {
        std::string run(20, filler);
        run[at] = special;
        INFO("special " << int(special) << " at " << at << " among " << int(static_cast<unsigned char>(filler)));
        const std::string quoted = carebroker::gateway::json_quote(run);
        // Only the special character is escaped: 2 quotes + 19 fillers + its escape.
        const std::size_t escape = special == '"' || special == '\\' || special == '\n' ? 2 : 6;
        CHECK(quoted.size() == 2 + 19 + escape);
        if (filler != '\x80' && filler != '\xff') CHECK(json::parse(quoted) == json::value(run));
      }
}
