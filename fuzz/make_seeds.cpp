// Writes the fuzz targets' seed corpora (fuzz/corpus/<target>/) from real frames and the test
// fixtures: every batch of tests/fixtures/journal_v1.bin (every v1 event type) and snapshots of
// the market it builds; each provider message type as a JSON and a FlatBuffers frame; a request
// for every REST route in the router's table (its first role's token, a plausible path and body);
// the test DPS configuration; the head of each CSV in data/cqc/ and data/fsa/; the sim's scenarios.
// Run by scripts/fuzz when a corpus is missing and by hand after a format change (the corpora
// are committed): make-seeds <source dir> <corpus dir>.
#include <flatbuffers/flatbuffers.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <string_view>
#include <vector>

#include "engine/codec/event_codec.h"
#include "engine/market/market.h"
#include "engine/store/batch_frame.h"
#include "gateway/rest/router.h"
#include "schemas/wire_generated.h"
#include "tests/rest_fixture_json.h"

namespace {

using namespace carebroker;
namespace fs = std::filesystem;
namespace w = carebroker::wire;

fs::path corpus;
int written = 0;

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void seed(const std::string& target, const std::string& name, std::string_view bytes) {
  const fs::path dir = corpus / target;
  fs::create_directories(dir);
  std::ofstream(dir / name, std::ios::binary).write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  ++written;
}

/// journal_v1.bin: "CBJFIX01", then per batch a 4-byte little-endian length and the stored value.
bool journal_and_snapshots(const fs::path& source) {
  const std::string bytes = read_file(source / "tests/fixtures/journal_v1.bin");
  if (bytes.substr(0, 8) != "CBJFIX01") return false;
  engine::Market market;
  std::size_t at = 8;
  int batch = 0;
  while (at + 4 <= bytes.size()) {
    std::uint32_t length = 0;
    for (int i = 0; i < 4; ++i) length |= static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[at + i])) << (8 * i);
    at += 4;
    const std::string_view value = std::string_view(bytes).substr(at, length);
    at += length;
    seed("fuzz_journal_batch", "v1-batch-" + std::to_string(++batch), value);
    store::UnframedBatch frame;
    if (!store::unframe_batch(value, frame).ok()) return false;
    const codec::DecodedBatch decoded = codec::decode_batch(frame.payload);
    if (!decoded.ok()) return false;
    for (const auto& e : decoded.events) market.apply(e);
    if (batch % 10 == 0) seed("fuzz_snapshot", "v1-after-batch-" + std::to_string(batch), market.save_snapshot());
  }
  seed("fuzz_snapshot", "v1-final", market.save_snapshot());
  seed("fuzz_snapshot", "empty-market", engine::Market().save_snapshot());
  return batch > 0;
}

template <typename Build>
std::string binary_frame(w::ClientMessage type, Build build) {
  flatbuffers::FlatBufferBuilder b;
  const auto message = build(b);
  b.Finish(w::CreateClientFrame(b, type, message.Union()), "CBW1");
  return std::string("\x01") + std::string(reinterpret_cast<const char*>(b.GetBufferPointer()), b.GetSize());
}

void wire_frames() {
  const auto text = [](const std::string& name, const std::string& json) { seed("fuzz_wire_frame", name, "\x02" + json); };
  text("hello.json", R"({"message_type":"Hello","message":{"token":"t0k3n","resume_after":0,"stream_epoch":""}})");
  text("place-offer.json", R"({"message_type":"PlaceOffer","message":{"request_id":"r1","location":"L1","package":1,"price":2150,"start_date":"2026-11-25","must_meet_confirmed":true,"notes":"can start Monday"}})");
  text("amend-offer.json", R"({"message_type":"AmendOffer","message":{"request_id":"r2","location":"L1","package":1,"price":2100,"start_date":"2026-11-26","must_meet_confirmed":true,"notes":""}})");
  text("withdraw-offer.json", R"({"message_type":"WithdrawOffer","message":{"request_id":"r3","location":"L1","package":1}})");
  text("accept-award.json", R"({"message_type":"AcceptAward","message":{"request_id":"r4","location":"L1","package":1}})");
  text("decline-award.json", R"({"message_type":"DeclineAward","message":{"request_id":"r5","location":"L1","package":1,"reason":"no staff"}})");
  text("hand-back.json", R"({"message_type":"HandBack","message":{"request_id":"r6","location":"L1","package":1,"reason":"lost staff"}})");
  text("ping.json", R"({"message_type":"Ping","message":{"nonce":42}})");
  text("explain-offer.json", R"({"message_type":"ExplainOffer","message":{"request_id":"r7","location":"L1","package":1,"explanation":"our rota is local"}})");
  text("accept-variation.json", R"({"message_type":"AcceptVariation","message":{"request_id":"r8","location":"L1","package":1}})");
  text("ask-question.json", R"({"message_type":"AskQuestion","message":{"request_id":"r9","location":"L1","package":1,"question":"Is a ground-floor flat?"}})");
  const auto binary = [](const std::string& name, const std::string& bytes) { seed("fuzz_wire_frame", name, bytes); };
  binary("hello.fb", binary_frame(w::ClientMessage::Hello, [](auto& b) { return w::CreateHelloDirect(b, "t0k3n", 7, "epoch-1"); }));
  binary("place-offer.fb", binary_frame(w::ClientMessage::PlaceOffer, [](auto& b) {
           return w::CreatePlaceOfferDirect(b, "r1", "L1", 1, 2150, "2026-11-25", true, "can start Monday");
         }));
  binary("amend-offer.fb", binary_frame(w::ClientMessage::AmendOffer, [](auto& b) {
           return w::CreateAmendOfferDirect(b, "r2", "L1", 1, 2100, "2026-11-26", true, "");
         }));
  binary("withdraw-offer.fb", binary_frame(w::ClientMessage::WithdrawOffer, [](auto& b) { return w::CreateWithdrawOfferDirect(b, "r3", "L1", 1); }));
  binary("accept-award.fb", binary_frame(w::ClientMessage::AcceptAward, [](auto& b) { return w::CreateAcceptAwardDirect(b, "r4", "L1", 1); }));
  binary("decline-award.fb", binary_frame(w::ClientMessage::DeclineAward, [](auto& b) { return w::CreateDeclineAwardDirect(b, "r5", "L1", 1, "no staff"); }));
  binary("hand-back.fb", binary_frame(w::ClientMessage::HandBack, [](auto& b) { return w::CreateHandBackDirect(b, "r6", "L1", 1, "lost staff"); }));
  binary("ping.fb", binary_frame(w::ClientMessage::Ping, [](auto& b) { return w::CreatePing(b, 42); }));
  binary("explain-offer.fb", binary_frame(w::ClientMessage::ExplainOffer, [](auto& b) { return w::CreateExplainOfferDirect(b, "r7", "L1", 1, "local rota"); }));
  binary("accept-variation.fb", binary_frame(w::ClientMessage::AcceptVariation, [](auto& b) { return w::CreateAcceptVariationDirect(b, "r8", "L1", 1); }));
  binary("ask-question.fb", binary_frame(w::ClientMessage::AskQuestion, [](auto& b) { return w::CreateAskQuestionDirect(b, "r9", "L1", 1, "Ground floor?"); }));
}

