// What the gateway's end-to-end tests share: the officer's REST calls, client frames in both
// encodings (JSON text and FlatBuffers binary), server frames read into one shape (Msg), and
// ProviderClient — a provider's connection that checks the stream numbering of every frame and
// gathers a paged Snapshot into one. Used by gateway_integration_test.cpp and
// gateway_security_test.cpp. One thread per client.
#pragma once

#include <catch2/catch.hpp>

#include <boost/json.hpp>
#include <flatbuffers/idl.h>

#include <cstring>
#include <limits>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "gateway/metrics.h"
#include "gateway/protocol/wire_codec.h"
#include "gateway_client.h"
#include "schemas/wire_generated.h"

namespace carebroker::testing::gateway_support {

namespace json = boost::json;
namespace w = carebroker::wire;
using carebroker::gateway::Role;
using namespace carebroker::testing;

inline constexpr carebroker::engine::UtcMillis kHour = 3'600'000;

// ---- the officer's side: REST ----

/// A standard B13 package (invites A and B, never N) with a one-hour window; `extra` adds
/// members (", \"needs\": [...]").
inline std::string package_json(const std::string& extra = {}) {
  return R"({"dps": "home-care", "lot": "hc", "categories": ["older_people"], "postcode_district": "B13",
    "quantity": 840, "visits": {"visits_per_day": 4, "minutes_per_visit": 30, "days_per_week": 7},
    "start_date": "2026-11-25", "needs": ["personal care", "medication prompts"],
    "outcomes": ["remain independent at home"], "window": 3600000,
    "person": {"name": "Ada Example", "address": "1 Test Street", "postcode": "B13 9ZZ", "case_reference": "CASE-1"})" +
         extra + "}";
}

inline bool mentions_person(std::string_view bytes) {
  for (std::string_view s : {"Ada Example", "1 Test Street", "B13 9ZZ", "CASE-1"})
    if (bytes.find(s) != std::string_view::npos) return true;
  return false;
}

inline json::value parse_json(const std::string& text) {
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  INFO(text);
  REQUIRE(!ec);
  return v;
}

inline json::value must_http(TestServer& server, int status, std::string_view method, std::string_view target,
                      const std::string& token, const std::string& body = {}) {
  const HttpResult r = http_request(server.port(), method, target, token, body);
  INFO(method << " " << target << " → " << r.status << " " << r.body.substr(0, 400) << r.error);
  REQUIRE(r.status == status);
  REQUIRE(r.content_type == "application/json");
  return parse_json(r.body);
}

inline std::uint64_t post_package(TestServer& server, const std::string& officer, const std::string& body = package_json()) {
  const json::value v = must_http(server, 201, "POST", "/api/v1/packages", officer, body);
  return v.at("package").to_number<std::uint64_t>();
}

inline std::string rest_error_code(const HttpResult& r) {
  INFO(r.status << " " << r.body << r.error);
  const json::value v = parse_json(r.body);
  return std::string(v.at("error").at("code").as_string());
}

// ---- the provider's side: client frames in both encodings ----

inline std::string client_json(std::string_view type, json::object message) {
  return json::serialize(json::object{{"message_type", type}, {"message", std::move(message)}});
}

template <typename Build>
inline std::string client_fb(w::ClientMessage type, Build build) {
  flatbuffers::FlatBufferBuilder b;
  const auto message = build(b);
  b.Finish(w::CreateClientFrame(b, type, message.Union()), "CBW1");
  return {reinterpret_cast<const char*>(b.GetBufferPointer()), b.GetSize()};
}

struct OfferArgs {
  std::string request_id;
  std::string location;
  std::uint64_t package = 0;
  std::int64_t price = 0;
  std::string start_date = "2026-11-25";
  bool must_meet = true;
  std::string notes;
};

/// The same client message as a JSON text frame and as a FlatBuffers binary frame.
struct Both {
  std::string json;
  std::string binary;
};

