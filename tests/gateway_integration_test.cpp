// End to end through the real server: gateway::App on an ephemeral port with a RocksDB journal
// in a temporary directory, a ManualClock, and real clients — HTTP for the officer, WebSocket
// for providers (one speaking JSON text frames, one FlatBuffers binary frames).
//
//   - a whole mini-competition: post → broadcast (only to the eligible) → sealed offers with
//     idempotent acks → the window closes on the clock → award → accept → the person's details
//     to the winner only → the officer's explanations;
//   - reconnect without loss (resume after the last seq seen) and the snapshot otherwise;
//   - every kind of bad input on every WebSocket entry point and through REST: each gets its own
//     code, the server stays up, and the journal does not move;
//   - a slow consumer is cut off while a provider that reads gets everything.
//
// Nothing here asserts on timing: every wait is a read with a generous timeout.
#include <catch2/catch.hpp>

#include <boost/json.hpp>
#include <flatbuffers/idl.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <future>
#include <limits>
#include <map>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "gateway/metrics.h"
#include "gateway/protocol/wire_codec.h"
#include "bare_server.h"
#include "gateway_client.h"
#include "provider_client.h"
#include "schemas/wire_generated.h"

namespace {

namespace json = boost::json;
namespace w = carebroker::wire;
using carebroker::gateway::Role;
using namespace carebroker::testing;
using namespace carebroker::testing::gateway_support;

/// A package whose broadcast is big: needs, outcomes and must-meet at their limits (~30 KB).
std::string big_package_json() {
  std::string lists;
  for (const char* key : {"needs", "outcomes", "must_meet"}) {
    lists += std::string(", \"") + key + "\": [";
    for (int i = 0; i < 50; ++i) lists += (i ? ",\"" : "\"") + std::string(195, static_cast<char>('a' + i % 26)) + "\"";
    lists += "]";
  }
  std::string body = package_json();
  for (const char* key : {"\"needs\": [\"personal care\", \"medication prompts\"],",
                          "\"outcomes\": [\"remain independent at home\"],"}) {
    const auto at = body.find(key);
    REQUIRE(at != std::string::npos);
    body.erase(at, std::strlen(key));
  }
  return body.substr(0, body.size() - 1) + lists + "}";
}

}  // namespace

// =============================================================================================

