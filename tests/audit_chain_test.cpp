// The tamper-evident audit chain (issue 13): every journal batch carries a SHA-256 link chained
// to the previous batch's (engine/store/audit_chain.h), so an edit the CRC cannot see — a byte
// of a stored batch changed and its CRC32C recomputed, a batch deleted, two batches swapped — is
// caught, by `carebroker-store verify` and by recovery, at exactly the batch where it was made;
// and a store rewritten from an edit onwards (every later link recomputed) is caught against a
// head recorded outside the store earlier (/metrics, a backup's manifest). Journals written
// before the chain still load: their batches are the chain's pre-history.
//
// The tampering is done as someone holding the files would: the store's RocksDB opened
// directly, no journal code in between.
#include <sys/wait.h>

#include <rocksdb/db.h>

#include <catch2/catch.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "engine/codec/event_codec.h"
#include "engine/market/market.h"
#include "engine/sequencer/recovery.h"
#include "engine/store/audit_chain.h"
#include "engine/store/backup_manifest.h"
#include "engine/store/batch_frame.h"
#include "engine/store/chain_verify.h"
#include "engine/store/memory_journal.h"
#include "engine/store/rocksdb_journal.h"
#include "gateway_client.h"
#include "store_test_support.h"

using namespace carebroker;
using carebroker::store::BatchToAppend;
using carebroker::store::ChainHash;
using carebroker::store::ChainHead;
using carebroker::store::RocksJournal;
using carebroker::store::StoreStatus;
using carebroker::testing::store_support::code;
using carebroker::testing::store_support::TempDir;
using carebroker::testing::store_support::open_store;
namespace fs = std::filesystem;