inline Both hello_frame(const std::string& token, std::uint64_t resume_after, const std::string& epoch) {
  return {client_json("Hello", {{"token", token}, {"resume_after", resume_after}, {"stream_epoch", epoch}}),
          client_fb(w::ClientMessage::Hello, [&](flatbuffers::FlatBufferBuilder& b) {
            return w::CreateHelloDirect(b, token.c_str(), resume_after, epoch.c_str());
          })};
}

inline Both offer_frame(const OfferArgs& o, bool amend = false) {
  json::object m{{"request_id", o.request_id}, {"location", o.location},     {"package", o.package},
                 {"price", o.price},           {"start_date", o.start_date}, {"must_meet_confirmed", o.must_meet},
                 {"notes", o.notes}};
  if (amend)
    return {client_json("AmendOffer", std::move(m)), client_fb(w::ClientMessage::AmendOffer, [&](auto& b) {
              return w::CreateAmendOfferDirect(b, o.request_id.c_str(), o.location.c_str(), o.package, o.price,
                                               o.start_date.c_str(), o.must_meet, o.notes.c_str());
            })};
  return {client_json("PlaceOffer", std::move(m)), client_fb(w::ClientMessage::PlaceOffer, [&](auto& b) {
            return w::CreatePlaceOfferDirect(b, o.request_id.c_str(), o.location.c_str(), o.package, o.price,
                                             o.start_date.c_str(), o.must_meet, o.notes.c_str());
          })};
}

inline Both accept_frame(const std::string& request_id, const std::string& location, std::uint64_t package) {
  return {client_json("AcceptAward", {{"request_id", request_id}, {"location", location}, {"package", package}}),
          client_fb(w::ClientMessage::AcceptAward, [&](auto& b) {
            return w::CreateAcceptAwardDirect(b, request_id.c_str(), location.c_str(), package);
          })};
}

inline Both ping_frame(std::uint64_t nonce) {
  return {client_json("Ping", {{"nonce", nonce}}),
          client_fb(w::ClientMessage::Ping, [&](auto& b) { return w::CreatePing(b, nonce); })};
}

// ---- server frames: both encodings read into one shape ----

/// One server frame: its stream number, its ServerMessage type and the message's fields (the
/// binary form is verified, then printed with the schema, so both encodings read alike).
struct Msg {
  std::uint64_t seq = 0;
  std::string type;
  json::object m;
  std::string raw;  ///< the frame's bytes as received

  std::string text(std::string_view key) const {
    const json::value* v = m.if_contains(key);
    return v && v->is_string() ? std::string(v->as_string()) : std::string();
  }
  std::int64_t number(std::string_view key) const {
    const json::value* v = m.if_contains(key);
    if (!v) return 0;
    if (v->is_uint64()) return static_cast<std::int64_t>(v->as_uint64());
    return v->is_int64() ? v->as_int64() : 0;
  }
  bool flag(std::string_view key) const {
    const json::value* v = m.if_contains(key);
    return v && v->is_bool() && v->as_bool();
  }
  std::string describe() const { return type + " seq " + std::to_string(seq) + " " + json::serialize(m).substr(0, 400); }
};

inline flatbuffers::Parser& server_frame_printer() {
  static flatbuffers::Parser* parser = [] {
    flatbuffers::IDLOptions opts;
    opts.strict_json = true;
    opts.indent_step = -1;
    opts.output_default_scalars_in_json = true;
    auto* p = new flatbuffers::Parser(opts);
    const std::string schema(carebroker::gateway::protocol::wire_schema_text());
    if (!p->Parse(schema.c_str()) || !p->SetRootType("ServerFrame")) throw std::logic_error(p->error_);
    return p;
  }();
  return *parser;
}

