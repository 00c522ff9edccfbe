// The FSA food hygiene rating import over REST (issue 12, item 2): compliance (or an admin)
// uploads an FHRS file with the council's CQC location column (POST /api/v1/fsa-imports); the
// answer accounts for every row; a location rated 0–2 turns Amber and the early-warning dashboard
// shows the entry with its FHRSID; past imports are listed and read back; a file missing a column,
// a broken file, bad bodies, the wrong role and unknown imports are refused with their codes, and
// nothing changes.
#include "rest_harness.h"

using namespace carebroker::testing;

namespace {

const std::string kFsaSampleFile = std::string(CAREBROKER_DATA_DIR) + "/fsa/fsa_fhrs_matched_bham_solihull_example.csv";
const std::string kFsaUploadHeader = "FHRSID,BusinessName,RatingValue,RatingDate,location_id\n";

std::string fsa_upload(const std::string& source, const std::string& csv) {
  return json::serialize(json::object{{"source", source}, {"csv", csv}});
}

/// A market with locations A and B admitted to home care.
struct FsaMarket : RestHarness {
  FsaMarket() {
    configure_market();
    admit("1-101");
    admit("1-102");
  }

  void refused(const std::string& token, const std::string& body, int status, const std::string& code,
               const std::string& detail) {
    RestHarness::refused("POST", "/api/v1/fsa-imports", token, body, status, code, detail);
  }
};

}  // namespace

TEST_CASE("compliance imports an FSA file over REST: rows rejected by number while good rows apply, and a 2 turns the location Amber",
          "[fsa][rest]") {
  FsaMarket m;
  const json::value report = m.must(201, "POST", "/api/v1/fsa-imports", m.compliance,
                                    fsa_upload("fhrs-november.csv", kFsaUploadHeader +
                                                                    "1387594,Kitchen A,2,2026-11-02,1-101\n"
                                                                    "1387595,Kitchen B,6,2026-11-02,1-102\n"
                                                                    "1387596,Kitchen B,5,2026-13-02,1-102\n"
                                                                    "1387597,Kitchen B,AwaitingInspection,,1-102\n"
                                                                    "1387598,Elsewhere,4,2026-10-01,1-999\n"));
  CHECK(report.at("import").as_int64() == 1);
  CHECK(str(report.at("layout")) == "fhrs");
  CHECK(str(report.at("officer")) == "compliance-1");
  CHECK(report.at("rows").as_int64() == 5);
  CHECK(report.at("applied").as_int64() == 2);
  CHECK(report.at("not_registered").as_int64() == 1);
  CHECK(report.at("rejected").as_int64() == 2);
  CHECK(report.at("by_outcome").at("rating_changed").as_int64() == 1);
  CHECK(report.at("by_outcome").at("no_rating").as_int64() == 1);
  const json::array& items = report.at("items").as_array();
  REQUIRE(items.size() == 5);
  CHECK(str(items[0].at("outcome")) == "rating_changed");
  CHECK(str(items[0].at("rating")) == "2");
  CHECK(str(items[0].at("rated_on")) == "2026-11-02");
  CHECK(str(items[0].at("fhrsid")) == "1387594");
  CHECK(str(items[0].at("business")) == "Kitchen A");
  CHECK(items[1].at("row").as_int64() == 3);
  CHECK(str(items[1].at("outcome")) == "rejected");
  CHECK(str(items[1].at("detail")).find("RatingValue '6' is not a food hygiene rating") != std::string::npos);
  CHECK(items[1].at("rating").is_null());
  CHECK(items[2].at("row").as_int64() == 4);
  CHECK(str(items[2].at("detail")).find("'2026-13-02' is not a date") != std::string::npos);
  CHECK(str(items[3].at("outcome")) == "no_rating");
  CHECK(str(items[4].at("outcome")) == "not_registered");

  // The location: its FSA input and imported rating, Amber with the reason, and the entry.
  const json::value loc = m.must(200, "GET", "/api/v1/locations/1-101", m.officer);
  CHECK(str(loc.at("quality_inputs").at("fsa")) == "2");
  CHECK(json::serialize(loc.at("fsa_rating")) ==
        R"({"rating":"2","rated_on":"2026-11-02","fhrsid":"1387594","import":1,"row":2})");
  CHECK(m.must(200, "GET", "/api/v1/locations/1-102", m.officer).at("fsa_rating").is_null());
  const json::value dash = m.must(200, "GET", "/api/v1/early-warning?rag=amber", m.officer);
  REQUIRE(dash.at("items").as_array().size() == 1);
  const json::value& item = dash.at("items").at(0);
  CHECK(str(item.at("location")) == "1-101");
  CHECK(str(item.at("rag_changes").at(0).at("reasons").at(0)) == "FSA hygiene rating 2");
  const json::value& entry = item.at("entries").as_array().back();
  CHECK(str(entry.at("by")) == "compliance-1");
  CHECK(str(entry.at("reason")) == "FSA import 1, row 2: food hygiene rating 2 of 2026-11-02");
  CHECK(str(entry.at("evidence")) == "FHRSID 1387594");
  CHECK(json::serialize(entry.at("changes")) == R"([{"input":"fsa","from":"not_applicable","to":"2"}])");

  // Listed and read back.
  const json::value list = m.must(200, "GET", "/api/v1/fsa-imports", m.officer);
  CHECK(list.at("total").as_int64() == 1);
  CHECK(list.at("items").at(0).at("rejected").as_int64() == 2);
  CHECK_FALSE(list.at("items").at(0).as_object().contains("items"));
  const json::value again = m.must(200, "GET", "/api/v1/fsa-imports/1", m.admin);
  CHECK(again.at("items") == report.at("items"));
}

