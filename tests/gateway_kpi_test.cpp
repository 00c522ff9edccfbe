// KPIs through the REST API (issue 12 item 4): a provider returns its own location's quarterly
// KPIs, reads its history and its locations' compliance; compliance and officers read every
// location's compliance per quarter and the overdue list; the DPS's configuration carries its KPI
// set and the KPI weight — with every bad input and wrong caller refused with its code.
#include <catch2/catch.hpp>

#include "rest_harness.h"

using namespace carebroker::testing;
namespace engine = carebroker::engine;

namespace {

/// The home-care KPIs as a "values" object, `odd` added.
std::string values_json(const std::string& at, const std::string& sba = "100", const std::string& quals = "54",
                        const std::string& cert = "79", const std::string& odd = {}) {
  return R"({"assistive_technology": )" + at + R"(, "strengths_based_training": )" + sba + R"(, "qualifications": )" +
         quals + R"(, "care_certificate": )" + cert + (odd.empty() ? "" : ", " + odd) + "}";
}

std::string return_body(const std::string& quarter, const std::string& values) {
  return R"({"dps": "home-care", "quarter": ")" + quarter + R"(", "values": )" + values + R"(, "notes": "from the rota system"})";
}

/// The home-care market with A (provider P-A) and B (P-B) admitted, and a token for each provider.
struct Kpis : RestHarness {
  std::string provider_a, provider_b;
  Kpis() {
    configure_market();
    admit("A");
    admit("B");
    provider_a = issue(Role::provider, "rota system A", "P-A");
    provider_b = issue(Role::provider, "rota system B", "P-B");
  }
  void expect(int status, const std::string& code, const std::string& method, const std::string& target,
              const std::string& token, const std::string& body = "") {
    const HttpResponse r = call(method, target, token, body);
    INFO(method << " " << target << " " << body << " → " << r.status << " " << r.body);
    CHECK(r.status == status);
    CHECK(error_code(r) == code);
  }
};

}  // namespace

TEST_CASE("a provider returns its location's KPIs, amends the quarter, and reads the history back", "[rest][kpi]") {
  Kpis h;
  const std::string path = "/api/v1/locations/A/kpi-returns";
  const json::value r = h.must(201, "POST", path, h.provider_a, return_body("2026-Q3", values_json("72.5")));
  CHECK(r.at("number").as_int64() == 1);
  CHECK(str(r.at("quarter")) == "2026-Q3");
  h.must(201, "POST", path, h.provider_a, return_body("2026-Q3", values_json("75")));  // amends it
  const json::value hist = h.must(200, "GET", path, h.compliance);
  const json::array& returns = hist.at("returns").as_array();
  REQUIRE(returns.size() == 2);
  CHECK_FALSE(returns[0].at("counts").as_bool());
  CHECK(returns[1].at("counts").as_bool());
  CHECK(returns[1].at("amends").as_int64() == 1);
  CHECK(str(returns[1].at("submitted_by")) == "rota system A");
  // 75% meets assistive technology's 75; 54% and 79% miss their 100: 2 of 4.
  CHECK(returns[1].at("met").as_int64() == 2);
  CHECK(returns[1].at("compliance").as_int64() == 50);
  CHECK(returns[0].at("results").at(0).at("value").as_double() == 72.5);
  CHECK_FALSE(returns[0].at("results").at(0).at("met").as_bool());
  CHECK(str(hist.at("cycles").at(0).at("next")) == "2026-Q4");
  CHECK(str(hist.at("cycles").at(0).at("next_due")) == "2027-01-30");
  CHECK(hist.at("cycles").at(0).at("kpis").as_array().size() == 4);
  // The provider reads its own history (without who submitted); never another's.
  const json::value own = h.must(200, "GET", path, h.provider_a);
  CHECK_FALSE(own.at("returns").at(0).as_object().contains("submitted_by"));
  h.expect(403, "forbidden", "GET", path, h.provider_b);
  h.expect(403, "forbidden", "GET", "/api/v1/locations/Z/kpi-returns", h.provider_b);
  h.expect(404, "unknown_location", "GET", "/api/v1/locations/Z/kpi-returns", h.officer);
  // The DPS's configuration shows the default KPI set and the KPI weight (off).
  const json::value dps = h.must(200, "GET", "/api/v1/dps/home-care", h.officer);
  CHECK(dps.at("default_kpis").as_bool());
  CHECK(str(dps.at("kpis").at(0).at("id")) == "assistive_technology");
  CHECK(dps.at("kpis").at(0).at("target_pct").as_int64() == 75);
  CHECK(dps.at("quality").at("kpi_weight_pct").as_int64() == 0);
  CHECK(dps.at("quality").at("kpi_return_due_days").as_int64() == 30);
}