/// Decodes a server frame in the encoding it came in; `binary` is the encoding the client
/// spoke, which every reply must follow.
inline Msg decode(const WsFrame& f, bool binary_client) {
  INFO(f.describe());
  REQUIRE(f.is_message());
  CHECK((f.kind == WsFrame::Kind::binary) == binary_client);
  const bool binary = f.kind == WsFrame::Kind::binary;
  Msg out;
  out.raw = f.data;
  json::value frame;
  if (binary) {
    REQUIRE(f.data.size() >= 8 + 8);
    for (int i = 7; i >= 0; --i) out.seq = (out.seq << 8) | static_cast<unsigned char>(f.data[static_cast<std::size_t>(i)]);
    const std::string_view body = std::string_view(f.data).substr(8);
    std::vector<std::uint64_t> aligned((body.size() + 7) / 8);
    std::memcpy(aligned.data(), body.data(), body.size());
    const auto* bytes = reinterpret_cast<const std::uint8_t*>(aligned.data());
    flatbuffers::Verifier verifier(bytes, body.size());
    REQUIRE(verifier.VerifyBuffer<w::ServerFrame>("CBW1"));
    const w::ServerFrame* typed = flatbuffers::GetRoot<w::ServerFrame>(bytes);
    std::string text;
    REQUIRE(flatbuffers::GenerateText(server_frame_printer(), bytes, &text));
    frame = parse_json(text);
    REQUIRE(std::string(w::EnumNameServerMessage(typed->message_type())) ==
            std::string(frame.at("message_type").as_string()));
  } else {
    const json::value envelope = parse_json(f.data);
    REQUIRE(envelope.is_object());
    REQUIRE(envelope.as_object().size() == 2);
    out.seq = envelope.at("seq").to_number<std::uint64_t>();
    frame = envelope.at("frame");
  }
  out.type = std::string(frame.at("message_type").as_string());
  out.m = frame.at("message").as_object();
  return out;
}

/// Whether a server frame is whole: a JSON envelope, or [seq][ServerFrame] that verifies.
inline bool well_formed(const WsFrame& f) {
  if (f.kind == WsFrame::Kind::text) {
    boost::system::error_code ec;
    const json::value v = json::parse(f.data, ec);
    return !ec && v.is_object() && v.as_object().contains("seq") && v.as_object().contains("frame");
  }
  if (f.kind != WsFrame::Kind::binary || f.data.size() < 16) return false;
  const std::string_view body = std::string_view(f.data).substr(8);
  std::vector<std::uint64_t> aligned((body.size() + 7) / 8);
  std::memcpy(aligned.data(), body.data(), body.size());
  flatbuffers::Verifier verifier(reinterpret_cast<const std::uint8_t*>(aligned.data()), body.size());
  return verifier.VerifyBuffer<w::ServerFrame>("CBW1");
}

/// A provider's connection, in one encoding. Checks the stream numbering of every frame: 0 for
/// replies, and for notifications exactly one more than the last seen (a Snapshot sets it).
class ProviderClient {
 public:
  ProviderClient(TestServer& server, std::string token, bool binary)
      : server_(server), token_(std::move(token)), binary_(binary) {}

  /// Connects and says Hello; returns the Welcome. Unless the Welcome says resumed, reads the
  /// Snapshot that follows it — every page, 1..pages, each with the same seq — into `snapshot`
  /// (the pages' packages and updates gathered into one).
  Msg hello(std::uint64_t resume_after = 0, const std::string& epoch = {}, WsOptions options = {}) {
    connect(options);
    send(hello_frame(token_, resume_after, epoch));
    Msg welcome = next();
    INFO(welcome.describe());
    REQUIRE(welcome.type == "Welcome");
    REQUIRE(welcome.seq == 0);
    epoch_ = welcome.text("stream_epoch");
    REQUIRE(!epoch_.empty());
    if (welcome.flag("resumed")) {
      last_seq_ = resume_after;
    } else {
      snapshot = next();
      INFO(snapshot.describe());
      REQUIRE(snapshot.type == "Snapshot");
      REQUIRE(snapshot.number("page") == 1);
      snapshot_pages = 1;
      for (std::int64_t page = 2; page <= snapshot.number("pages"); ++page) {
        const Msg more = next();
        INFO(more.describe());
        REQUIRE(more.type == "Snapshot");
        REQUIRE(more.seq == snapshot.seq);
        REQUIRE(more.number("page") == page);
        for (const char* list : {"packages", "updates"})
          for (const auto& item : more.m.at(list).as_array()) snapshot.m.at(list).as_array().push_back(item);
        ++snapshot_pages;
      }
    }
    return welcome;
  }

