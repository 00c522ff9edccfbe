#include "sim/load_report.h"

#include <cstdio>
#include <string>

namespace carebroker::sim {

namespace {

double us(const LatencyHistogram& h, double p) { return static_cast<double>(h.percentile(p)) / 1000.0; }
double max_us(const LatencyHistogram& h) { return static_cast<double>(h.max()) / 1000.0; }
unsigned long long ull(std::uint64_t v) { return static_cast<unsigned long long>(v); }

void print_rest_text(const char* what, const RestFigures& f, double seconds) {
  std::printf("  %s: %llu answered = %.0f/s (offered %.0f/s); errors %llu, unanswered %llu%s%s\n", what, ull(f.ok),
              static_cast<double>(f.ok) / seconds, static_cast<double>(f.offered) / seconds, ull(f.errors),
              ull(f.unanswered), f.first_error.empty() ? "" : " — first: ", f.first_error.c_str());
  std::printf("    latency from intended send: p50 %.0f µs  p90 %.0f µs  p99 %.0f µs  p99.9 %.0f µs  max %.0f µs\n",
              us(f.histogram, 50), us(f.histogram, 90), us(f.histogram, 99), us(f.histogram, 99.9), max_us(f.histogram));
}

std::string latency_json(const LatencyHistogram& h) {
  char text[256];
  std::snprintf(text, sizeof text, R"("p50_us":%.1f,"p90_us":%.1f,"p99_us":%.1f,"p999_us":%.1f,"max_us":%.1f)",
                us(h, 50), us(h, 90), us(h, 99), us(h, 99.9), max_us(h));
  return text;
}

std::string quoted(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    if (static_cast<unsigned char>(c) < 0x20) c = ' ';
    out += c;
  }
  return out + "\"";
}

std::string rest_json(const RestFigures& f, double seconds) {
  char text[256];
  std::snprintf(text, sizeof text, R"({"offered_rps":%.1f,"ok_rps":%.1f,"ok":%llu,"errors":%llu,"unanswered":%llu,)",
                static_cast<double>(f.offered) / seconds, static_cast<double>(f.ok) / seconds, ull(f.ok), ull(f.errors),
                ull(f.unanswered));
  return text + latency_json(f.histogram) + R"(,"first_error":)" + quoted(f.first_error) + "}";
}

}  // namespace

std::uint64_t LoadFigures::side_errors() const {
  std::uint64_t n = 0;
  for (const auto* f : {views ? &*views : nullptr, list_polls ? &*list_polls : nullptr, reports ? &*reports : nullptr,
                        posts ? &*posts : nullptr})
    if (f) n += f->errors + f->unanswered;
  if (fan_out) n += fan_out->incomplete;
  return n;
}

