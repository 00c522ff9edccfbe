// REST for home-care orders: a package posted with a schedule, end date and funding shares (and
// the old visits summary, still accepted), shown in the package view with weekly hours, each
// offer's weekly value, must-meet confirmations and explanation; the spot purchase after an
// unsourced package, recorded and listed. Bad input is refused with a specific code and changes
// nothing.
#include <catch2/catch.hpp>

#include <string>

#include "rest_harness.h"

using namespace carebroker::testing;

namespace {

struct OrderRest : RestHarness {
  OrderRest() {
    configure_market();
    admit("A");
  }
  void refused(const std::string& body, int status, const std::string& code, const std::string& detail = "") {
    RestHarness::refused("POST", "/api/v1/packages", officer, body, status, code, detail);
  }
};

/// A package body with `terms` in place of the visits summary and quantity.
std::string order(const std::string& terms) {
  return R"({"dps": "home-care", "lot": "hc", "categories": ["older_people"], "postcode_district": "B13",
             "start_date": "2026-11-25", "person": {"name": "Ada Example"}, )" +
         terms + "}";
}

}  // namespace

TEST_CASE("REST: a package posted with a schedule shows its calls and weekly hours and funding shares", "[rest][order]") {
  OrderRest m;
  const auto posted = m.must(201, "POST", "/api/v1/packages", m.officer, order(R"(
      "schedule": {"monday": [{"at": "07:30", "minutes": 45, "carers": 2}, {"at": "12:00", "minutes": 30}],
                   "sunday": [{"at": "21:30", "minutes": 30, "carers": 2}]},
      "end_date": "2027-02-28", "must_meet": ["hoist trained"],
      "funding": [{"funder": "council", "percent": 70}, {"funder": "self_funder", "percent": 30}])"));
  const auto id = posted.at("package").to_number<std::uint64_t>();
  const auto view = m.must(200, "GET", "/api/v1/packages/" + std::to_string(id), m.officer);
  CHECK(view.at("quantity") == 105);  // the person's minutes: 45 + 30 + 30
  CHECK(view.at("funder") == "joint");  // two payers
  CHECK(view.at("end_date") == "2027-02-28");
  CHECK(view.at("double_handed") == true);
  CHECK(view.at("schedule").at("monday").as_array().size() == 2);
  CHECK(view.at("schedule").at("monday").at(0).at("at") == "07:30");
  CHECK(view.at("schedule").at("sunday").at(0).at("carers") == 2);
  CHECK(view.at("weekly_hours").at("carer").at("minutes") == 180);  // 90 + 30 + 60
  CHECK(view.at("weekly_hours").at("person").at("minutes") == 105);
  CHECK(view.at("funding").at(1).at("funder") == "self_funder");
  CHECK(view.at("funding").at(1).at("percent") == 30);
  CHECK(view.at("spot_purchase").is_null());

  carebroker::engine::PlaceOffer offer{"P-A", "A", "r-1", id, 3000, kMonday + 2, false, ""};
  offer.confirmed_must_meet = {"hoist trained"};
  REQUIRE(m.service.run(offer).ok());
  const auto ranked = m.must(200, "GET", "/api/v1/packages/" + std::to_string(id), m.officer).at("ranking").at("offers").at(0);
  CHECK(ranked.at("weekly_value") == 9000);  // £30 × 3 carer hours
  CHECK(ranked.at("must_meet_confirmations").at(0) == "hoist trained");
  CHECK(ranked.at("provider_explanation").is_null());
}

TEST_CASE("REST: the visits summary is still accepted as 100% of its funder", "[rest][order]") {
  OrderRest m;
  const auto view = m.must(200, "GET", "/api/v1/packages/" +
                                          std::to_string(m.must(201, "POST", "/api/v1/packages", m.officer, kPackageJson)
                                                             .at("package")
                                                             .to_number<std::uint64_t>()),
                           m.officer);
  CHECK(view.at("visits").at("visits_per_day") == 4);
  CHECK(view.at("schedule").is_null());
  CHECK(view.at("end_date").is_null());
  CHECK(view.at("funding").at(0).at("funder") == "council");
  CHECK(view.at("funding").at(0).at("percent") == 100);
  CHECK(view.at("weekly_hours").at("carer").at("minutes") == 840);
}

TEST_CASE("REST: a schedule with a call past midnight or overlapping calls or a bad call is refused", "[rest][order]") {
  OrderRest m;
  m.refused(order(R"("schedule": {"friday": [{"at": "23:30", "minutes": 60}]})"), 422, "schedule_call_past_midnight",
            "friday 23:30");
  m.refused(order(R"("schedule": {"monday": [{"at": "08:00", "minutes": 60}, {"at": "08:30", "minutes": 30}]})"), 422,
            "schedule_calls_overlap");
  m.refused(order(R"("schedule": {"monday": [{"at": "08:00", "minutes": 0}]})"), 422, "schedule_call_length");
  m.refused(order(R"("schedule": {"monday": [{"at": "08:00", "minutes": -30}]})"), 422, "schedule_call_length");
  m.refused(order(R"("schedule": {"monday": [{"at": "08:00", "minutes": 30, "carers": 3}]})"), 422,
            "schedule_invalid_call");
  m.refused(order(R"("schedule": {"monday": [{"at": "24:00", "minutes": 30}]})"), 422, "invalid_value", "schedule.monday[0].at");
  m.refused(order(R"("schedule": {"monday": [{"at": "8:00", "minutes": 30}]})"), 422, "invalid_value");
  m.refused(order(R"("schedule": {"mondays": [{"at": "08:00", "minutes": 30}]})"), 422, "unknown_field", "schedule.mondays");
  m.refused(order(R"("schedule": {"monday": [{"minutes": 30}]})"), 422, "missing_field", "schedule.monday[0].at");
  m.refused(order(R"("schedule": {"monday": [{"at": "08:00", "minutes": 30}]}, "quantity": 60)"), 422,
            "visit_pattern_mismatch");
  m.refused(order(R"("schedule": {"monday": [{"at": "08:00", "minutes": 30}]},
                     "visits": {"visits_per_day": 1, "minutes_per_visit": 30, "days_per_week": 1})"),
            422, "visit_pattern_mismatch");
  m.refused(order(R"("schedule": {"monday": [{"at": "08:00", "minutes": 30}]}, "end_date": "2026-11-25")"), 422,
            "end_date_before_start");
  m.refused(order(R"("visits": {"visits_per_day": 1, "minutes_per_visit": 30, "days_per_week": 1})"), 422,
            "missing_field", "quantity");  // without a schedule the quantity is still required
}

TEST_CASE("REST: funding shares that do not total 100% or an unknown funder are refused", "[rest][order]") {
  OrderRest m;
  const std::string call = R"("schedule": {"monday": [{"at": "08:00", "minutes": 30}]}, )";
  m.refused(order(call + R"("funding": [{"funder": "council", "percent": 60}, {"funder": "nhs", "percent": 30}])"), 422,
            "funding_share_not_100", "90%");
  m.refused(order(call + R"("funding": [{"funder": "council", "percent": 60}, {"funder": "nhs", "percent": 50}])"), 422,
            "funding_share_not_100");
  m.refused(order(call + R"("funding": [{"funder": "nhs_chc", "percent": 100}])"), 422, "unknown_funder",
            "funding[0].funder");
  m.refused(order(call + R"("funder": "health_board")"), 422, "unknown_funder");
  m.refused(order(call + R"("funding": [{"funder": "joint", "percent": 100}])"), 422, "unknown_funder");
  m.refused(order(call + R"("funder": "council", "funding": [{"funder": "council", "percent": 50}, {"funder": "nhs", "percent": 50}])"),
            422, "funder_mismatch");
  m.refused(order(call + R"("funding": [{"funder": "council", "percent": "100"}])"), 422, "wrong_type");
}

TEST_CASE("REST: the spot purchase after an unsourced package is recorded and shown and listed", "[rest][spot]") {
  OrderRest m;
  // Nobody serves North: both tiers cascade at once and the package is unsourced.
  const std::string north = R"({"dps": "home-care", "lot": "hc", "categories": ["older_people"], "postcode_district": "B23",
      "quantity": 600, "start_date": "2026-11-25", "person": {"name": "Ada Example"}})";
  const auto id = std::to_string(m.must(201, "POST", "/api/v1/packages", m.officer, north).at("package").to_number<std::uint64_t>());
  const auto open_id =
      std::to_string(m.must(201, "POST", "/api/v1/packages", m.officer, kPackageJson).at("package").to_number<std::uint64_t>());
  REQUIRE(m.must(200, "GET", "/api/v1/packages/" + id, m.officer).at("status") == "unsourced");

  const auto unchanged = [&](const std::string& target, const std::string& body, int status, const std::string& code) {
    const auto digest = m.service.market().digest();
    const HttpResponse r = m.call("POST", target, m.officer, body);
    INFO(body << " → " << r.status << " " << r.body);
    CHECK(r.status == status);
    CHECK(RestHarness::error_code(r) == code);
    CHECK(m.service.market().digest() == digest);
  };
  const std::string spot = "/api/v1/packages/" + id + "/spot-purchase";
  unchanged("/api/v1/packages/" + open_id + "/spot-purchase", R"({"location": "A", "rate": 3000, "reason": "r"})", 409,
            "package_not_unsourced");
  unchanged("/api/v1/packages/999/spot-purchase", R"({"location": "A", "rate": 3000, "reason": "r"})", 404, "unknown_package");
  unchanged("/api/v1/packages/x/spot-purchase", R"({"location": "A", "rate": 3000, "reason": "r"})", 404, "unknown_package");
  unchanged(spot, R"({"location": "A", "reason": "r"})", 422, "missing_field");
  unchanged(spot, R"({"location": "A", "rate": 0, "reason": "r"})", 422, "price_not_positive");
  unchanged(spot, R"({"location": "A", "rate": 30.5, "reason": "r"})", 422, "invalid_money");
  unchanged(spot, R"({"location": "A", "rate": 3000})", 422, "missing_field");
  unchanged(spot, R"({"rate": 3000, "reason": "r"})", 404, "unknown_location");
  unchanged(spot, R"({"location": "A", "rate": 3000, "reason": "r", "officer": "someone"})", 422, "unknown_field");

  const auto ok = m.must(200, "POST", spot, m.officer,
                         R"({"provider": "Elm Spot Care Ltd", "location": "1-555000111", "rate": 3900, "reason": "no framework capacity"})");
  CHECK(ok.at("package").to_number<std::uint64_t>() == std::stoull(id));
  unchanged(spot, R"({"location": "A", "rate": 3000, "reason": "r"})", 409, "spot_purchase_already_recorded");

  const auto view = m.must(200, "GET", "/api/v1/packages/" + id, m.officer).at("spot_purchase");
  CHECK(view.at("provider") == "Elm Spot Care Ltd");
  CHECK(view.at("off_framework") == true);
  CHECK(view.at("rate") == 3900);
  CHECK(view.at("weekly_value") == 39000);  // £39 × 10 hours
  CHECK(view.at("officer") == "brokerage-officer-1");

  const auto list = m.must(200, "GET", "/api/v1/spot-purchases", m.compliance);
  CHECK(list.at("total") == 1);
  CHECK(list.at("off_framework") == 1);
  CHECK(list.at("items").at(0).at("spot_purchase").at("reason") == "no framework capacity");
  CHECK(m.must(200, "GET", "/api/v1/spot-purchases?off_framework=false", m.officer).at("total") == 0);
  CHECK(m.must(200, "GET", "/api/v1/spot-purchases?dps=home-care", m.officer).at("total") == 1);
  CHECK(RestHarness::error_code(m.call("GET", "/api/v1/spot-purchases?off_framework=yes", m.officer)) == "invalid_query");
  CHECK(RestHarness::error_code(m.call("GET", "/api/v1/spot-purchases?dps=nope", m.officer)) == "invalid_query");
}
