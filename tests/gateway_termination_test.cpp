// End to end through the real server (REST, provider WebSockets, the journal, a restart): a
// provider with live placements has its contract terminated; "who is affected" showed each one
// beforehand; each placement is re-procured, awarded to another provider and accepted; the old
// placement ends on the new one's start date; nothing is lost across a restart in the middle.
#include <catch2/catch.hpp>

#include <boost/json.hpp>

#include <chrono>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "gateway_client.h"
#include "provider_client.h"

namespace {
namespace json = boost::json;
namespace engine = carebroker::engine;
using carebroker::gateway::Role;
using namespace carebroker::testing;
using namespace carebroker::testing::gateway_support;
}  // namespace

namespace {

std::string string_of(const json::value& v) { return std::string(v.as_string()); }

/// Reads until a message of `type` arrives (others, e.g. notifications, are skipped).
Msg until(ProviderClient& c, const std::string& type) {
  std::string seen;
  for (int i = 0; i < 200; ++i) {
    INFO("waiting for " << type << "; seen: " << seen);
    Msg m = c.next();
    if (m.type == type) return m;
    seen += m.describe() + " | ";
  }
  FAIL("no " << type << " in 200 messages");
  return {};
}

/// Reads until an award has been offered for each of `packages` (in any order), then accepts
/// each as `location` and checks its acknowledgement.
void accept_awards(ProviderClient& c, const std::string& location, const std::vector<std::uint64_t>& packages) {
  std::set<std::uint64_t> offered;
  for (int i = 0; i < 200 && offered.size() < packages.size(); ++i) {
    Msg m = c.next();
    if (m.type == "AwardOffered") offered.insert(static_cast<std::uint64_t>(m.number("package")));
  }
  REQUIRE(offered == std::set<std::uint64_t>(packages.begin(), packages.end()));
  for (const std::uint64_t id : packages) {
    c.accept("accept-" + std::to_string(id), location, id);
    CHECK(until(c, "Ack").text("request_id") == "accept-" + std::to_string(id));
  }
}

std::string date_after(TestServer& server, int days) {
  return engine::format_date(engine::london_date(server.clock().now()) + days);
}

}  // namespace

TEST_CASE("a terminated provider's placements are re-procured and taken on by another and end on the new start across a restart",
          "[gateway][placement][contracts]") {
  TestServer server;
  const std::string officer = server.token(Role::officer), compliance = server.token(Role::compliance);
  const std::string token_a = server.token(Role::provider, "P-A"), token_b = server.token(Role::provider, "P-B");

  // Two packages placed with A.
  std::vector<std::uint64_t> placed;
  {
    ProviderClient a(server, token_a, true);
    a.hello();
    for (int i = 0; i < 2; ++i) {
      const std::uint64_t id = post_package(server, officer);
      a.place({"a-offer-" + std::to_string(i), "A", id, 3000});
      CHECK(until(a, "Ack").text("request_id") == "a-offer-" + std::to_string(i));
      placed.push_back(id);
    }
    server.clock().advance(2 * kHour);  // both windows close; the awards go to A
    accept_awards(a, "A", placed);
  }

  // Who is affected, before: both of A's placements, 28 hours a week between them.
  const json::value before = must_http(server, 200, "GET", "/api/v1/placements?provider=P-A", officer);
  REQUIRE(before.at("total").as_int64() == 2);
  CHECK(before.at("providers").at(0).at("people").as_int64() == 2);
  CHECK(before.at("providers").at(0).at("hours_per_week").as_int64() == 28);
  for (const auto& row : before.at("items").as_array()) CHECK_FALSE(row.at("at_risk").as_bool());

  // The contract is terminated: each placement is re-procured at once (packages 3 and 4).
  must_http(server, 201, "POST", "/api/v1/providers/P-A/contract-actions", compliance,
            R"({"dps": "home-care", "kind": "termination", "owner": "contracts-officer-1", "notes": "serious breach"})");
  const json::value during = must_http(server, 200, "GET", "/api/v1/placements?provider=P-A", officer);
  REQUIRE(during.at("total").as_int64() == 2);
  for (const auto& row : during.at("items").as_array()) CHECK(row.at("at_risk").as_bool());

  // A restart in the middle: everything comes back from the journal.
  const std::uint64_t durable = server.durable_seq();
  server.restart();
  CHECK(server.durable_seq() == durable);
  CHECK(must_http(server, 200, "GET", "/api/v1/placements?provider=P-A", officer).at("total").as_int64() == 2);
  const json::value open = must_http(server, 200, "GET", "/api/v1/packages?status=open", officer);
  REQUIRE(open.at("total").as_int64() == 2);

  // B takes both on, from tomorrow.
  const std::string start = date_after(server, 1);
  {
    ProviderClient b(server, token_b, false);
    b.hello();
    std::vector<std::uint64_t> replacements;
    for (const auto& row : open.at("items").as_array()) replacements.push_back(row.at("package").to_number<std::uint64_t>());
    for (const std::uint64_t id : replacements) {
      b.place({"b-offer-" + std::to_string(id), "B", id, 3100, start});
      CHECK(until(b, "Ack").text("request_id") == "b-offer-" + std::to_string(id));
    }
    server.clock().advance(5 * kHour);  // the urgent windows (4 hours) close; the awards go to B
    accept_awards(b, "B", replacements);
  }
  // Each old placement ends on its replacement's start date.
  for (const std::uint64_t id : placed) {
    const json::value p = must_http(server, 200, "GET", "/api/v1/packages/" + std::to_string(id) + "/placement", officer);
    CHECK(string_of(p.at("ends_on")) == start);
  }
  server.clock().set(engine::london_to_utc(engine::london_date(server.clock().now()) + 1, 0) + 1000);
  for (int i = 0; i < 100 && must_http(server, 200, "GET", "/api/v1/placements?provider=P-A", officer).at("total").as_int64() > 0; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));  // the sequencer ticks on its own
  CHECK(must_http(server, 200, "GET", "/api/v1/placements?provider=P-A", officer).at("total").as_int64() == 0);
  const json::value after = must_http(server, 200, "GET", "/api/v1/placements?provider=P-B", officer);
  CHECK(after.at("total").as_int64() == 2);
  for (const std::uint64_t id : placed) {
    const json::value p = must_http(server, 200, "GET", "/api/v1/packages/" + std::to_string(id) + "/placement", officer);
    CHECK(string_of(p.at("status")) == "ended");
  }
}
