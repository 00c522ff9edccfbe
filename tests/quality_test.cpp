// The composite quality score (40% PAMMS + 40% CQC + 20% self-assessment by default) and the
// Green/Amber/Red early-warning rating, with their explanations and the officer's inputs.
#include <algorithm>
#include <random>

#include "market_fixture.h"

using namespace carebroker::testing;

namespace {

QualityInputs inputs(PammsRating pamms, CqcRating cqc, int self) {
  QualityInputs q;
  q.pamms = pamms;
  q.cqc = cqc;
  q.self_assessment = self;
  return q;
}

RiskRating rate(const QualityInputs& q, bool administration = false, UtcMillis now = kMonday9am) {
  return risk_rating(q, administration, RiskPolicy{}, now);
}

bool mentions(const RiskRating& r, std::string_view text) {
  return std::any_of(r.reasons.begin(), r.reasons.end(),
                     [&](const std::string& s) { return s.find(text) != std::string::npos; });
}

}  // namespace

// ---- the quality score ----

TEST_CASE("quality is 40% PAMMS + 40% CQC + 20% self-assessment by default", "[quality]") {
  const QualityPolicy p;
  CHECK(quality_score(inputs(PammsRating::good, CqcRating::good, 75), p).score == Approx(75.0));
  // 0.4×100 + 0.4×100 + 0.2×90
  CHECK(quality_score(inputs(PammsRating::excellent, CqcRating::outstanding, 90), p).score ==
        Approx(98.0));
  // 0.4×40 + 0.4×0 + 0.2×60
  CHECK(quality_score(inputs(PammsRating::requires_improvement, CqcRating::inadequate, 60), p)
            .score == Approx(28.0));
  // 0.4×0 + 0.4×40 + 0.2×100
  CHECK(quality_score(inputs(PammsRating::poor, CqcRating::requires_improvement, 100), p).score ==
        Approx(36.0));
  // 0.4×75 + 0.4×100 + 0.2×0: a submitted zero is a zero, not a missing input
  const QualityScore zero_self = quality_score(inputs(PammsRating::good, CqcRating::outstanding, 0), p);
  CHECK(zero_self.score == Approx(70.0));
  CHECK_FALSE(zero_self.provisional);
}

TEST_CASE("a missing input scores a neutral 50 and makes the score provisional", "[quality]") {
  const QualityPolicy p;
  const QualityScore no_cqc = quality_score(inputs(PammsRating::good, CqcRating::none, 80), p);
  CHECK(no_cqc.score == Approx(66.0));  // 0.4×75 + 0.4×50 + 0.2×80
  CHECK(no_cqc.provisional);
  REQUIRE(no_cqc.parts.size() == 3);
  CHECK(no_cqc.parts[1].input == "CQC");
  CHECK(no_cqc.parts[1].missing);
  CHECK(no_cqc.parts[1].points == 50);
  CHECK_FALSE(no_cqc.parts[0].missing);

  const QualityScore no_self = quality_score(inputs(PammsRating::excellent, CqcRating::good, -1), p);
  CHECK(no_self.score == Approx(80.0));  // 0.4×100 + 0.4×75 + 0.2×50
  CHECK(no_self.provisional);

  const QualityScore nothing = quality_score(QualityInputs{}, p);
  CHECK(nothing.score == Approx(50.0));
  CHECK(nothing.provisional);

  CHECK_FALSE(quality_score(inputs(PammsRating::good, CqcRating::good, 80), p).provisional);
}

TEST_CASE("the quality explanation shows the arithmetic", "[quality]") {
  const std::string text = quality_score(inputs(PammsRating::good, CqcRating::none, 80), QualityPolicy{}).explain();
  INFO(text);
  CHECK(text.find("0.40×PAMMS good 75") != std::string::npos);
  CHECK(text.find("0.40×CQC none 50") != std::string::npos);
  CHECK(text.find("0.20×self-assessment 80") != std::string::npos);
  CHECK(text.find("= 66.00") != std::string::npos);
  CHECK(text.find("provisional") != std::string::npos);
  CHECK(text == "quality = 0.40×PAMMS good 75 + 0.40×CQC none 50 (missing: neutral) + 0.20×self-assessment 80 = "
                "66.00 (provisional)");

  const std::string firm = quality_score(inputs(PammsRating::excellent, CqcRating::outstanding, 90), QualityPolicy{}).explain();
  INFO(firm);
  CHECK(firm.find("= 98.00") != std::string::npos);
  CHECK(firm.find("provisional") == std::string::npos);
}

