// The sequencer: durable before visible, replies in submission order, group commit, a failed
// append fails exactly its batch(es) and the market is rebuilt from the journal, deadlines fire
// on their own, a clean stop leaves a snapshot, and the queue is bounded. Runs against the
// in-memory journal and a manual clock; waits for asynchronous completions with a generous
// timeout, never on timing.
#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <thread>
#include <condition_variable>
#include <future>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "engine/codec/event_codec.h"
#include "engine/sequencer/clock.h"
#include "engine/sequencer/recovery.h"
#include "engine/sequencer/sequencer.h"
#include "engine/sequencer/snapshot_replica.h"
#include "engine/store/memory_journal.h"
#include "market_fixture.h"

namespace {

using namespace carebroker;
using namespace carebroker::engine;
using carebroker::testing::home_care_config;
using carebroker::testing::kMonday;
using carebroker::testing::kMonday9am;
using carebroker::testing::MarketFixture;
using carebroker::testing::sealed;
using sequencer::CommandResult;
using sequencer::ManualClock;
using sequencer::PastSnapshot;
using sequencer::Recovered;
using sequencer::Sequencer;
using sequencer::SequencerOptions;
using sequencer::SnapshotUse;
using store::MemoryJournal;
using store::StoreCode;

constexpr auto kTimeout = std::chrono::seconds(30);

/// Collects command completions (which run on the sequencer thread). Catch2's assertions are
/// not thread-safe, so completions only record; the test thread checks.
class Completions {
 public:
  struct Entry {
    int index = 0;
    CommandResult result;
    std::uint64_t journal_last_seq = 0;  ///< the journal's last sequence number when it arrived
  };

  explicit Completions(const store::Journal& journal) : journal_(journal) {}

  sequencer::Completion make(int index) {
    return [this, index](CommandResult&& r) {
      const std::uint64_t on_disk = journal_.last_seq();  // same thread as the appends
      std::lock_guard lock(mutex_);
      entries_.push_back(Entry{index, std::move(r), on_disk});
      cv_.notify_all();
    };
  }
  /// Waits until `n` completions arrived; false on timeout.
  bool wait_for(std::size_t n) {
    std::unique_lock lock(mutex_);
    return cv_.wait_for(lock, kTimeout, [&] { return entries_.size() >= n; });
  }
  std::vector<Entry> entries() {
    std::lock_guard lock(mutex_);
    return entries_;
  }
  std::size_t size() {
    std::lock_guard lock(mutex_);
    return entries_.size();
  }

 private:
  const store::Journal& journal_;
  std::mutex mutex_;
  std::condition_variable cv_;
  std::vector<Entry> entries_;
};

/// Blocks the sequencer thread inside a read until released: lets a test queue commands while
/// the sequencer is busy, deterministically (no sleeping).
class SequencerGate {
 public:
  sequencer::Read read() {
    return [this](const Market&) {
      entered_.set_value();
      open_.get_future().wait();
    };
  }
  bool wait_entered() { return entered_.get_future().wait_for(kTimeout) == std::future_status::ready; }
  void release() { open_.set_value(); }