TEST_CASE("REST KPI returns: every bad input and wrong caller is refused with its code", "[rest][kpi]") {
  Kpis h;
  const std::string path = "/api/v1/locations/A/kpi-returns";
  const std::string good = values_json("72");
  h.expect(403, "location_not_of_provider", "POST", path, h.provider_b, return_body("2026-Q3", good));
  h.expect(403, "forbidden", "POST", path, h.compliance, return_body("2026-Q3", good));
  h.expect(403, "forbidden", "POST", path, h.officer, return_body("2026-Q3", good));
  h.expect(403, "forbidden", "POST", path, h.admin, return_body("2026-Q3", good));
  h.expect(404, "unknown_location", "POST", "/api/v1/locations/Z/kpi-returns", h.provider_a, return_body("2026-Q3", good));
  h.expect(404, "unknown_dps", "POST", path, h.provider_a,
           R"({"dps": "nursing", "quarter": "2026-Q3", "values": )" + good + "}");
  // Percentages outside 0..100, or not numbers.
  h.expect(422, "invalid_kpi_value", "POST", path, h.provider_a, return_body("2026-Q3", values_json("-1")));
  h.expect(422, "invalid_kpi_value", "POST", path, h.provider_a, return_body("2026-Q3", values_json("100.01")));
  h.expect(422, "invalid_kpi_value", "POST", path, h.provider_a, return_body("2026-Q3", values_json("1e300")));
  h.expect(422, "wrong_type", "POST", path, h.provider_a, return_body("2026-Q3", values_json("\"72\"")));
  h.expect(422, "wrong_type", "POST", path, h.provider_a, return_body("2026-Q3", values_json("true")));
  h.expect(422, "wrong_type", "POST", path, h.provider_a, return_body("2026-Q3", values_json("[72]")));
  h.expect(422, "wrong_type", "POST", path, h.provider_a, return_body("2026-Q3", "[72, 100, 54, 79]"));
  // Unknown, missing or (after rounding to hundredths) the same KPI.
  h.expect(422, "unknown_kpi", "POST", path, h.provider_a, return_body("2026-Q3", values_json("72", "100", "54", "79", R"("visits_on_time": 90)")));
  h.expect(422, "kpi_not_reported", "POST", path, h.provider_a,
           return_body("2026-Q3", R"({"assistive_technology": 72, "qualifications": 54, "care_certificate": 79})"));
  // The quarter: malformed, or in the future (today is 2026-11-23, in 2026-Q4).
  for (const char* q : {"2026-Q5", "2026Q3", "2026-q3", "Q3-2026", "2026-Q3-extra", "1999-Q4"}) {
    INFO(q);
    h.expect(422, "invalid_quarter", "POST", path, h.provider_a, return_body(q, good));
  }
  h.expect(422, "quarter_in_future", "POST", path, h.provider_a, return_body("2027-Q1", good));
  h.expect(422, "wrong_type", "POST", path, h.provider_a, R"({"dps": "home-care", "quarter": 2026, "values": )" + good + "}");
  h.expect(422, "missing_field", "POST", path, h.provider_a, R"({"dps": "home-care", "values": )" + good + "}");
  h.expect(422, "missing_field", "POST", path, h.provider_a, R"({"dps": "home-care", "quarter": "2026-Q3"})");
  h.expect(422, "missing_field", "POST", path, h.provider_a, R"({"quarter": "2026-Q3", "values": )" + good + "}");
  h.expect(422, "unknown_field", "POST", path, h.provider_a,
           R"({"dps": "home-care", "quarter": "2026-Q3", "values": )" + good + R"(, "period": "Q3"})");
  // Not admitted: a location that has only applied.
  h.must(201, "POST", "/api/v1/locations", h.compliance,
         R"({"id": "C", "provider": "P-A", "name": "C branch", "postcode": "B13 9AA", "local_authority": "Birmingham"})");
  h.must(201, "POST", "/api/v1/locations/C/applications", h.compliance, R"({"dps": "home-care"})");
  h.expect(409, "not_admitted", "POST", "/api/v1/locations/C/kpi-returns", h.provider_a, return_body("2026-Q3", good));
  CHECK(h.service.market().location(*h.service.market().find_location("A")).kpi_returns.empty());
  h.must(201, "POST", path, h.provider_a, return_body("2026-Q3", good));
}

