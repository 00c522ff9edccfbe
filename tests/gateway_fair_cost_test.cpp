// The fair cost of care over REST (issue 12, item 5): a cost model set with the DPS
// configuration (PUT /api/v1/dps/{code}), read back with the configuration and line by line at
// GET /api/v1/dps/{code}/lots/{lot}/fair-cost; bad inputs refused with their codes and nothing
// changed; unknown DPS and lot are 404.
#include "rest_harness.h"

using namespace carebroker::testing;

namespace {

/// The home-care DPS with README.md's worked example as its lot's cost model.
std::string home_care_with_model(const std::string& model_changes = "", const std::string& lot_extra = "") {
  json::value config = json::parse(kHomeCareJson);
  json::object& lot = config.at("lots").at(0).as_object();
  lot.erase("fair_cost");
  json::object model = json::parse(R"({
    "wage_per_hour": 1260, "travel_minutes_per_contact_hour": 12,
    "miles_per_100_contact_hours": 300, "pence_per_mile": 45,
    "holiday_bp": 1207, "training_bp": 200, "supervision_bp": 250,
    "employer_ni_bp": 1100, "pension_bp": 300,
    "office_per_contact_hour": 480, "management_per_contact_hour": 250,
    "surplus_bp": 300, "ceiling_pct": 115})").as_object();
  if (!model_changes.empty()) {
    const json::value changes = json::parse(model_changes);
    for (const auto& kv : changes.as_object()) model[kv.key()] = kv.value();
  }
  lot["cost_model"] = std::move(model);
  if (!lot_extra.empty()) {
    const json::value extra = json::parse(lot_extra);
    for (const auto& kv : extra.as_object()) lot[kv.key()] = kv.value();
  }
  return json::serialize(config);
}

struct FairCostMarket : RestHarness {
  FairCostMarket() {
    must(200, "PUT", "/api/v1/calendar", admin, R"({"bank_holidays": ["2026-12-25", "2026-12-28"]})");
    for (const char* c : {"older_people", "dementia", "learning_disability", "mental_health", "physical_disability"})
      must(201, "POST", "/api/v1/categories", admin, std::string(R"({"code": ")") + c + R"(", "name": ")" + c + "\"}");
  }

  void refused(const std::string& body, int status, const std::string& code, const std::string& detail) {
    const auto digest = service.market().digest();
    const HttpResponse r = call("PUT", "/api/v1/dps/home-care", admin, body);
    INFO(r.status << " " << r.body);
    CHECK(r.status == status);
    CHECK(error_code(r) == code);
    CHECK(r.body.find(detail) != std::string::npos);
    CHECK(service.market().digest() == digest);
  }
};

}  // namespace

TEST_CASE("a cost model set with the DPS gives the lot's fair cost, threshold, ceiling and breakdown over REST",
          "[cost_model][rest]") {
  FairCostMarket m;
  m.must(200, "PUT", "/api/v1/dps/home-care", m.admin, home_care_with_model());
  const json::value fc = m.must(200, "GET", "/api/v1/dps/home-care/lots/hc/fair-cost", m.officer);
  CHECK(str(fc.at("source")) == "cost_model");
  CHECK(fc.at("fair_cost").as_int64() == 2960);
  CHECK(fc.at("abnormally_low_pct").as_int64() == 85);
  CHECK(fc.at("abnormally_low_below").as_int64() == 2516);
  CHECK(fc.at("suggested_ceiling").as_int64() == 3404);
  const json::object& b = fc.at("breakdown").as_object();
  CHECK(b.at("gross_pay").as_int64() == 1762);
  CHECK(b.at("direct_cost").as_int64() == 2144);
  CHECK(b.at("cost_per_contact_hour").as_int64() == 2960);
  const json::array& lines = b.at("lines").as_array();
  REQUIRE(lines.size() == 11);
  CHECK(str(lines[6].at("item")) == "pension");
  CHECK(lines[6].at("pence").as_int64() == 53);
  CHECK(str(lines[6].at("arithmetic")) == "3% of gross pay £17.62 = £0.53");

  // The configuration carries the model and the derived figure; sent back as read, it is accepted.
  json::value config = m.must(200, "GET", "/api/v1/dps/home-care", m.officer);
  CHECK(config.at("lots").at(0).at("fair_cost").as_int64() == 2960);
  CHECK(config.at("lots").at(0).at("cost_model").at("wage_per_hour").as_int64() == 1260);
  m.must(200, "PUT", "/api/v1/dps/home-care", m.admin, json::serialize(config));
  CHECK(m.service.market().dps(0).lots[0].fair_cost == 2960);
}

