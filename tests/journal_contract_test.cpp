// The journal's contract, one suite run over both implementations (as exchange-core runs one
// suite over its two journals): MemoryJournal and RocksJournal in a fresh temporary directory.
// Append and replay round trip, appends that do not follow the journal, replay from the middle,
// last_seq, snapshots, the archive of retired packages, and recovery of a realistic market
// session to the same digest. Where the RocksDB journal can be closed and reopened, every
// check is repeated after a reopen (for the in-memory journal, reopen() does nothing).
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "store_test_support.h"
#include "engine/codec/event_codec.h"
#include "engine/sequencer/recovery.h"
#include "engine/store/batch_frame.h"
#include "engine/store/memory_journal.h"
#include "engine/store/rocksdb_journal.h"
#include "market_fixture.h"
#include "market_session.h"

using namespace carebroker::testing;
using carebroker::codec::encode_batch;
using carebroker::sequencer::recover_market;
using carebroker::sequencer::Recovered;
using carebroker::sequencer::SnapshotUse;
using carebroker::store::BatchToAppend;
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

struct MemoryHarness {
  static constexpr const char* kName = "memory";
  MemoryJournal memory;
  Journal& journal() { return memory; }
  void reopen() {}  // nothing to reopen: the state is the object
};

struct RocksHarness {
  static constexpr const char* kName = "rocksdb";
  TempDir dir{"contract"};  // declared first: destroyed after the journal is closed
  std::unique_ptr<RocksJournal> rocks;
  RocksHarness() { open(); }
  Journal& journal() { return *rocks; }
  void open() {
    RocksJournalOptions o;
    o.path = dir.path.string();
    REQUIRE_STORE_OK(RocksJournal::open(o, rocks));
  }
  void reopen() {
    rocks.reset();
    open();
  }
};

/// A recognisable opaque payload for a batch (the journal does not look inside).
std::string payload_for(std::uint64_t first, std::uint64_t last) {
  std::string p = "events " + std::to_string(first) + ".." + std::to_string(last) + " ";
  std::mt19937 rng(static_cast<unsigned>(first * 7919 + last));
  const std::size_t extra = 8 + rng() % 120;
  for (std::size_t i = 0; i < extra; ++i) p.push_back(static_cast<char>(rng() % 256));  // binary, zeros too
  return p;
}

BatchToAppend opaque(std::uint64_t first, std::uint64_t last) {
  return BatchToAppend{first, last, payload_for(first, last), {}};
}

std::vector<Seen> expected(const std::vector<BatchToAppend>& batches, std::uint64_t after = 0) {
  std::vector<Seen> out;
  for (const auto& b : batches)
    if (b.first_seq > after) out.push_back(Seen{b.first_seq, b.last_seq, b.payload});
  return out;
}

/// Batches of 1, 4, 1, 7, 2, … events with consecutive sequence numbers from 1.
std::vector<BatchToAppend> opaque_batches(int count) {
  std::vector<BatchToAppend> out;
  std::uint64_t seq = 1;
  for (int i = 0; i < count; ++i) {
    const std::uint64_t size = 1 + static_cast<std::uint64_t>(i * 5 % 8);
    out.push_back(opaque(seq, seq + size - 1));
    seq += size;
  }
  return out;
}

}  // namespace

TEMPLATE_TEST_CASE("journal contract: an empty journal has no batches, no snapshot and last_seq 0",
                   "[store][contract]", MemoryHarness, RocksHarness) {
  TestType h;
  INFO(TestType::kName);
  for (int pass = 0; pass < 2; ++pass) {
    CHECK(h.journal().last_seq() == 0);
    std::vector<Seen> seen;
    REQUIRE_STORE_OK(replay_all(h.journal(), 0, seen));
    CHECK(seen.empty());
    std::optional<Snapshot> snap;
    REQUIRE_STORE_OK(h.journal().latest_snapshot(snap));
    CHECK_FALSE(snap.has_value());
    h.reopen();
  }
}

