// The API's front door is tested: every example in README.md, docs/openapi.json and
// docs/websocket-protocol.md is run against a server holding the demonstration market (the one
// scripts/run loads), and the README's table of who may call what equals the route table.
//   - README: each ```json block after an <!-- example: METHOD PATH ROLE --> line is sent as that
//     role and must succeed;
//   - OpenAPI: every request body example is sent as the operation's first role and must
//     succeed; a response example has the fields the real response has;
//   - WebSocket page: every client frame is sent by the demonstration provider and must be
//     acknowledged (the package number is the only thing replaced: it is the package the README's
//     example posted); every server frame parses against wire.fbs, and every DPS, lot, zone,
//     category, location and provider it names exists in the demonstration market.
#include <catch2/catch.hpp>

#include <boost/json.hpp>
#include <flatbuffers/idl.h>

#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "demo/demo_market.h"
#include "gateway/protocol/wire_codec.h"
#include "gateway/rest/router.h"
#include "gateway_client.h"
#include "provider_client.h"

namespace {

namespace json = boost::json;
using carebroker::gateway::Role;
using namespace carebroker::testing;
using namespace carebroker::testing::gateway_support;

const std::string kRoot = std::string(CAREBROKER_DATA_DIR) + "/..";
const std::string kDemoProvider = "1-101648062";  // the provider scripts/run prints a token for

/// The ```json blocks of a Markdown page, each with the comment line just before it (if any).
std::vector<std::pair<std::string, std::string>> json_blocks(const std::string& page) {
  std::vector<std::pair<std::string, std::string>> out;
  const std::regex block(R"((?:<!-- example: ([^>]*) -->\n)?```json\n([\s\S]*?)\n```)");
  for (auto it = std::sregex_iterator(page.begin(), page.end(), block); it != std::sregex_iterator(); ++it)
    out.emplace_back((*it)[1].str(), (*it)[2].str());
  return out;
}

Role role_named(const std::string& name) {
  Role r = Role::admin;
  REQUIRE(carebroker::gateway::parse(name, r));
  return r;
}

TestServerOptions demo_options() {
  auto market = carebroker::demo::demo_market(CAREBROKER_DATA_DIR, kMonday9am);
  INFO(market.error);
  REQUIRE(market.error.empty());
  TestServerOptions o;
  o.first_start = std::move(market.commands);
  return o;
}

/// Checks that every DPS, lot, zone, category, location and provider a message names exists.
void check_names(TestServer& server, const std::string& admin, const json::object& m) {
  json::value dps;
  if (const auto* code = m.if_contains("dps")) {
    dps = must_http(server, 200, "GET", "/api/v1/dps/" + std::string(code->as_string()), admin);
    std::set<std::string> lots, zones, categories;
    for (const auto& l : dps.at("lots").as_array()) lots.insert(std::string(l.at("code").as_string()));
    for (const auto& z : dps.at("zones").as_array()) zones.insert(std::string(z.at("code").as_string()));
    for (const auto& c : dps.at("categories").as_array()) categories.insert(std::string(c.as_string()));
    if (const auto* lot = m.if_contains("lot")) CHECK(lots.count(std::string(lot->as_string())) == 1);
    if (const auto* zone = m.if_contains("zone")) CHECK(zones.count(std::string(zone->as_string())) == 1);
    if (const auto* cats = m.if_contains("categories"))
      for (const auto& c : cats->as_array()) CHECK(categories.count(std::string(c.as_string())) == 1);
  }
  std::vector<std::string> locations;
  if (const auto* l = m.if_contains("location")) locations.emplace_back(l->as_string());
  if (const auto* ls = m.if_contains("locations"))
    for (const auto& l : ls->as_array()) locations.emplace_back(l.is_object() ? l.at("location").as_string() : l.as_string());
  for (const auto& l : locations) {
    const json::value detail = must_http(server, 200, "GET", "/api/v1/locations/" + l, admin);
    if (const auto* p = m.if_contains("provider"))
      CHECK(detail.at("provider").at("id") == *p);
  }
}

}  // namespace

TEST_CASE("the README's table of who may call what is the server's route table", "[docs][rest]") {
  const std::string readme = read_text_file(kRoot + "/README.md");
  for (const auto& r : carebroker::gateway::rest_routes()) {
    std::string roles;
    for (Role role : r.roles) roles += (roles.empty() ? "" : ", ") + std::string(to_string(role));
    if (roles.empty()) roles = "anyone (no token)";
    const std::string row = "| `" + std::string(r.method) + "` | `" + std::string(r.path) + "` | " + roles + " |";
    INFO(row);
    CHECK(readme.find(row) != std::string::npos);
  }
}

