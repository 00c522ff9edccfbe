// The provider WebSocket protocol: client frames in both encodings, every refusal with its code,
// who hears what from a mini-competition (sealed bids, data minimisation), the numbered streams
// and their resume rules, and the protocol page documenting every message.
#include <catch2/catch.hpp>

#include <flatbuffers/idl.h>

#include <boost/json.hpp>
#include <boost/pfr/ops.hpp>

#include <algorithm>
#include <deque>
#include <fstream>
#include <map>
#include <random>
#include <regex>
#include <set>
#include <sstream>

#include "gateway/protocol/message_ref.h"
#include "gateway/protocol/projector.h"
#include "gateway/protocol/provider_streams.h"
#include "gateway/protocol/wire_codec.h"
#include "market_fixture.h"
#include "project_commands.h"
#include "schemas/wire_generated.h"

namespace {

using namespace carebroker::gateway::protocol;
using carebroker::testing::kMonday;
using carebroker::testing::LocationSpec;
using carebroker::testing::MarketFixture;
namespace engine = carebroker::engine;
namespace w = carebroker::wire;

const std::string kProvider = "P-1";

/// JSON → the same message as a binary frame, through FlatBuffers' own parser (as a vendor's
/// generated client would produce it).
std::string to_binary(const std::string& json) {
  flatbuffers::IDLOptions opts;
  opts.strict_json = true;
  flatbuffers::Parser parser(opts);
  REQUIRE(parser.Parse(std::string(wire_schema_text()).c_str()));
  INFO(json);
  REQUIRE(parser.ParseJson(json.c_str()));
  return {reinterpret_cast<const char*>(parser.builder_.GetBufferPointer()), parser.builder_.GetSize()};
}

ClientRequest decode_json(const std::string& json) { return decode_client_frame(json, false, kProvider); }
ClientRequest decode_binary(const std::string& bytes) { return decode_client_frame(bytes, true, kProvider); }

std::string code_of(const ClientRequest& r) {
  if (const auto* e = std::get_if<ProtocolError>(&r)) return e->code;
  return "accepted";
}

template <typename T>
const T& command(const ClientRequest& r) {
  INFO("refused: " << code_of(r) << (std::holds_alternative<ProtocolError>(r) ? " " + std::get<ProtocolError>(r).detail : ""));
  REQUIRE(std::holds_alternative<engine::Command>(r));
  const auto& c = std::get<engine::Command>(r);
  REQUIRE(std::holds_alternative<T>(c));
  return std::get<T>(c);
}

/// Two decoded requests mean the same (field by field).
bool same_request(const ClientRequest& a, const ClientRequest& b) {
  if (a.index() != b.index()) return false;
  if (const auto* ha = std::get_if<HelloRequest>(&a)) return boost::pfr::eq(*ha, std::get<HelloRequest>(b));
  if (const auto* pa = std::get_if<PingRequest>(&a)) return pa->nonce == std::get<PingRequest>(b).nonce;
  if (const auto* ca = std::get_if<engine::Command>(&a)) {
    const auto& cb = std::get<engine::Command>(b);
    if (ca->index() != cb.index()) return false;
    return std::visit(
        [&](const auto& x) { return boost::pfr::eq(x, std::get<std::decay_t<decltype(x)>>(cb)); }, *ca);
  }
  return boost::pfr::eq(std::get<ProtocolError>(a), std::get<ProtocolError>(b));
}

/// Decodes a frame both ways (JSON as sent, and its binary twin) and checks they agree.
template <typename T>
T both_ways(const std::string& json) {
  const ClientRequest from_json = decode_json(json);
  const ClientRequest from_binary = decode_binary(to_binary(json));
  const T& a = command<T>(from_json);
  const T& b = command<T>(from_binary);
  CHECK(boost::pfr::eq(a, b));
  return a;
}

std::string place_json(const std::string& extra = {}) {
  return R"({"message_type":"PlaceOffer","message":{"request_id":"r1","location":"L-1","package":7,)"
         R"("price":2850,"start_date":"2026-11-25","must_meet_confirmed":true,"notes":"two carers")" +
         extra + "}}";
}

std::string with_price(const std::string& price) {
  return R"({"message_type":"PlaceOffer","message":{"request_id":"r1","location":"L-1","package":7,"price":)" + price +
         R"(,"start_date":"2026-11-25"}})";
}

// ---- server frames ----

/// A message's frame, verified. The bytes it points into live until the tests end: an addressed
/// broadcast's body exists whole only as assembled here (a server writes its parts).
const w::ServerFrame* verified(const MessageRef& m) {
  static std::deque<std::string> bodies;
  const std::string& body = bodies.emplace_back(m.body(true));
  flatbuffers::Verifier verifier(reinterpret_cast<const std::uint8_t*>(body.data()), body.size());
  REQUIRE(verifier.VerifyBuffer<w::ServerFrame>("CBW1"));
  return flatbuffers::GetRoot<w::ServerFrame>(body.data());
}

/// The recipient-facing location of a message (every notification names one), "" for others.
std::string location_in(const MessageRef& m) {
  const w::ServerFrame* f = verified(m);
  switch (f->message_type()) {
    case w::ServerMessage::PackageBroadcast: return f->message_as_PackageBroadcast()->location()->str();
    case w::ServerMessage::PackageUpdate: return f->message_as_PackageUpdate()->location()->str();
    case w::ServerMessage::AwardOffered: return f->message_as_AwardOffered()->location()->str();
    case w::ServerMessage::PersonDetails: return f->message_as_PersonDetails()->location()->str();
    case w::ServerMessage::ExplanationRequested: return f->message_as_ExplanationRequested()->location()->str();
    case w::ServerMessage::AbnormallyLowDecision: return f->message_as_AbnormallyLowDecision()->location()->str();
    default: return "";
  }
}

/// What one provider heard from one batch, in order.
struct WireHeard {
  std::string type;
  std::string location;
  const w::ServerFrame* frame;
  std::string json;
};

struct Projection {
  std::shared_ptr<const Notifications> notifications;
  std::map<std::string, std::vector<WireHeard>> by_provider;
  std::vector<WireHeard> staff;  ///< the staff stream's notices (PackageChanged), apart from providers'

  const std::vector<WireHeard>& of(const std::string& provider) const {
    static const std::vector<WireHeard> none;
    const auto it = by_provider.find(provider);
    return it == by_provider.end() ? none : it->second;
  }
  std::vector<std::string> types(const std::string& provider) const {
    std::vector<std::string> out;
    for (const auto& h : of(provider)) out.push_back(h.type + ":" + h.location);
    return out;
  }
  std::set<std::string> providers() const {
    std::set<std::string> out;
    for (const auto& [p, heard] : by_provider) out.insert(p);
    return out;
  }
};

/// Runs commands on the fixture as one batch and projects its events the way the server does:
/// on a replica that applies them one by one (the replica first catches up with every event
/// before the batch), numbered by the journal sequence of the batch's last event.
template <typename Fn>
Projection batch(MarketFixture& f, Fn&& commands) {
  Projection p;
  p.notifications = carebroker::testing::project_commands(f, commands);
  if (!p.notifications) return p;
  for (const auto& n : *p.notifications) {
    const w::ServerFrame* frame = verified(n.message);
    WireHeard heard{std::string(n.message.type_name()), location_in(n.message), frame, n.message.body(false)};
    if (n.provider == carebroker::gateway::protocol::kStaffStream) {
      REQUIRE(heard.type == "PackageChanged");
      p.staff.push_back(std::move(heard));
    } else {
      REQUIRE(heard.type != "PackageChanged");  // a staff notice never reaches a provider
      p.by_provider[n.provider].push_back(std::move(heard));
    }
  }
  return p;
}

/// Every message addressed to a provider names one of that provider's own locations.
void check_addressing(const MarketFixture& f, const Projection& p) {
  for (const auto& [provider, heard] : p.by_provider)
    for (const auto& h : heard) {
      INFO(provider << " heard " << h.type << " for " << h.location);
      REQUIRE(!h.location.empty());
      CHECK(f.provider_of(h.location) == provider);
    }
}

const w::PackageUpdate* update_in(const WireHeard& h) { return h.frame->message_as_PackageUpdate(); }

// A market with two tier-1 locations in the south, one tier-1 location in the north (never
// eligible for a B13 package), and one tier-2 location in the south.
struct Competition : MarketFixture {
  explicit Competition(engine::DpsConfig config = carebroker::testing::home_care_config())
      : MarketFixture(std::move(config)) {
    use_key_store();  // people sealed as the gateway seals them, so the projector can open them
    admit(LocationSpec{"A"});
    admit(LocationSpec{"B"});
    admit(LocationSpec{"N", "tier1", {"north"}});
    admit(LocationSpec{"D", "tier2"});
  }
};

const engine::PersonDetails kWirePerson{"Ada Example", "1 Test Street", "B13 9ZZ", "CASE-1"};

bool mentions_person(const std::string& json) {
  return json.find("Ada Example") != std::string::npos || json.find("Test Street") != std::string::npos ||
         json.find("B13 9ZZ") != std::string::npos || json.find("CASE-1") != std::string::npos;
}

}  // namespace

// =============================================================================================
// Client frames: both encodings, one meaning.

