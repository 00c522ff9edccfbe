// The replica's thread: batches first, then the reads they made possible (replica_thread.h).
#include "engine/replica/replica_thread.h"

#include <cstdio>

#include "engine/sequencer/thread_setup.h"

namespace carebroker::replica {

ReplicaThread::ReplicaThread(std::string name, ReplicaObserver* observer, std::size_t max_reads)
    : name_(std::move(name)), observer_(observer), max_reads_(max_reads) {}

ReplicaThread::~ReplicaThread() { stop(); }

std::string ReplicaThread::start(std::string_view snapshot, std::uint64_t seq) {
  if (std::string error = replica_.start(snapshot, seq); !error.empty()) return error;
  applied_seq_ = seq;
  thread_ = std::thread([this] {
    sequencer::name_this_thread("cb-" + name_);
    if (background_) sequencer::make_this_thread_background();
    run();
  });
  return {};
}

void ReplicaThread::push(DurableBatch batch) {
  bool wake = false;
  {
    std::lock_guard lock(mutex_);
    batches_.push_back(std::move(batch));
    // Under load the thread naps between rounds and takes whatever arrived meanwhile: waking it
    // for every batch would cost a cross-core wake-up per batch (the dearest thing on this machine).
    wake = idle_;
  }
  if (wake) cv_.notify_one();
}

bool ReplicaThread::submit_read(std::uint64_t min_seq, Read read) {
  {
    std::lock_guard lock(mutex_);
    if (stopping_ || !thread_.joinable() || reads_.size() >= max_reads_) return false;
    reads_.push_back({min_seq, std::move(read)});
  }
  cv_.notify_one();
  return true;
}

void ReplicaThread::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void ReplicaThread::run() {
  for (;;) {
    std::deque<DurableBatch> batches;
    std::deque<PendingRead> ready;
    bool stopping = false;
    {
      std::unique_lock lock(mutex_);
      const auto read_ready = [&] { return !reads_.empty() && reads_.front().min_seq <= replica_.applied_seq(); };
      const auto work = [&] { return stopping_ || !batches_.empty() || read_ready(); };
      // A short nap first (batches pushed meanwhile do not wake it), then sleep until woken.
      if (!work()) cv_.wait_for(lock, kNap, work);
      if (!work()) {
        idle_ = true;
        cv_.wait(lock, work);
      }
      idle_ = false;
      stopping = stopping_;
      batches.swap(batches_);
      // Reads queue in the order their sequence numbers were taken, so the front waits first.
      if (batches.empty())
        while (read_ready()) {
          ready.push_back(std::move(reads_.front()));
          reads_.pop_front();
        }
      if (stopping && batches.empty() && ready.empty()) {
        // Stopping: reads still waiting for a sequence number that will not come run on the
        // state as it is, so that every read is answered exactly once.
        ready.swap(reads_);
        lock.unlock();
        for (auto& r : ready) r.read(replica_.market(), replica_.applied_seq());
        return;
      }
    }
    for (const DurableBatch& batch : batches) {
      if (std::string error = replica_.apply(batch, observer_); !error.empty()) {
        ++divergences_;
        std::fprintf(stderr, "carebroker: replica %s: %s\n", name_.c_str(), error.c_str());
      }
      applied_seq_ = replica_.applied_seq();
      if (downstream_) downstream_(batch);
    }
    for (auto& r : ready) r.read(replica_.market(), replica_.applied_seq());
  }
}

}  // namespace carebroker::replica
