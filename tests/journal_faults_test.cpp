// The journal under faults — the decisions behind "a crash loses nothing acknowledged":
//  - a torn tail (the last WAL record cut short, or junk after the last record) is dropped back
//    to the last complete batch, and the journal carries on from there; a last record whose
//    missing bytes are junk refuses to open, like corruption in the middle (decided below);
//  - corruption in the middle of the WAL refuses to open (kTolerateCorruptedTailRecords);
//  - a batch failing our CRC, or a sequence gap, stops the replay with an error naming the
//    sequence number — never a silent truncation (both journals);
//  - a full disk fails the append with disk_full, writes nothing, and resume() returns the store
//    to service once space is freed;
//  - a power cut (FaultFileSystem) loses nothing appended with sync=true, and does lose what was
//    appended unsynced — proof that the fault file system really drops data.
#include <unistd.h>

#include <atomic>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "store_test_support.h"
#include "engine/store/batch_frame.h"
#include "engine/store/fault_fs.h"
#include "engine/store/memory_journal.h"
#include "engine/store/rocksdb_journal.h"

using carebroker::store::BatchToAppend;
using carebroker::store::FaultFileSystem;
using carebroker::store::frame_batch;
using carebroker::store::Journal;
using carebroker::store::MemoryJournal;
using carebroker::store::RocksJournal;
using carebroker::store::RocksJournalOptions;
using carebroker::store::Snapshot;
using carebroker::store::StoreCode;
using carebroker::store::StoreStatus;

namespace fs = std::filesystem;
using namespace carebroker::testing::store_support;