 private:
  std::promise<void> entered_, open_;
};

/// A value computed by a read on the sequencer thread, and whether it became durable.
template <typename T>
struct ReadResult {
  T value{};
  bool durable = false;
};

template <typename T, typename F>
ReadResult<T> read_market(Sequencer& seq, F f) {
  auto value = std::make_shared<T>();
  auto done = std::make_shared<std::promise<bool>>();
  auto future = done->get_future();
  const bool queued =
      seq.submit_read([value, f](const Market& m) { *value = f(m); }, [done](bool durable) { done->set_value(durable); });
  REQUIRE(queued);
  REQUIRE(future.wait_for(kTimeout) == std::future_status::ready);
  return {*value, future.get()};
}

std::uint64_t market_digest(Sequencer& seq) {
  const auto r = read_market<std::uint64_t>(seq, [](const Market& m) { return m.digest(); });
  REQUIRE(r.durable);
  return r.value;
}

std::string location_id(int i) { return "L" + std::to_string(i); }
std::string provider_id(int i) { return "P" + std::to_string(i / 2); }  // two locations each

/// The fixture's home-care market as commands: configuration and `locations` tier-1 locations
/// in the South zone, two per provider.
std::vector<Command> setup_commands(int locations) {
  std::vector<Command> out;
  out.push_back(SetCalendar{england_and_wales_bank_holidays()});
  for (const char* cat : {"older_people", "dementia", "learning_disability", "mental_health",
                          "physical_disability", "autism"})
    out.push_back(DefineCategory{{cat, cat}});
  out.push_back(ConfigureDps{home_care_config()});
  for (int i = 0; i < locations; ++i) {
    if (i % 2 == 0) out.push_back(RegisterProvider{provider_id(i), provider_id(i) + " Ltd"});
    out.push_back(RegisterLocation{location_id(i), provider_id(i), location_id(i) + " branch", "B13 9AA", "Birmingham"});
    out.push_back(ApplyToDps{location_id(i), "home-care"});
    out.push_back(AdmitToDps{location_id(i), "home-care", {"hc"}, {"older_people", "dementia", "physical_disability"},
                             {"south"}, "tier1", 500});
    UpdateQualityInputs q;
    q.location = location_id(i);
    q.cqc = CqcRating::good;
    q.pamms = PammsRating::good;
    q.self_assessment = 75;
    out.push_back(q);
  }
  return out;
}

PostPackage post_command(int n) {
  return PostPackage{MarketFixture::standard_package(),
                     sealed({"Person " + std::to_string(n), "1 Test Street", "B13 9ZZ", "CASE-" + std::to_string(n)})};
}

PlaceOffer offer_command(int location, PackageId package, const std::string& request_id, Pence price = 2900) {
  return PlaceOffer{provider_id(location), location_id(location), request_id, package, price, kMonday + 2, true, ""};
}

/// Submits commands and waits for all their completions (returned in submission order).
std::vector<CommandResult> run_all(Sequencer& seq, const store::Journal& journal, const std::vector<Command>& commands) {
  Completions c(journal);
  for (std::size_t i = 0; i < commands.size(); ++i) REQUIRE(seq.submit(commands[i], c.make(static_cast<int>(i))));
  REQUIRE(c.wait_for(commands.size()));
  std::vector<CommandResult> out(commands.size());
  for (auto& e : c.entries()) out[e.index] = std::move(e.result);
  return out;
}

void must_all(Sequencer& seq, const store::Journal& journal, const std::vector<Command>& commands) {
  const auto results = run_all(seq, journal, commands);
  for (std::size_t i = 0; i < results.size(); ++i) {
    INFO(command_name(commands[i]) << " #" << i << ": " << to_string(results[i].reply.status.code) << " — "
                                   << results[i].reply.status.detail << " " << results[i].failure);
    REQUIRE(results[i].durable);
    REQUIRE(results[i].reply.ok());
  }
}

/// Every event in the journal, decoded (the journal must be quiescent).
std::vector<Event> journal_events(store::Journal& journal) {
  std::vector<Event> out;
  const auto s = journal.replay(0, [&](std::uint64_t, std::uint64_t, std::string_view payload) {
    auto b = codec::decode_batch(payload);
    if (!b.ok()) return store::store_error(StoreCode::corruption, b.error);
    for (auto& e : b.events) out.push_back(std::move(e));
    return store::StoreStatus{};
  });
  INFO(s.message);
  REQUIRE(s.ok());
  return out;
}

std::uint64_t recovered_digest(store::Journal& journal, SnapshotUse use) {
  Market m;
  Recovered info;
  const auto s = sequencer::recover_market(journal, m, info, use);
  INFO(s.message);
  REQUIRE(s.ok());
  return m.digest();
}

/// A journal whose next append can be held (the sequencer waits inside it), to see the
/// pipeline deterministically. Delegates to a MemoryJournal.
class HeldJournal final : public store::Journal {
 public:
  explicit HeldJournal(MemoryJournal& inner) : inner_(inner) {}
  void hold_next() {
    std::lock_guard lock(m_);
    hold_ = true;
  }
  bool wait_held() {
    std::unique_lock lock(m_);
    return cv_.wait_for(lock, kTimeout, [&] { return holding_; });
  }
  void release() {
    std::lock_guard lock(m_);
    hold_ = false;
    cv_.notify_all();
  }
  store::StoreStatus append(const store::BatchToAppend& b) override {
    {
      std::unique_lock lock(m_);
      if (hold_) {
        holding_ = true;
        cv_.notify_all();
        cv_.wait(lock, [&] { return !hold_; });
      }
    }
    return inner_.append(b);
  }
  std::uint64_t last_seq() const override { return inner_.last_seq(); }
  store::StoreStatus replay_range(std::uint64_t after, std::uint64_t up_to, const store::BatchVisitor& v) override {
    return inner_.replay_range(after, up_to, v);
  }
  store::ChainHead chain_head() const override { return inner_.chain_head(); }
  store::StoreStatus chain_head_at(std::uint64_t seq, store::ChainHead& out) override { return inner_.chain_head_at(seq, out); }
  store::StoreStatus put_snapshot(const store::Snapshot& s) override { return inner_.put_snapshot(s); }
  store::StoreStatus latest_snapshot(std::optional<store::Snapshot>& out) override { return inner_.latest_snapshot(out); }
  store::StoreStatus archived_package(std::uint64_t p, std::string& out) override { return inner_.archived_package(p, out); }
  store::StoreStatus resume() override { return inner_.resume(); }

 private:
  MemoryJournal& inner_;
  std::mutex m_;
  std::condition_variable cv_;
  bool hold_ = false, holding_ = false;
};

/// A sequencer over a memory journal with the fixture's market (8 locations) loaded.
struct Rig {
  MemoryJournal journal;
  ManualClock clock{kMonday9am};
  Sequencer seq;

  explicit Rig(SequencerOptions options = {}) : seq(journal, clock, options) {}
  void start_with_market(int locations = 8) {
    REQUIRE(seq.start().ok());
    must_all(seq, journal, setup_commands(locations));
  }
  PackageId post(int n = 1) {
    const auto r = run_all(seq, journal, {post_command(n)});
    REQUIRE(r[0].durable);
    REQUIRE(r[0].reply.ok());
    return r[0].reply.package;
  }
};

}  // namespace

