// Market: what-if re-ranking of one package's offers under another ranking policy (what_if.h).
// A changed abnormally-low threshold re-flags the offers: one newly under it is treated as an
// offer the officer would have been asked about (pending: it ranks, the award would wait), one
// no longer under it as never flagged; the officer's decision on one flagged under both stands.
#include "engine/market/market.h"
#include "engine/market/what_if.h"

namespace carebroker::engine {

std::string ranking_policy_problem(const RankingPolicy& k) {
  const auto pct = [](int v) { return v >= 0 && v <= 100; };
  if (!pct(k.price_weight_pct) || !pct(k.quality_weight_pct) || k.price_weight_pct + k.quality_weight_pct != 100)
    return "price and quality weights are 0..100 and total 100";
  if (!pct(k.min_quality)) return "the minimum quality is 0..100";
  if (!pct(k.abnormally_low_pct)) return "the abnormally-low threshold is 0..100 (% of the fair cost)";
  return "";
}

std::optional<WhatIfRanking> Market::what_if(PackageId id, const RankingPolicy& policy) const {
  const Package* p = find_package(id);
  if (!p || p->retired) return std::nullopt;
  const DpsConfig& config = dps_[p->dps];
  WhatIfRanking out;
  out.policy_now = config.ranking;
  out.policy_then = policy;
  std::vector<RankingCandidate> candidates = ranking_candidates(*p);
  out.now = rank_offers(candidates, config.ranking, true);
  const Pence fair_cost = config.lots[p->lot].fair_cost;
  for (RankingCandidate& c : candidates) {
    const bool flagged_then = fair_cost > 0 && c.price * 100 < fair_cost * policy.abnormally_low_pct;
    if (!flagged_then)
      c.abnormally_low = AbnormallyLow::not_flagged;
    else if (c.abnormally_low == AbnormallyLow::not_flagged)
      c.abnormally_low = AbnormallyLow::pending;
  }
  out.then = rank_offers(std::move(candidates), policy, true);
  return out;
}

}  // namespace carebroker::engine
