// Prometheus text exposition.
#include "gateway/metrics.h"

#include <bit>
#include <cstdio>

namespace carebroker::gateway {

void LatencyHistogram::record_us(std::uint64_t micros) {
  const int bucket = micros == 0 ? 0 : std::min(kBuckets, static_cast<int>(std::bit_width(micros)));
  buckets_[bucket].fetch_add(1, std::memory_order_relaxed);
  count_.fetch_add(1, std::memory_order_relaxed);
  sum_us_.fetch_add(micros, std::memory_order_relaxed);
}

std::string LatencyHistogram::prometheus(const std::string& name, const std::string& help) const {
  std::string out = "# HELP " + name + " " + help + "\n# TYPE " + name + " histogram\n";
  std::uint64_t cumulative = 0;
  char line[160];
  for (int b = 0; b < kBuckets; ++b) {
    cumulative += buckets_[b].load(std::memory_order_relaxed);
    const double le = static_cast<double>(std::uint64_t{1} << b) / 1e6;  // bucket b holds < 2^b µs
    std::snprintf(line, sizeof line, "%s_bucket{le=\"%.6f\"} %llu\n", name.c_str(), le,
                  static_cast<unsigned long long>(cumulative));
    out += line;
  }
  std::snprintf(line, sizeof line, "%s_bucket{le=\"+Inf\"} %llu\n%s_sum %.6f\n%s_count %llu\n", name.c_str(),
                static_cast<unsigned long long>(count_.load()), name.c_str(), static_cast<double>(sum_us_.load()) / 1e6,
                name.c_str(), static_cast<unsigned long long>(count_.load()));
  out += line;
  return out;
}

void Metrics::count_command(std::string_view type, std::string_view result) {
  std::lock_guard lock(mutex_);
  ++commands_[{std::string(type), std::string(result)}];
}

void Metrics::count_http(std::string_view method, int status) {
  std::lock_guard lock(mutex_);
  ++http_[{std::string(method), status}];
}

std::string Metrics::prometheus(const std::string& extra) const {
  std::string out;
  auto gauge = [&](const char* name, const char* help, long long v, const char* type = "gauge") {
    out += std::string("# HELP ") + name + " " + help + "\n# TYPE " + name + " " + type + "\n" + name + " " +
           std::to_string(v) + "\n";
  };
  gauge("carebroker_http_connections", "Open HTTP connections.", http_connections.load());
  gauge("carebroker_ws_connections", "Open provider WebSocket connections.", ws_connections.load());
  gauge("carebroker_ws_messages_in_total", "WebSocket frames received.", static_cast<long long>(ws_messages_in.load()), "counter");
  gauge("carebroker_ws_frames_out_total", "WebSocket frames sent.", static_cast<long long>(ws_frames_out.load()), "counter");
  gauge("carebroker_ws_reply_batches_joined_total",
        "Batches of replies that joined replies already waiting for a connection's write (sent in one frame).",
        static_cast<long long>(ws_reply_batches_joined.load()), "counter");
  gauge("carebroker_broadcasts_total", "Notifications published to provider streams.", static_cast<long long>(broadcasts.load()), "counter");
  gauge("carebroker_slow_consumers_closed_total", "Connections closed because their outbound queue was full.",
        static_cast<long long>(slow_consumers_closed.load()), "counter");
  gauge("carebroker_stalled_senders_closed_total",
        "WebSockets dropped because no whole frame came from them within the idle timeout (a frame a byte at a time).",
        static_cast<long long>(stalled_senders_closed.load()), "counter");
  gauge("carebroker_protocol_errors_total", "Frames refused as malformed, oversized or unauthorised.",
        static_cast<long long>(protocol_errors.load()), "counter");
  gauge("carebroker_rate_limited_total", "Frames refused by the per-connection rate limit.",
        static_cast<long long>(rate_limited.load()), "counter");
  gauge("carebroker_connections_refused_total", "Connections refused over the total or per-address limit.",
        static_cast<long long>(connections_refused.load()), "counter");
  {
    std::lock_guard lock(mutex_);
    out += "# HELP carebroker_commands_total Market commands by type and result.\n# TYPE carebroker_commands_total counter\n";
    for (const auto& [key, n] : commands_)
      out += "carebroker_commands_total{type=\"" + key.first + "\",result=\"" + key.second + "\"} " + std::to_string(n) + "\n";
    out += "# HELP carebroker_http_requests_total HTTP requests by method and status.\n# TYPE carebroker_http_requests_total counter\n";
    for (const auto& [key, n] : http_)
      out += "carebroker_http_requests_total{method=\"" + key.first + "\",status=\"" + std::to_string(key.second) +
             "\"} " + std::to_string(n) + "\n";
  }
  out += command_latency.prometheus("carebroker_command_seconds", "Command submitted to durable reply.");
  out += journal_commit.prometheus("carebroker_journal_commit_seconds", "One synced journal append (group commit).");
  out += extra;
  return out;
}

}  // namespace carebroker::gateway
