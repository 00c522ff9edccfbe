// Notifications reach the I/O threads in turns, so that an acknowledgement never waits behind a
// whole broadcast.
//
// A package posted to 300 locations is 300 deliveries (each a write on a provider's connection),
// all published at once by the publisher replica. Posted to the I/O context one by one, they sit
// ahead of any acknowledgement posted after them: a provider's Ack waited for the whole burst
// (~1.5–3 ms of writes a post at 100 posts/s). Here the deliveries queue in one FIFO and run in
// turns of at most `turn` per handler: each turn, when more are waiting, posts the next turn
// behind whatever was posted meanwhile (a durable batch's acknowledgements, reply_batcher.h), so
// an acknowledgement waits for at most one turn.
//
// Order: one queue and one turn at a time, so deliveries run in the order they were added —
// each provider's stream stays in order. A delivery must only hand its message to its session
// (dispatch to the session's strand).
//
// Thread-safety: add and flush from any thread (the publisher's); turns run through the carrier
// (the server's I/O context). One mutex. Without a carrier (tests), flush runs every waiting
// delivery at once, on the flushing thread.
#pragma once

#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>

namespace carebroker::gateway::protocol {

class FanOut {
 public:
  using Delivery = std::function<void()>;
  /// How a turn reaches the I/O threads (e.g. post to the io_context).
  using Carrier = std::function<void(std::function<void()>)>;
  static constexpr std::size_t kDefaultTurn = 32;

  explicit FanOut(std::size_t turn = kDefaultTurn) : turn_(turn == 0 ? 1 : turn) {}
  FanOut(const FanOut&) = delete;
  FanOut& operator=(const FanOut&) = delete;

  /// REQUIRES: before the first flush; the carrier outlives every turn it is given.
  void set_carrier(Carrier carrier) { carrier_ = std::move(carrier); }
  /// Queues a delivery; it runs after every delivery queued before it, once flushed.
  void add(Delivery delivery);
  /// Starts the turns for what is queued (after a batch's notifications are all added).
  void flush();

 private:
  void run_turn();

  const std::size_t turn_;
  Carrier carrier_;
  std::mutex mutex_;
  std::deque<Delivery> queue_;  // guarded by mutex_
  bool running_ = false;        // a turn is posted or running; guarded by mutex_
};

}  // namespace carebroker::gateway::protocol