  void connect(WsOptions options = {}) {
    std::string error;
    const bool connected = ws_.connect(server_.port(), error, options);
    INFO("connect: " << error);
    REQUIRE(connected);
  }

  void send(const Both& frame) {
    const bool sent = binary_ ? ws_.send_binary(frame.binary) : ws_.send_text(frame.json);
    INFO(ws_.last_error());
    REQUIRE(sent);
  }
  void send_raw(std::string_view bytes, bool binary) {
    const bool sent = binary ? ws_.send_binary(bytes) : ws_.send_text(bytes);
    INFO(ws_.last_error());
    REQUIRE(sent);
  }

  Msg next() {
    const WsFrame f = ws_.read();
    Msg m = decode(f, binary_);
    INFO(m.describe());
    if (m.type == "Snapshot") {
      last_seq_ = m.seq;
    } else if (m.seq != 0) {
      CHECK(m.seq == last_seq_ + 1);
      last_seq_ = m.seq;
    }
    seen.push_back(m);
    return m;
  }

  Msg expect(std::string_view type) {
    Msg m = next();
    INFO("expected " << type << ", got " << m.describe());
    REQUIRE(m.type == type);
    return m;
  }

  /// The reply to a request that was refused: an Error with `code` (and the request id).
  void expect_error(std::string_view code, std::string_view request_id = {}) {
    Msg m = expect("Error");
    INFO(m.describe());
    CHECK(m.seq == 0);
    CHECK(m.text("code") == code);
    CHECK(!m.text("detail").empty());
    if (!request_id.empty()) CHECK(m.text("request_id") == request_id);
  }

  Msg expect_ack(std::string_view request_id, std::uint64_t package, bool replayed = false) {
    Msg m = expect("Ack");
    INFO(m.describe());
    CHECK(m.seq == 0);
    CHECK(m.text("request_id") == request_id);
    CHECK(static_cast<std::uint64_t>(m.number("package")) == package);
    CHECK(m.m.contains("replayed"));
    CHECK(m.flag("replayed") == replayed);
    return m;
  }

  /// Nothing else is waiting for this client: a Ping's Pong is the very next frame.
  void expect_quiet() {
    const std::uint64_t nonce = ++nonce_;
    send(ping_frame(nonce));
    Msg m = expect("Pong");
    CHECK(static_cast<std::uint64_t>(m.number("nonce")) == nonce);
  }

  /// The connection ends (a close frame, or the TCP connection dropped) before `max_frames`
  /// more frames; returns how it ended.
  WsFrame expect_closed(int max_frames = 10) {
    for (int i = 0; i < max_frames; ++i) {
      WsFrame f = ws_.read();
      if (f.is_message()) continue;
      INFO(f.describe());
      REQUIRE(f.kind != WsFrame::Kind::timeout);
      return f;
    }
    FAIL("the connection stayed open");
    return {};
  }

  void place(const OfferArgs& o) { send(offer_frame(o)); }
  void accept(const std::string& request_id, const std::string& location, std::uint64_t package) {
    send(accept_frame(request_id, location, package));
  }
  void drop() { ws_.drop(); }
  void close() { ws_.close(); }

  WsClient& ws() { return ws_; }
  const std::string& epoch() const { return epoch_; }
  std::uint64_t last_seq() const { return last_seq_; }
  bool binary() const { return binary_; }

  Msg snapshot;
  std::size_t snapshot_pages = 0;
  std::vector<Msg> seen;

 private:
  TestServer& server_;
  std::string token_;
  bool binary_;
  WsClient ws_;
  std::string epoch_;
  std::uint64_t last_seq_ = 0;
  std::uint64_t nonce_ = 0;
};

inline std::vector<std::uint64_t> packages_in_snapshot(const Msg& snapshot) {
  std::vector<std::uint64_t> out;
  for (const auto& p : snapshot.m.at("packages").as_array()) out.push_back(p.at("package").to_number<std::uint64_t>());
  return out;
}

}  // namespace carebroker::testing::gateway_support
