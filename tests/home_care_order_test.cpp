// Packages as home-care orders: a schedule of calls per weekday (mixed lengths, double-handed
// per call), an end date, funding shares that total 100%, must-meet requirements confirmed one
// by one, and the weekly hours and value they derive. The visits summary posted before
// schedules existed keeps its meaning.
#include <string>

#include "engine/market/digest.h"
#include "engine/market/home_care_order.h"
#include "market_fixture.h"

using namespace carebroker::testing;

namespace {

constexpr int kMonday0 = 0, kTuesday = 1, kSunday = 6;

/// Breakfast double-handed (2 × 45), lunch 30, tea 30, bed double-handed (2 × 30), every day.
std::vector<VisitCall> mixed_week() {
  std::vector<VisitCall> calls;
  for (int day = kMonday0; day <= kSunday; ++day) {
    calls.push_back({day, at(7, 30), 45, 2});
    calls.push_back({day, at(12), 30, 1});
    calls.push_back({day, at(17), 30, 1});
    calls.push_back({day, at(21), 30, 2});
  }
  return calls;
}

PackageSpec scheduled(std::vector<VisitCall> calls = mixed_week()) {
  PackageSpec s = MarketFixture::standard_package();
  s.visits = {};
  s.quantity = 0;  // derived from the schedule
  s.schedule = std::move(calls);
  return s;
}

struct OrderMarket : MarketFixture {
  OrderMarket() {
    admit({"A"});
    admit({"B"});
  }
  void rejected(PackageSpec spec, Code code) {
    expect_rejected(*this, PostPackage{std::move(spec), sealed({"Ada Example", "", "", ""})}, code);
  }
  Reply offer_confirming(const std::string& location, PackageId id, std::vector<std::string> confirmed,
                         bool all = false) {
    PlaceOffer c{provider_of(location), location, request_id(), id, 3000, kMonday + 2, all, ""};
    c.confirmed_must_meet = std::move(confirmed);
    return run(c);
  }
};

}  // namespace

TEST_CASE("a schedule derives the week: carer hours count a double-handed call twice and person hours are shown beside",
          "[order]") {
  OrderMarket f;
  const PackageId id = f.post(scheduled());
  const PackageSpec& spec = *f.package(id).spec;
  // Each day: 45 + 30 + 30 + 30 = 135 person minutes; 90 + 30 + 30 + 60 = 210 carer minutes.
  CHECK(weekly_person_minutes(spec) == 7 * 135);
  CHECK(weekly_carer_minutes(spec) == 7 * 210);
  CHECK(spec.quantity == 7 * 135);  // quantity stays the person's minutes, as with the visits summary
  CHECK(spec.double_handed);
  // £32.00 an hour per carer × 24.5 carer hours = £784.00 a week.
  CHECK(weekly_value(spec, Unit::hours, 3200) == 78400);
  CHECK(spec.schedule.front() == VisitCall{kMonday0, at(7, 30), 45, 2});
}

TEST_CASE("calls are kept in weekday and time order whatever order they were posted in", "[order]") {
  OrderMarket f;
  const PackageId id = f.post(scheduled({{kSunday, at(9), 30, 1}, {kMonday0, at(18), 30, 1}, {kMonday0, at(8), 60, 1}}));
  const auto& calls = f.package(id).spec->schedule;
  REQUIRE(calls.size() == 3);
  CHECK(calls[0].start_minute == at(8));
  CHECK(calls[1].start_minute == at(18));
  CHECK(calls[2].weekday == kSunday);
  CHECK_FALSE(f.package(id).spec->double_handed);
}

TEST_CASE("a call that runs past midnight is refused: split it over the two days", "[order]") {
  OrderMarket f;
  f.rejected(scheduled({{kTuesday, at(23, 30), 45, 1}}), Code::schedule_call_past_midnight);
  // Ending exactly at midnight is fine.
  CHECK(f.run(PostPackage{scheduled({{kTuesday, at(23, 30), 30, 1}}), sealed({"Ada", "", "", ""})}).ok());
}

