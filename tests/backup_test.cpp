// Backup and restore of the RocksDB journal, and snapshot + replay equivalence:
//  - RocksJournal::backup(dir) while a second thread keeps appending gives a consistent copy:
//    restored, it replays to exactly the market at some batch boundary within the window of
//    the backup, with the archive of that point;
//  - restore refuses a missing backup, a data directory that exists, and a backup that does not
//    replay cleanly — and leaves nothing behind when it refuses;
//  - recover_market from the latest snapshot and from the journal alone give the same digest;
//    a snapshot that does not reproduce its recorded digest is refused (corruption), one that
//    cannot be loaded is ignored (snapshots are a cache).
#include <unistd.h>

#include <atomic>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <memory>
#include <random>
#include <string>
#include <thread>
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
using carebroker::store::StoreStatus;

namespace fs = std::filesystem;
using namespace carebroker::testing::store_support;

namespace {

/// The market after the first `seq` events, rebuilt by applying them.
Market market_at(const std::vector<Event>& events, std::uint64_t seq) {
  Market m;
  for (std::uint64_t i = 0; i < seq && i < events.size(); ++i) m.apply(events[i]);
  return m;
}

Snapshot snapshot_at(const std::vector<Event>& events, std::uint64_t seq) {
  const Market m = market_at(events, seq);
  return Snapshot{seq, m.digest(), m.save_snapshot()};
}

/// The session shared by the tests below (built once: it is deterministic).
struct Session {
  MarketFixture f;
  std::vector<BatchToAppend> batches;
  explicit Session(std::size_t max_batch) {
    market_session(f, 31337u, 500);
    batches = journal_batches(f.events, 99u, max_batch);
  }
};

}  // namespace

TEST_CASE("a backup taken while appends continue restores to the market at the backup point", "[store][backup]") {
  Session s(8);  // many small batches: the appends go on while the backup is taken
  const auto& events = s.f.events;
  const auto& batches = s.batches;
  INFO(events.size() << " events in " << batches.size() << " batches");
  REQUIRE(batches.size() > 100);
  REQUIRE(s.f.count<PackageRetired>() > 0);

  TempDir data("backup-source"), backups("backup-copies"), restored("backup-restored");
  fs::create_directories(backups.path);
  const fs::path backup_dir = backups.path / "backup-1";
  const fs::path restored_dir = restored.path / "journal";
  fs::create_directories(restored.path);

  auto j = open_store(data.path);
  const std::size_t head = batches.size() / 4;
  for (std::size_t i = 0; i < head; ++i) REQUIRE_STORE_OK(j->append(batches[i]));
  const Snapshot early = snapshot_at(events, batches[head - 1].last_seq);
  REQUIRE_STORE_OK(j->put_snapshot(early));

  // A second thread keeps appending (no Catch assertions off the test's thread).
  std::atomic<std::size_t> appended{head};
  std::atomic<bool> writer_done{false};
  std::string writer_error;
  std::thread writer([&] {
    for (std::size_t i = head; i < batches.size(); ++i) {
      if (const StoreStatus st = j->append(batches[i]); !st.ok()) {
        writer_error = "append " + std::to_string(batches[i].first_seq) + ": " + st.message;
        break;
      }
      appended.store(i + 1);
    }
    writer_done.store(true);
  });
  while (appended.load() < head + 10 && !writer_done.load()) std::this_thread::yield();
  const std::size_t before = appended.load();  // batches acknowledged before the backup began
  const StoreStatus backed_up = j->backup(backup_dir.string());
  const std::size_t after = appended.load();  // ... and by the time it was done
  writer.join();
  INFO("backup taken with " << before << ".." << after << " of " << batches.size() << " batches appended");
  REQUIRE(writer_error.empty());
  REQUIRE_STORE_OK(backed_up);
  CHECK(before < batches.size());  // the appends really were going on

  // The source journal is complete and unharmed.
  {
    Market m;
    Recovered info;
    REQUIRE_STORE_OK(recover_market(*j, m, info));
    CHECK(m.digest() == s.f.market.digest());
    CHECK(info.last_seq == events.size());
  }
  j.reset();

  REQUIRE_STORE_OK(RocksJournal::restore(backup_dir.string(), restored_dir.string()));
  CHECK_FALSE(fs::exists(restored_dir.string() + ".verifying"));
  auto r = open_store(restored_dir);
  const std::uint64_t point = r->last_seq();
  // The backup point is a batch boundary within the window of the backup.
  std::size_t count = 0;
  while (count < batches.size() && batches[count].last_seq < point) ++count;
  REQUIRE(count < batches.size());
  CHECK(batches[count].last_seq == point);
  ++count;  // batches in the backup
  INFO("the backup holds " << count << " batches, up to sequence " << point);
  CHECK(count >= before);     // everything acknowledged before the backup began is in it
  CHECK(count <= after + 1);  // at most the one append in flight when it finished

  const Market expected = market_at(events, point);
  for (const SnapshotUse use : {SnapshotUse::latest, SnapshotUse::none}) {
    INFO((use == SnapshotUse::latest ? "from the snapshot" : "from the journal alone"));
    Market m;
    Recovered info;
    REQUIRE_STORE_OK(recover_market(*r, m, info, use));
    CHECK(m.digest() == expected.digest());
    CHECK(info.last_seq == point);
    CHECK(info.from_snapshot == (use == SnapshotUse::latest));
    if (use == SnapshotUse::latest) CHECK(info.snapshot_seq == early.seq);
  }
  // The archive as it was at the backup point.
  for (std::size_t i = 0; i < batches.size(); ++i)
    for (const auto& [id, record] : batches[i].archive) {
      INFO("package " << id << " retired in batch " << batches[i].first_seq);
      std::string got;
      const StoreStatus st = r->archived_package(id, got);
      if (i < count) {
        REQUIRE_STORE_OK(st);
        CHECK(got == record);
      } else {
        CHECK(code(st) == "not_found");
      }
    }
  // The restored journal takes the next batch.
  if (count < batches.size()) {
    REQUIRE_STORE_OK(r->append(batches[count]));
    CHECK(r->last_seq() == batches[count].last_seq);
  }
}