TEMPLATE_TEST_CASE("journal contract: appended batches replay in order with their exact payloads",
                   "[store][contract]", MemoryHarness, RocksHarness) {
  TestType h;
  INFO(TestType::kName);
  const auto batches = opaque_batches(40);
  for (const auto& b : batches) {
    REQUIRE_STORE_OK(h.journal().append(b));
    CHECK(h.journal().last_seq() == b.last_seq);
  }
  for (int pass = 0; pass < 2; ++pass) {
    INFO("pass " << pass << " (1 = after reopening)");
    CHECK(h.journal().last_seq() == batches.back().last_seq);
    std::vector<Seen> seen;
    REQUIRE_STORE_OK(replay_all(h.journal(), 0, seen));
    CHECK(seen == expected(batches));
    h.reopen();
  }
  // The journal continues after a reopen.
  const auto next = opaque(batches.back().last_seq + 1, batches.back().last_seq + 3);
  REQUIRE_STORE_OK(h.journal().append(next));
  CHECK(h.journal().last_seq() == next.last_seq);
  std::vector<Seen> seen;
  REQUIRE_STORE_OK(replay_all(h.journal(), 0, seen));
  REQUIRE(seen.size() == batches.size() + 1);
  CHECK(seen.back() == Seen{next.first_seq, next.last_seq, next.payload});
}

TEMPLATE_TEST_CASE("journal contract: an append that does not follow the journal is refused and writes nothing",
                   "[store][contract]", MemoryHarness, RocksHarness) {
  TestType h;
  INFO(TestType::kName);
  Journal& j = h.journal();
  // The journal starts at sequence 1.
  CHECK(code(j.append(opaque(2, 2))) == "invalid_argument");
  CHECK(code(j.append(opaque(0, 0))) == "invalid_argument");
  CHECK(j.last_seq() == 0);
  REQUIRE_STORE_OK(j.append(opaque(1, 3)));

  BatchToAppend with_archive = opaque(5, 6);  // a gap: 4 is missing
  with_archive.archive = {{77, "retired package 77"}};
  CHECK(code(j.append(with_archive)) == "invalid_argument");
  CHECK(code(j.append(opaque(3, 4))) == "invalid_argument");  // overlaps 1..3
  CHECK(code(j.append(opaque(1, 3))) == "invalid_argument");  // a repeat
  CHECK(code(j.append(opaque(4, 3))) == "invalid_argument");  // reversed range
  CHECK(code(j.append(opaque(2, 2))) == "invalid_argument");  // in the past

  for (int pass = 0; pass < 2; ++pass) {
    INFO("pass " << pass);
    CHECK(h.journal().last_seq() == 3);
    std::vector<Seen> seen;
    REQUIRE_STORE_OK(replay_all(h.journal(), 0, seen));
    CHECK(seen == std::vector<Seen>{{1, 3, payload_for(1, 3)}});
    std::string record;
    CHECK(code(h.journal().archived_package(77, record)) == "not_found");  // the refused batch's archive
    h.reopen();
  }
  REQUIRE_STORE_OK(h.journal().append(opaque(4, 4)));  // the right next batch is still taken
  CHECK(h.journal().last_seq() == 4);
}

