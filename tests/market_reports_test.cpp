// Market reports (issue 12 item 6): the sourcing and rates reports on a small market whose
// figures can be worked by hand — time to source, cascade, decline, unsourced and hand-back
// rates, rates paid against the fair cost in quartiles — split by funder, over UK dates, with
// retired (archived) packages counted as they were.
#include <algorithm>
#include <string>

#include "engine/market/market_reports.h"
#include "market_fixture.h"

using namespace carebroker::testing;

namespace {

/// The standard DPS with a fair cost of £20.00 an hour (so no offer here is abnormally low)
/// and closed packages retired a day after they close.
DpsConfig report_config() {
  DpsConfig c = home_care_config();
  c.lots[0].fair_cost = 2000;
  c.windows.retain_closed_days = 1;
  return c;
}

/// Three Tier 1 South locations; every package has a two-hour window.
struct ReportMarket : MarketFixture {
  ReportMarket() : MarketFixture(report_config()) {
    admit({"A"});
    admit({"B"});
    admit({"C"});
  }
  static PackageSpec spec(Funder funder, std::vector<std::string> categories = {"older_people"}) {
    PackageSpec s = standard_package();
    s.funder = funder;
    s.categories = std::move(categories);
    s.window = 2 * kMillisPerHour;
    return s;
  }
  /// Posts a package, takes one offer from A at `price`, closes the window (two hours) and A
  /// accepts `accept_after` later: placed `120 + accept_after` minutes after posting.
  PackageId place(PackageSpec s, Pence price, UtcMillis accept_after) {
    const PackageId id = post(std::move(s));
    REQUIRE(package(id).closes_at == package(id).posted_at + 2 * kMillisPerHour);
    REQUIRE(offer("A", id, price).ok());
    pass_deadline(id);
    REQUIRE(awarded(id) == "A");
    advance(accept_after);
    REQUIRE(accept("A", id).ok());
    return id;
  }
  ReportPeriod period(Date from, Date to, std::optional<Funder> funder = std::nullopt) const {
    return ReportPeriod{market.find_dps("home-care"), from, to, funder};
  }
};

const SourcingRow& row(const std::vector<SourcingRow>& rows, std::optional<Funder> funder, std::optional<Urgency> urgency) {
  const auto it = std::find_if(rows.begin(), rows.end(), [&](const SourcingRow& r) { return r.funder == funder && r.urgency == urgency; });
  REQUIRE(it != rows.end());
  return *it;
}

const RatesRow& row(const std::vector<RatesRow>& rows, std::optional<Funder> funder, int zone, int category) {
  const auto it = std::find_if(rows.begin(), rows.end(), [&](const RatesRow& r) {
    return r.funder == funder && r.zone == zone && r.category == category;
  });
  REQUIRE(it != rows.end());
  return *it;
}

int category_index(const Market& m, std::string_view code) {
  const auto& codes = m.category_codes();
  return static_cast<int>(std::find(codes.begin(), codes.end(), code) - codes.begin());
}

/// The week the tests below build: four packages placed with A at £19, £20, £24 and £30 an
/// hour, 150, 180, 210 and 240 minutes after posting (the first two for the council, the last
/// two for the NHS; the second also for dementia); one the council posted that A's offer won
/// and A declined, then found no one; one with no offer at all (unsourced after both tiers);
/// one cancelled.
struct ReportWeek : ReportMarket {
  PackageId p19 = 0, p20 = 0, p24 = 0, p30 = 0, declined = 0, no_offer = 0, cancelled = 0;
  ReportWeek() {
    p19 = place(spec(Funder::council), 1900, 30 * kMillisPerMinute);
    p20 = place(spec(Funder::council, {"older_people", "dementia"}), 2000, 60 * kMillisPerMinute);
    p24 = place(spec(Funder::nhs), 2400, 90 * kMillisPerMinute);
    p30 = place(spec(Funder::nhs), 3000, 120 * kMillisPerMinute);
    declined = post(spec(Funder::council));
    REQUIRE(offer("A", declined, 2100).ok());
    pass_deadline(declined);
    REQUIRE(decline("A", declined).ok());
    while (!is_closed(status(declined))) pass_deadline(declined);
    no_offer = post(spec(Funder::council));
    while (!is_closed(status(no_offer))) pass_deadline(no_offer);
    cancelled = post(spec(Funder::council));
    must(CancelPackage{cancelled, "posted twice"});
  }
};

}  // namespace