TEST_CASE("every client message decodes the same from JSON and from FlatBuffers", "[wire]") {
  SECTION("Hello") {
    const std::string json = R"({"message_type":"Hello","message":{"token":"t0k","resume_after":41,"stream_epoch":"e1"}})";
    for (const auto& r : {decode_json(json), decode_binary(to_binary(json))}) {
      REQUIRE(std::holds_alternative<HelloRequest>(r));
      const auto& h = std::get<HelloRequest>(r);
      CHECK(h.token == "t0k");
      CHECK(h.resume_after == 41);
      CHECK(h.stream_epoch == "e1");
    }
  }
  SECTION("PlaceOffer carries the authenticated provider, not one from the frame") {
    const auto c = both_ways<engine::PlaceOffer>(place_json());
    CHECK(c.provider == kProvider);
    CHECK(c.location == "L-1");
    CHECK(c.request_id == "r1");
    CHECK(c.package == 7);
    CHECK(c.price == 2850);
    CHECK(c.start_date == *engine::parse_date("2026-11-25"));
    CHECK(c.must_meet_confirmed);
    CHECK(c.notes == "two carers");
    CHECK(code_of(decode_json(place_json(R"(,"provider":"P-other")"))) == "malformed_frame");
  }
  SECTION("AmendOffer") {
    const auto c = both_ways<engine::AmendOffer>(
        R"({"message_type":"AmendOffer","message":{"request_id":"r2","location":"L-1","package":7,"price":2700,"start_date":"2026-11-26"}})");
    CHECK(c.provider == kProvider);
    CHECK(c.price == 2700);
    CHECK(c.start_date == *engine::parse_date("2026-11-26"));
    CHECK_FALSE(c.must_meet_confirmed);
  }
  SECTION("WithdrawOffer") {
    const auto c = both_ways<engine::WithdrawOffer>(
        R"({"message_type":"WithdrawOffer","message":{"request_id":"r3","location":"L-1","package":7}})");
    CHECK((c.provider == kProvider && c.request_id == "r3" && c.location == "L-1" && c.package == 7));
  }
  SECTION("AcceptAward") {
    const auto c = both_ways<engine::AcceptAward>(
        R"({"message_type":"AcceptAward","message":{"request_id":"r4","location":"L-1","package":9}})");
    CHECK((c.provider == kProvider && c.request_id == "r4" && c.package == 9));
  }
  SECTION("DeclineAward") {
    const auto c = both_ways<engine::DeclineAward>(
        R"({"message_type":"DeclineAward","message":{"request_id":"r5","location":"L-1","package":9,"reason":"no carers free"}})");
    CHECK((c.provider == kProvider && c.reason == "no carers free" && c.package == 9));
  }
  SECTION("HandBack") {
    const auto c = both_ways<engine::HandBackPackage>(
        R"({"message_type":"HandBack","message":{"request_id":"r6","location":"L-1","package":9,"reason":"needs changed"}})");
    CHECK((c.provider == kProvider && c.reason == "needs changed" && c.request_id == "r6"));
  }
  SECTION("AcceptVariation") {
    const auto c = both_ways<engine::AcceptVariation>(
        R"({"message_type":"AcceptVariation","message":{"request_id":"r8","location":"L-1","package":9}})");
    CHECK((c.provider == kProvider && c.request_id == "r8" && c.location == "L-1" && c.package == 9));
    CHECK(code_of(decode_json(R"({"message_type":"AcceptVariation","message":{"location":"L-1","package":9}})")) ==
          "request_id_missing");
  }
  SECTION("Ping") {
    const std::string json = R"({"message_type":"Ping","message":{"nonce":18446744073709551615}})";
    for (const auto& r : {decode_json(json), decode_binary(to_binary(json))}) {
      REQUIRE(std::holds_alternative<PingRequest>(r));
      CHECK(std::get<PingRequest>(r).nonce == 18446744073709551615ULL);
    }
  }
  SECTION("the union type may follow the message, and whitespace is free") {
    const auto c = both_ways<engine::WithdrawOffer>(
        " \n{ \"message\" : {\"request_id\":\"r7\",\"package\":3} ,\n \"message_type\" : \"WithdrawOffer\" }\n");
    CHECK(c.package == 3);
  }
}

TEST_CASE("a binary frame built by generated code decodes, wherever it sits in memory", "[wire]") {
  flatbuffers::FlatBufferBuilder b;
  const auto offer = w::CreatePlaceOfferDirect(b, "r1", "L-1", 7, 2850, "2026-11-25", true, "");
  b.Finish(w::CreateClientFrame(b, w::ClientMessage::PlaceOffer, offer.Union()), w::ClientFrameIdentifier());
  const std::string bytes(reinterpret_cast<const char*>(b.GetBufferPointer()), b.GetSize());
  for (std::size_t shift = 0; shift < 8; ++shift) {
    std::string shifted(shift, 'x');
    shifted += bytes;
    const auto c = command<engine::PlaceOffer>(
        decode_client_frame(std::string_view(shifted).substr(shift), true, kProvider));
    CHECK(c.price == 2850);
  }
}

// =============================================================================================
// Refusals: each with its own code.

TEST_CASE("frames that are not frames of the schema are refused as malformed", "[wire]") {
  CHECK(code_of(decode_binary("")) == "malformed_frame");
  CHECK(code_of(decode_json("")) == "malformed_frame");
  CHECK(code_of(decode_json("   ")) == "malformed_frame");
  CHECK(code_of(decode_binary("CBW1")) == "malformed_frame");
  CHECK(code_of(decode_json("{\"message_type\":\"Ping\"")) == "malformed_frame");         // truncated JSON
  CHECK(code_of(decode_json("{\"message_type\":\"Ping\",}")) == "malformed_frame");       // trailing comma
  CHECK(code_of(decode_json("{message_type:\"Ping\"}")) == "malformed_frame");            // unquoted name
  CHECK(code_of(decode_json("[1,2,3]")) == "malformed_frame");
  CHECK(code_of(decode_json("{}")) == "malformed_frame");                                // no message
  CHECK(code_of(decode_json("{\"message_type\":\"Ping\"}")) == "malformed_frame");       // type, no table
  CHECK(code_of(decode_json("{\"message_type\":\"Shout\",\"message\":{}}")) == "malformed_frame");
  CHECK(code_of(decode_json(place_json(R"(,"colour":"red")"))) == "malformed_frame");    // unknown field
  CHECK(code_of(decode_json(R"({"message_type":"PlaceOffer","message":{"request_id":5}})")) == "malformed_frame");
  CHECK(code_of(decode_json(R"({"message_type":"PlaceOffer","message":{"package":"seven"}})")) == "malformed_frame");
  CHECK(code_of(decode_json(R"({"message_type":"PlaceOffer","message":{"package":-1}})")) == "malformed_frame");
  CHECK(code_of(decode_json(R"({"message_type":"Ping","message":{"nonce":1}} {"x":1})")) == "malformed_frame");
  CHECK(code_of(decode_json(std::string("{\"message_type\":\"Ping\",") + '\0' + "\"message\":{}}")) == "malformed_frame");
}

TEST_CASE("a text frame can never change the schema the server parses with", "[wire]") {
  CHECK(code_of(decode_json("table Evil { x: int; } root_type Evil;")) == "malformed_frame");
  CHECK(code_of(decode_json("{} table Evil { x: int; }")) == "malformed_frame");
  // The thread's parser still knows exactly the wire schema.
  CHECK(command<engine::PlaceOffer>(decode_json(place_json())).price == 2850);
  CHECK(code_of(decode_json(R"({"message_type":"Evil","message":{"x":1}})")) == "malformed_frame");
}

TEST_CASE("a frame over 16 KiB is refused before it is parsed", "[wire]") {
  std::string big = place_json();
  big.insert(big.size() - 2, std::string(kMaxClientFrame - big.size(), ' '));
  REQUIRE(big.size() == kMaxClientFrame);
  CHECK(command<engine::PlaceOffer>(decode_json(big)).price == 2850);  // exactly the limit: fine
  big.insert(big.size() - 2, " ");
  CHECK(code_of(decode_json(big)) == "frame_too_large");
  CHECK(code_of(decode_binary(std::string(kMaxClientFrame + 1, '\0'))) == "frame_too_large");
  CHECK(code_of(decode_binary(std::string(1 << 20, 'x'))) == "frame_too_large");
}

TEST_CASE("random bytes are refused, never trusted", "[wire]") {
  std::mt19937_64 random(20261123);
  std::uniform_int_distribution<int> byte(0, 255);
  std::uniform_int_distribution<std::size_t> length(1, 600);
  for (int i = 0; i < 3000; ++i) {
    std::string bytes(length(random), '\0');
    for (auto& c : bytes) c = static_cast<char>(byte(random));
    INFO("case " << i);
    CHECK(code_of(decode_binary(bytes)) == "malformed_frame");
    CHECK(code_of(decode_json(bytes)) != "accepted");
    // With the right identifier the Verifier, not luck, has to refuse it.
    if (bytes.size() >= 8) {
      bytes.replace(4, 4, "CBW1");
      const auto r = decode_binary(bytes);
      CHECK((code_of(r) == "malformed_frame" || !std::holds_alternative<ProtocolError>(r)));
    }
  }
}

TEST_CASE("a binary frame cut short at any length is refused", "[wire]") {
  const std::vector<std::string> frames = {
      place_json(),
      R"({"message_type":"Hello","message":{"token":"abcdef","resume_after":12,"stream_epoch":"e"}})",
      R"({"message_type":"DeclineAward","message":{"request_id":"r5","location":"L-1","package":9,"reason":"none"}})",
      R"({"message_type":"Ping","message":{"nonce":77}})",
  };
  for (const auto& json : frames) {
    const std::string full = to_binary(json);
    const ClientRequest whole = decode_binary(full);
    REQUIRE(code_of(whole) == "accepted");
    for (std::size_t n = 0; n < full.size(); ++n) {
      INFO(json << " cut to " << n << " of " << full.size() << " bytes");
      const ClientRequest cut = decode_binary(full.substr(0, n));
      // A FlatBuffer may end in alignment padding after its last string's terminating NUL:
      // cutting only padding loses nothing, and the frame means exactly what it meant.
      if (n + 8 > full.size() && code_of(cut) == "accepted")
        CHECK(same_request(cut, whole));
      else
        CHECK(code_of(cut) == "malformed_frame");
    }
  }
}

