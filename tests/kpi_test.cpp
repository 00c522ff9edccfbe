// KPIs (issue 12 item 4), as rules of the market: a DPS's KPI set (the seed's four for home
// care, "I and We" outcome measures for supported living, or the DPS's own); a provider returns a
// quarter's KPIs for its own admitted location, every KPI once as a percentage 0..100, for a
// quarter written like 2026-Q3 that has begun; a later return for the quarter amends it; a KPI
// meets when its value reaches the target, and compliance is the share met; returns fall due a
// configured time after the quarter and are overdue after; KPI compliance is an optional input
// of the quality score; every change of a score's input advances its version, and a package's
// ranking keeps the version in force when its window closed.
#include <algorithm>

#include "engine/codec/event_codec.h"
#include "market_fixture.h"

using namespace carebroker::testing;

namespace {

/// The home-care KPIs: assistive technology, strengths-based training, qualifications, Care
/// Certificate — as given, in hundredths of a percent.
std::vector<KpiValue> home_care_values(int at, int sba, int quals, int cert) {
  return {{"assistive_technology", at}, {"strengths_based_training", sba}, {"qualifications", quals}, {"care_certificate", cert}};
}

SubmitKpiReturn kpi_return(const std::string& location, const std::string& quarter, std::vector<KpiValue> values,
                           std::string provider = {}) {
  return {provider.empty() ? "P-" + location : provider, location, "home-care", quarter, std::move(values),
          "from the rota system", "rota system " + location};
}

/// A market with A and B admitted, C applied but not admitted. Today is Monday 2026-11-23 (2026-Q4).
MarketFixture kpi_market(DpsConfig config = home_care_config()) {
  MarketFixture f(std::move(config));
  f.admit({"A"});
  f.admit({"B"});
  f.must(RegisterProvider{"P-C", "P-C Ltd"});
  f.must(RegisterLocation{"C", "P-C", "C branch", "B13 9AA", "Birmingham"});
  f.must(ApplyToDps{"C", "home-care"});
  return f;
}

LocationIndex index_of(const MarketFixture& f, const std::string& id) {
  const auto l = f.market.find_location(id);
  REQUIRE(l);
  return *l;
}

DpsConfig with_kpi_weight(int kpi, DpsConfig c = home_care_config()) {
  c.quality.pamms_weight_pct = 30;
  c.quality.cqc_weight_pct = 30;
  c.quality.self_assessment_weight_pct = 40 - kpi;
  c.quality.kpi_weight_pct = kpi;
  return c;
}

const QualityPart* kpi_part(const QualityScore& s) {
  for (const auto& p : s.parts)
    if (p.input == "KPIs") return &p;
  return nullptr;
}

}  // namespace

TEST_CASE("home care's default KPIs are the seed's four with its targets", "[kpi]") {
  const auto& kpis = default_home_care_kpis();
  std::vector<std::pair<std::string, int>> targets;
  for (const Kpi& k : kpis) targets.emplace_back(k.id, k.target_pct);
  CHECK(targets == std::vector<std::pair<std::string, int>>{
                       {"assistive_technology", 75}, {"strengths_based_training", 100}, {"qualifications", 100}, {"care_certificate", 100}});
  CHECK(kpis[0].kind == KpiKind::people);  // customers reviewed
  CHECK(kpis[3].kind == KpiKind::staff);   // care workers
  CHECK(validate_kpis(kpis).empty());
  MarketFixture f;
  CHECK(f.market.dps(0).kpis.empty());
  CHECK(&kpis_of(f.market.dps(0)) == &default_home_care_kpis());
}

TEST_CASE("a DPS buying supported living defaults to I and We outcome measures, each a share of people agreeing", "[kpi]") {
  DpsConfig c = home_care_config();
  c.code = "ld-supported-living";
  c.lots = {Lot{"supported-living", "Supported living", Unit::hours, 2000, 5000, 3214}};
  CHECK(buys_supported_living(c));
  CHECK(&kpis_of(c) == &default_supported_living_kpis());
  for (const Kpi& k : kpis_of(c)) {
    CHECK(k.kind == KpiKind::people);
    CHECK(k.name.rfind("I ", 0) == 0);  // an "I" statement
    CHECK(k.target_pct > 0);
  }
  c.lots = {Lot{"sl", "Supported Living", Unit::places, 0, 0, 0}};  // said in the name
  CHECK(buys_supported_living(c));
  CHECK_FALSE(buys_supported_living(home_care_config()));
}