TEST_CASE("a whole mini-competition: REST posting, both WebSocket encodings, award, accept, explanations",
          "[gateway]") {
  TestServer server;
  const std::string officer = server.token(Role::officer);
  ProviderClient a(server, server.token(Role::provider, "P-A"), false);  // a web portal: JSON
  ProviderClient b(server, server.token(Role::provider, "P-B"), true);   // rostering software: FlatBuffers
  ProviderClient n(server, server.token(Role::provider, "P-N"), false);  // north only: never invited

  for (ProviderClient* p : {&a, &b, &n}) {
    const Msg welcome = p->hello();
    CHECK_FALSE(welcome.flag("resumed"));
    CHECK(packages_in_snapshot(p->snapshot).empty());
  }
  CHECK(a.seen.front().text("provider") == "P-A");
  CHECK(a.seen.front().m.at("locations").as_array() == json::array{"A"});
  CHECK(b.seen.front().m.at("locations").as_array() == json::array{"B"});

  // The officer posts; A and B are invited, each with its own location and no person details.
  const std::uint64_t package = post_package(server, officer);
  for (ProviderClient* p : {&a, &b}) {
    const Msg broadcast = p->expect("PackageBroadcast");
    INFO(broadcast.describe());
    CHECK(broadcast.seq == 1);
    CHECK(static_cast<std::uint64_t>(broadcast.number("package")) == package);
    CHECK(broadcast.text("location") == (p == &a ? "A" : "B"));
    CHECK(broadcast.text("dps") == "home-care");
    CHECK(broadcast.text("zone") == "south");
    CHECK(broadcast.text("postcode_district") == "B13");
    CHECK(broadcast.text("tier") == "tier1");
    CHECK(broadcast.text("start_date") == "2026-11-25");
    CHECK(broadcast.number("quantity") == 840);
    CHECK(broadcast.number("closes_at") > 0);
    CHECK_FALSE(mentions_person(broadcast.raw));
  }
  {  // The FlatBuffers client reads it with the generated accessors too.
    const std::string_view body = std::string_view(b.seen.back().raw).substr(8);
    std::vector<std::uint64_t> aligned((body.size() + 7) / 8);
    std::memcpy(aligned.data(), body.data(), body.size());
    const auto* frame = flatbuffers::GetRoot<w::ServerFrame>(aligned.data());
    const w::PackageBroadcast* typed = frame->message_as_PackageBroadcast();
    REQUIRE(typed);
    CHECK(typed->package() == package);
    CHECK(typed->location()->str() == "B");
    CHECK(typed->unit() == w::Unit::hours);
    CHECK(typed->visits_per_day() == 4);
  }

  // Sealed offers, acknowledged once durable; a retry of the same request is replayed.
  a.place({"a-1", "A", package, 3100});
  a.expect_ack("a-1", package);
  b.place({"b-1", "B", package, 2900, "2026-11-25", true, "two carers, same team"});
  b.expect_ack("b-1", package);
  b.place({"b-1", "B", package, 2900, "2026-11-25", true, "two carers, same team"});
  b.expect_ack("b-1", package, true);
  a.place({"a-1", "A", package, 3100});
  a.expect_ack("a-1", package, true);

  // The window closes on the clock: the sequencer ticks by itself once the deadline is due.
  server.clock().advance(kHour + 1000);
  const Msg closed_b = b.expect("PackageUpdate");
  CHECK(closed_b.text("standing") == "closed_for_bidding");
  const Msg award = b.expect("AwardOffered");
  CHECK(award.text("location") == "B");
  CHECK(static_cast<std::uint64_t>(award.number("package")) == package);
  CHECK(award.number("expires_at") > 0);
  const Msg closed_a = a.expect("PackageUpdate");
  CHECK(closed_a.text("standing") == "closed_for_bidding");

  // The winner accepts: its Ack, its placement and — only now, only to it — the person.
  b.accept("b-2", "B", package);
  std::map<std::string, Msg> got;
  for (int i = 0; i < 3; ++i) {
    Msg m = b.next();
    got.emplace(m.type, m);
  }
  REQUIRE(got.count("Ack"));
  CHECK(got.at("Ack").text("request_id") == "b-2");
  REQUIRE(got.count("PackageUpdate"));
  CHECK(got.at("PackageUpdate").text("standing") == "placed_with_you");
  CHECK(got.at("PackageUpdate").number("own_rank") == 1);
  REQUIRE(got.count("PersonDetails"));
  const Msg& person = got.at("PersonDetails");
  CHECK(person.text("location") == "B");
  CHECK(person.text("name") == "Ada Example");
  CHECK(person.text("address") == "1 Test Street");
  CHECK(person.text("postcode") == "B13 9ZZ");
  CHECK(person.text("case_reference") == "CASE-1");

  // The loser hears it was awarded elsewhere, with its own rank — and never the person.
  const Msg elsewhere = a.expect("PackageUpdate");
  CHECK(elsewhere.text("standing") == "awarded_elsewhere");
  CHECK(elsewhere.number("own_rank") == 2);
  a.expect_quiet();
  b.expect_quiet();
  for (const Msg& m : a.seen) CHECK_FALSE(mentions_person(m.raw));

  // The provider whose location is not eligible received nothing but its Welcome and Snapshot.
  n.expect_quiet();
  CHECK(n.seen.size() == 3);

  // The officer sees every offer with its explanation.
  const json::value view = must_http(server, 200, "GET", "/api/v1/packages/" + std::to_string(package), officer);
  INFO(json::serialize(view));
  CHECK(view.at("status").as_string() == "placed");
  CHECK(view.at("person").at("name").as_string() == "Ada Example");
  const auto& offers = view.at("ranking").at("offers").as_array();
  REQUIRE(offers.size() == 2);
  std::map<std::string, json::object> by_location;
  for (const auto& o : offers) by_location[std::string(o.at("location").as_string())] = o.as_object();
  REQUIRE(by_location.count("A"));
  REQUIRE(by_location.count("B"));
  CHECK(by_location["B"].at("rank").to_number<int>() == 1);
  CHECK(by_location["B"].at("price").to_number<std::int64_t>() == 2900);
  CHECK(by_location["B"].at("notes").as_string() == "two carers, same team");
  CHECK(by_location["A"].at("rank").to_number<int>() == 2);
  CHECK(by_location["A"].at("price").to_number<std::int64_t>() == 3100);
  for (auto& [location, o] : by_location) {
    INFO(location);
    CHECK_FALSE(o.at("explanation").as_string().empty());
    CHECK(o.at("acceptable").as_bool());
  }
  const auto& excluded = view.at("exclusions").as_array();
  bool n_excluded = false;
  for (const auto& x : excluded)
    if (x.at("location").as_string() == "N") n_excluded = x.at("rule").as_string() == "zone";
  CHECK(n_excluded);
}

TEST_CASE("a provider that reconnects resumes after the last frame it saw, without loss, otherwise a snapshot",
          "[gateway]") {
  TestServer server;
  const std::string officer = server.token(Role::officer);
  const std::string token_a = server.token(Role::provider, "P-A"), token_b = server.token(Role::provider, "P-B");
  ProviderClient a(server, token_a, false);
  ProviderClient b(server, token_b, true);
  a.hello();
  b.hello();
  const std::string epoch = b.epoch();
  CHECK(a.epoch() == epoch);

  const std::uint64_t p1 = post_package(server, officer);
  CHECK(a.expect("PackageBroadcast").number("package") == static_cast<std::int64_t>(p1));
  CHECK(b.expect("PackageBroadcast").number("package") == static_cast<std::int64_t>(p1));
  const std::uint64_t seen_a = a.last_seq(), seen_b = b.last_seq();
  REQUIRE(seen_b == 1);

  // Both vanish (A closes politely, B's connection just drops); meanwhile the market moves on.
  a.close();
  b.drop();
  const std::uint64_t p2 = post_package(server, officer);
  const std::uint64_t p3 = post_package(server, officer);
  must_http(server, 200, "POST", "/api/v1/packages/" + std::to_string(p1) + "/cancel", officer,
            R"({"reason": "the person went into hospital"})");

  // They come back with the last seq they saw and the epoch: exactly the missed frames, in order.
  for (auto* p : {&a, &b}) {
    ProviderClient back(server, p == &a ? token_a : token_b, p->binary());
    const Msg welcome = back.hello(p == &a ? seen_a : seen_b, epoch);
    INFO((p == &a ? "A (JSON)" : "B (FlatBuffers)"));
    CHECK(welcome.flag("resumed"));
    CHECK(welcome.text("stream_epoch") == epoch);
    const std::uint64_t from = p == &a ? seen_a : seen_b;
    const Msg m2 = back.expect("PackageBroadcast");
    CHECK(m2.seq == from + 1);
    CHECK(static_cast<std::uint64_t>(m2.number("package")) == p2);
    const Msg m3 = back.expect("PackageBroadcast");
    CHECK(m3.seq == from + 2);
    CHECK(static_cast<std::uint64_t>(m3.number("package")) == p3);
    const Msg m4 = back.expect("PackageUpdate");
    CHECK(m4.seq == from + 3);
    CHECK(static_cast<std::uint64_t>(m4.number("package")) == p1);
    CHECK(m4.text("standing") == "closed");
    back.expect_quiet();  // nothing twice, nothing more
    back.close();
  }

  // A wrong epoch (another server run's numbering) gets a snapshot of what is live instead.
  {
    ProviderClient again(server, token_b, true);
    const Msg welcome = again.hello(seen_b, "not-this-epoch");
    CHECK_FALSE(welcome.flag("resumed"));
    const auto live = packages_in_snapshot(again.snapshot);
    CHECK(std::set<std::uint64_t>(live.begin(), live.end()) == std::set<std::uint64_t>{p2, p3});
    CHECK(again.snapshot.seq == 4);
    again.expect_quiet();
  }
  // So does a position beyond the stream's newest number.
  {
    ProviderClient ahead(server, token_a, false);
    const Msg welcome = ahead.hello(999, epoch);
    CHECK_FALSE(welcome.flag("resumed"));
    CHECK(packages_in_snapshot(ahead.snapshot).size() == 2);
    ahead.expect_quiet();
  }
}

