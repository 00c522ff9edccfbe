// Abnormally low, both sides, through the real server: a provider whose offer is flagged is
// asked on its stream to explain, answers with ExplainOffer (JSON or FlatBuffers), the officer
// reads the explanation in the package view and decides, and the decision goes back to the
// provider. Bad explanations get an error frame with their code and request id.
#include <catch2/catch.hpp>

#include <map>
#include <string>

#include "provider_client.h"

namespace {

namespace json = boost::json;
namespace w = carebroker::wire;
using carebroker::gateway::Role;
using namespace carebroker::testing;
using namespace carebroker::testing::gateway_support;

Both explain_frame(const std::string& request_id, const std::string& location, std::uint64_t package,
                   const std::string& explanation) {
  return {client_json("ExplainOffer", {{"request_id", request_id},
                                       {"location", location},
                                       {"package", package},
                                       {"explanation", explanation}}),
          client_fb(w::ClientMessage::ExplainOffer, [&](auto& b) {
            return w::CreateExplainOfferDirect(b, request_id.c_str(), location.c_str(), package, explanation.c_str());
          })};
}

/// The next `n` messages by type (a reply and a notification of one batch come in either order).
std::map<std::string, Msg> next_by_type(ProviderClient& p, int n) {
  std::map<std::string, Msg> got;
  for (int i = 0; i < n; ++i) {
    Msg m = p.next();
    got.emplace(m.type, m);
  }
  return got;
}

}  // namespace

TEST_CASE("through the server a flagged offer is asked to explain and hears the officer's decision",
          "[gateway][explanation]") {
  TestServer server;
  const std::string officer = server.token(Role::officer);
  ProviderClient a(server, server.token(Role::provider, "P-A"), true);  // rostering software: FlatBuffers
  ProviderClient b(server, server.token(Role::provider, "P-B"), false);  // the portal: JSON
  a.hello();
  b.hello();
  const std::uint64_t package = post_package(server, officer);
  a.expect("PackageBroadcast");
  b.expect("PackageBroadcast");

  // B's offer is not flagged: it has nothing to explain.
  b.place({"b-1", "B", package, 3000});
  b.expect_ack("b-1", package);
  b.send(explain_frame("b-2", "B", package, "we are efficient"));
  b.expect_error("not_abnormally_low", "b-2");

  // A's is (2650p is under 85% of the £32.14 fair cost): A alone is asked.
  a.place({"a-1", "A", package, 2650});
  auto got = next_by_type(a, 2);
  REQUIRE(got.count("Ack"));
  REQUIRE(got.count("ExplanationRequested"));
  const Msg& asked = got.at("ExplanationRequested");
  CHECK(asked.seq > 0);
  CHECK(asked.text("location") == "A");
  CHECK(static_cast<std::uint64_t>(asked.number("package")) == package);
  CHECK(asked.number("price") == 2650);
  CHECK(asked.number("fair_cost") == 3214);
  CHECK(asked.number("threshold_pct") == 85);
  b.expect_quiet();

  // Bad explanations: empty, for another provider's location, for an unknown package.
  a.send(explain_frame("a-2", "A", package, ""));
  a.expect_error("explanation_required", "a-2");
  a.send(explain_frame("a-3", "B", package, "not ours"));
  a.expect_error("location_not_of_provider", "a-3");
  a.send(explain_frame("a-4", "A", 999, "no such package"));
  a.expect_error("unknown_package", "a-4");
  a.send_raw(R"({"message_type":"ExplainOffer","message":{"request_id":"a-5","location":"A","package":1,"text":"x"}})", false);
  a.expect_error("malformed_frame");

  a.send(explain_frame("a-6", "A", package, "Our carers are paid £12.60 an hour; B13 rounds are short."));
  a.expect_ack("a-6", package);
  const json::value view = must_http(server, 200, "GET", "/api/v1/packages/" + std::to_string(package), officer);
  bool shown = false;
  for (const auto& o : view.at("ranking").at("offers").as_array())
    if (o.at("location") == "A") {
      CHECK(o.at("provider_explanation").at("text") == "Our carers are paid £12.60 an hour; B13 rounds are short.");
      shown = true;
    }
  CHECK(shown);

  must_http(server, 200, "POST", "/api/v1/packages/" + std::to_string(package) + "/abnormally-low-decisions", officer,
            R"({"location": "A", "accept": true, "reason": "the wage figure checks out"})");
  const Msg decision = a.expect("AbnormallyLowDecision");
  CHECK(decision.flag("accepted"));
  CHECK(decision.text("location") == "A");
  CHECK(decision.raw.find("wage figure") == std::string::npos);  // the officer's notes stay with the officer
  b.expect_quiet();

  a.send(explain_frame("a-7", "A", package, "one more thing"));
  a.expect_error("decision_already_made", "a-7");
}
