// The REST API refuses bad input precisely and changes nothing: over every route, missing and
// unknown credentials, the wrong role, malformed JSON, a body that is not an object, unknown
// fields and the wrong media type; then, route by route, wrong types, missing fields, fractional,
// negative and huge money, bad dates, oversized pages and unknown ids — each with its own status
// and code, and the market's digest unchanged after every one.
#include <algorithm>
#include <cstdio>

#include "rest_harness.h"

using namespace carebroker::testing;
using carebroker::gateway::rest_routes;

namespace {

/// A market with the home-care DPS, location A admitted and package 1 open.
struct BadInputMarket : RestHarness {
  BadInputMarket() {
    configure_market();
    admit("A");
    must(201, "POST", "/api/v1/packages", officer, kPackageJson);
  }
};

std::string concrete(std::string_view path) {
  std::string out(path);
  auto replace = [&](std::string_view from, std::string_view to) {
    if (auto at = out.find(from); at != std::string::npos) out.replace(at, from.size(), to);
  };
  if (path.rfind("/api/v1/packages/", 0) == 0) replace("{id}", "1");
  if (path.rfind("/api/v1/locations/", 0) == 0) replace("{id}", "A");
  if (path.rfind("/api/v1/providers/", 0) == 0) replace("{id}", "P-A");
  replace("{n}", "1");
  replace("{code}", "home-care");
  replace("{dps}", "home-care");
  replace("{lot}", "hc");
  return out;
}

}  // namespace

TEST_CASE("every route refuses a missing or unknown token, the wrong role, malformed JSON and unknown fields",
          "[rest]") {
  BadInputMarket m;
  const std::string wrong_role_provider = m.issue(Role::provider, "rostering", "P-A");
  for (const auto& route : rest_routes()) {
    const std::string method(route.method);
    const std::string target = concrete(route.path);
    const Role allowed = route.roles.empty() ? Role::admin : route.roles.front();
    const std::string& token = allowed == Role::provider ? wrong_role_provider : m.token_for(allowed);
    if (!route.roles.empty()) {
      m.refused(method, target, "", "{}", 401, "unauthenticated");
      m.refused(method, target, "not-a-token", "{}", 401, "unauthenticated", "not known");
      HttpRequest basic{method, target, "Basic YWRtaW46YWRtaW4=", "application/json", "{}"};
      std::optional<HttpResponse> r;
      carebroker::gateway::handle_rest(basic, m.tokens, m.service, [&](HttpResponse x) { r = std::move(x); });
      REQUIRE(r);
      CHECK(r->status == 401);
      for (Role role : {Role::admin, Role::officer, Role::compliance, Role::provider})
        if (std::find(route.roles.begin(), route.roles.end(), role) == route.roles.end()) {
          m.refused(method, target, role == Role::provider ? wrong_role_provider : m.token_for(role), "{}", 403, "forbidden");
          break;
        }
    }
    if (method == "GET") continue;
    m.refused(method, target, token, "{", 400, "malformed_json");
    m.refused(method, target, token, "{\"a\": 1,}", 400, "malformed_json");
    m.refused(method, target, token, "[1, 2]", 422, "wrong_type", "must be a JSON object");
    m.refused(method, target, token, R"({"bogus_field": 1})", 422, "unknown_field", "unknown field 'bogus_field'");
    m.refused(method, target, token, "{}", 415, "unsupported_media_type", "", "text/plain");
  }
}

TEST_CASE("requests that name no route, the wrong method, a broken target or an oversized body are refused",
          "[rest]") {
  BadInputMarket m;
  m.refused("GET", "/api/v1/nothing", m.admin, "", 404, "not_found");
  m.refused("GET", "/api/v1/packages/1/", m.officer, "", 404, "not_found");
  const HttpResponse del = m.call("DELETE", "/api/v1/packages/1", m.officer);
  CHECK(del.status == 405);
  CHECK(RestHarness::error_code(del) == "method_not_allowed");
  REQUIRE(!del.headers.empty());
  CHECK(del.headers[0] == std::pair<std::string, std::string>{"Allow", "GET"});
  m.refused("GET", "/api/v1/locations/%zz", m.officer, "", 400, "malformed_target");
  m.refused("GET", "/api/v1/packages?status=%4", m.officer, "", 400, "malformed_target");
  m.refused("POST", "/api/v1/packages", m.officer, std::string(carebroker::gateway::kMaxRestBodyBytes + 1, ' '), 413,
            "body_too_large");
  CHECK(m.call("GET", "/api/v1/locations/%41", m.officer).status == 200);  // %41 is "A"
}

