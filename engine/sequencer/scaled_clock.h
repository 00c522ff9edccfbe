// A simulated market clock (carebroker --sim-clock-speed, carebroker-sim): market time starts at
// a given reading and runs `speed` times as fast as real time, so a simulated week passes in
// minutes. Real time comes from a monotonic source (steady_clock; tests pass their own), so the
// reading never goes back. A simulation resumed on its own store carries on from the market's
// last time (carry_on_from). Only the server's composition (gateway/app.cpp) and the tests make
// one; the market never reads it (the sequencer turns readings into Tick commands).
// Its state is lock-free atomics, so it may also live in memory shared with a forked server
// (carebroker-sim freezes the server's clock so). Thread-safe.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>

#include "engine/sequencer/clock.h"

namespace carebroker::sequencer {

class ScaledClock final : public Clock {
 public:
  /// Monotonic real time in nanoseconds.
  using RealTime = std::function<std::int64_t()>;
  static std::int64_t steady_ns() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
  }

  /// REQUIRES: speed > 0.
  ScaledClock(engine::UtcMillis start, double speed, RealTime real = steady_ns)
      : real_(std::move(real)), speed_(speed), origin_ns_(real_()), start_(start) {}

  engine::UtcMillis now() override {
    if (const engine::UtcMillis f = frozen_.load(); f >= 0) return f;
    const double elapsed_ms = static_cast<double>(real_() - origin_ns_) / 1e6;
    return start_.load() + static_cast<engine::UtcMillis>(elapsed_ms * speed_);
  }
  /// If the clock reads less than `t`, moves it on so it reads `t` now and runs on from there.
  void carry_on_from(engine::UtcMillis t) {
    const engine::UtcMillis behind = t - now();
    if (behind > 0) start_.fetch_add(behind);
  }
  double speed() const { return speed_; }
  /// Stops the clock at its reading now, for good: a simulation's end, so that what it audits
  /// holds still (no window closes, no award expires).
  void freeze() { frozen_.store(now()); }
  bool frozen() const { return frozen_.load() >= 0; }
  /// The real time (as RealTime reads it) at which the clock reads `t`: for a simulation's
  /// client that must know when a simulated deadline falls.
  std::int64_t real_ns_at(engine::UtcMillis t) const {
    return origin_ns_ + static_cast<std::int64_t>(static_cast<double>(t - start_.load()) * 1e6 / speed_);
  }

 private:
  RealTime real_;
  double speed_;
  std::int64_t origin_ns_;
  std::atomic<engine::UtcMillis> start_;
  std::atomic<engine::UtcMillis> frozen_{-1};
};

}  // namespace carebroker::sequencer
