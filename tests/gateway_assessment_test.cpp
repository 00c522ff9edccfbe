// Assessment cycles through the REST API (issue 12 item 1): a provider submits its own
// location's self-assessment, compliance validates it and records PAMMS assessments, the DPS's
// list shows who is due, overdue, submitted or validated, and a location's history reads back —
// with bad input and wrong roles refused on every route.
#include <catch2/catch.hpp>

#include "rest_harness.h"

using namespace carebroker::testing;

namespace {

/// {"<standard>": score, …} over the default framework; `odd` is added.
std::string scores_json(int score, const std::string& odd = {}) {
  std::string out = "{";
  for (const auto& d : carebroker::engine::default_assessment_domains())
    for (const auto& s : d.standards) {
      if (out.size() > 1) out += ", ";
      out += "\"" + s.code + "\": " + std::to_string(score);
    }
  if (!odd.empty()) out += ", " + odd;
  return out + "}";
}

/// {"<domain>": score, …} over the default framework, `low` (if any) scored 1; `odd` is added.
std::string domains_json(int score, const std::string& odd = {}, const std::string& low = {}) {
  std::string out = "{";
  for (const auto& d : carebroker::engine::default_assessment_domains()) {
    if (out.size() > 1) out += ", ";
    out += "\"" + d.code + "\": " + std::to_string(d.code == low ? 1 : score);
  }
  if (!odd.empty()) out += ", " + odd;
  return out + "}";
}

/// The home-care market with A (provider P-A) and B (P-B) admitted, and a token for each provider.
struct Cycles : RestHarness {
  std::string provider_a, provider_b;
  Cycles() {
    configure_market();
    admit("A");
    admit("B");
    provider_a = issue(Role::provider, "rota system A", "P-A");
    provider_b = issue(Role::provider, "rota system B", "P-B");
  }
  std::string submit_body(int score, const std::string& odd = {}) {
    return R"({"dps": "home-care", "scores": )" + scores_json(score, odd) + R"(, "notes": "two new carers"})";
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

TEST_CASE("a provider submits its own location's self-assessment, compliance validates it, the history reads back",
          "[rest][assessment]") {
  Cycles h;
  const json::value s = h.must(201, "POST", "/api/v1/locations/A/self-assessments", h.provider_a, h.submit_body(3));
  CHECK(s.at("number").as_int64() == 1);
  CHECK(str(s.at("dps")) == "home-care");
  const json::value v = h.must(200, "POST", "/api/v1/locations/A/self-assessments/1/validation", h.compliance,
                               R"({"dps": "home-care", "domain_changes": [{"domain": "staffing", "score": 2, "reason": "missed calls in the audit"}]})");
  CHECK(v.at("number").as_int64() == 1);
  // Domains 3, 3, 3, 2, 3: a mean of 2.80 → (1.80 / 3) × 100 = 60.
  const json::value hist = h.must(200, "GET", "/api/v1/locations/A/self-assessments", h.compliance);
  CHECK(hist.at("self_assessment").as_int64() == 60);
  const json::object& first = hist.at("self_assessments").at(0).as_object();
  CHECK(str(first.at("status")) == "validated");
  CHECK(str(first.at("submitted_by")) == "rota system A");
  CHECK(first.at("scores").at("medication").as_int64() == 3);
  const json::object& validation = first.at("validation").as_object();
  CHECK(str(validation.at("by")) == "compliance-1");
  CHECK(validation.at("points").as_int64() == 60);
  CHECK(str(validation.at("changes").at(0).at("reason")) == "missed calls in the audit");
  CHECK(str(hist.at("cycles").at(0).at("status")) == "validated");
  // The provider reads its own history, without who validated it; never another's.
  const json::value own = h.must(200, "GET", "/api/v1/locations/A/self-assessments", h.provider_a);
  CHECK_FALSE(own.at("self_assessments").at(0).at("validation").as_object().contains("by"));
  h.expect(403, "forbidden", "GET", "/api/v1/locations/A/self-assessments", h.provider_b);
  h.expect(403, "forbidden", "GET", "/api/v1/locations/Z/self-assessments", h.provider_b);
  h.expect(404, "unknown_location", "GET", "/api/v1/locations/Z/self-assessments", h.officer);
  // The DPS's configuration shows the framework it used.
  const json::value dps = h.must(200, "GET", "/api/v1/dps/home-care", h.officer);
  CHECK(dps.at("assessment").at("default_framework").as_bool());
  CHECK(dps.at("assessment").at("domains").as_array().size() == 5);
  CHECK(dps.at("assessment").at("rating").at("excellent_from_x100").as_int64() == 350);
}

TEST_CASE("REST self-assessment submissions: bad input and wrong callers are refused with their codes", "[rest][assessment]") {
  Cycles h;
  const std::string path = "/api/v1/locations/A/self-assessments";
  h.expect(403, "location_not_of_provider", "POST", path, h.provider_b, h.submit_body(3));
  h.expect(403, "forbidden", "POST", path, h.compliance, h.submit_body(3));
  h.expect(403, "forbidden", "POST", path, h.officer, h.submit_body(3));
  h.expect(404, "unknown_location", "POST", "/api/v1/locations/Z/self-assessments", h.provider_a, h.submit_body(3));
  h.expect(404, "unknown_dps", "POST", path, h.provider_a, R"({"dps": "nursing", "scores": )" + scores_json(3) + "}");
  h.expect(422, "invalid_assessment_score", "POST", path, h.provider_a, h.submit_body(5));
  h.expect(422, "invalid_assessment_score", "POST", path, h.provider_a, h.submit_body(0));
  h.expect(422, "unknown_standard", "POST", path, h.provider_a, h.submit_body(3, R"("cleanliness": 3)"));
  h.expect(422, "standard_not_scored", "POST", path, h.provider_a, R"({"dps": "home-care", "scores": {"medication": 3}})");
  h.expect(422, "wrong_type", "POST", path, h.provider_a, R"({"dps": "home-care", "scores": {"medication": "3"}})");
  h.expect(422, "wrong_type", "POST", path, h.provider_a, R"({"dps": "home-care", "scores": {"medication": 2.5}})");
  h.expect(422, "wrong_type", "POST", path, h.provider_a, R"({"dps": "home-care", "scores": [3, 3]})");
  h.expect(422, "missing_field", "POST", path, h.provider_a, R"({"dps": "home-care"})");
  h.expect(422, "missing_field", "POST", path, h.provider_a, R"({"scores": )" + scores_json(3) + "}");
  h.expect(422, "unknown_field", "POST", path, h.provider_a, R"({"dps": "home-care", "score": {}})");
  CHECK(h.service.market().location(*h.service.market().find_location("A")).self_assessments.empty());
}

TEST_CASE("REST validation: never submitted, already validated, a change without a reason, and wrong roles",
          "[rest][assessment]") {
  Cycles h;
  const std::string path = "/api/v1/locations/A/self-assessments/1/validation";
  const std::string body = R"({"dps": "home-care"})";
  h.expect(404, "unknown_self_assessment", "POST", path, h.compliance, body);  // never submitted
  h.must(201, "POST", "/api/v1/locations/A/self-assessments", h.provider_a, h.submit_body(3));
  h.expect(404, "unknown_self_assessment", "POST", "/api/v1/locations/A/self-assessments/2/validation", h.compliance, body);
  h.expect(404, "unknown_self_assessment", "POST", "/api/v1/locations/A/self-assessments/01/validation", h.compliance, body);
  h.expect(404, "unknown_self_assessment", "POST", "/api/v1/locations/A/self-assessments/one/validation", h.compliance, body);
  h.expect(404, "unknown_location", "POST", "/api/v1/locations/Z/self-assessments/1/validation", h.compliance, body);
  h.expect(403, "forbidden", "POST", path, h.provider_a, body);
  h.expect(403, "forbidden", "POST", path, h.officer, body);
  h.expect(403, "forbidden", "POST", path, h.admin, body);
  h.expect(422, "reason_required", "POST", path, h.compliance,
           R"({"dps": "home-care", "domain_changes": [{"domain": "staffing", "score": 2}]})");
  h.expect(422, "invalid_assessment_score", "POST", path, h.compliance,
           R"({"dps": "home-care", "domain_changes": [{"domain": "staffing", "score": 9, "reason": "x"}]})");
  h.expect(422, "unknown_assessment_domain", "POST", path, h.compliance,
           R"({"dps": "home-care", "domain_changes": [{"domain": "catering", "score": 2, "reason": "x"}]})");
  h.expect(422, "missing_field", "POST", path, h.compliance,
           R"({"dps": "home-care", "domain_changes": [{"score": 2, "reason": "x"}]})");
  h.expect(422, "unknown_field", "POST", path, h.compliance,
           R"({"dps": "home-care", "domain_changes": [{"domain": "staffing", "score": 2, "why": "x"}]})");
  h.expect(422, "missing_field", "POST", path, h.compliance, "{}");
  h.must(200, "POST", path, h.compliance, body);
  h.expect(409, "self_assessment_already_validated", "POST", path, h.compliance, body);
}

TEST_CASE("REST PAMMS assessments: rated by the DPS's rule, bad input and wrong roles refused", "[rest][assessment][pamms]") {
  Cycles h;
  const std::string path = "/api/v1/locations/A/pamms-assessments";
  const json::value r = h.must(201, "POST", path, h.compliance,
                               R"({"dps": "home-care", "domains": )" + domains_json(4, "", "staffing") + R"(, "evidence": "PAMMS-7"})");
  CHECK(r.at("number").as_int64() == 1);
  const json::value hist = h.must(200, "GET", "/api/v1/locations/A/self-assessments", h.officer);
  CHECK(str(hist.at("pamms")) == "requires_improvement");  // 4, 4, 4, 1, 4 is capped
  const json::object& a = hist.at("pamms_assessments").at(0).as_object();
  CHECK(str(a.at("rating")) == "requires_improvement");
  CHECK(a.at("mean").as_double() == 3.4);
  CHECK(str(a.at("evidence")) == "PAMMS-7");
  h.expect(403, "forbidden", "POST", path, h.provider_a, R"({"dps": "home-care", "domains": )" + domains_json(3) + "}");
  h.expect(403, "forbidden", "POST", path, h.officer, R"({"dps": "home-care", "domains": )" + domains_json(3) + "}");
  h.expect(404, "unknown_location", "POST", "/api/v1/locations/Z/pamms-assessments", h.compliance,
           R"({"dps": "home-care", "domains": )" + domains_json(3) + "}");
  h.expect(422, "domain_not_scored", "POST", path, h.compliance, R"({"dps": "home-care", "domains": {"staffing": 3}})");
  h.expect(422, "unknown_assessment_domain", "POST", path, h.compliance,
           R"({"dps": "home-care", "domains": )" + domains_json(3, R"("catering": 3)") + "}");
  h.expect(422, "invalid_assessment_score", "POST", path, h.compliance,
           R"({"dps": "home-care", "domains": )" + domains_json(-2) + "}");
  h.expect(422, "assessment_date_in_future", "POST", path, h.compliance,
           R"({"dps": "home-care", "domains": )" + domains_json(3) + R"(, "assessed_on": "2099-01-01"})");
  h.expect(422, "invalid_date", "POST", path, h.compliance,
           R"({"dps": "home-care", "domains": )" + domains_json(3) + R"(, "assessed_on": "1 March"})");
  h.expect(422, "evidence_too_long", "POST", path, h.compliance,
           R"({"dps": "home-care", "domains": )" + domains_json(3) + R"(, "evidence": ")" + std::string(101, 'x') + "\"}");
}

TEST_CASE("REST the DPS's self-assessment list: due, overdue, submitted and validated, across the due date",
          "[rest][assessment][overdue]") {
  Cycles h;
  const std::string list = "/api/v1/dps/home-care/self-assessments";
  const carebroker::engine::Date today = h.service.market().today();
  auto locations = [&](const std::string& query) {
    std::vector<std::string> out;
    const json::value page = h.must(200, "GET", list + query, h.compliance);
    for (const auto& item : page.at("items").as_array())
      out.push_back(str(item.at("location")));
    return out;
  };
  // Both applied today: nothing overdue, both due within 91 days.
  CHECK(locations("?status=overdue").empty());
  CHECK(locations("?status=due").empty());
  CHECK(locations("?status=due&due_by=" + carebroker::engine::format_date(today + 91)) == std::vector<std::string>{"A", "B"});
  // A submits on day 50, and is validated: due again on day 141.
  REQUIRE(h.service.run(carebroker::engine::Tick{carebroker::engine::london_to_utc(today + 50, 9 * carebroker::engine::kMillisPerHour)}).ok());
  h.must(201, "POST", "/api/v1/locations/A/self-assessments", h.provider_a, h.submit_body(3));
  CHECK(locations("?status=submitted") == std::vector<std::string>{"A"});
  h.must(200, "POST", "/api/v1/locations/A/self-assessments/1/validation", h.compliance, R"({"dps": "home-care"})");
  CHECK(locations("?status=validated") == std::vector<std::string>{"A"});
  CHECK(locations("?status=submitted").empty());
  // The day after B's first due date: B is overdue, A is not.
  REQUIRE(h.service.run(carebroker::engine::Tick{carebroker::engine::london_to_utc(today + 92, 9 * carebroker::engine::kMillisPerHour)}).ok());
  CHECK(locations("?status=overdue") == std::vector<std::string>{"B"});
  const json::value all = h.must(200, "GET", list, h.officer);
  CHECK(all.at("total").as_int64() == 2);
  const json::object& b = all.at("items").at(1).as_object();
  CHECK(str(b.at("status")) == "not_submitted");
  CHECK(b.at("overdue").as_bool());
  CHECK(str(b.at("next_due")) == carebroker::engine::format_date(today + 91));
  CHECK(str(all.at("items").at(0).at("next_due")) == carebroker::engine::format_date(today + 141));
  CHECK(str(all.at("items").at(0).at("last_submitted_on")) == carebroker::engine::format_date(today + 50));
  // Bad queries and wrong roles.
  h.expect(422, "invalid_query", "GET", list + "?status=late", h.compliance);
  h.expect(422, "invalid_date", "GET", list + "?status=due&due_by=tomorrow", h.compliance);
  h.expect(422, "invalid_query", "GET", list + "?from=2026-01-01", h.compliance);
  h.expect(404, "unknown_dps", "GET", "/api/v1/dps/nursing/self-assessments", h.compliance);
  h.expect(403, "forbidden", "GET", list, h.provider_a);
  h.must(200, "GET", list, h.admin);
}

TEST_CASE("REST a DPS's own assessment framework: configured, read back, and checked", "[rest][assessment][config]") {
  Cycles h;
  json::value config = json::parse(h.call("GET", "/api/v1/dps/home-care", h.admin).body);
  config.as_object()["assessment"] = json::parse(
      R"({"domains": [{"code": "staffing", "name": "Staffing", "standards": [{"code": "recruitment", "name": "Safe recruitment"}]}],
          "rating": {"excellent_from_x100": 375, "good_from_x100": 300, "requires_improvement_from_x100": 200, "domain_scored_1_caps": false}})");
  h.must(200, "PUT", "/api/v1/dps/home-care", h.admin, json::serialize(config));
  const carebroker::engine::DpsConfig& c = h.service.market().dps(0);
  REQUIRE(c.assessment.domains.size() == 1);
  CHECK(c.assessment.rating == carebroker::engine::PammsRatingRule{375, 300, 200, false});
  h.must(201, "POST", "/api/v1/locations/A/self-assessments", h.provider_a,
         R"({"dps": "home-care", "scores": {"recruitment": 4}})");
  // Bad frameworks: invalid_config, naming what is wrong.
  config.as_object()["assessment"] = json::parse(R"({"domains": [{"code": "staffing", "standards": []}]})");
  const HttpResponse empty = h.call("PUT", "/api/v1/dps/home-care", h.admin, json::serialize(config));
  CHECK(empty.status == 422);
  CHECK(RestHarness::error_code(empty) == "invalid_config");
  CHECK(empty.body.find("staffing") != std::string::npos);
  config.as_object()["assessment"] = json::parse(R"({"rating": {"good_from_x100": 500}})");
  CHECK(RestHarness::error_code(h.call("PUT", "/api/v1/dps/home-care", h.admin, json::serialize(config))) == "invalid_config");
  config.as_object()["assessment"] = json::parse(R"({"rating": {"good": 300}})");
  CHECK(RestHarness::error_code(h.call("PUT", "/api/v1/dps/home-care", h.admin, json::serialize(config))) == "unknown_field");
  // Without a framework: the default one again.
  config.as_object().erase("assessment");
  h.must(200, "PUT", "/api/v1/dps/home-care", h.admin, json::serialize(config));
  CHECK(h.service.market().dps(0).assessment == carebroker::engine::AssessmentFramework{});
}
