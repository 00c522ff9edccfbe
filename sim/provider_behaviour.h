// How one simulated provider decides, from its scenario behaviour and its own seeded generator:
// whether a location bids on a broadcast, when (a share of the time left in the window) and at
// what price (around the fair cost, kept inside the rate band and above the abnormally-low line,
// so no award waits on an officer's judgement the sim does not make); and whether and when it
// accepts an award. Closed loop: every answer at once. Not thread-safe (one per provider).
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <random>

#include "sim/scenario.h"

namespace carebroker::sim {

struct OfferPlan {
  bool bid = false;
  double delay_sim_ms = 0;
  std::int64_t price = 0;
};

struct AwardPlan {
  bool accept = true;
  double delay_sim_ms = 0;
};

class ProviderBehaviour {
 public:
  explicit ProviderBehaviour(std::uint64_t seed) : rng_(seed) {}

  /// `room`: the location has the capacity for the package's hours.
  OfferPlan on_broadcast(const Behaviour& b, const MarketSpec& m, double window_left_ms, bool room, bool closed_loop) {
    OfferPlan p;
    p.bid = room && unit() < b.bid_share;
    if (!p.bid) return p;
    p.delay_sim_ms = closed_loop ? 0 : unit() * b.respond_within * std::max(0.0, window_left_ms);
    const double share = std::normal_distribution<double>(b.price_vs_fair, b.price_spread)(rng_);
    auto price = static_cast<std::int64_t>(std::llround(share * static_cast<double>(m.fair_cost)));
    // Above 85% of the fair cost (the engine's abnormally-low line), with a penny to spare.
    price = std::max(price, static_cast<std::int64_t>(std::ceil(0.85 * static_cast<double>(m.fair_cost))) + 1);
    if (m.rate_min > 0) price = std::max(price, m.rate_min);
    if (m.rate_max > 0) price = std::min(price, m.rate_max);
    p.price = std::max<std::int64_t>(price, 1);
    return p;
  }

  AwardPlan on_award(const Behaviour& b, double expires_in_ms, bool closed_loop) {
    AwardPlan p;
    p.accept = unit() >= b.decline_share;
    const double most = std::min(b.accept_after_minutes * 60'000.0, 0.9 * std::max(0.0, expires_in_ms));
    p.delay_sim_ms = closed_loop ? 0 : unit() * most;
    return p;
  }

 private:
  double unit() { return std::uniform_real_distribution<double>(0, 1)(rng_); }
  std::mt19937_64 rng_;
};

}  // namespace carebroker::sim
