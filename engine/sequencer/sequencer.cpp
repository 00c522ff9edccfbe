// The sequencer: execute, append, release.
#include "engine/sequencer/sequencer.h"

#include <malloc.h>

#include <algorithm>
#include <chrono>
#include <cstdio>

#include "engine/codec/event_codec.h"
#include "engine/sequencer/snapshot_replica.h"
#include "engine/sequencer/thread_setup.h"

namespace carebroker::sequencer {

using engine::Command;
using engine::Event;

Sequencer::Sequencer(store::Journal& journal, Clock& clock, SequencerOptions options)
    : journal_(journal), clock_(clock), options_(options) {}

Sequencer::~Sequencer() { stop(); }

store::StoreStatus Sequencer::start() {
  if (auto s = recover_market(journal_, market_, recovered_); !s.ok()) return s;
  next_seq_ = recovered_.last_seq + 1;
  durable_seq_ = recovered_.last_seq;
  events_since_snapshot_ = recovered_.events_replayed;
  if (recovered_hook_) recovered_hook_(market_, recovered_.last_seq);
  started_ = true;
  snapshot_thread_ = std::thread([this] {
    name_this_thread("cb-snapshots");
    make_this_thread_idle_only();  // it rebuilds and serialises a whole market: only on a spare core
    run_snapshot_writer();
  });
  sequencer_thread_ = std::thread([this] {
    name_this_thread("cb-sequencer");
    run_sequencer();
  });
  return {};
}

bool Sequencer::submit(Command command, Completion done, engine::CommandKey key) {
  {
    std::lock_guard lock(in_mutex_);
    if (stopping_ || !started_ || incoming_.size() >= options_.queue_capacity) return false;
    incoming_.push_back(Item{std::move(command), std::move(done), {}, std::move(key)});
  }
  in_cv_.notify_one();
  return true;
}

bool Sequencer::submit_read(Read read, std::function<void(bool)> done) {
  {
    std::lock_guard lock(in_mutex_);
    if (stopping_ || !started_ || incoming_.size() >= options_.queue_capacity) return false;
    incoming_.push_back(Item{std::move(read), {}, std::move(done)});
  }
  in_cv_.notify_one();
  return true;
}

void Sequencer::stop() {
  if (!started_) return;
  {
    std::lock_guard lock(in_mutex_);
    if (stopping_) return;
    stopping_ = true;
  }
  {
    // A periodic snapshot still waiting is dropped: the clean stop writes a newer one.
    std::lock_guard lock(snapshot_mutex_);
    snapshot_writer_stop_ = true;
    snapshot_job_.reset();
  }
  snapshot_cv_.notify_all();
  in_cv_.notify_all();
  sequencer_thread_.join();
  snapshot_thread_.join();
}

SequencerStats Sequencer::stats() const {
  SequencerStats s;
  {
    std::lock_guard lock(stats_mutex_);
    s = stats_;
  }
  s.durable_seq = durable_seq_.load();
  return s;
}

void Sequencer::run_sequencer() {
  for (;;) {
    // Group commit: this thread executes a batch, appends it (one synced write) and releases it;
    // everything that arrived meanwhile is the next batch — so a command waits at most for the
    // sync in progress and its own, as in ../shared/ceiling, with one thread hand-off each way.
    std::deque<Item> items;
    bool stopping = false;
    {
      std::unique_lock lock(in_mutex_);
      in_cv_.wait_for(lock, std::chrono::milliseconds(options_.idle_tick_ms),
                      [&] { return stopping_ || !incoming_.empty(); });
      stopping = stopping_;
      const std::size_t take = std::min(incoming_.size(), options_.max_batch_commands);
      for (std::size_t i = 0; i < take; ++i) {
        items.push_back(std::move(incoming_.front()));
        incoming_.pop_front();
      }
      if (!incoming_.empty()) stopping = false;  // drain everything before stopping
    }
    if (persist_failed_) rebuild_after_failure(&items);
    // Time is journaled only when it matters: with a command (which happens "now") or when a
    // deadline is due. A batch of reads alone writes nothing — a read never costs a synced
    // append; it sees the market as of the last tick, which is the state it is released with.
    const engine::UtcMillis now = std::max(clock_.now(), market_.now());
    const engine::UtcMillis due = market_.next_deadline();
    const bool has_command = std::any_of(items.begin(), items.end(),
                                         [](const Item& i) { return std::holds_alternative<Command>(i.work); });
    const bool tick = now > market_.now() && (has_command || (due != 0 && due <= now));
    if (tick) items.push_front(Item{Command{engine::Tick{now}}, {}, {}});
    if (!items.empty()) execute_batch(items);
    if (stopping) break;
  }
  // A clean stop: a snapshot of the final state — never of a market that holds a batch that
  // failed to persist (the last one may have): rebuild it from the journal first, and if the
  // store will not come back, write no snapshot (the journal alone recovers).
  if (persist_failed_) rebuild_after_failure();
  if (events_since_snapshot_ > 0 && !persist_failed_) {
    Prepared last;
    last.batch.first_seq = next_seq_;
    last.batch.last_seq = next_seq_ - 1;
    last.snapshot = store::Snapshot{next_seq_ - 1, market_.digests().whole, market_.save_snapshot()};
    persist(std::move(last));
  }
}

void Sequencer::execute_batch(std::deque<Item>& items) {
  Prepared p;
  p.batch.first_seq = next_seq_;
  for (auto& item : items) {
    if (auto* read = std::get_if<Read>(&item.work)) {
      (*read)(market_);
      if (item.on_read) p.releases.push_back({{}, {}, std::move(item.on_read)});
      continue;
    }
    const std::size_t before = p.events.size();
    CommandResult result;
    result.reply = market_.execute(std::get<Command>(item.work), p.events, item.key);
    if (p.events.size() > before) {
      result.first_seq = p.batch.first_seq + before;
      result.last_seq = p.batch.first_seq + p.events.size() - 1;
    }
    if (item.on_command) p.releases.push_back({std::move(item.on_command), std::move(result), {}});
  }
  p.batch.last_seq = p.batch.first_seq + p.events.size() - 1;
  if (!p.events.empty()) {
    p.batch.payload = codec::encode_batch(p.batch.first_seq, p.events);
    for (const auto& e : p.events)
      if (const auto* retired = std::get_if<engine::PackageRetired>(&e))
        p.batch.archive.emplace_back(retired->package, retired->archive);
    next_seq_ = p.batch.last_seq + 1;
    events_since_snapshot_ += p.events.size();
    p.snapshot_due = options_.snapshot_every_events > 0 && events_since_snapshot_ >= options_.snapshot_every_events;
    if (p.snapshot_due) events_since_snapshot_ = 0;
    // At a snapshot point the writer's digests go with the batch: the snapshot thread's rebuilt
    // state and every replica must reach them (the live determinism check).
    if (options_.digest_every_batch || p.snapshot_due) p.digests = market_.digests();
  }
  {
    std::lock_guard lock(stats_mutex_);
    stats_.commands += static_cast<std::uint64_t>(
        std::count_if(p.releases.begin(), p.releases.end(), [](const Prepared::Release& r) { return !r.on_read; }));
    std::lock_guard in_lock(in_mutex_);
    stats_.queue_depth = incoming_.size();
  }
  persist(std::move(p));
}

void Sequencer::fail(Prepared& p, const std::string& why) {
  for (auto& r : p.releases) {
    if (r.on_read) {
      r.on_read(false);
      continue;
    }
    r.result.durable = false;
    r.result.failure = why;
    r.result.first_seq = r.result.last_seq = 0;
    r.on_command(std::move(r.result));
  }
  if (release_hook_) release_hook_();
}

void Sequencer::persist(Prepared p) {
  bool failed = false;
  std::string why;
  const bool has_events = p.batch.last_seq >= p.batch.first_seq;
  const std::size_t event_count = p.events.size();  // the events move to the listener
  if (has_events) {
    const auto started = std::chrono::steady_clock::now();
    const store::StoreStatus s = journal_.append(p.batch);
    if (s.ok() && commit_observer_)
      commit_observer_(static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::microseconds>(
                                                      std::chrono::steady_clock::now() - started)
                                                      .count()),
                       p.events.size());
    if (!s.ok()) {
      failed = true;
      why = std::string("the journal could not be written (") + store::to_string(s.code) + "): " + s.message;
      std::fprintf(stderr, "carebroker: batch %llu..%llu failed to persist: %s\n",
                   static_cast<unsigned long long>(p.batch.first_seq),
                   static_cast<unsigned long long>(p.batch.last_seq), s.message.c_str());
      persist_failed_ = true;
      store_writable_ = false;
    }
  }
  if (failed) {
    fail(p, why);
    std::lock_guard lock(stats_mutex_);
    ++stats_.failed_batches;
    return;
  }
  if (has_events) durable_seq_ = p.batch.last_seq;
  // Replies first: nothing stands between a durable batch and its acknowledgements. Then the
  // batch goes to the replicas, which project its notifications and answer reads.
  for (auto& r : p.releases) {
    if (r.on_read)
      r.on_read(true);
    else
      r.on_command(std::move(r.result));
  }
  if (release_hook_) release_hook_();
  if (has_events && listener_)
    listener_(replica::DurableBatch{p.batch.first_seq, p.batch.last_seq,
                                    std::make_shared<const std::vector<Event>>(std::move(p.events)), p.digests});
  if (p.snapshot_due) {  // durable: the snapshot thread may rebuild it from the journal
    {
      std::lock_guard lock(snapshot_mutex_);
      if (!snapshot_writer_stop_) snapshot_job_ = SnapshotJob{p.batch.last_seq, p.digests};
    }
    snapshot_cv_.notify_one();
  }
  // The clean stop's snapshot, after the replies.
  if (p.snapshot) {
    std::lock_guard journal_lock(journal_mutex_);
    write_snapshot(*p.snapshot);
  }