TEST_CASE("a council's quality policy changes the weights and the rating points", "[quality]") {
  QualityPolicy p;
  p.pamms_weight_pct = 50;
  p.cqc_weight_pct = 30;
  p.self_assessment_weight_pct = 20;
  p.cqc_good = 80;
  p.neutral_points = 0;
  // 0.5×75 + 0.3×80 + 0.2×60
  CHECK(quality_score(inputs(PammsRating::good, CqcRating::good, 60), p).score == Approx(73.5));
  // A missing CQC now scores 0: 0.5×75 + 0.3×0 + 0.2×60
  const QualityScore missing = quality_score(inputs(PammsRating::good, CqcRating::none, 60), p);
  CHECK(missing.score == Approx(49.5));
  CHECK(missing.provisional);

  // An input with no weight does not make the score provisional when it is missing.
  QualityPolicy no_self;
  no_self.pamms_weight_pct = 50;
  no_self.cqc_weight_pct = 50;
  no_self.self_assessment_weight_pct = 0;
  const QualityScore s = quality_score(inputs(PammsRating::excellent, CqcRating::good, -1), no_self);
  CHECK(s.score == Approx(87.5));
  CHECK_FALSE(s.provisional);
}

TEST_CASE("the market scores a location with its DPS's quality policy", "[quality]") {
  DpsConfig c = home_care_config();
  c.quality.pamms_weight_pct = 20;
  c.quality.cqc_weight_pct = 60;
  c.quality.self_assessment_weight_pct = 20;
  MarketFixture f(c);
  f.admit({"A", "tier1", {"south"}, {"older_people"}, CqcRating::outstanding, PammsRating::requires_improvement, 50});
  const LocationIndex a = *f.market.find_location("A");
  CHECK(f.market.quality_of(a, 0).score == Approx(78.0));  // 0.2×40 + 0.6×100 + 0.2×50
  f.must(ConfigureDps{home_care_config()});
  CHECK(f.market.quality_of(a, 0).score == Approx(66.0));  // 0.4×40 + 0.4×100 + 0.2×50
}

// ---- the early-warning rating ----

TEST_CASE("a service with nothing against it is Green with no reasons", "[risk]") {
  const RiskRating r = rate(inputs(PammsRating::good, CqcRating::good, 70));
  CHECK(r.rag == Rag::green);
  CHECK(r.reasons.empty());
  CHECK(rate(QualityInputs{}).rag == Rag::green);  // unrated is a normal state, not a risk
}

TEST_CASE("each Red trigger on its own makes a service Red and says why", "[risk]") {
  QualityInputs base = inputs(PammsRating::good, CqcRating::good, 70);
  auto red_with = [&](auto change, std::string_view reason, bool administration = false) {
    QualityInputs q = base;
    change(q);
    const RiskRating r = rate(q, administration);
    INFO(reason);
    CHECK(r.rag == Rag::red);
    CHECK(mentions(r, reason));
  };
  red_with([](QualityInputs& q) { q.cqc = CqcRating::inadequate; }, "inadequate");
  red_with([](QualityInputs& q) { q.pamms = PammsRating::poor; }, "poor");
  red_with([](QualityInputs& q) { q.embargo = true; q.embargo_reason = "safeguarding"; }, "embargo");
  red_with([](QualityInputs&) {}, "administration", true);
  red_with([](QualityInputs& q) { q.default_notice = true; }, "default notice");
  red_with([](QualityInputs& q) { q.unexpected_deaths_under_investigation = 1; }, "death");
}

