// During a mini-competition, through the real server: a provider asks a clarification question
// over its WebSocket (JSON or FlatBuffers), the officer reads it with who asked and answers it
// over REST, and every invited location hears the answer without the asker; the officer amends
// the package, every invited location receives it again, and the one whose offer was made before
// is asked to confirm it. Bad questions get an error frame with their code and request id; bad
// amendments and answers an HTTP error with theirs.
#include <catch2/catch.hpp>

#include <string>

#include "provider_client.h"

namespace {

namespace json = boost::json;
namespace w = carebroker::wire;
using carebroker::gateway::Role;
using namespace carebroker::testing;
using namespace carebroker::testing::gateway_support;

Both question_frame(const std::string& request_id, const std::string& location, std::uint64_t package,
                    const std::string& question) {
  return {client_json("AskQuestion", {{"request_id", request_id},
                                      {"location", location},
                                      {"package", package},
                                      {"question", question}}),
          client_fb(w::ClientMessage::AskQuestion, [&](auto& b) {
            return w::CreateAskQuestionDirect(b, request_id.c_str(), location.c_str(), package, question.c_str());
          })};
}

std::string package_path(std::uint64_t package) { return "/api/v1/packages/" + std::to_string(package); }

}  // namespace

TEST_CASE("through the server a question is answered to every invited location without who asked",
          "[gateway][question]") {
  TestServer server;
  const std::string officer = server.token(Role::officer);
  ProviderClient a(server, server.token(Role::provider, "P-A"), true);  // rostering software: FlatBuffers
  ProviderClient b(server, server.token(Role::provider, "P-B"), false);  // the portal: JSON
  ProviderClient n(server, server.token(Role::provider, "P-N"), false);  // north: not invited
  a.hello();
  b.hello();
  n.hello();
  const std::uint64_t package = post_package(server, officer);
  a.expect("PackageBroadcast");
  b.expect("PackageBroadcast");

  // Bad questions: empty, from a location not invited, for another provider's location.
  b.send(question_frame("b-1", "B", package, ""));
  b.expect_error("question_required", "b-1");
  n.send(question_frame("n-1", "N", package, "May we bid?"));
  n.expect_error("not_broadcast_to_location", "n-1");
  b.send(question_frame("b-2", "A", package, "Whose location?"));
  b.expect_error("location_not_of_provider", "b-2");
  b.send_raw(R"({"message_type":"AskQuestion","message":{"request_id":"b-3","location":"B","package":1,"text":"x"}})",
             false);
  b.expect_error("malformed_frame");

  b.send(question_frame("b-4", "B", package, "Is there a key safe?"));
  b.expect_ack("b-4", package);
  a.expect_quiet();  // a question is for the officer; the answer is for everyone

  const json::value listed = must_http(server, 200, "GET", package_path(package) + "/questions", officer);
  CHECK(listed.at("unanswered") == 1);
  REQUIRE(listed.at("questions").as_array().size() == 1);
  CHECK(listed.at("questions").at(0).at("asked_by") == "B");
  CHECK(listed.at("questions").at(0).at("answer").is_null());

  must_http(server, 200, "POST", package_path(package) + "/questions/1/answer", officer,
            R"({"answer": "Yes, by the front door"})");
  for (ProviderClient* p : {&a, &b}) {
    const Msg heard = p->expect("ClarificationAnswered");
    const json::object& q = heard.m.at("clarification").as_object();
    CHECK(q.at("number") == 1);
    CHECK(q.at("question") == "Is there a key safe?");
    CHECK(q.at("answer") == "Yes, by the front door");
    // Nothing says who asked: the message holds the recipient, the package and the clarification.
    CHECK(heard.m.size() == 3);
    CHECK(heard.text("location") == (p == &a ? "A" : "B"));
    CHECK(q.size() == 3);
  }
  n.expect_quiet();

  // Bad answers.
  CHECK(rest_error_code(http_request(server.port(), "POST", package_path(package) + "/questions/1/answer", officer,
                                     R"({"answer": "again"})")) == "question_already_answered");
  CHECK(rest_error_code(http_request(server.port(), "POST", package_path(package) + "/questions/7/answer", officer,
                                     R"({"answer": "none"})")) == "unknown_question");
  CHECK(rest_error_code(http_request(server.port(), "POST", package_path(package) + "/questions/x/answer", officer,
                                     R"({"answer": "none"})")) == "unknown_question");
  CHECK(rest_error_code(http_request(server.port(), "POST", package_path(package) + "/questions/1/answer", officer,
                                     R"({"answer": 5})")) == "wrong_type");
  CHECK(http_request(server.port(), "POST", package_path(package) + "/questions/1/answer",
                     server.token(Role::provider, "P-B"), R"({"answer": "self-answered"})")
            .status == 403);

  // A reconnecting provider finds the answered question in its snapshot's broadcast.
  ProviderClient again(server, server.token(Role::provider, "P-A"), false);
  again.hello();
  CHECK(again.snapshot.raw.find("Is there a key safe?") != std::string::npos);
}

