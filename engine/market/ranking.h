// Ranking a package's offers on price weighted by quality, with a full explanation of every
// rank (inputs, formula, arithmetic). Two schemes (DOMAIN.md): the price/quality split and the
// quality-adjusted price. Ties break by the time of the offer's last amendment, then by
// location ID. Pure; not thread-safe.
#pragma once

#include <string>
#include <vector>

#include "engine/market/config.h"
#include "engine/market/package.h"
#include "engine/market/quality.h"
#include "engine/market/types.h"

namespace carebroker::engine {

/// The gate an offer failed, so it is not acceptable (none = it passed every gate). The first
/// four depend on market state and are set by the caller; the ranking checks the rest.
enum class OfferGate : std::uint8_t {
  none,
  withdrawn,               ///< withdrawn by the provider
  no_longer_admitted,      ///< the location's membership is no longer admitted
  placement_barred,        ///< the location may not take new placements now (ExclusionRule's bars)
  outside_rate_band,       ///< outside the lot's current rate band
  rejected_abnormally_low, ///< rejected as abnormally low after the officer judged its explanation
  below_min_quality,       ///< quality under the DPS's minimum
  quality_zero,            ///< quality 0: a quality-adjusted price is undefined
};
/// The gate's stable name (in the API): "withdrawn", "below_min_quality", …
std::string_view to_string(OfferGate);

/// One offer as the ranking sees it. `gate` (with `gate_detail`) is set by the caller for gates
/// that depend on market state (withdrawn, location excluded now, outside today's rate band).
struct RankingCandidate {
  LocationIndex location = 0;
  std::string location_id;
  Pence price = 0;
  UtcMillis amended_at = 0;
  QualityScore quality;
  /// Which score that is: the location's quality score version, and when the package's window
  /// closed if it is the score in force then (0 = the score now, the window still open).
  std::uint32_t quality_version = 0;
  UtcMillis quality_closed_at = 0;
  AbnormallyLow abnormally_low = AbnormallyLow::not_flagged;
  bool declined = false;
  OfferGate gate = OfferGate::none;
  std::string gate_detail;  ///< what the caller's gate found, e.g. the placement bar's reasons
};

struct RankedOffer {
  RankingCandidate offer;
  bool acceptable = false;
  OfferGate failed_gate = OfferGate::none;      ///< which gate it failed
  std::string not_acceptable_reason;  ///< the same in words, with the numbers
  double score = 0;                   ///< split: higher wins; quality-adjusted price: lower wins
  int rank = 0;                       ///< 1-based among acceptable offers; 0 when not acceptable
  std::string explanation;            ///< the formula with this offer's numbers
};

struct Ranking {
  RankingScheme scheme = RankingScheme::price_quality_split;
  Pence lowest = 0;  ///< lowest acceptable price (the split's `lowest`); 0 when none
  std::vector<RankedOffer> offers;  ///< acceptable in rank order, then the rest

  /// The best acceptable offer that has not declined the award; nullptr when none is left.
  const RankedOffer* next_for_award() const;
  /// The rank-1 acceptable offer (declined or not); nullptr when none is acceptable.
  const RankedOffer* top() const;
  const RankedOffer* find(LocationIndex) const;
  int acceptable_count() const;
};

/// Ranks offers. Order is decided in exact integer arithmetic (the printed scores are rounded);
/// `explain` = false skips building the explanation strings (the award path needs only order).
Ranking rank_offers(std::vector<RankingCandidate> candidates, const RankingPolicy& policy,
                    bool explain = true);

/// Which quality score an offer is ranked on: "quality score v7 of 1-123, in force at the
/// close at 2026-12-01 14:05" (the window closed), or "…, current (the window has not closed)".
std::string quality_version_note(const RankingCandidate&);

/// "£28.50" for 2850.
std::string format_pence(Pence);

}  // namespace carebroker::engine