TEST_CASE("each Amber trigger on its own makes a service Amber and says why", "[risk]") {
  QualityInputs base = inputs(PammsRating::good, CqcRating::good, 70);
  auto amber_with = [&](auto change, std::string_view reason) {
    QualityInputs q = base;
    change(q);
    const RiskRating r = rate(q);
    INFO(reason);
    CHECK(r.rag == Rag::amber);
    CHECK(mentions(r, reason));
  };
  amber_with([](QualityInputs& q) { q.cqc = CqcRating::requires_improvement; }, "CQC");
  amber_with([](QualityInputs& q) { q.pamms = PammsRating::requires_improvement; }, "PAMMS");
  amber_with([](QualityInputs& q) { q.fsa = FsaRating::r0; }, "FSA");
  amber_with([](QualityInputs& q) { q.fsa = FsaRating::r1; }, "FSA");
  amber_with([](QualityInputs& q) { q.fsa = FsaRating::r2; }, "FSA");
  amber_with([](QualityInputs& q) { q.safeguarding_decisions = {kMonday9am - kDay, kMonday9am}; },
             "safeguarding");
  amber_with([](QualityInputs& q) { q.substantiated_concerns = {kMonday9am - 30 * kDay, kMonday9am}; },
             "concerns");
  amber_with([](QualityInputs& q) { q.registered_manager_vacancy = true; }, "manager");
}

TEST_CASE("FSA 3 to 5, awaiting and not applicable are no concern", "[risk]") {
  for (FsaRating fsa : {FsaRating::not_applicable, FsaRating::r3, FsaRating::r4, FsaRating::r5,
                        FsaRating::awaiting}) {
    QualityInputs q = inputs(PammsRating::good, CqcRating::good, 70);
    q.fsa = fsa;
    INFO(to_string(fsa));
    CHECK(rate(q).rag == Rag::green);
  }
}

TEST_CASE("one safeguarding decision, or two more than 90 days apart, is not Amber", "[risk]") {
  const UtcMillis day0 = kMonday9am;
  QualityInputs q = inputs(PammsRating::good, CqcRating::good, 70);
  q.safeguarding_decisions = {day0};
  CHECK(rate(q, false, day0).rag == Rag::green);

  q.safeguarding_decisions = {day0, day0 + 91 * kDay};
  CHECK(rate(q, false, day0 + 91 * kDay).rag == Rag::green);
  CHECK(rate(q, false, day0 + 120 * kDay).rag == Rag::green);

  q.safeguarding_decisions = {day0, day0 + 50 * kDay};
  CHECK(rate(q, false, day0 + 50 * kDay).rag == Rag::amber);
  CHECK(rate(q, false, day0 + 91 * kDay).rag == Rag::green);  // the first has aged out

  RiskPolicy strict;
  strict.amber_safeguarding_decisions = 1;
  q.safeguarding_decisions = {day0};
  CHECK(risk_rating(q, false, strict, day0).rag == Rag::amber);
  RiskPolicy short_memory;
  short_memory.lookback_days = 30;
  q.safeguarding_decisions = {day0, day0 + 20 * kDay};
  CHECK(risk_rating(q, false, short_memory, day0 + 20 * kDay).rag == Rag::amber);
  CHECK(risk_rating(q, false, short_memory, day0 + 31 * kDay).rag == Rag::green);
  CHECK(rate(q, false, day0 + 31 * kDay).rag == Rag::amber);  // still within the default 90 days
}

TEST_CASE("Red outranks Amber and the reasons list both", "[risk]") {
  QualityInputs q = inputs(PammsRating::requires_improvement, CqcRating::inadequate, 70);
  q.registered_manager_vacancy = true;
  const RiskRating r = rate(q);
  CHECK(r.rag == Rag::red);
  CHECK(r.reasons.size() == 3);
  CHECK(mentions(r, "CQC rating inadequate"));
  CHECK(mentions(r, "PAMMS rating requires improvement"));
  CHECK(mentions(r, "registered manager vacancy"));
}

TEST_CASE("safeguarding decisions recorded through the market age out of the 90-day window",
          "[risk]") {
  MarketFixture f;
  f.admit({"A"});
  const LocationIndex a = *f.market.find_location("A");
  UpdateQualityInputs one;
  one.location = "A";
  one.record_safeguarding_decisions = 1;
  one.reason = "safeguarding strategy meeting";
  f.must(one);
  CHECK(f.market.risk_of(a, 0).rag == Rag::green);
  f.advance(91 * kDay);
  f.must(one);
  CHECK(f.market.risk_of(a, 0).rag == Rag::green);  // day 0 and day 91
  f.advance(kDay);
  f.must(one);
  const RiskRating r = f.market.risk_of(a, 0);
  CHECK(r.rag == Rag::amber);
  CHECK(mentions(r, "2 safeguarding decisions in 90 days"));
}

