// The CQC import over REST (issue 12, item 2): compliance uploads a CQC file
// (POST /api/v1/cqc-imports); the answer accounts for every row; the location shows its rating
// history; past imports are listed and read back; a file missing columns, a broken file, the
// wrong role and unknown imports are refused with their codes, and nothing changes.
#include "rest_harness.h"

using namespace carebroker::testing;

namespace {

const std::string kCqcLocationsFile =
    std::string(CAREBROKER_DATA_DIR) + "/cqc/cqc_birmingham_solihull_domiciliary_care_2026-09.csv";

std::string cqc_upload(const std::string& source, const std::string& csv) {
  return json::serialize(json::object{{"source", source}, {"csv", csv}});
}

/// A market with two of the real Birmingham locations registered by REST.
struct CqcMarket : RestHarness {
  CqcMarket() {
    configure_market();
    must(201, "POST", "/api/v1/providers", compliance, R"({"id": "1-2304519526", "name": "24-7 Care Services Birmingham Ltd"})");
    must(201, "POST", "/api/v1/locations", compliance,
         R"({"id": "1-2375497294", "provider": "1-2304519526", "name": "24-7 Care Services", "postcode": "B33 0TG", "local_authority": "Birmingham"})");
    must(201, "POST", "/api/v1/providers", compliance, R"({"id": "1-14327593737", "name": "3D Care Services Limited"})");
    must(201, "POST", "/api/v1/locations", compliance,
         R"({"id": "1-19611241388", "provider": "1-14327593737", "name": "3 D Care Services", "postcode": "B23 6JS", "local_authority": "Birmingham"})");
  }

  void refused(const std::string& token, const std::string& body, int status, const std::string& code,
               const std::string& detail) {
    RestHarness::refused("POST", "/api/v1/cqc-imports", token, body, status, code, detail);
  }
};

}  // namespace

TEST_CASE("compliance imports the real CQC locations file over REST, every row is accounted for", "[cqc][rest]") {
  CqcMarket m;
  const json::value report = m.must(201, "POST", "/api/v1/cqc-imports", m.compliance,
                                    cqc_upload("cqc_birmingham_solihull_domiciliary_care_2026-09.csv", read_text_file(kCqcLocationsFile)));
  CHECK(report.at("import").as_int64() == 1);
  CHECK(str(report.at("layout")) == "locations");
  CHECK(str(report.at("officer")) == "compliance-1");
  CHECK(report.at("rows").as_int64() == 353);
  CHECK(report.at("not_registered").as_int64() == 351);
  CHECK(report.at("applied").as_int64() == 2);
  CHECK(report.at("rejected").as_int64() == 0);
  CHECK(report.at("by_outcome").at("rating_changed").as_int64() == 1);       // 24-7 Care Services
  CHECK(report.at("by_outcome").at("no_rating_published").as_int64() == 1);  // 3 D Care Services
  const json::array& items = report.at("items").as_array();
  REQUIRE(items.size() == 353);
  CHECK(items[0].at("row").as_int64() == 2);
  CHECK(str(items[0].at("location")) == "1-2375497294");
  CHECK(str(items[0].at("outcome")) == "rating_changed");
  CHECK(str(items[0].at("rating").at("overall")) == "requires_improvement");
  CHECK(str(items[0].at("rating").at("published")) == "2024-01-04");

  const json::value loc = m.must(200, "GET", "/api/v1/locations/1-2375497294", m.officer);
  CHECK(str(loc.at("quality_inputs").at("cqc")) == "requires_improvement");
  REQUIRE(loc.at("cqc_history").as_array().size() == 1);
  CHECK(loc.at("cqc_history").at(0).at("import").as_int64() == 1);

  const json::value list = m.must(200, "GET", "/api/v1/cqc-imports", m.officer);
  CHECK(list.at("total").as_int64() == 1);
  CHECK(list.at("items").at(0).at("rejected").as_int64() == 0);
  CHECK_FALSE(list.at("items").at(0).as_object().contains("items"));
  const json::value again = m.must(200, "GET", "/api/v1/cqc-imports/1", m.compliance);
  CHECK(again.at("items").as_array().size() == 353);
}