TEST_CASE("every example in the README, the OpenAPI and the WebSocket page works on the demonstration market",
          "[docs][gateway]") {
  TestServer server(demo_options());
  const std::string admin = server.token(Role::admin);
  std::uint64_t package = 0;

  // README: every marked JSON example succeeds as its role.
  int readme_examples = 0;
  for (const auto& [marker, body] : json_blocks(read_text_file(kRoot + "/README.md"))) {
    INFO(marker << "\n" << body);
    REQUIRE(!marker.empty());  // every JSON block of the README is a runnable example
    std::istringstream words(marker);
    std::string method, path, role;
    words >> method >> path >> role;
    const HttpResult r = http_request(server.port(), method, path, server.token(role_named(role)), body);
    INFO(r.status << " " << r.body);
    CHECK(r.status / 100 == 2);
    if (path == "/api/v1/packages" && r.status == 201) package = parse_json(r.body).at("package").to_number<std::uint64_t>();
    ++readme_examples;
  }
  CHECK(readme_examples >= 1);
  REQUIRE(package != 0);

  // OpenAPI: request body examples succeed; response examples have the real response's fields.
  const json::value doc = parse_json(read_text_file(kRoot + "/docs/openapi.json"));
  int openapi_examples = 0;
  for (const auto& [path, ops] : doc.at("paths").as_object())
    for (const auto& [method_lower, op_value] : ops.as_object()) {
      const json::object& op = op_value.as_object();
      std::string method(method_lower);
      for (char& c : method) c = static_cast<char>(c - 'a' + 'A');
      const Role role = op.contains("x-roles") && !op.at("x-roles").as_array().empty()
                            ? role_named(std::string(op.at("x-roles").at(0).as_string()))
                            : Role::admin;
      INFO(method << " " << path);
      const auto json_example = [](const json::value& holder) -> const json::value* {
        const auto* content = holder.as_object().if_contains("content");
        const auto* media = content ? content->as_object().if_contains("application/json") : nullptr;
        return media ? media->as_object().if_contains("example") : nullptr;
      };
      if (const auto* body = op.if_contains("requestBody"))
        if (const auto* example = json_example(*body)) {
          const HttpResult r = http_request(server.port(), method, std::string(path), server.token(role), json::serialize(*example));
          INFO(r.status << " " << r.body);
          CHECK(r.status / 100 == 2);
          ++openapi_examples;
        }
      if (const auto* ok = op.at("responses").as_object().if_contains("200"))
        if (const auto* example = json_example(*ok)) {
            const std::string token = role == Role::admin ? server.token(Role::provider, kDemoProvider) : server.token(role);
            const json::value real = must_http(server, 200, method, std::string(path), token);
            std::set<std::string> documented, served;
            for (const auto& kv : example->as_object()) documented.insert(std::string(kv.key()));
            for (const auto& kv : real.as_object()) served.insert(std::string(kv.key()));
            CHECK(documented == served);
            check_names(server, admin, example->as_object());
            ++openapi_examples;
        }
    }
  CHECK(openapi_examples >= 2);

  // The WebSocket page: client frames are acknowledged; server frames parse and name real things.
  flatbuffers::IDLOptions options;
  options.strict_json = true;
  flatbuffers::Parser server_frames(options);
  REQUIRE(server_frames.Parse(std::string(carebroker::gateway::protocol::wire_schema_text()).c_str()));
  REQUIRE(server_frames.SetRootType("ServerFrame"));
  ProviderClient provider(server, server.token(Role::provider, kDemoProvider), false);
  provider.hello();
  {  // the package the README's example posted is broadcast to the demonstration provider
    const auto live = packages_in_snapshot(provider.snapshot);
    CHECK(std::find(live.begin(), live.end(), package) != live.end());
  }
  int ws_examples = 0;
  for (const auto& [marker, text] : json_blocks(read_text_file(kRoot + "/docs/websocket-protocol.md"))) {
    INFO(text);
    json::value v = parse_json(text);
    json::object& o = v.as_object();
    if (o.contains("seq")) {
      const std::string frame = json::serialize(o.at("frame"));
      INFO(server_frames.error_);
      CHECK(server_frames.Parse(frame.c_str()));
      check_names(server, admin, o.at("frame").at("message").as_object());
    } else {
      json::object& m = o.at("message").as_object();
      const std::string type(o.at("message_type").as_string());
      if (type == "Hello") {  // a staff Hello: the placeholder is the printed officer token
        ProviderClient staff(server, server.token(Role::officer), false);
        CHECK(staff.hello().text("role") == "officer");
      } else {
        if (m.contains("package")) m["package"] = package;
        check_names(server, admin, m);
        provider.send_raw(json::serialize(v), false);
        provider.expect_ack(std::string(m.at("request_id").as_string()), package);
      }
    }
    ++ws_examples;
  }
  CHECK(ws_examples >= 8);
}
