// The REST API for the savings, entering-leaving and RAG-count reports (GET
// /api/v1/reports/{name}): figures in JSON and CSV on the same route and parameters as the
// other reports, and the rejections bad input gets.
#include <catch2/catch.hpp>

#include "report_rows.h"
#include "rest_harness.h"

using namespace carebroker::testing;

namespace {

/// Tuesday 24 November 2026, 10:00 GMT.
carebroker::engine::UtcMillis tuesday_10am() {
  return carebroker::engine::london_to_utc(kMonday + 1, 10 * carebroker::engine::kMillisPerHour);
}

/// The home-care DPS with (or without) a baseline of £29.50 an hour; B admitted; two packages of
/// 14 hours placed with B, the council's at £28.00 an hour and the NHS's at £30.00.
struct SavingsMarket {
  RestHarness h;
  explicit SavingsMarket(bool baseline = true) {
    h.configure_market();
    if (baseline) {
      std::string config = kHomeCareJson;
      const std::string fair = R"("fair_cost": 3214)";
      config.replace(config.find(fair), fair.size(), fair + R"(, "baseline_rate": 2950)");
      h.must(200, "PUT", "/api/v1/dps/home-care", h.admin, config);
    }
    h.admit("B");
    h.must(201, "POST", "/api/v1/packages", h.officer, kPackageJson);
    REQUIRE(h.offer("B", 1, 2800).ok());
    h.pass_deadline(1);
    REQUIRE(h.accept("B", 1).ok());
    std::string nhs = kPackageJson;
    nhs.insert(1, R"("funder": "nhs", )");
    h.must(201, "POST", "/api/v1/packages", h.officer, nhs);
    REQUIRE(h.offer("B", 2, 3000).ok());
    h.pass_deadline(2);
    REQUIRE(h.accept("B", 2).ok());
  }
};

/// The home-care DPS with B admitted on Monday 23 November at 09:00, then the clock on Tuesday
/// at 10:00.
struct LocationsMarket {
  RestHarness h;
  LocationsMarket() {
    h.configure_market();
    h.admit("B");
    REQUIRE(h.service.run(carebroker::engine::Tick{tuesday_10am()}).ok());
  }
};

}  // namespace

TEST_CASE("the savings report over REST: a week and a year against the lot's baseline, by funder", "[rest][reports][savings]") {
  SavingsMarket m;
  RestHarness& h = m.h;
  // The baseline is part of the lot's configuration, and shown with it.
  const json::value dps = h.must(200, "GET", "/api/v1/dps/home-care", h.admin);
  CHECK(dps.at("lots").as_array()[0].at("baseline_rate").as_int64() == 2950);
  const json::value r = h.must(200, "GET", std::string("/api/v1/reports/savings?") + kWeek, h.officer);
  CHECK(str(r.at("report")) == "savings");
  CHECK(r.at("by_funder").as_bool());
  // All: 14 h at £28 + 14 h at £30 = £812.00 a week against 28 h at £29.50 = £826.00: £14.00 a
  // week saved, £728.00 a year, 1.7% of the baseline; a mean £29.00 an hour.
  const json::object& all = find_row(r, {{"funder", "all"}, {"zone", "all"}, {"category", "all"}});
  CHECK(str(all.at("lot")) == "hc");
  CHECK(all.at("placements").as_int64() == 2);
  CHECK(number(all.at("units_per_week")) == 28);
  CHECK(all.at("rate_paid_mean").as_int64() == 2900);
  CHECK(all.at("baseline_rate").as_int64() == 2950);
  CHECK(all.at("paid_per_week").as_int64() == 81200);
  CHECK(all.at("baseline_per_week").as_int64() == 82600);
  CHECK(all.at("saving_per_week").as_int64() == 1400);
  CHECK(all.at("saving_per_year").as_int64() == 72800);
  CHECK(number(all.at("saving_pct_of_baseline")) == Approx(1.7));
  // The council saved £1.50 an hour for 14 hours; the NHS overspent 50p an hour.
  CHECK(find_row(r, {{"funder", "council"}, {"zone", "all"}, {"category", "all"}}).at("saving_per_week").as_int64() == 2100);
  const json::object& nhs = find_row(r, {{"funder", "nhs"}, {"zone", "south"}, {"category", "older_people"}});
  CHECK(nhs.at("saving_per_week").as_int64() == -700);
  CHECK(nhs.at("saving_per_year").as_int64() == -36400);
  // The same table as CSV.
  const HttpResponse csv = h.call("GET", std::string("/api/v1/reports/savings?format=csv&") + kWeek, h.officer);
  REQUIRE(csv.status == 200);
  CHECK(csv.body.rfind("funder,lot,zone,category,placements,units_per_week,rate_paid_mean,baseline_rate,paid_per_week,"
                       "baseline_per_week,saving_per_week,saving_per_year,saving_pct_of_baseline\r\n",
                       0) == 0);
  CHECK(csv.body.find("\r\nall,hc,all,all,2,28,2900,2950,81200,82600,1400,72800,1.7\r\n") != std::string::npos);
}

