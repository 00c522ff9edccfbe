// What-if over a period: the journal replayed into a scratch replica (Replica), with this
// observer comparing, for each package of one DPS whose window closed in the period, the
// ranking its DPS's policy gave at that moment (the quality scores and gates then, the offers
// then) with the ranking another policy would have given to the same offers — the top offer,
// its rate and weekly value, whether any offer was acceptable. It re-decides only among the
// offers actually made; for a risk policy that changes who is invited (Red or Amber warn-only or
// excluding), it lists who else would have been invited when each tier opened, never inventing
// their bids. The decision point is the window's close (before any best-and-final round).
// Not thread-safe: runs on the thread that applies the replay.
#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "engine/market/config.h"
#include "engine/replica/replica.h"

namespace carebroker::replica {

struct PolicyReplayOptions {
  std::string dps;  ///< the DPS whose packages are compared
  engine::UtcMillis from = 0;
  engine::UtcMillis to = std::numeric_limits<engine::UtcMillis>::max();  ///< exclusive
  engine::RankingPolicy ranking;  ///< the ranking policy tried
  engine::RiskPolicy risk;        ///< the risk policy tried (who is broadcast)
};

/// One package whose result differs under the policy tried.
struct PackageComparison {
  engine::PackageId package = 0;
  engine::UtcMillis closed_at = 0;
  std::string top_now, top_then;  ///< location ids; "" = no acceptable offer
  engine::Pence price_now = 0, price_then = 0;
  engine::Pence weekly_now = 0, weekly_then = 0;
};

/// Locations that the policy tried would also have invited when a tier opened.
struct ExtraInvitations {
  engine::PackageId package = 0;
  int step = 0;
  std::vector<std::string> locations;
};

struct PolicyReplayReport {
  std::uint64_t events = 0;               ///< events replayed
  std::size_t packages_compared = 0;      ///< windows closed in the period, in the DPS
  std::size_t winners_changed = 0;        ///< a different top offer (or none where there was one)
  std::size_t no_acceptable_now = 0, no_acceptable_then = 0;
  /// Weekly value of the top offers, over the packages with one under both policies.
  engine::Pence weekly_now = 0, weekly_then = 0;
  std::vector<PackageComparison> changed;  ///< the packages whose top offer differs
  std::size_t tiers_opened = 0;            ///< tiers broadcast in the period, in the DPS
  std::size_t extra_invited = 0;           ///< location-tiers the risk policy tried would add
  std::size_t fewer_invited = 0;           ///< invited locations it would have left out
  std::vector<ExtraInvitations> extra;
};

class PolicyReplay final : public ReplicaObserver {
 public:
  /// REQUIRES: engine::ranking_policy_problem(options.ranking) is "".
  explicit PolicyReplay(PolicyReplayOptions options) : options_(std::move(options)) {}
  void event_applied(const engine::Event&, const engine::Market& after) override;
  const PolicyReplayReport& report() const { return report_; }

 private:
  void window_closed(engine::PackageId, engine::UtcMillis at, const engine::Market&);
  void tier_opened(engine::PackageId, int step, engine::UtcMillis at, const engine::Market&);
  /// The package when it is of the compared DPS and `at` falls in the period; nullptr otherwise.
  const engine::Package* compared(engine::PackageId, engine::UtcMillis at, const engine::Market&) const;

  PolicyReplayOptions options_;
  PolicyReplayReport report_;
};

}  // namespace carebroker::replica
