// Assessment cycles (issue 12 item 1), as rules of the market: a DPS's framework (PAMMS's five
// domains by default), the PAMMS rating rule and its cap, the mapping of a validated
// self-assessment to 0..100; a provider submits for its own admitted location only, scoring every
// standard 1..4; compliance validates with reasoned changes, and the result becomes the location's
// self-assessment input dated by the submission; a PAMMS assessment's rating becomes its PAMMS
// input; due dates and overdue across the due date; the history survives the journal and a
// snapshot.
#include <algorithm>

#include "engine/codec/event_codec.h"
#include "market_fixture.h"

using namespace carebroker::testing;

namespace {

/// Every standard of the default framework scored `score`, but those in `except` scored as given.
std::vector<StandardScore> every_standard(int score, std::vector<StandardScore> except = {}) {
  std::vector<StandardScore> out;
  for (const auto& d : default_assessment_domains())
    for (const auto& s : d.standards) {
      auto it = std::find_if(except.begin(), except.end(), [&](const StandardScore& e) { return e.standard == s.code; });
      out.push_back({s.code, it == except.end() ? score : it->score});
    }
  return out;
}

std::vector<StandardScore> every_domain(int score, std::vector<StandardScore> except = {}) {
  std::vector<StandardScore> out;
  for (const auto& d : default_assessment_domains()) {
    auto it = std::find_if(except.begin(), except.end(), [&](const StandardScore& e) { return e.standard == d.code; });
    out.push_back({d.code, it == except.end() ? score : it->score});
  }
  return out;
}

SubmitSelfAssessment submission(const std::string& location, std::vector<StandardScore> scores, std::string provider = {}) {
  return {provider.empty() ? "P-" + location : provider, location, "home-care", std::move(scores), "quarterly return",
          "rota system " + location};
}

ValidateSelfAssessment validation(const std::string& location, int number, std::vector<DomainScoreChange> changes = {}) {
  return {location, "home-care", number, std::move(changes), "compliance-1"};
}

RecordPammsAssessment pamms(const std::string& location, std::vector<StandardScore> domains, Date on = 0) {
  return {location, "home-care", std::move(domains), on, "PAMMS visit 2026-11", "compliance-2"};
}

/// A market with A and B admitted (no self-assessment yet), C applied but not admitted.
MarketFixture cycle_market() {
  MarketFixture f;
  LocationSpec a{"A"}, b{"B"};
  a.self_assessment = b.self_assessment = -1;
  a.pamms = b.pamms = PammsRating::none;
  f.admit(a);
  f.admit(b);
  f.must(RegisterProvider{"P-C", "P-C Ltd"});
  f.must(RegisterLocation{"C", "P-C", "C branch", "B13 9AA", "Birmingham"});
  f.must(ApplyToDps{"C", "home-care"});
  return f;
}

SelfAssessmentDue due(const MarketFixture& f, const std::string& id) {
  return f.market.self_assessment_due(*f.market.find_location(id), 0);
}

const QualityPart& self_part(const QualityScore& s) {
  for (const auto& p : s.parts)
    if (p.input == "self-assessment") return p;
  FAIL("no self-assessment part");
  throw;
}

}  // namespace

TEST_CASE("the default framework is PAMMS's five domains over sixteen standards", "[assessment]") {
  const auto& domains = default_assessment_domains();
  std::vector<std::string> names;
  std::size_t standards = 0;
  for (const auto& d : domains) {
    names.push_back(d.name);
    standards += d.standards.size();
  }
  CHECK(names == std::vector<std::string>{"Involvement & Information", "Personalised Care", "Safeguarding & Safety",
                                          "Staffing", "Quality of Management"});
  CHECK(standards == 16);
  CHECK(validate_framework(AssessmentFramework{domains, {}}).empty());
  // A DPS configured without a framework has the default one.
  MarketFixture f;
  CHECK(f.market.dps(0).assessment.domains.empty());
  CHECK(&domains_of(f.market.dps(0).assessment) == &default_assessment_domains());
}