TEST_CASE("authenticated REST reads never write to the journal, however the clock moves", "[gateway][rest]") {
  // Regression (issue 7, defect 6): every read journaled a ClockAdvanced with a synced append.
  TestServer server;
  const std::string officer = server.token(Role::officer);
  const std::uint64_t first = post_package(server, officer);
  // One read first: the sequencer counts a batch after releasing its replies, and before it
  // releases the next batch's, so the count is settled once this answer is back.
  REQUIRE(http_request(server.port(), "GET", "/api/v1/dps", officer).status == 200);
  const std::uint64_t durable = server.durable_seq();
  const auto appends = server.app().sequencer().stats().batches;
  for (int i = 0; i < 300; ++i) {
    server.clock().advance(1000);  // well inside the package's one-hour window
    const std::string target = i % 2 == 0 ? "/api/v1/dps" : "/api/v1/packages/" + std::to_string(first);
    const HttpResult r = http_request(server.port(), "GET", target, officer);
    INFO(target << " → " << r.status << " " << r.error);
    REQUIRE(r.status == 200);
  }
  CHECK(server.durable_seq() == durable);
  CHECK(server.app().sequencer().stats().batches == appends);

  // A command after the reads happens at the current time.
  const carebroker::engine::UtcMillis now = server.clock().now();
  const std::uint64_t second = post_package(server, officer);
  CHECK(server.durable_seq() > durable);
  auto market_now = std::make_shared<std::promise<std::pair<carebroker::engine::UtcMillis, carebroker::engine::UtcMillis>>>();
  REQUIRE(server.app().sequencer().submit_read(
      [market_now, second](const carebroker::engine::Market& m) {
        market_now->set_value({m.now(), m.find_package(second)->posted_at});
      },
      {}));
  auto f = market_now->get_future();
  REQUIRE(f.wait_for(kNetTimeout) == std::future_status::ready);
  const auto [market_time, posted_at] = f.get();
  CHECK(market_time == now);
  CHECK(posted_at == now);
}

