// The simulated market's players and what they do with each frame: providers bid on the
// broadcasts their locations get (when they have the capacity), answer awards, and count their
// placed hours; the officers' staff connection follows every package's status (placed,
// unsourced, cascaded) from PackageChanged notices. Records everything in a RunRecord.
// Sockets and timers are not here: MarketPlayers (market_players.h) reads frames, sends what
// this returns and runs its timers. Threading: the players' thread only.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <unordered_map>
#include <vector>

#include "engine/sequencer/scaled_clock.h"
#include "sim/market_frames.h"
#include "sim/provider_behaviour.h"
#include "sim/run_record.h"
#include "sim/scenario_market.h"

namespace carebroker::sim {

class MarketPlay {
 public:
  struct Io {
    std::function<void(std::size_t provider, std::string frame)> send;
    std::function<void(std::int64_t real_ns, std::function<void()>)> at;  ///< run fn at that steady time
    std::function<std::int64_t()> now_ns;                                  ///< steady nanoseconds
  };
  MarketPlay(const SimMarket& market, sequencer::ScaledClock& clock, RunRecord& record, Io io, bool closed_loop,
             std::uint64_t seed);

  /// The run starts now: its real and simulated zero.
  void start_run();
  std::int64_t run_start_ns() const { return run_start_ns_; }
  engine::UtcMillis run_start_sim() const { return run_start_sim_; }
  double sim_seconds() { return static_cast<double>(clock_.now() - run_start_sim_) / 1000.0; }
  double wall_seconds(std::int64_t ns) const { return static_cast<double>(ns - run_start_ns_) / 1e9; }

  void on_provider_frame(std::size_t provider, const Inbound& in, std::int64_t recv_ns);
  void on_staff_frame(const Inbound& in, std::int64_t recv_ns);
  /// When the last frame arrived on any socket (steady ns): the run's end waits for quiet.
  std::int64_t last_frame_ns() const { return last_frame_ns_; }
  /// An officer's post was acknowledged (201) with the package's id.
  void on_posted(const Arrival& a, std::uint64_t package, std::int64_t intended_ns, std::int64_t acked_ns);
  /// From now on no provider bids or answers an award (requests already sent still count): the
  /// run's end, before its audit.
  void stop_acting() { acting_ = false; }
  /// Requests sent and not yet answered (offers and award answers).
  std::size_t outstanding() const { return pending_.size(); }
  Encoding encoding(std::size_t provider) const {
    return market_.providers[provider].json ? Encoding::json : Encoding::flatbuffers;
  }

 private:
  struct Pending {
    bool offer = true, accept = false;
    std::int64_t intended_ns = 0;
    std::uint64_t package = 0;
    std::size_t location = 0;
  };
  PackageRecord& package(std::uint64_t id);
  void on_broadcast(std::size_t provider, const Inbound& in, std::int64_t recv_ns);
  void on_award(std::size_t provider, const Inbound& in, std::int64_t recv_ns);
  void on_replies(const Inbound& in, std::int64_t recv_ns);
  void send_at(std::int64_t when_ns, std::size_t provider, const std::string& rid, Pending p, std::string frame);

  const SimMarket& market_;
  sequencer::ScaledClock& clock_;
  RunRecord& record_;
  Io io_;
  bool closed_loop_;
  std::vector<ProviderBehaviour> behaviours_;               // per provider
  std::unordered_map<std::string, std::size_t> location_index_;
  std::vector<std::int64_t> placed_minutes_;                // per location
  std::vector<std::int64_t> promised_minutes_;              // per location: awarded, not yet answered
  std::unordered_map<std::string, Pending> pending_;        // request id → what it was
  std::unordered_map<std::string, std::int64_t> offered_;   // "<package>/<location>" → price
  std::unordered_map<std::uint64_t, bool> award_timed_;     // the package's first award, timed
  bool acting_ = true;
  std::int64_t last_frame_ns_ = 0;
  std::int64_t run_start_ns_ = 0;
  engine::UtcMillis run_start_sim_ = 0;
};

}  // namespace carebroker::sim
