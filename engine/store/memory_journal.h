// An in-memory Journal for tests (LevelDB's in-memory Env, for our journal), with fault
// injection: the next N appends can be made to fail with a chosen code, and stored batches can
// be damaged to test corruption handling. Thread-safe (one mutex), like RocksDB.
#pragma once

#include <map>
#include <mutex>

#include "engine/store/journal.h"
#include "engine/store/replay_check.h"

namespace carebroker::store {

class MemoryJournal final : public Journal {
 public:
  StoreStatus append(const BatchToAppend& batch) override;
  std::uint64_t last_seq() const override {
    std::lock_guard lock(mutex_);
    return last_seq_;
  }
  StoreStatus replay_range(std::uint64_t after, std::uint64_t up_to, const BatchVisitor& visit) override;
  ChainHead chain_head() const override {
    std::lock_guard lock(mutex_);
    return head_;
  }
  StoreStatus chain_head_at(std::uint64_t seq, ChainHead& out) override;
  StoreStatus put_snapshot(const Snapshot&) override;
  StoreStatus latest_snapshot(std::optional<Snapshot>& out) override;
  StoreStatus archived_package(std::uint64_t package, std::string& out) override;
  StoreStatus resume() override;

  // ---- fault injection ----
  /// The next `count` appends fail with `code` (and write nothing).
  void fail_appends(int count, StoreCode code) {
    std::lock_guard lock(mutex_);
    failures_left_ = count;
    failure_code_ = code;
  }
  /// While on, resume() fails (io_error): the store stays unavailable after a failed append, as
  /// a full disk does until space is freed.
  void keep_unavailable(bool on) {
    std::lock_guard lock(mutex_);
    unavailable_ = on;
  }
  /// Flips one byte of the framed batch starting at `first_seq` (the CRC then fails).
  void corrupt_batch(std::uint64_t first_seq);
  /// Removes the batch starting at `first_seq`, leaving a gap.
  void drop_batch(std::uint64_t first_seq) {
    std::lock_guard lock(mutex_);
    batches_.erase(first_seq);
  }
  std::size_t batch_count() const {
    std::lock_guard lock(mutex_);
    return batches_.size();
  }
  int appends() const {
    std::lock_guard lock(mutex_);
    return appends_;
  }

 private:
  StoreStatus anchor_at(std::uint64_t after, ChainState& out) const;  // REQUIRES: mutex_ held

  mutable std::mutex mutex_;
  bool unavailable_ = false;
  std::map<std::uint64_t, std::string> batches_;  // first_seq → framed batch
  std::map<std::uint64_t, Snapshot> snapshots_;
  std::map<std::uint64_t, std::string> archive_;
  std::uint64_t last_seq_ = 0;
  ChainHead head_;
  int failures_left_ = 0;
  StoreCode failure_code_ = StoreCode::io_error;
  int appends_ = 0;
};

}  // namespace carebroker::store