TEST_CASE("bad input on every WebSocket entry point gets its own code, the server stays up and the journal does not move",
          "[gateway]") {
  TestServer server;
  const std::string officer = server.token(Role::officer);
  ProviderClient a(server, server.token(Role::provider, "P-A"), false);
  ProviderClient b(server, server.token(Role::provider, "P-B"), true);
  ProviderClient n(server, server.token(Role::provider, "P-N"), false);
  a.hello();
  b.hello();
  n.hello();

  // Setup: package `closed` has its window closed (award offered to B); package `open` is open
  // with A's offer "a-1". From here on the clock stands still, so only accepted requests can
  // move the journal.
  const std::uint64_t closed = post_package(server, officer);
  a.expect("PackageBroadcast");
  b.expect("PackageBroadcast");
  b.place({"b-1", "B", closed, 2900});
  b.expect_ack("b-1", closed);
  server.clock().advance(kHour + 1000);
  b.expect("PackageUpdate");
  b.expect("AwardOffered");
  a.expect("PackageUpdate");
  const std::uint64_t open = post_package(server, officer);
  a.expect("PackageBroadcast");
  b.expect("PackageBroadcast");
  a.place({"a-1", "A", open, 3000});
  a.expect_ack("a-1", open);

  const std::uint64_t journal = server.durable_seq();

  SECTION("JSON text frames") {
    const std::string good_tail = R"(,"start_date":"2026-11-25","must_meet_confirmed":true)";
    const auto place = [&](const std::string& fields) {
      return R"({"message_type":"PlaceOffer","message":{)" + fields + "}}";
    };
    const auto amend = [&](const std::string& fields) {
      return R"({"message_type":"AmendOffer","message":{)" + fields + "}}";
    };
    const std::string pkg = std::to_string(open);
    struct Case {
      const char* what;
      std::string frame;
      const char* code;
      const char* request_id;
    };
    const std::vector<Case> cases = {
        {"not JSON", "hello server", "malformed_frame", ""},
        {"truncated JSON", R"({"message_type":"PlaceOffer","message":{"request_id":"x")", "malformed_frame", ""},
        {"a JSON array", "[1, 2, 3]", "malformed_frame", ""},
        {"an empty object", "{}", "malformed_frame", ""},
        {"no message", R"({"message_type":"PlaceOffer"})", "malformed_frame", ""},
        {"an unknown message type", R"({"message_type":"Bid","message":{"price":1}})", "malformed_frame", ""},
        {"an unknown field", place(R"("request_id":"j1","location":"A","package":)" + pkg +
                                   R"(,"price":3000,"start_date":"2026-11-25","colour":"blue")"),
         "malformed_frame", ""},
        {"package as a string", place(R"("request_id":"j2","location":"A","package":"seven","price":3000)" + good_tail),
         "malformed_frame", ""},
        {"location as a number", place(R"("request_id":"j3","location":7,"package":)" + pkg + R"(,"price":3000)" + good_tail),
         "malformed_frame", ""},
        {"a negative package", place(R"("request_id":"j4","location":"A","package":-1,"price":3000)" + good_tail),
         "malformed_frame", ""},
        {"no request id", place(R"("location":"A","package":)" + pkg + R"(,"price":3000,"start_date":"2026-11-25")"),
         "request_id_missing", ""},
        {"no start date", place(R"("request_id":"j5","location":"A","package":)" + pkg + R"(,"price":3000)"),
         "invalid_date", "j5"},
        {"a start date that is no date", place(R"("request_id":"j6","location":"A","package":)" + pkg +
                                               R"(,"price":3000,"start_date":"2026-02-30")"),
         "invalid_date", "j6"},
        {"price zero", place(R"("request_id":"j7","location":"A","package":)" + pkg + R"(,"price":0)" + good_tail),
         "price_not_positive", "j7"},
        {"a negative price", place(R"("request_id":"j8","location":"A","package":)" + pkg + R"(,"price":-2850)" + good_tail),
         "price_not_positive", "j8"},
        {"a fractional price", place(R"("request_id":"j9","location":"A","package":)" + pkg + R"(,"price":28.5)" + good_tail),
         "price_not_whole_pence", "j9"},
        {"a price in exponent form", place(R"("request_id":"j10","location":"A","package":)" + pkg + R"(,"price":2.85e3)" + good_tail),
         "price_not_whole_pence", "j10"},
        {"a price as a string", place(R"("request_id":"j11","location":"A","package":)" + pkg + R"(,"price":"2850")" + good_tail),
         "price_not_whole_pence", "j11"},
        {"a price beyond 64 bits", place(R"("request_id":"j12","location":"A","package":)" + pkg +
                                         R"(,"price":99999999999999999999)" + good_tail),
         "price_outside_rate_band", "j12"},
        {"a price as a signed string (issue 7)", place(R"("request_id":"j23","location":"A","package":)" + pkg + R"(,"price":"+3333")" + good_tail),
         "price_not_whole_pence", "j23"},
        {"a price in hex in a string (issue 7)", place(R"("request_id":"j24","location":"A","package":)" + pkg + R"(,"price":"0xB22")" + good_tail),
         "price_not_whole_pence", "j24"},
        {"a price under an escaped key (issue 7)", place(R"("request_id":"j25","location":"A","package":)" + pkg + R"(,"pri\u0063e":" 3001")" + good_tail),
         "price_not_whole_pence", "j25"},
        {"a price given twice (issue 7)", place(R"("request_id":"j26","location":"A","package":)" + pkg + R"(,"price":3000,"price":"3001")" + good_tail),
         "malformed_frame", ""},
        {"a bool as a string (issue 7)", place(R"("request_id":"j27","location":"A","package":)" + pkg +
                                               R"(,"price":3000,"start_date":"2026-11-25","must_meet_confirmed":"true")"),
         "malformed_frame", ""},
        {"a huge price (amending)", amend(R"("request_id":"j13","location":"A","package":)" + pkg + R"(,"price":1000000000000)" + good_tail),
         "price_outside_rate_band", "j13"},
        {"a price below the rate band (amending)", amend(R"("request_id":"j14","location":"A","package":)" + pkg + R"(,"price":100)" + good_tail),
         "price_outside_rate_band", "j14"},
        {"another provider's location", place(R"("request_id":"j15","location":"B","package":)" + pkg + R"(,"price":3000)" + good_tail),
         "location_not_of_provider", "j15"},
        {"an unknown location", place(R"("request_id":"j16","location":"ZZ","package":)" + pkg + R"(,"price":3000)" + good_tail),
         "unknown_location", "j16"},
        {"an unknown package", place(R"("request_id":"j17","location":"A","package":999,"price":3000)" + good_tail),
         "unknown_package", "j17"},
        {"an offer after close", place(R"("request_id":"j18","location":"A","package":)" + std::to_string(closed) +
                                       R"(,"price":3000)" + good_tail),
         "offer_after_close", "j18"},
        {"a second offer (amend instead)", place(R"("request_id":"j19","location":"A","package":)" + pkg + R"(,"price":2990)" + good_tail),
         "offer_exists", "j19"},
        {"a request id reused for another payload", place(R"("request_id":"a-1","location":"A","package":)" + pkg +
                                                          R"(,"price":3050)" + good_tail),
         "request_id_reused", "a-1"},
        {"an amendment after close", R"({"message_type":"AmendOffer","message":{"request_id":"j20","location":"A","package":)" +
                                        std::to_string(closed) + R"(,"price":3000,"start_date":"2026-11-25"}})",
         "offer_after_close", "j20"},
        {"accepting an award that is not yours", R"({"message_type":"AcceptAward","message":{"request_id":"j21","location":"A","package":)" +
                                                     std::to_string(closed) + "}}",
         "award_not_for_location", "j21"},
        {"a second Hello", client_json("Hello", {{"token", "whatever"}}), "already_authenticated", ""},
    };
    for (const auto& c : cases) {
      INFO(c.what << ": " << c.frame);
      a.send_raw(c.frame, false);
      a.expect_error(c.code, c.request_id);
    }
    // A binary frame on the JSON connection is read as a FlatBuffer: JSON bytes are not one.
    a.send_raw(offer_frame({"j22", "A", open, 3000}).json, true);
    a.expect_error("malformed_frame");
    // The same request and payload again is the original answer, replayed (no new event).
    a.place({"a-1", "A", open, 3000});
    a.expect_ack("a-1", open, true);
    // The provider that was never invited cannot bid.
    n.place({"n-1", "N", open, 3000});
    n.expect_error("not_broadcast_to_location", "n-1");
  }

  SECTION("FlatBuffers binary frames") {
    const Both valid = offer_frame({"f-1", "B", open, 2900});
    struct Case {
      const char* what;
      std::string frame;
      const char* code;
      const char* request_id;
    };
    std::string bad_identifier = valid.binary;
    std::memcpy(bad_identifier.data() + 4, "XXXX", 4);
    std::string bad_root = valid.binary;
    bad_root[0] = '\x7f';  // the root offset points outside the buffer
    bad_root[1] = '\x7f';
    std::string bad_vtable = valid.binary;
    for (std::size_t i = 8; i + 4 < bad_vtable.size() && i < 40; ++i) bad_vtable[i] = '\xff';
    const std::vector<Case> cases = {
        {"four bytes", std::string("CBW1"), "malformed_frame", ""},
        {"truncated to half", valid.binary.substr(0, valid.binary.size() / 2), "malformed_frame", ""},
        {"truncated by one byte", valid.binary.substr(0, valid.binary.size() - 1), "malformed_frame", ""},
        {"another file identifier", bad_identifier, "malformed_frame", ""},
        {"a root offset out of bounds", bad_root, "malformed_frame", ""},
        {"garbage tables", bad_vtable, "malformed_frame", ""},
        {"JSON in a binary frame", valid.json, "malformed_frame", ""},
        {"no message", client_fb(w::ClientMessage::NONE, [](auto& fbb) { return w::CreatePing(fbb, 1); }),
         "malformed_frame", ""},
        {"no request id", client_fb(w::ClientMessage::PlaceOffer, [&](auto& fbb) {
           return w::CreatePlaceOfferDirect(fbb, nullptr, "B", open, 2900, "2026-11-25", true, "");
         }),
         "request_id_missing", ""},
        {"price zero", offer_frame({"f-2", "B", open, 0}).binary, "price_not_positive", "f-2"},
        {"a negative price", offer_frame({"f-3", "B", open, -1}).binary, "price_not_positive", "f-3"},
        {"the largest price", offer_frame({"f-4", "B", open, std::numeric_limits<std::int64_t>::max()}).binary,
         "price_outside_rate_band", "f-4"},
        {"another provider's location", offer_frame({"f-5", "A", open, 2900}).binary, "location_not_of_provider", "f-5"},
        {"an unknown package", offer_frame({"f-6", "B", 424242, 2900}).binary, "unknown_package", "f-6"},
        {"an offer after close", offer_frame({"f-7", "B", closed, 2900}).binary, "offer_after_close", "f-7"},
        {"a bad date", offer_frame({"f-8", "B", open, 2900, "25/11/2026"}).binary, "invalid_date", "f-8"},
        {"a request id reused for another payload", offer_frame({"b-1", "B", open, 2900}).binary, "request_id_reused", "b-1"},
    };
    for (const auto& c : cases) {
      INFO(c.what);
      b.send_raw(c.frame, true);
      b.expect_error(c.code, c.request_id);
    }
    // A text frame on the binary connection is JSON: a FlatBuffer is not.
    b.send_raw(valid.binary, false);
    b.expect_error("malformed_frame");
  }

  SECTION("no Hello, a bad token") {
    for (bool binary : {false, true}) {  // A command before the Hello is refused; a Hello may follow.
      INFO((binary ? "FlatBuffers" : "JSON"));
      ProviderClient early(server, server.token(Role::provider, "P-A"), binary);
      early.connect();
      early.place({"e-1", "A", open, 3000});
      early.expect_error("unauthenticated");
      early.send(ping_frame(5));
      early.expect_error("unauthenticated");
      early.send(hello_frame(server.token(Role::provider, "P-A"), 0, ""));
      CHECK(early.expect("Welcome").text("provider") == "P-A");
    }
    for (bool binary : {false, true}) {  // Pipelined: commands, then the Hello, sent without waiting.
      INFO("pipelined, " << (binary ? "FlatBuffers" : "JSON"));
      ProviderClient eager(server, server.token(Role::provider, "P-A"), binary);
      eager.connect();
      constexpr int kEarly = 20;
      for (int i = 0; i < kEarly; ++i) eager.place({"p-" + std::to_string(i), "A", open, 3000});
      eager.send(hello_frame(server.token(Role::provider, "P-A"), 0, ""));
      for (int i = 0; i < kEarly; ++i) eager.expect_error("unauthenticated");
      CHECK(eager.expect("Welcome").text("provider") == "P-A");
      eager.expect("Snapshot");
      eager.expect_quiet();
    }
    for (const auto& [what, token] : std::vector<std::pair<std::string, std::string>>{
             {"an unknown token", std::string(64, 'a')},
             {"an empty token", ""}}) {  // staff tokens open staff connections (gateway_portal_test.cpp)
      INFO(what);
      for (bool binary : {false, true}) {
        ProviderClient intruder(server, token, binary);
        intruder.connect();
        intruder.send(hello_frame(token, 0, ""));
        intruder.expect_error("unauthenticated");
        const WsFrame end = intruder.expect_closed();
        CHECK(end.kind == WsFrame::Kind::closed);
        CHECK(end.close_code == 1008);  // policy violation
      }
    }
    {  // Pipelined before any Hello, alternating encodings: every reply is a whole frame in the
       // encoding of the frame it answers (the connection has none yet), whatever the timing.
      ProviderClient mixed(server, server.token(Role::provider, "P-A"), false);
      mixed.connect();
      constexpr int kFrames = 600;
      const Both bad = offer_frame({"m-1", "A", open, 3000});
      for (int i = 0; i < kFrames; ++i) mixed.send_raw(i % 2 ? bad.binary : bad.json, i % 2 == 1);
      int bad_replies = 0;
      std::string first_bad;
      for (int i = 0; i < kFrames; ++i) {
        const WsFrame f = mixed.ws().read();
        INFO("reply " << i << ": " << f.describe());
        REQUIRE(f.is_message());
        if ((f.kind == WsFrame::Kind::binary) != (i % 2 == 1) || !well_formed(f)) {
          if (bad_replies++ == 0) first_bad = "reply " + std::to_string(i) + ": " + f.describe();
          continue;
        }
        const Msg m = decode(f, f.kind == WsFrame::Kind::binary);
        CHECK(m.type == "Error");
        CHECK(m.text("code") == "unauthenticated");
      }
      INFO(bad_replies << " of " << kFrames << " replies were not whole frames in their request's encoding; the first: "
                       << first_bad);
      CHECK(bad_replies == 0);
    }
  }

  SECTION("an oversized frame") {
    const std::size_t limit = carebroker::gateway::ServerLimits{}.max_frame_bytes;
    for (bool binary : {false, true}) {
      ProviderClient big(server, server.token(Role::provider, "P-A"), binary);
      big.hello();
      OfferArgs o{"big-1", "A", open, 3000};
      o.notes = std::string(limit + 100, 'x');
      const Both frame = offer_frame(o);
      big.send_raw(binary ? frame.binary : frame.json, binary);
      // Either refused with frame_too_large, or the connection closed with 1009 (message too big).
      const WsFrame f = big.ws().read();
      INFO(f.describe());
      if (f.is_message()) {
        const Msg m = decode(f, binary);
        CHECK(m.type == "Error");
        CHECK(m.text("code") == "frame_too_large");
      } else {
        REQUIRE(f.kind == WsFrame::Kind::closed);
        CHECK(f.close_code == 1009);
      }
    }
    // Under the limit, notes that are too long are refused by the market's rule instead.
    ProviderClient fits(server, server.token(Role::provider, "P-A"), false);
    fits.hello();
    OfferArgs o{"big-2", "A", open, 3000};
    o.notes = std::string(2001, 'x');
    fits.send(offer_frame(o, true));
    fits.expect_error("notes_too_long", "big-2");
  }

  SECTION("REST through the real HTTP server") {
    const HttpResult too_big =
        http_request(server.port(), "POST", "/api/v1/packages", officer,
                     package_json(R"(, "padding": ")" + std::string(carebroker::gateway::ServerLimits{}.max_body_bytes, 'x') + "\""));
    CHECK(too_big.status == 413);
    CHECK(rest_error_code(too_big) == "body_too_large");
    const HttpResult anonymous = http_request(server.port(), "POST", "/api/v1/packages", "", package_json());
    CHECK(anonymous.status == 401);
    CHECK(rest_error_code(anonymous) == "unauthenticated");
    const HttpResult unknown = http_request(server.port(), "POST", "/api/v1/packages", std::string(64, 'f'), package_json());
    CHECK(unknown.status == 401);
    CHECK(rest_error_code(unknown) == "unauthenticated");
    const HttpResult provider = http_request(server.port(), "POST", "/api/v1/packages",
                                             server.token(Role::provider, "P-A"), package_json());
    CHECK(provider.status == 403);
    CHECK(rest_error_code(provider) == "forbidden");
    const HttpResult not_admin = http_request(server.port(), "POST", "/api/v1/categories", officer,
                                              R"({"code": "x", "name": "x"})");
    CHECK(not_admin.status == 403);
    CHECK(rest_error_code(not_admin) == "forbidden");
    const HttpResult broken = http_request(server.port(), "POST", "/api/v1/packages", officer, "{\"dps\": ");
    CHECK(broken.status == 400);
    CHECK(rest_error_code(broken) == "malformed_json");
    const HttpResult health = http_request(server.port(), "GET", "/healthz");
    CHECK(health.status == 200);
  }

  // Nothing refused was journaled, and the server still serves: both connections answer, and a
  // valid request is accepted (and only that moves the journal).
  CHECK(server.durable_seq() == journal);
  a.expect_quiet();
  b.expect_quiet();
  b.place({"b-ok", "B", open, 2950});
  b.expect_ack("b-ok", open);
  CHECK(server.durable_seq() > journal);
}

