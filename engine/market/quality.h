// Quality and risk inputs of a location, and the two judgements derived from them:
// the composite quality score (0..100, provisional when an input is missing) and the
// Green/Amber/Red early-warning rating with its reasons. Rules come from QualityPolicy and
// RiskPolicy (DOMAIN.md "Defaults"). Pure functions; not thread-safe.
#pragma once

#include <string>
#include <vector>

#include "engine/market/config.h"
#include "engine/market/types.h"

namespace carebroker::engine {

/// Everything the council knows about a location's quality and risk: the ten kinds of
/// early-warning intelligence (administration lives on the provider).
struct QualityInputs {
  CqcRating cqc = CqcRating::none;
  PammsRating pamms = PammsRating::none;
  int self_assessment = -1;  ///< 0..100 as validated; -1 = not submitted
  FsaRating fsa = FsaRating::not_applicable;
  std::vector<UtcMillis> safeguarding_decisions;  ///< when each was decided
  std::vector<UtcMillis> substantiated_concerns;  ///< when each was substantiated
  bool embargo = false;                           ///< no new placements
  std::string embargo_reason;
  bool default_notice = false;
  int unexpected_deaths_under_investigation = 0;
  bool registered_manager_vacancy = false;
  /// The London date the self-assessment was submitted (validated); 0 = none, or recorded before
  /// dates were kept (then it is never overdue until the next is submitted).
  Date self_assessment_on = 0;
  bool operator==(const QualityInputs&) const = default;
};

/// One weighted part of the quality score, for the explanation.
struct QualityPart {
  std::string input;   ///< "PAMMS", "CQC", "self-assessment"
  std::string rating;  ///< "good", "none", "80"
  int points = 0;
  int weight_pct = 0;
  bool missing = false;
  bool operator==(const QualityPart&) const = default;
};

struct QualityScore {
  double score = 0;  ///< 0..100, always a whole number of hundredths (Σ points × weight% / 100)
  bool provisional = false;
  std::vector<QualityPart> parts;
  /// "quality = 0.40×PAMMS good 75 + 0.40×CQC none 50 (missing) + 0.20×self 80 = 66.00 (provisional)"
  std::string explain() const;
  bool operator==(const QualityScore&) const = default;
};

QualityScore quality_score(const QualityInputs&, const QualityPolicy&);
/// The same on `today`, for a location whose first self-assessment is due by `first_due` (0 =
/// not known): a self-assessment is due every policy.self_assessment_due_days (0 = never
/// overdue). Not yet submitted: neutral and provisional until `first_due`, then 0. Submitted:
/// its score until the next is due, then 0 — so not submitting never beats submitting a low score.
QualityScore quality_score(const QualityInputs&, const QualityPolicy&, Date today, Date first_due);

/// A location's KPI input under a DPS (kpi.h): the compliance of its latest quarter returned,
/// and whether a quarter's return is overdue.
struct KpiStanding {
  int points = -1;  ///< 0..100 (kpi_points); -1 = no return yet
  std::string quarter;  ///< the quarter `points` is for, e.g. "2026-Q3"
  bool overdue = false;
};
/// The same with KPI compliance as a fourth part when policy.kpi_weight_pct > 0 (with it 0, the
/// score and its parts are exactly the three-input score): overdue counts 0; no return yet,
/// neutral and provisional; else its points.
QualityScore quality_score(const QualityInputs&, const QualityPolicy&, Date today, Date first_due,
                           const KpiStanding&);

struct RiskRating {
  Rag rag = Rag::green;
  std::vector<std::string> reasons;  ///< why Red or Amber, e.g. "CQC inadequate"
  bool operator==(const RiskRating&) const = default;
};

/// `now` bounds the look-back window for dated intelligence; `in_administration` and
/// `contract_default_notice` (a default notice in force under any of its contracts:
/// contract_actions.h) come from the provider (organisation-level facts).
RiskRating risk_rating(const QualityInputs&, bool in_administration, const RiskPolicy&, UtcMillis now,
                       bool contract_default_notice = false);
/// The same rules as risk_rating, without the reasons: allocates nothing (the broadcast path).
Rag risk_level(const QualityInputs&, bool in_administration, const RiskPolicy&, UtcMillis now,
               bool contract_default_notice = false);

}  // namespace carebroker::engine