TEST_CASE("restore refuses a missing backup, an existing data directory and a backup that does not replay",
          "[store][backup]") {
  TempDir work("restore-cases");
  fs::create_directories(work.path);
  const fs::path source = work.path / "source", backup = work.path / "backup";
  {
    auto j = open_store(source);
    for (std::uint64_t seq = 1; seq <= 20; ++seq)
      REQUIRE_STORE_OK(j->append(BatchToAppend{seq, seq, "payload " + std::to_string(seq), {}}));
    REQUIRE_STORE_OK(j->backup(backup.string()));

    // A backup into a directory that exists is refused, and leaves the directory alone.
    const fs::path occupied = work.path / "occupied";
    fs::create_directories(occupied);
    std::ofstream(occupied / "keep.txt") << "precious";
    const StoreStatus again = j->backup(occupied.string());
    INFO("backup into an existing directory → " << code(again) << ": " << again.message);
    CHECK_FALSE(again.ok());
    CHECK(fs::exists(occupied / "keep.txt"));
  }

  SECTION("a missing backup") {
    const fs::path target = work.path / "restored";
    const StoreStatus st = RocksJournal::restore((work.path / "no-such-backup").string(), target.string());
    INFO(code(st) << ": " << st.message);
    CHECK(code(st) == "not_found");
    CHECK_FALSE(fs::exists(target));
  }
  SECTION("a backup path that is a file") {
    std::ofstream(work.path / "a-file") << "not a backup";
    const fs::path target = work.path / "restored";
    const StoreStatus st = RocksJournal::restore((work.path / "a-file").string(), target.string());
    INFO(code(st) << ": " << st.message);
    CHECK(code(st) == "not_found");
    CHECK_FALSE(fs::exists(target));
  }
  SECTION("a data directory that exists, even empty") {
    const fs::path target = work.path / "existing";
    fs::create_directories(target);
    std::ofstream(target / "keep.txt") << "precious";
    StoreStatus st = RocksJournal::restore(backup.string(), target.string());
    INFO(code(st) << ": " << st.message);
    CHECK(code(st) == "invalid_argument");
    CHECK(fs::exists(target / "keep.txt"));
    CHECK(std::distance(fs::directory_iterator(target), fs::directory_iterator()) == 1);
    fs::remove(target / "keep.txt");
    st = RocksJournal::restore(backup.string(), target.string());
    CHECK(code(st) == "invalid_argument");
    // Restoring the live journal's own directory is refused too.
    st = RocksJournal::restore(backup.string(), source.string());
    CHECK(code(st) == "invalid_argument");
  }
  SECTION("a backup whose journal does not replay cleanly") {
    const fs::path damaged_source = work.path / "damaged-source", damaged_backup = work.path / "damaged-backup";
    {
      auto j = open_store(damaged_source);
      for (std::uint64_t seq = 1; seq <= 20; ++seq)
        REQUIRE_STORE_OK(j->append(BatchToAppend{seq, seq, "payload " + std::to_string(seq), {}}));
      REQUIRE_STORE_OK(j->debug_delete(12));
      REQUIRE_STORE_OK(j->backup(damaged_backup.string()));
    }
    const fs::path target = work.path / "restored";
    const StoreStatus st = RocksJournal::restore(damaged_backup.string(), target.string());
    INFO(code(st) << ": " << st.message);
    CHECK(code(st) == "sequence_gap");
    CHECK(names_number(st.message, 12));
    CHECK_FALSE(fs::exists(target));
    CHECK_FALSE(fs::exists(target.string() + ".verifying"));
  }
  SECTION("a directory that is not a backup at all") {
    // An empty directory (say, a backup that was never written) is not a backup: restoring it
    // must not produce an empty journal as if the market had never happened.
    const fs::path empty = work.path / "empty", target = work.path / "restored";
    fs::create_directories(empty);
    const StoreStatus st = RocksJournal::restore(empty.string(), target.string());
    INFO(code(st) << ": " << st.message);
    CHECK_FALSE(st.ok());
    CHECK_FALSE(fs::exists(target));
    CHECK_FALSE(fs::exists(target.string() + ".verifying"));
  }
  SECTION("a good backup restores, and the copy is independent of the backup") {
    const fs::path target = work.path / "restored";
    REQUIRE_STORE_OK(RocksJournal::restore(backup.string(), target.string()));
    {
      auto r = open_store(target);
      CHECK(r->last_seq() == 20);
      REQUIRE_STORE_OK(r->append(BatchToAppend{21, 21, "after the restore", {}}));
    }
    // The backup still restores to sequence 20 (the restored journal did not write into it).
    const fs::path second = work.path / "restored-2";
    REQUIRE_STORE_OK(RocksJournal::restore(backup.string(), second.string()));
    auto r2 = open_store(second);
    CHECK(r2->last_seq() == 20);
  }
}

