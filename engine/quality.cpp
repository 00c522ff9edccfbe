// The composite quality score and the early-warning (RAG) rating.
#include "engine/quality.h"

#include <algorithm>
#include <cstdio>

namespace carebroker::engine {
namespace {

int cqc_points(CqcRating r, const QualityPolicy& p) {
  switch (r) {
    case CqcRating::outstanding: return p.cqc_outstanding;
    case CqcRating::good: return p.cqc_good;
    case CqcRating::requires_improvement: return p.cqc_requires_improvement;
    case CqcRating::inadequate: return p.cqc_inadequate;
    case CqcRating::none: break;
  }
  return p.neutral_points;
}

int pamms_points(PammsRating r, const QualityPolicy& p) {
  switch (r) {
    case PammsRating::excellent: return p.pamms_excellent;
    case PammsRating::good: return p.pamms_good;
    case PammsRating::requires_improvement: return p.pamms_requires_improvement;
    case PammsRating::poor: return p.pamms_poor;
    case PammsRating::none: break;
  }
  return p.neutral_points;
}

std::size_t count_since(const std::vector<UtcMillis>& when, UtcMillis since) {
  return static_cast<std::size_t>(
      std::count_if(when.begin(), when.end(), [&](UtcMillis t) { return t >= since; }));
}

}  // namespace

QualityScore quality_score(const QualityInputs& in, const QualityPolicy& p) {
  QualityScore s;
  const bool self_missing = in.self_assessment < 0;
  s.parts = {
      {"PAMMS", std::string(to_string(in.pamms)), pamms_points(in.pamms, p), p.pamms_weight_pct,
       in.pamms == PammsRating::none},
      {"CQC", std::string(to_string(in.cqc)), cqc_points(in.cqc, p), p.cqc_weight_pct,
       in.cqc == CqcRating::none},
      {"self-assessment", self_missing ? "none" : std::to_string(in.self_assessment),
       self_missing ? p.neutral_points : in.self_assessment, p.self_assessment_weight_pct,
       self_missing},
  };
  int weighted = 0;  // points × percent, exact
  for (const auto& part : s.parts) {
    weighted += part.points * part.weight_pct;
    s.provisional = s.provisional || (part.missing && part.weight_pct > 0);
  }
  s.score = weighted / 100.0;
  return s;
}

std::string QualityScore::explain() const {
  std::string out = "quality = ";
  char buf[96];
  for (std::size_t i = 0; i < parts.size(); ++i) {
    const auto& part = parts[i];
    const bool numeric = part.rating == std::to_string(part.points);  // a score, not a rating
    std::snprintf(buf, sizeof buf, "%s%.2f×%s %s%s%s%s", i ? " + " : "", part.weight_pct / 100.0,
                  part.input.c_str(), part.rating.c_str(), numeric ? "" : " ",
                  numeric ? "" : std::to_string(part.points).c_str(),
                  part.missing ? " (missing: neutral)" : "");
    out += buf;
  }
  std::snprintf(buf, sizeof buf, " = %.2f%s", score, provisional ? " (provisional)" : "");
  out += buf;
  return out;
}

RiskRating risk_rating(const QualityInputs& in, bool in_administration, const RiskPolicy& p,
                       UtcMillis now) {
  RiskRating r;
  std::vector<std::string> red, amber;
  if (in.cqc == CqcRating::inadequate) red.push_back("CQC rating inadequate");
  if (in.pamms == PammsRating::poor) red.push_back("PAMMS rating poor");
  if (in.embargo)
    red.push_back(in.embargo_reason.empty() ? "embargo on new placements"
                                            : "embargo on new placements: " + in.embargo_reason);
  if (in_administration) red.push_back("provider in administration");
  if (in.default_notice) red.push_back("contract default notice in force");
  if (in.unexpected_deaths_under_investigation > 0)
    red.push_back("unexpected death under investigation");

  if (in.cqc == CqcRating::requires_improvement) amber.push_back("CQC rating requires improvement");
  if (in.pamms == PammsRating::requires_improvement)
    amber.push_back("PAMMS rating requires improvement");
  if (in.fsa == FsaRating::r0 || in.fsa == FsaRating::r1 || in.fsa == FsaRating::r2)
    amber.push_back("FSA hygiene rating " + std::string(to_string(in.fsa)));
  const UtcMillis since = now - static_cast<UtcMillis>(p.lookback_days) * kMillisPerDay;
  if (auto n = count_since(in.safeguarding_decisions, since);
      n >= static_cast<std::size_t>(p.amber_safeguarding_decisions))
    amber.push_back(std::to_string(n) + " safeguarding decisions in " +
                    std::to_string(p.lookback_days) + " days");
  if (auto n = count_since(in.substantiated_concerns, since);
      n >= static_cast<std::size_t>(p.amber_substantiated_concerns))
    amber.push_back(std::to_string(n) + " substantiated concerns in " +
                    std::to_string(p.lookback_days) + " days");
  if (in.registered_manager_vacancy) amber.push_back("registered manager vacancy");

  if (!red.empty()) {
    r.rag = Rag::red;
    r.reasons = std::move(red);
    r.reasons.insert(r.reasons.end(), amber.begin(), amber.end());
  } else if (!amber.empty()) {
    r.rag = Rag::amber;
    r.reasons = std::move(amber);
  }
  return r;
}

}  // namespace carebroker::engine
