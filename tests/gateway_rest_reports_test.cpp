// The REST API for market reports (GET /api/v1/reports/{name}): the figures in JSON and CSV,
// who may ask, and the rejections bad input gets.
#include <catch2/catch.hpp>

#include "gateway/rest/csv.h"
#include "report_rows.h"
#include "rest_harness.h"

using namespace carebroker::testing;

namespace {

/// Two packages placed with B: the council's at £28.00 an hour, the NHS's at £30.00.
struct ReportedMarket {
  RestHarness h;
  ReportedMarket() {
    h.configure_market();
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

std::vector<std::string> lines_of(const std::string& csv) {
  std::vector<std::string> lines;
  std::size_t at = 0;
  while (at < csv.size()) {
    const std::size_t end = csv.find("\r\n", at);
    REQUIRE(end != std::string::npos);  // every record ends in CRLF
    lines.push_back(csv.substr(at, end - at));
    at = end + 2;
  }
  return lines;
}

}  // namespace

TEST_CASE("the rates report over REST: quartiles against the fair cost, split by funder", "[rest][reports]") {
  ReportedMarket m;
  RestHarness& h = m.h;
  const json::value r = h.must(200, "GET", std::string("/api/v1/reports/rates?") + kWeek, h.officer);
  CHECK(str(r.at("report")) == "rates");
  CHECK(str(r.at("from")) == "2026-11-23");
  CHECK(str(r.at("dates")) == "Europe/London");
  const json::object& all = find_row(r, {{"funder", "all"}, {"zone", "all"}, {"category", "all"}});
  CHECK(all.at("placements").as_int64() == 2);
  CHECK(all.at("rate_q1").as_int64() == 2850);
  CHECK(all.at("rate_median").as_int64() == 2900);
  CHECK(all.at("rate_q3").as_int64() == 2950);
  CHECK(all.at("fair_cost").as_int64() == 3214);
  CHECK(all.at("median_minus_fair_cost").as_int64() == -314);
  CHECK(number(all.at("median_pct_of_fair_cost")) == Approx(90.2));  // 2900 / 3214
  const json::object& nhs = find_row(r, {{"funder", "nhs"}, {"zone", "south"}, {"category", "older_people"}});
  CHECK(nhs.at("rate_median").as_int64() == 3000);
  // Only the council's: one row set, no NHS rows.
  const json::value council = h.must(200, "GET", std::string("/api/v1/reports/rates?funder=council&") + kWeek, h.compliance);
  CHECK(str(council.at("funder")) == "council");
  for (const auto& row : council.at("rows").as_array()) CHECK(str(row.at("funder")) != "nhs");
  CHECK(find_row(council, {{"funder", "all"}, {"zone", "all"}, {"category", "all"}}).at("rate_median").as_int64() == 2800);
}

TEST_CASE("the sourcing report over REST: rates as percentages, none when nothing to divide", "[rest][reports]") {
  ReportedMarket m;
  RestHarness& h = m.h;
  const json::value r = h.must(200, "GET", std::string("/api/v1/reports/sourcing?") + kWeek, h.admin);
  const json::object& all = find_row(r, {{"funder", "all"}, {"urgency", "all"}});
  CHECK(all.at("posted").as_int64() == 2);
  CHECK(all.at("placed").as_int64() == 2);
  CHECK(number(all.at("unsourced_rate_pct")) == 0.0);
  CHECK(number(all.at("hand_back_rate_pct")) == 0.0);
  CHECK(all.at("time_to_source_median_minutes").is_int64());
  // A week with nothing posted: no rows (and no division by zero anywhere).
  const json::value empty = h.must(200, "GET", "/api/v1/reports/sourcing?dps=home-care&from=2026-11-16&to=2026-11-22", h.officer);
  CHECK(empty.at("rows").as_array().empty());
}

TEST_CASE("the capacity report over REST: units a week, to one decimal place", "[rest][reports]") {
  ReportedMarket m;
  RestHarness& h = m.h;
  const json::value r = h.must(200, "GET", std::string("/api/v1/reports/capacity?") + kWeek, h.officer);
  const json::object& all = find_row(r, {{"funder", "all"}, {"zone", "all"}, {"category", "all"}});
  CHECK(all.at("locations").as_int64() == 1);
  CHECK(number(all.at("declared_per_week")) == 500);  // B's declared 500 hours
  CHECK(all.at("placements").as_int64() == 2);
  CHECK(number(all.at("used_per_week")) == 28);  // two placements of 14 hours
  CHECK(number(all.at("used_pct_of_declared")) == Approx(5.6));
  CHECK(all.at("packages_posted").as_int64() == 2);
  CHECK(number(all.at("demand_per_week")) == 28);
  CHECK(number(find_row(r, {{"funder", "nhs"}, {"zone", "south"}, {"category", "all"}}).at("used_per_week")) == 14);
}

TEST_CASE("a report as CSV: a header row, then one record per row, CRLF line ends", "[rest][reports][csv]") {
  ReportedMarket m;
  RestHarness& h = m.h;
  const HttpResponse csv = h.call("GET", std::string("/api/v1/reports/rates?format=csv&") + kWeek, h.officer);
  REQUIRE(csv.status == 200);
  CHECK(csv.content_type == "text/csv; charset=utf-8");
  const auto lines = lines_of(csv.body);
  REQUIRE_FALSE(lines.empty());
  CHECK(lines[0] ==
        "funder,lot,zone,category,placements,rate_q1,rate_median,rate_q3,fair_cost,median_minus_fair_cost,"
        "median_pct_of_fair_cost");
  const json::value as_json = h.must(200, "GET", std::string("/api/v1/reports/rates?") + kWeek, h.officer);
  CHECK(lines.size() == as_json.at("rows").as_array().size() + 1);
  CHECK(std::find(lines.begin(), lines.end(), "all,hc,all,all,2,2850,2900,2950,3214,-314,90.2") != lines.end());
  // Asked for by the Accept header, with no format named.
  HttpRequest accept_csv{"GET", std::string("/api/v1/reports/sourcing?") + kWeek, "Bearer " + h.officer, "", ""};
  accept_csv.accept = "text/csv, */*;q=0.1";
  const HttpResponse by_header = h.send(accept_csv);
  CHECK(by_header.content_type == "text/csv; charset=utf-8");
  CHECK(by_header.body.rfind("funder,urgency,posted,", 0) == 0);
  // ?format=json wins over the header.
  accept_csv.target += "&format=json";
  CHECK(h.send(accept_csv).content_type == "application/json");
}

TEST_CASE("CSV fields holding a comma, a quote or a line break are quoted, quotes doubled", "[reports][csv]") {
  using carebroker::gateway::rest::append_csv_record;
  using carebroker::gateway::rest::csv_field;
  CHECK(csv_field("south") == "south");
  CHECK(csv_field("a,b") == "\"a,b\"");
  CHECK(csv_field("say \"hi\"") == "\"say \"\"hi\"\"\"");
  CHECK(csv_field("two\nlines") == "\"two\nlines\"");
  CHECK(csv_field("") == "");
  std::string out;
  append_csv_record(out, {"x", "", "1,5"});
  CHECK(out == "x,,\"1,5\"\r\n");
}

TEST_CASE("a report refuses bad input with a specific code", "[rest][reports]") {
  ReportedMarket m;
  RestHarness& h = m.h;
  const auto code = [&](const std::string& target) { return h.error_code(h.call("GET", target, h.officer)); };
  const auto status = [&](const std::string& target) { return h.call("GET", target, h.officer).status; };
  const std::string week = kWeek;
  CHECK(code("/api/v1/reports/profits?" + week) == "unknown_report");
  CHECK(status("/api/v1/reports/profits?" + week) == 404);
  CHECK(code("/api/v1/reports/rates?dps=nowhere&from=2026-11-23&to=2026-11-29") == "unknown_dps");
  CHECK(status("/api/v1/reports/rates?dps=nowhere&from=2026-11-23&to=2026-11-29") == 404);
  CHECK(code("/api/v1/reports/rates?from=2026-11-23&to=2026-11-29") == "invalid_query");  // no dps
  CHECK(code("/api/v1/reports/rates?dps=home-care&to=2026-11-29") == "invalid_period");    // no from
  CHECK(code("/api/v1/reports/rates?dps=home-care&from=2026-11-23") == "invalid_period");  // no to
  CHECK(code("/api/v1/reports/rates?dps=home-care&from=2026-02-30&to=2026-11-29") == "invalid_period");
  CHECK(code("/api/v1/reports/rates?dps=home-care&from=23/11/2026&to=2026-11-29") == "invalid_period");
  CHECK(code("/api/v1/reports/rates?dps=home-care&from=2026-11-29&to=2026-11-23") == "invalid_period");  // reversed
  CHECK(status("/api/v1/reports/rates?dps=home-care&from=2026-11-29&to=2026-11-23") == 422);
  CHECK(code("/api/v1/reports/rates?funder=lottery&" + week) == "invalid_query");
  CHECK(code("/api/v1/reports/rates?format=xml&" + week) == "invalid_format");
  CHECK(status("/api/v1/reports/rates?format=xml&" + week) == 422);
  CHECK(status("/api/v1/reports/rates?colour=red&" + week) == 422);  // an unknown query parameter
  // One day is a period: from = to.
  CHECK(status("/api/v1/reports/rates?dps=home-care&from=2026-11-23&to=2026-11-23") == 200);
}

TEST_CASE("reports are for admin, officers and compliance: not providers, not anonymous", "[rest][reports][auth]") {
  ReportedMarket m;
  RestHarness& h = m.h;
  const std::string target = std::string("/api/v1/reports/sourcing?") + kWeek;
  CHECK(h.call("GET", target, h.admin).status == 200);
  CHECK(h.call("GET", target, h.officer).status == 200);
  CHECK(h.call("GET", target, h.compliance).status == 200);
  CHECK(h.call("GET", target, h.issue(Role::provider, "B's provider", "P-B")).status == 403);
  CHECK(h.call("GET", target, "").status == 401);
}