TEMPLATE_TEST_CASE("journal contract: replay(after) starts with the batch after `after`",
                   "[store][contract]", MemoryHarness, RocksHarness) {
  TestType h;
  INFO(TestType::kName);
  const auto batches = opaque_batches(25);  // batch boundaries at 1, 5, 6, 13, 15, …
  for (const auto& b : batches) REQUIRE_STORE_OK(h.journal().append(b));
  h.reopen();
  for (std::size_t i = 0; i < batches.size(); ++i) {
    const std::uint64_t after = batches[i].last_seq;  // every batch boundary
    INFO("after " << after);
    std::vector<Seen> seen;
    REQUIRE_STORE_OK(replay_all(h.journal(), after, seen));
    CHECK(seen == expected(batches, after));
  }
  // Beyond the end: nothing, and no error.
  std::vector<Seen> seen;
  REQUIRE_STORE_OK(replay_all(h.journal(), batches.back().last_seq + 1000, seen));
  CHECK(seen.empty());

  // `after` inside a batch (not a boundary the journal knows): the replay must not silently
  // skip the rest of that batch's events — either it visits the batch or it reports an error.
  const BatchToAppend& multi = batches[1];
  REQUIRE(multi.last_seq > multi.first_seq);
  const StoreStatus s = replay_all(h.journal(), multi.first_seq, seen);
  INFO("replay(" << multi.first_seq << ") inside batch " << multi.first_seq << ".." << multi.last_seq << " → "
                 << code(s) << ": " << s.message);
  if (s.ok()) {
    REQUIRE_FALSE(seen.empty());
    CHECK(seen.front().first == multi.first_seq);
  } else {
    CHECK(code(s) == "sequence_gap");
    CHECK(seen.empty());
  }
}

TEMPLATE_TEST_CASE("journal contract: a visitor's error stops the replay and is returned",
                   "[store][contract]", MemoryHarness, RocksHarness) {
  TestType h;
  INFO(TestType::kName);
  const auto batches = opaque_batches(10);
  for (const auto& b : batches) REQUIRE_STORE_OK(h.journal().append(b));
  int visits = 0;
  const StoreStatus s = h.journal().replay(0, [&](std::uint64_t, std::uint64_t, std::string_view) {
    return ++visits == 3 ? carebroker::store::store_error(StoreCode::corruption, "visitor says no") : StoreStatus{};
  });
  CHECK(visits == 3);
  CHECK(code(s) == "corruption");
  CHECK(s.message == "visitor says no");
}

