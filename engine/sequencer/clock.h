// Where the sequencer's time comes from: the system clock in production, a manual clock in
// tests and simulations. The market itself never reads a clock; the sequencer turns readings
// into Tick commands. Thread-safe.
#pragma once

#include <atomic>
#include <chrono>

#include "engine/market/types.h"

namespace carebroker::sequencer {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual engine::UtcMillis now() = 0;
};

class SystemClock final : public Clock {
 public:
  engine::UtcMillis now() override {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  }
};

class ManualClock final : public Clock {
 public:
  explicit ManualClock(engine::UtcMillis start) : now_(start) {}
  engine::UtcMillis now() override { return now_.load(); }
  void set(engine::UtcMillis t) { now_.store(t); }
  void advance(engine::UtcMillis by) { now_.fetch_add(by); }

 private:
  std::atomic<engine::UtcMillis> now_;
};

}  // namespace carebroker::sequencer