TEST_CASE("percentiles interpolate between sorted values, halves rounded away from zero", "[reports]") {
  const std::vector<std::int64_t> four = {1900, 2000, 2400, 3000};
  CHECK(percentile(four, 0.25) == 1975);  // 1900 + 0.75 × 100
  CHECK(percentile(four, 0.5) == 2200);   // halfway between 2000 and 2400
  CHECK(percentile(four, 0.75) == 2550);  // 2400 + 0.25 × 600
  CHECK(percentile(four, 0.9) == 2820);   // 2400 + 0.7 × 600
  CHECK(percentile({7}, 0.9) == 7);
  CHECK(percentile({1, 2}, 0.5) == 2);  // 1.5 rounds up
}

TEST_CASE("the sourcing report counts each package once and times placements from posting", "[reports]") {
  ReportWeek f;
  REQUIRE(f.status(f.declined) == PackageStatus::unsourced);
  REQUIRE(f.status(f.no_offer) == PackageStatus::unsourced);
  const auto rows = sourcing_report(f.market, f.period(kMonday, kMonday + 6));
  const SourcingRow& all = row(rows, std::nullopt, std::nullopt);
  CHECK(all.posted == 7);
  CHECK(all.placed == 4);
  CHECK(all.unsourced == 2);
  CHECK(all.withdrawn == 1);
  CHECK(all.in_progress == 0);
  CHECK(all.declined == 1);
  CHECK(all.cascaded == 2);  // both unsourced packages went on to Tier 2
  CHECK(all.handed_back == 0);
  // 150, 180, 210, 240 minutes: median halfway between 180 and 210; p90 at 2.7 → 210 + 0.7 × 30.
  CHECK(all.source_minutes_median == 195);
  CHECK(all.source_minutes_p90 == 231);
  // Split by funder: the council's two placements took 150 and 180 minutes, the NHS's 210 and 240.
  const SourcingRow& council = row(rows, Funder::council, std::nullopt);
  CHECK(council.posted == 5);
  CHECK(council.placed == 2);
  CHECK(council.unsourced == 2);
  CHECK(council.source_minutes_median == 165);
  CHECK(council.source_minutes_p90 == 177);
  const SourcingRow& nhs = row(rows, Funder::nhs, std::nullopt);
  CHECK(nhs.posted == 2);
  CHECK(nhs.placed == 2);
  CHECK(nhs.source_minutes_median == 225);
  CHECK(nhs.source_minutes_p90 == 237);
  // Every package here is standard (its start two days off): the urgency rows equal the totals.
  CHECK(row(rows, std::nullopt, Urgency::standard).posted == 7);
  CHECK(std::none_of(rows.begin(), rows.end(), [](const SourcingRow& r) { return r.funder == Funder::joint; }));
  // Asked for the NHS only: the NHS's rows and no other funder's.
  const auto nhs_only = sourcing_report(f.market, f.period(kMonday, kMonday + 6, Funder::nhs));
  CHECK(row(nhs_only, std::nullopt, std::nullopt).posted == 2);
  CHECK(std::none_of(nhs_only.begin(), nhs_only.end(), [](const SourcingRow& r) { return r.funder == Funder::council; }));
}

TEST_CASE("a placement handed back counts against the placements, and its replacement is posted", "[reports]") {
  ReportWeek f;
  REQUIRE(f.run(HandBackPackage{f.provider_of("A"), "A", f.request_id(), f.p30, "lost two carers"}).ok());
  const auto rows = sourcing_report(f.market, f.period(kMonday, kMonday + 6));
  const SourcingRow& nhs = row(rows, Funder::nhs, std::nullopt);
  CHECK(nhs.handed_back == 1);
  CHECK(nhs.placed == 2);
  CHECK(nhs.posted == 3);  // the replacement package, still in competition
  CHECK(nhs.in_progress == 1);
}