TEST_CASE("the PAMMS rating: a mean of 3.5 is Excellent, 2.5 Good, 1.5 Requires improvement, less Poor", "[assessment]") {
  const PammsRatingRule rule;
  CHECK(pamms_rating(400, 4, rule) == PammsRating::excellent);
  CHECK(pamms_rating(350, 3, rule) == PammsRating::excellent);
  CHECK(pamms_rating(349, 2, rule) == PammsRating::good);
  CHECK(pamms_rating(250, 2, rule) == PammsRating::good);
  CHECK(pamms_rating(249, 2, rule) == PammsRating::requires_improvement);
  CHECK(pamms_rating(150, 2, rule) == PammsRating::requires_improvement);
  CHECK(pamms_rating(149, 1, rule) == PammsRating::poor);
  CHECK(pamms_rating(100, 1, rule) == PammsRating::poor);
  // The thresholds are the DPS's.
  const PammsRatingRule strict{375, 300, 200, true};
  CHECK(pamms_rating(350, 3, strict) == PammsRating::good);
  CHECK(pamms_rating(250, 2, strict) == PammsRating::requires_improvement);
  CHECK(pamms_rating(199, 2, strict) == PammsRating::poor);
}

TEST_CASE("any domain scored 1 caps the PAMMS rating at Requires improvement, unless the DPS turns the cap off", "[assessment]") {
  PammsRatingRule rule;
  CHECK(pamms_rating(340, 1, rule) == PammsRating::requires_improvement);  // {4, 4, 4, 4, 1}: 3.40, capped
  CHECK(pamms_rating(280, 1, rule) == PammsRating::requires_improvement);
  CHECK(pamms_rating(140, 1, rule) == PammsRating::poor);  // the cap never raises
  rule.domain_scored_1_caps = false;
  CHECK(pamms_rating(340, 1, rule) == PammsRating::good);
  CHECK(pamms_rating(360, 1, rule) == PammsRating::excellent);
}

TEST_CASE("a validated self-assessment counts (mean domain score - 1) / 3 x 100, rounded half up", "[assessment]") {
  CHECK(self_assessment_points(100) == 0);
  CHECK(self_assessment_points(400) == 100);
  CHECK(self_assessment_points(250) == 50);
  CHECK(self_assessment_points(300) == 67);  // 66.67
  CHECK(self_assessment_points(200) == 33);  // 33.33
  CHECK(self_assessment_points(350) == 83);  // 83.33
  CHECK(self_assessment_points(325) == 75);
  CHECK(mean_x100({300, 400}) == 350);
  CHECK(mean_x100({300, 300, 400}) == 333);
  CHECK(mean_x100({300, 400, 400}) == 367);
  CHECK(mean_x100({}) == 0);
}

TEST_CASE("a framework of a DPS's own is checked: unique codes, standards in every domain, thresholds in order", "[assessment][config]") {
  MarketFixture f;
  DpsConfig c = home_care_config();
  c.code = "mh";
  c.assessment.domains = {{"staffing", "Staffing", {{"recruitment", "Recruitment"}}},
                          {"staffing", "Staffing again", {{"training", "Training"}}}};
  expect_rejected(f, ConfigureDps{c}, Code::invalid_config);
  c.assessment.domains = {{"staffing", "Staffing", {{"recruitment", "Recruitment"}}},
                          {"management", "Management", {{"recruitment", "Recruitment again"}}}};
  expect_rejected(f, ConfigureDps{c}, Code::invalid_config);
  c.assessment.domains = {{"staffing", "Staffing", {}}};
  expect_rejected(f, ConfigureDps{c}, Code::invalid_config);
  c.assessment.domains = {{"staffing", "Staffing", {{"recruitment", "Recruitment"}}}};
  c.assessment.rating = {250, 350, 150, true};  // Good above Excellent
  expect_rejected(f, ConfigureDps{c}, Code::invalid_config);
  c.assessment.rating = {350, 250, 50, true};  // below a score of 1
  expect_rejected(f, ConfigureDps{c}, Code::invalid_config);
  c.assessment.rating = {};
  f.must(ConfigureDps{c});
  CHECK(f.market.dps(f.market.find_dps("mh")).assessment.domains.size() == 1);
}

TEST_CASE("a provider submits a self-assessment for its own admitted location only", "[assessment]") {
  MarketFixture f = cycle_market();
  expect_rejected(f, submission("A", every_standard(3), "P-B"), Code::location_not_of_provider);
  expect_rejected(f, submission("Z", every_standard(3)), Code::unknown_location);
  SubmitSelfAssessment other_dps = submission("A", every_standard(3));
  other_dps.dps = "nursing";
  expect_rejected(f, other_dps, Code::unknown_dps);
  expect_rejected(f, submission("C", every_standard(3)), Code::not_admitted);  // under assessment

  const Reply r = f.must(submission("A", every_standard(3)));
  CHECK(r.number == 1);
  REQUIRE(f.count<SelfAssessmentSubmitted>() == 1);
  const SelfAssessment& a = location(f, "A").self_assessments.at(0);
  CHECK(a.submitted_by == "rota system A");
  CHECK(a.submitted_on == f.market.today());
  CHECK(a.scores.size() == 16);
  CHECK_FALSE(a.validated);
  CHECK(due(f, "A").status == SelfAssessmentStatus::submitted);
  // Submitted is not yet validated: the score is unchanged.
  CHECK(location(f, "A").quality.self_assessment == -1);
  CHECK(f.must(submission("A", every_standard(2))).number == 2);
}