TEST_CASE("sequencer: completions come after the batch is in the journal and in submission order", "[sequencer]") {
  Rig rig;
  rig.start_with_market();
  std::vector<PackageId> packages;
  for (int i = 0; i < 4; ++i) packages.push_back(rig.post(i));

  // A mix of commands that change the market and commands that are rejected.
  std::vector<Command> commands;
  int n = 0;
  for (PackageId p : packages)
    for (int loc = 0; loc < 8; ++loc) {
      commands.push_back(offer_command(loc, p, "order-" + std::to_string(n++), 2900 + loc));
      if (loc % 3 == 0) commands.push_back(offer_command(loc, p, "dup-" + std::to_string(n++)));  // offer_exists
    }
  Completions c(rig.journal);
  for (std::size_t i = 0; i < commands.size(); ++i)
    REQUIRE(rig.seq.submit(commands[i], c.make(static_cast<int>(i))));
  REQUIRE(c.wait_for(commands.size()));

  const auto entries = c.entries();
  REQUIRE(entries.size() == commands.size());
  std::uint64_t previous_last = 0;
  int ok = 0, rejected = 0;
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const auto& e = entries[i];
    INFO("completion " << i << " was command " << e.index);
    CHECK(e.index == static_cast<int>(i));  // submission order
    CHECK(e.result.durable);
    CHECK(e.result.failure.empty());
    if (e.result.reply.ok()) {
      ++ok;
      CHECK(e.result.first_seq > previous_last);
      CHECK(e.result.last_seq >= e.result.first_seq);
      CHECK(e.journal_last_seq >= e.result.last_seq);  // durable before visible
      previous_last = e.result.last_seq;
    } else {
      ++rejected;
      CHECK(e.result.reply.status.code == Code::offer_exists);
      CHECK(e.result.first_seq == 0);
      CHECK(e.result.last_seq == 0);  // a rejection is not journaled
    }
  }
  CHECK(ok == 32);
  CHECK(rejected == 12);

  // Every acknowledged offer's events are in the journal with the sequence numbers it was told.
  rig.seq.stop();
  const auto events = journal_events(rig.journal);
  std::set<std::string> placed;
  for (std::size_t i = 0; i < events.size(); ++i)
    if (const auto* o = std::get_if<OfferPlaced>(&events[i])) placed.insert(o->request.request_id);
  for (const auto& e : entries)
    if (e.result.reply.ok()) {
      const auto& cmd = std::get<PlaceOffer>(commands[e.index]);
      CHECK(placed.count(cmd.request_id) == 1);
      const auto* o = std::get_if<OfferPlaced>(&events.at(e.result.first_seq - 1));
      REQUIRE(o);
      CHECK(o->request.request_id == cmd.request_id);
    }
}

TEST_CASE("sequencer: a read sees the commands before it and is released once they are durable", "[sequencer]") {
  Rig rig;
  rig.start_with_market();
  const PackageId p = rig.post();

  // log records, in order, what the sequencer released.
  std::mutex m;
  std::vector<std::string> log;
  std::uint64_t offer_last_seq = 0, journal_at_read_done = 0;
  std::promise<bool> read_done;
  int offers_seen_by_read = -1;

  Completions c(rig.journal);
  for (int loc = 0; loc < 3; ++loc)
    REQUIRE(rig.seq.submit(offer_command(loc, p, "r-" + std::to_string(loc)), [&, loc](CommandResult&& r) {
      std::lock_guard lock(m);
      log.push_back("offer " + std::to_string(loc));
      if (r.durable && r.reply.ok()) offer_last_seq = std::max(offer_last_seq, r.last_seq);
    }));
  REQUIRE(rig.seq.submit_read(
      [&](const Market& market) { offers_seen_by_read = static_cast<int>(market.find_package(p)->offers.size()); },
      [&](bool durable) {
        {
          std::lock_guard lock(m);
          log.push_back("read");
          journal_at_read_done = rig.journal.last_seq();
        }
        read_done.set_value(durable);
      }));
  auto f = read_done.get_future();
  REQUIRE(f.wait_for(kTimeout) == std::future_status::ready);
  CHECK(f.get());
  std::lock_guard lock(m);
  CHECK(offers_seen_by_read == 3);  // happens-before: done runs after the read on the sequencer
  CHECK(log == std::vector<std::string>{"offer 0", "offer 1", "offer 2", "read"});
  CHECK(offer_last_seq > 0);
  CHECK(journal_at_read_done >= offer_last_seq);
}

TEST_CASE("sequencer: replies to reads and commands in one batch are released in submission order",
          "[sequencer]") {
  Rig rig;
  rig.start_with_market();
  const PackageId p = rig.post();

  std::mutex m;
  std::vector<std::string> released;  // in the order the sequencer released them
  std::promise<void> all_done;
  auto note = [&](const std::string& what) {
    std::lock_guard lock(m);
    released.push_back(what);
    if (released.size() == 3) all_done.set_value();
  };
  // Hold the sequencer so that the command, the read and the command form one batch.
  SequencerGate gate;
  REQUIRE(rig.seq.submit_read(gate.read(), {}));
  REQUIRE(gate.wait_entered());
  REQUIRE(rig.seq.submit(offer_command(0, p, "ord-a"), [&](CommandResult&&) { note("command A"); }));
  REQUIRE(rig.seq.submit_read([](const Market&) {}, [&](bool) { note("read R"); }));
  REQUIRE(rig.seq.submit(offer_command(1, p, "ord-b"), [&](CommandResult&&) { note("command B"); }));
  gate.release();
  auto f = all_done.get_future();
  REQUIRE(f.wait_for(kTimeout) == std::future_status::ready);
  std::lock_guard lock(m);
  // A client that sends a query and then a command expects their answers in that order.
  CHECK(released == std::vector<std::string>{"command A", "read R", "command B"});
}