  std::lock_guard lock(stats_mutex_);
  if (has_events) {
    ++stats_.batches;
    stats_.events += event_count;
  }
}

void Sequencer::write_snapshot(const store::Snapshot& snapshot) {
  if (auto s = journal_.put_snapshot(snapshot); !s.ok()) {
    std::fprintf(stderr, "carebroker: snapshot at %llu not written: %s\n",
                 static_cast<unsigned long long>(snapshot.seq), s.message.c_str());
    std::lock_guard lock(stats_mutex_);
    ++stats_.snapshot_failures;
    return;
  }
  std::lock_guard lock(stats_mutex_);
  ++stats_.snapshots;
}

void Sequencer::run_snapshot_writer() {
  for (;;) {
    SnapshotJob job;
    {
      std::unique_lock lock(snapshot_mutex_);
      snapshot_cv_.wait(lock, [&] { return snapshot_writer_stop_ || snapshot_job_; });
      if (snapshot_writer_stop_) return;
      job = *snapshot_job_;
      snapshot_job_.reset();
    }
    // Held while the journal is read back: a rebuild after a failed write waits for it.
    std::lock_guard journal_lock(journal_mutex_);
    PastSnapshot past = snapshot_from_journal(journal_, job.seq, job.digests);
    // The rebuilt market is gone; give its pages back (this thread's malloc arena would keep
    // them, and the process's resident memory would carry a second market between snapshots).
    malloc_trim(0);
    if (!past.snapshot) {
      std::fprintf(stderr, "carebroker: %ssnapshot at %llu not written: %s\n", past.diverged ? "DIVERGENCE: " : "",
                   static_cast<unsigned long long>(job.seq), past.problem.c_str());
      std::lock_guard lock(stats_mutex_);
      ++stats_.snapshot_failures;
      if (past.diverged) ++stats_.snapshot_divergences;
      continue;
    }
    write_snapshot(*past.snapshot);
  }
}