TEST_CASE("a binary frame with another file identifier is refused", "[wire]") {
  std::string bytes = to_binary(place_json());
  bytes.replace(4, 4, "CBJ1");  // the journal's identifier
  CHECK(code_of(decode_binary(bytes)) == "malformed_frame");
}

TEST_CASE("a frame whose strings are not UTF-8 is refused", "[wire]") {
  flatbuffers::FlatBufferBuilder b;
  const auto offer = w::CreatePlaceOfferDirect(b, "r1", "L-\xff", 7, 2850, "2026-11-25", true, "");
  b.Finish(w::CreateClientFrame(b, w::ClientMessage::PlaceOffer, offer.Union()), w::ClientFrameIdentifier());
  CHECK(code_of(decode_binary({reinterpret_cast<const char*>(b.GetBufferPointer()), b.GetSize()})) ==
        "malformed_frame");
  const auto offer_with_notes = [](const std::string& notes) {
    return R"({"message_type":"PlaceOffer","message":{"request_id":"r1","package":7,"price":2850,"start_date":"2026-11-25","notes":")" +
           notes + "\"}}";
  };
  CHECK(code_of(decode_json(offer_with_notes("caf\xe9"))) == "malformed_frame");  // Latin-1, not UTF-8
  CHECK(command<engine::PlaceOffer>(decode_json(offer_with_notes("caf\xc3\xa9"))).notes == "caf\xc3\xa9");
  CHECK(command<engine::PlaceOffer>(decode_json(offer_with_notes("caf\\u00e9"))).notes == "caf\xc3\xa9");
}

TEST_CASE("a request id or location with a control character is refused, notes and reasons keep only tabs and line breaks",
          "[wire]") {
  std::vector<int> controls;
  for (int c = 0; c < 0x20; ++c) controls.push_back(c);
  controls.push_back(0x7F);
  for (int c = 0x80; c <= 0x9F; ++c) controls.push_back(c);
  const auto encode = [](int c) {
    return c < 0x80 ? std::string(1, static_cast<char>(c)) : std::string{'\xc2', static_cast<char>(c)};
  };
  const auto offer = [](const std::string& request_id, const std::string& location, const std::string& notes) {
    flatbuffers::FlatBufferBuilder b;
    const auto o = w::CreatePlaceOffer(b, b.CreateString(request_id), b.CreateString(location), 7, 2850,
                                       b.CreateString("2026-11-25"), true, b.CreateString(notes));
    b.Finish(w::CreateClientFrame(b, w::ClientMessage::PlaceOffer, o.Union()), w::ClientFrameIdentifier());
    return decode_binary({reinterpret_cast<const char*>(b.GetBufferPointer()), b.GetSize()});
  };
  const auto hand_back = [](const std::string& reason) {
    flatbuffers::FlatBufferBuilder b;
    const auto h = w::CreateHandBack(b, b.CreateString("r1"), b.CreateString("L-1"), 7, b.CreateString(reason));
    b.Finish(w::CreateClientFrame(b, w::ClientMessage::HandBack, h.Union()), w::ClientFrameIdentifier());
    return decode_binary({reinterpret_cast<const char*>(b.GetBufferPointer()), b.GetSize()});
  };
  const auto detail_of = [](const ClientRequest& r) {
    const auto* e = std::get_if<ProtocolError>(&r);
    return e ? e->detail : std::string();
  };
  for (int c : controls) {
    const std::string x = encode(c);
    INFO("code point " << c);
    for (const auto& [field, r] : {std::pair{"request_id", offer("r" + x, "L-1", "")},
                                   std::pair{"location", offer("r1", "L-1" + x, "")}}) {
      CHECK(code_of(r) == "malformed_frame");
      CHECK(detail_of(r).find(std::string("field '") + field + "' contains a control character") == 0);
    }
    const bool line_break_or_tab = c == '\t' || c == '\n' || c == '\r';
    CHECK(code_of(offer("r1", "L-1", "see" + x + "you")) == (line_break_or_tab ? "accepted" : "malformed_frame"));
    CHECK(code_of(hand_back("staff" + x + "left")) == (line_break_or_tab ? "accepted" : "malformed_frame"));
  }
  CHECK(command<engine::PlaceOffer>(offer("r1", "L-1", "line one\nline two")).notes == "line one\nline two");
}

TEST_CASE("a command without a request id is refused with request_id_missing", "[wire]") {
  for (const std::string& json : {
           std::string(R"({"message_type":"PlaceOffer","message":{"location":"L-1","package":7,"price":2850,"start_date":"2026-11-25"}})"),
           std::string(R"({"message_type":"WithdrawOffer","message":{"request_id":"","package":7}})"),
           std::string(R"({"message_type":"AcceptAward","message":{"package":7}})"),
           std::string(R"({"message_type":"HandBack","message":{"package":7,"reason":"r"}})"),
       }) {
    INFO(json);
    CHECK(code_of(decode_json(json)) == "request_id_missing");
    CHECK(code_of(decode_binary(to_binary(json))) == "request_id_missing");
  }
}

TEST_CASE("a price must be a positive whole number of pence", "[wire]") {
  CHECK(command<engine::PlaceOffer>(decode_json(with_price("1"))).price == 1);
  for (const char* fractional : {"28.5", "2850.0", "2.85e3", "1e3", "\"2850\"", "\"28.50\"", "null", "true", "0x10",
                                 "02850", "-28.5"}) {
    INFO(fractional);
    const auto r = decode_json(with_price(fractional));
    CHECK(code_of(r) == "price_not_whole_pence");
    CHECK(std::get<ProtocolError>(r).detail.find("whole number of pence") != std::string::npos);
  }
  for (const char* not_positive : {"0", "-0", "-1", "-2850", "-9223372036854775808", "-99999999999999999999999"}) {
    INFO(not_positive);
    CHECK(code_of(decode_json(with_price(not_positive))) == "price_not_positive");
    if (std::string(not_positive).size() < 20) CHECK(code_of(decode_binary(to_binary(with_price(not_positive)))) == "price_not_positive");
  }
  // Too big for any rate band: those that fit 64 bits reach the market, which refuses them by
  // its rate band; those that do not are refused here with the same code.
  CHECK(command<engine::PlaceOffer>(decode_json(with_price("9223372036854775807"))).price == INT64_MAX);
  CHECK(code_of(decode_json(with_price("9223372036854775808"))) == "price_outside_rate_band");
  CHECK(code_of(decode_json(with_price("100000000000000000000000000000"))) == "price_outside_rate_band");
  // "price" inside a string is text, not a price.
  CHECK(command<engine::PlaceOffer>(decode_json(place_json())).notes == "two carers");
  const auto c = command<engine::PlaceOffer>(decode_json(
      R"({"message_type":"PlaceOffer","message":{"request_id":"r1","notes":"\"price\": 28.5","package":7,"price":2850,"start_date":"2026-11-25"}})"));
  CHECK(c.notes == "\"price\": 28.5");
}

TEST_CASE("money is only ever a JSON integer: every other way of writing a price is refused with its code",
          "[wire]") {
  // Regression (issue 7, defect 8): FlatBuffers' JSON parser reads numbers inside strings, leading
  // '+', spaces, zeros and hex, and a scan in front of it skipped keys written with escapes.
  struct Case {
    std::string price;
    const char* code;
  };
  const std::vector<Case> cases = {
      {R"("+3333")", "price_not_whole_pence"},   {R"(" 3001")", "price_not_whole_pence"},
      {R"("0003003")", "price_not_whole_pence"}, {R"("0xB22")", "price_not_whole_pence"},
      {R"("2850")", "price_not_whole_pence"},    {"2850.0", "price_not_whole_pence"},
      {"28.5", "price_not_whole_pence"},         {"1e3", "price_not_whole_pence"},
      {"2.85E3", "price_not_whole_pence"},       {"true", "price_not_whole_pence"},
      {"null", "price_not_whole_pence"},         {"[2850]", "price_not_whole_pence"},
      {R"({"v":1})", "price_not_whole_pence"},   {"+3333", "price_not_whole_pence"},
      {"0xB22", "price_not_whole_pence"},        {"0003003", "price_not_whole_pence"},
      {"-5", "price_not_positive"},              {"0", "price_not_positive"},
      {"-0", "price_not_positive"},              {"18446744073709551615", "price_outside_rate_band"},
  };
  for (const auto& c : cases) {
    for (const char* type : {"PlaceOffer", "AmendOffer"}) {
      const std::string frame = std::string(R"({"message_type":")") + type +
                                R"(","message":{"request_id":"m-1","location":"L-1","package":7,"price":)" + c.price +
                                R"(,"start_date":"2026-11-25"}})";
      INFO(frame);
      const ClientRequest r = decode_json(frame);
      REQUIRE(code_of(r) == c.code);
      CHECK(std::get<ProtocolError>(r).request_id == "m-1");  // the request id it could read
    }
  }
  // The request id is kept whether it comes before or after the price.
  const auto late_id = decode_json(
      R"({"message_type":"PlaceOffer","message":{"price":28.5,"request_id":"m-2","package":7,"start_date":"2026-11-25"}})");
  CHECK(code_of(late_id) == "price_not_whole_pence");
  CHECK(std::get<ProtocolError>(late_id).request_id == "m-2");

  // A key is a key however it is written: escapes are read, then the value is checked.
  for (const char* key : {R"(pri\u0063e)", R"(\u0070rice)", R"(\u0070\u0072\u0069\u0063\u0065)", R"(pric\u0065)"}) {
    for (const char* price : {R"("2850")", "28.5", R"("+3333")"}) {
      const std::string frame = std::string(R"({"message_type":"PlaceOffer","message":{"request_id":"k-1","package":7,")") +
                                key + R"(":)" + price + R"(,"start_date":"2026-11-25"}})";
      INFO(frame);
      CHECK(code_of(decode_json(frame)) == "price_not_whole_pence");
    }
    const std::string good = std::string(R"({"message_type":"PlaceOffer","message":{"request_id":"k-2","package":7,")") +
                             key + R"(":2850,"start_date":"2026-11-25"}})";
    CHECK(command<engine::PlaceOffer>(decode_json(good)).price == 2850);
  }
  // A key given twice is refused, whichever value is good and however the key is written.
  for (const char* twice : {R"("price":2850,"price":"2850")", R"("price":"2850","price":2850)",
                            R"("price":2850,"pri\u0063e":2851)", R"("price":2850,"price":2850)"}) {
    const std::string frame = std::string(R"({"message_type":"PlaceOffer","message":{"request_id":"d-1","package":7,)") +
                              twice + R"(,"start_date":"2026-11-25"}})";
    INFO(frame);
    CHECK(code_of(decode_json(frame)) == "malformed_frame");
  }
  CHECK(code_of(decode_json(R"({"message_type":"Ping","message_type":"Ping","message":{"nonce":1}})")) == "malformed_frame");
  CHECK(code_of(decode_json(R"({"message_type":"Ping","message":{"nonce":1,"nonce":2}})")) == "malformed_frame");
}

