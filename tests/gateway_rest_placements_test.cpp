// The REST API for live placements: who is affected (live placements and totals per provider),
// declared capacity, one package's placement, and the officer's actions on it — with the
// rejections a bad request gets.
#include <catch2/catch.hpp>

#include "rest_harness.h"

using namespace carebroker::testing;

namespace {

/// Two providers' locations (A, B) admitted; package 1 placed with B at £28.00 an hour.
struct PlacedMarket {
  RestHarness h;
  PlacedMarket() {
    h.configure_market();
    h.admit("A");
    h.admit("B");
    h.must(201, "POST", "/api/v1/packages", h.officer, kPackageJson);
    REQUIRE(h.offer("B", 1, 2800).ok());
    h.pass_deadline(1);
    REQUIRE(h.accept("B", 1).ok());
  }
};

}  // namespace

TEST_CASE("who is affected: live placements by provider with weekly hours, value and totals", "[rest][placement]") {
  PlacedMarket m;
  RestHarness& h = m.h;
  const json::value all = h.must(200, "GET", "/api/v1/placements", h.officer);
  CHECK(all.at("total").as_int64() == 1);
  const json::value& row = all.at("items").at(0);
  CHECK(row.at("package").as_int64() == 1);
  CHECK(str(row.at("location")) == "B");
  CHECK(str(row.at("provider")) == "P-B");
  CHECK(str(row.at("zone")) == "south");
  CHECK(row.at("hours_per_week").as_int64() == 14);
  CHECK(row.at("weekly_value").as_int64() == 2800 * 14);
  const json::value& totals = all.at("providers").at(0);
  CHECK(str(totals.at("provider")) == "P-B");
  CHECK(totals.at("people").as_int64() == 1);
  CHECK(totals.at("hours_per_week").as_int64() == 14);

  CHECK(h.must(200, "GET", "/api/v1/placements?provider=P-A", h.compliance).at("total").as_int64() == 0);
  CHECK(h.must(200, "GET", "/api/v1/placements?dps=home-care&zone=south&category=older_people", h.officer)
            .at("total")
            .as_int64() == 1);
  CHECK(h.error_code(h.call("GET", "/api/v1/placements?dps=nowhere", h.officer)) == "invalid_query");
  CHECK(h.call("GET", "/api/v1/placements?colour=red", h.officer).status == 422);  // unknown query parameter
  CHECK(h.call("GET", "/api/v1/placements", h.admin).status == 403);

  const json::value capacity = h.must(200, "GET", "/api/v1/capacity?dps=home-care", h.officer);
  REQUIRE(capacity.at("items").as_array().size() == 2);
  CHECK(str(capacity.at("items").at(1).at("location")) == "B");
  CHECK(capacity.at("items").at(1).at("placed").as_int64() == 14);
  CHECK(capacity.at("items").at(1).at("capacity").as_int64() == 500);
  CHECK_FALSE(capacity.at("items").at(1).at("at_capacity").as_bool());
  CHECK(h.must(200, "GET", "/api/v1/capacity?at_capacity=true", h.officer).at("items").as_array().empty());
  CHECK(h.error_code(h.call("GET", "/api/v1/capacity?at_capacity=maybe", h.officer)) == "invalid_query");
}