TEST_CASE("a provider in administration makes every one of its locations Red", "[risk]") {
  MarketFixture f;
  for (const char* id : {"A", "B"}) {
    LocationSpec s{id};
    s.provider = "P-shared";
    f.admit(s);
  }
  f.admit({"C"});
  f.must(SetProviderStatus{"P-shared", true, false, "administrators appointed"});
  CHECK(f.market.risk_of(*f.market.find_location("A"), 0).rag == Rag::red);
  CHECK(f.market.risk_of(*f.market.find_location("B"), 0).rag == Rag::red);
  CHECK(f.market.risk_of(*f.market.find_location("C"), 0).rag == Rag::green);
}

TEST_CASE("the broadcast's quick risk level agrees with the explained rating", "[risk]") {
  std::mt19937 rng(90);
  auto roll = [&](int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng); };
  const UtcMillis now = kMonday9am + 400 * kDay;
  for (int i = 0; i < 2000; ++i) {
    QualityInputs q;
    q.cqc = static_cast<CqcRating>(roll(5));
    q.pamms = static_cast<PammsRating>(roll(5));
    q.fsa = static_cast<FsaRating>(roll(8));
    q.embargo = roll(20) == 0;
    q.default_notice = roll(20) == 0;
    q.unexpected_deaths_under_investigation = roll(30) == 0 ? 1 : 0;
    q.registered_manager_vacancy = roll(10) == 0;
    for (int n = roll(4); n > 0; --n) q.safeguarding_decisions.push_back(now - roll(200) * kDay);
    for (int n = roll(4); n > 0; --n) q.substantiated_concerns.push_back(now - roll(200) * kDay);
    const bool administration = roll(20) == 0;
    auto recent = [&](const std::vector<UtcMillis>& when) {
      return std::count_if(when.begin(), when.end(), [&](UtcMillis t) { return t >= now - 90 * kDay; });
    };
    const bool red = q.cqc == CqcRating::inadequate || q.pamms == PammsRating::poor || q.embargo ||
                     administration || q.default_notice || q.unexpected_deaths_under_investigation > 0;
    const bool amber = q.cqc == CqcRating::requires_improvement ||
                       q.pamms == PammsRating::requires_improvement || q.fsa == FsaRating::r0 ||
                       q.fsa == FsaRating::r1 || q.fsa == FsaRating::r2 ||
                       recent(q.safeguarding_decisions) >= 2 || recent(q.substantiated_concerns) >= 2 ||
                       q.registered_manager_vacancy;
    const Rag expected = red ? Rag::red : amber ? Rag::amber : Rag::green;
    const RiskRating full = risk_rating(q, administration, RiskPolicy{}, now);
    INFO("case " << i);
    REQUIRE(full.rag == expected);
    REQUIRE(risk_level(q, administration, RiskPolicy{}, now) == expected);
    REQUIRE(full.reasons.empty() == (expected == Rag::green));
  }
}

// ---- officers' inputs ----

TEST_CASE("quality inputs outside their ranges are refused and change nothing", "[quality]") {
  MarketFixture f;
  f.admit({"A"});
  const LocationIndex a = *f.market.find_location("A");
  const QualityInputs before = f.market.location(a).quality;
  const std::size_t events = f.events.size();
  auto refused = [&](UpdateQualityInputs q, Code code) {
    q.location = q.location.empty() ? "A" : q.location;
    const Reply r = f.run(q);
    CHECK(r.status.code == code);
    CHECK_FALSE(r.status.detail.empty());
    return r.status.detail;
  };
  UpdateQualityInputs q;
  q.self_assessment = 101;
  CHECK(refused(q, Code::invalid_quality_input).find("0..100") != std::string::npos);
  q.self_assessment = -2;
  refused(q, Code::invalid_quality_input);
  q = {};
  q.unexpected_deaths_under_investigation = -1;
  CHECK(refused(q, Code::invalid_quality_input).find("negative") != std::string::npos);
  q = {};
  q.record_safeguarding_decisions = -1;
  refused(q, Code::invalid_quality_input);
  q = {};
  q.embargo = true;
  CHECK(refused(q, Code::reason_required).find("embargo") != std::string::npos);
  q = {};
  q.location = "nowhere";
  q.cqc = CqcRating::good;
  CHECK(refused(q, Code::unknown_location).find("nowhere") != std::string::npos);
  CHECK(f.market.location(a).quality == before);
  CHECK(f.events.size() == events);
}