TEST_CASE("a self-assessment scores every standard of the framework 1..4, each once", "[assessment]") {
  MarketFixture f = cycle_market();
  std::vector<StandardScore> missing = every_standard(3);
  missing.erase(missing.begin() + 4);
  expect_rejected(f, submission("A", missing), Code::standard_not_scored);
  expect_rejected(f, submission("A", {}), Code::standard_not_scored);
  std::vector<StandardScore> unknown = every_standard(3);
  unknown.push_back({"cleanliness", 3});
  expect_rejected(f, submission("A", unknown), Code::unknown_standard);
  expect_rejected(f, submission("A", every_standard(3, {{"medication", 0}})), Code::invalid_assessment_score);
  expect_rejected(f, submission("A", every_standard(3, {{"medication", 5}})), Code::invalid_assessment_score);
  expect_rejected(f, submission("A", every_standard(3, {{"medication", -1}})), Code::invalid_assessment_score);
  std::vector<StandardScore> twice = every_standard(3);
  twice.push_back({"medication", 3});
  expect_rejected(f, submission("A", twice), Code::duplicate_assessment_item);
  SubmitSelfAssessment long_notes = submission("A", every_standard(3));
  long_notes.notes.assign(2001, 'x');
  expect_rejected(f, long_notes, Code::notes_too_long);
  f.must(submission("A", every_standard(1, {{"medication", 4}})));
}

TEST_CASE("validating a self-assessment that was never submitted, or twice, is refused", "[assessment]") {
  MarketFixture f = cycle_market();
  expect_rejected(f, validation("A", 1), Code::unknown_self_assessment);
  expect_rejected(f, validation("Z", 1), Code::unknown_location);
  f.must(submission("A", every_standard(3)));
  expect_rejected(f, validation("A", 2), Code::unknown_self_assessment);
  expect_rejected(f, validation("A", 0), Code::unknown_self_assessment);
  expect_rejected(f, validation("B", 1), Code::unknown_self_assessment);  // A's, not B's
  ValidateSelfAssessment unknown_dps = validation("A", 1);
  unknown_dps.dps = "nursing";
  expect_rejected(f, unknown_dps, Code::unknown_dps);
  f.must(validation("A", 1));
  expect_rejected(f, validation("A", 1), Code::self_assessment_already_validated);
}

TEST_CASE("a domain changed on validation needs a reason, a known domain and a score 1..4", "[assessment]") {
  MarketFixture f = cycle_market();
  f.must(submission("A", every_standard(3)));
  expect_rejected(f, validation("A", 1, {{"staffing", 2, ""}}), Code::reason_required);
  expect_rejected(f, validation("A", 1, {{"catering", 2, "no such domain"}}), Code::unknown_assessment_domain);
  expect_rejected(f, validation("A", 1, {{"staffing", 5, "too high"}}), Code::invalid_assessment_score);
  expect_rejected(f, validation("A", 1, {{"staffing", 0, "too low"}}), Code::invalid_assessment_score);
  expect_rejected(f, validation("A", 1, {{"staffing", 2, "missed calls"}, {"staffing", 1, "again"}}),
                  Code::duplicate_assessment_item);
  f.must(validation("A", 1, {{"staffing", 2, "missed calls in the November audit"}}));
  const SelfAssessment& a = location(f, "A").self_assessments.at(0);
  REQUIRE(a.changes.size() == 1);
  CHECK(a.changes[0] == DomainChange{"staffing", 300, 200, "missed calls in the November audit"});
}