TEST_CASE("an officer plans, and then brings forward, the end of a placement by REST", "[rest][placement]") {
  PlacedMarket m;
  RestHarness& h = m.h;
  const json::value placement = h.must(200, "GET", "/api/v1/packages/1/placement", h.officer);
  CHECK(str(placement.at("status")) == "live");
  CHECK(placement.at("rate").as_int64() == 2800);
  CHECK(placement.at("ends_on").is_null());
  CHECK(str(h.must(200, "GET", "/api/v1/packages/1", h.officer).at("placement").at("location")) == "B");

  h.must(200, "POST", "/api/v1/packages/1/placement/planned-end", h.officer, R"({"planned_end": "2027-03-31"})");
  const json::value planned = h.must(200, "GET", "/api/v1/packages/1/placement", h.officer);
  CHECK(str(planned.at("ends_on")) == "2027-03-31");
  CHECK(str(planned.at("ending_reason")) == "planned_end");

  CHECK(h.error_code(h.call("POST", "/api/v1/packages/1/placement/end", h.officer, R"({"reason": "handed_back"})")) ==
        "invalid_value");  // not an officer's reason
  CHECK(h.error_code(h.call("POST", "/api/v1/packages/1/placement/end", h.officer, R"({"reason": "moved", "why": "x"})")) ==
        "unknown_field");
  CHECK(h.error_code(h.call("POST", "/api/v1/packages/9/placement/end", h.officer, R"({"reason": "moved"})")) ==
        "unknown_package");
  CHECK(h.call("POST", "/api/v1/packages/1/placement/end", h.compliance, R"({"reason": "moved"})").status == 403);
  h.must(200, "POST", "/api/v1/packages/1/placement/end", h.officer, R"({"reason": "residential_care"})");
  const json::value ended = h.must(200, "GET", "/api/v1/packages/1/placement", h.officer);
  CHECK(str(ended.at("status")) == "ended");
  CHECK(str(ended.at("ended").at("reason")) == "residential_care");
  CHECK(str(ended.at("ended").at("by")) == "brokerage-officer-1");  // from the token
  const HttpResponse again = h.call("POST", "/api/v1/packages/1/placement/end", h.officer, R"({"reason": "died"})");
  CHECK(again.status == 409);
  CHECK(h.error_code(again) == "placement_ended");
  CHECK(h.must(200, "GET", "/api/v1/placements", h.officer).at("total").as_int64() == 0);
}

TEST_CASE("a variation by REST: bad hours refused, then sent to market as a new linked package", "[rest][placement]") {
  PlacedMarket m;
  RestHarness& h = m.h;
  const std::string target = "/api/v1/packages/1/placement/variations";
  CHECK(h.error_code(h.call("POST", target, h.officer,
                            R"({"quantity": 0, "effective": "2026-12-01", "reason": "more help"})")) == "invalid_variation");
  CHECK(h.error_code(h.call("POST", target, h.officer,
                            R"({"quantity": 900, "visits": {"visits_per_day": 4, "minutes_per_visit": 30, "days_per_week": 7},
                                "effective": "2026-12-01", "reason": "more help"})")) == "invalid_variation");
  CHECK(h.error_code(h.call("POST", target, h.officer,
                            R"({"quantity": 1260, "visits": {"visits_per_day": 6}, "effective": "2026-12-01", "reason": "x"})")) ==
        "missing_field");
  CHECK(h.error_code(h.call("POST", target, h.officer, R"({"quantity": 1260, "effective": "2026-12-01"})")) ==
        "missing_field");
  CHECK(h.error_code(h.call("POST", "/api/v1/packages/1/placement/variations/market", h.officer, "")) ==
        "no_variation_pending");
  h.must(200, "POST", target, h.officer,
         R"({"quantity": 1260, "visits": {"visits_per_day": 6, "minutes_per_visit": 30, "days_per_week": 7},
             "effective": "2026-12-01", "reason": "more help at lunchtime"})");
  const json::value pending = h.must(200, "GET", "/api/v1/packages/1/placement", h.officer);
  CHECK(pending.at("pending_variation").at("quantity").as_int64() == 1260);
  CHECK(str(pending.at("pending_variation").at("officer")) == "brokerage-officer-1");
  h.must(200, "POST", "/api/v1/packages/1/placement/variations/market", h.officer, "");
  const json::value sent = h.must(200, "GET", "/api/v1/packages/1/placement", h.officer);
  CHECK(sent.at("replacement").as_int64() == 2);
  const json::value replacement = h.must(200, "GET", "/api/v1/packages/2", h.officer);
  CHECK(replacement.at("replaces_placement").as_int64() == 1);
  CHECK(replacement.at("quantity").as_int64() == 1260);
  CHECK(h.error_code(h.call("GET", "/api/v1/packages/2/placement", h.officer)) == "no_placement");
}
