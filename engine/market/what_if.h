// What-if: a package's offers ranked again under another ranking policy (scheme, weights,
// minimum quality, abnormally-low threshold) beside the ranking under the DPS's own policy, so a
// commissioner can see what a policy change would have done to one mini-competition. It
// re-decides only among the offers actually made, never invents one. Both rankings use the
// quality scores in force now and the market's current gates, so the difference is the
// policy's alone. Plain values; computed by Market::what_if (market_what_if.cpp).
#pragma once

#include <optional>

#include "engine/market/config.h"
#include "engine/market/ranking.h"

namespace carebroker::engine {

struct WhatIfRanking {
  RankingPolicy policy_now;   ///< the DPS's
  RankingPolicy policy_then;  ///< the one asked about
  Ranking now;                ///< under policy_now
  Ranking then;               ///< under policy_then; offers re-flagged by its abnormally-low threshold
};

/// The policy's own problem, or "" when it can rank: weights 0..100 totalling 100, minimum
/// quality and abnormally-low threshold 0..100.
std::string ranking_policy_problem(const RankingPolicy&);

}  // namespace carebroker::engine