namespace {

constexpr std::size_t kChainedHeader = 4 + 8 + 8 + 32;  // CRC, first, last, link

/// Batches of real events (the market's clock moving on), 1 to 4 events each, from `first`.
std::vector<BatchToAppend> clock_batches(std::uint64_t first, int count) {
  std::vector<BatchToAppend> out;
  std::uint64_t seq = first;
  for (int i = 0; i < count; ++i) {
    std::vector<engine::Event> events;
    const int size = 1 + i % 4;
    for (int e = 0; e < size; ++e)
      events.push_back(engine::ClockAdvanced{static_cast<engine::UtcMillis>(1'900'000'000'000 + (seq + e) * 60'000)});
    out.push_back(BatchToAppend{seq, seq + size - 1, codec::encode_batch(seq, events), {}});
    seq += size;
  }
  return out;
}

/// The head after each batch, computed here from the definition: link(n) = SHA-256(link(n-1) ·
/// first · last · payload), from the genesis.
std::vector<ChainHead> heads_of(const std::vector<BatchToAppend>& batches, ChainHash previous = store::kChainGenesis) {
  std::vector<ChainHead> out;
  for (const auto& b : batches) {
    previous = store::chain_link(previous, b.first_seq, b.last_seq, b.payload);
    out.push_back(ChainHead{b.last_seq, previous});
  }
  return out;
}

void make_store(const fs::path& dir, const std::vector<BatchToAppend>& batches) {
  auto j = open_store(dir);
  for (const auto& b : batches) REQUIRE_STORE_OK(j->append(b));
}

/// The store's RocksDB opened directly, as anyone with the files could: reads and writes the
/// stored frames of the "journal" column family, keyed by first sequence number.
class RawStore {
 public:
  explicit RawStore(const fs::path& dir) {
    std::vector<std::string> names;
    REQUIRE(rocksdb::DB::ListColumnFamilies(rocksdb::DBOptions(), dir.string(), &names).ok());
    std::vector<rocksdb::ColumnFamilyDescriptor> families;
    for (const auto& n : names) families.emplace_back(n, rocksdb::ColumnFamilyOptions());
    rocksdb::DB* db = nullptr;
    REQUIRE(rocksdb::DB::Open(rocksdb::DBOptions(), dir.string(), families, &handles_, &db).ok());
    db_ = db;
    for (std::size_t i = 0; i < names.size(); ++i)
      if (names[i] == "journal") journal_ = handles_[i];
    REQUIRE(journal_ != nullptr);
  }
  ~RawStore() {
    for (auto* h : handles_) (void)db_->DestroyColumnFamilyHandle(h);
    (void)db_->Close();
    delete db_;
  }
  RawStore(const RawStore&) = delete;
  RawStore& operator=(const RawStore&) = delete;

  std::string get(std::uint64_t key) {
    std::string value;
    REQUIRE(db_->Get(rocksdb::ReadOptions(), journal_, store::sequence_key(key), &value).ok());
    return value;
  }
  void put(std::uint64_t key, const std::string& value) {
    REQUIRE(db_->Put(rocksdb::WriteOptions(), journal_, store::sequence_key(key), value).ok());
  }
  void remove(std::uint64_t key) { REQUIRE(db_->Delete(rocksdb::WriteOptions(), journal_, store::sequence_key(key)).ok()); }

 private:
  rocksdb::DB* db_ = nullptr;
  std::vector<rocksdb::ColumnFamilyHandle*> handles_;
  rocksdb::ColumnFamilyHandle* journal_ = nullptr;
};

/// `frame` with its CRC32C recomputed over the rest, as a careful forger would.
std::string with_fresh_crc(std::string frame) {
  const std::uint32_t crc = store::crc32c(std::string_view(frame).substr(4));
  for (int i = 0; i < 4; ++i) frame[i] = static_cast<char>(crc >> (8 * i));
  return frame;
}

/// A version-2 frame put together by hand: any sequence range, link and payload.
std::string forged_frame(std::uint64_t first, std::uint64_t last, const ChainHash& link, std::string_view payload) {
  std::string f(4, '\0');
  const std::uint64_t fields[2] = {first | std::uint64_t{2} << 56, last};
  for (const std::uint64_t v : fields)
    for (int i = 0; i < 8; ++i) f.push_back(static_cast<char>(v >> (8 * i)));
  f.append(reinterpret_cast<const char*>(link.data()), link.size());
  f.append(payload);
  return with_fresh_crc(std::move(f));
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

StoreStatus verify(const fs::path& dir, store::ChainReport& report) {
  auto j = open_store(dir);
  return store::verify_chain(*j, report);
}

struct ToolRun {
  int exit_code = -1;
  std::string output;
};

/// Runs the real `carebroker-store` binary with `args`; stdout and stderr together.
ToolRun run_store_tool(const std::string& args) {
  const std::string command = std::string(CAREBROKER_STORE_TOOL) + " " + args + " 2>&1";
  ToolRun run;
  FILE* pipe = ::popen(command.c_str(), "r");
  REQUIRE(pipe != nullptr);
  char buffer[4096];
  for (std::size_t n; (n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0;) run.output.append(buffer, n);
  const int status = ::pclose(pipe);
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return run;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// The link, the frame, the head's text form
// ---------------------------------------------------------------------------------------------

TEST_CASE("a batch's link is SHA-256 of the previous link, its sequence numbers and its payload, from a genesis of zeros",
          "[audit_chain]") {
  CHECK(store::to_hex(store::kChainGenesis) == std::string(64, '0'));
  // Worked by hand (Python's hashlib): sha256(32 zero bytes · u64le 1 · u64le 3 · "three events").
  const ChainHash first = store::chain_link(store::kChainGenesis, 1, 3, "three events");
  CHECK(store::to_hex(first) == "fc014a4f7de7ea7ea4a8f619c967975556ecd8a3bd3ded9f45529e96b6a9b620");
  const ChainHash second = store::chain_link(first, 4, 4, "one more");
  CHECK(store::to_hex(second) == "45250524b1850502e4aa51420d493a092d41de471f42dd697705f942c94eb392");
  // The sequence numbers are in the hash: the same payload elsewhere is another link.
  CHECK(store::chain_link(first, 5, 5, "one more") != second);

  // Each journal keeps the head as it appends.
  store::MemoryJournal j;
  REQUIRE_STORE_OK(j.append(BatchToAppend{1, 3, "three events", {}}));
  REQUIRE_STORE_OK(j.append(BatchToAppend{4, 4, "one more", {}}));
  CHECK(j.chain_head() == ChainHead{4, second});
  ChainHead at3;
  REQUIRE_STORE_OK(j.chain_head_at(3, at3));
  CHECK(at3 == ChainHead{3, first});
}

TEST_CASE("a chained frame carries its link, and a frame from before the chain still reads, without one",
          "[audit_chain]") {
  ChainHash link;
  const ChainHash previous = store::chain_link(store::kChainGenesis, 1, 4, "earlier");
  const std::string chained = store::frame_chained_batch(5, 7, "payload", previous, link);
  CHECK(link == store::chain_link(previous, 5, 7, "payload"));
  CHECK(chained.size() == kChainedHeader + 7);
  store::UnframedBatch b;
  REQUIRE_STORE_OK(store::unframe_batch(chained, b));
  CHECK(b.version == 2);
  CHECK(b.first_seq == 5);
  CHECK(b.last_seq == 7);
  CHECK(b.payload == "payload");
  CHECK(b.link == link);

  const std::string unchained = store::frame_batch(5, 7, "payload");  // b's payload views into it
  REQUIRE_STORE_OK(store::unframe_batch(unchained, b));
  CHECK(b.version == 1);
  CHECK(b.first_seq == 5);
  CHECK(b.payload == "payload");
  CHECK(b.link == store::kChainGenesis);

  // A version this build does not know, or a chained frame too short for its link, is refused.
  std::string unknown = chained;
  unknown[11] = 3;
  StoreStatus s = store::unframe_batch(with_fresh_crc(unknown), b);
  CHECK(code(s) == "corruption");
  CHECK(contains(s.message, "version 3"));
  s = store::unframe_batch(with_fresh_crc(chained.substr(0, 30)), b);
  CHECK(code(s) == "corruption");
}

TEST_CASE("a chain head is written SEQ:HEX and read back from that form only", "[audit_chain]") {
  const ChainHead head{1234, store::chain_link(store::kChainGenesis, 1, 1234, "x")};
  const std::string text = store::to_string(head);
  CHECK(text == "1234:" + store::to_hex(head.hash));
  CHECK(store::parse_chain_head(text) == head);
  std::string upper = text;
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  CHECK(store::parse_chain_head(upper) == head);
  const std::string hex = store::to_hex(head.hash);
  for (const std::string& bad : {std::string(), std::string("1234"), ":" + hex, "x:" + hex, "-1:" + hex, "12 :" + hex,
                                 "1234:" + hex.substr(1), "1234:" + hex + "0", "1234:" + std::string(64, 'g'),
                                 "1234;" + hex, "99999999999999999999999:" + hex}) {
    INFO("'" << bad << "'");
    CHECK_FALSE(store::parse_chain_head(bad).has_value());
  }
}

// ---------------------------------------------------------------------------------------------
// The writer and verify
// ---------------------------------------------------------------------------------------------

TEST_CASE("the RocksDB journal chains every batch it appends, and finds the same head when reopened",
          "[audit_chain][store]") {
  TempDir dir("chain");
  const auto batches = clock_batches(1, 12);
  const auto heads = heads_of(batches);
  {
    auto j = open_store(dir.path);
    CHECK(j->chain_head() == ChainHead{});  // empty: the genesis at 0
    for (std::size_t i = 0; i < batches.size(); ++i) {
      REQUIRE_STORE_OK(j->append(batches[i]));
      CHECK(j->chain_head() == heads[i]);
    }
  }
  auto j = open_store(dir.path);
  CHECK(j->chain_head() == heads.back());
  for (const auto& h : heads) {
    ChainHead stored;
    REQUIRE_STORE_OK(j->chain_head_at(h.seq, stored));
    CHECK(stored == h);
  }
  ChainHead none;
  CHECK(code(j->chain_head_at(batches[3].first_seq + 1, none)) == "not_found");  // batch 4 holds 4 events
  store::ChainReport report;
  REQUIRE_STORE_OK(store::verify_chain(*j, report));
  CHECK(report.head == heads.back());
  CHECK(report.batches == 12);
  CHECK(report.unchained == 0);
  CHECK(report.chained_from == 1);

  // The in-memory journal chains the same batches to the same head.
  store::MemoryJournal memory;
  for (const auto& b : batches) REQUIRE_STORE_OK(memory.append(b));
  CHECK(memory.chain_head() == heads.back());
}

TEST_CASE("the tamper test: a payload byte edited and its CRC recomputed is caught at exactly that batch, by verify and by recovery",
          "[audit_chain][store]") {
  TempDir dir("tamper");
  const auto batches = clock_batches(1, 20);
  const auto heads = heads_of(batches);
  make_store(dir.path, batches);
  const BatchToAppend& victim = batches[9];
  std::string edited_payload;
  {
    RawStore raw(dir.path);
    std::string frame = raw.get(victim.first_seq);
    REQUIRE(frame.size() == kChainedHeader + victim.payload.size());
    const std::size_t at = kChainedHeader + victim.payload.size() / 2;
    frame[at] = static_cast<char>(frame[at] ^ 0x01);
    frame = with_fresh_crc(frame);
    // The CRC passes: only the chain can catch this.
    store::UnframedBatch b;
    REQUIRE_STORE_OK(store::unframe_batch(frame, b));
    edited_payload = std::string(b.payload);
    raw.put(victim.first_seq, frame);
  }
  const std::string expected = store::to_hex(store::chain_link(heads[8].hash, victim.first_seq, victim.last_seq, edited_payload));
  const std::string found = store::to_hex(heads[9].hash);

  store::ChainReport report;
  const StoreStatus s = verify(dir.path, report);
  INFO(s.message);
  CHECK(code(s) == "corruption");
  CHECK(contains(s.message, "audit chain broken at the batch starting at sequence " + std::to_string(victim.first_seq) + ":"));
  CHECK(contains(s.message, "expected link " + expected));
  CHECK(contains(s.message, "found " + found));

  {
    // Recovery refuses the journal at the same batch, having applied everything before it.
    auto j = open_store(dir.path);
    engine::Market market;
    sequencer::Recovered info;
    const StoreStatus r = sequencer::recover_market(*j, market, info, sequencer::SnapshotUse::none);
    INFO(r.message);
    CHECK(code(r) == "corruption");
    CHECK(contains(r.message, "sequence " + std::to_string(victim.first_seq) + ":"));
    CHECK(info.last_seq == batches[8].last_seq);
    // A replay that starts after the edited batch (recovery from a snapshot taken there) picks
    // the chain up from that batch's stored link: it checks the links after it, not before.
    // Only a full verify reads the whole chain.
    int after = 0;
    REQUIRE_STORE_OK(j->replay(victim.last_seq, [&](std::uint64_t, std::uint64_t, std::string_view) {
      ++after;
      return StoreStatus{};
    }));
    CHECK(after == 10);
  }

  const ToolRun run = run_store_tool("verify " + dir.path.string());
  INFO(run.output);
  CHECK(run.exit_code == 1);
  CHECK(contains(run.output, "audit chain: BROKEN"));
  CHECK(contains(run.output, "sequence " + std::to_string(victim.first_seq) + ":"));
  CHECK(contains(run.output, expected));
  CHECK(contains(run.output, found));
}

TEST_CASE("the tamper test: a stored link edited, with its CRC recomputed, is caught at that batch", "[audit_chain][store]") {
  TempDir dir("tamper-link");
  const auto batches = clock_batches(1, 8);
  make_store(dir.path, batches);
  for (std::size_t victim : {std::size_t{0}, std::size_t{4}, std::size_t{7}}) {
    INFO("batch " << victim + 1 << " of " << batches.size());
    TempDir copy("tamper-link-copy");
    fs::copy(dir.path, copy.path, fs::copy_options::recursive);
    {
      RawStore raw(copy.path);
      std::string frame = raw.get(batches[victim].first_seq);
      frame[20] = static_cast<char>(frame[20] ^ 0x80);  // the link's first byte
      raw.put(batches[victim].first_seq, with_fresh_crc(frame));
    }
    store::ChainReport report;
    const StoreStatus s = verify(copy.path, report);
    INFO(s.message);
    CHECK(contains(s.message, "audit chain broken at the batch starting at sequence " +
                                  std::to_string(batches[victim].first_seq) + ":"));
  }
}

TEST_CASE("the tamper test: a deleted batch is caught where it was, and deleting the newest is caught against a recorded head",
          "[audit_chain][store]") {
  TempDir dir("delete");
  const auto batches = clock_batches(1, 12);
  const auto heads = heads_of(batches);
  make_store(dir.path, batches);
  const std::string recorded = store::to_string(heads.back());  // e.g. from /metrics, before

  SECTION("a batch in the middle") {
    {
      RawStore raw(dir.path);
      raw.remove(batches[5].first_seq);
    }
    store::ChainReport report;
    const StoreStatus s = verify(dir.path, report);
    INFO(s.message);
    CHECK(code(s) == "sequence_gap");
    CHECK(contains(s.message, "expected a batch starting at " + std::to_string(batches[5].first_seq)));
    const ToolRun run = run_store_tool("verify --data " + dir.path.string());
    INFO(run.output);
    CHECK(run.exit_code == 1);
    CHECK(contains(run.output, std::to_string(batches[5].first_seq)));
  }
  SECTION("a batch in the middle, and every later batch renumbered to close the gap") {
    {
      RawStore raw(dir.path);
      std::uint64_t seq = batches[5].first_seq;
      for (std::size_t i = 5; i < batches.size(); ++i) raw.remove(batches[i].first_seq);
      for (std::size_t i = 6; i < batches.size(); ++i) {
        const std::uint64_t size = batches[i].last_seq - batches[i].first_seq + 1;
        raw.put(seq, forged_frame(seq, seq + size - 1, heads[i].hash, batches[i].payload));
        seq += size;
      }
    }
    store::ChainReport report;
    const StoreStatus s = verify(dir.path, report);
    INFO(s.message);
    CHECK(code(s) == "corruption");
    CHECK(contains(s.message, "audit chain broken at the batch starting at sequence " + std::to_string(batches[5].first_seq) + ":"));
  }
  SECTION("the newest batch: the chain is intact but ends early, which only a recorded head shows") {
    {
      RawStore raw(dir.path);
      raw.remove(batches.back().first_seq);
    }
    store::ChainReport report;
    REQUIRE_STORE_OK(verify(dir.path, report));
    CHECK(report.head == heads[heads.size() - 2]);
    {
      auto j = open_store(dir.path);
      const StoreStatus s = store::check_expected_head(*j, heads.back());
      INFO(s.message);
      CHECK(code(s) == "not_found");
      CHECK(contains(s.message, "sequence " + std::to_string(heads.back().seq)));
    }
    const ToolRun run = run_store_tool("verify " + dir.path.string() + " --expect-head " + recorded);
    INFO(run.output);
    CHECK(run.exit_code == 3);
    CHECK(contains(run.output, "expected head: NOT FOUND"));
  }
}

TEST_CASE("the tamper test: two batches swapped are caught at the first of them", "[audit_chain][store]") {
  TempDir dir("swap");
  const auto batches = clock_batches(1, 12);
  const auto heads = heads_of(batches);
  make_store(dir.path, batches);
  const BatchToAppend& a = batches[4];
  const BatchToAppend& b = batches[5];

  SECTION("each stored under the other's key") {
    {
      RawStore raw(dir.path);
      const std::string va = raw.get(a.first_seq), vb = raw.get(b.first_seq);
      raw.put(a.first_seq, vb);
      raw.put(b.first_seq, va);
    }
    store::ChainReport report;
    const StoreStatus s = verify(dir.path, report);
    INFO(s.message);
    CHECK(code(s) == "corruption");
    CHECK(contains(s.message, "stored at sequence " + std::to_string(a.first_seq)));
  }
  SECTION("swapped and renumbered to fit, each with its own link, the CRCs recomputed") {
    {
      RawStore raw(dir.path);
      raw.remove(a.first_seq);
      raw.remove(b.first_seq);
      const std::uint64_t b_size = b.last_seq - b.first_seq + 1;
      raw.put(a.first_seq, forged_frame(a.first_seq, a.first_seq + b_size - 1, heads[5].hash, b.payload));
      raw.put(a.first_seq + b_size, forged_frame(a.first_seq + b_size, b.last_seq, heads[4].hash, a.payload));
    }
    store::ChainReport report;
    const StoreStatus s = verify(dir.path, report);
    INFO(s.message);
    CHECK(code(s) == "corruption");
    CHECK(contains(s.message, "audit chain broken at the batch starting at sequence " + std::to_string(a.first_seq) + ":"));
    const ToolRun run = run_store_tool("verify " + dir.path.string());
    INFO(run.output);
    CHECK(run.exit_code == 1);
  }
}

TEST_CASE("a chained batch rewritten in the old frame is refused: a batch cannot step out of the chain",
          "[audit_chain][store]") {
  TempDir dir("downgrade");
  const auto batches = clock_batches(1, 10);
  make_store(dir.path, batches);
  const BatchToAppend& victim = batches[6];
  {
    RawStore raw(dir.path);
    raw.put(victim.first_seq, store::frame_batch(victim.first_seq, victim.last_seq, victim.payload));
  }
  store::ChainReport report;
  const StoreStatus s = verify(dir.path, report);
  INFO(s.message);
  CHECK(code(s) == "corruption");
  CHECK(contains(s.message, "sequence " + std::to_string(victim.first_seq) + ": an unchained (version-1) frame after the chain began"));
}

TEST_CASE("a store re-chained from an edit onwards verifies alone, and is caught against a head recorded before the edit",
          "[audit_chain][store]") {
  TempDir dir("rechain");
  const auto batches = clock_batches(1, 10);
  const auto heads = heads_of(batches);
  make_store(dir.path, batches);
  // Heads recorded outside the store: one before the edit's place, one at the end.
  const ChainHead before_edit = heads[2], at_end = heads.back();
  {
    // The forger edits batch 4 and recomputes every link from it on: what the chain alone does
    // not catch (the hash is not keyed).
    RawStore raw(dir.path);
    std::vector<BatchToAppend> forged(batches.begin() + 3, batches.end());
    char& byte = forged[0].payload[forged[0].payload.size() / 2];
    byte = static_cast<char>(byte ^ 0x01);
    const auto forged_heads = heads_of(forged, heads[2].hash);
    for (std::size_t i = 0; i < forged.size(); ++i)
      raw.put(forged[i].first_seq, forged_frame(forged[i].first_seq, forged[i].last_seq, forged_heads[i].hash, forged[i].payload));
  }
  store::ChainReport report;
  REQUIRE_STORE_OK(verify(dir.path, report));
  CHECK(report.head.seq == at_end.seq);
  CHECK(report.head.hash != at_end.hash);
  {
    auto j = open_store(dir.path);
    REQUIRE_STORE_OK(store::check_expected_head(*j, before_edit));  // the history before the edit is unchanged
    const StoreStatus s = store::check_expected_head(*j, at_end);
    INFO(s.message);
    CHECK(code(s) == "corruption");
    CHECK(contains(s.message, "the chain at sequence " + std::to_string(at_end.seq) + " is " + store::to_hex(report.head.hash) +
                                  ", expected " + store::to_hex(at_end.hash)));
  }
  const ToolRun caught = run_store_tool("verify " + dir.path.string() + " --expect-head " + store::to_string(at_end));
  INFO(caught.output);
  CHECK(caught.exit_code == 3);
  const ToolRun earlier = run_store_tool("verify " + dir.path.string() + " --expect-head " + store::to_string(before_edit));
  INFO(earlier.output);
  CHECK(contains(earlier.output, "expected head: the chain passes through " + store::to_string(before_edit)));
  // (The forged byte leaves batch 4 undecodable, so the market's recovery after the chain check
  // still fails it: exit 1, naming the batch.)
  CHECK(earlier.exit_code == 1);
  CHECK(contains(earlier.output, "journal batch at sequence " + std::to_string(batches[3].first_seq) + ":"));
}

TEST_CASE("verify --expect-head: a store that has grown since the head was recorded still verifies, and the exit codes",
          "[audit_chain][store]") {
  TempDir dir("grown");
  const auto batches = clock_batches(1, 15);
  const auto heads = heads_of(batches);
  make_store(dir.path, std::vector<BatchToAppend>(batches.begin(), batches.begin() + 6));
  const ChainHead recorded = heads[5];
  {
    auto j = open_store(dir.path);
    CHECK(j->chain_head() == recorded);
    for (std::size_t i = 6; i < batches.size(); ++i) REQUIRE_STORE_OK(j->append(batches[i]));
    REQUIRE_STORE_OK(store::check_expected_head(*j, recorded));
  }
  const ToolRun grown = run_store_tool("verify " + dir.path.string() + " --expect-head " + store::to_string(recorded));
  INFO(grown.output);
  CHECK(grown.exit_code == 0);
  CHECK(contains(grown.output, "audit chain: intact: 15 batches from sequence 1 linked from the genesis; head " +
                                   store::to_string(heads.back())));
  CHECK(contains(grown.output, "expected head: the chain passes through " + store::to_string(recorded)));

  // A head between two batches' ends names no batch: not the store it was recorded from.
  const ChainHead mid{batches[3].first_seq + 1, recorded.hash};
  const ToolRun nowhere = run_store_tool("verify " + dir.path.string() + " --expect-head " + store::to_string(mid));
  INFO(nowhere.output);
  CHECK(nowhere.exit_code == 3);
  // Past the store's end: it has lost batches since, or is another store.
  const ChainHead beyond{heads.back().seq + 100, recorded.hash};
  CHECK(run_store_tool("verify " + dir.path.string() + " --expect-head " + store::to_string(beyond)).exit_code == 3);
  for (const std::string& bad : {std::string("12"), std::string("12:abc"), "x:" + store::to_hex(recorded.hash)}) {
    const ToolRun refused = run_store_tool("verify " + dir.path.string() + " --expect-head " + bad);
    INFO(bad << " → " << refused.output);
    CHECK(refused.exit_code == 2);
    CHECK(contains(refused.output, "--expect-head is SEQ:HEX"));
  }
}

TEST_CASE("a journal written before the chain loads: its batches are the pre-history, the first chained batch links to the genesis",
          "[audit_chain][store]") {
  TempDir dir("prehistory");
  std::uint64_t last_v1 = 0;
  std::size_t v1_batches = 0;
  {
    // journal_v1.bin's 43 batches, stored as that build's journal stored them.
    std::ifstream in(std::string(CAREBROKER_FIXTURES_DIR) + "/journal_v1.bin", std::ios::binary);
    REQUIRE(in);
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    auto j = open_store(dir.path);
    for (std::size_t at = 8; at < bytes.size();) {
      std::uint32_t length = 0;
      for (int i = 0; i < 4; ++i) length |= static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[at + i])) << (8 * i);
      const std::string frame = bytes.substr(at + 4, length);
      store::UnframedBatch b;
      REQUIRE_STORE_OK(store::unframe_batch(frame, b));
      REQUIRE(b.version == 1);
      REQUIRE_STORE_OK(j->debug_put_raw(b.first_seq, frame));
      last_v1 = b.last_seq;
      ++v1_batches;
      at += 4 + length;
    }
  }
  REQUIRE(v1_batches == 43);
  REQUIRE(last_v1 == 276);
  const auto added = clock_batches(last_v1 + 1, 5);
  const auto heads = heads_of(added);  // from the genesis
  {
    auto j = open_store(dir.path);
    CHECK(j->chain_head() == ChainHead{276, store::kChainGenesis});
    for (const auto& b : added) REQUIRE_STORE_OK(j->append(b));
    CHECK(j->chain_head() == heads.back());
  }
  auto j = open_store(dir.path);
  store::ChainReport report;
  REQUIRE_STORE_OK(store::verify_chain(*j, report));
  CHECK(report.batches == 48);
  CHECK(report.unchained == 43);
  CHECK(report.chained_from == 277);
  CHECK(report.head == heads.back());
  engine::Market market;
  sequencer::Recovered info;
  REQUIRE_STORE_OK(sequencer::recover_market(*j, market, info, sequencer::SnapshotUse::none));
  CHECK(info.last_seq == added.back().last_seq);
  CHECK(info.events_replayed == added.back().last_seq);

  // Once the chain has begun, an old-frame batch after it is refused.
  const auto next = clock_batches(added.back().last_seq + 1, 1);
  REQUIRE_STORE_OK(j->debug_put_raw(next[0].first_seq, store::frame_batch(next[0].first_seq, next[0].last_seq, next[0].payload)));
  const StoreStatus s = store::verify_chain(*j, report);
  INFO(s.message);
  CHECK(contains(s.message, "sequence " + std::to_string(next[0].first_seq) + ": an unchained (version-1) frame after the chain began"));
}

// ---------------------------------------------------------------------------------------------
// Anchoring outside the store: backups' manifests and /metrics
// ---------------------------------------------------------------------------------------------

TEST_CASE("a backup's manifest records the chain head of the copy, and the copy verifies against it", "[audit_chain][store][backup]") {
  TempDir dir("manifest");
  TempDir backups("manifest-backups", TempDir::Made::created);
  const auto batches = clock_batches(1, 9);
  const auto heads = heads_of(batches);
  const fs::path copy = backups.path / "b1";
  {
    auto j = open_store(dir.path);
    for (const auto& b : batches) REQUIRE_STORE_OK(j->append(b));
    ChainHead head;
    REQUIRE_STORE_OK(j->backup(copy.string(), &head));
    CHECK(head == heads.back());
  }
  std::ifstream in(copy / store::kBackupManifest);
  REQUIRE(in);
  const std::string manifest((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  INFO(manifest);
  CHECK(contains(manifest, "\"last_sequence\": " + std::to_string(batches.back().last_seq)));
  CHECK(contains(manifest, "\"head\": \"" + store::to_hex(heads.back().hash) + "\""));
  CHECK(store::manifest_chain_head(manifest) == heads.back());
  CHECK((fs::status(copy / store::kBackupManifest).permissions() & (fs::perms::group_all | fs::perms::others_all)) ==
        fs::perms::none);
  const ToolRun run = run_store_tool("verify " + copy.string() + " --expect-head " + store::to_string(heads.back()));
  INFO(run.output);
  CHECK(run.exit_code == 0);
  CHECK_FALSE(store::manifest_chain_head("{\"format\": \"carebroker-backup/1\"}").has_value());

  // A restore checks the copy against its manifest: the true one restores, another head is refused.
  REQUIRE_STORE_OK(RocksJournal::restore(copy.string(), (backups.path / "restored").string()));
  {
    std::ofstream out(copy / store::kBackupManifest, std::ios::trunc);
    out << store::backup_manifest_json(heads[4].seq, ChainHead{heads[4].seq, heads[5].hash}, "2026-12-01T08:00:00Z");
  }
  const StoreStatus refused = RocksJournal::restore(copy.string(), (backups.path / "restored-2").string());
  INFO(refused.message);
  CHECK(code(refused) == "corruption");
  CHECK(contains(refused.message, "records the head " + std::to_string(heads[4].seq) + ":"));
  CHECK_FALSE(fs::exists(backups.path / "restored-2"));
}

TEST_CASE("the running server reports the chain head in /metrics and writes it into each backup's manifest",
          "[gateway][audit_chain][backup]") {
  testing::TestServer server;
  const std::string admin = server.token(gateway::Role::admin);
  const testing::HttpResult metrics = testing::http_request(server.port(), "GET", "/metrics", admin);
  REQUIRE(metrics.status == 200);
  const std::string seq = std::to_string(server.durable_seq());
  REQUIRE(server.durable_seq() > 0);
  CHECK(contains(metrics.body, "carebroker_audit_chain_sequence " + seq + "\n"));
  const std::string prefix = "carebroker_audit_chain_head{sequence=\"" + seq + "\",head=\"";
  const auto at = metrics.body.find(prefix);
  REQUIRE(at != std::string::npos);
  const std::string hex = metrics.body.substr(at + prefix.size(), 64);
  CHECK(contains(metrics.body, prefix + hex + "\"} 1\n"));
  REQUIRE(store::parse_chain_hash(hex).has_value());
  const std::string head = seq + ":" + hex;

  const testing::HttpResult made =
      testing::http_request(server.port(), "POST", "/api/v1/admin/backups", admin, R"({"name": "anchored"})");
  INFO(made.status << " " << made.body);
  REQUIRE(made.status == 201);
  CHECK(contains(made.body, "\"audit_chain_head\":\"" + head + "\""));
  const fs::path backup = fs::path(server.data_dir()) / "backups" / "anchored";
  std::ifstream in(backup / store::kBackupManifest);
  REQUIRE(in);
  const std::string manifest((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  CHECK(store::manifest_chain_head(manifest) == store::parse_chain_head(head));
  const ToolRun run = run_store_tool("verify " + backup.string() + " --expect-head " + head);
  INFO(run.output);
  CHECK(run.exit_code == 0);
}
