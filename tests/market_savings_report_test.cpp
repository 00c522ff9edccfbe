// The savings report (issue 12 item 6): what the placements of a period cost a week against
// each lot's configured baseline rate, and a year at 52 weeks — figures worked by hand below,
// split by funder, retired (archived) packages counted as they were, a lot with no baseline
// shown as having none rather than as saving nothing.
#include <algorithm>

#include "engine/market/market_reports.h"
#include "market_fixture.h"

using namespace carebroker::testing;

namespace {

/// The standard DPS whose one lot (hours) has a baseline of £21.00 an hour and a fair cost of
/// £20.00 (so no offer here is abnormally low); closed packages retire a day after they close.
DpsConfig savings_config(Pence baseline = 2100) {
  DpsConfig c = home_care_config();
  c.lots[0].baseline_rate = baseline;
  c.lots[0].fair_cost = 2000;
  c.windows.retain_closed_days = 1;
  return c;
}

/// Four packages of 14 hours a week (four 30-minute visits a day) placed with A: the council's
/// at £19.00 and £20.00 an hour (the second also for dementia), the NHS's at £24.00 and £30.00.
struct SavingsWeek : MarketFixture {
  PackageId p19 = 0, p20 = 0, p24 = 0, p30 = 0;
  explicit SavingsWeek(Pence baseline = 2100) : MarketFixture(savings_config(baseline)) {
    admit({"A"});
    p19 = place(Funder::council, {"older_people"}, 1900);
    p20 = place(Funder::council, {"older_people", "dementia"}, 2000);
    p24 = place(Funder::nhs, {"older_people"}, 2400);
    p30 = place(Funder::nhs, {"older_people"}, 3000);
  }
  PackageId place(Funder funder, std::vector<std::string> categories, Pence price) {
    PackageSpec s = standard_package();
    s.funder = funder;
    s.categories = std::move(categories);
    s.window = 2 * kMillisPerHour;
    const PackageId id = post(s);
    REQUIRE(offer("A", id, price).ok());
    pass_deadline(id);
    REQUIRE(awarded(id) == "A");
    REQUIRE(accept("A", id).ok());
    return id;
  }
  ReportPeriod week(std::optional<Funder> funder = std::nullopt) const {
    return ReportPeriod{market.find_dps("home-care"), kMonday, kMonday + 6, funder};
  }
};

const SavingsRow& row(const std::vector<SavingsRow>& rows, std::optional<Funder> funder, int zone = -1, int category = -1) {
  const auto it = std::find_if(rows.begin(), rows.end(), [&](const SavingsRow& r) {
    return r.funder == funder && r.lot == 0 && r.zone == zone && r.category == category;
  });
  REQUIRE(it != rows.end());
  return *it;
}
/// A row of a report that is a temporary would dangle: keep the report in a variable.
const SavingsRow& row(std::vector<SavingsRow>&&, std::optional<Funder>, int = -1, int = -1) = delete;

}  // namespace

TEST_CASE("a week's saving is the baseline less the rate, times the hours, and a year is 52 weeks", "[reports][savings]") {
  SavingsWeek f;
  const auto rows = savings_report(f.market, f.week());
  // The council: 14 h at £19 + 14 h at £20 = £546.00 a week; at the £21 baseline 28 h cost
  // £588.00; it saves £42.00 a week, £2,184.00 a year; paid a mean £19.50 an hour.
  const SavingsRow& council = row(rows, Funder::council);
  CHECK(council.placements == 2);
  CHECK(council.weekly_load == 2 * 840);  // 28 hours, in minutes
  CHECK(council.baseline_rate == 2100);
  CHECK(council.has_baseline());
  CHECK(council.paid_per_week() == 54600);
  CHECK(council.baseline_per_week() == 58800);
  CHECK(council.saving_per_week() == 4200);
  CHECK(council.saving_per_year() == 218400);
  CHECK(council.mean_rate() == 1950);
  // The NHS: 14 h at £24 + 14 h at £30 = £756.00 against £588.00: an overspend of £168.00 a
  // week, £8,736.00 a year — negative savings.
  const SavingsRow& nhs = row(rows, Funder::nhs);
  CHECK(nhs.paid_per_week() == 75600);
  CHECK(nhs.saving_per_week() == -16800);
  CHECK(nhs.saving_per_year() == -873600);
  CHECK(nhs.mean_rate() == 2700);
  // All funders: £1,302.00 paid against £1,176.00, −£126.00 a week, −£6,552.00 a year.
  const SavingsRow& all = row(rows, std::nullopt);
  CHECK(all.placements == 4);
  CHECK(all.paid_per_week() == 130200);
  CHECK(all.baseline_per_week() == 117600);
  CHECK(all.saving_per_week() == -12600);
  CHECK(all.saving_per_year() == -655200);
  CHECK(all.mean_rate() == 2325);
  // By zone and category: every placement was in the south; only the £20 one for dementia,
  // saving £1 an hour for 14 hours.
  const int south = f.market.dps(0).zone_index("south");
  const auto& codes = f.market.category_codes();
  const int dementia = static_cast<int>(std::find(codes.begin(), codes.end(), "dementia") - codes.begin());
  CHECK(row(rows, std::nullopt, south, -1).saving_per_week() == -12600);
  const SavingsRow& d = row(rows, std::nullopt, south, dementia);
  CHECK(d.placements == 1);
  CHECK(d.saving_per_week() == 1400);
  // Asked for the council only: no NHS rows.
  const auto council_only = savings_report(f.market, f.week(Funder::council));
  CHECK(std::none_of(council_only.begin(), council_only.end(), [](const SavingsRow& r) { return r.funder == Funder::nhs; }));
  CHECK(row(council_only, std::nullopt).saving_per_week() == 4200);
}