TEST_CASE("two calls of one day that overlap are refused but back to back is fine", "[order]") {
  OrderMarket f;
  f.rejected(scheduled({{kMonday0, at(8), 60, 1}, {kMonday0, at(8, 30), 30, 2}}), Code::schedule_calls_overlap);
  f.rejected(scheduled({{kMonday0, at(8), 30, 1}, {kMonday0, at(8), 30, 1}}), Code::schedule_calls_overlap);
  CHECK(f.run(PostPackage{scheduled({{kMonday0, at(8), 30, 1}, {kMonday0, at(8, 30), 30, 1}}), sealed({"Ada", "", "", ""})}).ok());
  // The same time on different days does not overlap.
  CHECK(f.run(PostPackage{scheduled({{kMonday0, at(8), 30, 1}, {kTuesday, at(8), 30, 1}}), sealed({"Ada", "", "", ""})}).ok());
}

TEST_CASE("a call of zero or negative length or a bad weekday or start or number of carers is refused", "[order]") {
  OrderMarket f;
  f.rejected(scheduled({{kMonday0, at(8), 0, 1}}), Code::schedule_call_length);
  f.rejected(scheduled({{kMonday0, at(8), -15, 1}}), Code::schedule_call_length);
  f.rejected(scheduled({{7, at(8), 30, 1}}), Code::schedule_invalid_call);
  f.rejected(scheduled({{-1, at(8), 30, 1}}), Code::schedule_invalid_call);
  f.rejected(scheduled({{kMonday0, 24 * 60, 30, 1}}), Code::schedule_invalid_call);
  f.rejected(scheduled({{kMonday0, at(8), 30, 3}}), Code::schedule_invalid_call);
  f.rejected(scheduled({{kMonday0, at(8), 30, 0}}), Code::schedule_invalid_call);
}

TEST_CASE("a schedule must agree with the quantity and double_handed given beside it and needs an hours lot",
          "[order]") {
  OrderMarket f;
  PackageSpec wrong_quantity = scheduled({{kMonday0, at(8), 30, 1}});
  wrong_quantity.quantity = 60;
  f.rejected(wrong_quantity, Code::visit_pattern_mismatch);
  PackageSpec not_double = scheduled({{kMonday0, at(8), 30, 1}});
  not_double.double_handed = true;
  f.rejected(not_double, Code::visit_pattern_mismatch);
  PackageSpec both = scheduled({{kMonday0, at(8), 30, 1}});
  both.visits = {1, 30, 1};
  f.rejected(both, Code::visit_pattern_mismatch);

  DpsConfig places = home_care_config();
  places.lots[0].unit = Unit::places;
  MarketFixture g(places);
  expect_rejected(g, PostPackage{scheduled({{kMonday0, at(8), 30, 1}}), sealed({"Ada", "", "", ""})}, Code::visit_pattern_mismatch);
}

TEST_CASE("the visits summary keeps its meaning: quantity minutes of visits with two carers each when double-handed",
          "[order]") {
  OrderMarket f;
  PackageSpec s = MarketFixture::standard_package();  // 4 × 30 minutes × 7 days = 840
  s.double_handed = true;
  const PackageId id = f.post(s);
  const PackageSpec& spec = *f.package(id).spec;
  CHECK(spec.schedule.empty());
  CHECK(weekly_person_minutes(spec) == 840);
  CHECK(weekly_carer_minutes(spec) == 1680);
  CHECK(weekly_value(spec, Unit::hours, 3000) == 84000);  // £30 × 28 carer hours
  CHECK(weekly_value(spec, Unit::places, 95000) == 95000 * 840);
}

TEST_CASE("an end date must come after the start", "[order]") {
  OrderMarket f;
  PackageSpec s = MarketFixture::standard_package();
  s.end_date = s.start_date;
  f.rejected(s, Code::end_date_before_start);
  s.end_date = s.start_date + 84;
  CHECK(f.package(f.post(s)).spec->end_date == s.start_date + 84);
}