void print_text_report(const LoadOptions& o, const LoadFigures& f) {
  const auto& h = f.offers.histogram;
  std::printf("carebroker-load: %d connections, %d packages, journal sync %s, %s\n", o.connections, o.packages,
              o.sync ? "ON" : "off",
              o.rate > 0 ? ("open loop at " + std::to_string(static_cast<long>(o.rate)) + " offers/s").c_str()
                         : ("closed loop, " + std::to_string(o.inflight) + " in flight per connection").c_str());
  std::printf("  measured %.1f s after %.1f s warm-up: %llu acknowledged (durable) = %.0f offers/s; errors %llu%s%s\n",
              o.duration_s, o.warmup_s, ull(f.offers.acked), static_cast<double>(f.offers.acked) / o.duration_s,
              ull(f.offers.errors), f.offers.first_error.empty() ? "" : " — first: ", f.offers.first_error.c_str());
  std::printf("  ack latency from intended send: p50 %.0f µs  p90 %.0f µs  p99 %.0f µs  p99.9 %.0f µs  max %.0f µs\n",
              us(h, 50), us(h, 90), us(h, 99), us(h, 99.9), max_us(h));
  std::printf("  CPU over the run (%.1f s, 2 cores = 200%%): server %.0f%%, load client %.0f%%\n", f.run.wall_s,
              f.run.server_pct(), f.run.client_pct());
  if (f.views) print_rest_text(("REST package views (" + std::to_string(static_cast<long>(o.rest_views)) + "/s)").c_str(), *f.views, o.duration_s);
  if (f.list_polls)
    print_rest_text(("package-list polls (every " + std::to_string(static_cast<long>(o.list_poll_ms)) + " ms)").c_str(),
                    *f.list_polls, o.duration_s);
  if (f.reports)
    print_rest_text(("market reports (every " + std::to_string(static_cast<long>(o.report_poll_ms)) + " ms)").c_str(),
                    *f.reports, o.duration_s);
  if (f.posts)
    print_rest_text(("package posts (" + std::to_string(static_cast<long>(o.post_rate)) + "/s, to " +
                     std::to_string(o.post_locations) + " locations: " + std::to_string(o.post_locations - f.post_listeners) +
                     " offer connections + " + std::to_string(f.post_listeners) + " listening)").c_str(),
                    *f.posts, o.duration_s);
  if (f.fan_out) {
    const auto& b = f.fan_out->histogram;
    std::printf("  broadcast fan-out, acknowledged post → last of %d recipients: %llu complete, %llu incomplete"
                " (%llu arrived before the post's ack)\n",
                f.fan_out->recipients, ull(f.fan_out->complete), ull(f.fan_out->incomplete), ull(f.fan_out->before_ack));
    std::printf("    p50 %.0f µs  p90 %.0f µs  p99 %.0f µs  p99.9 %.0f µs  max %.0f µs\n", us(b, 50), us(b, 90),
                us(b, 99), us(b, 99.9), max_us(b));
  }
  if (f.views || f.list_polls || f.reports || f.posts)
    std::printf("  CPU over the window (%.1f s): server %.0f%%, load client (every thread) %.0f%%\n", f.window.wall_s,
                f.window.server_pct(), f.window.client_pct());
}

void print_json_report(const LoadOptions& o, const LoadFigures& f) {
  const double d = o.duration_s;
  std::printf(R"({"mode":"%s","connections":%d,"in_flight":%d,"rate":%.1f,"packages":%d,"sync":%s,"duration_s":%.1f,)"
              R"("offered_rps":%.1f,"achieved_rps":%.1f,"acked":%llu,"errors":%llu,"first_error":%s,%s,)"
              R"("server_cpu_pct":%.1f,"client_cpu_pct":%.1f,"window_server_cpu_pct":%.1f,"window_client_cpu_pct":%.1f)",
              o.rate > 0 ? "open" : "closed", o.connections, o.rate > 0 ? 0 : o.inflight, o.rate, o.packages,
              o.sync ? "true" : "false", d, static_cast<double>(f.offers.offered) / d,
              static_cast<double>(f.offers.acked) / d, ull(f.offers.acked), ull(f.offers.errors),
              quoted(f.offers.first_error).c_str(), latency_json(f.offers.histogram).c_str(), f.run.server_pct(),
              f.run.client_pct(), f.window.server_pct(), f.window.client_pct());
  if (f.views) std::printf(R"(,"rest_views":%s)", rest_json(*f.views, d).c_str());
  if (f.list_polls) std::printf(R"(,"list_polls":%s)", rest_json(*f.list_polls, d).c_str());
  if (f.reports) std::printf(R"(,"reports":%s)", rest_json(*f.reports, d).c_str());
  if (f.posts) std::printf(R"(,"posts":%s)", rest_json(*f.posts, d).c_str());
  if (f.fan_out)
    std::printf(R"(,"fan_out":{"recipients":%d,"complete":%llu,"incomplete":%llu,"before_ack":%llu,%s})",
                f.fan_out->recipients, ull(f.fan_out->complete), ull(f.fan_out->incomplete),
                ull(f.fan_out->before_ack), latency_json(f.fan_out->histogram).c_str());
  std::printf("}\n");
}

}  // namespace carebroker::sim