TEST_CASE("every scalar of a JSON frame must be of its schema type: no numbers in strings, no hex, no fractions",
          "[wire]") {
  const auto place = [](const std::string& fields) {
    return R"({"message_type":"PlaceOffer","message":{"request_id":"s-1","location":"L-1","price":2850,"start_date":"2026-11-25",)" +
           fields + "}}";
  };
  const std::vector<std::string> refused = {
      place(R"("package":"7")"),
      place(R"("package":" 7")"),
      place(R"("package":"0x7")"),
      place(R"("package":0x7)"),
      place(R"("package":+7)"),
      place(R"("package":07)"),
      place(R"("package":7.0)"),
      place(R"("package":7e0)"),
      place(R"("package":-7)"),
      place(R"("package":true)"),
      place(R"("package":[7])"),
      place(R"("package":99999999999999999999)"),
      place(R"("package":7,"must_meet_confirmed":"true")"),
      place(R"("package":7,"must_meet_confirmed":1)"),
      place(R"("package":7,"notes":5)"),
      place(R"("package":7,"notes":["a"])"),
      place(R"("package":7,"colour":"red")"),
      place(R"("package":7,"pack\u0061ge":8)"),
      R"({"message_type":"Ping","message":{"nonce":"1"}})",
      R"({"message_type":"Ping","message":{"nonce":0x1}})",
      R"({"message_type":"Ping","message":{"nonce":1.5}})",
      R"({"message_type":"Ping","message":{"nonce":-1}})",
      R"({"message_type":"Hello","message":{"token":"t","resume_after":"12"}})",
      R"({"message_type":"Hello","message":{"token":"t","resume_after":0xC}})",
      R"({"message_type":"Hello","message":{"token":12}})",
      R"({"message_type":3,"message":{"nonce":1}})",
      R"({"message_type":"NONE","message":{"nonce":1}})",
      R"({"message_type":["Ping"],"message":{"nonce":1}})",
      R"({"message":{"nonce":1}})",
      R"({"message_type":"Ping","message":[1]})",
      R"({"message_type":"Ping","message":{"nonce":1}} )" "\x01",
      R"({"message_type":"Ping","message":{"nonce":1},})",
      R"({"message_type":"Ping","message":{"nonce":1}/* hi */})",
      R"({"message_type":"Ping","message":{"nonce":1},"extra":{}})",
      R"({"message_type":"Ping","message":{"nonce":1}} {})",
  };
  for (const auto& frame : refused) {
    INFO(frame);
    CHECK(code_of(decode_json(frame)) == "malformed_frame");
  }
  // Deep nesting is refused by the parser, not walked.
  CHECK(code_of(decode_json(R"({"message_type":"Ping","message":{"nonce":1},"x":)" + std::string(40, '[') +
                            std::string(40, ']') + "}")) == "malformed_frame");

  // The good forms still decode, both ways, the same; escaped strings and spacing are fine.
  const auto offer = both_ways<engine::PlaceOffer>(place(R"("package":7,"must_meet_confirmed":false,"notes":"caf\u00e9")"));
  CHECK(offer.package == 7);
  CHECK(offer.price == 2850);
  CHECK(offer.notes == "caf\xc3\xa9");
  CHECK(both_ways<engine::PlaceOffer>(" { \"message\" : {\"price\" : 2850 , \"request_id\":\"s-2\", \"package\": 18446744073709551615,"
                                      " \"start_date\":\"2026-11-25\"} ,\n \"message_type\" : \"PlaceOffer\" } ")
            .package == UINT64_MAX);
  CHECK(std::get<PingRequest>(decode_json(R"({"message_type":"Ping","message":{"nonce":-0}})")).nonce == 0);
  const auto hello = decode_json(R"({"message_type":"Hello","message":{"token":"t","resume_after":12,"stream_epoch":"e"}})");
  REQUIRE(std::holds_alternative<HelloRequest>(hello));
  CHECK(std::get<HelloRequest>(hello).resume_after == 12);
}

TEST_CASE("an offer's start date must be a real calendar date", "[wire]") {
  const auto with_date = [](const std::string& date) {
    return R"({"message_type":"AmendOffer","message":{"request_id":"r1","package":7,"price":2850)" + date + "}}";
  };
  CHECK(command<engine::AmendOffer>(decode_json(with_date(R"(,"start_date":"2028-02-29")"))).start_date ==
        *engine::parse_date("2028-02-29"));
  for (const char* bad : {R"(,"start_date":"2026-02-30")", R"(,"start_date":"tomorrow")", R"(,"start_date":"25/11/2026")",
                          R"(,"start_date":"")", ""}) {
    INFO(bad);
    CHECK(code_of(decode_json(with_date(bad))) == "invalid_date");
    CHECK(code_of(decode_binary(to_binary(with_date(bad)))) == "invalid_date");
    CHECK(std::get<ProtocolError>(decode_json(with_date(bad))).request_id == "r1");
  }
}

// =============================================================================================
// Server frames: encoded once, framed per recipient.

TEST_CASE("a server message is encoded once and framed with each recipient's stream number", "[wire]") {
  const auto ack = make_ack("r1", 7, true);
  const std::string_view body_bytes = ack->body(true);
  const std::string_view json = ack->body(false);
  CHECK(json == R"({"message_type": "Ack","message": {"request_id": "r1","package": 7,"replayed": true}})");
  CHECK(ack->body(false).data() == json.data());  // built once, shared

  // Binary: [8-byte little-endian seq][ServerFrame].
  const MessageRef to_recipient = ack;
  const std::string frame = to_recipient.frame(0x0102030405060708ULL, true);
  REQUIRE(frame.size() == 8 + body_bytes.size());
  CHECK(frame.substr(0, 8) == std::string("\x08\x07\x06\x05\x04\x03\x02\x01", 8));
  CHECK(frame.substr(8) == body_bytes);
  CHECK(MessageRef::suffix(true).empty());

  // JSON: {"seq":N,"frame":…} — FlatBuffers JSON of the schema's ServerEnvelope table.
  const std::string text = to_recipient.frame(42, false);
  CHECK(text == std::string(R"({"seq":42,"frame":)") + std::string(json) + "}");
  flatbuffers::IDLOptions opts;
  opts.strict_json = true;
  flatbuffers::Parser parser(opts);
  REQUIRE(parser.Parse(std::string(wire_schema_text()).c_str()));
  REQUIRE(parser.SetRootType("ServerEnvelope"));
  REQUIRE(parser.ParseJson(text.c_str()));
  const auto* envelope = flatbuffers::GetRoot<w::ServerEnvelope>(parser.builder_.GetBufferPointer());
  CHECK(envelope->seq() == 42);
  CHECK(envelope->frame()->message_as_Ack()->request_id()->str() == "r1");
  CHECK(envelope->frame()->message_as_Ack()->replayed());
}