TEST_CASE("sequencer: what arrives while a batch syncs becomes the next batch, cut when the sync returns",
          "[sequencer]") {
  // Group commit as ../shared/ceiling does it: while batch N is held in the journal, commands
  // queue and nothing runs; when N's append returns, everything that queued meanwhile runs as
  // ONE batch (not a small batch cut early and the rest behind it), so a command waits for at
  // most the sync in progress and its own. Nothing is released before it is durable.
  MemoryJournal memory;
  HeldJournal journal(memory);
  ManualClock clock(kMonday9am);
  Sequencer seq(journal, clock);
  REQUIRE(seq.start().ok());
  must_all(seq, journal, setup_commands(4));
  const auto posted = run_all(seq, journal, {post_command(1)});
  const PackageId p = posted[0].reply.package;
  const std::uint64_t before = journal.last_seq();

  journal.hold_next();
  Completions first(journal);
  REQUIRE(seq.submit(offer_command(0, p, "held-1"), first.make(0)));
  REQUIRE(journal.wait_held());  // batch N is in append, held
  const int appends_before = memory.appends();

  std::promise<int> read_ran;
  std::promise<bool> read_done;
  Completions queued(journal);
  REQUIRE(seq.submit(offer_command(1, p, "held-2"), queued.make(1)));
  REQUIRE(seq.submit(offer_command(2, p, "held-3"), queued.make(2)));
  REQUIRE(seq.submit_read([&](const Market& m) { read_ran.set_value(static_cast<int>(m.find_package(p)->offers.size())); },
                          [&](bool durable) { read_done.set_value(durable); }));
  auto ran = read_ran.get_future();
  auto done = read_done.get_future();
  // N is still held: nothing of it was released, and nothing behind it ran.
  CHECK(ran.wait_for(std::chrono::seconds(0)) != std::future_status::ready);
  CHECK(first.size() == 0);
  CHECK(queued.size() == 0);
  CHECK(memory.last_seq() == before);

  journal.release();
  REQUIRE(first.wait_for(1));
  REQUIRE(queued.wait_for(2));
  REQUIRE(done.wait_for(kTimeout) == std::future_status::ready);
  CHECK(done.get());
  CHECK(ran.get() == 3);                             // the read saw N's offer and both queued ones
  CHECK(memory.appends() - appends_before == 2);     // N, then everything that queued behind it
  CHECK(first.entries()[0].result.durable);
  for (const auto& e : queued.entries()) {
    CHECK(e.result.durable);
    CHECK(e.journal_last_seq >= e.result.last_seq);  // released only once durable
  }
  seq.stop();
}

TEST_CASE("sequencer: group commit turns many commands into few appends", "[sequencer]") {
  Rig rig;
  rig.start_with_market(4);
  const int appends_before = rig.journal.appends();

  // Hold the sequencer thread in a read while 5,000 commands are queued, so the test does not
  // depend on how fast this machine submits.
  SequencerGate gate;
  REQUIRE(rig.seq.submit_read(gate.read(), {}));
  REQUIRE(gate.wait_entered());
  constexpr int kCommands = 5000;
  Completions c(rig.journal);
  for (int i = 0; i < kCommands; ++i) REQUIRE(rig.seq.submit(post_command(i), c.make(i)));
  gate.release();
  REQUIRE(c.wait_for(kCommands));

  const auto entries = c.entries();
  std::set<PackageId> packages;
  for (std::size_t i = 0; i < entries.size(); ++i) {
    CHECK(entries[i].index == static_cast<int>(i));
    CHECK(entries[i].result.durable);
    CHECK(entries[i].result.reply.ok());
    CHECK(entries[i].journal_last_seq >= entries[i].result.last_seq);
    packages.insert(entries[i].result.reply.package);
  }
  CHECK(packages.size() == kCommands);
  const int appends = rig.journal.appends() - appends_before;
  INFO(kCommands << " commands in " << appends << " appends");
  // max_batch_commands = 1024: five batches, and a little slack for the read's own batch.
  CHECK(appends >= 5);
  CHECK(appends <= 7);
  rig.seq.stop();  // the sequencer updates its statistics after the completions
  CHECK(rig.seq.stats().batches == static_cast<std::uint64_t>(rig.journal.appends()));
  CHECK(rig.seq.stats().commands >= static_cast<std::uint64_t>(kCommands));
}

TEST_CASE("sequencer: group commit without holding the sequencer still batches under load", "[sequencer]") {
  Rig rig;
  rig.start_with_market(4);
  const int appends_before = rig.journal.appends();
  constexpr int kCommands = 5000;
  Completions c(rig.journal);
  for (int i = 0; i < kCommands; ++i) REQUIRE(rig.seq.submit(post_command(i), c.make(i)));
  REQUIRE(c.wait_for(kCommands));
  const auto entries = c.entries();
  for (std::size_t i = 0; i < entries.size(); ++i) {
    CHECK(entries[i].index == static_cast<int>(i));
    CHECK(entries[i].result.durable);
    CHECK(entries[i].journal_last_seq >= entries[i].result.last_seq);
  }
  const int appends = rig.journal.appends() - appends_before;
  // No bound that depends on timing: at most one append per command, and each append carries
  // whole commands (the batch boundary never splits a command's events).
  CHECK(appends >= 5);
  CHECK(appends <= kCommands);
  std::set<std::uint64_t> firsts;
  for (const auto& e : entries) firsts.insert(e.result.first_seq);
  CHECK(firsts.size() == kCommands);
}