TEST_CASE("a DPS can set its own KPIs, and a bad set is refused as configuration", "[kpi]") {
  MarketFixture f;
  DpsConfig c = home_care_config();
  c.kpis = {{"visits_on_time", "Visits started within 15 minutes of the planned time", 95, KpiKind::people}};
  f.must(ConfigureDps{c});
  CHECK(kpis_of(f.market.dps(0)) == c.kpis);
  for (auto [kpi, why] : {std::pair{Kpi{"a", "A", 101, KpiKind::staff}, "target over 100"},
                          std::pair{Kpi{"a", "A", -1, KpiKind::staff}, "negative target"},
                          std::pair{Kpi{"", "A", 50, KpiKind::staff}, "no id"},
                          std::pair{Kpi{"a", "", 50, KpiKind::staff}, "no name"}}) {
    INFO(why);
    DpsConfig bad = home_care_config();
    bad.kpis = {kpi};
    expect_rejected(f, ConfigureDps{bad}, Code::invalid_config);
  }
  DpsConfig twice = home_care_config();
  twice.kpis = {{"a", "A", 50, KpiKind::staff}, {"a", "A again", 60, KpiKind::staff}};
  expect_rejected(f, ConfigureDps{twice}, Code::invalid_config);
}

TEST_CASE("quarters are written YYYY-Qn and run January-March, April-June, July-September, October-December", "[kpi]") {
  const Quarter q3 = *parse_quarter("2026-Q3");
  CHECK(format_quarter(q3) == "2026-Q3");
  CHECK(*parse_quarter("2026-Q4") == q3 + 1);
  CHECK(*parse_quarter("2027-Q1") == q3 + 2);
  CHECK(format_date(quarter_first_day(q3)) == "2026-07-01");
  CHECK(format_date(quarter_last_day(q3)) == "2026-09-30");
  CHECK(format_date(quarter_last_day(*parse_quarter("2024-Q1"))) == "2024-03-31");
  CHECK(quarter_of(*parse_date("2026-09-30")) == q3);
  CHECK(quarter_of(*parse_date("2026-10-01")) == q3 + 1);
  for (const char* bad : {"", "2026-Q0", "2026-Q5", "2026Q3", "2026-q3", "26-Q3", "2026-Q3 ", "1999-Q4", "2200-Q1", "abcd-Q1"}) {
    INFO(bad);
    CHECK_FALSE(parse_quarter(bad));
  }
}

TEST_CASE("a KPI meets when its value reaches the target, and compliance is the share of KPIs met", "[kpi]") {
  KpiReturn r;
  r.kpis = default_home_care_kpis();
  r.values = home_care_values(7500, 10000, 5400, 7900);  // 75% meets 75; 54% and 79% miss 100
  KpiCompliance c = kpi_compliance(r);
  CHECK(c.met == 2);
  CHECK(c.compliance_x100 == 5000);
  CHECK(c.results[0].met);
  CHECK_FALSE(c.results[2].met);
  r.values = home_care_values(7499, 10000, 10000, 10000);  // 74.99% misses 75
  CHECK(kpi_compliance(r).compliance_x100 == 7500);
  CHECK(kpi_points(kpi_compliance(r)) == 75);
  r.kpis.pop_back();  // three KPIs, two met: 66.67%, 67 points
  r.values = home_care_values(7200, 10000, 10000, 0);
  CHECK(kpi_compliance(r).compliance_x100 == 6667);
  CHECK(kpi_points(kpi_compliance(r)) == 67);
}

TEST_CASE("a provider returns its own admitted location's KPIs for a quarter, every KPI once", "[kpi]") {
  MarketFixture f = kpi_market();
  const Reply r = f.must(kpi_return("A", "2026-Q3", home_care_values(7200, 8100, 5400, 7900)));
  CHECK(r.number == 1);
  const Location& a = location(f, "A");
  REQUIRE(a.kpi_returns.size() == 1);
  const KpiReturn& k = a.kpi_returns[0];
  CHECK(format_quarter(k.quarter) == "2026-Q3");
  CHECK(k.kpis == default_home_care_kpis());  // judged against the targets as submitted
  CHECK(k.submitted_by == "rota system A");
  CHECK(k.amends == 0);
  CHECK(std::holds_alternative<KpiReturnSubmitted>(f.events.back()));
  // The current quarter may be returned early (and amended later).
  f.must(kpi_return("A", "2026-Q4", home_care_values(8000, 10000, 10000, 10000)));
}

