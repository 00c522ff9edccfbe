// The read side: replicas of the market fed by durable batches (engine/replica).
//   - a replica reaches the writer's exact state after every batch of a seeded busy run;
//   - a batch that failed to persist never reaches a replica;
//   - a read waits for the sequence number it asks for (read-your-writes) and never holds up an
//     acknowledgement — the ordering is shown by the test, not by a timing;
//   - through the real server: a read right after a command sees it; the replicas never diverge.
#include <catch2/catch.hpp>

#include <condition_variable>
#include <functional>
#include <future>
#include <mutex>

#include "busy_session.h"
#include "engine/replica/replica_thread.h"
#include "engine/sequencer/sequencer.h"
#include "engine/store/memory_journal.h"
#include "gateway/protocol/reply_batcher.h"
#include "gateway_client.h"
#include "provider_client.h"

namespace {

using namespace carebroker::testing;
using namespace carebroker::testing::gateway_support;
using carebroker::gateway::Role;
using carebroker::replica::DurableBatch;
using carebroker::replica::ReplicaThread;
using carebroker::sequencer::CommandResult;
using carebroker::sequencer::ManualClock;
using carebroker::sequencer::Sequencer;
using carebroker::sequencer::SequencerOptions;
using carebroker::store::MemoryJournal;

/// A gate a read can wait at: the replica's thread stays in the read until the test opens it.
class Gate {
 public:
  void wait_open() {
    std::unique_lock lock(m_);
    entered_ = true;
    cv_.notify_all();
    cv_.wait(lock, [&] { return open_; });
  }
  void wait_entered() {
    std::unique_lock lock(m_);
    cv_.wait(lock, [&] { return entered_; });
  }
  void open() {
    std::lock_guard lock(m_);
    open_ = true;
    cv_.notify_all();
  }