TEST_CASE("sequencer: a failed append fails exactly its batch and the market is rebuilt from the journal",
          "[sequencer]") {
  Rig rig;
  rig.start_with_market(8);
  std::vector<PackageId> packages;
  for (int i = 0; i < 4; ++i) packages.push_back(rig.post(i));
  const std::uint64_t digest_before = market_digest(rig.seq);
  const std::uint64_t seq_before = rig.journal.last_seq();

  // The sequencer is idle (the clock does not move, so it does not tick): safe to arm the fault.
  rig.journal.fail_appends(1, StoreCode::disk_full);

  // Batch 1 (held behind a gate so it is one batch): offers from locations 0..3, a read.
  SequencerGate gate;
  REQUIRE(rig.seq.submit_read(gate.read(), {}));
  REQUIRE(gate.wait_entered());
  std::vector<Command> doomed;
  for (int loc = 0; loc < 4; ++loc)
    for (PackageId p : packages) doomed.push_back(offer_command(loc, p, "doomed-" + std::to_string(doomed.size())));
  Completions failed(rig.journal);
  for (std::size_t i = 0; i < doomed.size(); ++i)
    REQUIRE(rig.seq.submit(doomed[i], failed.make(static_cast<int>(i))));
  std::promise<bool> doomed_read;
  REQUIRE(rig.seq.submit_read([](const Market&) {}, [&](bool durable) { doomed_read.set_value(durable); }));
  gate.release();
  REQUIRE(failed.wait_for(doomed.size()));
  auto doomed_read_done = doomed_read.get_future();
  REQUIRE(doomed_read_done.wait_for(kTimeout) == std::future_status::ready);
  CHECK_FALSE(doomed_read_done.get());  // what it saw never happened

  for (const auto& e : failed.entries()) {
    INFO("command " << e.index);
    CHECK_FALSE(e.result.durable);
    CHECK(e.result.failure.find("disk_full") != std::string::npos);
    CHECK(e.result.first_seq == 0);
    CHECK(e.result.last_seq == 0);
  }

  // Later commands succeed: the sequencer rebuilt the market first (the rebuild happens before
  // it runs its next batch). The same request ids are fresh again: their first use never happened.
  std::vector<Command> later;
  for (int loc = 0; loc < 4; ++loc)
    for (PackageId p : packages) later.push_back(offer_command(loc, p, "doomed-" + std::to_string(later.size())));
  const auto results = run_all(rig.seq, rig.journal, later);
  for (std::size_t i = 0; i < results.size(); ++i) {
    INFO("later command " << i << ": " << results[i].reply.status.detail << results[i].failure);
    CHECK(results[i].durable);
    CHECK(results[i].reply.ok());
    CHECK_FALSE(results[i].reply.replayed);
  }
  const auto stats = rig.seq.stats();
  CHECK(stats.rebuilds == 1);
  CHECK(stats.failed_batches >= 1);

  // Nothing of the failed batch is in the journal: the offers start right after it.
  CHECK(results.front().first_seq == seq_before + 1);
  // The live market is exactly the journal's.
  const std::uint64_t live = market_digest(rig.seq);
  CHECK(live != digest_before);
  CHECK(live == recovered_digest(rig.journal, SnapshotUse::none));
  const auto events = journal_events(rig.journal);
  int offers = 0;
  for (const auto& e : events) offers += std::holds_alternative<OfferPlaced>(e) ? 1 : 0;
  CHECK(offers == static_cast<int>(later.size()));
}

TEST_CASE("sequencer: commands queued behind a failed batch run on the market rebuilt from the journal",
          "[sequencer]") {
  // No batch is ever computed on top of one whose append has not returned: what queues behind a
  // batch that then fails runs after the rebuild, on the journal's market — it never sees the
  // failed batch, and is not failed with it.
  MemoryJournal memory;
  HeldJournal journal(memory);
  ManualClock clock(kMonday9am);
  Sequencer seq(journal, clock);
  REQUIRE(seq.start().ok());
  must_all(seq, journal, setup_commands(6));
  const PackageId p = run_all(seq, journal, {post_command(1)})[0].reply.package;
  const std::uint64_t seq_before = memory.last_seq();

  // Batch N: held in the journal, then failed.
  memory.fail_appends(1, StoreCode::io_error);  // idle: safe to arm
  journal.hold_next();
  Completions n(journal);
  REQUIRE(seq.submit(offer_command(0, p, "pipe-0"), n.make(0)));
  REQUIRE(journal.wait_held());

  // Queued while N is being written.
  Completions n1(journal);
  REQUIRE(seq.submit(offer_command(1, p, "pipe-1"), n1.make(0)));
  std::promise<int> read_ran;
  std::promise<bool> read_done;
  REQUIRE(seq.submit_read([&](const Market& m) { read_ran.set_value(static_cast<int>(m.find_package(p)->offers.size())); },
                          [&](bool durable) { read_done.set_value(durable); }));

  journal.release();
  REQUIRE(n.wait_for(1));
  REQUIRE(n1.wait_for(1));
  auto done = read_done.get_future();
  REQUIRE(done.wait_for(kTimeout) == std::future_status::ready);
  CHECK(done.get());
  CHECK(read_ran.get_future().get() == 1);  // pipe-1's offer only: N never happened
  CHECK_FALSE(n.entries()[0].result.durable);
  CHECK(n.entries()[0].result.failure.find("io_error") != std::string::npos);
  CHECK(n1.entries()[0].result.durable);
  CHECK(n1.entries()[0].result.reply.ok());
  CHECK(n1.entries()[0].result.first_seq == seq_before + 1);  // nothing of N is in the journal
  CHECK(seq.stats().rebuilds == 1);

  // The failed offer can be placed again; the market is the journal's.
  const auto again = run_all(seq, journal, {offer_command(0, p, "pipe-0")});
  CHECK(again[0].reply.ok());
  CHECK_FALSE(again[0].reply.replayed);
  CHECK(market_digest(seq) == recovered_digest(memory, SnapshotUse::none));
  seq.stop();
  CHECK(recovered_digest(memory, SnapshotUse::latest) == recovered_digest(memory, SnapshotUse::none));
}