TEST_CASE("an admin may import the sample FSA file too, and a retry with its Idempotency-Key imports nothing twice",
          "[fsa][rest]") {
  FsaMarket m;
  const std::string body = fsa_upload("sample.csv", read_text_file(kFsaSampleFile));
  const HttpResponse first = m.call_keyed("POST", "/api/v1/fsa-imports", m.admin, "fsa-1", body);
  REQUIRE(first.status == 201);
  const json::value report = RestHarness::parse(first);
  CHECK(report.at("rows").as_int64() == 10);
  CHECK(report.at("not_registered").as_int64() == 10);  // none of the sample's locations is registered here
  CHECK(report.at("rejected").as_int64() == 0);
  const auto events = m.service.events().size();
  const HttpResponse retry = m.call_keyed("POST", "/api/v1/fsa-imports", m.admin, "fsa-1", body);
  REQUIRE(retry.status == 201);
  json::object original = report.as_object();
  original["replayed"] = true;
  CHECK(RestHarness::parse(retry) == json::value(original));
  CHECK(m.service.events().size() == events);
  CHECK(m.service.market().fsa_imports().size() == 1);
}

TEST_CASE("an FSA file missing a column, a broken file, bad bodies, the wrong role and unknown imports are refused",
          "[fsa][rest]") {
  FsaMarket m;
  m.refused(m.compliance, fsa_upload("unmatched.csv", "FHRSID,BusinessName,RatingValue,RatingDate\n1,A,5,2024-01-04\n"), 422,
            "fsa_columns_missing", "unmatched.csv: missing required column location_id");
  m.refused(m.compliance, fsa_upload("nodate.csv", "FHRSID,RatingValue,location_id\n1,5,1-101\n"), 422, "fsa_columns_missing",
            "nodate.csv: missing required column RatingDate");
  m.refused(m.compliance, fsa_upload("both.csv", "FHRSID,RatingValue,RatingDate,location_id,Location ID\n"), 422,
            "invalid_fsa_file", "both location_id and Location ID columns");
  m.refused(m.compliance, fsa_upload("q.csv", kFsaUploadHeader + "1,A,\"5,2024-01-04,1-101\n"), 422, "invalid_fsa_file",
            "q.csv: line 3: an unterminated quoted field");
  m.refused(m.compliance, fsa_upload("empty.csv", ""), 422, "invalid_fsa_file", "the file is empty");
  m.refused(m.compliance, fsa_upload("ctl.csv", kFsaUploadHeader + "1,A\u0001,5,2024-01-04,1-101\n"), 422, "invalid_fsa_file",
            "ctl.csv: the CSV text contains a control character");
  m.refused(m.compliance, R"({"csv": "FHRSID\n"})", 422, "missing_field", "field 'source' is required");
  m.refused(m.compliance, R"({"source": "x.csv"})", 422, "missing_field", "field 'csv' is required");
  m.refused(m.compliance, R"({"source": "x.csv", "csv": 5})", 422, "wrong_type", "field 'csv'");
  m.refused(m.compliance, R"({"source": "x.csv", "csv": "", "first_data_row": 1})", 422, "invalid_value", "first_data_row");
  m.refused(m.compliance, "not json", 400, "malformed_json", "");
  m.refused(m.compliance, fsa_upload(std::string(201, 'n'), kFsaUploadHeader), 422, "invalid_value", "field 'source' is longer than 200 characters");
  m.refused(m.officer, fsa_upload("h.csv", kFsaUploadHeader), 403, "forbidden", "role officer");
  m.refused("", fsa_upload("h.csv", kFsaUploadHeader), 401, "unauthenticated", "");
  HttpResponse r = m.call("GET", "/api/v1/fsa-imports/7", m.officer);
  CHECK(r.status == 404);
  CHECK(RestHarness::error_code(r) == "unknown_fsa_import");
  r = m.call("GET", "/api/v1/fsa-imports/first", m.officer);
  CHECK(r.status == 404);
  CHECK(RestHarness::error_code(r) == "unknown_fsa_import");
}
