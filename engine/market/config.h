// A DPS's configuration: lots, zones, tiers, routes, ranking, gates, windows, quality and risk
// policy. Configuration is data: it is set by commands, journaled, and covered by the digest.
// Defaults follow DOMAIN.md "Defaults". Plain values; not thread-safe.
#pragma once

#include <string>
#include <vector>

#include "engine/market/assessment.h"
#include "engine/market/cost_model.h"
#include "engine/market/kpi.h"
#include "engine/market/types.h"

namespace carebroker::engine {

/// A category of care (deployment-wide), e.g. "dementia", "learning_disability".
struct Category {
  std::string code;
  std::string name;
  bool operator==(const Category&) const = default;
};

/// A lot of a DPS, with the unit it buys in and its price gates.
struct Lot {
  std::string code;
  std::string name;
  Unit unit = Unit::hours;
  Pence rate_min = 0;   ///< 0 = no minimum; offers below are blocked
  Pence rate_max = 0;   ///< 0 = no maximum; offers above are blocked
  Pence fair_cost = 0;  ///< fair cost of care for one unit; 0 = no abnormally-low check
  /// How the fair cost is made (lots bought in hours): when present, ConfigureDps sets
  /// `fair_cost` to its cost per contact hour (cost_model.h). Absent = `fair_cost` as given.
  CostModel cost_model;
  /// The rate the council paid for one unit before this DPS (e.g. its framework rate): the
  /// savings report's baseline (market_reports.h savings_report). 0 = none configured.
  Pence baseline_rate = 0;
  bool operator==(const Lot&) const = default;
};

/// A zone and the postcode districts it covers ("B13", "CV7").
struct Zone {
  std::string code;
  std::string name;
  std::vector<std::string> postcode_districts;
  bool operator==(const Zone&) const = default;
};

/// The ordered tiers a package goes through. A route applies to a package when the package has
/// any of `when_any_category` (an empty list matches every package: the default route).
struct Route {
  std::string name;
  std::vector<std::string> when_any_category;
  std::vector<std::string> tiers;
  bool operator==(const Route&) const = default;
};

enum class DistributionMode : std::uint8_t {
  cascade,     ///< light-touch regime: tier by tier along the package's route
  all_at_once  ///< strict regulation-34 DPS: every admitted location in the category at once
};

enum class RankingScheme : std::uint8_t {
  price_quality_split,     ///< score = w_price × lowest/price + w_quality × quality/100, high wins
  quality_adjusted_price,  ///< price × 100 / quality, low wins
};

enum class AuctionFormat : std::uint8_t {
  sealed_single_round,  ///< rank at close, award
  best_and_final,       ///< at close a shortlist learns its own ranks and may improve once
};

struct RankingPolicy {
  RankingScheme scheme = RankingScheme::price_quality_split;
  int price_weight_pct = 40;
  int quality_weight_pct = 60;
  int min_quality = 40;               ///< offers from locations scoring below are not acceptable
  int abnormally_low_pct = 85;        ///< price below this % of the lot's fair cost is flagged
  AuctionFormat auction = AuctionFormat::sealed_single_round;
  int shortlist_size = 5;             ///< best-and-final shortlist length
  bool first_acceptable_wins_urgent = false;  ///< urgent packages go to the first acceptable offer
  bool operator==(const RankingPolicy&) const = default;
};

struct QualityPolicy {
  int pamms_weight_pct = 40;
  int cqc_weight_pct = 40;
  int self_assessment_weight_pct = 20;
  int neutral_points = 50;  ///< a missing input scores this and makes the score provisional
  // Rating points.
  int cqc_outstanding = 100, cqc_good = 75, cqc_requires_improvement = 40, cqc_inadequate = 0;
  int pamms_excellent = 100, pamms_good = 75, pamms_requires_improvement = 40, pamms_poor = 0;
  /// A self-assessment is due this often (the first within this many days of applying to the
  /// DPS); once overdue it counts 0. 0 = never overdue.
  int self_assessment_due_days = 91;
  /// KPI compliance as a fourth input (issue 12 item 4): 0 = off (the default, so scores are as
  /// before); when on, the four weights still total 100. A location's input is the compliance of
  /// its latest quarter returned; none yet = neutral and provisional; once a quarter's return is
  /// overdue, 0 (as a self-assessment).
  int kpi_weight_pct = 0;
  /// A quarter's KPI return is due this many days after the quarter ends (1..366).
  int kpi_return_due_days = 30;
  bool operator==(const QualityPolicy&) const = default;
};

struct RiskPolicy {
  bool red_excludes_from_broadcast = true;  ///< false = warn-only
  bool amber_excludes_from_broadcast = false;
  int lookback_days = 90;
  int amber_safeguarding_decisions = 2;
  int amber_substantiated_concerns = 2;
  /// A location whose placed hours reach its declared capacity: false = still broadcast, with a
  /// warning to the officer; true = excluded (ExclusionRule::at_capacity).
  bool at_capacity_excludes_from_broadcast = false;
  bool operator==(const RiskPolicy&) const = default;
};

struct WindowPolicy {
  UtcMillis urgent_window = 4 * kMillisPerHour;
  int standard_working_days = 2;
  int planned_working_days = 5;
  int planned_after_days = 28;  ///< start more than this many days away makes a package planned
  UtcMillis urgent_acceptance = 2 * kMillisPerHour;
  int acceptance_working_days = 1;
  UtcMillis best_and_final_window = 2 * kMillisPerHour;
  int start_slack_days = 7;     ///< an offer may start up to this many days after the requested date
  int admission_working_days = 10;
  int admission_extended_working_days = 15;
  int retain_closed_days = 90;  ///< a closed package leaves memory (stays in the store); 0 = never
  int hand_back_notice_days = 28;  ///< a provider's notice when it hands back a placement
  bool operator==(const WindowPolicy&) const = default;
};

struct DpsConfig {
  std::string code;  ///< e.g. "home-care"
  std::string name;
  std::string council;
  DistributionMode mode = DistributionMode::cascade;
  std::vector<Lot> lots;
  std::vector<std::string> categories;  ///< category codes this DPS buys
  std::vector<Zone> zones;
  std::vector<std::string> tiers;       ///< e.g. {"tier1", "tier2", "specialist"}
  std::vector<Route> routes;            ///< first matching route wins
  RankingPolicy ranking;
  QualityPolicy quality;
  RiskPolicy risk;
  WindowPolicy windows;
  /// The DPS declares zones part of its lots: an all-at-once (regulation-34) broadcast then goes
  /// only to locations serving the package's zone. Without it, all at once means every zone.
  /// A cascade always filters by zone (its tiers are zonal).
  bool zones_part_of_lots = false;
  /// Self-assessments and PAMMS assessments (assessment.h): the domains and standards, and the
  /// PAMMS rating rule. Appended (issue 12 item 1): none given = the default PAMMS framework.
  AssessmentFramework assessment;
  /// The KPIs providers return each quarter (kpi.h). Appended (issue 12 item 4): none given =
  /// the default set for the DPS's lots (kpis_of).
  std::vector<Kpi> kpis;
  bool operator==(const DpsConfig&) const = default;

  int lot_index(std::string_view code) const;
  int zone_index(std::string_view code) const;
  int tier_index(std::string_view code) const;
  /// The zone whose districts include `district`; -1 when none does.
  int zone_of_district(std::string_view district) const;
};

std::string_view to_string(DistributionMode);
std::string_view to_string(RankingScheme);
std::string_view to_string(AuctionFormat);

/// Checks a configuration on its own (weights add up, codes unique and within 64, routes name
/// known tiers and categories). Returns an empty string when valid, else what is wrong.
std::string validate_config(const DpsConfig&, const std::vector<Category>& known_categories);

/// Whether a DPS buys supported living: one of its lots says so in its code or name
/// ("supported-living", "Supported living"). The configuration has no kind of DPS; its lots are
/// what tell home care from supported living.
bool buys_supported_living(const DpsConfig&);
/// The DPS's KPI set: its own, or with none the default for its lots — supported living's
/// outcome measures when it buys supported living, else the seed's four home-care KPIs.
const std::vector<Kpi>& kpis_of(const DpsConfig&);

}  // namespace carebroker::engine