namespace {

/// A recognisable, seeded, partly binary payload (the journal does not look inside).
std::string fault_payload_for(std::uint64_t first, std::uint64_t last) {
  std::string p = "events " + std::to_string(first) + ".." + std::to_string(last) + " ";
  std::mt19937 rng(static_cast<unsigned>(first * 7919 + last));
  const std::size_t extra = 24 + rng() % 96;
  for (std::size_t i = 0; i < extra; ++i) p.push_back(static_cast<char>(rng() % 256));
  return p;
}

/// `count` batches of 1–8 events with consecutive sequence numbers from `first`; every third
/// batch retires a package (archive id = the batch's first sequence number × 10).
std::vector<BatchToAppend> batches_from(std::uint64_t first, int count) {
  std::vector<BatchToAppend> out;
  std::uint64_t seq = first;
  for (int i = 0; i < count; ++i) {
    const std::uint64_t size = 1 + (seq * 5 + static_cast<std::uint64_t>(i)) % 8;
    BatchToAppend b{seq, seq + size - 1, fault_payload_for(seq, seq + size - 1), {}};
    if (i % 3 == 0) b.archive.emplace_back(seq * 10, "archive of package " + std::to_string(seq * 10));
    out.push_back(std::move(b));
    seq += size;
  }
  return out;
}

std::vector<Seen> seen_of(const std::vector<BatchToAppend>& batches, std::size_t count) {
  std::vector<Seen> out;
  for (std::size_t i = 0; i < count && i < batches.size(); ++i)
    out.push_back(Seen{batches[i].first_seq, batches[i].last_seq, batches[i].payload});
  return out;
}

std::unique_ptr<RocksJournal> open_fault_journal(const fs::path& dir, bool sync = true,
                                           std::shared_ptr<rocksdb::FileSystem> file_system = nullptr,
                                           bool avoid_flush_during_shutdown = false) {
  RocksJournalOptions o;
  o.path = dir.string();
  o.sync = sync;
  o.file_system = std::move(file_system);
  o.avoid_flush_during_shutdown = avoid_flush_during_shutdown;
  std::unique_ptr<RocksJournal> j;
  REQUIRE_STORE_OK(RocksJournal::open(o, j));
  return j;
}

/// Writes `batches` with sync=true into a fresh journal at `dir` and closes it leaving every
/// batch in the write-ahead log only (avoid_flush_during_shutdown: no memtable flush at close).
void write_into_wal(const fs::path& dir, const std::vector<BatchToAppend>& batches) {
  auto j = open_fault_journal(dir, true, nullptr, true);
  for (const auto& b : batches) REQUIRE_STORE_OK(j->append(b));
}

/// A journal left with `batches` in its WAL only, written once and copied for each variant of a
/// test (copying is cheaper than writing it again with synced appends).
struct WalTemplate {
  TempDir dir{"wal-template"};
  explicit WalTemplate(const std::vector<BatchToAppend>& batches) { write_into_wal(dir.path, batches); }
  void copy_to(const fs::path& target) const { fs::copy(dir.path, target, fs::copy_options::recursive); }
};

/// The newest write-ahead log file (NNNNNN.log, the highest number) in `dir`.
fs::path newest_wal(const fs::path& dir) {
  fs::path best;
  unsigned long long best_number = 0;
  for (const auto& entry : fs::directory_iterator(dir)) {
    const fs::path p = entry.path();
    if (p.extension() != ".log") continue;
    const std::string stem = p.stem().string();
    if (stem.empty() || stem.find_first_not_of("0123456789") != std::string::npos) continue;
    const unsigned long long number = std::stoull(stem);
    if (best.empty() || number > best_number) {
      best = p;
      best_number = number;
    }
  }
  REQUIRE_FALSE(best.empty());
  return best;
}

/// After a torn tail: the journal opens, ends at the last complete batch, replays cleanly, and
/// takes the lost batch again.
void check_recovers_to_all_but_last(const fs::path& dir, const std::vector<BatchToAppend>& batches) {
  std::unique_ptr<RocksJournal> j;
  RocksJournalOptions o;
  o.path = dir.string();
  const StoreStatus opened = RocksJournal::open(o, j);
  INFO("reopen → " << code(opened) << ": " << opened.message);
  CHECK(opened.ok());
  if (!opened.ok()) return;
  const std::size_t complete = batches.size() - 1;
  CHECK(j->last_seq() == batches[complete - 1].last_seq);
  std::vector<Seen> seen;
  REQUIRE_STORE_OK(replay_all(*j, 0, seen));
  CHECK(seen == seen_of(batches, complete));
  // The dropped batch can be written again, and the journal goes on.
  REQUIRE_STORE_OK(j->append(batches.back()));
  j.reset();
  j = open_fault_journal(dir);
  REQUIRE_STORE_OK(replay_all(*j, 0, seen));
  CHECK(seen == seen_of(batches, batches.size()));
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Torn tail and mid-WAL corruption (RocksDB's WAL, kTolerateCorruptedTailRecords)
// ---------------------------------------------------------------------------------------------

TEST_CASE("a torn tail — the last WAL record cut short — is dropped back to the last complete batch",
          "[store][faults]") {
  const auto batches = batches_from(1, 30);
  const WalTemplate wal_template(batches);
  for (std::uintmax_t cut : {1u, 3u, 8u, 20u}) {
    INFO("cut " << cut << " bytes off the WAL");
    TempDir dir("torn-tail");
    wal_template.copy_to(dir.path);
    const fs::path wal = newest_wal(dir.path);
    const std::uintmax_t size = fs::file_size(wal);
    INFO(wal.filename().string() << ", " << size << " bytes");
    REQUIRE(size > 30 * 40);  // every batch is in it
    fs::resize_file(wal, size - cut);
    check_recovers_to_all_but_last(dir.path, batches);
  }
}

TEST_CASE("junk after the last complete WAL record (a torn write of a record never acknowledged) is dropped",
          "[store][faults]") {
  const auto batches = batches_from(1, 30);
  std::mt19937 rng(424242u);
  auto random_bytes = [&](int n) {
    std::string out;
    for (int i = 0; i < n; ++i) out.push_back(static_cast<char>(rng() % 256));
    return out;
  };
  struct Junk {
    const char* what;
    std::string bytes;
  };
  // A record header (checksum, length 300, type FULL) of which only 40 bytes of body arrive.
  std::string torn_header = random_bytes(4);
  torn_header += std::string("\x2c\x01\x01", 3);
  torn_header += random_bytes(40);
  const std::vector<Junk> junks = {
      {"zeros, as in preallocated space", std::string(200, '\0')},
      {"a record header promising more bytes than follow", torn_header},
      {"5 random bytes (shorter than a record header)", random_bytes(5)},
      {"64 seeded random bytes", random_bytes(64)},
      {"4 KiB of seeded random bytes", random_bytes(4096)},
  };
  const WalTemplate wal_template(batches);
  for (const auto& junk : junks) {
    INFO("appended to the WAL: " << junk.what);
    TempDir dir("wal-junk");
    wal_template.copy_to(dir.path);
    const fs::path wal = newest_wal(dir.path);
    write_file(wal, read_file(wal) + junk.bytes);
    std::unique_ptr<RocksJournal> j;
    RocksJournalOptions o;
    o.path = dir.path.string();
    const StoreStatus opened = RocksJournal::open(o, j);
    INFO("reopen → " << code(opened) << ": " << opened.message);
    REQUIRE(opened.ok());
    CHECK(j->last_seq() == batches.back().last_seq);
    std::vector<Seen> seen;
    REQUIRE_STORE_OK(replay_all(*j, 0, seen));
    CHECK(seen == seen_of(batches, batches.size()));
  }
}

// Decided: a last record cut short by the end of the file is a torn tail and is dropped (above);
// a last record whose missing bytes are junk (zeros or garbage) fails its checksum exactly like
// corruption in the middle, and the store cannot tell the two apart without guessing, so it
// refuses to open and leaves the log untouched for an operator (never a silent truncation).
// Nothing acknowledged is at risk: the damaged record was never synced, so never acknowledged.
TEST_CASE("a torn last WAL record filled with junk refuses to open and leaves the log as it was",
          "[store][faults]") {
  const auto batches = batches_from(1, 30);
  std::mt19937 rng(77u);
  auto random_bytes = [&](int n) {
    std::string out;
    for (int i = 0; i < n; ++i) out.push_back(static_cast<char>(rng() % 256));
    return out;
  };
  struct Tear {
    const char* what;
    std::size_t cut;    // bytes cut off the end
    std::string junk;   // then appended
  };
  const std::vector<Tear> tears = {
      {"the last 16 bytes zeroed in place", 16, std::string(16, '\0')},
      {"cut 5 bytes, then 200 zeros", 5, std::string(200, '\0')},
      {"cut 5 bytes, then 64 random bytes", 5, random_bytes(64)},
  };
  const WalTemplate wal_template(batches);
  for (const auto& tear : tears) {
    INFO(tear.what);
    TempDir dir("torn-junk");
    wal_template.copy_to(dir.path);
    const fs::path wal = newest_wal(dir.path);
    std::string bytes = read_file(wal);
    bytes.resize(bytes.size() - tear.cut);
    write_file(wal, bytes + tear.junk);
    std::unique_ptr<RocksJournal> j;
    RocksJournalOptions o;
    o.path = dir.path.string();
    const StoreStatus opened = RocksJournal::open(o, j);
    INFO("open → " << code(opened) << ": " << opened.message);
    CHECK_FALSE(opened.ok());
    CHECK(code(opened) == "corruption");
    CHECK(read_file(wal) == bytes + tear.junk);
  }
}

TEST_CASE("corruption in the middle of the WAL refuses to open, with a corruption error", "[store][faults]") {
  const auto batches = batches_from(1, 30);
  const WalTemplate wal_template(batches);
  // Bytes flipped at several places in the middle of the log (never in the last record).
  for (double where : {0.3, 0.5, 0.7}) {
    TempDir dir("wal-middle");
    wal_template.copy_to(dir.path);
    const fs::path wal = newest_wal(dir.path);
    std::string bytes = read_file(wal);
    const std::size_t at = static_cast<std::size_t>(static_cast<double>(bytes.size()) * where);
    for (std::size_t i = at; i < at + 3; ++i) bytes[i] = static_cast<char>(bytes[i] ^ 0x5a);
    write_file(wal, bytes);

    std::unique_ptr<RocksJournal> j;
    RocksJournalOptions o;
    o.path = dir.path.string();
    const StoreStatus s = RocksJournal::open(o, j);
    INFO("flipped 3 bytes at offset " << at << " of " << bytes.size() << " in " << wal.filename().string());
    INFO("open → " << code(s) << ": " << s.message);
    CHECK_FALSE(s.ok());
    CHECK(j == nullptr);
    CHECK(code(s) == "corruption");
    CHECK(s.message.find(dir.path.string()) != std::string::npos);  // names the store
    // Refusing leaves the evidence in place: the log is still there, unmodified.
    CHECK(read_file(wal) == bytes);
  }
}

// ---------------------------------------------------------------------------------------------
// Our own checks at replay: CRC32C per batch and sequence continuity
// ---------------------------------------------------------------------------------------------

TEST_CASE("a batch failing our checks stops the RocksDB journal's replay, naming its sequence number",
          "[store][faults]") {
  const auto batches = batches_from(1, 20);
  const BatchToAppend& victim = batches[10];
  struct Damage {
    const char* what;
    std::string value;
  };
  std::vector<Damage> damages;
  {
    std::string v = frame_batch(victim.first_seq, victim.last_seq, victim.payload);
    v[v.size() / 2] = static_cast<char>(v[v.size() / 2] ^ 0x01);
    damages.push_back({"one bit flipped in the payload", v});
  }
  {
    std::string v = frame_batch(victim.first_seq, victim.last_seq, victim.payload);
    v[0] = static_cast<char>(v[0] ^ 0x80);
    damages.push_back({"the CRC itself wrong", v});
  }
  {
    std::string v = frame_batch(victim.first_seq, victim.last_seq, victim.payload);
    v.resize(v.size() - 1);
    damages.push_back({"the value truncated by a byte", v});
  }
  damages.push_back({"shorter than the frame header", std::string("\x01\x02\x03", 3)});
  damages.push_back({"a valid frame claiming another sequence number",
                     frame_batch(victim.first_seq + 1, victim.last_seq + 1, victim.payload)});

  const WalTemplate journal_template(batches);
  for (const auto& damage : damages) {
    INFO(damage.what << ", stored at sequence " << victim.first_seq);
    TempDir dir("crc");
    journal_template.copy_to(dir.path);
    auto j = open_fault_journal(dir.path);
    REQUIRE(j->last_seq() == batches.back().last_seq);
    REQUIRE_STORE_OK(j->debug_put_raw(victim.first_seq, damage.value));

    for (int pass = 0; pass < 2; ++pass) {
      INFO("pass " << pass << " (1 = after reopening)");
      std::vector<Seen> seen;
      const StoreStatus s = replay_all(*j, 0, seen);
      INFO("replay → " << code(s) << ": " << s.message);
      CHECK(code(s) == "corruption");
      CHECK(names_number(s.message, victim.first_seq));
      CHECK(seen == seen_of(batches, 10));  // everything before it, nothing after
      // A replay that starts after the damaged batch picks the audit chain up from it (its link
      // is the anchor of the next batch's): so it reads it, and refuses it too.
      const StoreStatus after = replay_all(*j, victim.last_seq, seen);
      INFO("replay after it → " << code(after) << ": " << after.message);
      CHECK(code(after) == "corruption");
      CHECK(names_number(after.message, victim.first_seq));
      CHECK(seen.empty());
      j.reset();
      j = open_fault_journal(dir.path);  // opening does not read the middle of the journal
      CHECK(j->last_seq() == batches.back().last_seq);
    }
  }
}

TEST_CASE("a missing batch in the RocksDB journal is a sequence gap naming the expected sequence number",
          "[store][faults]") {
  const auto batches = batches_from(1, 20);
  const WalTemplate journal_template(batches);
  for (std::size_t victim : {std::size_t{0}, std::size_t{7}, std::size_t{18}}) {
    const std::uint64_t missing = batches[victim].first_seq;
    INFO("batch " << missing << ".." << batches[victim].last_seq << " deleted");
    TempDir dir("gap");
    journal_template.copy_to(dir.path);
    auto j = open_fault_journal(dir.path);
    REQUIRE(j->last_seq() == batches.back().last_seq);
    REQUIRE_STORE_OK(j->debug_delete(missing));
    for (int pass = 0; pass < 2; ++pass) {
      INFO("pass " << pass);
      std::vector<Seen> seen;
      const StoreStatus s = replay_all(*j, 0, seen);
      INFO("replay → " << code(s) << ": " << s.message);
      CHECK(code(s) == "sequence_gap");
      CHECK(names_number(s.message, missing));
      CHECK(seen == seen_of(batches, victim));
      j.reset();
      j = open_fault_journal(dir.path);
    }
  }
  SECTION("a batch overlapping its predecessor is a sequence gap too") {
    TempDir dir("overlap");
    journal_template.copy_to(dir.path);
    auto j = open_fault_journal(dir.path);
    // Replace batch 8 by one that starts inside batch 7 (keyed where it says it starts).
    const BatchToAppend& seventh = batches[7];
    REQUIRE(seventh.last_seq > seventh.first_seq);
    REQUIRE_STORE_OK(j->debug_delete(batches[8].first_seq));
    REQUIRE_STORE_OK(j->debug_put_raw(seventh.last_seq,
                                      frame_batch(seventh.last_seq, batches[8].last_seq, batches[8].payload)));
    std::vector<Seen> seen;
    const StoreStatus s = replay_all(*j, 0, seen);
    INFO("replay → " << code(s) << ": " << s.message);
    CHECK(code(s) == "sequence_gap");
    CHECK(names_number(s.message, seventh.last_seq + 1));
    CHECK(seen == seen_of(batches, 8));
  }
}

TEST_CASE("the in-memory journal reports a corrupt batch and a dropped batch the same way", "[store][faults]") {
  const auto batches = batches_from(1, 20);
  MemoryJournal j;
  for (const auto& b : batches) REQUIRE_STORE_OK(j.append(b));
  std::vector<Seen> seen;

  SECTION("corrupt_batch") {
    j.corrupt_batch(batches[12].first_seq);
    const StoreStatus s = replay_all(j, 0, seen);
    INFO("replay → " << code(s) << ": " << s.message);
    CHECK(code(s) == "corruption");
    CHECK(names_number(s.message, batches[12].first_seq));
    CHECK(seen == seen_of(batches, 12));
  }
  SECTION("drop_batch") {
    j.drop_batch(batches[5].first_seq);
    const StoreStatus s = replay_all(j, 0, seen);
    INFO("replay → " << code(s) << ": " << s.message);
    CHECK(code(s) == "sequence_gap");
    CHECK(names_number(s.message, batches[5].first_seq));
    CHECK(seen == seen_of(batches, 5));
  }
  SECTION("drop the first batch") {
    j.drop_batch(1);
    const StoreStatus s = replay_all(j, 0, seen);
    INFO("replay → " << code(s) << ": " << s.message);
    CHECK(code(s) == "sequence_gap");
    CHECK(names_number(s.message, 1));
    CHECK(seen.empty());
  }
  SECTION("injected append failures write nothing; the journal carries on") {
    const auto more = batches_from(batches.back().last_seq + 1, 2);
    j.fail_appends(2, StoreCode::disk_full);
    CHECK(code(j.append(more[0])) == "disk_full");
    CHECK(code(j.append(more[0])) == "disk_full");
    CHECK(j.last_seq() == batches.back().last_seq);
    std::string record;
    CHECK(code(j.archived_package(more[0].first_seq * 10, record)) == "not_found");
    REQUIRE_STORE_OK(j.resume());
    REQUIRE_STORE_OK(j.append(more[0]));
    REQUIRE_STORE_OK(j.append(more[1]));
    REQUIRE_STORE_OK(replay_all(j, 0, seen));
    auto all = batches;
    all.insert(all.end(), more.begin(), more.end());
    CHECK(seen == seen_of(all, all.size()));
    REQUIRE_STORE_OK(j.archived_package(more[0].first_seq * 10, record));
  }
}

// ---------------------------------------------------------------------------------------------
// A full disk (FaultFileSystem::set_disk_full)
// ---------------------------------------------------------------------------------------------

TEST_CASE("a full disk fails the append with disk_full, and resume() returns the store to service once space is freed",
          "[store][faults]") {
  TempDir dir("disk-full");
  const auto batches = batches_from(1, 12);
  const std::size_t before = 9;  // acknowledged before the disk fills (batch 9 retires a package)
  auto ffs = std::make_shared<FaultFileSystem>();
  {
    auto j = open_fault_journal(dir.path, true, ffs);
    for (std::size_t i = 0; i < before; ++i) REQUIRE_STORE_OK(j->append(batches[i]));
    const std::uint64_t acknowledged = j->last_seq();

    ffs->set_disk_full(true);
    const BatchToAppend& refused = batches[before];
    REQUIRE_FALSE(refused.archive.empty());
    const StoreStatus full = j->append(refused);
    INFO("append on a full disk → " << code(full) << ": " << full.message);
    CHECK(code(full) == "disk_full");
    CHECK(names_number(full.message, refused.first_seq));
    CHECK(j->last_seq() == acknowledged);
    std::string record;
    CHECK(code(j->archived_package(refused.archive[0].first, record)) == "not_found");  // nothing half-applied

    const StoreStatus again = j->append(refused);
    INFO("append again, disk still full → " << code(again) << ": " << again.message);
    CHECK_FALSE(again.ok());
    const StoreStatus early = j->resume();
    INFO("resume() while the disk is still full → " << code(early) << ": " << early.message);
    CHECK_FALSE(early.ok());

    ffs->set_disk_full(false);
    // The requirement: once space is freed, resume() returns the store to service.
    const StoreStatus resumed = j->resume();
    INFO("resume() after space was freed → " << code(resumed) << ": " << resumed.message);
    CHECK(resumed.ok());
    if (!resumed.ok()) {
      // Not back in service: restart the store (as an operator would) so that the rest of the
      // requirement — nothing acknowledged lost, nothing half-applied — is still checked.
      j.reset();
      j = open_fault_journal(dir.path, true, ffs);
    }
    CHECK(j->last_seq() == acknowledged);
    std::vector<Seen> seen;
    REQUIRE_STORE_OK(replay_all(*j, 0, seen));
    CHECK(seen == seen_of(batches, before));  // exactly the acknowledged batches
    CHECK(code(j->archived_package(refused.archive[0].first, record)) == "not_found");

    for (std::size_t i = before; i < batches.size(); ++i) REQUIRE_STORE_OK(j->append(batches[i]));
    REQUIRE_STORE_OK(replay_all(*j, 0, seen));
    CHECK(seen == seen_of(batches, batches.size()));
    REQUIRE_STORE_OK(j->archived_package(refused.archive[0].first, record));
    CHECK(record == refused.archive[0].second);
  }
  // And on disk, read back without the fault file system.
  auto j = open_fault_journal(dir.path);
  CHECK(j->last_seq() == batches.back().last_seq);
  std::vector<Seen> seen;
  REQUIRE_STORE_OK(replay_all(*j, 0, seen));
  CHECK(seen == seen_of(batches, batches.size()));
}

// ---------------------------------------------------------------------------------------------
// Power cut (FaultFileSystem::power_cut: everything not synced is lost)
// ---------------------------------------------------------------------------------------------

TEST_CASE("a power cut loses nothing appended with sync=true", "[store][faults]") {
  for (const bool avoid_flush : {true, false}) {
    INFO("avoid_flush_during_shutdown = " << avoid_flush);
    TempDir dir("power-cut-sync");
    const auto batches = batches_from(1, 25);
    const Snapshot snapshot{batches[15].last_seq, 0xfeedULL, "state at the snapshot"};
    {
      auto ffs = std::make_shared<FaultFileSystem>();
      auto j = open_fault_journal(dir.path, true, ffs, avoid_flush);
      for (std::size_t i = 0; i < batches.size(); ++i) {
        REQUIRE_STORE_OK(j->append(batches[i]));
        if (i == 15) REQUIRE_STORE_OK(j->put_snapshot(snapshot));
      }
      ffs->power_cut();
      j.reset();  // closed as a crashed process leaves it: nothing more reaches the disk
    }
    auto j = open_fault_journal(dir.path);  // the real file system
    CHECK(j->last_seq() == batches.back().last_seq);
    std::vector<Seen> seen;
    REQUIRE_STORE_OK(replay_all(*j, 0, seen));
    CHECK(seen == seen_of(batches, batches.size()));
    for (const auto& b : batches)
      for (const auto& [id, text] : b.archive) {
        std::string record;
        REQUIRE_STORE_OK(j->archived_package(id, record));
        CHECK(record == text);
      }
    std::optional<Snapshot> latest;
    REQUIRE_STORE_OK(j->latest_snapshot(latest));
    REQUIRE(latest.has_value());
    CHECK(latest->seq == snapshot.seq);
    CHECK(latest->state == snapshot.state);
    // The journal goes on from where it was.
    const auto next = batches_from(batches.back().last_seq + 1, 1);
    REQUIRE_STORE_OK(j->append(next[0]));
  }
}

TEST_CASE("a power cut does lose what was appended with sync off (the fault file system really drops data)",
          "[store][faults]") {
  const auto durable = batches_from(1, 10);
  const auto unsynced = batches_from(durable.back().last_seq + 1, 15);

  SECTION("a journal that never synced loses everything") {
    TempDir dir("power-cut-unsafe");
    {
      auto ffs = std::make_shared<FaultFileSystem>();
      auto j = open_fault_journal(dir.path, false, ffs, true);
      for (const auto& b : durable) REQUIRE_STORE_OK(j->append(b));
      CHECK(j->last_seq() == durable.back().last_seq);  // acknowledged in memory only
      ffs->power_cut();
      j.reset();
    }
    auto j = open_fault_journal(dir.path);
    CHECK(j->last_seq() == 0);
    std::vector<Seen> seen;
    REQUIRE_STORE_OK(replay_all(*j, 0, seen));
    CHECK(seen.empty());
  }
  SECTION("synced batches survive, the unsynced ones after them are lost") {
    TempDir dir("power-cut-mixed");
    {
      auto j = open_fault_journal(dir.path, true, nullptr, true);
      for (const auto& b : durable) REQUIRE_STORE_OK(j->append(b));
    }
    {
      auto ffs = std::make_shared<FaultFileSystem>();
      auto j = open_fault_journal(dir.path, false, ffs, true);
      REQUIRE(j->last_seq() == durable.back().last_seq);
      for (const auto& b : unsynced) REQUIRE_STORE_OK(j->append(b));
      CHECK(j->last_seq() == unsynced.back().last_seq);
      ffs->power_cut();
      j.reset();
    }
    auto j = open_fault_journal(dir.path);
    CHECK(j->last_seq() == durable.back().last_seq);
    std::vector<Seen> seen;
    REQUIRE_STORE_OK(replay_all(*j, 0, seen));
    CHECK(seen == seen_of(durable, durable.size()));
    std::string record;
    CHECK(code(j->archived_package(unsynced[0].first_seq * 10, record)) == "not_found");
    REQUIRE_STORE_OK(j->archived_package(durable[0].first_seq * 10, record));
  }
}