TEST_CASE("REST KPI compliance per location per quarter, and a provider sees only its own locations", "[rest][kpi]") {
  Kpis h;
  h.must(201, "POST", "/api/v1/locations/A/kpi-returns", h.provider_a, return_body("2026-Q2", values_json("80", "100", "100", "100")));
  h.must(201, "POST", "/api/v1/locations/A/kpi-returns", h.provider_a, return_body("2026-Q3", values_json("72")));
  h.must(201, "POST", "/api/v1/locations/B/kpi-returns", h.provider_b, return_body("2026-Q3", values_json("75", "100", "54", "100")));
  const std::string path = "/api/v1/dps/home-care/kpi-compliance?from=2026-Q2&to=2026-Q4";
  const json::value all = h.must(200, "GET", path, h.compliance);
  CHECK(str(all.at("from")) == "2026-Q2");
  CHECK(str(all.at("to")) == "2026-Q4");
  const json::array& locations = all.at("locations").as_array();
  REQUIRE(locations.size() == 2);
  const json::value& a = locations[0];
  CHECK(str(a.at("location")) == "A");
  const json::array& quarters = a.at("quarters").as_array();
  REQUIRE(quarters.size() == 3);
  CHECK(quarters[0].at("compliance").as_int64() == 100);  // 2026-Q2: all four met
  CHECK(quarters[1].at("compliance").as_int64() == 25);   // 2026-Q3: training only
  CHECK_FALSE(quarters[2].at("returned").as_bool());      // 2026-Q4: not yet
  CHECK(a.at("mean_compliance").as_double() == 62.5);
  CHECK(locations[1].at("quarters").at(1).at("compliance").as_int64() == 75);  // B: 3 of 4
  for (const std::string& token : {h.officer, h.admin}) h.must(200, "GET", path, token);
  // The provider's own view: its locations only; naming another's is 403.
  const json::value own = h.must(200, "GET", path, h.provider_a);
  REQUIRE(own.at("locations").as_array().size() == 1);
  CHECK(str(own.at("locations").at(0).at("location")) == "A");
  h.must(200, "GET", path + "&location=A", h.provider_a);
  h.expect(403, "forbidden", "GET", path + "&location=B", h.provider_a);
  h.expect(403, "forbidden", "GET", path + "&location=Z", h.provider_a);
  h.expect(404, "unknown_location", "GET", path + "&location=Z", h.compliance);
  h.expect(404, "unknown_dps", "GET", "/api/v1/dps/nursing/kpi-compliance", h.compliance);
  h.expect(422, "invalid_query", "GET", "/api/v1/dps/home-care/kpi-compliance?from=2026-Q9", h.compliance);
  h.expect(422, "invalid_query", "GET", "/api/v1/dps/home-care/kpi-compliance?to=Q3", h.compliance);
  h.expect(422, "invalid_query", "GET", "/api/v1/dps/home-care/kpi-compliance?from=2026-Q4&to=2026-Q1", h.compliance);
  h.expect(422, "invalid_query", "GET", "/api/v1/dps/home-care/kpi-compliance?from=2010-Q1&to=2026-Q1", h.compliance);
  // By default: the four quarters to the current one.
  const json::value recent = h.must(200, "GET", "/api/v1/dps/home-care/kpi-compliance", h.officer);
  CHECK(str(recent.at("from")) == "2026-Q1");
  CHECK(str(recent.at("to")) == "2026-Q4");
}