TEST_CASE("a KPI return is refused with its code: another's location, not admitted, bad quarter, bad values",
          "[kpi]") {
  MarketFixture f = kpi_market();
  const auto good = home_care_values(7200, 8100, 5400, 7900);
  expect_rejected(f, kpi_return("A", "2026-Q3", good, "P-B"), Code::location_not_of_provider);
  expect_rejected(f, kpi_return("Z", "2026-Q3", good), Code::unknown_location);
  SubmitKpiReturn other_dps = kpi_return("A", "2026-Q3", good);
  other_dps.dps = "nursing";
  expect_rejected(f, other_dps, Code::unknown_dps);
  expect_rejected(f, kpi_return("C", "2026-Q3", good), Code::not_admitted);
  expect_rejected(f, kpi_return("A", "2026-Q5", good), Code::invalid_quarter);
  expect_rejected(f, kpi_return("A", "Q3 2026", good), Code::invalid_quarter);
  expect_rejected(f, kpi_return("A", "2027-Q1", good), Code::quarter_in_future);
  expect_rejected(f, kpi_return("A", "2026-Q3", home_care_values(-1, 8100, 5400, 7900)), Code::invalid_kpi_value);
  expect_rejected(f, kpi_return("A", "2026-Q3", home_care_values(7200, 10001, 5400, 7900)), Code::invalid_kpi_value);
  auto unknown = good;
  unknown.push_back({"visits_on_time", 9000});
  expect_rejected(f, kpi_return("A", "2026-Q3", unknown), Code::unknown_kpi);
  auto missing = good;
  missing.pop_back();
  expect_rejected(f, kpi_return("A", "2026-Q3", missing), Code::kpi_not_reported);
  auto twice = good;
  twice.push_back(good[0]);
  expect_rejected(f, kpi_return("A", "2026-Q3", twice), Code::duplicate_kpi);
  SubmitKpiReturn long_notes = kpi_return("A", "2026-Q3", good);
  long_notes.notes.assign(2001, 'x');
  expect_rejected(f, long_notes, Code::notes_too_long);
  // The edges are accepted: 0% and 100%.
  f.must(kpi_return("A", "2026-Q3", home_care_values(0, 10000, 0, 10000)));
}

TEST_CASE("a later return for the same quarter amends it: the latest counts, both are kept", "[kpi]") {
  MarketFixture f = kpi_market();
  f.must(kpi_return("A", "2026-Q3", home_care_values(7200, 8100, 5400, 7900)));
  f.must(kpi_return("A", "2026-Q2", home_care_values(7000, 8000, 5000, 7000)));
  f.must(kpi_return("A", "2026-Q3", home_care_values(7600, 10000, 5400, 7900)));
  const Location& a = location(f, "A");
  REQUIRE(a.kpi_returns.size() == 3);
  CHECK(a.kpi_returns[2].amends == 1);
  CHECK(a.kpi_returns[1].amends == 0);
  int number = 0;
  const KpiReturn* counting = f.market.counting_kpi_return(index_of(f, "A"), 0, *parse_quarter("2026-Q3"), &number);
  REQUIRE(counting);
  CHECK(number == 3);
  CHECK(kpi_compliance(*counting).met == 2);  // assistive technology 76% and training 100% now meet
}

TEST_CASE("a quarter's return is due 30 days after the quarter ends, from the quarter the location applied in, and overdue after",
          "[kpi]") {
  MarketFixture f = kpi_market();  // applied on 2026-11-23: 2026-Q4 is the first quarter owed
  const LocationIndex a = index_of(f, "A");
  KpiReturnDue due = f.market.kpi_return_due(a, 0);
  CHECK(due.owed == 0);  // nothing past due yet
  CHECK_FALSE(due.overdue);
  CHECK(format_quarter(due.next) == "2026-Q4");
  CHECK(format_date(due.next_due) == "2027-01-30");
  f.must(Tick{london_to_utc(*parse_date("2027-01-30"), 23 * kMillisPerHour)});  // the due date itself
  CHECK_FALSE(f.market.kpi_return_due(a, 0).overdue);
  f.advance(kDay);  // 2027-01-31
  due = f.market.kpi_return_due(a, 0);
  CHECK(format_quarter(due.owed) == "2026-Q4");
  CHECK(format_date(due.owed_due) == "2027-01-30");
  CHECK(due.overdue);
  f.must(kpi_return("A", "2026-Q4", home_care_values(8000, 10000, 10000, 10000)));
  due = f.market.kpi_return_due(a, 0);
  CHECK_FALSE(due.overdue);
  CHECK(format_quarter(due.last_returned) == "2026-Q4");
  CHECK(format_quarter(due.next) == "2027-Q1");
  CHECK(format_date(due.next_due) == "2027-04-30");
}