TEST_CASE("every server message builds, verifies and prints as JSON", "[wire]") {
  engine::BroadcastView v;
  v.package = 12;
  v.dps = "home-care";
  v.lot = "hc";
  v.categories = {"older_people"};
  v.zone = "south";
  v.postcode_district = "B13";
  v.unit = engine::Unit::hours;
  v.quantity = 840;
  v.visits = {4, 30, 7};
  v.start_date = kMonday + 2;
  v.latest_start = kMonday + 9;
  v.needs = {"personal care"};
  v.urgency = engine::Urgency::planned;
  v.funder = engine::Funder::nhs;
  v.price_ceiling = 3000;
  v.tier = "tier1";
  v.closes_at = 1795000000000;

  const std::vector<std::pair<std::string, Outbound>> all = {
      {"Welcome", make_welcome("P-1", {"L-1", "L-2"}, "e1", false, 3)},
      {"Ack", make_ack("r1", 7, false)},
      {"Error", make_error("offer_after_close", "the window closed", "r1")},
      {"PackageBroadcast", make_broadcast(v, "L-1")},
      {"PackageUpdate", make_update({"L-1", 12, engine::ProviderStanding::best_and_final, 2, std::nullopt, 5, "x"})},
      {"AwardOffered", make_award_offered("L-1", 12, 99)},
      {"PersonDetails", make_person_details("L-1", 12, {carebroker::person::PersonStatus::available, kWirePerson})},
      {"Snapshot", make_snapshot({{"L-1", v}}, {{"L-1", 12, engine::ProviderStanding::open, {}, {}, 5, ""}})},
      {"Pong", make_pong(5)},
  };
  for (const auto& [name, message] : all) {
    INFO(name);
    CHECK(message->type_name() == name);
    CHECK(w::EnumNameServerMessage(verified(message)->message_type()) == name);
    CHECK(message->body(false).find("\"message_type\": \"" + name + "\"") != std::string::npos);
  }
  const auto* b = verified(all[3].second)->message_as_PackageBroadcast();
  CHECK(b->start_date()->str() == "2026-11-25");
  CHECK(b->latest_start()->str() == "2026-12-02");
  CHECK(b->urgency() == w::Urgency::planned);
  CHECK(b->funder() == w::Funder::nhs);
  CHECK(b->visits_per_day() == 4);
  const std::string broadcast_json(all[3].second->body(false));
  CHECK(broadcast_json.find(R"("urgency": "planned")") != std::string::npos);
  CHECK(broadcast_json.find(R"("double_handed": false)") != std::string::npos);  // defaults printed
  CHECK(verified(all[4].second)->message_as_PackageUpdate()->standing() == w::Standing::best_and_final);
  CHECK(verified(all[4].second)->message_as_PackageUpdate()->own_rank() == 2);

  // A string that is not UTF-8 (say, from an old import) still makes valid JSON.
  const auto odd = make_error("x", "bad \xff byte");
  CHECK(odd->body(false).find("bad \\uFFFD byte") != std::string::npos);
}

// =============================================================================================
// Who hears what.

TEST_CASE("a whole mini-competition tells each provider only about its own locations", "[wire]") {
  Competition f;
  engine::PackageId id = 0;

  const auto posted = batch(f, [&] { id = f.post(MarketFixture::standard_package(), kWirePerson); });
  check_addressing(f, posted);
  // Broadcast to the two eligible tier-1 locations only, one message each.
  CHECK(posted.providers() == std::set<std::string>{"P-A", "P-B"});
  CHECK(posted.types("P-A") == std::vector<std::string>{"PackageBroadcast:A"});
  CHECK(posted.types("P-B") == std::vector<std::string>{"PackageBroadcast:B"});
  const auto* broadcast = posted.of("P-A")[0].frame->message_as_PackageBroadcast();
  CHECK(broadcast->package() == id);
  CHECK(broadcast->tier()->str() == "tier1");
  CHECK(broadcast->postcode_district()->str() == "B13");
  CHECK(broadcast->closes_at() == f.package(id).closes_at);
  CHECK(broadcast->needs()->size() == 2);
  for (const auto& h : posted.of("P-A")) CHECK_FALSE(mentions_person(h.json));
  for (const auto& h : posted.of("P-B")) CHECK_FALSE(mentions_person(h.json));

  // Offers are acknowledged to their sender by the session; no provider is notified, and staff
  // get one notice for the package — its status, what happened and how many offers, no price.
  const auto offers = batch(f, [&] {
    REQUIRE(f.offer("A", id, 2900).ok());
    REQUIRE(f.offer("B", id, 3050).ok());
  });
  CHECK(offers.by_provider.empty());
  REQUIRE(offers.staff.size() == 1);
  const auto* changed = offers.staff[0].frame->message_as_PackageChanged();
  CHECK(changed->package() == id);
  CHECK(changed->status()->str() == "open");
  CHECK(changed->what()->str() == "offer_placed");
  CHECK(changed->offers() == 2);
  CHECK(offers.staff[0].json.find("2900") == std::string::npos);
  CHECK_FALSE(mentions_person(offers.staff[0].json));
  REQUIRE(posted.staff.size() == 1);
  CHECK(posted.staff[0].frame->message_as_PackageChanged()->what()->str() == "package_posted,tier_opened");

  // The window closes: both learn bidding closed; only A is offered the award.
  const auto closed = batch(f, [&] { f.pass_deadline(id); });
  check_addressing(f, closed);
  REQUIRE(f.awarded(id) == "A");
  CHECK(closed.types("P-A") == std::vector<std::string>{"PackageUpdate:A", "AwardOffered:A"});
  CHECK(closed.types("P-B") == std::vector<std::string>{"PackageUpdate:B"});
  CHECK(update_in(closed.of("P-B")[0])->standing() == w::Standing::closed_for_bidding);
  CHECK(update_in(closed.of("P-B")[0])->own_rank() == 0);
  CHECK(closed.of("P-A")[1].frame->message_as_AwardOffered()->expires_at() == f.package(id).award_expires);

  // A accepts: the person's details go to A alone; B learns it lost, with its own rank and score.
  const auto accepted = batch(f, [&] { REQUIRE(f.accept("A", id).ok()); });
  check_addressing(f, accepted);
  CHECK(accepted.providers() == std::set<std::string>{"P-A", "P-B"});
  CHECK(accepted.types("P-A") == std::vector<std::string>{"PackageUpdate:A", "PersonDetails:A"});
  const auto* person = accepted.of("P-A")[1].frame->message_as_PersonDetails();
  CHECK(person->name()->str() == "Ada Example");
  CHECK(person->address()->str() == "1 Test Street");
  CHECK(person->case_reference()->str() == "CASE-1");
  CHECK(person->status()->str() == "available");
  CHECK(update_in(accepted.of("P-A")[0])->standing() == w::Standing::placed_with_you);
  CHECK(update_in(accepted.of("P-A")[0])->own_rank() == 1);
  REQUIRE(accepted.types("P-B") == std::vector<std::string>{"PackageUpdate:B"});
  const auto* lost = update_in(accepted.of("P-B")[0]);
  CHECK(lost->standing() == w::Standing::awarded_elsewhere);
  const auto ranking = f.market.ranking(id, false);
  CHECK(lost->own_rank() == 2);
  CHECK(lost->own_score() == ranking.find(*f.market.find_location("B"))->score);
  CHECK(lost->own_score() != ranking.find(*f.market.find_location("A"))->score);
  for (const auto& h : accepted.of("P-B")) CHECK_FALSE(mentions_person(h.json));
}

TEST_CASE("no notification ever carries a price, and only the own rank while bidding", "[wire]") {
  engine::DpsConfig config = carebroker::testing::home_care_config();
  config.ranking.auction = engine::AuctionFormat::best_and_final;
  Competition f(config);
  f.admit(LocationSpec{"C"});  // invited, never bids
  engine::PackageId id = 0;
  const auto posted = batch(f, [&] { id = f.post(); });
  CHECK(posted.providers() == std::set<std::string>{"P-A", "P-B", "P-C"});
  batch(f, [&] {
    REQUIRE(f.offer("A", id, 2911).ok());
    REQUIRE(f.offer("B", id, 3067).ok());
  });
  const auto shortlist = batch(f, [&] { f.pass_deadline(id); });
  check_addressing(f, shortlist);
  REQUIRE(f.status(id) == engine::PackageStatus::best_and_final);
  // Everyone invited hears bidding closed; the shortlist then hears its own rank, C nothing more.
  CHECK(shortlist.types("P-A") == std::vector<std::string>{"PackageUpdate:A", "PackageUpdate:A"});
  CHECK(shortlist.types("P-C") == std::vector<std::string>{"PackageUpdate:C"});
  CHECK(update_in(shortlist.of("P-C")[0])->own_rank() == 0);
  const auto* a = update_in(shortlist.of("P-A")[1]);
  const auto* b = update_in(shortlist.of("P-B")[1]);
  CHECK(a->standing() == w::Standing::best_and_final);
  CHECK(a->own_rank() == 1);
  CHECK(b->own_rank() == 2);
  CHECK(a->own_score() == 0.0);  // no scores while bidding
  CHECK(a->closes_at() == f.package(id).closes_at);
  for (const auto& [provider, heard] : shortlist.by_provider)
    for (const auto& h : heard) {
      CHECK(h.json.find("2911") == std::string::npos);
      CHECK(h.json.find("3067") == std::string::npos);
      CHECK(h.json.find("price") == std::string::npos);
    }
}

TEST_CASE("a cascade in one batch closes the old tier for its invited and broadcasts the new one", "[wire]") {
  Competition f;
  engine::PackageId id = 0;
  batch(f, [&] { id = f.post(); });
  // Nobody in tier 1 bids: at the deadline the package ends tier 1 and opens tier 2 in one batch.
  const auto cascaded = batch(f, [&] { f.pass_deadline(id); });
  check_addressing(f, cascaded);
  REQUIRE(f.tier(id) == "tier2");
  CHECK(cascaded.providers() == std::set<std::string>{"P-A", "P-B", "P-D"});
  CHECK(cascaded.types("P-A") == std::vector<std::string>{"PackageUpdate:A", "PackageUpdate:A"});
  CHECK(update_in(cascaded.of("P-A")[0])->standing() == w::Standing::closed_for_bidding);
  CHECK(update_in(cascaded.of("P-A")[1])->standing() == w::Standing::closed);
  CHECK(update_in(cascaded.of("P-A")[1])->reason()->str() == "no acceptable offer");
  CHECK(cascaded.types("P-D") == std::vector<std::string>{"PackageBroadcast:D"});
  CHECK(cascaded.of("P-D")[0].frame->message_as_PackageBroadcast()->tier()->str() == "tier2");

  // Tier 2 fails too: unsourced. D hears "closed" once, not once per event.
  const auto unsourced = batch(f, [&] { f.pass_deadline(id); });
  REQUIRE(f.status(id) == engine::PackageStatus::unsourced);
  CHECK(unsourced.providers() == std::set<std::string>{"P-D"});
  CHECK(unsourced.types("P-D") == std::vector<std::string>{"PackageUpdate:D", "PackageUpdate:D"});
  CHECK(update_in(unsourced.of("P-D")[1])->standing() == w::Standing::closed);
}

