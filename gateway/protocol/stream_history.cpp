// The newest messages of one provider's stream, kept for resume (stream_history.h).
#include "gateway/protocol/stream_history.h"

#include <algorithm>
#include <cassert>
#include <utility>

namespace carebroker::gateway::protocol {

namespace {
/// The first ring's entries: a provider's first few messages take one small block.
constexpr std::size_t kFirstCapacity = 16;
}  // namespace

StreamHistory::StreamHistory(std::size_t limit) : limit_(std::max<std::size_t>(limit, 1)) {}

MessageRef StreamHistory::push(std::uint64_t seq, MessageRef message) {
  assert(size_ == 0 || seq == first_seq_ + size_);
  if (size_ == 0) first_seq_ = seq;
  if (size_ == limit_) {
    MessageRef dropped = std::exchange(ring_[head_], std::move(message));
    head_ = (head_ + 1) % capacity_;
    ++first_seq_;
    return dropped;
  }
  if (size_ == capacity_) regrow(std::min(limit_, std::max(kFirstCapacity, capacity_ + capacity_ / 2)));
  ring_[(head_ + size_) % capacity_] = std::move(message);
  ++size_;
  return {};
}

void StreamHistory::regrow(std::size_t capacity) {
  auto ring = std::make_unique<MessageRef[]>(capacity);
  for (std::size_t i = 0; i < size_; ++i) ring[i] = std::move(ring_[(head_ + i) % capacity_]);
  ring_ = std::move(ring);
  capacity_ = capacity;
  head_ = 0;
}

}  // namespace carebroker::gateway::protocol
