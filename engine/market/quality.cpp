// The composite quality score and the early-warning (RAG) rating.
#include "engine/market/quality.h"

#include <algorithm>
#include <string>

#include "engine/market/number_text.h"

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

QualityScore quality_score(const QualityInputs& in, const QualityPolicy& p) { return quality_score(in, p, 0, 0); }

QualityScore quality_score(const QualityInputs& in, const QualityPolicy& p, Date today, Date first_due) {
  return quality_score(in, p, today, first_due, KpiStanding{});
}

QualityScore quality_score(const QualityInputs& in, const QualityPolicy& p, Date today, Date first_due,
                           const KpiStanding& kpi) {
  QualityScore s;
  const int due_days = p.self_assessment_due_days;
  const bool overdue =
      due_days > 0 && today != 0 &&
      (in.self_assessment < 0 ? first_due != 0 && today > first_due
                              : in.self_assessment_on != 0 && today > in.self_assessment_on + due_days);
  const bool self_missing = in.self_assessment < 0 && !overdue;
  s.parts = {
      {"PAMMS", std::string(to_string(in.pamms)), pamms_points(in.pamms, p), p.pamms_weight_pct,
       in.pamms == PammsRating::none},
      {"CQC", std::string(to_string(in.cqc)), cqc_points(in.cqc, p), p.cqc_weight_pct,
       in.cqc == CqcRating::none},
      {"self-assessment", overdue ? "overdue" : self_missing ? "none" : std::to_string(in.self_assessment),
       overdue ? 0 : self_missing ? p.neutral_points : in.self_assessment, p.self_assessment_weight_pct,
       self_missing},
  };
  if (p.kpi_weight_pct > 0) {
    const bool kpi_missing = kpi.points < 0 && !kpi.overdue;
    s.parts.push_back({"KPIs", kpi.overdue ? "overdue" : kpi_missing ? "none" : kpi.quarter,
                       kpi.overdue ? 0 : kpi_missing ? p.neutral_points : kpi.points, p.kpi_weight_pct, kpi_missing});
  }
  int weighted = 0;  // points × percent, exact
  for (const auto& part : s.parts) {
    weighted += part.points * part.weight_pct;
    s.provisional = s.provisional || (part.missing && part.weight_pct > 0);
  }
  s.score = weighted / 100.0;
  return s;
}

std::string QualityScore::explain() const {
  // "quality = 0.40×PAMMS good 75 + 0.40×CQC none 50 (missing: neutral) + 0.20×self-assessment 80
  //  = 66.00 (provisional)": a rating is followed by its points, a score stands alone
  std::string out = "quality = ";
  for (std::size_t i = 0; i < parts.size(); ++i) {
    const auto& part = parts[i];
    std::string points;
    append_integer(points, part.points);
    const bool numeric = part.rating == points;  // a score, not a rating
    if (i) out += " + ";
    append_fixed(out, part.weight_pct / 100.0, 2);
    out += "×";
    out += part.input;
    out.push_back(' ');
    out += part.rating;
    if (!numeric) {
      out.push_back(' ');
      out += points;
    }
    if (part.missing) out += " (missing: neutral)";
  }
  out += " = ";
  append_fixed(out, score, 2);
  if (provisional) out += " (provisional)";
  return out;
}

namespace {

/// The early-warning rules, once. `red` / `amber` receive a reason only when non-null, so the
/// broadcast path (both null) builds no strings.
Rag evaluate_risk(const QualityInputs& in, bool in_administration, bool contract_default_notice, const RiskPolicy& p,
                  UtcMillis now, std::vector<std::string>* red, std::vector<std::string>* amber) {
  bool is_red = false, is_amber = false;
  auto flag = [](bool& level, std::vector<std::string>* sink, auto&& reason) {
    level = true;
    if (sink) sink->push_back(reason());
  };
  if (in.cqc == CqcRating::inadequate) flag(is_red, red, [] { return std::string("CQC rating inadequate"); });
  if (in.pamms == PammsRating::poor) flag(is_red, red, [] { return std::string("PAMMS rating poor"); });
  if (in.embargo)
    flag(is_red, red, [&] {
      return in.embargo_reason.empty() ? std::string("embargo on new placements")
                                       : "embargo on new placements: " + in.embargo_reason;
    });
  if (in_administration) flag(is_red, red, [] { return std::string("provider in administration"); });
  if (in.default_notice || contract_default_notice)
    flag(is_red, red, [] { return std::string("contract default notice in force"); });
  if (in.unexpected_deaths_under_investigation > 0)
    flag(is_red, red, [] { return std::string("unexpected death under investigation"); });
  if (is_red && !red) return Rag::red;  // nothing more to learn on the fast path

  if (in.cqc == CqcRating::requires_improvement)
    flag(is_amber, amber, [] { return std::string("CQC rating requires improvement"); });
  if (in.pamms == PammsRating::requires_improvement)
    flag(is_amber, amber, [] { return std::string("PAMMS rating requires improvement"); });
  if (in.fsa == FsaRating::r0 || in.fsa == FsaRating::r1 || in.fsa == FsaRating::r2)
    flag(is_amber, amber, [&] { return "FSA hygiene rating " + std::string(to_string(in.fsa)); });
  const UtcMillis since = now - static_cast<UtcMillis>(p.lookback_days) * kMillisPerDay;
  if (auto n = count_since(in.safeguarding_decisions, since);
      n >= static_cast<std::size_t>(p.amber_safeguarding_decisions))
    flag(is_amber, amber, [&] {
      return std::to_string(n) + " safeguarding decisions in " + std::to_string(p.lookback_days) + " days";
    });
  if (auto n = count_since(in.substantiated_concerns, since);
      n >= static_cast<std::size_t>(p.amber_substantiated_concerns))
    flag(is_amber, amber, [&] {
      return std::to_string(n) + " substantiated concerns in " + std::to_string(p.lookback_days) + " days";
    });
  if (in.registered_manager_vacancy)
    flag(is_amber, amber, [] { return std::string("registered manager vacancy"); });
  return is_red ? Rag::red : is_amber ? Rag::amber : Rag::green;
}

}  // namespace

RiskRating risk_rating(const QualityInputs& in, bool in_administration, const RiskPolicy& p, UtcMillis now,
                       bool contract_default_notice) {
  RiskRating r;
  std::vector<std::string> amber;
  r.rag = evaluate_risk(in, in_administration, contract_default_notice, p, now, &r.reasons, &amber);
  if (r.rag != Rag::green) r.reasons.insert(r.reasons.end(), amber.begin(), amber.end());
  return r;
}

Rag risk_level(const QualityInputs& in, bool in_administration, const RiskPolicy& p, UtcMillis now,
               bool contract_default_notice) {
  return evaluate_risk(in, in_administration, contract_default_notice, p, now, nullptr, nullptr);
}

}  // namespace carebroker::engine
