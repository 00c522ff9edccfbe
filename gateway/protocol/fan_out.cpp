// Deliveries in turns (fan_out.h).
#include "gateway/protocol/fan_out.h"

#include <algorithm>
#include <vector>

namespace carebroker::gateway::protocol {

void FanOut::add(Delivery delivery) {
  std::lock_guard lock(mutex_);
  queue_.push_back(std::move(delivery));
}

void FanOut::flush() {
  if (!carrier_) {
    std::deque<Delivery> now;
    {
      std::lock_guard lock(mutex_);
      now.swap(queue_);
    }
    for (auto& d : now) d();
    return;
  }
  {
    std::lock_guard lock(mutex_);
    if (running_ || queue_.empty()) return;
    running_ = true;
  }
  carrier_([this] { run_turn(); });
}

void FanOut::run_turn() {
  std::vector<Delivery> turn;
  {
    std::lock_guard lock(mutex_);
    const std::size_t n = std::min(turn_, queue_.size());
    turn.reserve(n);
    for (std::size_t i = 0; i < n; ++i) {
      turn.push_back(std::move(queue_.front()));
      queue_.pop_front();
    }
  }
  for (auto& d : turn) d();
  {
    std::lock_guard lock(mutex_);
    if (queue_.empty()) {
      running_ = false;
      return;
    }
  }
  carrier_([this] { run_turn(); });  // behind whatever was posted during this turn
}

}  // namespace carebroker::gateway::protocol
