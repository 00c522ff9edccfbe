// carebroker-sim's officers: they post the planned demand over REST (POST /api/v1/packages,
// each with an Idempotency-Key so a retried post never opens a second competition) and, when
// the scenario says, a compliance officer puts a provider into administration (PUT
// /api/v1/providers/{id}/status) and terminates its contract under the DPS (POST …/contract-actions),
// which re-procures its live placements.
// Open loop: each post waits for its intended time (the run's start + its simulated time ÷ the
// speed), and its latency counts from then (no coordinated omission); closed loop: the next post
// goes as soon as an officer is free. Results reach the record through MarketPlayers::post.
// Threading: its own threads, one RestClient each; start() and join() from the main thread.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <thread>
#include <vector>

#include "sim/demand.h"
#include "sim/market_players.h"

namespace carebroker::sim {

struct DeskSetup {
  std::string host;
  unsigned short port = 0;
  std::string officer_token, compliance_token;
  std::string dps, lot;
  std::string administration_provider;  ///< "" = none
  double administration_at_s = -1;      ///< simulated seconds from the run's start
  int officers = 4;                     ///< concurrent officers (threads)
  bool closed_loop = false;
  double speed = 1;
};

class OfficerDesk {
 public:
  OfficerDesk(DeskSetup setup, const std::vector<Arrival>& arrivals, MarketPlayers& players);
  ~OfficerDesk() { join(); }
  /// Starts the officers at the run's start (MarketPlay::start_run has been called).
  void start();
  void join();
  bool finished() const { return finished_.load() == threads_.size(); }
  std::size_t posted() const { return next_.load(); }

 private:
  void work();
  void administration();

  DeskSetup setup_;
  const std::vector<Arrival>& arrivals_;
  MarketPlayers& players_;
  std::int64_t start_ns_ = 0;
  engine::UtcMillis start_sim_ = 0;
  std::atomic<std::size_t> next_{0};
  std::atomic<std::size_t> finished_{0};
  std::vector<std::thread> threads_;
};

}  // namespace carebroker::sim