TEST_CASE("the rates report gives quartiles of the rates paid by zone and category beside the fair cost", "[reports]") {
  ReportWeek f;
  const auto rows = rates_report(f.market, f.period(kMonday, kMonday + 6));
  const int south = f.market.dps(0).zone_index("south");
  const RatesRow& all = row(rows, std::nullopt, -1, -1);
  CHECK(all.placements == 4);
  CHECK(all.q1 == 1975);
  CHECK(all.median == 2200);
  CHECK(all.q3 == 2550);
  CHECK(all.fair_cost == 2000);
  // All four were in the south, three for older people only; dementia's one is £20.
  CHECK(row(rows, std::nullopt, south, -1).median == 2200);
  CHECK(row(rows, std::nullopt, south, category_index(f.market, "older_people")).placements == 4);
  const RatesRow& dementia = row(rows, std::nullopt, south, category_index(f.market, "dementia"));
  CHECK(dementia.placements == 1);
  CHECK((dementia.q1 == 2000 && dementia.median == 2000 && dementia.q3 == 2000));
  // By funder: the NHS paid £24 and £30.
  const RatesRow& nhs = row(rows, Funder::nhs, -1, -1);
  CHECK(nhs.placements == 2);
  CHECK(nhs.q1 == 2550);
  CHECK(nhs.median == 2700);
  CHECK(nhs.q3 == 2850);
  CHECK(row(rows, Funder::council, -1, -1).median == 1950);
}

TEST_CASE("retired packages are counted in reports as they were before they left memory", "[reports]") {
  ReportWeek f;
  const auto period = f.period(kMonday, kMonday + 6);
  // End two placements; then two days on, every closed package has retired to the archive.
  f.must(EndPlacement{f.p19, PlacementEndReason::moved, 0, "officer-1"});
  f.must(EndPlacement{f.p24, PlacementEndReason::hospital, 0, "officer-1"});
  const auto sourcing_before = sourcing_report(f.market, period);
  const auto rates_before = rates_report(f.market, period);
  f.advance(2 * kMillisPerDay + kMillisPerHour);
  for (const PackageId id : {f.p19, f.p24, f.declined, f.no_offer, f.cancelled}) {
    INFO("package " << id);
    CHECK(f.market.is_retired(id));
  }
  CHECK(f.market.retired_facts().size() == 5);
  CHECK(f.market.find_placement(f.p19) == nullptr);
  const auto sourcing_after = sourcing_report(f.market, period);
  const auto rates_after = rates_report(f.market, period);
  CHECK(row(sourcing_after, std::nullopt, std::nullopt).posted == 7);
  CHECK(row(sourcing_after, std::nullopt, std::nullopt).source_minutes_median == 195);
  CHECK(row(rates_after, std::nullopt, -1, -1).q1 == 1975);
  CHECK(sourcing_after.size() == sourcing_before.size());
  CHECK(rates_after.size() == rates_before.size());
  for (std::size_t i = 0; i < std::min(sourcing_after.size(), sourcing_before.size()); ++i) {
    CHECK(sourcing_after[i].posted == sourcing_before[i].posted);
    CHECK(sourcing_after[i].placed == sourcing_before[i].placed);
    CHECK(sourcing_after[i].unsourced == sourcing_before[i].unsourced);
    CHECK(sourcing_after[i].source_minutes_p90 == sourcing_before[i].source_minutes_p90);
  }
  for (std::size_t i = 0; i < std::min(rates_after.size(), rates_before.size()); ++i) {
    CHECK(rates_after[i].median == rates_before[i].median);
    CHECK(rates_after[i].placements == rates_before[i].placements);
  }
}

TEST_CASE("the retired packages' facts survive a snapshot and a replay of the journal", "[reports][snapshot]") {
  ReportWeek f;
  f.must(EndPlacement{f.p19, PlacementEndReason::moved, 0, "officer-1"});
  f.advance(2 * kMillisPerDay + kMillisPerHour);
  REQUIRE_FALSE(f.market.retired_facts().empty());
  Market restored;
  REQUIRE(restored.load_snapshot(f.market.save_snapshot()).ok());
  CHECK(restored.retired_facts() == f.market.retired_facts());
  CHECK(restored.digest() == f.market.digest());
  Market replayed;
  for (const Event& e : f.events) replayed.apply(e);
  CHECK(replayed.retired_facts() == f.market.retired_facts());
  CHECK(replayed.digest() == f.market.digest());
}