TEST_CASE("a lot with only the single fair_cost figure answers with it and no breakdown", "[cost_model][rest]") {
  FairCostMarket m;
  m.must(200, "PUT", "/api/v1/dps/home-care", m.admin, kHomeCareJson);
  const json::value fc = m.must(200, "GET", "/api/v1/dps/home-care/lots/hc/fair-cost", m.compliance);
  CHECK(str(fc.at("source")) == "fair_cost");
  CHECK(fc.at("fair_cost").as_int64() == 3214);
  CHECK(fc.at("abnormally_low_below").as_int64() == 2732);  // 85% of 3214 = 2731.9
  CHECK(fc.at("cost_model").is_null());
  CHECK(fc.at("breakdown").is_null());
  CHECK(fc.at("suggested_ceiling").is_null());
  CHECK(m.must(200, "GET", "/api/v1/dps/home-care", m.admin).at("lots").at(0).at("cost_model").is_null());
}

TEST_CASE("the fair cost of an unknown DPS or lot is 404", "[cost_model][rest]") {
  FairCostMarket m;
  m.must(200, "PUT", "/api/v1/dps/home-care", m.admin, home_care_with_model());
  HttpResponse r = m.call("GET", "/api/v1/dps/nowhere/lots/hc/fair-cost", m.officer);
  CHECK(r.status == 404);
  CHECK(RestHarness::error_code(r) == "unknown_dps");
  r = m.call("GET", "/api/v1/dps/home-care/lots/day-care/fair-cost", m.officer);
  CHECK(r.status == 404);
  CHECK(RestHarness::error_code(r) == "unknown_lot");
}

TEST_CASE("a cost model with negative costs, percentages out of range or a disagreeing fair cost is refused over REST",
          "[cost_model][rest]") {
  FairCostMarket m;
  m.refused(home_care_with_model(R"({"office_per_contact_hour": -480})"), 422, "invalid_money",
            "field 'lots[0].cost_model.office_per_contact_hour' must not be negative");
  m.refused(home_care_with_model(R"({"wage_per_hour": -1260})"), 422, "invalid_money",
            "field 'lots[0].cost_model.wage_per_hour' must not be negative");
  m.refused(home_care_with_model(R"({"employer_ni_bp": 13800})"), 422, "invalid_cost_model",
            "lot 'hc': employer_ni_bp must be 0..10000");
  m.refused(home_care_with_model(R"({"holiday_bp": -1})"), 422, "invalid_cost_model", "holiday_bp must be 0..10000");
  m.refused(home_care_with_model(R"({"ceiling_pct": 80})"), 422, "invalid_cost_model", "ceiling_pct must be 100..1000");
  m.refused(home_care_with_model(R"({"travel_minutes_per_contact_hour": -12})"), 422, "invalid_cost_model",
            "travel_minutes_per_contact_hour must be 0..600");
  m.refused(home_care_with_model("", R"({"fair_cost": 3214})"), 422, "invalid_cost_model",
            "fair_cost 3214 is not its cost model's 2960 pence");
  m.refused(home_care_with_model("", R"({"unit": "places"})"), 422, "invalid_cost_model",
            "a cost model prices contact hours");
  m.refused(home_care_with_model(R"({"surplus": 3})"), 422, "unknown_field", "unknown field 'lots[0].cost_model.surplus'");
  json::value no_wage = json::parse(home_care_with_model());
  no_wage.at("lots").at(0).at("cost_model").as_object().erase("wage_per_hour");
  m.refused(json::serialize(no_wage), 422, "missing_field", "field 'lots[0].cost_model.wage_per_hour' is required");
  m.refused(home_care_with_model(R"({"employer_ni_bp": "13.8%"})"), 422, "wrong_type",
            "field 'lots[0].cost_model.employer_ni_bp'");
}