TEST_CASE("sequencer: under load a failed append loses no acknowledged command", "[sequencer]") {
  Rig rig;
  rig.start_with_market(8);
  std::vector<PackageId> packages;
  for (int i = 0; i < 25; ++i) packages.push_back(rig.post(i));

  rig.journal.fail_appends(1, StoreCode::disk_full);
  // 200 distinct offers submitted as fast as possible: how they fall into batches is up to the
  // sequencer; the failure hits the first append (and whatever was computed on top of it).
  std::vector<Command> commands;
  for (PackageId p : packages)
    for (int loc = 0; loc < 8; ++loc)
      commands.push_back(offer_command(loc, p, "load-" + std::to_string(commands.size()), 2800 + loc));
  Completions c(rig.journal);
  for (std::size_t i = 0; i < commands.size(); ++i) REQUIRE(rig.seq.submit(commands[i], c.make(static_cast<int>(i))));
  REQUIRE(c.wait_for(commands.size()));
  // One more command after everything: it runs after the rebuild, whatever the batching was.
  const auto last = run_all(rig.seq, rig.journal, {post_command(999)});
  CHECK(last[0].durable);
  CHECK(last[0].reply.ok());

  const auto entries = c.entries();
  int acked = 0, lost = 0;
  bool seen_success = false;
  bool failure_after_success = false;
  for (std::size_t i = 0; i < entries.size(); ++i) {
    CHECK(entries[i].index == static_cast<int>(i));
    if (entries[i].result.durable) {
      seen_success = true;
      CHECK(entries[i].result.reply.ok());
      CHECK(entries[i].journal_last_seq >= entries[i].result.last_seq);
      ++acked;
    } else {
      CHECK(entries[i].result.failure.find("injected append failure") != std::string::npos);
      if (seen_success) failure_after_success = true;
      ++lost;
    }
  }
  INFO(acked << " acknowledged, " << lost << " failed");
  CHECK(lost >= 1);
  CHECK_FALSE(failure_after_success);  // the failed commands are a prefix: the first batch(es)
  CHECK(rig.seq.stats().rebuilds == 1);

  // Every acknowledged offer is in the journal (a retry is a replay); every failed one is not
  // (a retry places it now).
  Market recovered;
  Recovered info;
  REQUIRE(sequencer::recover_market(rig.journal, recovered, info, SnapshotUse::none).ok());
  CHECK(recovered.digest() == market_digest(rig.seq));
  std::vector<Event> scratch;
  for (const auto& e : entries) {
    const Reply r = recovered.execute(commands[e.index], scratch);
    INFO("command " << e.index << " durable " << e.result.durable << ": " << r.status.detail);
    CHECK(r.ok());
    CHECK(r.replayed == e.result.durable);
  }
}

TEST_CASE("sequencer: deadlines fire without commands", "[sequencer]") {
  Rig rig;
  std::mutex m;
  std::condition_variable cv;
  std::vector<std::string> seen;  // event names, from the listener (sequencer thread)
  rig.seq.set_listener([&](const carebroker::replica::DurableBatch& batch) {
    std::lock_guard lock(m);
    for (const auto& e : *batch.events) seen.emplace_back(event_name(e));
    cv.notify_all();
  });
  rig.start_with_market(4);
  const PackageId p = rig.post();
  REQUIRE(run_all(rig.seq, rig.journal, {offer_command(0, p, "deadline-1")})[0].reply.ok());
  const auto before = read_market<std::pair<PackageStatus, UtcMillis>>(rig.seq, [p](const Market& mk) {
    return std::pair{mk.find_package(p)->status, mk.find_package(p)->closes_at};
  });
  REQUIRE(before.value.first == PackageStatus::open);
  REQUIRE(before.value.second > kMonday9am);

  // Only the clock moves: no command is submitted until the sequencer has ticked on its own.
  rig.clock.set(before.value.second + 1);
  {
    std::unique_lock lock(m);
    REQUIRE(cv.wait_for(lock, kTimeout, [&] {
      return std::find(seen.begin(), seen.end(), "award_offered") != seen.end();
    }));
    CHECK(std::find(seen.begin(), seen.end(), "window_closed") != seen.end());
    CHECK(std::find(seen.begin(), seen.end(), "clock_advanced") != seen.end());
  }
  const auto after = read_market<std::pair<PackageStatus, UtcMillis>>(
      rig.seq, [p](const Market& mk) { return std::pair{mk.find_package(p)->status, mk.now()}; });
  CHECK(after.durable);
  CHECK(after.value.first == PackageStatus::award_pending);
  CHECK(after.value.second == before.value.second + 1);

  // And the award lapses on its own too.
  const auto expires =
      read_market<UtcMillis>(rig.seq, [p](const Market& mk) { return mk.find_package(p)->award_expires; });
  rig.clock.set(expires.value + 1);
  {
    std::unique_lock lock(m);
    REQUIRE(cv.wait_for(lock, kTimeout, [&] {
      return std::find(seen.begin(), seen.end(), "award_declined") != seen.end();
    }));
  }
  const auto lapsed = read_market<PackageStatus>(rig.seq, [p](const Market& mk) { return mk.find_package(p)->status; });
  CHECK(lapsed.value != PackageStatus::award_pending);
  rig.seq.stop();
  CHECK(recovered_digest(rig.journal, SnapshotUse::none) == recovered_digest(rig.journal, SnapshotUse::latest));
}

TEST_CASE("sequencer: reads never write — the clock is journaled only with a command or a due deadline",
          "[sequencer]") {
  // Regression (issue 7, defect 6): a Tick was prepended to every batch, reads included, so each
  // read journaled a ClockAdvanced with a synced append.
  Rig rig;
  rig.start_with_market(4);
  const PackageId p = rig.post();
  const auto closes =
      read_market<UtcMillis>(rig.seq, [p](const Market& m) { return m.find_package(p)->closes_at; });
  const std::uint64_t durable = rig.seq.durable_seq();
  const std::size_t batches = rig.journal.batch_count();
  const auto appends = rig.seq.stats().batches;

  for (int i = 0; i < 200; ++i) {
    rig.clock.advance(1000);  // the clock moves, but no deadline falls due
    const auto r = read_market<std::size_t>(rig.seq, [p](const Market& m) { return m.find_package(p)->offers.size(); });
    REQUIRE(r.durable);
    CHECK(r.value == 0);
  }
  REQUIRE(rig.clock.now() < closes.value);
  CHECK(rig.seq.durable_seq() == durable);
  CHECK(rig.journal.batch_count() == batches);
  CHECK(rig.seq.stats().batches == appends);

  // A command after them still happens at the current time.
  const UtcMillis now = rig.clock.now();
  const auto r = run_all(rig.seq, rig.journal, {offer_command(0, p, "after-reads")});
  REQUIRE(r[0].reply.ok());
  CHECK(rig.journal.batch_count() == batches + 1);
  const auto seen = read_market<std::pair<UtcMillis, UtcMillis>>(rig.seq, [p](const Market& m) {
    return std::pair{m.now(), m.find_package(p)->offers.front().placed_at};
  });
  CHECK(seen.value.first == now);
  CHECK(seen.value.second == now);
  rig.seq.stop();
  const auto events = journal_events(rig.journal);
  REQUIRE(events.size() >= 2);
  const auto* tick = std::get_if<ClockAdvanced>(&events.at(r[0].first_seq - 2));
  REQUIRE(tick);
  CHECK(tick->now == now);
}