TEST_CASE("a package with wrong types, missing fields, bad money or bad dates is refused, naming the field",
          "[rest]") {
  BadInputMarket m;
  auto with = [](std::string_view field, std::string_view value) {
    json::value v = json::parse(kPackageJson);
    if (value.empty())
      v.as_object().erase(field);
    else
      v.as_object()[field] = json::parse(value);
    return json::serialize(v);
  };
  auto post = [&](const std::string& body, int status, const std::string& code, const std::string& detail) {
    m.refused("POST", "/api/v1/packages", m.officer, body, status, code, detail);
  };
  post(with("quantity", "\"840\""), 422, "wrong_type", "field 'quantity' must be an integer");
  post(with("quantity", "840.5"), 422, "wrong_type", "field 'quantity' must be an integer");
  post(with("categories", "\"older_people\""), 422, "wrong_type", "field 'categories' must be a list");
  post(with("categories", "[1]"), 422, "wrong_type", "field 'categories[0]' must be a string");
  post(with("double_handed", "\"yes\""), 422, "wrong_type", "field 'double_handed' must be true or false");
  post(with("start_date", ""), 422, "missing_field", "field 'start_date' is required");
  post(with("person", ""), 422, "missing_field", "field 'person' is required");
  post(with("dps", ""), 422, "missing_field", "field 'dps' is required");
  post(with("person", R"({"name": 7})"), 422, "wrong_type", "field 'person.name' must be a string");
  post(with("person", R"({"name": "Ada", "nhs_number": "x"})"), 422, "unknown_field", "unknown field 'person.nhs_number'");
  post(with("person", R"("Ada")"), 422, "wrong_type", "field 'person' must be an object");
  post(with("visits", R"({"visits_per_day": 4})"), 422, "missing_field", "field 'visits.minutes_per_visit' is required");
  post(with("officer", R"("someone")"), 422, "unknown_field", "unknown field 'officer'");
  post(with("urgency", R"("asap")"), 422, "invalid_value", "field 'urgency' must be one of urgent, standard, planned");
  // Money: integer pence only.
  post(with("price_ceiling", "2850.5"), 422, "invalid_money", "field 'price_ceiling' must be a whole number of pence");
  post(with("price_ceiling", "2850.0"), 422, "invalid_money", "field 'price_ceiling' must be a whole number of pence");
  post(with("price_ceiling", "-1"), 422, "invalid_money", "field 'price_ceiling' must not be negative");
  post(with("price_ceiling", "1000000000001"), 422, "invalid_money", "field 'price_ceiling' is more than 1000000000000 pence");
  post(with("price_ceiling", "18446744073709551615"), 422, "invalid_money", "field 'price_ceiling' is more than");
  post(with("price_ceiling", "1e30"), 422, "invalid_money", "field 'price_ceiling' is more than");
  post(with("price_ceiling", "\"2850\""), 422, "wrong_type", "field 'price_ceiling' must be a whole number of pence");
  // Dates.
  post(with("start_date", "\"2026-02-30\""), 422, "invalid_date", "field 'start_date' is not a calendar date");
  post(with("start_date", "\"25/11/2026\""), 422, "invalid_date", "field 'start_date'");
  post(with("start_date", "20261125"), 422, "wrong_type", "field 'start_date' must be a date");
  // Market rules.
  post(with("start_date", "\"2026-11-01\""), 422, "invalid_date", "in the past");
  post(with("lot", "\"day-care\""), 404, "unknown_lot", "no lot day-care");
  post(with("dps", "\"nope\""), 404, "unknown_dps", "");
  post(with("postcode_district", "\"ZZ9\""), 404, "unknown_postcode_district", "");
  post(with("quantity", "900"), 422, "visit_pattern_mismatch", "840 minutes a week");
  post(with("window", "-5"), 422, "invalid_value", "field 'window' must be 0..");
  post(with("person", R"({"name": ""})"), 422, "invalid_value", "field 'person.name' must not be empty");
}

TEST_CASE("a DPS configuration is refused for wrong types, bad money, typos and a code that is not the path's",
          "[rest]") {
  BadInputMarket m;
  auto put = [&](std::string_view path, std::string_view value, int status, const std::string& code,
                 const std::string& detail, std::string target = "/api/v1/dps/home-care") {
    json::value v = json::parse(kHomeCareJson);
    json::value* at = &v;
    std::string_view rest = path;
    while (true) {  // "lots.0.rate_max" style paths
      const auto dot = rest.find('.');
      const std::string_view key = rest.substr(0, dot);
      const bool last = dot == std::string_view::npos;
      if (at->is_array()) {
        at = &at->as_array()[std::stoul(std::string(key))];
      } else if (last && value.empty()) {
        at->as_object().erase(key);
        break;
      } else {
        at = &at->as_object()[key];
      }
      if (last) {
        *at = json::parse(value);
        break;
      }
      rest = rest.substr(dot + 1);
    }
    m.refused("PUT", target, m.admin, json::serialize(v), status, code, detail);
  };
  put("lots", "", 422, "missing_field", "field 'lots' is required");
  put("tiers", "\"tier1\"", 422, "wrong_type", "field 'tiers' must be a list");
  put("lots.0.rate_max", "3214.5", 422, "invalid_money", "field 'lots[0].rate_max' must be a whole number of pence");
  put("lots.0.rate_min", "-5", 422, "invalid_money", "field 'lots[0].rate_min' must not be negative");
  put("lots.0.fair_cost", "10000000000000", 422, "invalid_money", "field 'lots[0].fair_cost' is more than 1000000000000 pence");
  put("lots.0.fair_cost", "\"3214\"", 422, "wrong_type", "field 'lots[0].fair_cost'");
  put("lots.0.unit", "\"minutes\"", 422, "invalid_value", "field 'lots[0].unit' must be one of hours, places, sessions");
  put("lots.0.colour", "\"red\"", 422, "unknown_field", "unknown field 'lots[0].colour'");
  put("zones.1.code", "", 422, "missing_field", "field 'zones[1].code' is required");
  put("ranking", R"({"price_weigth_pct": 50})", 422, "unknown_field", "unknown field 'ranking.price_weigth_pct'");
  put("ranking", R"({"price_weight_pct": 50, "quality_weight_pct": 60})", 422, "invalid_config", "adding up to 100");
  put("ranking", R"({"scheme": "cheapest"})", 422, "invalid_value", "field 'ranking.scheme'");
  put("windows", R"({"urgent_window": -1})", 422, "invalid_value", "field 'windows.urgent_window' must be 0..");
  put("windows", R"({"urgent_window": 3.5})", 422, "wrong_type", "field 'windows.urgent_window' must be an integer");
  put("risk", "true", 422, "wrong_type", "field 'risk' must be an object");
  put("code", "\"other\"", 422, "path_mismatch", "'other' is not the path's 'home-care'");
  put("categories", R"(["older_people", "astrology"])", 422, "invalid_config", "unknown category 'astrology'");
  put("tiers", R"(["tier2", "tier1", "specialist"])", 422, "invalid_config", "may add lots, zones and tiers");
}

