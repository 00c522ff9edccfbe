// Assessment frameworks, the PAMMS rating rule and the self-assessment mapping.
#include "engine/market/assessment.h"

#include <algorithm>
#include <set>

namespace carebroker::engine {

const std::vector<AssessmentDomain>& default_assessment_domains() {
  // PAMMS's five domains over sixteen standards (DOMAIN.md "Quality scales"); the standards'
  // wording is ours, a council configures its own.
  static const std::vector<AssessmentDomain> kPamms = {
      {"involvement_information",
       "Involvement & Information",
       {{"involvement", "People are involved in decisions about their care"},
        {"information", "People get the information they need, in a form they understand"},
        {"consent", "Care is given with people's consent"}}},
      {"personalised_care",
       "Personalised Care",
       {{"care_planning", "Care and support plans meet people's assessed needs and outcomes"},
        {"health_wellbeing", "People's health and wellbeing are supported"},
        {"nutrition_hydration", "People are supported to eat and drink well"},
        {"medication", "Medicines are managed safely"}}},
      {"safeguarding_safety",
       "Safeguarding & Safety",
       {{"safeguarding", "People are safeguarded from abuse and neglect"},
        {"risk_management", "Risks to people are assessed and managed"},
        {"infection_control", "Infection is prevented and controlled"},
        {"equipment", "Equipment is safe and used properly"}}},
      {"staffing",
       "Staffing",
       {{"recruitment", "Staff are recruited safely"},
        {"training_supervision", "Staff are trained, supervised and competent"},
        {"staffing_levels", "There are enough staff to deliver every call"}}},
      {"quality_management",
       "Quality of Management",
       {{"governance", "The service is well led, with quality assured"},
        {"complaints", "Complaints and feedback are listened to and acted on"}}},
  };
  return kPamms;
}

const std::vector<AssessmentDomain>& domains_of(const AssessmentFramework& f) {
  return f.domains.empty() ? default_assessment_domains() : f.domains;
}

std::string validate_framework(const AssessmentFramework& f) {
  std::set<std::string_view> domains, standards;
  for (const AssessmentDomain& d : f.domains) {
    if (d.code.empty() || d.code.size() > 64) return "assessment domain codes are 1..64 characters";
    if (!domains.insert(d.code).second) return "assessment domain '" + d.code + "' is given twice";
    if (d.standards.empty()) return "assessment domain '" + d.code + "' has no standards";
    for (const AssessmentStandard& s : d.standards) {
      if (s.code.empty() || s.code.size() > 64) return "assessment standard codes are 1..64 characters";
      if (!standards.insert(s.code).second) return "assessment standard '" + s.code + "' is given twice";
    }
  }
  const PammsRatingRule& r = f.rating;
  auto in_range = [](int x) { return x >= kMinAssessmentScore * 100 && x <= kMaxAssessmentScore * 100; };
  if (!in_range(r.excellent_from_x100) || !in_range(r.good_from_x100) || !in_range(r.requires_improvement_from_x100))
    return "assessment rating thresholds are mean domain scores ×100, 100..400";
  if (!(r.excellent_from_x100 >= r.good_from_x100 && r.good_from_x100 >= r.requires_improvement_from_x100))
    return "assessment rating thresholds must not increase from Excellent to Requires improvement";
  return {};
}

PammsRating pamms_rating(int mean, int lowest, const PammsRatingRule& r) {
  PammsRating rating = mean >= r.excellent_from_x100            ? PammsRating::excellent
                       : mean >= r.good_from_x100                ? PammsRating::good
                       : mean >= r.requires_improvement_from_x100 ? PammsRating::requires_improvement
                                                                  : PammsRating::poor;
  // The cap: a domain scored 1 allows Requires improvement at best (Poor stays Poor).
  if (r.domain_scored_1_caps && lowest <= kMinAssessmentScore &&
      (rating == PammsRating::excellent || rating == PammsRating::good))
    rating = PammsRating::requires_improvement;
  return rating;
}

int mean_x100(const std::vector<int>& scores) {
  if (scores.empty()) return 0;
  long long sum = 0;
  for (int s : scores) sum += s;
  const long long n = static_cast<long long>(scores.size());
  return static_cast<int>((sum * 2 + n) / (2 * n));  // sum / n, half up (non-negative)
}

int self_assessment_points(int mean_domain_x100) {
  const int above_1 = std::clamp(mean_domain_x100 - 100, 0, 300);
  return (above_1 * 100 * 2 + 300) / (2 * 300);  // above_1 / 300 × 100, half up
}

std::string_view to_string(SelfAssessmentStatus s) {
  switch (s) {
    case SelfAssessmentStatus::not_submitted: return "not_submitted";
    case SelfAssessmentStatus::submitted: return "submitted";
    case SelfAssessmentStatus::validated: return "validated";
  }
  return "unknown";
}

}  // namespace carebroker::engine