TEST_CASE("sequencer: a clean stop writes a snapshot and a new sequencer recovers from it", "[sequencer]") {
  MemoryJournal journal;
  ManualClock clock(kMonday9am);
  std::uint64_t digest = 0, last_seq = 0;
  {
    SequencerOptions options;
    options.snapshot_every_events = 0;  // only at a clean stop
    Sequencer seq(journal, clock, options);
    REQUIRE(seq.start().ok());
    CHECK_FALSE(seq.recovered().from_snapshot);
    must_all(seq, journal, setup_commands(6));
    const auto p = run_all(seq, journal, {post_command(1)})[0].reply.package;
    must_all(seq, journal, {offer_command(0, p, "s-1"), offer_command(1, p, "s-2", 3100)});
    digest = market_digest(seq);
    seq.stop();
    CHECK(seq.stats().snapshots == 1);
    CHECK_FALSE(seq.submit(offer_command(2, p, "s-3"), [](CommandResult&&) {}));  // stopped
    last_seq = journal.last_seq();
  }
  std::optional<store::Snapshot> snapshot;
  REQUIRE(journal.latest_snapshot(snapshot).ok());
  REQUIRE(snapshot);
  CHECK(snapshot->seq == last_seq);
  CHECK(snapshot->digest == digest);

  Sequencer again(journal, clock);
  REQUIRE(again.start().ok());
  CHECK(again.recovered().from_snapshot);
  CHECK(again.recovered().snapshot_seq == last_seq);
  CHECK(again.recovered().last_seq == last_seq);
  CHECK(again.recovered().events_replayed == 0);
  CHECK(market_digest(again) == digest);
  // It carries on where the first left off: the idempotency records came with the snapshot.
  const auto retry = run_all(again, journal, {offer_command(0, 1, "s-1")});
  CHECK(retry[0].reply.replayed);
  const auto next = run_all(again, journal, {offer_command(2, 1, "s-3")});
  CHECK(next[0].reply.ok());
  CHECK(next[0].first_seq == last_seq + 1);
  again.stop();
  CHECK(recovered_digest(journal, SnapshotUse::latest) == recovered_digest(journal, SnapshotUse::none));
}

TEST_CASE("sequencer: a clean stop right after a failed batch snapshots the journal's market, not the failed one",
          "[sequencer]") {
  // The last batch before a stop may fail to persist; the stop's snapshot must not hold it.
  MemoryJournal journal;
  ManualClock clock(kMonday9am);
  SequencerOptions options;
  options.snapshot_every_events = 0;  // only at a clean stop
  Sequencer seq(journal, clock, options);
  REQUIRE(seq.start().ok());
  must_all(seq, journal, setup_commands(4));
  const PackageId p = run_all(seq, journal, {post_command(1)})[0].reply.package;

  // Hold the sequencer, queue an offer whose append will fail, and stop: the offer is in the
  // last batch, taken once the stop has begun.
  SequencerGate gate;
  REQUIRE(seq.submit_read(gate.read(), {}));
  REQUIRE(gate.wait_entered());
  journal.fail_appends(1, StoreCode::io_error);
  Completions last(journal);
  REQUIRE(seq.submit(offer_command(0, p, "last-1"), last.make(0)));
  std::thread stopper([&] { seq.stop(); });
  while (seq.submit_read([](const Market&) {}, {})) std::this_thread::yield();  // refused: stopping
  gate.release();
  stopper.join();

  REQUIRE(last.wait_for(1));
  CHECK_FALSE(last.entries()[0].result.durable);
  std::optional<store::Snapshot> snapshot;
  REQUIRE(journal.latest_snapshot(snapshot).ok());
  REQUIRE(snapshot);
  CHECK(snapshot->seq == journal.last_seq());
  CHECK(recovered_digest(journal, SnapshotUse::latest) == recovered_digest(journal, SnapshotUse::none));
}

TEST_CASE("sequencer: periodic snapshots are taken and recovery from them matches the journal", "[sequencer]") {
  MemoryJournal journal;
  ManualClock clock(kMonday9am);
  SequencerOptions options;
  options.snapshot_every_events = 50;
  Sequencer seq(journal, clock, options);
  REQUIRE(seq.start().ok());
  must_all(seq, journal, setup_commands(8));
  std::vector<Command> posts;
  for (int i = 0; i < 60; ++i) posts.push_back(post_command(i));
  must_all(seq, journal, posts);
  const std::uint64_t live = market_digest(seq);
  // Periodic snapshots are rebuilt from the journal on the snapshot thread once their batch is
  // durable: wait (bounded) for the first to land.
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (seq.stats().snapshots < 1 && std::chrono::steady_clock::now() < until)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  CHECK(seq.stats().snapshots >= 1);
  // Quiescent (the clock does not move): recovery may read the journal.
  std::optional<store::Snapshot> snapshot;
  REQUIRE(journal.latest_snapshot(snapshot).ok());
  REQUIRE(snapshot);
  Market m;
  Recovered info;
  REQUIRE(sequencer::recover_market(journal, m, info, SnapshotUse::latest).ok());
  CHECK(info.from_snapshot);
  CHECK(m.digest() == live);
  CHECK(recovered_digest(journal, SnapshotUse::none) == live);
  seq.stop();
}