TEST_CASE("quality inputs are a patch: unset fields stay, -1 clears the self-assessment",
          "[quality]") {
  MarketFixture f;
  f.admit({"A", "tier1", {"south"}, {"older_people"}, CqcRating::outstanding, PammsRating::good, 90});
  const LocationIndex a = *f.market.find_location("A");
  CHECK(f.market.quality_of(a, 0).score == Approx(88.0));  // 0.4×75 + 0.4×100 + 0.2×90
  UpdateQualityInputs fsa;
  fsa.location = "A";
  fsa.fsa = FsaRating::r5;
  f.must(fsa);
  CHECK(f.market.location(a).quality.cqc == CqcRating::outstanding);
  CHECK(f.market.quality_of(a, 0).score == Approx(88.0));
  UpdateQualityInputs clear;
  clear.location = "A";
  clear.self_assessment = -1;
  f.must(clear);
  const QualityScore s = f.market.quality_of(a, 0);
  CHECK(s.score == Approx(80.0));  // self-assessment back to neutral 50
  CHECK(s.provisional);
  UpdateQualityInputs lift;
  lift.location = "A";
  lift.embargo = false;  // lifting an embargo needs no reason
  CHECK(f.run(lift).ok());
}

// Self-assessments are due every 91 days by default (QualityPolicy::self_assessment_due_days),
// the first within 91 days of applying to the DPS. Not yet submitted, it counts a provisional
// neutral 50 until the first is due; once overdue it counts 0 — so not submitting never beats
// submitting a low score.
TEST_CASE("an overdue self-assessment counts 0, one not yet due counts as submitted, or neutral before the first",
          "[quality]") {
  MarketFixture f;
  f.admit({.id = "S", .self_assessment = 80});  // good, good, 80 submitted today
  f.admit({.id = "N", .self_assessment = -1});  // good, good, none yet
  const auto score = [&](const char* id) { return f.market.quality_of(*f.market.find_location(id), 0); };
  CHECK(score("S").score == Approx(0.4 * 75 + 0.4 * 75 + 0.2 * 80));
  CHECK_FALSE(score("S").provisional);
  CHECK(score("N").score == Approx(0.4 * 75 + 0.4 * 75 + 0.2 * 50));
  CHECK(score("N").provisional);

  f.advance(91 * kMillisPerDay);  // the 91st day: still in time
  CHECK(score("S").score == Approx(76.0));
  CHECK(score("N").score == Approx(70.0));
  f.advance(kMillisPerDay);  // overdue
  CHECK(score("S").score == Approx(60.0));
  CHECK(score("N").score == Approx(60.0));
  CHECK_FALSE(score("N").provisional);  // a firm 0, not a missing input
  CHECK(score("N").explain().find("self-assessment overdue 0") != std::string::npos);

  // Submitting a low score beats not submitting; a new submission is due 91 days on.
  UpdateQualityInputs low;
  low.location = "N";
  low.self_assessment = 10;
  f.must(low);
  CHECK(score("N").score == Approx(62.0));
  CHECK(score("N").score > score("S").score);
}

TEST_CASE("a DPS may set self-assessments never overdue (0 days)", "[quality]") {
  DpsConfig config = home_care_config();
  config.quality.self_assessment_due_days = 0;
  MarketFixture f(config);
  f.admit({.id = "N", .self_assessment = -1});
  f.advance(400 * kMillisPerDay);
  const QualityScore s = f.market.quality_of(*f.market.find_location("N"), 0);
  CHECK(s.score == Approx(70.0));
  CHECK(s.provisional);
  CHECK(validate_config(config, f.market.categories()).empty());
  config.quality.self_assessment_due_days = 400;
  CHECK(validate_config(config, f.market.categories()).find("self_assessment_due_days") != std::string::npos);
}