TEST_CASE("a report's period is of UK dates: a package posted at 00:30 BST counts on the new day", "[reports][calendar]") {
  ReportMarket f;
  // British Summer Time starts at 01:00 UTC on Sunday 28 March 2027.
  const Date sunday = *parse_date("2027-03-28");
  const Date monday = sunday + 1;
  // 23:30 UTC on Sunday is 00:30 BST on Monday.
  f.must(Tick{london_to_utc(sunday, 0) + 23 * kMillisPerHour + 30 * kMillisPerMinute - kMillisPerHour});
  REQUIRE(london_date(f.market.now()) == sunday);
  PackageSpec s = ReportMarket::spec(Funder::council);
  s.start_date = monday + 2;
  const PackageId sunday_late = f.post(s);
  f.must(Tick{london_to_utc(monday, 30 * kMillisPerMinute)});
  REQUIRE(f.market.now() == london_to_utc(sunday, 0) + 23 * kMillisPerHour + 30 * kMillisPerMinute);  // 23:30 UTC Sunday
  const PackageId monday_early = f.post(s);
  REQUIRE(f.package(sunday_late).posted_at < f.package(monday_early).posted_at);
  CHECK(row(sourcing_report(f.market, f.period(sunday, sunday)), std::nullopt, std::nullopt).posted == 1);
  CHECK(row(sourcing_report(f.market, f.period(monday, monday)), std::nullopt, std::nullopt).posted == 1);
  CHECK(sourcing_report(f.market, f.period(sunday - 1, sunday - 1)).empty());
  CHECK(row(sourcing_report(f.market, f.period(sunday, monday)), std::nullopt, std::nullopt).posted == 2);
}

namespace {

const CapacityReportRow& row(const std::vector<CapacityReportRow>& rows, std::optional<Funder> funder, int zone, int category) {
  const auto it = std::find_if(rows.begin(), rows.end(), [&](const CapacityReportRow& r) {
    return r.funder == funder && r.zone == zone && r.category == category;
  });
  REQUIRE(it != rows.end());
  return *it;
}

}  // namespace

TEST_CASE("the capacity report sets declared capacity against live placements and the period's demand", "[reports]") {
  ReportWeek f;  // A, B and C each declared 500 hours a week in the south for three categories
  const auto rows = capacity_report(f.market, f.period(kMonday, kMonday + 6));
  const int south = f.market.dps(0).zone_index("south");
  const int dementia = category_index(f.market, "dementia");
  // In sixtieths of an hour a week (minutes): 3 × 500 hours declared.
  const CapacityReportRow& all = row(rows, std::nullopt, -1, -1);
  CHECK(all.locations == 3);
  CHECK(all.declared == 3 * 500 * 60);
  // Four live placements with A of 14 hours a week each; seven packages of 14 hours posted.
  CHECK(all.placements == 4);
  CHECK(all.used == 4 * 840);
  CHECK(all.packages == 7);
  CHECK(all.demand == 7 * 840);
  // Split by funder: capacity is not funded (the same on every row); use and demand are.
  const CapacityReportRow& council = row(rows, Funder::council, -1, -1);
  CHECK(council.declared == 3 * 500 * 60);
  CHECK(council.placements == 2);
  CHECK(council.used == 2 * 840);
  CHECK(council.packages == 5);
  CHECK(row(rows, Funder::nhs, south, -1).demand == 2 * 840);
  // Dementia: every location serves it; one placement (the £20 one, the council's) asks for it.
  const CapacityReportRow& d = row(rows, std::nullopt, south, dementia);
  CHECK(d.locations == 3);
  CHECK(d.placements == 1);
  CHECK(d.used == 840);
  // Learning disability: no location serves it and no package asked for it — no row.
  const int ld = category_index(f.market, "learning_disability");
  CHECK(std::none_of(rows.begin(), rows.end(), [&](const CapacityReportRow& r) { return r.category == ld; }));
  // An ended placement no longer uses capacity; its package still counts in the period's demand.
  f.must(EndPlacement{f.p19, PlacementEndReason::moved, 0, "officer-1"});
  const auto after = capacity_report(f.market, f.period(kMonday, kMonday + 6));
  CHECK(row(after, std::nullopt, -1, -1).placements == 3);
  CHECK(row(after, std::nullopt, -1, -1).demand == 7 * 840);
  // A suspended location's capacity is not counted.
  f.must(SuspendMembership{"B", "home-care", "safeguarding enquiry"});
  CHECK(row(capacity_report(f.market, f.period(kMonday, kMonday + 6)), std::nullopt, -1, -1).declared == 2 * 500 * 60);
}

TEST_CASE("a double-handed package asks for twice its hours of carers' time", "[reports]") {
  ReportMarket f;
  PackageSpec s = ReportMarket::spec(Funder::joint);
  s.double_handed = true;
  f.post(s);
  const auto rows = capacity_report(f.market, f.period(kMonday, kMonday));
  CHECK(row(rows, Funder::joint, -1, -1).demand == 2 * 840);
}