TEST_CASE("funding shares must total 100% and agree with the funder", "[order]") {
  OrderMarket f;
  PackageSpec s = MarketFixture::standard_package();
  s.funder = Funder::joint;
  s.funding = {{Funder::council, 60}, {Funder::nhs, 30}};
  f.rejected(s, Code::funding_share_not_100);
  s.funding = {{Funder::council, 60}, {Funder::nhs, 50}};
  f.rejected(s, Code::funding_share_not_100);
  s.funding = {{Funder::council, 100}, {Funder::nhs, 0}};
  f.rejected(s, Code::funding_share_not_100);
  s.funding = {{Funder::council, 50}, {Funder::council, 50}};
  f.rejected(s, Code::invalid_package);
  s.funding = {{Funder::joint, 100}};
  f.rejected(s, Code::unknown_funder);
  s.funding = {{static_cast<Funder>(9), 100}};
  f.rejected(s, Code::unknown_funder);
  s.funding = {{Funder::council, 60}, {Funder::nhs, 40}};
  s.funder = Funder::council;  // two payers make it joint
  f.rejected(s, Code::funder_mismatch);
  s.funder = Funder::joint;
  const PackageId id = f.post(s);
  CHECK(f.package(id).spec->funding == std::vector<FundingShare>{{Funder::council, 60}, {Funder::nhs, 40}});
  // One payer: the funder is that payer.
  PackageSpec nhs = MarketFixture::standard_package();
  nhs.funder = Funder::nhs;
  nhs.funding = {{Funder::nhs, 100}};
  CHECK(f.run(PostPackage{nhs, sealed({"Ada", "", "", ""})}).ok());
}

TEST_CASE("an offer confirms each must-meet requirement by name", "[order]") {
  OrderMarket f;
  PackageSpec s = MarketFixture::standard_package();
  s.must_meet = {"female carers", "hoist trained"};
  const PackageId id = f.post(s);
  const Reply missing = f.offer_confirming("A", id, {"female carers"});
  CHECK(missing.status.code == Code::must_meet_not_confirmed);
  CHECK(missing.status.detail.find("hoist trained") != std::string::npos);
  CHECK(f.offer_confirming("A", id, {}).status.code == Code::must_meet_not_confirmed);
  CHECK(f.offer_confirming("A", id, {"female carers", "hoist trained", "cat lover"}).status.code ==
        Code::unknown_must_meet);
  CHECK(f.count<OfferPlaced>() == 0);
  REQUIRE(f.offer_confirming("A", id, {"hoist trained", "female carers"}).ok());
  CHECK(f.package(id).offer_of(*f.market.find_location("A"))->must_meet_confirmed);
  // The one flag older clients send still confirms every requirement at once.
  REQUIRE(f.offer_confirming("B", id, {}, true).ok());
}

TEST_CASE("naming a must-meet requirement on a package with none is refused", "[order]") {
  OrderMarket f;
  const PackageId id = f.post();
  CHECK(f.offer_confirming("A", id, {"female carers"}).status.code == Code::unknown_must_meet);
  CHECK(f.offer_confirming("A", id, {}).ok());
}

TEST_CASE("an offer's payload hash covers the requirements it confirms and is unchanged without them", "[order]") {
  OrderMarket f;
  PackageSpec s = MarketFixture::standard_package();
  s.must_meet = {"female carers"};
  const PackageId id = f.post(s);
  const auto journaled = [&] { return std::get<OfferPlaced>(f.events.back()).request.payload_hash; };
  const auto digest_of_fields = [](const PlaceOffer& c, bool with_confirmations) {
    Digest d;
    d.u64(Command(c).index());
    d.add(c.provider).add(c.location).add(c.request_id).add(c.package).add(c.price).add(c.start_date);
    d.add(c.must_meet_confirmed).add(c.notes);
    if (with_confirmations) d.add(c.confirmed_must_meet);
    return d.value();
  };
  PlaceOffer by_name{"P-A", "A", "h-1", id, 3000, kMonday + 2, false, ""};
  by_name.confirmed_must_meet = {"female carers"};
  REQUIRE(f.run(by_name).ok());
  CHECK(journaled() == digest_of_fields(by_name, true));
  const PlaceOffer blanket{"P-B", "B", "h-2", id, 3000, kMonday + 2, true, ""};
  REQUIRE(f.run(blanket).ok());
  CHECK(journaled() == digest_of_fields(blanket, false));  // as before confirmations existed
}
