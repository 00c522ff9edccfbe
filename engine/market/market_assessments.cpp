// Market: assessment cycles (issue 12 item 1). A provider submits a self-assessment of its own
// admitted location (every standard of the DPS's framework scored 1..4); a compliance officer
// validates it, changing domain scores with reasons, and its result becomes the location's
// self-assessment input (0..100, dated by the submission, so the next is due a period later);
// a compliance officer records the council's PAMMS assessment, whose rating (the DPS's rule)
// becomes the location's PAMMS input. Input changes go through QualityInputsChanged, so each is
// an early-warning entry with who and why (early_warning.h). The rules are assessment.h's.
#include <algorithm>
#include <set>

#include "engine/market/market.h"
#include "engine/market/market_emitter.h"

namespace carebroker::engine {
namespace {

constexpr std::size_t kMaxAssessmentNotes = 2000;

Status check_score(int score, const std::string& what) {
  if (score < kMinAssessmentScore || score > kMaxAssessmentScore)
    return reject(Code::invalid_assessment_score,
                  what + " is scored " + std::to_string(score) + ": scores are 1..4");
  return {};
}

const AssessmentDomain* find_domain(const std::vector<AssessmentDomain>& domains, std::string_view code) {
  for (const auto& d : domains)
    if (d.code == code) return &d;
  return nullptr;
}

}  // namespace

Reply Market::handle(const SubmitSelfAssessment& c, Emitter& e) {
  Membership_ref ref{};
  if (Status s = find_own_admitted_membership(c.provider, c.location, c.dps, ref); !s.ok()) return {s};
  if (c.notes.size() > kMaxAssessmentNotes)
    return {reject(Code::notes_too_long, "a self-assessment's notes are limited to 2000 characters")};
  const auto& domains = domains_of(dps_[ref.dps].assessment);
  // Every score names a standard of the framework once, scored 1..4.
  std::set<std::string_view> given;
  for (const StandardScore& s : c.scores) {
    bool known = false;
    for (const auto& d : domains)
      for (const auto& st : d.standards) known = known || st.code == s.standard;
    if (!known) return {reject(Code::unknown_standard, "no standard '" + s.standard + "' in " + c.dps + "'s framework")};
    if (!given.insert(s.standard).second)
      return {reject(Code::duplicate_assessment_item, "standard '" + s.standard + "' is scored twice")};
    if (Status st = check_score(s.score, "standard '" + s.standard + "'"); !st.ok()) return {st};
  }
  SelfAssessment a;
  a.dps = ref.dps;
  for (const auto& d : domains) {
    std::vector<int> scores;
    for (const auto& st : d.standards) {
      auto it = std::find_if(c.scores.begin(), c.scores.end(), [&](const StandardScore& s) { return s.standard == st.code; });
      if (it == c.scores.end())
        return {reject(Code::standard_not_scored, "standard '" + st.code + "' (" + d.name + ") is not scored")};
      a.scores.push_back(*it);  // in the framework's order
      scores.push_back(it->score * 100);
    }
    a.domains.push_back({d.code, mean_x100(scores)});
  }
  a.notes = c.notes;
  a.submitted_by = c.by;
  a.submitted_at = now_;
  a.submitted_on = today_;
  e.emit(SelfAssessmentSubmitted{ref.location, std::move(a)});
  return Reply{Status{}, 0, false, locations_[ref.location].self_assessments.size()};  // its number
}

Reply Market::handle(const ValidateSelfAssessment& c, Emitter& e) {
  const Reply numbered{Status{}, 0, false, static_cast<std::uint64_t>(c.number > 0 ? c.number : 0)};
  const auto loc = find_location(c.location);
  if (!loc) return {reject(Code::unknown_location, "no location " + c.location)};
  const int d = find_dps(c.dps);
  if (d < 0) return {reject(Code::unknown_dps, "no DPS " + c.dps)};
  const Location& l = locations_[*loc];
  if (c.number < 1 || static_cast<std::size_t>(c.number) > l.self_assessments.size() ||
      l.self_assessments[c.number - 1].dps != d)
    return {reject(Code::unknown_self_assessment,
                   c.location + " submitted no self-assessment " + std::to_string(c.number) + " under " + c.dps)};
  const SelfAssessment& a = l.self_assessments[c.number - 1];
  if (a.validated)
    return {reject(Code::self_assessment_already_validated,
                   "self-assessment " + std::to_string(c.number) + " of " + c.location + " was validated by " +
                       a.validated_by)};
  SelfAssessmentValidated v{*loc, c.number, {}, a.domains, -1, c.officer, now_};
  std::set<std::string_view> changed;
  for (const DomainScoreChange& change : c.changes) {
    auto it = std::find_if(v.domains.begin(), v.domains.end(), [&](const DomainScore& s) { return s.domain == change.domain; });
    if (it == v.domains.end())
      return {reject(Code::unknown_assessment_domain, "self-assessment " + std::to_string(c.number) + " has no domain '" +
                                                          change.domain + "'")};
    if (!changed.insert(change.domain).second)
      return {reject(Code::duplicate_assessment_item, "domain '" + change.domain + "' is changed twice")};
    if (Status st = check_score(change.score, "domain '" + change.domain + "'"); !st.ok()) return {st};
    if (change.reason.empty())
      return {reject(Code::reason_required, "changing domain '" + change.domain + "' needs a reason")};
    if (change.reason.size() > kMaxAssessmentNotes)
      return {reject(Code::notes_too_long, "a change's reason is limited to 2000 characters")};
    v.changes.push_back({change.domain, it->score_x100, change.score * 100, change.reason});
    it->score_x100 = change.score * 100;
  }
  std::vector<int> scores;
  for (const DomainScore& s : v.domains) scores.push_back(s.score_x100);
  v.points = self_assessment_points(mean_x100(scores));
  const int points = v.points;
  e.emit(std::move(v));
  // The location's input follows its latest validated self-assessment: validating an older one
  // after a later one records it and leaves the input.
  for (std::size_t i = static_cast<std::size_t>(c.number); i < l.self_assessments.size(); ++i)
    if (l.self_assessments[i].validated) return numbered;
  QualityInputs q = l.quality;
  q.self_assessment = points;
  q.self_assessment_on = a.submitted_on;  // the next is due a period after the submission
  if (q == l.quality) return numbered;
  e.emit(QualityInputsChanged{*loc, std::move(q), c.officer,
                              "self-assessment " + std::to_string(c.number) + " validated (" + c.dps + ")",
                              "self-assessment " + std::to_string(c.number), now_});
  return numbered;
}

Reply Market::handle(const RecordPammsAssessment& c, Emitter& e) {
  Membership_ref ref{};
  if (Status s = find_membership(c.location, c.dps, ref); !s.ok()) return {s};
  if (!ref.membership) return {reject(Code::not_applied, c.location + " has not applied to " + c.dps)};
  const Location& l = locations_[ref.location];
  const Date on = c.assessed_on == 0 ? today_ : c.assessed_on;
  if (on > today_)
    return {reject(Code::assessment_date_in_future, "a PAMMS assessment is dated today or earlier, not " + format_date(on))};
  if (on < london_date(l.registered_at))
    return {reject(Code::entry_before_registration, format_date(on) + " is before location " + c.location +
                                                        " was registered (" + format_date(london_date(l.registered_at)) + ")")};
  if (c.evidence.size() > kMaxEvidenceChars)
    return {reject(Code::evidence_too_long, "evidence is a reference of at most " + std::to_string(kMaxEvidenceChars) +
                                                " characters, not " + std::to_string(c.evidence.size()))};
  const auto& domains = domains_of(dps_[ref.dps].assessment);
  std::set<std::string_view> given;
  for (const StandardScore& s : c.domains) {
    if (!find_domain(domains, s.standard))
      return {reject(Code::unknown_assessment_domain, "no domain '" + s.standard + "' in " + c.dps + "'s framework")};
    if (!given.insert(s.standard).second)
      return {reject(Code::duplicate_assessment_item, "domain '" + s.standard + "' is scored twice")};
    if (Status st = check_score(s.score, "domain '" + s.standard + "'"); !st.ok()) return {st};
  }
  PammsAssessment a;
  a.dps = ref.dps;
  std::vector<int> scores;
  int lowest = kMaxAssessmentScore;
  for (const auto& d : domains) {
    auto it = std::find_if(c.domains.begin(), c.domains.end(), [&](const StandardScore& s) { return s.standard == d.code; });
    if (it == c.domains.end()) return {reject(Code::domain_not_scored, "domain '" + d.code + "' (" + d.name + ") is not scored")};
    a.domains.push_back({d.code, it->score * 100});
    scores.push_back(it->score * 100);
    lowest = std::min(lowest, it->score);
  }
  a.assessed_on = on;
  a.mean_x100 = mean_x100(scores);
  a.rating = pamms_rating(a.mean_x100, lowest, dps_[ref.dps].assessment.rating);
  a.evidence = c.evidence;
  a.assessed_by = c.officer;
  a.at = now_;
  const PammsRating rating = a.rating;
  // The location's input is its newest-dated assessment's rating (a later record of the same date wins).
  bool newest = true;
  for (const PammsAssessment& earlier : l.pamms_assessments) newest = newest && earlier.assessed_on <= on;
  e.emit(PammsAssessed{ref.location, std::move(a)});
  const Reply numbered{Status{}, 0, false, l.pamms_assessments.size()};
  if (!newest) return numbered;
  QualityInputs q = l.quality;
  q.pamms = rating;
  if (q == l.quality) return numbered;
  e.emit(QualityInputsChanged{ref.location, std::move(q), c.officer,
                              "PAMMS assessment of " + format_date(on) + " (" + c.dps + "): " +
                                  std::string(to_string(rating)),
                              c.evidence, now_});
  return numbered;
}

void Market::apply_assessment(const SelfAssessmentSubmitted& e) {
  locations_[e.location].self_assessments.push_back(e.assessment);
}

void Market::apply_assessment(const SelfAssessmentValidated& e) {
  SelfAssessment& a = locations_[e.location].self_assessments[static_cast<std::size_t>(e.number - 1)];
  a.validated = true;
  a.changes = e.changes;
  a.validated_domains = e.domains;
  a.points = e.points;
  a.validated_by = e.by;
  a.validated_at = e.at;
}

void Market::apply_assessment(const PammsAssessed& e) { locations_[e.location].pamms_assessments.push_back(e.assessment); }

SelfAssessmentDue Market::self_assessment_due(LocationIndex loc, int dps) const {
  const Location& l = locations_[loc];
  const int period = dps_[dps].quality.self_assessment_due_days;
  SelfAssessmentDue due;
  for (std::size_t i = l.self_assessments.size(); i-- > 0;)
    if (l.self_assessments[i].dps == dps) {
      const SelfAssessment& a = l.self_assessments[i];
      due.last = static_cast<int>(i + 1);
      due.status = a.validated ? SelfAssessmentStatus::validated : SelfAssessmentStatus::submitted;
      if (period > 0) due.next_due = a.submitted_on + period;
      break;
    }
  if (due.last == 0 && period > 0)
    if (const Membership* m = l.membership_of(dps); m && m->applied_at != 0) due.next_due = london_date(m->applied_at) + period;
  due.overdue = due.next_due != 0 && today_ > due.next_due;
  return due;
}

}  // namespace carebroker::engine
