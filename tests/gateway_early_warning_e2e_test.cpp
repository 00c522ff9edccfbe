// Issue 12 item 3's must-show, through the real server: a location turns Red mid-competition (an
// embargo entered by compliance with a reason). It receives no new broadcasts, its leading offer
// is flagged for the officer, and the early-warning dashboard shows why and when.
#include <catch2/catch.hpp>

#include <string>

#include "provider_client.h"

namespace {

namespace json = boost::json;
using carebroker::gateway::Role;
using namespace carebroker::testing;
using namespace carebroker::testing::gateway_support;

const json::value* ranked_offer(const json::value& view, const std::string& location) {
  for (const auto& o : view.at("ranking").at("offers").as_array())
    if (o.at("location") == location.c_str()) return &o;
  return nullptr;
}

}  // namespace

TEST_CASE("through the server a location embargoed mid-competition gets no new broadcast, its leading offer "
          "is flagged and the dashboard says why and when",
          "[gateway][early-warning]") {
  TestServer server;
  const std::string officer = server.token(Role::officer);
  const std::string compliance = server.token(Role::compliance);
  ProviderClient a(server, server.token(Role::provider, "P-A"), false);
  ProviderClient b(server, server.token(Role::provider, "P-B"), true);
  a.hello();
  b.hello();

  // A package is open with A and B invited; A leads on price.
  const std::uint64_t first = post_package(server, officer);
  a.expect("PackageBroadcast");
  b.expect("PackageBroadcast");
  a.place({"a-1", "A", first, 2900});  // above the abnormally-low threshold (85% of 3214)
  a.expect_ack("a-1", first);
  b.place({"b-1", "B", first, 3100});
  b.expect_ack("b-1", first);
  const std::string package_path = "/api/v1/packages/" + std::to_string(first);
  const json::value before = must_http(server, 200, "GET", package_path, officer);
  REQUIRE(ranked_offer(before, "A"));
  CHECK(ranked_offer(before, "A")->at("rank") == 1);
  CHECK(ranked_offer(before, "A")->at("acceptable") == true);

  // Compliance embargoes A, with a reason and the evidence.
  server.clock().advance(10 * 60 * 1000);
  must_http(server, 200, "PATCH", "/api/v1/locations/A/quality", compliance,
            R"({"embargo": true, "reason": "safeguarding enquiry under s42", "evidence": "SG-2026-0142"})");

  // A new package reaches B, not A.
  const std::uint64_t second = post_package(server, officer);
  const Msg heard = b.expect("PackageBroadcast");
  CHECK(static_cast<std::uint64_t>(heard.number("package")) == second);
  a.expect_quiet();
  b.expect_quiet();

  // The officer sees A's offer, still first on price, flagged: it may not take the placement.
  const json::value after = must_http(server, 200, "GET", package_path, officer);
  const json::value* flagged = ranked_offer(after, "A");
  REQUIRE(flagged);
  CHECK(flagged->at("acceptable") == false);
  CHECK(flagged->at("failed_gate") == "placement_barred");
  CHECK(std::string(flagged->at("not_acceptable_reason").as_string()).find("safeguarding enquiry under s42") !=
        std::string::npos);
  CHECK(flagged->at("risk").at("rag") == "red");
  CHECK(flagged->at("risk").at("reasons").at(0) == "embargo on new placements: safeguarding enquiry under s42");
  CHECK(ranked_offer(before, "A")->at("risk").at("rag") == "green");
  CHECK(ranked_offer(after, "B")->at("rank") == 1);

  // The dashboard: A is Red, since the PATCH's time, for the embargo's reason, entered by compliance.
  const json::value board = must_http(server, 200, "GET", "/api/v1/early-warning?rag=red", officer);
  REQUIRE(board.at("total") == 1);
  const json::value& row = board.at("items").at(0);
  CHECK(row.at("location") == "A");
  REQUIRE(row.at("rag_changes").as_array().size() == 1);
  const json::value& change = row.at("rag_changes").at(0);
  CHECK(change.at("from") == "green");
  CHECK(change.at("to") == "red");
  CHECK(change.at("reasons").at(0) == "embargo on new placements: safeguarding enquiry under s42");
  const json::value& entry = row.at("entries").as_array().back();
  CHECK(entry.at("at") == change.at("at"));
  CHECK(!std::string(change.at("at_london").as_string()).empty());
  CHECK(entry.at("by") == "compliance-1");
  CHECK(entry.at("evidence") == "SG-2026-0142");

  // The history survives a restart (replayed from the journal).
  server.restart();
  const json::value replayed = must_http(server, 200, "GET", "/api/v1/early-warning?rag=red", officer);
  CHECK(replayed.at("items") == board.at("items"));
}