TEST_CASE("when every acceptable offer declined, the tier's invited hear it cascaded, not 'no acceptable offer'", "[wire]") {
  Competition f;
  const engine::PackageId id = f.post();
  REQUIRE(f.offer("A", id, 2900).ok());
  f.pass_deadline(id);
  REQUIRE(f.awarded(id) == "A");
  // A declines; nobody acceptable is left at tier 1: the tier ends and tier 2 opens.
  const auto declined = batch(f, [&] { REQUIRE(f.decline("A", id).ok()); });
  check_addressing(f, declined);
  REQUIRE(f.tier(id) == "tier2");
  REQUIRE(f.count<engine::TierEnded>() == 1);
  CHECK(std::get<engine::TierEnded>(*std::find_if(f.events.begin(), f.events.end(), [](const auto& e) {
          return std::holds_alternative<engine::TierEnded>(e);
        })).reason == engine::TierEndReason::every_acceptable_offer_declined);
  REQUIRE(declined.types("P-B") == std::vector<std::string>{"PackageUpdate:B"});
  CHECK(update_in(declined.of("P-B")[0])->standing() == w::Standing::closed);
  CHECK(update_in(declined.of("P-B")[0])->reason()->str() == "cascaded");
}

TEST_CASE("a tier's end is told by its reason: 'no acceptable offer' for that one, 'cascaded' for every other", "[wire]") {
  for (const engine::TierEndReason reason : engine::kTierEndReasons) {
    INFO(engine::to_string(reason));
    Competition f;
    const engine::PackageId id = f.post();  // tier 1 invited: A and B
    // The event alone, whatever the words beside it: the notice follows the reason.
    const auto ended = batch(f, [&] {
      const engine::Event e = engine::TierEnded{id, 0, f.market.now(), "no acceptable offer", reason};
      f.market.apply(e);
      f.events.push_back(e);
    });
    check_addressing(f, ended);
    const std::string expected = reason == engine::TierEndReason::no_acceptable_offer ? "no acceptable offer" : "cascaded";
    for (const auto& provider : {"P-A", "P-B"}) {
      INFO(provider);
      REQUIRE(ended.of(provider).size() == 1);
      CHECK(update_in(ended.of(provider)[0])->standing() == w::Standing::closed);
      CHECK(update_in(ended.of(provider)[0])->reason()->str() == expected);
    }
  }
}

TEST_CASE("a location whose tier changes while a package is open hears exactly what it should", "[wire]") {
  Competition f;
  engine::PackageId id = 0;
  batch(f, [&] { id = f.post(); });  // tier 1 invited: A and B
  // A moves to tier 2 while the package is open in tier 1.
  const auto moved = batch(f, [&] {
    f.must(engine::UpdateMembership{"A", "home-care", {"hc"}, {"older_people", "dementia", "physical_disability"},
                                    {"south"}, "tier2", 500});
  });
  CHECK(moved.notifications == nullptr);
  // Nobody bids: tier 1 closes and ends, tier 2 opens — one batch. A was invited to tier 1, so it
  // hears that tier close; and as a tier-2 location now it is broadcast the package again.
  const auto cascaded = batch(f, [&] { f.pass_deadline(id); });
  check_addressing(f, cascaded);
  REQUIRE(f.tier(id) == "tier2");
  CHECK(cascaded.types("P-A") == std::vector<std::string>{"PackageUpdate:A", "PackageUpdate:A", "PackageBroadcast:A"});
  CHECK(update_in(cascaded.of("P-A")[0])->standing() == w::Standing::closed_for_bidding);
  CHECK(update_in(cascaded.of("P-A")[1])->standing() == w::Standing::closed);
  CHECK(cascaded.of("P-A")[2].frame->message_as_PackageBroadcast()->tier()->str() == "tier2");
  CHECK(cascaded.types("P-B") == std::vector<std::string>{"PackageUpdate:B", "PackageUpdate:B"});
  CHECK(cascaded.types("P-D") == std::vector<std::string>{"PackageBroadcast:D"});
}

TEST_CASE("an award that lapses is withdrawn from its location and offered to the next", "[wire]") {
  Competition f;
  const engine::PackageId id = f.post();
  REQUIRE(f.offer("A", id, 2900).ok());
  REQUIRE(f.offer("B", id, 3050).ok());
  f.pass_deadline(id);
  REQUIRE(f.awarded(id) == "A");
  const auto lapsed = batch(f, [&] { f.pass_deadline(id); });
  check_addressing(f, lapsed);
  REQUIRE(f.awarded(id) == "B");
  CHECK(lapsed.types("P-A") == std::vector<std::string>{"PackageUpdate:A"});
  CHECK(update_in(lapsed.of("P-A")[0])->standing() == w::Standing::closed);
  CHECK(update_in(lapsed.of("P-A")[0])->reason()->str() == "the award lapsed unanswered");
  CHECK(lapsed.types("P-B") == std::vector<std::string>{"AwardOffered:B"});
}

TEST_CASE("a placement's provider hears of its hand-back, a variation to accept, and the placement's end", "[wire][placement]") {
  Competition f;
  const engine::PackageId id = f.post(MarketFixture::standard_package(), kWirePerson);
  REQUIRE(f.offer("A", id, 2900).ok());
  f.pass_deadline(id);
  REQUIRE(f.accept("A", id).ok());
  const engine::Date today = engine::london_date(f.market.now());

  const auto proposed = batch(f, [&] {
    f.must(engine::ProposeVariation{id, 1260, {6, 30, 7}, today + 3, "more help at lunchtime", "officer-1"});
  });
  check_addressing(f, proposed);
  REQUIRE(proposed.types("P-A") == std::vector<std::string>{"PackageUpdate:A"});
  CHECK(proposed.types("P-B").empty());
  const auto* notice = update_in(proposed.of("P-A")[0]);
  CHECK(notice->standing() == w::Standing::placed_with_you);
  CHECK(notice->reason()->str() == "variation proposed: 1260 minutes a week (6 visits a day of 30 minutes, 7 days a week) from " +
                                       engine::format_date(today + 3) +
                                       ": more help at lunchtime; accept with AcceptVariation");
  CHECK_FALSE(mentions_person(proposed.of("P-A")[0].json));
  const auto accepted = batch(f, [&] { REQUIRE(f.run(engine::AcceptVariation{"P-A", "A", "v-1", id}).ok()); });
  CHECK(accepted.by_provider.empty());  // the session acknowledges it; nobody else is told
  CHECK(f.market.find_placement(id)->quantity == 1260);

  const auto handed_back = batch(f, [&] { REQUIRE(f.run(engine::HandBackPackage{"P-A", "A", "hb-1", id, "staff"}).ok()); });
  const auto mine = handed_back.of("P-A");
  REQUIRE_FALSE(mine.empty());
  CHECK(update_in(mine.back())->standing() == w::Standing::placed_with_you);
  CHECK(update_in(mine.back())->reason()->str().find("handed back: your placement continues") == 0);

  const auto ended = batch(f, [&] { f.must(engine::EndPlacement{id, engine::PlacementEndReason::hospital, 0, "officer-1"}); });
  REQUIRE(ended.types("P-A") == std::vector<std::string>{"PackageUpdate:A"});
  CHECK(update_in(ended.of("P-A")[0])->standing() == w::Standing::closed);
  CHECK(update_in(ended.of("P-A")[0])->reason()->str() == "placement ended on " + engine::format_date(today) + ": hospital");
}

TEST_CASE("a cancelled package is closed for its invited without the officer's reason", "[wire]") {
  Competition f;
  const engine::PackageId id = f.post();
  const auto cancelled = batch(f, [&] { f.must(engine::CancelPackage{id, "Ada moved to her daughter's"}); });
  check_addressing(f, cancelled);
  CHECK(cancelled.providers() == std::set<std::string>{"P-A", "P-B"});
  for (const auto& provider : {"P-A", "P-B"}) {
    REQUIRE(cancelled.of(provider).size() == 1);
    CHECK(update_in(cancelled.of(provider)[0])->standing() == w::Standing::closed);
    CHECK(cancelled.of(provider)[0].json.find("daughter") == std::string::npos);
  }
}

TEST_CASE("membership, quality and configuration changes notify nobody", "[wire]") {
  Competition f;
  const auto quiet = batch(f, [&] {
    f.admit(LocationSpec{"E"});
    f.advance(engine::kMillisPerMinute);
  });
  CHECK(quiet.notifications == nullptr);
}