TEST_CASE("through the server an amendment reaches every invited location and asks for earlier offers to be confirmed",
          "[gateway][amendment]") {
  TestServer server;
  const std::string officer = server.token(Role::officer);
  ProviderClient a(server, server.token(Role::provider, "P-A"), false);
  ProviderClient b(server, server.token(Role::provider, "P-B"), true);
  a.hello();
  b.hello();
  const std::uint64_t package = post_package(server, officer);
  const Msg first = a.expect("PackageBroadcast");
  b.expect("PackageBroadcast");
  const std::string start = std::string(first.m.at("start_date").as_string());
  a.place({"a-1", "A", package, 3000, start});
  a.expect_ack("a-1", package);
  server.clock().advance(1000);  // well inside the package's one-hour window

  // Bad amendments change nothing.
  const auto amend = [&](const std::string& body) {
    return http_request(server.port(), "POST", package_path(package) + "/amendments", officer, body);
  };
  CHECK(rest_error_code(amend(R"({"notes": "nothing"})")) == "nothing_to_amend");
  CHECK(rest_error_code(amend(R"({"start_date": "2026-12-10"})")) == "missing_field");
  CHECK(rest_error_code(amend(R"({"start_date": "2020-01-01", "notes": "past"})")) == "invalid_date");
  CHECK(rest_error_code(amend(R"({"start_date": "12/10/2026", "notes": "format"})")) == "invalid_date");
  CHECK(rest_error_code(amend(R"({"schedule": {"monday": [{"at": "08:00", "minutes": 60}, {"at": "08:30", "minutes": 30}]},
                                  "notes": "overlap"})")) == "schedule_calls_overlap");
  CHECK(rest_error_code(amend(R"({"schedule": {"friday": [{"at": "23:30", "minutes": 60}]}, "notes": "midnight"})")) ==
        "schedule_call_past_midnight");
  CHECK(rest_error_code(amend(R"({"schedule": {"someday": []}, "notes": "day"})")) == "unknown_field");
  CHECK(rest_error_code(http_request(server.port(), "POST", "/api/v1/packages/999/amendments", officer,
                                     R"({"start_date": "2026-12-10", "notes": "none"})")) == "unknown_package");
  a.expect_quiet();

  const json::value done = must_http(server, 200, "POST", package_path(package) + "/amendments", officer,
                                     R"({"schedule": {"monday": [{"at": "08:00", "minutes": 60}],
                                                      "thursday": [{"at": "08:00", "minutes": 45, "carers": 2}]},
                                        "notes": "two calls a week, Thursday's double-handed"})");
  CHECK(done.at("package") == package);

  // A, who bid before, is asked to confirm; B, who did not, is only told.
  const Msg again_a = a.expect("PackageBroadcast");
  CHECK(again_a.m.at("quantity") == 105);
  CHECK(again_a.m.at("amendment").at("number") == 1);
  CHECK(again_a.m.at("amendment").at("notes") == "two calls a week, Thursday's double-handed");
  CHECK(again_a.m.at("schedule").as_array().size() == 2);
  const Msg notice_a = a.expect("PackageUpdate");
  CHECK(std::string(notice_a.m.at("reason").as_string()).find("confirm it") != std::string::npos);
  b.expect("PackageBroadcast");
  const Msg notice_b = b.expect("PackageUpdate");
  CHECK(std::string(notice_b.m.at("reason").as_string()).find("confirm") == std::string::npos);

  const auto offer_of_a = [&] {
    const json::value view = must_http(server, 200, "GET", package_path(package), officer);
    CHECK(view.at("amendments").as_array().size() == 1);
    CHECK(view.at("amendments").at(0).at("schedule_changed") == true);
    for (const auto& o : view.at("ranking").at("offers").as_array())
      if (o.at("location") == "A") return o;
    FAIL("A's offer is not in the ranking");
    return json::value();
  };
  CHECK(offer_of_a().at("made_before_amendment") == true);
  server.clock().advance(1000);
  a.send_raw(client_json("AmendOffer", {{"request_id", "a-2"}, {"location", "A"}, {"package", package},
                                        {"price", 3000}, {"start_date", start}, {"must_meet_confirmed", true}}),
             false);  // the same price: a confirmation
  a.expect_ack("a-2", package);
  CHECK(offer_of_a().at("made_before_amendment") == false);
}
