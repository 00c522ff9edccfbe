// The clock and measurement window every driver of a carebroker-load run shares: requests whose
// INTENDED send time is in [from, until) are measured (offered, acknowledged, latency from the
// intended time), whenever their answer comes. Set once before the client threads start, then
// only read. Beside it, BroadcastLog: when a client connection received which package's broadcast.
#pragma once

#include <chrono>
#include <cstdint>
#include <vector>

namespace carebroker::sim {

using Clock = std::chrono::steady_clock;

struct MeasureWindow {
  Clock::time_point from, until;
  bool contains(Clock::time_point t) const { return t >= from && t < until; }
  double seconds() const { return std::chrono::duration<double>(until - from).count(); }
};

inline Clock::duration from_seconds(double s) {
  return std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(s));
}
inline std::uint64_t nanoseconds_between(Clock::time_point from, Clock::time_point to) {
  return to <= from ? 0 : static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(to - from).count());
}

/// Live PackageBroadcast frames one connection received: (package, arrival). Appended by the
/// connection's own thread; read after the run, once every client thread has joined.
struct BroadcastReceipt {
  std::uint64_t package;
  Clock::time_point at;
};
using BroadcastLog = std::vector<BroadcastReceipt>;

}  // namespace carebroker::sim