TEMPLATE_TEST_CASE("journal contract: the latest of several snapshots is returned whole",
                   "[store][contract]", MemoryHarness, RocksHarness) {
  TestType h;
  INFO(TestType::kName);
  for (const auto& b : opaque_batches(12)) REQUIRE_STORE_OK(h.journal().append(b));
  auto state = [](std::uint64_t seq) {
    std::string s = "state at " + std::to_string(seq);
    s.push_back('\0');
    s.append(std::string(300 + seq, static_cast<char>(0xA0 + seq % 16)));
    return s;
  };
  const std::vector<std::uint64_t> at = {5, 13, 21, 40};
  for (std::uint64_t seq : at) {
    REQUIRE_STORE_OK(h.journal().put_snapshot(Snapshot{seq, 0x1234'5678'9abc'0000ULL + seq, state(seq)}));
    for (int pass = 0; pass < 2; ++pass) {
      INFO("after the snapshot at " << seq << ", pass " << pass);
      std::optional<Snapshot> latest;
      REQUIRE_STORE_OK(h.journal().latest_snapshot(latest));
      REQUIRE(latest.has_value());
      CHECK(latest->seq == seq);
      CHECK(latest->digest == 0x1234'5678'9abc'0000ULL + seq);
      CHECK(latest->state == state(seq));
      h.reopen();
    }
  }
  // A snapshot with an empty state round-trips too.
  REQUIRE_STORE_OK(h.journal().put_snapshot(Snapshot{44, 0, ""}));
  std::optional<Snapshot> latest;
  REQUIRE_STORE_OK(h.journal().latest_snapshot(latest));
  REQUIRE(latest.has_value());
  CHECK(latest->seq == 44);
  CHECK(latest->digest == 0);
  CHECK(latest->state.empty());
}

TEMPLATE_TEST_CASE("journal contract: archive records are written with their batch, and a missing one is not_found",
                   "[store][contract]", MemoryHarness, RocksHarness) {
  TestType h;
  INFO(TestType::kName);
  BatchToAppend a = opaque(1, 4);
  a.archive = {{7, "package 7, final record"}, {300, std::string("binary\0record", 13)}};
  BatchToAppend b = opaque(5, 5);
  b.archive = {{1ULL << 40, "a big package id"}};
  REQUIRE_STORE_OK(h.journal().append(a));
  REQUIRE_STORE_OK(h.journal().append(b));
  for (int pass = 0; pass < 2; ++pass) {
    INFO("pass " << pass);
    std::string record;
    REQUIRE_STORE_OK(h.journal().archived_package(7, record));
    CHECK(record == "package 7, final record");
    REQUIRE_STORE_OK(h.journal().archived_package(300, record));
    CHECK(record == std::string("binary\0record", 13));
    REQUIRE_STORE_OK(h.journal().archived_package(1ULL << 40, record));
    CHECK(record == "a big package id");
    for (std::uint64_t missing : {0ULL, 1ULL, 6ULL, 8ULL, 299ULL, 301ULL}) {
      const StoreStatus s = h.journal().archived_package(missing, record);
      INFO("package " << missing << ": " << s.message);
      CHECK(code(s) == "not_found");
    }
    h.reopen();
  }
}

TEMPLATE_TEST_CASE("journal contract: a realistic market session recovers to the same digest",
                   "[store][contract]", MemoryHarness, RocksHarness) {
  TestType h;
  INFO(TestType::kName);
  MarketFixture f;
  market_session(f, 20261123u, 450);
  INFO(f.events.size() << " events");
  REQUIRE(f.events.size() > 400);
  CHECK(f.count<OfferPlaced>() > 30);
  CHECK(f.count<AwardAccepted>() > 0);
  REQUIRE(f.count<PackageRetired>() > 0);

  const auto batches = journal_batches(f.events, 17u);
  for (const auto& b : batches) REQUIRE_STORE_OK(h.journal().append(b));
  CHECK(h.journal().last_seq() == f.events.size());

  for (int pass = 0; pass < 2; ++pass) {
    INFO("pass " << pass << " (1 = after reopening)");
    Market market;
    Recovered info;
    REQUIRE_STORE_OK(recover_market(h.journal(), market, info));
    CHECK(market.digest() == f.market.digest());
    CHECK(info.last_seq == f.events.size());
    CHECK(info.events_replayed == f.events.size());
    CHECK(info.batches_replayed == batches.size());
    CHECK_FALSE(info.from_snapshot);
    CHECK(market.now() == f.market.now());

    // Every retired package's final record is in the archive, and reads back as a package.
    int archived = 0;
    for (const auto& e : f.events)
      if (const auto* retired = std::get_if<PackageRetired>(&e)) {
        INFO("package " << retired->package);
        std::string record;
        REQUIRE_STORE_OK(h.journal().archived_package(retired->package, record));
        CHECK(record == retired->archive);
        const auto decoded = Market::read_archive(record);
        REQUIRE(decoded.has_value());
        CHECK(decoded->package.id == retired->package);
        CHECK(market.is_retired(retired->package));
        ++archived;
      }
    CHECK(archived == f.count<PackageRetired>());
    h.reopen();
  }

  // The recovered market keeps working exactly like the original.
  Market market;
  Recovered info;
  REQUIRE_STORE_OK(recover_market(h.journal(), market, info));
  std::vector<Event> a, b;
  const Command more = Tick{f.market.now() + 3 * kMillisPerDay};
  (void)f.market.execute(more, a);
  (void)market.execute(more, b);
  CHECK(a == b);
  CHECK(market.digest() == f.market.digest());
}

TEST_CASE("the hardware CRC32C agrees with the table-driven one and with the standard check value",
          "[store]") {
  // RFC 3720 (iSCSI) check value: CRC32C("123456789") = 0xE3069283.
  CHECK(carebroker::store::crc32c("123456789") == 0xE3069283u);
  CHECK(carebroker::store::crc32c_reference("123456789") == 0xE3069283u);
  std::string data;
  for (int size = 0; size < 300; ++size) {
    INFO("size " << size);
    CHECK(carebroker::store::crc32c(data) == carebroker::store::crc32c_reference(data));
    data.push_back(static_cast<char>(size * 37 + 11));
  }
}