TEST_CASE("a CQC cqc_upload retried with its Idempotency-Key gets the same report and imports nothing twice",
          "[cqc][rest]") {
  CqcMarket m;
  const std::string body = cqc_upload("h.csv", "location_id,report_date,overall_rating\n1-2375497294,2018-01-05,Good\n");
  const HttpResponse first = m.call_keyed("POST", "/api/v1/cqc-imports", m.compliance, "cqc-1", body);
  REQUIRE(first.status == 201);
  const auto events = m.service.events().size();
  const HttpResponse retry = m.call_keyed("POST", "/api/v1/cqc-imports", m.compliance, "cqc-1", body);
  REQUIRE(retry.status == 201);
  json::object original = RestHarness::parse(first).as_object();
  original["replayed"] = true;
  CHECK(RestHarness::parse(retry) == json::value(original));
  CHECK(m.service.events().size() == events);
  CHECK(m.service.market().cqc_imports().size() == 1);
}

TEST_CASE("a broken CQC file reports its bad rows by number over REST while good rows apply", "[cqc][rest]") {
  CqcMarket m;
  const json::value report = m.must(201, "POST", "/api/v1/cqc-imports", m.compliance,
                                    cqc_upload("broken.csv",
                                           "location_id,report_date,overall_rating\n"
                                           "1-2375497294,2017-04-07,Requires improvement\n"
                                           "1-2375497294,2018-01-05,Goodish\n"
                                           "1-19611241388,2025-02-30,Good\n"
                                           "1-2375497294,2024-01-04,Requires improvement\n"));
  CHECK(report.at("applied").as_int64() == 2);
  CHECK(report.at("rejected").as_int64() == 2);
  const json::array& items = report.at("items").as_array();
  CHECK(str(items[1].at("outcome")) == "rejected");
  CHECK(items[1].at("row").as_int64() == 3);
  CHECK(str(items[1].at("detail")).find("'Goodish' is not a CQC rating") != std::string::npos);
  CHECK(items[2].at("row").as_int64() == 4);
  CHECK(str(items[2].at("detail")).find("'2025-02-30' is not a date") != std::string::npos);
  CHECK(m.must(200, "GET", "/api/v1/locations/1-19611241388", m.officer).at("cqc_history").as_array().empty());
}

TEST_CASE("a CQC file missing columns, a broken file, the wrong role and unknown imports are refused", "[cqc][rest]") {
  CqcMarket m;
  m.refused(m.compliance, cqc_upload("kq.csv", "location_id,rating_overall,rating_safe,rating_date\n1-2375497294,Good,Good,2024-01-04\n"),
            422, "cqc_columns_missing",
            "kq.csv: missing required columns rating_effective, rating_caring, rating_responsive, rating_well_led");
  m.refused(m.compliance, cqc_upload("q.csv", "location_id,report_date,overall_rating\n1-1,\"2024-01-04,Good\n"), 422,
            "invalid_cqc_file", "q.csv: line 3: an unterminated quoted field");
  m.refused(m.compliance, cqc_upload("empty.csv", ""), 422, "invalid_cqc_file", "the file is empty");
  m.refused(m.compliance, cqc_upload("ctl.csv", "location_id,report_date,overall_rating\n1-1,2024-01-04,Good\u0001\n"), 422,
            "invalid_cqc_file", "ctl.csv: the CSV text contains a control character");
  m.refused(m.compliance, R"({"csv": "location_id\n"})", 422, "missing_field", "field 'source' is required");
  m.refused(m.compliance, R"({"source": "x.csv", "csv": 5})", 422, "wrong_type", "field 'csv'");
  m.refused(m.officer, cqc_upload("h.csv", "location_id,report_date,overall_rating\n"), 403, "forbidden", "role officer");
  HttpResponse r = m.call("GET", "/api/v1/cqc-imports/7", m.officer);
  CHECK(r.status == 404);
  CHECK(RestHarness::error_code(r) == "unknown_cqc_import");
  r = m.call("GET", "/api/v1/cqc-imports/first", m.officer);
  CHECK(r.status == 404);
  CHECK(RestHarness::error_code(r) == "unknown_cqc_import");
}