TEST_CASE("every message of a batch is stamped with the batch's number: the sequence of its last event", "[wire]") {
  Competition f;
  const auto first = batch(f, [&] { f.post(); });
  const std::size_t after_first = f.events.size();
  const auto second = batch(f, [&] { f.post(); });
  REQUIRE((first.notifications && second.notifications));
  const std::uint64_t b1 = first.notifications->front().message.batch();
  CHECK(b1 == after_first);
  for (const auto& n : *first.notifications) CHECK(n.message.batch() == b1);
  CHECK(second.notifications->front().message.batch() == f.events.size());
}

TEST_CASE("a snapshot shows a provider its live packages and standing, never the person", "[wire]") {
  Competition f;
  f.admit(LocationSpec{"A2", "tier1", {"south"}, {"older_people", "dementia", "physical_disability"}, engine::CqcRating::good,
                       engine::PammsRating::good, 75, "P-A"});
  const engine::PackageId offered = f.post(MarketFixture::standard_package(), kWirePerson);
  REQUIRE(f.offer("A", offered, 2900).ok());
  f.pass_deadline(offered);
  REQUIRE(f.awarded(offered) == "A");
  const engine::PackageId open = f.post(MarketFixture::standard_package(), kWirePerson);

  const ProviderSnapshot snap = snapshot_for(f.market, "P-A", f.events.size());
  CHECK(snap.batch == f.events.size());
  REQUIRE(snap.pages.size() == 1);
  const auto* s = verified(snap.pages.front())->message_as_Snapshot();
  REQUIRE(s);
  CHECK(s->page() == 1);
  CHECK(s->pages() == 1);
  // Both locations of P-A were invited to both packages; the first package is open for both,
  // the second is offered to A and closed for bidding at A2.
  std::map<std::pair<std::string, engine::PackageId>, w::Standing> standing;
  for (const auto* u : *s->updates()) standing[{u->location()->str(), u->package()}] = u->standing();
  CHECK(standing.size() == 4);
  CHECK(standing[{"A", open}] == w::Standing::open);
  CHECK(standing[{"A2", open}] == w::Standing::open);
  CHECK(standing[{"A", offered}] == w::Standing::award_offered);
  CHECK(standing[{"A2", offered}] == w::Standing::closed_for_bidding);
  CHECK(s->packages()->size() == 4);
  for (const auto* b : *s->packages()) CHECK(f.provider_of(b->location()->str()) == "P-A");
  CHECK_FALSE(mentions_person(std::string(snap.pages.front().body(false))));

  // Nothing live: one empty page.
  for (const char* who : {"P-N", "nobody"}) {
    const auto empty = snapshot_for(f.market, who, f.events.size());
    REQUIRE(empty.pages.size() == 1);
    CHECK(verified(empty.pages.front())->message_as_Snapshot()->updates()->size() == 0);
  }
  CHECK(locations_of(f.market, "P-A") == std::vector<std::string>{"A", "A2"});
}

// =============================================================================================
// Streams: numbering, resume, history.

namespace {
Outbound numbered(std::uint64_t nonce, std::uint64_t batch) {
  auto m = make_pong(nonce);
  m->set_batch(batch);
  return m;
}
std::uint64_t nonce_of(const ProviderStreams::Message& m) { return verified(m)->message_as_Pong()->nonce(); }
}  // namespace

TEST_CASE("each provider's stream is numbered from 1 on its own", "[wire]") {
  ProviderStreams streams;
  CHECK(streams.last_seq("P-A") == 0);
  CHECK(streams.publish("P-A", numbered(1, 1)) == 1);
  CHECK(streams.publish("P-A", numbered(2, 1)) == 2);
  CHECK(streams.publish("P-B", numbered(3, 1)) == 1);
  CHECK(streams.publish("P-A", numbered(4, 2)) == 3);
  CHECK(streams.last_seq("P-A") == 3);
  CHECK(streams.last_seq("P-B") == 1);
  CHECK(streams.stream_epoch().size() == 16);
  CHECK(ProviderStreams().stream_epoch() != streams.stream_epoch());
}

TEST_CASE("replay_after gives what was missed, and false when it is no longer kept", "[wire]") {
  ProviderStreams streams(4, "epoch-1");
  for (std::uint64_t i = 1; i <= 6; ++i) streams.publish("P-A", numbered(i, i));
  std::vector<ProviderStreams::Entry> out;
  REQUIRE(streams.replay_after("P-A", 3, out));
  REQUIRE(out.size() == 3);
  CHECK((out[0].seq == 4 && out[2].seq == 6 && nonce_of(out[0].message) == 4));
  out.clear();
  CHECK(streams.replay_after("P-A", 2, out));  // 3..6 are the four kept
  CHECK(out.size() == 4);
  out.clear();
  CHECK(streams.replay_after("P-A", 6, out));  // up to date
  CHECK(out.empty());
  CHECK_FALSE(streams.replay_after("P-A", 1, out));  // 2 was dropped: too old
  CHECK_FALSE(streams.replay_after("P-A", 0, out));
  CHECK_FALSE(streams.replay_after("P-A", 7, out));  // a number never given
  CHECK(out.empty());
  CHECK(streams.replay_after("P-new", 0, out));
  CHECK_FALSE(streams.replay_after("P-new", 5, out));
}

TEST_CASE("the history is bounded per provider", "[wire]") {
  ProviderStreams streams(3);
  for (std::uint64_t i = 1; i <= 1000; ++i) streams.publish("P-A", numbered(i, i));
  std::vector<ProviderStreams::Entry> out;
  CHECK_FALSE(streams.replay_after("P-A", 996, out));
  CHECK(streams.replay_after("P-A", 997, out));
  CHECK(out.size() == 3);
  CHECK(ProviderStreams::kDefaultHistory == 2048);
}

TEST_CASE("subscribers get their provider's messages in order until they unsubscribe", "[wire]") {
  ProviderStreams streams;
  std::vector<std::uint64_t> a_seen, b_seen;
  const auto a = streams.subscribe("P-A", [&](std::uint64_t seq, const ProviderStreams::Message&) { a_seen.push_back(seq); });
  streams.subscribe("P-B", [&](std::uint64_t seq, const ProviderStreams::Message&) { b_seen.push_back(seq); });
  streams.publish("P-A", numbered(1, 1));
  streams.publish("P-A", numbered(2, 1));
  streams.publish("P-B", numbered(3, 1));
  CHECK(a_seen == std::vector<std::uint64_t>{1, 2});
  CHECK(b_seen == std::vector<std::uint64_t>{1});
  CHECK(streams.subscriber_count() == 2);
  streams.unsubscribe(a);
  streams.unsubscribe(a);
  streams.publish("P-A", numbered(4, 2));
  CHECK(a_seen.size() == 2);
  CHECK(streams.subscriber_count() == 1);
}

TEST_CASE("resume needs this run's epoch and a number still in the history", "[wire]") {
  ProviderStreams streams(4, "epoch-1");
  for (std::uint64_t i = 1; i <= 5; ++i) streams.publish("P-A", numbered(i, i));
  std::vector<std::uint64_t> live;
  const auto callback = [&](std::uint64_t seq, const ProviderStreams::Message&) { live.push_back(seq); };
  CHECK_FALSE(streams.resume("P-A", "epoch-0", 4, callback));  // another server run
  CHECK_FALSE(streams.resume("P-A", "epoch-1", 0, callback));  // too old
  CHECK(streams.subscriber_count() == 0);
  const auto attached = streams.resume("P-A", "epoch-1", 3, callback);
  REQUIRE(attached);
  CHECK(attached->position == 3);
  REQUIRE(attached->backlog.size() == 2);
  CHECK(attached->backlog[0].seq == 4);
  streams.publish("P-A", numbered(6, 6));
  CHECK(live == std::vector<std::uint64_t>{6});  // nothing missed, nothing twice
}

TEST_CASE("a snapshot comes in pages that each stay small, numbered 1..n, holding every package once", "[wire]") {
  engine::BroadcastView v;
  v.dps = "home-care";
  v.lot = "hc";
  v.needs = {"personal care", "medication prompts"};
  std::vector<LocatedBroadcast> packages;
  std::vector<StandingUpdate> updates;
  for (engine::PackageId id = 1; id <= 5000; ++id) {
    v.package = id;
    packages.push_back({"L-" + std::to_string(id % 3), v});
    updates.push_back({"L-" + std::to_string(id % 3), id, engine::ProviderStanding::open, {}, {}, 5, ""});
  }
  // One package with a very long need is alone on its page.
  packages[100].view.needs.assign(40, std::string(2000, 'n'));
  const auto pages = make_snapshot_pages(packages, updates);
  REQUIRE(pages.size() > 5000 / kSnapshotPagePackages);
  std::set<engine::PackageId> seen;
  std::uint32_t expected_page = 1;
  for (const auto& page : pages) {
    const auto* s = verified(page)->message_as_Snapshot();
    REQUIRE(s);
    CHECK(s->page() == expected_page++);
    CHECK(s->pages() == pages.size());
    CHECK(s->packages()->size() == s->updates()->size());
    CHECK(s->packages()->size() <= kSnapshotPagePackages);
    if (s->packages()->size() > 1) CHECK(page->body(true).size() < 2 * kSnapshotPageBytes);
    for (std::size_t i = 0; i < s->packages()->size(); ++i) {
      CHECK(s->packages()->Get(static_cast<flatbuffers::uoffset_t>(i))->package() ==
            s->updates()->Get(static_cast<flatbuffers::uoffset_t>(i))->package());
      CHECK(seen.insert(s->packages()->Get(static_cast<flatbuffers::uoffset_t>(i))->package()).second);
    }
  }
  CHECK(seen.size() == 5000);
}