TEST_CASE("with KPI weight 0 (the default) the quality score is exactly the three-input score", "[kpi][quality]") {
  MarketFixture f = kpi_market();
  const QualityScore before = f.market.quality_of(index_of(f, "A"), 0);
  f.must(kpi_return("A", "2026-Q3", home_care_values(0, 0, 0, 0)));
  const QualityScore after = f.market.quality_of(index_of(f, "A"), 0);
  CHECK(after == before);
  CHECK(after.parts.size() == 3);
  CHECK(kpi_part(after) == nullptr);
  CHECK(after.score == 75);  // 0.40×PAMMS good 75 + 0.40×CQC good 75 + 0.20×self 75
}

TEST_CASE("KPI compliance as a quality input: neutral and provisional with no return, its points, 0 once overdue",
          "[kpi][quality]") {
  MarketFixture f = kpi_market(with_kpi_weight(20));  // PAMMS 30, CQC 30, self 20, KPIs 20
  const LocationIndex a = index_of(f, "A");
  QualityScore s = f.market.quality_of(a, 0);
  REQUIRE(kpi_part(s));
  CHECK(kpi_part(s)->missing);
  CHECK(kpi_part(s)->points == 50);
  CHECK(s.provisional);
  CHECK(s.score == 70);  // 0.30×75 + 0.30×75 + 0.20×75 + 0.20×50
  f.must(kpi_return("A", "2026-Q3", home_care_values(7500, 10000, 5400, 10000)));  // 3 of 4
  s = f.market.quality_of(a, 0);
  CHECK(kpi_part(s)->points == 75);
  CHECK(kpi_part(s)->rating == "2026-Q3");
  CHECK_FALSE(s.provisional);
  CHECK(s.explain() == "quality = 0.30×PAMMS good 75 + 0.30×CQC good 75 + 0.20×self-assessment 75 + 0.20×KPIs 2026-Q3 75 = 75.00");
  // 2026-Q4 is due by 2027-01-30: once overdue the input is 0, whatever was returned before.
  f.must(Tick{london_to_utc(*parse_date("2027-01-31"), 9 * kMillisPerHour)});
  s = f.market.quality_of(a, 0);
  CHECK(kpi_part(s)->rating == "overdue");
  CHECK(kpi_part(s)->points == 0);
  CHECK_FALSE(kpi_part(s)->missing);
  f.must(kpi_return("A", "2026-Q4", home_care_values(8000, 10000, 10000, 10000)));
  CHECK(kpi_part(f.market.quality_of(a, 0))->points == 100);
}

TEST_CASE("the four quality weights must total 100, and a KPI due period is 1..366 days", "[kpi][quality]") {
  MarketFixture f;
  DpsConfig c = with_kpi_weight(20);
  c.quality.kpi_weight_pct = 25;  // 30 + 30 + 20 + 25
  expect_rejected(f, ConfigureDps{c}, Code::invalid_config);
  c = with_kpi_weight(20);
  c.quality.kpi_return_due_days = 0;
  expect_rejected(f, ConfigureDps{c}, Code::invalid_config);
  c.quality.kpi_return_due_days = 45;
  f.must(ConfigureDps{c});
}

TEST_CASE("a location's quality score version advances whenever an input of its score changes", "[kpi][quality]") {
  MarketFixture f = kpi_market();
  const LocationIndex a = index_of(f, "A");
  auto version = [&] { return f.market.location(a).quality_version; };
  const std::uint32_t admitted = version();
  CHECK(admitted == 1);  // its first inputs (CQC, PAMMS, self-assessment) were set once
  f.must(kpi_return("A", "2026-Q3", home_care_values(7200, 8100, 5400, 7900)));
  CHECK(version() == admitted + 1);
  UpdateQualityInputs pamms;
  pamms.location = "A";
  pamms.pamms = PammsRating::excellent;
  f.must(pamms);
  CHECK(version() == admitted + 2);
  // A risk input alone (an embargo) is not an input of the score: the version stays.
  UpdateQualityInputs embargo;
  embargo.location = "A";
  embargo.embargo = true;
  embargo.reason = "safeguarding investigation";
  f.must(embargo);
  CHECK(version() == admitted + 2);
  // A change of the DPS's quality policy re-scores every member; reconfiguring it unchanged does not.
  f.must(ConfigureDps{home_care_config()});
  CHECK(version() == admitted + 2);
  f.must(ConfigureDps{with_kpi_weight(10)});
  CHECK(version() == admitted + 3);
  CHECK(f.market.location(index_of(f, "B")).quality_version == 2);
}