namespace {

struct MemoryKind {
  static constexpr const char* kName = "memory";
  MemoryJournal memory;
  Journal& journal() { return memory; }
};
struct RocksKind {
  static constexpr const char* kName = "rocksdb";
  TempDir dir{"snapshot-equivalence"};
  std::unique_ptr<RocksJournal> rocks = open_store(dir.path);
  Journal& journal() { return *rocks; }
};

}  // namespace

TEMPLATE_TEST_CASE("recovery from the latest snapshot and from the journal alone give the same market",
                   "[store][snapshot]", MemoryKind, RocksKind) {
  Session s(24);
  const auto& events = s.f.events;
  const auto& batches = s.batches;
  TestType k;
  Journal& j = k.journal();
  INFO(TestType::kName << ", " << events.size() << " events in " << batches.size() << " batches");

  // Snapshots at two batch boundaries, written as the journal reaches them.
  const std::size_t third = batches.size() / 3, two_thirds = 2 * batches.size() / 3;
  for (std::size_t i = 0; i < batches.size(); ++i) {
    REQUIRE_STORE_OK(j.append(batches[i]));
    if (i + 1 == third || i + 1 == two_thirds) REQUIRE_STORE_OK(j.put_snapshot(snapshot_at(events, batches[i].last_seq)));
  }
  const std::uint64_t snap_seq = batches[two_thirds - 1].last_seq;

  auto recover = [&](SnapshotUse use, Recovered& info) {
    Market m;
    REQUIRE_STORE_OK(recover_market(j, m, info, use));
    return m.digest();
  };
  Recovered from_snapshot, from_journal;
  const std::uint64_t a = recover(SnapshotUse::latest, from_snapshot);
  const std::uint64_t b = recover(SnapshotUse::none, from_journal);
  CHECK(a == s.f.market.digest());
  CHECK(b == s.f.market.digest());
  CHECK(from_snapshot.from_snapshot);
  CHECK(from_snapshot.snapshot_seq == snap_seq);
  CHECK(from_snapshot.events_replayed == events.size() - snap_seq);
  CHECK(from_snapshot.batches_replayed == batches.size() - two_thirds);
  CHECK(from_snapshot.last_seq == events.size());
  CHECK_FALSE(from_journal.from_snapshot);
  CHECK(from_journal.events_replayed == events.size());
  CHECK(from_journal.last_seq == events.size());

  SECTION("a snapshot at the end of the journal: nothing left to replay") {
    REQUIRE_STORE_OK(j.put_snapshot(snapshot_at(events, events.size())));
    Recovered info;
    CHECK(recover(SnapshotUse::latest, info) == s.f.market.digest());
    CHECK(info.from_snapshot);
    CHECK(info.events_replayed == 0);
    CHECK(info.last_seq == events.size());
  }
  SECTION("a snapshot whose state does not reproduce its recorded digest is refused") {
    const std::uint64_t seq = batches[batches.size() - 5].last_seq;
    Snapshot bad = snapshot_at(events, seq);
    bad.digest ^= 0x1;  // the state is of `seq`, the digest is not
    REQUIRE_STORE_OK(j.put_snapshot(bad));
    Market m;
    Recovered info;
    const StoreStatus st = recover_market(j, m, info, SnapshotUse::latest);
    INFO(code(st) << ": " << st.message);
    CHECK(code(st) == "corruption");
    CHECK(names_number(st.message, seq));
    // The journal alone still recovers the market.
    CHECK(recover(SnapshotUse::none, info) == s.f.market.digest());
  }
  SECTION("a snapshot holding another point's state under this point's digest is refused") {
    const std::uint64_t seq = batches[batches.size() - 3].last_seq;
    Snapshot mixed = snapshot_at(events, batches[batches.size() - 4].last_seq);
    mixed.seq = seq;
    mixed.digest = market_at(events, seq).digest();
    REQUIRE(mixed.digest != market_at(events, batches[batches.size() - 4].last_seq).digest());
    REQUIRE_STORE_OK(j.put_snapshot(mixed));
    Market m;
    Recovered info;
    const StoreStatus st = recover_market(j, m, info, SnapshotUse::latest);
    INFO(code(st) << ": " << st.message);
    CHECK(code(st) == "corruption");
    CHECK(names_number(st.message, seq));
  }
  SECTION("a snapshot that cannot be loaded is ignored and the journal replayed") {
    REQUIRE_STORE_OK(j.put_snapshot(Snapshot{batches[batches.size() - 2].last_seq, 42, "not a snapshot"}));
    Recovered info;
    CHECK(recover(SnapshotUse::latest, info) == s.f.market.digest());
    INFO(info.note);
    CHECK_FALSE(info.from_snapshot);
    CHECK_FALSE(info.note.empty());
    CHECK(info.events_replayed == events.size());
  }
}