void Sequencer::rebuild_after_failure(std::deque<Item>* held) {
  std::lock_guard journal_lock(journal_mutex_);  // no snapshot is written while the store is rebuilt
  // Until the store is back (e.g. space freed on a full disk), every command is failed — never
  // queued without limit, never acknowledged — and the store is retried twice a second.
  for (;;) {
    const store::StoreStatus s = journal_.resume();
    if (s.ok()) break;
    std::fprintf(stderr, "carebroker: the store is unavailable, retrying: %s\n", s.message.c_str());
    std::deque<Item> refused;
    if (held) refused.swap(*held);  // taken for the next batch: failed now, not after the outage
    {
      std::unique_lock lock(in_mutex_);
      in_cv_.wait_for(lock, std::chrono::milliseconds(500), [&] { return stopping_; });
      for (auto& item : incoming_) refused.push_back(std::move(item));
      incoming_.clear();
      if (stopping_ && refused.empty()) return;
    }
    Prepared failed;
    for (auto& item : refused)
      if (item.on_command || item.on_read)
        failed.releases.push_back({std::move(item.on_command), {}, std::move(item.on_read)});
    fail(failed, "the store is unavailable: " + s.message);
  }
  market_ = engine::Market();
  Recovered info;
  if (auto s = recover_market(journal_, market_, info); !s.ok()) {
    // The journal cannot be read back: nothing can be trusted. Stop taking work.
    std::fprintf(stderr, "carebroker: FATAL: cannot rebuild the market from the journal: %s\n", s.message.c_str());
    std::abort();
  }
  next_seq_ = info.last_seq + 1;
  events_since_snapshot_ = info.events_replayed;
  {
    std::lock_guard lock(stats_mutex_);
    ++stats_.rebuilds;
  }
  persist_failed_ = false;
  store_writable_ = true;
}

}  // namespace carebroker::sequencer