TEST_CASE("savings are summed exactly and rounded to the penny only when reported", "[reports][savings]") {
  // 25 minutes a week at £19.99 against a £21.00 baseline: £1.01 × 25/60 = 42.083p a week,
  // 2,188.33p a year — 42p and £21.88, not 42p × 52 = £21.84.
  SavingsRow r;
  r.placements = 1;
  r.weekly_load = 25;
  r.paid_60ths = 1999 * 25;
  r.baseline_rate = 2100;
  CHECK(r.paid_per_week() == 833);      // 49,975 / 60 = 832.9
  CHECK(r.baseline_per_week() == 875);  // 52,500 / 60
  CHECK(r.saving_per_week() == 42);
  CHECK(r.saving_per_year() == 2188);
  CHECK(r.mean_rate() == 1999);
  // Halves round away from zero, an overspend too: 30 minutes at a penny over is −0.5p.
  r.weekly_load = 30;
  r.paid_60ths = 2101 * 30;
  CHECK(r.saving_per_week() == -1);
  r.paid_60ths = 2099 * 30;
  CHECK(r.saving_per_week() == 1);
}

TEST_CASE("a lot with no baseline rate shows none, not a saving of nothing", "[reports][savings]") {
  SavingsWeek f(0);
  const std::vector<SavingsRow> rows = savings_report(f.market, f.week());
  const SavingsRow& all = row(rows, std::nullopt);
  CHECK(all.placements == 4);
  CHECK_FALSE(all.has_baseline());
  CHECK(all.baseline_rate == 0);
  CHECK(all.paid_per_week() == 130200);  // what was paid is still known
}

TEST_CASE("the savings report counts retired packages as they were", "[reports][savings]") {
  SavingsWeek f;
  const std::vector<SavingsRow> before = savings_report(f.market, f.week());
  f.must(EndPlacement{f.p19, PlacementEndReason::moved, 0, "officer-1"});
  f.must(EndPlacement{f.p30, PlacementEndReason::hospital, 0, "officer-1"});
  f.advance(2 * kMillisPerDay + kMillisPerHour);
  REQUIRE(f.market.is_retired(f.p19));
  REQUIRE(f.market.is_retired(f.p30));
  const std::vector<SavingsRow> after = savings_report(f.market, f.week());
  REQUIRE(after.size() == before.size());
  for (std::size_t i = 0; i < after.size(); ++i) {
    CHECK(after[i].placements == before[i].placements);
    CHECK(after[i].paid_60ths == before[i].paid_60ths);
    CHECK(after[i].weekly_load == before[i].weekly_load);
  }
  CHECK(row(after, std::nullopt).saving_per_week() == -12600);
}

TEST_CASE("a negative baseline rate is refused with the lot's other prices", "[reports][savings][config]") {
  MarketFixture f;
  DpsConfig c = home_care_config();
  c.lots[0].baseline_rate = -1;
  CHECK(f.run(ConfigureDps{c}).status.code == Code::invalid_config);
}