TEST_CASE("REST overdue KPI returns: the list for compliance, and 0 in the quality score once overdue", "[rest][kpi]") {
  Kpis h;
  // KPI compliance weighs 20 in the quality score.
  std::string config = kHomeCareJson;
  config.insert(config.rfind('}'), R"(, "quality": {"pamms_weight_pct": 30, "cqc_weight_pct": 30, "self_assessment_weight_pct": 20, "kpi_weight_pct": 20})");
  h.must(200, "PUT", "/api/v1/dps/home-care", h.admin, config);
  h.must(201, "POST", "/api/v1/locations/A/kpi-returns", h.provider_a, return_body("2026-Q4", values_json("80", "100", "100", "100")));
  REQUIRE(h.service.run(engine::Tick{engine::london_to_utc(*engine::parse_date("2027-01-31"), 9 * engine::kMillisPerHour)}).ok());
  const json::value overdue = h.must(200, "GET", "/api/v1/dps/home-care/kpi-returns?status=overdue", h.compliance);
  REQUIRE(overdue.at("items").as_array().size() == 1);
  CHECK(str(overdue.at("items").at(0).at("location")) == "B");
  CHECK(str(overdue.at("items").at(0).at("owed")) == "2026-Q4");
  CHECK(str(overdue.at("items").at(0).at("owed_due")) == "2027-01-30");
  const json::value returned = h.must(200, "GET", "/api/v1/dps/home-care/kpi-returns?status=returned", h.compliance);
  REQUIRE(returned.at("items").as_array().size() == 1);
  CHECK(str(returned.at("items").at(0).at("location")) == "A");
  h.expect(422, "invalid_query", "GET", "/api/v1/dps/home-care/kpi-returns?status=late", h.compliance);
  h.expect(404, "unknown_dps", "GET", "/api/v1/dps/nursing/kpi-returns", h.compliance);
  h.expect(403, "forbidden", "GET", "/api/v1/dps/home-care/kpi-returns", h.provider_a);
  // B's KPI part counts 0 (overdue); A's counts its 100.
  const engine::Market& m = h.service.market();
  const engine::QualityScore b = m.quality_of(*m.find_location("B"), 0);
  const engine::QualityScore a = m.quality_of(*m.find_location("A"), 0);
  CHECK(b.parts.back().rating == "overdue");
  CHECK(b.parts.back().points == 0);
  CHECK(a.parts.back().points == 100);
}

TEST_CASE("REST DPS configuration: its own KPI set, and the quality weights must total 100 with the KPI weight", "[rest][kpi]") {
  Kpis h;
  std::string config = kHomeCareJson;
  config.insert(config.rfind('}'), R"(, "kpis": [{"id": "visits_on_time", "name": "Visits within 15 minutes of the planned time", "target_pct": 95, "kind": "people"}])");
  const json::value put = h.must(200, "PUT", "/api/v1/dps/home-care", h.admin, config);
  (void)put;
  const json::value dps = h.must(200, "GET", "/api/v1/dps/home-care", h.officer);
  CHECK_FALSE(dps.at("default_kpis").as_bool());
  REQUIRE(dps.at("kpis").as_array().size() == 1);
  CHECK(str(dps.at("kpis").at(0).at("kind")) == "people");
  h.must(201, "POST", "/api/v1/locations/A/kpi-returns", h.provider_a,
         R"({"dps": "home-care", "quarter": "2026-Q3", "values": {"visits_on_time": 96.5}})");
  std::string bad = kHomeCareJson;
  bad.insert(bad.rfind('}'), R"(, "kpis": [{"id": "x", "name": "X", "target_pct": 120}])");
  h.expect(422, "invalid_config", "PUT", "/api/v1/dps/home-care", h.admin, bad);
  bad = kHomeCareJson;
  bad.insert(bad.rfind('}'), R"(, "kpis": [{"id": "x", "name": "X", "target_pct": 50, "kind": "robots"}])");
  h.expect(422, "invalid_value", "PUT", "/api/v1/dps/home-care", h.admin, bad);
  bad = kHomeCareJson;
  bad.insert(bad.rfind('}'), R"(, "quality": {"kpi_weight_pct": 20})");  // 40 + 40 + 20 + 20
  h.expect(422, "invalid_config", "PUT", "/api/v1/dps/home-care", h.admin, bad);
  // GET's form goes back as it is: the default set, listed, with "default_kpis": true.
  h.must(200, "PUT", "/api/v1/dps/home-care", h.admin, kHomeCareJson);
  json::object round = h.must(200, "GET", "/api/v1/dps/home-care", h.admin).as_object();
  round.erase("code");
  h.must(200, "PUT", "/api/v1/dps/home-care", h.admin, json::serialize(round));
  CHECK(h.service.market().dps(0).kpis.empty());
}