TEST_CASE("REST money is only ever a JSON integer: strings, signs, zeros, hex, fractions and escaped keys are refused",
          "[rest]") {
  // Issue 7, defect 8, on the REST side: price_ceiling (POST /api/v1/packages) and the rate band
  // and fair cost of a lot (PUT /api/v1/dps/{code}). Written as raw text: some are not JSON.
  BadInputMarket m;
  struct Case {
    std::string value;
    int status;
    const char* code;
  };
  const std::vector<Case> cases = {
      {R"("+3333")", 422, "wrong_type"},  {R"(" 3001")", 422, "wrong_type"}, {R"("0003003")", 422, "wrong_type"},
      {R"("0xB22")", 422, "wrong_type"},  {R"("2850")", 422, "wrong_type"},  {"2850.0", 422, "invalid_money"},
      {"28.5", 422, "invalid_money"},     {"1e3", 422, "invalid_money"},     {"-5", 422, "invalid_money"},
      {"true", 422, "wrong_type"},        {"[2850]", 422, "wrong_type"},     {R"({"v":1})", 422, "wrong_type"},
      {"+3333", 400, "malformed_json"},   {"0xB22", 400, "malformed_json"},  {"0003003", 400, "malformed_json"},
  };
  const std::string package(kPackageJson);
  const std::string dps(kHomeCareJson);
  const auto replaced = [](std::string text, const std::string& from, const std::string& to) {
    const auto at = text.find(from);
    REQUIRE(at != std::string::npos);
    return text.replace(at, from.size(), to);
  };
  for (const char* key : {"price_ceiling", R"(price_ceilin\u0067)", R"(\u0070rice_ceiling)"}) {
    for (const auto& c : cases) {
      const std::string body = replaced(package, R"("quantity": 840,)", std::string(R"("quantity": 840, ")") + key + R"(": )" + c.value + ",");
      m.refused("POST", "/api/v1/packages", m.officer, body, c.status, c.code);
    }
    const std::string good = replaced(package, R"("quantity": 840,)", std::string(R"("quantity": 840, ")") + key + R"(": 3500,)");
    CHECK(m.must(201, "POST", "/api/v1/packages", m.officer, good).at("package").to_number<std::uint64_t>() > 1);
  }
  for (const char* field : {"rate_min", "rate_max", "fair_cost"}) {
    char escaped_first[8];  // the field's first letter as a JSON \u escape
    std::snprintf(escaped_first, sizeof escaped_first, "\\u%04x", static_cast<unsigned>(field[0]));
    for (const std::string& key : {std::string(field), std::string(escaped_first) + (field + 1)}) {
      const std::string from = std::string(R"(")") + field + R"(": )";
      for (const auto& c : cases) {
        // The lot's value is replaced by the case's; whatever number followed is consumed.
        std::string body = dps;
        const auto at = body.find(from);
        REQUIRE(at != std::string::npos);
        const auto end = body.find_first_of(",}", at + from.size());
        body.replace(at, end - at, "\"" + key + "\": " + c.value);
        m.refused("PUT", "/api/v1/dps/home-care", m.admin, body, c.status, c.code);
      }
    }
  }
}

TEST_CASE("every body route refuses its own wrong types, missing fields and market rule breaches", "[rest]") {
  BadInputMarket m;
  struct Case {
    const char* method;
    std::string target;
    const std::string& token;
    const char* body;
    int status;
    const char* code;
    const char* detail;
  };
  const std::vector<Case> cases = {
      // tokens
      {"POST", "/api/v1/tokens", m.admin, R"({"role": "officer"})", 422, "missing_field", "field 'user' is required"},
      {"POST", "/api/v1/tokens", m.admin, R"({"role": 1, "name": "x"})", 422, "wrong_type", "field 'role' must be a string"},
      {"POST", "/api/v1/tokens", m.admin, R"({"role": "boss", "name": "x"})", 422, "invalid_value", "field 'role' must be one of"},
      {"POST", "/api/v1/tokens", m.admin, R"({"role": "provider", "name": "x"})", 422, "invalid_value", "required for role provider"},
      {"POST", "/api/v1/tokens", m.admin, R"({"role": "officer", "provider": "P-A", "name": "x"})", 422, "invalid_value", "only for role provider"},
      {"POST", "/api/v1/tokens", m.admin, R"({"role": "provider", "provider": "P-NOPE", "name": "x"})", 404, "unknown_provider", "P-NOPE"},
      // categories and calendar
      {"POST", "/api/v1/categories", m.admin, R"({"code": "x"})", 422, "missing_field", "field 'name' is required"},
      {"POST", "/api/v1/categories", m.admin, R"({"code": 5, "name": "x"})", 422, "wrong_type", "field 'code' must be a string"},
      {"POST", "/api/v1/categories", m.admin, R"({"code": "", "name": "x"})", 422, "invalid_config", "needs a code"},
      {"PUT", "/api/v1/calendar", m.admin, R"({})", 422, "missing_field", "field 'bank_holidays' is required"},
      {"PUT", "/api/v1/calendar", m.admin, R"({"bank_holidays": "2026-12-25"})", 422, "wrong_type", "must be a list"},
      {"PUT", "/api/v1/calendar", m.admin, R"({"bank_holidays": ["2026-13-01"]})", 422, "invalid_date", "field 'bank_holidays[0]'"},
      {"PUT", "/api/v1/calendar", m.admin, R"({"bank_holidays": [20261225]})", 422, "wrong_type", "field 'bank_holidays[0]'"},
      // providers
      {"POST", "/api/v1/providers", m.compliance, R"({"name": "x"})", 422, "missing_field", "field 'id' is required"},
      {"POST", "/api/v1/providers", m.compliance, R"({"id": ["x"], "name": "x"})", 422, "wrong_type", "field 'id' must be a string"},
      {"POST", "/api/v1/providers", m.compliance, R"({"id": "P-A", "name": "again"})", 409, "provider_exists", "P-A"},
      {"PUT", "/api/v1/providers/P-A/status", m.compliance, R"({"in_administration": "yes", "contract_terminated": false})", 422, "wrong_type", "field 'in_administration' must be true or false"},
      {"PUT", "/api/v1/providers/P-A/status", m.compliance, R"({"in_administration": false})", 422, "missing_field", "field 'contract_terminated' is required"},
      {"PUT", "/api/v1/providers/P-A/status", m.compliance, R"({"in_administration": true, "contract_terminated": false})", 422, "reason_required", ""},
      {"PUT", "/api/v1/providers/P-NOPE/status", m.compliance, R"({"in_administration": false, "contract_terminated": false})", 404, "unknown_provider", ""},
      {"PUT", "/api/v1/providers/P-A/status", m.compliance, R"({"in_administration": false, "contract_terminated": true, "reason": "x", "dps": 7})", 422, "wrong_type", "field 'dps' must be a string"},
      {"PUT", "/api/v1/providers/P-A/status", m.compliance, R"({"in_administration": false, "contract_terminated": true, "reason": "x", "dps": "nope"})", 404, "unknown_dps", "nope"},
      // locations
      {"POST", "/api/v1/locations", m.compliance, R"({"id": "Z", "name": "x"})", 422, "missing_field", "field 'provider' is required"},
      {"POST", "/api/v1/locations", m.compliance, R"({"id": "Z", "provider": "P-A", "name": 5})", 422, "wrong_type", "field 'name' must be a string"},
      {"POST", "/api/v1/locations", m.compliance, R"({"id": "Z", "provider": "P-NOPE", "name": "x"})", 404, "unknown_provider", ""},
      {"POST", "/api/v1/locations", m.compliance, R"({"id": "A", "provider": "P-A", "name": "x"})", 409, "location_exists", ""},
      {"POST", "/api/v1/locations/A/applications", m.compliance, R"({})", 422, "missing_field", "field 'dps' is required"},
      {"POST", "/api/v1/locations/A/applications", m.compliance, R"({"dps": 1})", 422, "wrong_type", "field 'dps' must be a string"},
      {"POST", "/api/v1/locations/A/applications", m.compliance, R"({"dps": "nope"})", 404, "unknown_dps", ""},
      {"POST", "/api/v1/locations/A/applications", m.compliance, R"({"dps": "home-care"})", 409, "already_applied", ""},
      {"POST", "/api/v1/locations/NOPE/applications", m.compliance, R"({"dps": "home-care"})", 404, "unknown_location", ""},
      {"POST", "/api/v1/locations/A/assessment-extensions", m.compliance, R"({"dps": "home-care"})", 409, "not_under_assessment", ""},
      {"POST", "/api/v1/locations/A/admissions", m.compliance, R"({"dps": "home-care", "lots": ["hc"], "categories": ["older_people"], "zones": ["south"]})", 422, "missing_field", "field 'tier' is required"},
      {"POST", "/api/v1/locations/A/admissions", m.compliance, R"({"dps": "home-care", "lots": "hc", "categories": [], "zones": [], "tier": "tier1"})", 422, "wrong_type", "field 'lots' must be a list"},
      {"POST", "/api/v1/locations/A/admissions", m.compliance, R"({"dps": "home-care", "lots": ["hc"], "categories": ["older_people"], "zones": ["south"], "tier": "tier1", "capacity": -1})", 422, "invalid_value", "field 'capacity'"},
      {"POST", "/api/v1/locations/A/admissions", m.compliance, R"({"dps": "home-care", "lots": ["hc"], "categories": ["older_people"], "zones": ["south"], "tier": "tier1"})", 409, "not_under_assessment", ""},
      {"PUT", "/api/v1/locations/A/memberships/home-care", m.compliance, R"({"categories": ["older_people"], "zones": ["south"], "tier": "tier1"})", 422, "missing_field", "field 'lots' is required"},
      {"PUT", "/api/v1/locations/A/memberships/home-care", m.compliance, R"({"lots": ["hc"], "categories": ["older_people"], "zones": ["south"], "tier": 3})", 422, "wrong_type", "field 'tier' must be a string"},
      {"PUT", "/api/v1/locations/A/memberships/home-care", m.compliance, R"({"lots": ["hc"], "categories": ["older_people"], "zones": ["mars"], "tier": "tier1"})", 404, "unknown_zone", "mars"},
      {"PUT", "/api/v1/locations/A/memberships/nope", m.compliance, R"({"lots": ["hc"], "categories": ["older_people"], "zones": ["south"], "tier": "tier1"})", 404, "unknown_dps", ""},
      {"POST", "/api/v1/locations/A/refusals", m.compliance, R"({"dps": "home-care"})", 422, "missing_field", "field 'reason' is required"},
      {"POST", "/api/v1/locations/A/suspensions", m.compliance, R"({"dps": "home-care", "reason": ""})", 422, "reason_required", ""},
      {"POST", "/api/v1/locations/A/suspensions", m.compliance, R"({"dps": "home-care", "reason": false})", 422, "wrong_type", "field 'reason' must be a string"},
      {"POST", "/api/v1/locations/A/reinstatements", m.compliance, R"({"dps": "home-care"})", 409, "not_suspended", ""},
      {"POST", "/api/v1/locations/A/exits", m.compliance, R"({"dps": "home-care"})", 422, "missing_field", "field 'reason' is required"},
      {"PATCH", "/api/v1/locations/A/quality", m.compliance, R"({"cqc": "excellent"})", 422, "invalid_value", "field 'cqc' must be one of none, outstanding"},
      {"PATCH", "/api/v1/locations/A/quality", m.compliance, R"({"self_assessment": 101})", 422, "invalid_value", "field 'self_assessment' must be -1..100"},
      {"PATCH", "/api/v1/locations/A/quality", m.compliance, R"({"self_assessment": 75.5})", 422, "wrong_type", "field 'self_assessment' must be an integer"},
      {"PATCH", "/api/v1/locations/A/quality", m.compliance, R"({"embargo": "yes"})", 422, "wrong_type", "field 'embargo' must be true or false"},
      {"PATCH", "/api/v1/locations/A/quality", m.compliance, R"({"embargo": true})", 422, "reason_required", ""},
      {"PATCH", "/api/v1/locations/A/quality", m.compliance, R"({"record_safeguarding_decisions": 1000})", 422, "invalid_value", "0..100"},
      {"PATCH", "/api/v1/locations/A/quality", m.compliance, R"({"fsa": 3})", 422, "wrong_type", "field 'fsa' must be a string"},
      {"PATCH", "/api/v1/locations/A/quality", m.compliance, R"({"cqc_rating": "good"})", 422, "unknown_field", "unknown field 'cqc_rating'"},
      {"PATCH", "/api/v1/locations/NOPE/quality", m.compliance, R"({"cqc": "good"})", 404, "unknown_location", ""},
      // package actions
      {"POST", "/api/v1/packages/1/hold", m.officer, R"({})", 422, "missing_field", "field 'reason' is required"},
      {"POST", "/api/v1/packages/1/hold", m.officer, R"({"reason": 5})", 422, "wrong_type", "field 'reason' must be a string"},
      {"POST", "/api/v1/packages/1/hold", m.officer, R"({"reason": ""})", 422, "reason_required", ""},
      {"POST", "/api/v1/packages/999/hold", m.officer, R"({"reason": "x"})", 404, "unknown_package", "no package 999"},
      {"POST", "/api/v1/packages/1/release", m.officer, "", 409, "package_not_on_hold", ""},
      {"POST", "/api/v1/packages/1/cancel", m.officer, R"({})", 422, "missing_field", "field 'reason' is required"},
      {"POST", "/api/v1/packages/abc/cancel", m.officer, R"({"reason": "x"})", 404, "unknown_package", "no package abc"},
      {"POST", "/api/v1/packages/0/direct-payment", m.officer, "", 404, "unknown_package", ""},
      {"POST", "/api/v1/packages/1/abnormally-low-decisions", m.officer, R"({"location": "A", "accept": "yes", "reason": "x"})", 422, "wrong_type", "field 'accept' must be true or false"},
      {"POST", "/api/v1/packages/1/abnormally-low-decisions", m.officer, R"({"accept": true, "reason": "x"})", 422, "missing_field", "field 'location' is required"},
      {"POST", "/api/v1/packages/1/abnormally-low-decisions", m.officer, R"({"location": "A", "accept": true, "reason": "x"})", 409, "no_offer", ""},
      {"POST", "/api/v1/packages/1/abnormally-low-decisions", m.officer, R"({"location": "NOPE", "accept": true, "reason": "x"})", 404, "unknown_location", ""},
      {"POST", "/api/v1/packages/1/persons-choice", m.officer, R"({"location": "A"})", 422, "missing_field", "field 'reason' is required"},
      {"POST", "/api/v1/packages/1/persons-choice", m.officer, R"({"location": "NOPE", "reason": "x"})", 404, "unknown_location", ""},
      // backups
      {"POST", "/api/v1/admin/backups", m.admin, R"({})", 422, "missing_field", "field 'name' is required"},
      {"POST", "/api/v1/admin/backups", m.admin, R"({"name": 5})", 422, "wrong_type", "field 'name' must be a string"},
      {"POST", "/api/v1/admin/backups", m.admin, R"({"name": ""})", 422, "invalid_backup_name", "must not be empty"},
      {"POST", "/api/v1/admin/backups", m.admin, R"({"to": "/backups/x"})", 422, "unknown_field", "unknown field 'to'"},
  };
  for (const auto& c : cases) m.refused(c.method, c.target, c.token, c.body, c.status, c.code, c.detail);
  CHECK(m.service.backups.empty());
}

TEST_CASE("lists refuse oversized pages, unknown filters and unknown ids, reads of unknown things are 404",
          "[rest]") {
  BadInputMarket m;
  const std::string& o = m.officer;
  m.refused("GET", "/api/v1/packages?page_size=501", o, "", 422, "invalid_query", "'page_size' must be 1..500");
  m.refused("GET", "/api/v1/packages?page_size=0", o, "", 422, "invalid_query", "page_size");
  m.refused("GET", "/api/v1/packages?page_size=abc", o, "", 422, "invalid_query", "page_size");
  m.refused("GET", "/api/v1/packages?page=0", o, "", 422, "invalid_query", "'page' must be 1..");
  m.refused("GET", "/api/v1/packages?page=1&page=2", o, "", 422, "invalid_query", "given twice");
  m.refused("GET", "/api/v1/packages?colour=red", o, "", 422, "invalid_query", "unknown query parameter 'colour'");
  m.refused("GET", "/api/v1/packages?status=bogus", o, "", 422, "invalid_query", "not a package status");
  m.refused("GET", "/api/v1/packages?zone=south", o, "", 422, "invalid_query", "needs dps");
  m.refused("GET", "/api/v1/packages?dps=nope", o, "", 422, "invalid_query", "no DPS 'nope'");
  m.refused("GET", "/api/v1/packages?dps=home-care&zone=mars", o, "", 422, "invalid_query", "no zone 'mars'");
  m.refused("GET", "/api/v1/locations?tier=tier1", o, "", 422, "invalid_query", "need dps");
  m.refused("GET", "/api/v1/locations?dps=home-care&rag=purple", o, "", 422, "invalid_query", "rag");
  m.refused("GET", "/api/v1/locations?dps=home-care&tier=tier9", o, "", 422, "invalid_query", "no tier 'tier9'");
  m.refused("GET", "/api/v1/locations?dps=home-care&status=retired", o, "", 422, "invalid_query", "not a membership status");
  m.refused("GET", "/api/v1/locations?page_size=1000", o, "", 422, "invalid_query", "page_size");
  m.refused("GET", "/api/v1/dps?page_size=501", o, "", 422, "invalid_query", "page_size");
  m.refused("GET", "/api/v1/dps/home-care?verbose=1", o, "", 422, "invalid_query", "unknown query parameter 'verbose'");
  m.refused("GET", "/api/v1/packages/999", o, "", 404, "unknown_package", "no package 999");
  m.refused("GET", "/api/v1/packages/abc", o, "", 404, "unknown_package", "no package abc");
  m.refused("GET", "/api/v1/packages/-1", o, "", 404, "unknown_package", "");
  m.refused("GET", "/api/v1/locations/NOPE", o, "", 404, "unknown_location", "no location NOPE");
  m.refused("GET", "/api/v1/dps/nope", o, "", 404, "unknown_dps", "no DPS nope");
  CHECK(m.must(200, "GET", "/api/v1/packages?page_size=500&page=1", o).at("page_size").as_int64() == 500);
  CHECK(m.must(200, "GET", "/api/v1/packages?page=7", o).at("items").as_array().empty());
}

TEST_CASE("a contract termination naming a DPS the provider has no membership of is refused with 409", "[rest]") {
  BadInputMarket m;
  m.must(201, "POST", "/api/v1/providers", m.compliance, R"({"id": "P-Z", "name": "Z Ltd"})");
  m.refused("PUT", "/api/v1/providers/P-Z/status", m.compliance,
            R"({"in_administration": false, "contract_terminated": true, "reason": "missed calls", "dps": "home-care"})",
            409, "provider_not_member_of_dps", "home-care");
  // Named where it is a member, the termination is of that DPS's contract.
  m.must(200, "PUT", "/api/v1/providers/P-A/status", m.compliance,
         R"({"in_administration": false, "contract_terminated": true, "reason": "missed calls", "dps": "home-care"})");
  const json::value a = m.must(200, "GET", "/api/v1/locations/A", m.compliance);
  CHECK(json::serialize(a.at("provider").at("contract_terminated_in")) == R"(["home-care"])");
}


TEST_CASE("contract actions over REST: issued, changed with history, listed, bad input refused with its code", "[rest]") {
  BadInputMarket m;
  const std::string& c = m.compliance;
  const std::string base = "/api/v1/providers/P-A/contract-actions";
  // Bad input: each with its own status and code, the market unchanged.
  m.refused("POST", base, c, R"({"kind": "default_notice", "owner": "o", "review_date": "2099-01-01"})", 422, "missing_field", "field 'dps' is required");
  m.refused("POST", base, c, R"({"dps": "home-care", "kind": "final_warning", "owner": "o", "review_date": "2099-01-01"})", 422, "invalid_value", "field 'kind' must be one of");
  m.refused("POST", base, c, R"({"dps": "home-care", "kind": "default_notice", "owner": "o", "review_date": "2099-02-30"})", 422, "invalid_date", "review_date");
  m.refused("POST", base, c, R"({"dps": "home-care", "kind": "default_notice", "owner": "o"})", 422, "review_date_required", "review date");
  m.refused("POST", base, c, R"({"dps": "home-care", "kind": "default_notice", "owner": "o", "review_date": "2020-01-01"})", 422, "review_date_in_past", "2020-01-01");
  m.refused("POST", base, c, R"({"dps": "home-care", "kind": "default_notice", "owner": "", "review_date": "2099-01-01"})", 422, "owner_required", "owner");
  m.refused("POST", base, c, R"({"dps": "nope", "kind": "default_notice", "owner": "o", "review_date": "2099-01-01"})", 404, "unknown_dps", "nope");
  m.refused("POST", "/api/v1/providers/P-NOPE/contract-actions", c, R"({"dps": "home-care", "kind": "termination", "owner": "o"})", 404, "unknown_provider", "P-NOPE");
  m.refused("POST", base, c, R"({"dps": "home-care", "kind": "default_notice", "owner": "o", "review_date": "2099-01-01", "escalates": 9})", 404, "unknown_contract_action", "9");
  m.refused("POST", base, c, R"({"dps": "home-care", "kind": "default_notice", "owner": "o", "review_date": "2099-01-01", "escalates": "1"})", 422, "wrong_type", "escalates");
  m.refused("POST", base, m.officer, R"({"dps": "home-care", "kind": "default_notice", "owner": "o", "review_date": "2099-01-01"})", 403, "forbidden", "");
  m.must(201, "POST", "/api/v1/providers", c, R"({"id": "P-Z", "name": "Z Ltd"})");
  m.refused("POST", "/api/v1/providers/P-Z/contract-actions", c, R"({"dps": "home-care", "kind": "termination", "owner": "o"})", 409, "provider_not_member_of_dps", "home-care");

  // Issued: the location shows it in force and turns Red.
  m.must(201, "POST", base, c, R"({"dps": "home-care", "kind": "default_notice", "owner": "officer-1", "review_date": "2099-01-01", "notes": "late calls"})");
  const json::value loc = m.must(200, "GET", "/api/v1/locations/A", c);
  CHECK(json::serialize(loc.at("provider").at("contract_actions_in_force")) == R"([{"id":1,"dps":"home-care","kind":"default_notice"}])");
  CHECK(loc.at("memberships").at(0).at("risk").at("rag").as_string() == "red");
  m.refused("POST", base, c, R"({"dps": "home-care", "kind": "default_notice", "owner": "o", "review_date": "2099-01-01"})", 409, "contract_action_in_force", "action 1");

  // Updates: bad ones refused; a good one joins the history.
  m.refused("POST", base + "/x/updates", c, R"({"status": "complied", "notes": "n"})", 404, "unknown_contract_action", "x");
  m.refused("POST", base + "/7/updates", c, R"({"status": "complied", "notes": "n"})", 404, "unknown_contract_action", "7");
  m.refused("POST", base + "/1/updates", c, R"({"status": "closed", "notes": "n"})", 422, "invalid_value", "field 'status' must be one of");
  m.refused("POST", base + "/1/updates", c, R"({"status": "complied"})", 422, "missing_field", "field 'notes' is required");
  m.refused("POST", base + "/1/updates", c, R"({"status": "escalated", "notes": "n"})", 409, "invalid_status_change", "escalated");
  m.must(200, "POST", base + "/1/updates", c, R"({"status": "complied", "notes": "remedied", "owner": "officer-2"})");
  m.refused("POST", base + "/1/updates", c, R"({"status": "withdrawn", "notes": "n"})", 409, "contract_action_closed", "complied");

  const json::value list = m.must(200, "GET", base, m.officer);
  REQUIRE(list.at("total").as_int64() == 1);
  const json::value& a = list.at("items").at(0);
  CHECK(a.at("kind").as_string() == "default_notice");
  CHECK(a.at("status").as_string() == "complied");
  CHECK(a.at("owner").as_string() == "officer-2");
  CHECK(a.at("history").as_array().size() == 1);
  CHECK(a.at("history").at(0).at("notes").as_string() == "remedied");
  CHECK(m.must(200, "GET", "/api/v1/locations/A", c).at("memberships").at(0).at("risk").at("rag").as_string() != "red");

  // Across providers: filters, and bad filters refused.
  m.must(201, "POST", base, c, R"({"dps": "home-care", "kind": "improvement_plan", "owner": "officer-1", "review_date": "2099-03-01"})");
  CHECK(m.must(200, "GET", "/api/v1/contract-actions?status=in_force", c).at("total").as_int64() == 1);
  CHECK(m.must(200, "GET", "/api/v1/contract-actions?review_due_by=2099-02-01", c).at("total").as_int64() == 0);
  CHECK(m.must(200, "GET", "/api/v1/contract-actions?review_due_by=2099-03-01&dps=home-care", c).at("total").as_int64() == 1);
  m.refused("GET", "/api/v1/contract-actions?kind=warning", c, "", 422, "invalid_query", "warning");
  m.refused("GET", "/api/v1/contract-actions?review_due_by=soon", c, "", 422, "invalid_query", "review_due_by");
  m.refused("GET", "/api/v1/contract-actions?dps=nope", c, "", 422, "invalid_query", "nope");
  m.refused("GET", "/api/v1/providers/P-NOPE/contract-actions", c, "", 404, "unknown_provider", "P-NOPE");
}

TEST_CASE("a number in a path or a query is plain digits: signs, leading zeros, fractions, exponents and overflow are refused",
          "[rest]") {
  RestHarness h;
  h.configure_market();
  h.admit("A");
  const json::value posted = h.must(201, "POST", "/api/v1/packages", h.officer, kPackageJson);
  REQUIRE(posted.at("package").as_int64() == 1);
  // The plain form names the package; every other spelling of 1 (or of no number) is not a package.
  h.must(200, "GET", "/api/v1/packages/1", h.officer);
  const std::vector<std::string> not_numbers = {"-1", "+1", "01", "1.0", "1e0", "0x1", " 1", "1 ", "0", "",
                                                "99999999999999999999", "18446744073709551617", "١"};
  for (const std::string& n : not_numbers) {
    struct Route {
      std::string method, target, token, body, code;
    };
    for (const Route& r : {Route{"GET", "/api/v1/packages/" + n, h.officer, "", "unknown_package"},
                           Route{"POST", "/api/v1/packages/" + n + "/hold", h.officer, R"({"reason": "x"})", "unknown_package"},
                           Route{"POST", "/api/v1/packages/" + n + "/spot-purchase", h.officer,
                                 R"({"rate": 2500, "reason": "x"})", "unknown_package"},
                           Route{"POST", "/api/v1/packages/1/questions/" + n + "/answer", h.officer, R"({"answer": "x"})",
                                 "unknown_question"},
                           Route{"POST", "/api/v1/providers/P-A/contract-actions/" + n + "/updates", h.compliance,
                                 R"({"status": "closed", "notes": "x"})", "unknown_contract_action"},
                           Route{"GET", "/api/v1/cqc-imports/" + n, h.compliance, "", "unknown_cqc_import"},
                           Route{"POST", "/api/v1/locations/A/self-assessments/" + n + "/validation", h.compliance,
                                 R"({"dps": "home-care"})", "unknown_self_assessment"}}) {
      if (n.empty() && r.method == "GET") continue;  // "/api/v1/packages/" is the list's path with a slash: not_found
      const HttpResponse got = h.call(r.method, r.target, r.token, r.body);
      INFO(r.method << " " << r.target << " → " << got.status << " " << got.body);
      CHECK(got.status == 404);
      // An empty segment names no route at all (not_found); anything else reaches the route.
      CHECK(RestHarness::error_code(got) == (n.empty() ? std::string("not_found") : r.code));
    }
    for (const std::string& query : {"/api/v1/packages?page=" + n, "/api/v1/packages?page_size=" + n,
                                     "/api/v1/packages/1/what-if?min_quality=" + n}) {
      if (n == "0" && query.find("min_quality") != std::string::npos) continue;  // 0 is a minimum quality
      const HttpResponse got = h.call("GET", query, h.officer);
      INFO(query << " → " << got.status << " " << got.body);
      CHECK(got.status == 422);
      CHECK(RestHarness::error_code(got) == "invalid_query");
    }
  }
  // And the plain forms work: page 1, page size 500, minimum quality 0 and 100.
  h.must(200, "GET", "/api/v1/packages?page=1&page_size=500", h.officer);
  h.must(200, "GET", "/api/v1/packages/1/what-if?min_quality=0", h.officer);
  h.must(200, "GET", "/api/v1/packages/1/what-if?min_quality=100", h.officer);
}