TEST_CASE("a lot with no baseline reports what was paid and null savings", "[rest][reports][savings]") {
  SavingsMarket m(false);
  const json::value r = m.h.must(200, "GET", std::string("/api/v1/reports/savings?") + kWeek, m.h.officer);
  const json::object& all = find_row(r, {{"funder", "all"}, {"zone", "all"}, {"category", "all"}});
  CHECK(all.at("paid_per_week").as_int64() == 81200);
  CHECK(all.at("baseline_rate").is_null());
  CHECK(all.at("saving_per_week").is_null());
  CHECK(all.at("saving_per_year").is_null());
  CHECK(all.at("saving_pct_of_baseline").is_null());
}

TEST_CASE("entering and leaving over REST: counts by month and each move, not by funder", "[rest][reports][entering-leaving]") {
  LocationsMarket m;
  RestHarness& h = m.h;
  h.must(200, "POST", "/api/v1/locations/B/suspensions", h.compliance, R"({"dps": "home-care", "reason": "missed calls"})");
  const json::value r = h.must(200, "GET", "/api/v1/reports/entering-leaving?dps=home-care&from=2026-11-01&to=2026-12-31", h.officer);
  CHECK_FALSE(r.at("by_funder").as_bool());
  REQUIRE(r.at("rows").as_array().size() == 2);
  const json::object& nov = find_row(r, {{"month", "2026-11"}});
  CHECK(str(nov.at("first_day")) == "2026-11-01");
  CHECK(nov.at("admitted").as_int64() == 1);
  CHECK(nov.at("suspensions").as_int64() == 1);
  CHECK(nov.at("entering").as_int64() == 1);
  CHECK(nov.at("leaving").as_int64() == 1);
  CHECK(nov.at("net_change").as_int64() == 0);
  CHECK(find_row(r, {{"month", "2026-12"}}).at("leaving").as_int64() == 0);
  const json::value list = h.must(200, "GET", "/api/v1/reports/entering-leaving-list?dps=home-care&from=2026-11-01&to=2026-12-31", h.officer);
  REQUIRE(list.at("rows").as_array().size() == 2);
  const json::object& suspended = find_row(list, {{"kind", "suspended"}});
  CHECK(str(suspended.at("date")) == "2026-11-24");
  CHECK(str(suspended.at("at")) == "2026-11-24 10:00 GMT");
  CHECK(str(suspended.at("direction")) == "leaving");
  CHECK(str(suspended.at("location_id")) == "B");
  CHECK(str(suspended.at("location_name")) == "B branch");
  CHECK(str(suspended.at("provider_id")) == "P-B");
  CHECK(suspended.at("in_dps_before").as_bool());
  CHECK_FALSE(suspended.at("in_dps_after").as_bool());
  const HttpResponse csv = h.call("GET", "/api/v1/reports/entering-leaving-list?format=csv&dps=home-care&from=2026-11-24&to=2026-11-24", h.officer);
  CHECK(csv.body == "date,at,direction,kind,location_id,location_name,provider_id,in_dps_before,in_dps_after\r\n"
                    "2026-11-24,2026-11-24 10:00 GMT,leaving,suspended,B,B branch,P-B,true,false\r\n");
}