TEST_CASE("a ranking uses the quality score in force when the window closed, and says which version", "[kpi][ranking]") {
  MarketFixture f = kpi_market();
  const PackageId id = f.post();
  REQUIRE(f.offer("A", id, 3000).ok());  // the same price, above the abnormally low threshold
  REQUIRE(f.offer("B", id, 3000).ok());
  // Before the close the ranking uses the score now.
  const Ranking open = f.market.ranking(id);
  CHECK(ranked(open, "A").explanation.find("quality score v1 of A, current (the window has not closed)") != std::string::npos);
  UpdateQualityInputs better;
  better.location = "B";
  better.pamms = PammsRating::excellent;  // B: 0.40×100 + 0.40×75 + 0.20×75 = 85
  f.must(better);
  f.pass_deadline(id);
  const Package& p = f.package(id);
  REQUIRE(p.records->quality_closed_at == p.closes_at);
  const Ranking at_close = f.market.ranking(id);
  CHECK(order(at_close) == std::vector<std::string>{"B", "A"});
  const std::string close_time = format_london(p.closes_at);
  CHECK(ranked(at_close, "B").explanation.find("quality score v2 of B, in force at the close at " + close_time +
                                               ": quality = 0.40×PAMMS excellent 100") != std::string::npos);
  CHECK(ranked(at_close, "B").offer.quality_version == 2);
  CHECK(f.awarded(id) == "B");
  // After the close B falls to PAMMS requires improvement (61 now) and A rises: neither the
  // ranking nor its explanation moves.
  UpdateQualityInputs worse;
  worse.location = "B";
  worse.pamms = PammsRating::requires_improvement;
  f.must(worse);
  UpdateQualityInputs best;
  best.location = "A";
  best.pamms = PammsRating::excellent;
  best.cqc = CqcRating::outstanding;
  f.must(best);
  CHECK(f.market.location(index_of(f, "B")).quality_version == 3);
  const Ranking later = f.market.ranking(id);
  CHECK(order(later) == order(at_close));
  for (const auto& o : later.offers) {
    INFO(o.offer.location_id);
    CHECK(o.explanation == ranked(at_close, o.offer.location_id).explanation);
    CHECK(o.offer.quality == ranked(at_close, o.offer.location_id).offer.quality);
  }
  // B declines: the award goes down the ranking as it stood at the close, to A.
  REQUIRE(f.decline("B", id).ok());
  CHECK(f.awarded(id) == "A");
}

TEST_CASE("KPI returns, versions and the quality at the close survive the journal's codec, replay and a snapshot",
          "[kpi][replay]") {
  MarketFixture f = kpi_market(with_kpi_weight(20));
  f.must(kpi_return("A", "2026-Q3", home_care_values(7200, 8100, 5400, 7900)));
  f.must(kpi_return("A", "2026-Q3", home_care_values(7600, 10000, 5400, 7900)));
  const PackageId id = f.post();
  REQUIRE(f.offer("A", id, 2000).ok());
  REQUIRE(f.offer("B", id, 2100).ok());
  f.pass_deadline(id);
  const std::string bytes = carebroker::codec::encode_batch(1, f.events);
  const auto decoded = carebroker::codec::decode_batch(bytes);
  REQUIRE(decoded.ok());
  REQUIRE(decoded.events == f.events);
  Market replayed;
  for (const Event& e : decoded.events) replayed.apply(e);
  CHECK(replayed.digest() == f.market.digest());
  const Location& a = location(f, "A");
  const Location& b = replayed.location(*replayed.find_location("A"));
  CHECK(b.kpi_returns == a.kpi_returns);
  CHECK(b.quality_version == a.quality_version);
  CHECK(replayed.find_package(id)->records->quality_at_close == f.package(id).records->quality_at_close);
  Market restored;
  REQUIRE(restored.load_snapshot(f.market.save_snapshot()).ok());
  CHECK(restored.digest() == f.market.digest());
  CHECK(restored.location(*restored.find_location("A")).kpi_returns == a.kpi_returns);
  CHECK(restored.kpi_return_due(*restored.find_location("A"), 0) == f.market.kpi_return_due(index_of(f, "A"), 0));
  CHECK(restored.ranking(id).offers.front().explanation == f.market.ranking(id).offers.front().explanation);
}
