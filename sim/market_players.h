// The sockets and timers of carebroker-sim's market: one WebSocket per provider (FlatBuffers or
// JSON, as the scenario shares them out) and one staff WebSocket for the officers' live notices,
// all on one thread; frames go to MarketPlay, which decides, and its answers are written back
// here, one write in flight per socket. Every real second it rolls the record's timeline,
// samples the server's RSS and CPU from /proc, and prints a progress line.
// Threading: connect() and run_until() on one thread; post() from any thread.
#pragma once

#include <sys/types.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "sim/market_play.h"

namespace carebroker::sim {

class MarketPlayers {
 public:
  MarketPlayers(std::string host, unsigned short port, const SimMarket& market, sequencer::ScaledClock& clock,
                RunRecord& record, bool closed_loop, std::uint64_t seed);
  ~MarketPlayers();
  MarketPlayers(const MarketPlayers&) = delete;
  MarketPlayers& operator=(const MarketPlayers&) = delete;

  /// Opens every provider's WebSocket (`tokens` parallel to market.providers) and the staff one,
  /// at most `concurrency` handshakes at a time, and waits for each snapshot. false with `error`.
  bool connect(const std::vector<std::string>& tokens, const std::string& staff_token, std::size_t concurrency,
               double timeout_s, std::string& error);
  MarketPlay& play();
  RunRecord& record();
  /// Runs `fn` on the players' thread (officers hand over their results so).
  void post(std::function<void()> fn);
  /// Runs the sockets and timers until `done()` (checked every 10 ms) or the timeout; false on it.
  /// `server_pid` > 0: sample that process's RSS and CPU. `progress`: a line each second.
  bool run_until(const std::function<bool()>& done, double timeout_s, pid_t server_pid, bool progress);
  void close();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace carebroker::sim