TEST_CASE("a validated self-assessment becomes the location's input, dated by its submission, with an early-warning entry",
          "[assessment]") {
  MarketFixture f = cycle_market();
  // Staffing's three standards 4, 4, 2: its domain score is 3.33; every other standard 3.
  f.must(submission("A", every_standard(3, {{"recruitment", 4}, {"training_supervision", 4}, {"staffing_levels", 2}})));
  const Date submitted = f.market.today();
  const SelfAssessment& s = location(f, "A").self_assessments.at(0);
  CHECK(s.domains[3] == DomainScore{"staffing", 333});
  f.advance(10 * kDay);
  // Quality of Management lowered to 2: domains 3, 3, 3, 3.33, 2 → mean 2.87 → (1.87 / 3) × 100 = 62.
  f.must(validation("A", 1, {{"quality_management", 2, "no registered manager since October"}}));
  const Location& a = location(f, "A");
  CHECK(a.self_assessments[0].points == 62);
  CHECK(a.quality.self_assessment == 62);
  CHECK(a.quality.self_assessment_on == submitted);  // the next is due a period after the submission
  REQUIRE(!a.quality_entries.empty());
  const QualityEntry& entry = a.quality_entries.back();
  CHECK(entry.by == "compliance-1");
  CHECK(entry.reason == "self-assessment 1 validated (home-care)");
  CHECK(entry.changes == std::vector<InputChange>{{"self_assessment", "", "62"}});
  CHECK(self_part(f.market.quality_of(*f.market.find_location("A"), 0)).points == 62);
  CHECK(due(f, "A").status == SelfAssessmentStatus::validated);
  CHECK(due(f, "A").next_due == submitted + 91);
}

TEST_CASE("validating an older self-assessment after a later one leaves the input with the later", "[assessment]") {
  MarketFixture f = cycle_market();
  f.must(submission("A", every_standard(2)));
  f.advance(5 * kDay);
  f.must(submission("A", every_standard(4)));
  f.must(validation("A", 2));
  CHECK(location(f, "A").quality.self_assessment == 100);
  f.must(validation("A", 1));
  CHECK(location(f, "A").self_assessments[0].points == 33);
  CHECK(location(f, "A").quality.self_assessment == 100);
  CHECK(location(f, "A").quality.self_assessment_on == f.market.today());
}

TEST_CASE("not submitting is provisional 50 until the first due date, then overdue and 0", "[assessment][overdue]") {
  MarketFixture f = cycle_market();
  const Date applied = f.market.today();
  const LocationIndex a = *f.market.find_location("A");
  CHECK(due(f, "A").next_due == applied + 91);
  CHECK_FALSE(due(f, "A").overdue);
  CHECK(self_part(f.market.quality_of(a, 0)).points == 50);
  CHECK(self_part(f.market.quality_of(a, 0)).missing);

  f.must(Tick{london_to_utc(applied + 91, 12 * kMillisPerHour)});  // the due date itself
  CHECK_FALSE(due(f, "A").overdue);
  CHECK(self_part(f.market.quality_of(a, 0)).points == 50);

  f.must(Tick{london_to_utc(applied + 92, 9 * kMillisPerHour)});  // the day after: overdue
  CHECK(due(f, "A").overdue);
  CHECK(due(f, "A").status == SelfAssessmentStatus::not_submitted);
  CHECK(self_part(f.market.quality_of(a, 0)).points == 0);
  CHECK(self_part(f.market.quality_of(a, 0)).rating == "overdue");

  // Submitted and validated: counted, and due again a period after the submission.
  f.must(submission("A", every_standard(3)));
  f.must(validation("A", 1));
  CHECK_FALSE(due(f, "A").overdue);
  CHECK(due(f, "A").next_due == applied + 92 + 91);
  CHECK(self_part(f.market.quality_of(a, 0)).points == 67);
  f.must(Tick{london_to_utc(applied + 92 + 92, 9 * kMillisPerHour)});
  CHECK(due(f, "A").overdue);
  CHECK(due(f, "A").status == SelfAssessmentStatus::validated);
  CHECK(self_part(f.market.quality_of(a, 0)).points == 0);
}

