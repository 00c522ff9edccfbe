// A broadcast is encoded once and each recipient receives it addressed to its own location, as a
// MessageRef (gateway/protocol/message_ref.h): the frames are byte for byte those of the
// broadcast encoded for that location, and no recipient costs a heap object of its own.
#include <catch2/catch.hpp>

#include <flatbuffers/flatbuffers.h>

#include <boost/json.hpp>

#include <fstream>
#include <sstream>

#include "engine/market/calendar.h"
#include "gateway/protocol/message_ref.h"
#include "gateway/protocol/projector.h"
#include "gateway/protocol/provider_streams.h"
#include "market_fixture.h"
#include "project_commands.h"
#include "schemas/wire_generated.h"

namespace {

using namespace carebroker::gateway::protocol;
using carebroker::testing::LocationSpec;
using carebroker::testing::MarketFixture;
namespace engine = carebroker::engine;
namespace w = carebroker::wire;

std::string from_hex(std::string_view hex) {
  std::string out;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2)
    out.push_back(static_cast<char>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16)));
  return out;
}

/// The view the fixture tests/fixtures/addressed_broadcast_frames.txt was encoded from.
engine::BroadcastView fixture_view() {
  engine::BroadcastView v;
  v.package = 4242;
  v.dps = "home-care";
  v.lot = "home-care";
  v.categories = {"older_people", "dementia"};
  v.zone = "south";
  v.postcode_district = "B13";
  v.quantity = 840;
  v.visits = {4, 30, 7};
  v.start_date = *engine::parse_date("2026-12-07");
  v.latest_start = *engine::parse_date("2026-12-14");
  v.needs = {"personal care", "medication prompts"};
  v.outcomes = {"remain independent at home"};
  v.must_meet = {"female carers"};
  v.urgency = engine::Urgency::urgent;
  v.price_ceiling = 2650;
  v.tier = "Tier 1";
  v.closes_at = 1796000000000;
  return v;
}

/// The broadcast as `location` receives it, verified; its bytes live in `body`.
const w::PackageBroadcast* verified_broadcast(const MessageRef& m, std::string& body) {
  body = m.body(true);
  flatbuffers::Verifier verifier(reinterpret_cast<const std::uint8_t*>(body.data()), body.size());
  REQUIRE(verifier.VerifyBuffer<w::ServerFrame>("CBW1"));
  return flatbuffers::GetRoot<w::ServerFrame>(body.data())->message_as_PackageBroadcast();
}

}  // namespace

TEST_CASE("an addressed broadcast frames exactly the bytes it always did, binary and JSON", "[wire]") {
  std::ifstream in(std::string(CAREBROKER_FIXTURES_DIR) + "/addressed_broadcast_frames.txt");
  REQUIRE(in);
  const Outbound base = make_shared_broadcast(fixture_view());
  int locations = 0;
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream fields(line);
    std::string location, binary, json;
    REQUIRE(fields >> location >> binary >> json);
    location = from_hex(location);
    INFO(location);
    const MessageRef m = MessageRef::addressed(base, location);
    CHECK(m.frame(5, true) == from_hex(binary));
    CHECK(m.frame(5, false) == from_hex(json));
    CHECK(m.frame_size(5, true) == from_hex(binary).size());
    CHECK(m.frame_size(5, false) == from_hex(json).size());
    ++locations;
  }
  CHECK(locations == 6);  // lengths of every remainder the padding depends on, quotes, a bad byte
}

TEST_CASE("a broadcast to thousands of locations is encoded once, each frame names its own location only", "[wire]") {
  engine::BroadcastView v;
  v.package = 77;
  v.dps = "home-care";
  v.lot = "hc";
  v.zone = "south";
  v.needs = {"personal care", std::string(300, 'n')};
  const Outbound base = make_shared_broadcast(v);
  const auto location_of = [](std::size_t i) {
    return i == 7 ? std::string("odd \"quoted\\\" id") : "1-" + std::to_string(100000000 + i * 7919);
  };
  std::vector<MessageRef> addressed;
  for (std::size_t i = 0; i < 3000; ++i) addressed.push_back(MessageRef::addressed(base, location_of(i)));
  const char* shared_bytes = addressed.front().parts(true)[0].data();
  for (std::size_t i = 0; i < addressed.size(); i += 97) {
    const MessageRef& m = addressed[i];
    const std::string expected = location_of(i);
    INFO(expected);
    CHECK(m.shared() == base);
    CHECK(m.parts(true)[0].data() == shared_bytes);  // the body is shared, not copied
    CHECK(m.parts(true)[1].size() < 64);             // the location's own bytes
    CHECK(m.type_name() == "PackageBroadcast");
    // Binary: a whole, verifiable FlatBuffer naming this location, a multiple of 8 bytes.
    std::string binary;
    const auto* b = verified_broadcast(m, binary);
    REQUIRE(b);
    CHECK(binary.size() % 8 == 0);
    CHECK(b->location()->str() == expected);
    CHECK(b->package() == 77);
    CHECK(b->needs()->size() == 2);
    // JSON: the same, with the location escaped.
    const std::string json_text = m.body(false);
    const auto parsed = boost::json::parse(json_text);
    CHECK(parsed.at("message").at("location").as_string() == expected);
    CHECK(json_text.find("recipient-location") == std::string::npos);
    CHECK(m.frame_size(5, true) == 8 + binary.size());
  }
}

TEST_CASE("publishing a broadcast to N locations makes no message per recipient", "[wire]") {
  constexpr int kLocations = 40;
  MarketFixture f;
  for (int i = 0; i < kLocations; ++i) f.admit(LocationSpec{"L-" + std::to_string(i)});
  const auto notifications = carebroker::testing::project_commands(f, [&] { f.post(); });
  REQUIRE(notifications);

  // Every provider's notification refers to the one shared base; none holds a message of its own.
  SharedMessage base;
  ProviderStreams streams;
  int recipients = 0;
  for (const Notification& n : *notifications) {
    if (n.provider == kStaffStream) continue;
    REQUIRE(n.message.type_name() == "PackageBroadcast");
    if (!base) base = n.message.shared();
    CHECK(n.message.shared() == base);
    streams.publish(n.provider, n.message);
    ++recipients;
  }
  REQUIRE(recipients == kLocations);
  REQUIRE(base->is_shared_broadcast());
  // Held by each notification, each history entry and this test: nothing else exists.
  CHECK(base->use_count() == 2 * kLocations + 1);
  for (int i = 0; i < kLocations; ++i) {
    std::vector<ProviderStreams::Entry> history;
    REQUIRE(streams.replay_after("P-L-" + std::to_string(i), 0, history));
    REQUIRE(history.size() == 1);
    CHECK(history[0].message.shared() == base);
    std::string bytes;
    CHECK(verified_broadcast(history[0].message, bytes)->location()->str() == "L-" + std::to_string(i));
  }
  CHECK(base->use_count() == 2 * kLocations + 1);
}