TEST_CASE("server limits: a frame over the codec's limit is refused, a connection that never says Hello is closed",
          "[gateway]") {
  TestServerOptions options;
  options.limits.max_frame_bytes = 64 << 10;  // the socket lets the frame through; the codec refuses it
  options.limits.handshake_timeout = std::chrono::seconds(1);
  TestServer server(options);
  const std::uint64_t journal = server.durable_seq();

  for (bool binary : {false, true}) {
    ProviderClient a(server, server.token(Role::provider, "P-A"), binary);
    a.hello();
    OfferArgs o{"big-1", "A", 1, 3000};
    o.notes = std::string(carebroker::gateway::protocol::kMaxClientFrame + 1, 'x');
    a.place(o);
    a.expect_error("frame_too_large");
    a.expect_quiet();
  }

  ProviderClient silent(server, server.token(Role::provider, "P-A"), false);
  silent.connect();
  const WsFrame end = silent.expect_closed(1);  // nothing is sent before the close
  CHECK(end.kind == WsFrame::Kind::closed);
  CHECK(end.close_code == 1008);
  CHECK(server.durable_seq() == journal);
}

TEST_CASE("a provider that stops reading is cut off, one that reads gets every message", "[gateway]") {
  TestServerOptions options;
  options.limits.outbound_queue_bytes = 64 << 10;
  TestServer server(options);
  const std::string officer = server.token(Role::officer);
  auto& metrics = server.app().metrics();

  ProviderClient slow(server, server.token(Role::provider, "P-A"), false);
  ProviderClient reader(server, server.token(Role::provider, "P-B"), true);
  // The slow client says Hello and never reads again (and keeps a small kernel buffer).
  slow.connect(WsOptions{16 << 10});
  slow.send(hello_frame(server.token(Role::provider, "P-A"), 0, ""));
  reader.hello();

  // Big broadcasts until the slow client's queue overflows; the reader reads each one as it comes.
  const std::string body = big_package_json();

  const std::uint64_t closed_before = metrics.slow_consumers_closed.load();
  std::vector<std::uint64_t> posted;
  constexpr int kMaxPackages = 1500;  // ~45 MB: far beyond any kernel buffer
  while (metrics.slow_consumers_closed.load() == closed_before && posted.size() < kMaxPackages) {
    posted.push_back(post_package(server, officer, body));
    const Msg m = reader.expect("PackageBroadcast");
    REQUIRE(static_cast<std::uint64_t>(m.number("package")) == posted.back());
  }
  INFO(posted.size() << " packages posted");
  REQUIRE(metrics.slow_consumers_closed.load() == closed_before + 1);

  // The reader is unaffected: more messages keep coming, every one in order (ProviderClient checks
  // that each seq is the last + 1).
  for (int i = 0; i < 3; ++i) {
    posted.push_back(post_package(server, officer, body));
    const Msg m = reader.expect("PackageBroadcast");
    CHECK(static_cast<std::uint64_t>(m.number("package")) == posted.back());
  }
  reader.expect_quiet();
  CHECK(reader.last_seq() == posted.size());
  std::size_t broadcasts = 0;
  for (const Msg& m : reader.seen) broadcasts += m.type == "PackageBroadcast" ? 1 : 0;
  CHECK(broadcasts == posted.size());

  // The slow client's connection is closed: what its kernel buffers held, then the end.
  int frames = 0;
  WsFrame end;
  for (;;) {
    end = slow.ws().read();
    if (!end.is_message()) break;
    ++frames;
    REQUIRE(frames <= static_cast<int>(posted.size()) + 2);
  }
  INFO(frames << " frames were still in the kernel's buffers; then " << end.describe());
  CHECK(end.kind != WsFrame::Kind::timeout);
  CHECK(frames < static_cast<int>(posted.size()) + 2);  // Welcome + Snapshot + every broadcast never all arrived
  CHECK(metrics.slow_consumers_closed.load() == closed_before + 1);
}

