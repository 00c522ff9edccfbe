// Assessment cycles (issue 12 item 1): a DPS's assessment framework (PAMMS's five domains over
// their standards by default, each scored 1–4), the rule that rates a PAMMS assessment
// (Excellent / Good / Requires improvement / Poor), the mapping of a validated self-assessment to
// the 0..100 the quality score takes, and the records a location keeps: its self-assessments
// (submitted by the provider, validated by a compliance officer with reasoned changes) and the
// council's PAMMS assessments. The market's commands live in market_assessments.cpp.
// Plain values and pure functions; not thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "engine/market/types.h"

namespace carebroker::engine {

/// The lowest and highest score of a standard or a domain.
inline constexpr int kMinAssessmentScore = 1;
inline constexpr int kMaxAssessmentScore = 4;

struct AssessmentStandard {
  std::string code;  ///< e.g. "staffing.recruitment"
  std::string name;
  bool operator==(const AssessmentStandard&) const = default;
};

struct AssessmentDomain {
  std::string code;  ///< e.g. "staffing"
  std::string name;
  std::vector<AssessmentStandard> standards;
  bool operator==(const AssessmentDomain&) const = default;
};

/// How a PAMMS assessment's domain scores become its rating: the mean of the domain scores (in
/// hundredths) at or above `excellent_from_x100` is Excellent, at or above `good_from_x100` Good,
/// at or above `requires_improvement_from_x100` Requires improvement, else Poor; with
/// `domain_scored_1_caps`, any domain scored 1 caps the rating at Requires improvement.
struct PammsRatingRule {
  int excellent_from_x100 = 350;
  int good_from_x100 = 250;
  int requires_improvement_from_x100 = 150;
  bool domain_scored_1_caps = true;
  bool operator==(const PammsRatingRule&) const = default;
};

/// A DPS's assessment framework. No domains = the default PAMMS framework
/// (default_assessment_domains()), so a configuration or a journal from before frameworks gets it.
struct AssessmentFramework {
  std::vector<AssessmentDomain> domains;
  PammsRatingRule rating;
  bool operator==(const AssessmentFramework&) const = default;
};

/// PAMMS's five domains — Involvement & Information, Personalised Care, Safeguarding & Safety,
/// Staffing, Quality of Management — over their sixteen standards.
const std::vector<AssessmentDomain>& default_assessment_domains();
/// The framework's domains, or the default ones when it names none.
const std::vector<AssessmentDomain>& domains_of(const AssessmentFramework&);
/// Checks a framework on its own: domain and standard codes unique (standards across domains),
/// each domain with at least one standard, thresholds 100..400 and descending. Empty = valid.
std::string validate_framework(const AssessmentFramework&);

/// The rating of a PAMMS assessment whose domain scores (1..4 each) have mean `mean_x100`, and
/// whose lowest domain score is `lowest`.
PammsRating pamms_rating(int mean_x100, int lowest, const PammsRatingRule&);
/// The mean of scores given in hundredths, rounded half up to a hundredth: {300, 400} → 350,
/// {300, 300, 400} → 333, {300, 400, 400} → 367.
int mean_x100(const std::vector<int>& scores_x100);
/// A validated self-assessment's result as the quality score takes it: (mean domain score − 1) /
/// 3 × 100, rounded half up — all 1s are 0, all 4s 100, a mean of 2.50 is 50.
int self_assessment_points(int mean_domain_x100);

/// A score given to one standard (self-assessment) or domain (PAMMS, validation).
struct StandardScore {
  std::string standard;
  int score = 0;
  bool operator==(const StandardScore&) const = default;
};
struct DomainScore {
  std::string domain;
  int score_x100 = 0;  ///< a domain's score in hundredths: a self-assessed domain is its standards' mean
  bool operator==(const DomainScore&) const = default;
};
/// A compliance officer's change of a domain's score on validation, with why.
struct DomainChange {
  std::string domain;
  int from_x100 = 0;
  int to_x100 = 0;
  std::string reason;
  bool operator==(const DomainChange&) const = default;
};

/// One self-assessment of a location under a DPS: as submitted, and (once validated) as validated.
struct SelfAssessment {
  int dps = -1;
  std::vector<StandardScore> scores;  ///< every standard of the framework then, in its order
  std::vector<DomainScore> domains;   ///< each domain's mean of its standards, at submission
  std::string notes;
  std::string submitted_by;  ///< the provider's principal name
  UtcMillis submitted_at = 0;
  Date submitted_on = 0;  ///< London date: the next is due a period later
  bool validated = false;
  std::vector<DomainChange> changes;
  std::vector<DomainScore> validated_domains;  ///< after the changes
  int points = -1;                             ///< 0..100, self_assessment_points of their mean
  std::string validated_by;
  UtcMillis validated_at = 0;
  bool operator==(const SelfAssessment&) const = default;
};

/// One PAMMS assessment of a location by the council, under a DPS, with its rating.
struct PammsAssessment {
  int dps = -1;
  std::vector<DomainScore> domains;  ///< whole scores ×100, every domain of the framework
  Date assessed_on = 0;
  int mean_x100 = 0;
  PammsRating rating = PammsRating::none;
  std::string evidence;
  std::string assessed_by;
  UtcMillis at = 0;
  bool operator==(const PammsAssessment&) const = default;
};

enum class SelfAssessmentStatus : std::uint8_t {
  not_submitted,  ///< none yet under the DPS
  submitted,      ///< the latest awaits validation
  validated,      ///< the latest is validated
};
std::string_view to_string(SelfAssessmentStatus);

/// Where a location stands in its self-assessment cycle under a DPS.
struct SelfAssessmentDue {
  int last = 0;  ///< the latest self-assessment's number under the DPS (0 = none)
  SelfAssessmentStatus status = SelfAssessmentStatus::not_submitted;
  /// The latest's submission date + the DPS's self_assessment_due_days; with none, the first due
  /// date (applying + that period). 0 = never due (due days 0, or no application date).
  Date next_due = 0;
  bool overdue = false;  ///< today is after next_due
  bool operator==(const SelfAssessmentDue&) const = default;
};

}  // namespace carebroker::engine