/// Posts `count` packages one command (one batch) at a time and keeps the writer's digests after
/// each: sequence number of the batch's last event → the writer's digests there.
static std::map<std::uint64_t, engine::MarketDigests> post_one_by_one(Sequencer& seq, store::Journal& journal, int count) {
  std::map<std::uint64_t, engine::MarketDigests> at;
  for (int i = 0; i < count; ++i) {
    must_all(seq, journal, {post_command(i)});
    // The clock does not move, so no tick comes between: the read sees exactly this batch.
    const auto r = read_market<engine::MarketDigests>(seq, [](const Market& m) { return m.digests(); });
    REQUIRE(r.durable);
    at[journal.last_seq()] = r.value;
  }
  return at;
}

TEST_CASE("sequencer: a periodic snapshot is the journal's state at its batch and carries the writer's digest",
          "[sequencer][snapshot]") {
  Rig rig([] {
    SequencerOptions o;
    o.snapshot_every_events = 50;
    return o;
  }());
  rig.start_with_market();
  const auto writers = post_one_by_one(rig.seq, rig.journal, 40);
  const auto until = std::chrono::steady_clock::now() + kTimeout;
  while (rig.seq.stats().snapshots < 1 && std::chrono::steady_clock::now() < until)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  REQUIRE(rig.seq.stats().snapshots >= 1);
  CHECK(rig.seq.stats().snapshot_failures == 0);
  std::optional<store::Snapshot> snapshot;
  REQUIRE(rig.journal.latest_snapshot(snapshot).ok());
  REQUIRE(snapshot);
  // It was taken at the end of one of the batches, with the writer's digest of that moment.
  REQUIRE(writers.count(snapshot->seq) == 1);
  CHECK(snapshot->digest == writers.at(snapshot->seq).whole);
  Market loaded;
  REQUIRE(loaded.load_snapshot(snapshot->state).ok());
  CHECK(loaded.digests() == writers.at(snapshot->seq));
  rig.seq.stop();
}

TEST_CASE("snapshot replica: the state at a past batch is rebuilt from the journal and must reach the writer's digests",
          "[sequencer][snapshot]") {
  Rig rig;  // periodic snapshots at the default interval: none in this run
  rig.start_with_market();
  const auto writers = post_one_by_one(rig.seq, rig.journal, 6);
  const auto [seq, digests] = *std::next(writers.begin(), 2);  // a batch in the middle

  SECTION("the writer's digests reached: a snapshot of that state, not of the journal's end") {
    const PastSnapshot past = sequencer::snapshot_from_journal(rig.journal, seq, digests);
    INFO(past.problem);
    REQUIRE(past.snapshot);
    CHECK(past.snapshot->seq == seq);
    CHECK(past.snapshot->digest == digests.whole);
    CHECK(seq < rig.journal.last_seq());
    Market loaded;
    REQUIRE(loaded.load_snapshot(past.snapshot->state).ok());
    CHECK(loaded.digests() == digests);
  }
  SECTION("another digest is a divergence: nothing to write, and it says so") {
    engine::MarketDigests wrong = digests;
    ++wrong.whole;
    const PastSnapshot past = sequencer::snapshot_from_journal(rig.journal, seq, wrong);
    CHECK_FALSE(past.snapshot);
    CHECK(past.diverged);
    CHECK(past.problem.find("digest") != std::string::npos);
  }
  SECTION("a point inside a batch cannot be rebuilt: nothing to write, and no divergence") {
    const std::uint64_t inside = std::prev(writers.find(seq))->first + 1;  // the batch's first event
    REQUIRE(inside < seq);
    const PastSnapshot past = sequencer::snapshot_from_journal(rig.journal, inside, digests);
    CHECK_FALSE(past.snapshot);
    CHECK_FALSE(past.diverged);
    CHECK(past.problem.find("no journal batch ends at sequence " + std::to_string(inside)) != std::string::npos);
  }
  rig.seq.stop();
}

TEST_CASE("sequencer: the queue is bounded", "[sequencer]") {
  SECTION("not started: refused") {
    MemoryJournal journal;
    ManualClock clock(kMonday9am);
    SequencerOptions options;
    options.queue_capacity = 10;
    Sequencer seq(journal, clock, options);
    bool called = false;
    CHECK_FALSE(seq.submit(Tick{kMonday9am}, [&](CommandResult&&) { called = true; }));
    CHECK_FALSE(seq.submit_read([](const Market&) {}, [&](bool) { called = true; }));
    CHECK_FALSE(called);
  }
  SECTION("full: refused, and what was accepted still completes") {
    SequencerOptions options;
    options.queue_capacity = 10;
    Rig rig(options);
    REQUIRE(rig.seq.start().ok());
    must_all(rig.seq, rig.journal, {SetCalendar{england_and_wales_bank_holidays()}});
    SequencerGate gate;
    REQUIRE(rig.seq.submit_read(gate.read(), {}));
    REQUIRE(gate.wait_entered());  // the sequencer holds the read; the queue is empty
    Completions c(rig.journal);
    for (int i = 0; i < 10; ++i)
      CHECK(rig.seq.submit(DefineCategory{{"cat" + std::to_string(i), "Category"}}, c.make(i)));
    CHECK_FALSE(rig.seq.submit(DefineCategory{{"overflow", "Overflow"}}, c.make(10)));
    CHECK_FALSE(rig.seq.submit_read([](const Market&) {}, {}));
    gate.release();
    REQUIRE(c.wait_for(10));
    for (const auto& e : c.entries()) {
      CHECK(e.result.durable);
      CHECK(e.result.reply.ok());
    }
    const auto n = read_market<std::size_t>(rig.seq, [](const Market& m) { return m.categories().size(); });
    CHECK(n.value == 10);
    CHECK(c.size() == 10);  // the refused one never completes
  }
}
