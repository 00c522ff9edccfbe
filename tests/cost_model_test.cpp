// The fair cost of care as a cost model (issue 12, item 5): the worked example of README.md
// "Fair cost of care", line by line; the fair cost, abnormally-low threshold and suggested ceiling
// that follow from it; old single-figure configurations unchanged; bad inputs refused.
#include <catch2/catch.hpp>

#include "engine/codec/event_codec.h"
#include "engine/market/cost_model.h"
#include "market_fixture.h"

using namespace carebroker::testing;

namespace {

/// README.md's worked example: £12.60 an hour, 12 minutes' paid travel per contact hour,
/// 3 miles per contact hour at 45p, holiday 12.07%, training 2%, supervision 2.5%, employer NI
/// 11% effective, pension 3%, office £4.80 and management £2.50 per contact hour, surplus 3%,
/// suggested ceiling 115% of the cost.
CostModel worked_example() {
  CostModel m;
  m.wage_per_hour = 1260;
  m.travel_minutes_per_contact_hour = 12;
  m.miles_per_100_contact_hours = 300;
  m.pence_per_mile = 45;
  m.holiday_bp = 1207;
  m.training_bp = 200;
  m.supervision_bp = 250;
  m.employer_ni_bp = 1100;
  m.pension_bp = 300;
  m.office_per_contact_hour = 480;
  m.management_per_contact_hour = 250;
  m.surplus_bp = 300;
  m.ceiling_pct = 115;
  return m;
}

DpsConfig config_with_model(CostModel model, Pence fair_cost = 0) {
  DpsConfig c = home_care_config();
  c.lots[0].fair_cost = fair_cost;
  c.lots[0].cost_model = model;
  return c;
}

AbnormallyLow flag_of(MarketFixture& f, PackageId id, const std::string& location) {
  const auto at = f.market.find_location(location);
  REQUIRE(at);
  const Offer* offer = f.package(id).offer_of(*at);
  REQUIRE(offer);
  return offer->abnormally_low;
}

}  // namespace

TEST_CASE("the worked example costs £29.60 a contact hour, every line checkable by hand", "[cost_model]") {
  const CostBreakdown b = cost_per_contact_hour(worked_example());
  const std::vector<std::pair<std::string, Pence>> expected = {
      {"contact_pay", 1260},  // £12.60 × 1 hour
      {"travel_pay", 252},    // £12.60 × 12/60
      {"holiday", 182},       // 12.07% of £15.12 = 182.4984p
      {"training", 30},       // 2% of £15.12 = 30.24p
      {"supervision", 38},    // 2.5% of £15.12 = 37.8p
      {"employer_ni", 194},   // 11% of gross pay £17.62 = 193.82p
      {"pension", 53},        // 3% of £17.62 = 52.86p
      {"mileage", 135},       // 300 miles / 100 hours × 45p
      {"office", 480},
      {"management", 250},
      {"surplus", 86},        // 3% of costs £28.74 = 86.22p
  };
  REQUIRE(b.lines.size() == expected.size());
  Pence sum = 0;
  for (std::size_t i = 0; i < expected.size(); ++i) {
    INFO(b.lines[i].item << ": " << b.lines[i].arithmetic);
    CHECK(b.lines[i].item == expected[i].first);
    CHECK(b.lines[i].pence == expected[i].second);
    sum += b.lines[i].pence;
  }
  CHECK(b.gross_pay == 1762);
  CHECK(b.direct_cost == 2144);
  CHECK(b.total == 2960);
  CHECK(sum == b.total);
  CHECK(b.lines[2].arithmetic == "12.07% of paid time £15.12 = £1.82");
  CHECK(b.lines[1].arithmetic == "wage £12.60 × 12/60 h = £2.52");
  CHECK(abnormally_low_below(b.total, 85) == 2516);  // 85% of £29.60 is exactly £25.16
  CHECK(suggested_ceiling(b.total, 115) == 3404);    // 115% of £29.60
}

TEST_CASE("a lot's fair cost follows from its cost model, and so does the abnormally-low flag", "[cost_model]") {
  MarketFixture f(config_with_model(worked_example()));
  CHECK(f.market.dps(0).lots[0].fair_cost == 2960);
  f.admit({.id = "A"});
  f.admit({.id = "B"});
  const PackageId id = f.post();
  REQUIRE(f.offer("A", id, 2515).ok());
  REQUIRE(f.offer("B", id, 2516).ok());
  CHECK(flag_of(f, id, "A") == AbnormallyLow::pending);
  CHECK(flag_of(f, id, "B") == AbnormallyLow::not_flagged);
}

