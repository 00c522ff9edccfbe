// An officer under chaos: one thread posts packages over REST (POST /api/v1/packages), each with
// its own Idempotency-Key and retried with that key — through kills and restarts — until the
// server answers it, so a post whose answer was lost never opens a second competition; a second
// thread reads (the package list and the latest package) all the while. Records every package
// the server acknowledged (201) and every read served.
// Threading: start() and stop() from one thread; tallies() after stop().
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "sim/chaos/chaos_market.h"

namespace carebroker::sim::chaos {

struct OfficerTallies {
  std::uint64_t posts_sent = 0, posts_acked = 0, reads_ok = 0, reads_failed = 0;
  std::map<std::string, std::uint64_t> refused_by_code;  ///< posts answered with an error
  std::vector<std::uint64_t> posted;                       ///< acknowledged package ids
};

class ChaosOfficer {
 public:
  /// A post every `period`, each package's window `window_ms` of the market's (simulated) time.
  ChaosOfficer(unsigned short port, const ChaosMarket& market, std::chrono::milliseconds period, std::int64_t window_ms,
               bool reads = true)
      : port_(port), market_(market), period_(period), window_ms_(window_ms), reads_(reads) {}
  ~ChaosOfficer() { stop(); }
  void start();
  void stop();
  const OfficerTallies& tallies() const { return tallies_; }
  std::uint64_t acked() const { return acked_.load(); }

 private:
  void post_loop();
  void read_loop();

  unsigned short port_;
  const ChaosMarket& market_;
  std::chrono::milliseconds period_;
  std::int64_t window_ms_;
  bool reads_;
  std::atomic<bool> stop_{false};
  std::atomic<std::uint64_t> acked_{0}, last_package_{0};
  std::thread poster_, reader_;
  OfficerTallies tallies_;
  std::uint64_t reads_ok_ = 0, reads_failed_ = 0;  // the reader's, joined into tallies_ at stop()
};

/// The stable error code of a REST error body, or "http_<status>" ("no_answer" for none).
std::string rest_error_code(int status, const std::string& body);

}  // namespace carebroker::sim::chaos