 private:
  std::mutex m_;
  std::condition_variable cv_;
  bool entered_ = false, open_ = false;
};

/// Submits every command and waits for all the replies.
std::vector<CommandResult> run_all(Sequencer& seq, const std::vector<Command>& commands) {
  std::vector<std::future<CommandResult>> futures;
  for (const auto& c : commands) {
    auto promise = std::make_shared<std::promise<CommandResult>>();
    futures.push_back(promise->get_future());
    while (!seq.submit(c, [promise](CommandResult&& r) { promise->set_value(std::move(r)); }))
      std::this_thread::yield();
  }
  std::vector<CommandResult> out;
  for (auto& f : futures) out.push_back(f.get());
  return out;
}

/// A sequencer on an in-memory journal whose durable batches feed one replica (as the server's
/// listener does); `on_batch` also sees each batch first.
struct ReplicaRig {
  MemoryJournal journal;
  ManualClock clock{kMonday9am};
  Sequencer seq;
  ReplicaThread replica{"reader"};
  explicit ReplicaRig(std::function<void(const DurableBatch&)> on_batch = {}, SequencerOptions options = {})
      : seq(journal, clock, options) {
    seq.set_listener([this, on_batch](const DurableBatch& b) {
      if (on_batch) on_batch(b);
      replica.push(b);
    });
    seq.set_recovered_hook(
        [this](const Market& m, std::uint64_t s) { REQUIRE(replica.start(m.save_snapshot(), s).empty()); });
    REQUIRE(seq.start().ok());
  }
};

/// Waits (bounded) until the replica has applied `seq`.
bool reaches(const ReplicaThread& replica, std::uint64_t seq) {
  for (int i = 0; i < 10'000 && replica.applied_seq() < seq; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  return replica.applied_seq() >= seq;
}

}  // namespace

TEST_CASE("a replica fed the durable batches has the writer's digest after every batch of a seeded busy run", "[replica]") {
  MemoryJournal journal;
  ManualClock clock(kMonday9am);
  SequencerOptions options;
  options.digest_every_batch = true;
  Sequencer seq(journal, clock, options);
  // As in the server, the reader keeps no provider request ids; the other keeps them, as a
  // standby would: each is checked against the writer's digest for what it keeps.
  ReplicaThread chained("reader");
  chained.keep_request_ids(false);
  ReplicaThread replica("standby");
  replica.set_downstream([&](const DurableBatch& b) { chained.push(b); });
  std::uint64_t batches = 0;
  seq.set_listener([&](const DurableBatch& b) {
    ++batches;
    CHECK(b.writer_digests.given());
    replica.push(b);
  });
  seq.set_recovered_hook([&](const Market& m, std::uint64_t s) {
    REQUIRE(replica.start(m.save_snapshot(), s).empty());
    REQUIRE(chained.start(m.save_snapshot(), s).empty());
  });
  REQUIRE(seq.start().ok());
  // Submitted in slices so that batches of every size occur.
  const auto commands = busy_session(7);
  for (std::size_t at = 0; at < commands.size(); at += 37) {
    const std::vector<Command> slice(commands.begin() + static_cast<std::ptrdiff_t>(at),
                                     commands.begin() + static_cast<std::ptrdiff_t>(std::min(at + 37, commands.size())));
    run_all(seq, slice);
  }
  seq.stop();
  REQUIRE(reaches(chained, seq.durable_seq()));
  CHECK(batches > 20);
  CHECK(replica.divergences() == 0);  // its digest equalled the writer's after every batch
  CHECK(chained.divergences() == 0);
  std::promise<std::uint64_t> digest;
  REQUIRE(chained.submit_read(seq.durable_seq(), [&](const Market& m, std::uint64_t) { digest.set_value(m.digest()); }));
  carebroker::engine::MarketDigests writer;
  {
    Sequencer again(journal, clock);  // the journal replayed: the writer's final state
    REQUIRE(again.start().ok());
    std::promise<carebroker::engine::MarketDigests> d;
    REQUIRE(again.submit_read([&](const Market& m) { d.set_value(m.digests()); }, {}));
    writer = d.get_future().get();
    again.stop();
  }
  CHECK(digest.get_future().get() == writer.without_request_ids);
  CHECK(writer.without_request_ids != writer.whole);  // the session placed offers with request ids
}

TEST_CASE("a replica that diverges from the writer is counted, batch by batch", "[replica]") {
  carebroker::replica::Replica replica;
  REQUIRE(replica.start({}, 0).empty());
  auto events = std::make_shared<const std::vector<Event>>(std::vector<Event>{ClockAdvanced{kMonday9am}});
  CHECK(replica.apply({1, 1, events, 12345}).find("differs") != std::string::npos);
  CHECK(replica.apply({3, 3, events}).find("does not follow") != std::string::npos);  // a gap
  CHECK(replica.applied_seq() == 1);
}

TEST_CASE("a batch that failed to persist never reaches a replica", "[replica]") {
  std::vector<std::uint64_t> seen;
  std::mutex m;
  ReplicaRig rig([&](const DurableBatch& b) {
    std::lock_guard lock(m);
    seen.push_back(b.last_seq);
  });
  auto& [journal, clock, seq, replica] = rig;
  REQUIRE(run_all(seq, {SetCalendar{england_and_wales_bank_holidays()}})[0].durable);
  const std::uint64_t before = seq.durable_seq();
  journal.fail_appends(1, carebroker::store::StoreCode::io_error);
  CHECK_FALSE(run_all(seq, {DefineCategory{{"doomed", "Doomed"}}})[0].durable);
  REQUIRE(run_all(seq, {DefineCategory{{"kept", "Kept"}}})[0].durable);
  REQUIRE(reaches(replica, seq.durable_seq()));
  std::promise<std::pair<bool, bool>> categories;
  REQUIRE(replica.submit_read(seq.durable_seq(), [&](const Market& mk, std::uint64_t) {
    bool doomed = false, kept = false;
    for (const auto& c : mk.categories()) {
      doomed = doomed || c.code == "doomed";
      kept = kept || c.code == "kept";
    }
    categories.set_value({doomed, kept});
  }));
  const auto [doomed, kept] = categories.get_future().get();
  CHECK_FALSE(doomed);
  CHECK(kept);
  seq.stop();
  std::lock_guard lock(m);
  for (std::size_t i = 1; i < seen.size(); ++i) CHECK(seen[i] > seen[i - 1]);
  CHECK(seen.front() == before);
  CHECK(replica.divergences() == 0);
}

TEST_CASE("a slow read on a replica holds up neither the writer nor an acknowledgement", "[replica]") {
  ReplicaRig rig;
  auto& [journal, clock, seq, replica] = rig;
  Gate gate;
  std::promise<void> slow_read_done;
  REQUIRE(replica.submit_read(0, [&](const Market&, std::uint64_t) {
    gate.wait_open();
    slow_read_done.set_value();
  }));
  gate.wait_entered();  // the replica's thread is inside the slow read
  // Commands are acknowledged, durably, while the read is still running...
  for (int i = 0; i < 5; ++i) {
    const auto r = run_all(seq, {DefineCategory{{"c" + std::to_string(i), "C"}}});
    CHECK(r[0].durable);
    CHECK(r[0].reply.ok());
  }
  // ...and a read that needs them waits for the replica (it is queued, not answered).
  std::promise<std::size_t> later;
  REQUIRE(replica.submit_read(seq.durable_seq(), [&](const Market& mk, std::uint64_t) { later.set_value(mk.categories().size()); }));
  auto later_future = later.get_future();
  CHECK(later_future.wait_for(std::chrono::milliseconds(0)) == std::future_status::timeout);
  gate.open();
  slow_read_done.get_future().get();
  CHECK(later_future.get() == 5);  // it saw every acknowledged write
  seq.stop();
}

TEST_CASE("through the server, a read right after a command sees it, and the replicas never diverge", "[replica][gateway]") {
  TestServer server;
  const std::string officer = server.token(Role::officer);
  for (int i = 0; i < 30; ++i) {
    const std::uint64_t id = post_package(server, officer);
    const HttpResult r = http_request(server.port(), "GET", "/api/v1/packages/" + std::to_string(id), officer);
    INFO(r.status << " " << r.body.substr(0, 200));
    REQUIRE(r.status == 200);
  }
  CHECK(server.app().replica_divergences() == 0);
}

// =============================================================================================
// Acknowledgements coalesced per connection.

TEST_CASE("the replies one batch settles for a connection are delivered together, as one frame", "[replica][acks]") {
  using carebroker::gateway::protocol::CommandReply;
  using carebroker::gateway::protocol::ReplyBatcher;
  MemoryJournal journal;
  ManualClock clock(kMonday9am);
  Sequencer seq(journal, clock);
  ReplyBatcher batcher;
  seq.set_release_hook([&] { batcher.flush(); });
  REQUIRE(seq.start().ok());
  std::mutex m;
  std::vector<std::vector<CommandReply>> deliveries;  // per connection 1
  int other = 0;
  const ReplyBatcher::Deliver one = [&](std::vector<CommandReply> r) {
    std::lock_guard lock(m);
    deliveries.push_back(std::move(r));
  };
  const ReplyBatcher::Deliver two = [&](std::vector<CommandReply> r) {
    std::lock_guard lock(m);
    other += static_cast<int>(r.size());
  };
  // Hold the writer inside a read, so that every command below lands in the next batch.
  Gate gate;
  REQUIRE(seq.submit_read([&](const Market&) { gate.wait_open(); }, {}));
  gate.wait_entered();
  std::promise<void> all;
  std::atomic<int> settled{0};
  for (int i = 0; i < 10; ++i) {
    const std::uint64_t connection = i % 3 == 0 ? 2 : 1;
    REQUIRE(seq.submit(DefineCategory{{i == 4 ? "" : "c" + std::to_string(i), "C"}},
                       [&, i, connection](CommandResult&& r) {
                         CommandReply reply;
                         reply.request_id = "r" + std::to_string(i);
                         reply.ok = r.reply.ok();
                         reply.code = std::string(carebroker::engine::to_string(r.reply.status.code));
                         batcher.add(connection, connection == 1 ? one : two, std::move(reply));
                         if (++settled == 10) all.set_value();
                       }));
  }
  gate.open();
  all.get_future().get();
  seq.stop();
  std::lock_guard lock(m);
  REQUIRE(deliveries.size() == 1);  // connection 1: one delivery for the whole batch...
  REQUIRE(deliveries[0].size() == 6);
  for (std::size_t k = 0; k < deliveries[0].size(); ++k) CHECK(deliveries[0][k].request_id == std::vector<std::string>{"r1", "r2", "r4", "r5", "r7", "r8"}[k]);
  CHECK_FALSE(deliveries[0][2].ok);  // r4 was refused, and answered in the same delivery
  CHECK(other == 4);
  // ...which is one frame: a Replies with its acks and errors.
  const auto frame = carebroker::gateway::protocol::make_replies(deliveries[0]);
  CHECK(frame->type_name() == "Replies");
  CHECK(carebroker::gateway::protocol::make_replies({deliveries[0][0]})->type_name() == "Ack");
  CHECK(carebroker::gateway::protocol::make_replies({deliveries[0][2]})->type_name() == "Error");
}

TEST_CASE("pipelined offers on one connection are each answered once, in fewer frames than commands", "[replica][acks][gateway]") {
  TestServer server;
  const std::string officer = server.token(Role::officer);
  std::vector<std::uint64_t> packages;
  for (int i = 0; i < 40; ++i) packages.push_back(post_package(server, officer));
  ProviderClient a(server, server.token(Role::provider, "P-A"), true);
  a.hello();
  for (int i = 0; i < 40; ++i) {
    OfferArgs o;
    o.request_id = "pipe-" + std::to_string(i);
    o.location = "A";
    o.package = packages[static_cast<std::size_t>(i)];
    o.price = i == 7 ? 1 : 2900;  // one is refused (outside the rate band)
    a.place(o);
  }
  std::map<std::string, std::string> answered;  // request id → "ack" or the error code
  int frames = 0;
  while (answered.size() < 40) {
    const Msg m = a.next();
    if (m.type == "PackageBroadcast" || m.type == "PackageUpdate") continue;
    ++frames;
    REQUIRE(m.seq == 0);
    const auto take = [&](const json::value& v, const std::string& what) {
      const std::string id(v.at("request_id").as_string());
      CHECK(answered.emplace(id, what).second);  // each answered exactly once
    };
    if (m.type == "Ack") take(m.m, "ack");
    else if (m.type == "Error") take(m.m, m.text("code"));
    else {
      REQUIRE(m.type == "Replies");
      for (const auto& ack : m.m.at("acks").as_array()) take(ack, "ack");
      for (const auto& e : m.m.at("errors").as_array()) take(e, std::string(e.at("code").as_string()));
    }
  }
  INFO(frames << " reply frames for 40 commands");
  CHECK(frames <= 40);
  for (int i = 0; i < 40; ++i)
    CHECK(answered.at("pipe-" + std::to_string(i)) == (i == 7 ? "price_outside_rate_band" : "ack"));
  a.expect_quiet();
}