TEST_CASE("a fair cost given with a cost model must be the model's own (a configuration read back is accepted)",
          "[cost_model]") {
  MarketFixture f(config_with_model(worked_example(), 2960));
  CHECK(f.market.dps(0).lots[0].fair_cost == 2960);
  expect_rejected(f, ConfigureDps{config_with_model(worked_example(), 3214)}, Code::invalid_cost_model);
}

TEST_CASE("a configuration with only the single fair_cost figure keeps working as before", "[cost_model]") {
  MarketFixture f;  // fair_cost 3214, no model
  CHECK(f.market.dps(0).lots[0].fair_cost == 3214);
  CHECK_FALSE(f.market.dps(0).lots[0].cost_model.present());
  f.admit({.id = "A"});
  const PackageId id = f.post();
  REQUIRE(f.offer("A", id, 2731).ok());  // 85% of £32.14 = 2731.9p
  CHECK(flag_of(f, id, "A") == AbnormallyLow::pending);
}

TEST_CASE("a cost model with negative costs, percentages out of range or no wage is refused", "[cost_model]") {
  MarketFixture f;
  const DpsConfig before = f.market.dps(0);
  auto refused = [&](void (*change)(CostModel&), const std::string& words) {
    CostModel m = worked_example();
    change(m);
    INFO(words << " — " << cost_model_problem(m));
    CHECK(cost_model_problem(m).find(words) != std::string::npos);
    expect_rejected(f, ConfigureDps{config_with_model(m)}, Code::invalid_cost_model);
  };
  refused([](CostModel& m) { m.wage_per_hour = -1260; }, "wage_per_hour is a negative cost");
  refused([](CostModel& m) { m.office_per_contact_hour = -1; }, "office_per_contact_hour is a negative cost");
  refused([](CostModel& m) { m.management_per_contact_hour = -250; }, "management_per_contact_hour is a negative cost");
  refused([](CostModel& m) { m.pence_per_mile = -45; }, "pence_per_mile is a negative cost");
  refused([](CostModel& m) { m.holiday_bp = 10001; }, "holiday_bp must be 0..10000");
  refused([](CostModel& m) { m.employer_ni_bp = -1; }, "employer_ni_bp must be 0..10000");
  refused([](CostModel& m) { m.surplus_bp = 20000; }, "surplus_bp must be 0..10000");
  refused([](CostModel& m) { m.ceiling_pct = 90; }, "ceiling_pct must be 100..1000");
  refused([](CostModel& m) { m.travel_minutes_per_contact_hour = -5; }, "travel_minutes_per_contact_hour must be 0..600");
  refused([](CostModel& m) { m.miles_per_100_contact_hours = -300; }, "miles_per_100_contact_hours must be 0..");
  refused([](CostModel& m) { m.wage_per_hour = 0; }, "needs the care worker's wage_per_hour");
  CHECK(f.market.dps(0) == before);
}

TEST_CASE("a cost model prices contact hours: a lot bought in places cannot have one", "[cost_model]") {
  MarketFixture f;
  DpsConfig c = config_with_model(worked_example());
  c.lots[0].unit = Unit::places;
  expect_rejected(f, ConfigureDps{c}, Code::invalid_cost_model);
}

TEST_CASE("a cost model is journaled with its DPS and replays to the same fair cost", "[cost_model][codec]") {
  MarketFixture f(config_with_model(worked_example()));
  Market replayed;
  for (const Event& e : f.events) replayed.apply(e);
  CHECK(replayed.digest() == f.market.digest());
  const DpsConfigured configured{f.market.dps(0)};
  const auto batch = carebroker::codec::encode_batch(1, {Event(configured)});
  const auto decoded = carebroker::codec::decode_batch(batch);
  REQUIRE(decoded.ok());
  REQUIRE(decoded.events.size() == 1);
  CHECK(std::get<DpsConfigured>(decoded.events[0]).config.lots[0].cost_model == worked_example());
  CHECK(std::get<DpsConfigured>(decoded.events[0]).config.lots[0].fair_cost == 2960);
}
