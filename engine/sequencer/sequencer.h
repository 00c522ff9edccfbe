// The sequencer: the one thread that owns the market. It takes the waiting commands as a
// batch, runs each through the market rules, encodes the batch's events, appends them to the
// journal in one synced write and only then releases the batch's replies (and the batch to the
// listener, for broadcasts). Group commit: while batch N syncs, commands queue; everything that
// queued is batch N+1 — so a command waits for at most the sync in progress and its own, with
// one thread hand-off each way (the I/O thread's submit, the replies' release), as in
// ../shared/ceiling. (An earlier design appended on a persister thread of its own: one more
// wake-up per batch, which on two cores cost more than the overlap it bought.)
//
// If a batch fails to persist, its commands are failed, never acknowledged, and the sequencer
// rebuilds the market from the journal (snapshot + replay) before it takes more. Each durable batch goes to the listener (the
// replicas: engine/replica), after its replies are released; the writer itself only executes
// and encodes — it projects nothing and answers no query for the server. (submit_read remains
// for tests and tools: such a read runs on the writer in order with commands and is released
// with its batch, so nothing not yet durable is ever visible.) Time is journaled (a Tick) only
// in a batch that holds a command or when a deadline is due: reads alone never write.
// Snapshots are written every N events and at a clean stop. A periodic one costs the writer
// only its state digest at that point: the snapshot thread rebuilds that state from the journal
// (snapshot_replica.h), checks it reaches the same digest, and writes it.
//
// Thread-safety: submit*, durable_seq and stats may be called from any thread; completions and
// the listener run on the sequencer thread and must not block.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <variant>
#include <vector>

#include "engine/market/market.h"
#include "engine/replica/durable_batch.h"
#include "engine/sequencer/clock.h"
#include "engine/sequencer/recovery.h"
#include "engine/store/journal.h"

namespace carebroker::sequencer {

struct SequencerOptions {
  std::size_t max_batch_commands = 1024;
  std::size_t queue_capacity = 100'000;        ///< submissions beyond this are refused
  std::uint64_t snapshot_every_events = 500'000;  ///< 0 = only at a clean stop
  engine::UtcMillis idle_tick_ms = 50;         ///< how often an idle sequencer looks at deadlines
  /// Compute the writer's state digest after every batch and pass it with the batch, so each
  /// replica checks it reaches the same state (tests: a live determinism check; costly).
  bool digest_every_batch = false;
};

struct CommandResult {
  engine::Reply reply;
  std::uint64_t first_seq = 0;  ///< the command's events, when it caused any
  std::uint64_t last_seq = 0;
  bool durable = true;          ///< false: the batch failed to persist; the command did not happen
  std::string failure;
};

using Completion = std::function<void(CommandResult&&)>;
using Read = std::function<void(const engine::Market&)>;
/// Given each batch once it is durable — never before, never if it fails — on the sequencer
/// thread, after the batch's replies: the replicas' feed. Must not block.
using BatchListener = std::function<void(const replica::DurableBatch&)>;
/// Called once on start(), after recovery and before any command runs, with the recovered market
/// and its last sequence number: replicas start from it.
using RecoveredHook = std::function<void(const engine::Market&, std::uint64_t last_seq)>;

struct SequencerStats {
  std::uint64_t batches = 0, commands = 0, events = 0, failed_batches = 0, rebuilds = 0, snapshots = 0;
  /// Periodic snapshots not written: the journal could not be replayed to their point, or the
  /// state rebuilt from it did not reach the writer's digest (snapshot_divergences, also counted here).
  std::uint64_t snapshot_failures = 0, snapshot_divergences = 0;
  std::uint64_t durable_seq = 0;
  std::size_t queue_depth = 0;
};

class Sequencer {
 public:
  Sequencer(store::Journal& journal, Clock& clock, SequencerOptions options = {});
  ~Sequencer();
  Sequencer(const Sequencer&) = delete;
  Sequencer& operator=(const Sequencer&) = delete;