TEST_CASE("a PAMMS assessment is rated by the DPS's rule and becomes the location's PAMMS input, history kept",
          "[assessment][pamms]") {
  MarketFixture f = cycle_market();
  const Reply first = f.must(pamms("A", every_domain(4)));
  CHECK(first.number == 1);
  const Location& a = location(f, "A");
  CHECK(a.pamms_assessments.at(0).rating == PammsRating::excellent);
  CHECK(a.pamms_assessments.at(0).assessed_on == f.market.today());
  CHECK(a.quality.pamms == PammsRating::excellent);
  CHECK(a.quality_entries.back().by == "compliance-2");
  CHECK(a.quality_entries.back().evidence == "PAMMS visit 2026-11");

  f.advance(3 * kDay);
  // 4, 4, 4, 4, 1: a mean of 3.40, capped at Requires improvement; the location turns Amber.
  const int rag_changes = f.count<RagChanged>();
  f.must(pamms("A", every_domain(4, {{"safeguarding_safety", 1}})));
  CHECK(a.pamms_assessments.at(1).mean_x100 == 340);
  CHECK(a.pamms_assessments.at(1).rating == PammsRating::requires_improvement);
  CHECK(a.quality.pamms == PammsRating::requires_improvement);
  CHECK(f.count<RagChanged>() == rag_changes + 1);
  CHECK(f.market.risk_of(*f.market.find_location("A"), 0).rag == Rag::amber);

  // An assessment dated before the newest is history only.
  f.must(pamms("A", every_domain(1), f.market.today() - 2));
  CHECK(a.pamms_assessments.size() == 3);
  CHECK(a.pamms_assessments.at(2).rating == PammsRating::poor);
  CHECK(a.quality.pamms == PammsRating::requires_improvement);
}

TEST_CASE("a PAMMS assessment scores every domain 1..4, once, dated no later than today", "[assessment][pamms]") {
  MarketFixture f = cycle_market();
  expect_rejected(f, pamms("Z", every_domain(3)), Code::unknown_location);
  RecordPammsAssessment other = pamms("A", every_domain(3));
  other.dps = "nursing";
  expect_rejected(f, other, Code::unknown_dps);
  f.must(RegisterProvider{"P-D", "P-D Ltd"});
  f.must(RegisterLocation{"D", "P-D", "D branch", "B13 9AA", "Birmingham"});
  expect_rejected(f, pamms("D", every_domain(3)), Code::not_applied);
  std::vector<StandardScore> missing = every_domain(3);
  missing.pop_back();
  expect_rejected(f, pamms("A", missing), Code::domain_not_scored);
  std::vector<StandardScore> unknown = every_domain(3);
  unknown.push_back({"catering", 3});
  expect_rejected(f, pamms("A", unknown), Code::unknown_assessment_domain);
  std::vector<StandardScore> twice = every_domain(3);
  twice.push_back({"staffing", 2});
  expect_rejected(f, pamms("A", twice), Code::duplicate_assessment_item);
  expect_rejected(f, pamms("A", every_domain(3, {{"staffing", 5}})), Code::invalid_assessment_score);
  expect_rejected(f, pamms("A", every_domain(0)), Code::invalid_assessment_score);
  expect_rejected(f, pamms("A", every_domain(3), f.market.today() + 1), Code::assessment_date_in_future);
  expect_rejected(f, pamms("A", every_domain(3), f.market.today() - 1), Code::entry_before_registration);
  RecordPammsAssessment long_evidence = pamms("A", every_domain(3));
  long_evidence.evidence.assign(101, 'x');
  expect_rejected(f, long_evidence, Code::evidence_too_long);
  f.must(pamms("C", every_domain(3)));  // under assessment: the council may assess it
}

TEST_CASE("assessment history survives the journal's codec, replay and a snapshot", "[assessment][replay]") {
  MarketFixture f = cycle_market();
  f.must(submission("A", every_standard(3, {{"medication", 1}})));
  f.advance(2 * kDay);
  f.must(validation("A", 1, {{"personalised_care", 3, "medication errors corrected at the visit"}}));
  f.must(submission("B", every_standard(4)));
  f.must(pamms("A", every_domain(3, {{"staffing", 2}})));
  const std::string bytes = carebroker::codec::encode_batch(1, f.events);
  const auto decoded = carebroker::codec::decode_batch(bytes);
  REQUIRE(decoded.ok());
  REQUIRE(decoded.events == f.events);
  Market replayed;
  for (const Event& e : decoded.events) replayed.apply(e);
  CHECK(replayed.digest() == f.market.digest());
  const Location& a = location(f, "A");
  const Location& b = replayed.location(*replayed.find_location("A"));
  CHECK(b.self_assessments == a.self_assessments);
  CHECK(b.pamms_assessments == a.pamms_assessments);
  CHECK(b.quality == a.quality);

  Market restored;
  REQUIRE(restored.load_snapshot(f.market.save_snapshot()).ok());
  CHECK(restored.digest() == f.market.digest());
  CHECK(restored.location(*restored.find_location("A")).self_assessments == a.self_assessments);
  CHECK(restored.location(*restored.find_location("B")).self_assessments.size() == 1);
  CHECK(restored.self_assessment_due(*restored.find_location("B"), 0) == due(f, "B"));
}