/// A request for every route: "{x}" filled with a value the fuzz target's market has.
void http_requests() {
  int n = 0;
  for (const gateway::RouteInfo& route : gateway::rest_routes()) {
    std::string path(route.path);
    for (std::size_t open = path.find('{'); open != std::string::npos; open = path.find('{')) {
      const std::size_t close = path.find('}', open);
      const std::string name = path.substr(open + 1, close - open - 1);
      const std::string value = name == "code" ? "home-care" : name == "id" && path.rfind("/api/v1/locations", 0) == 0 ? "L1" : "1";
      path.replace(open, close - open + 1, value);
    }
    if (!route.query.empty()) path += "?" + std::string(route.query.front()) + "=1";
    const char* role = route.roles.empty() ? "" : route.roles.front() == gateway::Role::admin ? "@admin"
                       : route.roles.front() == gateway::Role::officer                     ? "@officer"
                       : route.roles.front() == gateway::Role::compliance                  ? "@compliance"
                                                                                           : "@provider";
    const std::string body = route.method == "GET" ? "" : "{}";
    std::string request = std::string(route.method) + " " + path + " HTTP/1.1\r\nHost: fuzz\r\n";
    if (*role) request += std::string("Authorization: Bearer ") + role + "\r\n";
    if (route.keyed) request += "Idempotency-Key: key-" + std::to_string(n) + "\r\n";
    if (!body.empty()) request += "Content-Type: application/json\r\n";
    request += "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
    seed("fuzz_http_request", "route-" + std::to_string(++n), request);
  }
  const auto post = [](const std::string& name, const std::string& target, const std::string& role, const std::string& body) {
    seed("fuzz_http_request", name,
         "POST " + target + " HTTP/1.1\r\nHost: fuzz\r\nAuthorization: Bearer " + role +
             "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body);
  };
  post("post-package", "/api/v1/packages", "@officer", testing::kPackageJson);
  post("put-dps", "/api/v1/dps/home-care", "@admin", testing::kHomeCareJson);
  seed("fuzz_http_request", "chunked",
       "POST /api/v1/providers HTTP/1.1\r\nHost: fuzz\r\nAuthorization: Bearer @compliance\r\nContent-Type: "
       "application/json\r\nTransfer-Encoding: chunked\r\n\r\n1a\r\n{\"id\":\"P-2\",\"name\":\"Two\"}\r\n0\r\n\r\n");
}

void text_files(const fs::path& source) {
  seed("fuzz_dps_config", "home-care.json", testing::kHomeCareJson);
  // CQC's files and the FSA sample: fuzz_cqc_csv feeds each text to both readers.
  std::vector<fs::directory_entry> csv_files;
  for (const char* dir : {"data/cqc", "data/fsa"})
    for (const auto& entry : fs::directory_iterator(source / dir)) csv_files.push_back(entry);
  for (const auto& entry : csv_files) {
    if (entry.path().extension() != ".csv") continue;
    // The header and 30 rows: whole files are megabytes, and the fuzzer mutates a few KB best.
    std::ifstream in(entry.path());
    std::string line, head;
    for (int i = 0; i < 31 && std::getline(in, line); ++i) head += line + "\n";
    seed("fuzz_cqc_csv", entry.path().filename().string(), head);
  }
  for (const auto& entry : fs::directory_iterator(source / "sim/scenarios"))
    if (entry.path().extension() == ".json") seed("fuzz_scenario", entry.path().filename().string(), read_file(entry.path()));
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: make-seeds <source dir> <corpus dir>\n");
    return 2;
  }
  const fs::path source = argv[1];
  corpus = argv[2];
  if (!journal_and_snapshots(source)) {
    std::fprintf(stderr, "make-seeds: cannot read %s/tests/fixtures/journal_v1.bin\n", argv[1]);
    return 1;
  }
  wire_frames();
  http_requests();
  text_files(source);
  std::printf("make-seeds: %d seeds in %s\n", written, argv[2]);
  return 0;
}