  /// Must be called before start().
  void set_listener(BatchListener listener) { listener_ = std::move(listener); }
  void set_recovered_hook(RecoveredHook hook) { recovered_hook_ = std::move(hook); }
  /// Called after each group of completions the sequencer runs (a durable batch's, a failed
  /// batch's, or commands refused while the store is down), on the thread that ran them: a
  /// batch's replies can be delivered together (gateway/protocol/reply_batcher.h).
  void set_release_hook(std::function<void()> hook) { release_hook_ = std::move(hook); }
  /// Told the duration of every successful journal append (microseconds) and its event count.
  void set_commit_observer(std::function<void(std::uint64_t micros, std::size_t events)> observer) {
    commit_observer_ = std::move(observer);
  }
  /// Recovers the market from the journal, then starts the two threads.
  store::StoreStatus start();
  /// How start() recovered.
  const Recovered& recovered() const { return recovered_; }
  /// Queues a command. false = the queue is full or the sequencer stopped (refuse; never buffer).
  /// `key`: the caller and its idempotency key, for a keyed command (Market::execute).
  bool submit(engine::Command command, Completion done, engine::CommandKey key = {});
  /// Queues a read of the market; `done(true)` runs once everything the read saw is durable, or
  /// `done(false)` when a batch it saw failed to persist (discard what the read produced).
  bool submit_read(Read read, std::function<void(bool durable)> done);
  /// Processes what is queued, persists it, writes a snapshot and stops the threads.
  void stop();

  std::uint64_t durable_seq() const { return durable_seq_.load(); }
  /// False from a failed append until the store is back and the market rebuilt (e.g. a full disk).
  bool store_writable() const { return store_writable_.load(); }
  SequencerStats stats() const;

 private:
  struct Item {
    std::variant<engine::Command, Read> work;
    Completion on_command;
    std::function<void(bool)> on_read;
    engine::CommandKey key;
  };
  struct Prepared {
    store::BatchToAppend batch;  // last_seq < first_seq when it holds no events
    std::vector<engine::Event> events;
    /// What to release, in submission order: a command's completion with its result, or a read's.
    struct Release {
      Completion on_command;
      CommandResult result;
      std::function<void(bool)> on_read;
    };
    std::vector<Release> releases;
    std::optional<store::Snapshot> snapshot;  ///< written inline: the clean stop's
    bool snapshot_due = false;                ///< a periodic snapshot after this batch (the snapshot thread's)
    engine::MarketDigests digests;  ///< the writer's after the batch (digest_every_batch, and at snapshots)
  };
  struct SnapshotJob {
    std::uint64_t seq = 0;
    engine::MarketDigests digests;  ///< the writer's at seq
  };

  void run_sequencer();
  void execute_batch(std::deque<Item>& items);
  /// Appends the batch (one synced write), then releases it — or fails it.
  void persist(Prepared p);
  /// After a failed append: waits until the store takes writes again, then rebuilds the market
  /// from the journal. While it waits, every command that arrives — and those of `held`, taken
  /// for the next batch before the failure was seen — is failed, never kept waiting.
  void rebuild_after_failure(std::deque<Item>* held = nullptr);
  /// The snapshot thread: takes the newest snapshot job, rebuilds that state from the journal,
  /// and writes it when it matches the writer's digests.
  void run_snapshot_writer();
  /// REQUIRES: journal_mutex_ held.
  void write_snapshot(const store::Snapshot& snapshot);
  void fail(Prepared& prepared, const std::string& why);

  store::Journal& journal_;
  Clock& clock_;
  SequencerOptions options_;
  BatchListener listener_;
  RecoveredHook recovered_hook_;
  std::function<void()> release_hook_;
  std::function<void(std::uint64_t, std::size_t)> commit_observer_;
  Recovered recovered_;

  // Owned by the sequencer thread.
  engine::Market market_;
  std::uint64_t next_seq_ = 1;
  std::uint64_t events_since_snapshot_ = 0;

  std::mutex in_mutex_;
  std::condition_variable in_cv_;
  std::deque<Item> incoming_;  // guarded by in_mutex_
  bool stopping_ = false;      // guarded by in_mutex_

  bool persist_failed_ = false;  // owned by the sequencer thread: rebuild before the next batch

  std::atomic<std::uint64_t> durable_seq_{0};
  std::atomic<bool> store_writable_{true};
  mutable std::mutex stats_mutex_;
  SequencerStats stats_;  // guarded by stats_mutex_

  std::mutex snapshot_mutex_;
  std::condition_variable snapshot_cv_;
  std::optional<SnapshotJob> snapshot_job_;  // guarded by snapshot_mutex_; a newer job replaces a waiting one
  bool snapshot_writer_stop_ = false;        // guarded by snapshot_mutex_
  std::mutex journal_mutex_;  // held to write a snapshot, and to resume/rebuild the journal

  std::thread sequencer_thread_;
  std::thread snapshot_thread_;
  bool started_ = false;
};

}  // namespace carebroker::sequencer
