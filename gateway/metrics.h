// Operational metrics in Prometheus text format: connections, commands by type and result,
// WebSocket messages, broadcasts, slow consumers cut off, queue depths and the journal's
// commit latency. Counters are cheap to bump from any thread. Thread-safe.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>

namespace carebroker::gateway {

/// A log2-bucketed latency histogram in microseconds (1 µs … ~1 s).
class LatencyHistogram {
 public:
  static constexpr int kBuckets = 21;
  void record_us(std::uint64_t micros);
  /// Prometheus histogram lines for `name` (seconds).
  std::string prometheus(const std::string& name, const std::string& help) const;

 private:
  std::array<std::atomic<std::uint64_t>, kBuckets + 1> buckets_{};
  std::atomic<std::uint64_t> count_{0};
  std::atomic<std::uint64_t> sum_us_{0};
};

class Metrics {
 public:
  std::atomic<std::int64_t> http_connections{0};
  std::atomic<std::int64_t> ws_connections{0};
  std::atomic<std::uint64_t> ws_messages_in{0};
  std::atomic<std::uint64_t> ws_frames_out{0};
  /// A batch's replies that joined replies already waiting for the connection's write (one frame
  /// for several batches: websocket_session.cpp).
  std::atomic<std::uint64_t> ws_reply_batches_joined{0};
  std::atomic<std::uint64_t> broadcasts{0};
  std::atomic<std::uint64_t> slow_consumers_closed{0};
  /// WebSockets dropped because no whole frame came from them within the idle timeout (e.g. a
  /// frame sent a byte at a time).
  std::atomic<std::uint64_t> stalled_senders_closed{0};
  std::atomic<std::uint64_t> protocol_errors{0};
  std::atomic<std::uint64_t> rate_limited{0};
  std::atomic<std::uint64_t> connections_refused{0};  ///< over the total or per-address limit
  LatencyHistogram command_latency;  ///< submit → durable reply
  LatencyHistogram journal_commit;   ///< one synced journal append

  /// commands_total{type, result}.
  void count_command(std::string_view type, std::string_view result);
  void count_http(std::string_view method, int status);
  /// The whole text exposition; `extra` is appended (e.g. sequencer gauges).
  std::string prometheus(const std::string& extra) const;

 private:
  mutable std::mutex mutex_;
  std::map<std::pair<std::string, std::string>, std::uint64_t> commands_;  // guarded by mutex_
  std::map<std::pair<std::string, int>, std::uint64_t> http_;              // guarded by mutex_
};

}  // namespace carebroker::gateway