TEST_CASE("RAG counts over REST: by week unless asked by day", "[rest][reports][rag-counts]") {
  LocationsMarket m;
  RestHarness& h = m.h;
  h.must(200, "PATCH", "/api/v1/locations/B/quality", h.compliance, R"({"embargo": true, "reason": "safeguarding enquiry"})");
  const json::value week = h.must(200, "GET", std::string("/api/v1/reports/rag-counts?") + kWeek, h.officer);
  CHECK(str(week.at("bucket")) == "week");
  REQUIRE(week.at("rows").as_array().size() == 1);
  const json::object& w = week.at("rows").as_array()[0].as_object();
  CHECK(str(w.at("first_day")) == "2026-11-23");
  CHECK(str(w.at("last_day")) == "2026-11-29");
  CHECK(str(w.at("counted_at")) == "2026-11-24 10:00 GMT");  // as the market stands now
  CHECK(w.at("red").as_int64() == 1);
  CHECK(w.at("locations").as_int64() == 1);
  const json::value day = h.must(200, "GET", std::string("/api/v1/reports/rag-counts?bucket=day&") + kWeek, h.officer);
  CHECK(str(day.at("bucket")) == "day");
  REQUIRE(day.at("rows").as_array().size() == 2);  // Monday and Tuesday (today); none to come
  const json::object& monday = find_row(day, {{"first_day", "2026-11-23"}});
  CHECK(str(monday.at("counted_at")) == "2026-11-23 23:59 GMT");
  CHECK(monday.at("green").as_int64() == 1);
  CHECK(monday.at("red").as_int64() == 0);
  const HttpResponse csv = h.call("GET", std::string("/api/v1/reports/rag-counts?format=csv&bucket=day&") + kWeek, h.officer);
  CHECK(csv.body == "first_day,last_day,counted_at,locations,green,amber,red\r\n"
                    "2026-11-23,2026-11-23,2026-11-23 23:59 GMT,1,1,0,0\r\n"
                    "2026-11-24,2026-11-24,2026-11-24 10:00 GMT,1,0,0,1\r\n");
}

TEST_CASE("the new reports refuse bad input with a specific code", "[rest][reports]") {
  SavingsMarket m;
  RestHarness& h = m.h;
  const auto code = [&](const std::string& target) { return h.error_code(h.call("GET", target, h.officer)); };
  const auto status = [&](const std::string& target) { return h.call("GET", target, h.officer).status; };
  const std::string week = kWeek;
  for (const char* name : {"savings", "entering-leaving", "entering-leaving-list", "rag-counts"}) {
    INFO(name);
    const std::string base = std::string("/api/v1/reports/") + name + "?";
    CHECK(status(base + week) == 200);
    CHECK(code(base + "dps=nowhere&from=2026-11-23&to=2026-11-29") == "unknown_dps");
    CHECK(status(base + "dps=nowhere&from=2026-11-23&to=2026-11-29") == 404);
    CHECK(code(base + "dps=home-care&from=2026-11-29&to=2026-11-23") == "invalid_period");  // from after to
    CHECK(code(base + "dps=home-care&from=2026-11-31&to=2026-12-01") == "invalid_period");  // no 31 November
    CHECK(code(base + "dps=home-care&from=2026-11-23") == "invalid_period");                // no to
    CHECK(code(base + "funder=lottery&" + week) == "invalid_query");
    CHECK(code(base + "format=pdf&" + week) == "invalid_format");
    CHECK(status(base + "format=pdf&" + week) == 422);
  }
  CHECK(code("/api/v1/reports/savings-2?" + week) == "unknown_report");
  CHECK(status("/api/v1/reports/rag?" + week) == 404);
  // A funder where funding does not apply: locations are admitted to a DPS, not to a funder.
  CHECK(status("/api/v1/reports/savings?funder=nhs&" + week) == 200);
  for (const char* name : {"entering-leaving", "entering-leaving-list", "rag-counts"}) {
    INFO(name);
    CHECK(code(std::string("/api/v1/reports/") + name + "?funder=nhs&" + week) == "report_not_by_funder");
    CHECK(status(std::string("/api/v1/reports/") + name + "?funder=nhs&" + week) == 422);
  }
  // Buckets: day or week, and only for rag-counts.
  CHECK(code("/api/v1/reports/rag-counts?bucket=month&" + week) == "invalid_bucket");
  CHECK(status("/api/v1/reports/rag-counts?bucket=month&" + week) == 422);
  CHECK(code("/api/v1/reports/savings?bucket=day&" + week) == "invalid_query");
  // Providers may not read them.
  CHECK(h.call("GET", "/api/v1/reports/rag-counts?" + week, h.issue(Role::provider, "B's provider", "P-B")).status == 403);
}
