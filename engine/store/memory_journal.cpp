// The in-memory journal.
#include "engine/store/memory_journal.h"

#include "engine/store/batch_frame.h"
#include "engine/store/replay_check.h"

namespace carebroker::store {

StoreStatus MemoryJournal::append(const BatchToAppend& batch) {
  std::lock_guard lock(mutex_);
  if (failures_left_ > 0) {
    --failures_left_;
    return store_error(failure_code_, "injected append failure");
  }
  if (batch.first_seq != last_seq_ + 1 || batch.last_seq < batch.first_seq)
    return store_error(StoreCode::invalid_argument, "batch does not follow the journal");
  if (batch.last_seq > kMaxFrameSeq) return store_error(StoreCode::invalid_argument, "sequence past the frame's limit");
  ChainHash link;
  batches_[batch.first_seq] = frame_chained_batch(batch.first_seq, batch.last_seq, batch.payload, head_.hash, link);
  head_ = ChainHead{batch.last_seq, link};
  for (const auto& [id, record] : batch.archive) archive_[id] = record;
  last_seq_ = batch.last_seq;
  ++appends_;
  return {};
}

StoreStatus MemoryJournal::replay_range(std::uint64_t after, std::uint64_t up_to, const BatchVisitor& visit) {
  std::lock_guard lock(mutex_);
  ChainState anchor;
  if (auto s = anchor_at(after, anchor); !s.ok()) return s;
  ReplayCheck check(after, anchor);
  for (auto it = batches_.upper_bound(after); it != batches_.end() && it->first <= up_to; ++it) {
    UnframedBatch b;
    if (auto s = check.next(it->first, it->second, b); !s.ok()) return s;
    if (auto s = visit(b.first_seq, b.last_seq, b.payload); !s.ok()) return s;
  }
  return {};
}

StoreStatus MemoryJournal::anchor_at(std::uint64_t after, ChainState& out) const {
  out = ChainState{};
  if (after == 0) return {};
  auto it = batches_.upper_bound(after);
  if (it == batches_.begin()) return {};  // none before: the genesis
  --it;
  return chain_anchor(after, it->first, it->second, out);
}

StoreStatus MemoryJournal::chain_head_at(std::uint64_t seq, ChainHead& out) {
  std::lock_guard lock(mutex_);
  ChainState state;
  const StoreStatus s = anchor_at(seq, state);
  if (s.code == StoreCode::sequence_gap || (s.ok() && state.head.seq != seq))
    return store_error(StoreCode::not_found, "no journal batch ends at sequence " + std::to_string(seq));
  if (!s.ok()) return s;
  out = state.head;
  return {};
}

StoreStatus MemoryJournal::put_snapshot(const Snapshot& s) {
  std::lock_guard lock(mutex_);
  snapshots_[s.seq] = s;
  return {};
}

StoreStatus MemoryJournal::latest_snapshot(std::optional<Snapshot>& out) {
  std::lock_guard lock(mutex_);
  out.reset();
  if (!snapshots_.empty()) out = snapshots_.rbegin()->second;
  return {};
}

StoreStatus MemoryJournal::archived_package(std::uint64_t package, std::string& out) {
  std::lock_guard lock(mutex_);
  auto it = archive_.find(package);
  if (it == archive_.end()) return store_error(StoreCode::not_found, "no archived package " + std::to_string(package));
  out = it->second;
  return {};
}

StoreStatus MemoryJournal::resume() {
  std::lock_guard lock(mutex_);
  if (unavailable_) return {StoreCode::io_error, "the store is kept unavailable (test)"};
  return {};
}

void MemoryJournal::corrupt_batch(std::uint64_t first_seq) {
  std::lock_guard lock(mutex_);
  auto it = batches_.find(first_seq);
  if (it != batches_.end() && it->second.size() > 24) it->second[24] = static_cast<char>(it->second[24] ^ 0x5a);
}

}  // namespace carebroker::store
