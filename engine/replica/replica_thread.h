// A Replica on a thread of its own. Durable batches arrive in sequence from upstream (the
// sequencer, or the replica before this one in a chain) and are applied as they
// come; reads wait in a queue and run between batches, each once the replica has reached the
// sequence number it asks for (read-your-writes: ask for the journal's durable sequence when
// the read is issued). After applying a batch the thread hands it downstream, so replicas form a
// chain and each one is never ahead of the one before it.
//
// Nothing upstream ever waits for a replica: push() only queues (the queue grows while the
// replica catches up; replicas apply far faster than batches are synced), and wakes the thread
// only when it sleeps for good — under load it naps between rounds and takes what came. Reads are
// bounded, and a read always wakes it.
//
// Thread-safety: push, submit_read, applied_seq, divergences and stop may be called from any
// thread; the observer, the downstream and every read run on the replica's thread.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include "engine/replica/replica.h"

namespace carebroker::replica {

class ReplicaThread {
 public:
  /// A read of the market as the replica holds it after event `applied_seq`.
  using Read = std::function<void(const engine::Market&, std::uint64_t applied_seq)>;
  using Downstream = std::function<void(const DurableBatch&)>;

  /// `name` for messages; `observer` (optional, not owned) sees every batch and event.
  explicit ReplicaThread(std::string name, ReplicaObserver* observer = nullptr, std::size_t max_reads = 100'000);
  ~ReplicaThread();
  ReplicaThread(const ReplicaThread&) = delete;
  ReplicaThread& operator=(const ReplicaThread&) = delete;

  /// REQUIRES: before start.
  void set_downstream(Downstream downstream) { downstream_ = std::move(downstream); }
  /// REQUIRES: before start. The thread runs at a lower CPU priority (a replica that only serves
  /// reads: on a busy machine, queries give way to the write path and its notifications).
  void set_background() { background_ = true; }
  /// REQUIRES: before start. See Replica::keep_request_ids.
  void keep_request_ids(bool keep) { replica_.keep_request_ids(keep); }

  /// Loads the starting state (see Replica::start) and starts the thread. "" or why not.
  [[nodiscard]] std::string start(std::string_view snapshot, std::uint64_t seq);
  /// Queues the next durable batch (in sequence order). Never blocks.
  void push(DurableBatch batch);
  /// Queues a read to run once the replica has applied every event up to `min_seq`. false when
  /// the read queue is full or the thread has stopped (nothing will run).
  bool submit_read(std::uint64_t min_seq, Read read);
  /// Applies what is queued, runs the reads that can run, and stops the thread.
  void stop();

  std::uint64_t applied_seq() const { return applied_seq_.load(); }
  /// Batches after which this replica's digest differed from the writer's, or that did not
  /// follow in sequence (each also printed to stderr): 0 in a healthy process.
  std::uint64_t divergences() const { return divergences_.load(); }

 private:
  struct PendingRead {
    std::uint64_t min_seq = 0;
    Read read;
  };
  void run();

  const std::string name_;
  ReplicaObserver* observer_;
  const std::size_t max_reads_;
  Downstream downstream_;
  bool background_ = false;
  Replica replica_;  // owned by the thread once started

  std::mutex mutex_;
  std::condition_variable cv_;
  std::deque<DurableBatch> batches_;  // guarded by mutex_
  std::deque<PendingRead> reads_;     // guarded by mutex_
  bool stopping_ = false;             // guarded by mutex_
  bool idle_ = false;                 // guarded by mutex_: asleep until woken (a push must wake it)
  /// After a round of work the thread naps this long, gathering batches, before it sleeps for
  /// good: at most this much is added to a notification or a read, and under load the thread
  /// wakes about once a nap rather than once a batch.
  static constexpr std::chrono::microseconds kNap{500};

  std::atomic<std::uint64_t> applied_seq_{0};
  std::atomic<std::uint64_t> divergences_{0};
  std::thread thread_;
};

}  // namespace carebroker::replica