TEST_CASE("replies that arrive while a write is stuck behind a slow reader join into one frame and each is answered once in order",
          "[gateway]") {
  TestServer server;  // the default outbound limit: the slow client is behind, not cut off
  const std::string officer = server.token(Role::officer), token = server.token(Role::provider, "P-A");
  auto& metrics = server.app().metrics();
  ProviderClient slow(server, token, true);
  slow.connect(WsOptions{16 << 10});  // a small kernel buffer, and no reading for now
  slow.send(hello_frame(token, 0, ""));
  // Big broadcasts fill the kernel's buffers, so a write to the client stays in flight.
  const std::string body = big_package_json();
  std::vector<std::uint64_t> packages;
  for (int i = 0; i < 120; ++i) packages.push_back(post_package(server, officer, body));
  // Offers sent one at a time, each waiting until it is durable: its reply arrives behind the
  // stuck write, and joins the replies already waiting there.
  const std::uint64_t joined_before = metrics.ws_reply_batches_joined.load();
  constexpr int kOffers = 40;
  for (int i = 0; i < kOffers; ++i) {
    const std::uint64_t durable = server.durable_seq();
    OfferArgs o;
    o.request_id = "join-" + std::to_string(i);
    o.location = "A";
    o.package = packages[static_cast<std::size_t>(i)];
    o.price = i == 7 ? 1 : 2900;  // one is refused: errors join too
    slow.place(o);
    for (int t = 0; t < 500 && server.durable_seq() == durable && i != 7; ++t)
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  for (int t = 0; t < 500 && metrics.ws_reply_batches_joined.load() == joined_before; ++t)
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  CHECK(metrics.ws_reply_batches_joined.load() > joined_before);

  // Now it reads: every command is answered exactly once, in the order it was sent.
  std::vector<std::string> answered;
  int reply_frames = 0;
  while (answered.size() < static_cast<std::size_t>(kOffers)) {
    const Msg m = slow.next();
    if (m.type == "Ack" || m.type == "Error") {
      ++reply_frames;
      answered.push_back(m.text("request_id") + (m.type == "Error" ? ":" + m.text("code") : ""));
    } else if (m.type == "Replies") {
      ++reply_frames;
      // Acks and errors are listed apart: put them back in the order they were sent.
      std::vector<std::pair<int, std::string>> in_frame;
      for (const auto& a : m.m.at("acks").as_array()) {
        const std::string id(a.at("request_id").as_string());
        in_frame.emplace_back(std::stoi(id.substr(5)), id);
      }
      for (const auto& e : m.m.at("errors").as_array()) {
        const std::string id(e.at("request_id").as_string());
        in_frame.emplace_back(std::stoi(id.substr(5)), id + ":" + std::string(e.at("code").as_string()));
      }
      std::sort(in_frame.begin(), in_frame.end());
      for (auto& [n, text] : in_frame) answered.push_back(std::move(text));
    }
  }
  INFO(reply_frames << " reply frames for " << kOffers << " commands");
  CHECK(reply_frames < kOffers);
  for (int i = 0; i < kOffers; ++i)
    CHECK(answered[static_cast<std::size_t>(i)] ==
          "join-" + std::to_string(i) + (i == 7 ? ":price_outside_rate_band" : ""));
  CHECK(metrics.slow_consumers_closed.load() == 0);
}

TEST_CASE("a connection that sends more frames than its rate allows has the extra frames dropped with rate_limited",
          "[gateway]") {
  TestServerOptions options;
  options.limits.ws_burst = 3;                    // the Hello and two frames more
  options.limits.ws_messages_per_second = 0.001;  // one frame more every 1,000 seconds
  TestServer server(options);
  const std::uint64_t journal = server.durable_seq();
  ProviderClient a(server, server.token(Role::provider, "P-A"), false);
  a.hello();
  a.place({"r-1", "A", 424242, 2900});
  a.expect_error("unknown_package", "r-1");
  a.place({"r-2", "A", 424242, 2900});
  a.expect_error("unknown_package", "r-2");
  a.place({"r-3", "A", 424242, 2900});  // dropped before it is read: no request id
  a.expect_error("rate_limited");
  CHECK(server.durable_seq() == journal);
}

TEST_CASE("a Hello while the market's queue is full is answered busy and the connection stays open for a retry",
          "[gateway]") {
  BareServer server;
  const std::string token = server.token(Role::provider, "P-A");
  server.service.overloaded = true;
  WsClient ws;
  std::string error;
  REQUIRE(ws.connect(server.port(), error));
  REQUIRE(ws.send_text(hello_frame(token, 0, "").json));
  const Msg refused = decode(ws.read(), false);
  CHECK(refused.type == "Error");
  CHECK(refused.text("code") == "busy");
  CHECK(refused.text("detail") == "the market is busy: retry the Hello shortly");
  REQUIRE(ws.send_text(hello_frame(token, 0, "").json));  // still full: the retry is answered the same way
  CHECK(decode(ws.read(), false).text("code") == "busy");
  CHECK(ws.is_open());
}

TEST_CASE("a burst of postings beyond the keys made ahead: each package posted with a key of its own, and a clean stop "
          "leaves only theirs",
          "[gateway][person]") {
  TestServer server;
  const std::string officer = server.token(Role::officer);
  // 48 postings at once from four officers' clients; the reserve keeps 16 keys made ahead, so
  // most wait for a key on the reserve's thread.
  constexpr int kPosters = 4, kEach = 12;
  std::vector<std::vector<HttpResult>> results(kPosters);
  std::vector<std::thread> posters;
  for (int p = 0; p < kPosters; ++p)
    posters.emplace_back([&, p] {
      for (int i = 0; i < kEach; ++i)
        results[static_cast<std::size_t>(p)].push_back(
            http_request(server.port(), "POST", "/api/v1/packages", officer, package_json()));
    });
  for (auto& t : posters) t.join();
  std::set<std::uint64_t> packages;
  for (const auto& mine : results)
    for (const HttpResult& r : mine) {
      INFO(r.status << " " << r.body << r.error);
      REQUIRE(r.status == 201);
      packages.insert(parse_json(r.body).at("package").to_number<std::uint64_t>());
    }
  REQUIRE(packages.size() == kPosters * kEach);
  // Every person opens with its key.
  for (const std::uint64_t id : packages) {
    const json::value view = must_http(server, 200, "GET", "/api/v1/packages/" + std::to_string(id), officer);
    CHECK(view.at("person").at("status") == "available");
  }
  // The keys made ahead and never handed out are destroyed at a clean stop: one key per package.
  server.app().stop();
  std::size_t keys = 0;
  for (const auto& entry : std::filesystem::directory_iterator(std::filesystem::path(server.data_dir()) / "person-keys"))
    keys += entry.path().extension() == ".key";
  CHECK(keys == packages.size());
}
