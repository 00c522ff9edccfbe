// The newest messages of one provider's stream, kept for resume (ProviderStreams): a ring buffer
// of MessageRefs whose numbers are consecutive, so an entry is the message alone (16 bytes) and
// its number is first_seq() + its position. The ring grows with the stream, by half again each
// time, up to its limit, so a quiet provider's history stays small and a full one is exactly
// `limit` entries in one block.
//
// Threading: not thread-safe (ProviderStreams guards each history with its mutex).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>

#include "gateway/protocol/message_ref.h"

namespace carebroker::gateway::protocol {

class StreamHistory {
 public:
  /// `limit`: the most messages kept (at least 1).
  explicit StreamHistory(std::size_t limit);

  /// Appends the message numbered `seq`; when the history is full, drops the oldest and returns
  /// it (an empty MessageRef otherwise). REQUIRES: seq is one more than the newest kept, or the
  /// history is empty.
  MessageRef push(std::uint64_t seq, MessageRef message);

  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  /// The number of the oldest message kept. REQUIRES: !empty().
  std::uint64_t first_seq() const { return first_seq_; }
  /// The i-th oldest message kept (0 = the oldest). REQUIRES: i < size().
  const MessageRef& operator[](std::size_t i) const { return ring_[(head_ + i) % capacity_]; }

 private:
  /// Moves the entries into a ring of `capacity` (> size_), oldest first.
  void regrow(std::size_t capacity);

  const std::size_t limit_;
  std::unique_ptr<MessageRef[]> ring_;
  std::size_t capacity_ = 0;
  std::size_t head_ = 0;  // where the oldest entry is
  std::size_t size_ = 0;
  std::uint64_t first_seq_ = 0;
};

}  // namespace carebroker::gateway::protocol