TEST_CASE("a snapshot lines up with the stream by the batch it was taken after", "[wire]") {
  ProviderStreams streams(4, "e");
  streams.publish("P-A", numbered(1, 10));
  streams.publish("P-A", numbered(2, 11));
  streams.publish("P-A", numbered(3, 11));
  streams.publish("P-A", numbered(4, 12));
  // Taken after batch 11 was projected: it stands for seq 3, and seq 4 is still to send.
  auto a = streams.after_snapshot("P-A", 11, [](std::uint64_t, const ProviderStreams::Message&) {});
  REQUIRE(a);
  CHECK(a->position == 3);
  REQUIRE(a->backlog.size() == 1);
  CHECK(a->backlog[0].seq == 4);
  // Taken after everything: stands for the newest number.
  a = streams.after_snapshot("P-A", 12, [](std::uint64_t, const ProviderStreams::Message&) {});
  CHECK((a && a->position == 4 && a->backlog.empty()));
  // A provider with no messages yet.
  a = streams.after_snapshot("P-B", 12, [](std::uint64_t, const ProviderStreams::Message&) {});
  CHECK((a && a->position == 0 && a->backlog.empty()));
  // Messages newer than the snapshot already dropped from the history: take a new snapshot.
  for (std::uint64_t i = 5; i <= 8; ++i) streams.publish("P-A", numbered(i, 20 + i));
  CHECK_FALSE(streams.after_snapshot("P-A", 11, [](std::uint64_t, const ProviderStreams::Message&) {}));
}

// =============================================================================================
// The protocol page documents every message.

TEST_CASE("docs/websocket-protocol.md has a section for every message of both unions", "[wire]") {
  const std::string root = std::string(CAREBROKER_DATA_DIR) + "/..";
  const std::string schema = carebroker::testing::read_text_file(root + "/schemas/wire.fbs");
  const std::string page = carebroker::testing::read_text_file(root + "/docs/websocket-protocol.md");
  int members = 0;
  for (const char* union_name : {"ClientMessage", "ServerMessage"}) {
    const std::regex declaration(std::string("union\\s+") + union_name + "\\s*\\{([^}]*)\\}");
    std::smatch m;
    REQUIRE(std::regex_search(schema, m, declaration));
    const std::string list = m[1];
    const std::regex member("[A-Za-z_][A-Za-z0-9_]*");
    for (auto it = std::sregex_iterator(list.begin(), list.end(), member); it != std::sregex_iterator(); ++it) {
      const std::string name = it->str();
      INFO(union_name << " member " << name << " needs a \"### " << name << "\" section");
      CHECK(std::regex_search(page, std::regex("(^|\\n)### " + name + "[ \\t]*(\\n|$)")));
      ++members;
    }
  }
  CHECK(members == 25);
}

TEST_CASE("a refusal of a fractional price names the request it could read, however the frame is written", "[wire]") {
  // Issue 10, item 9: price_not_whole_pence must carry the frame's readable request_id.
  const std::vector<std::pair<std::string, std::string>> frames = {
      {R"({"message":{"request_id":"w1","package":7,"price":28.5,"start_date":"2026-11-25"},"message_type":"PlaceOffer"})", "w1"},
      {R"({"message_type":"PlaceOffer","message":{"request\u005fid":"w2","package":7,"price":28.5,"start_date":"2026-11-25"}})", "w2"},
      {R"({"message_type":"PlaceOffer","message":{"request_id":"w\u0033","package":7,"price":28.,"start_date":"2026-11-25"}})", "w3"},
      {R"({"message_type":"AmendOffer","message":{"request_id":"w4","location":"L-1","package":7,"price":.5}})", "w4"},
  };
  for (const auto& [frame, id] : frames) {
    INFO(frame);
    const ClientRequest r = decode_json(frame);
    REQUIRE(code_of(r) == "price_not_whole_pence");
    CHECK(std::get<ProtocolError>(r).request_id == id);
  }
}

// =============================================================================================
// Home-care orders and abnormally low offers on the wire (issue 10, items 5 and 6).

TEST_CASE("an offer flagged abnormally low asks its location alone to explain and the decision goes back to it",
          "[wire][explanation]") {
  Competition f;
  engine::PackageId id = 0;
  (void)batch(f, [&] { id = f.post(); });
  const auto offers = batch(f, [&] {
    REQUIRE(f.offer("A", id, 2650).ok());  // under 85% of £32.14: flagged
    REQUIRE(f.offer("B", id, 3000).ok());
  });
  check_addressing(f, offers);
  REQUIRE(offers.types("P-A") == std::vector<std::string>{"ExplanationRequested:A"});
  CHECK(offers.of("P-B").empty());
  const auto* asked = offers.of("P-A")[0].frame->message_as_ExplanationRequested();
  CHECK(asked->package() == id);
  CHECK(asked->price() == 2650);
  CHECK(asked->fair_cost() == 3214);
  CHECK(asked->threshold_pct() == 85);

  const auto explained = batch(f, [&] {
    REQUIRE(f.run(engine::ExplainOffer{"P-A", "A", "x-1", id, "we pay the real living wage"}).ok());
  });
  CHECK(explained.by_provider.empty());  // the officer reads it; no provider is told

  const auto decided = batch(f, [&] {
    REQUIRE(f.run(engine::DecideAbnormallyLow{id, "A", false, "officer-1", "rests on unpaid travel time"}).ok());
  });
  check_addressing(f, decided);
  REQUIRE(decided.types("P-A") == std::vector<std::string>{"AbnormallyLowDecision:A"});
  CHECK(decided.of("P-B").empty());
  const auto* decision = decided.of("P-A")[0].frame->message_as_AbnormallyLowDecision();
  CHECK_FALSE(decision->accepted());
  CHECK(decided.of("P-A")[0].json.find("unpaid travel") == std::string::npos);  // not the officer's notes
}

TEST_CASE("a broadcast carries the schedule and weekly minutes and funding shares", "[wire][order]") {
  Competition f;
  engine::PackageSpec s = MarketFixture::standard_package();
  s.visits = {};
  s.quantity = 0;
  s.schedule = {{0, 7 * 60 + 30, 45, 2}, {6, 21 * 60, 30, 1}};
  s.end_date = kMonday + 100;
  s.funder = engine::Funder::joint;
  s.funding = {{engine::Funder::council, 60}, {engine::Funder::nhs, 40}};
  const auto posted = batch(f, [&] { f.post(s); });
  const auto* b = posted.of("P-A").at(0).frame->message_as_PackageBroadcast();
  REQUIRE(b->schedule());
  REQUIRE(b->schedule()->size() == 2);
  CHECK(b->schedule()->Get(0)->weekday() == w::Weekday::monday);
  CHECK(b->schedule()->Get(0)->at()->str() == "07:30");
  CHECK(b->schedule()->Get(0)->carers() == 2);
  CHECK(b->schedule()->Get(1)->weekday() == w::Weekday::sunday);
  CHECK(b->end_date()->str() == engine::format_date(kMonday + 100));
  REQUIRE(b->weekly_minutes());
  CHECK(b->weekly_minutes()->carer() == 120);
  CHECK(b->weekly_minutes()->person() == 75);
  CHECK(b->quantity() == 75);
  REQUIRE(b->funding()->size() == 2);
  CHECK(b->funding()->Get(1)->funder() == w::Funder::nhs);
  CHECK(b->funding()->Get(1)->percent() == 40);
  CHECK(posted.of("P-A").at(0).json.find("\"weekday\": \"monday\"") != std::string::npos);
}

TEST_CASE("ExplainOffer and per-requirement confirmations decode the same from JSON and FlatBuffers and bad ones are refused",
          "[wire][explanation]") {
  const std::string explain =
      R"({"message_type":"ExplainOffer","message":{"request_id":"x-1","location":"A","package":7,"explanation":"living wage"}})";
  const auto c = both_ways<engine::ExplainOffer>(explain);
  CHECK(c.provider == kProvider);
  CHECK(c.location == "A");
  CHECK(c.package == 7);
  CHECK(c.explanation == "living wage");

  const std::string place =
      R"({"message_type":"PlaceOffer","message":{"request_id":"r-1","location":"A","package":7,"price":2900,)"
      R"("start_date":"2026-11-25","confirmed_must_meet":["hoist trained","female carers"]}})";
  const auto p = both_ways<engine::PlaceOffer>(place);
  CHECK(p.confirmed_must_meet == std::vector<std::string>{"hoist trained", "female carers"});
  CHECK_FALSE(p.must_meet_confirmed);

  // Refused: no request id, a wrong type, an unknown field, a control character in a requirement.
  CHECK(code_of(decode_json(R"({"message_type":"ExplainOffer","message":{"location":"A","package":7,"explanation":"x"}})")) ==
        "request_id_missing");
  CHECK(code_of(decode_json(R"({"message_type":"ExplainOffer","message":{"request_id":"x","location":"A","package":7,"explanation":5}})")) ==
        "malformed_frame");
  CHECK(code_of(decode_json(R"({"message_type":"ExplainOffer","message":{"request_id":"x","location":"A","package":7,"reason":"x"}})")) ==
        "malformed_frame");
  CHECK(code_of(decode_json(R"({"message_type":"PlaceOffer","message":{"request_id":"r","location":"A","package":7,"price":2900,)"
                            R"("start_date":"2026-11-25","confirmed_must_meet":"hoist trained"}})")) == "malformed_frame");
  const ClientRequest control = decode_json(
      R"({"message_type":"PlaceOffer","message":{"request_id":"r-9","location":"A","package":7,"price":2900,)"
      R"("start_date":"2026-11-25","confirmed_must_meet":["hoisttrained"]}})");
  CHECK(code_of(control) == "malformed_frame");
}
