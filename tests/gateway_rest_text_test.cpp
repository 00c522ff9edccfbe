// Names, identifiers and free text that reach records (the journal, the tokens file, logs) are
// checked where they enter (issue 7, defect 3): at every REST text field, a name or identifier
// with any control character — C0 U+0000..U+001F, DEL U+007F, C1 U+0080..U+009F (U+0085 is a
// line break to some readers) — is 422 invalid_value naming the field and the character; free
// text (reasons, addresses) keeps tabs and line breaks but refuses every other control
// character; path segments and query values are checked the same way; lengths count characters.
#include <cstdio>
#include <string>
#include <vector>

#include "rest_harness.h"

using namespace carebroker::testing;

namespace {

/// A market with the home-care DPS, location A (provider P-A) admitted and package 1 open.
struct TextMarket : RestHarness {
  TextMarket() {
    configure_market();
    admit("A");
    must(201, "POST", "/api/v1/packages", officer, kPackageJson);
  }
};

/// The JSON escape of code point `c` ("\u000A") and the name the server gives it ("U+000A").
std::string json_escape(int c) {
  char out[8];
  std::snprintf(out, sizeof out, "\\u%04X", c);
  return out;
}
std::string code_name(int c) {
  char out[8];
  std::snprintf(out, sizeof out, "U+%04X", c);
  return out;
}

std::vector<int> control_characters() {
  std::vector<int> out;
  for (int c = 0; c < 0x20; ++c) out.push_back(c);
  out.push_back(0x7F);
  for (int c = 0x80; c <= 0x9F; ++c) out.push_back(c);
  return out;
}

std::string replaced(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  REQUIRE(at != std::string::npos);
  return text.replace(at, from.size(), to);
}

struct Entry {
  std::string method, target;
  Role role;
  std::string body;   ///< with @ where the text goes
  std::string field;  ///< the field the error must name
};

}  // namespace

TEST_CASE("a name or identifier with a control character is refused at every REST entry point", "[rest]") {
  TextMarket m;
  const std::string package = kPackageJson;
  const std::string dps = kHomeCareJson;
  const std::string admission =
      R"({"dps": "home-care", "lots": ["hc"], "categories": ["older_people"], "zones": ["south"], "tier": "tier1"})";
  const std::vector<Entry> entries = {
      {"POST", "/api/v1/tokens", Role::admin, R"({"role": "officer", "name": "a@b"})", "name"},
      {"POST", "/api/v1/tokens", Role::admin, R"({"role": "provider", "provider": "P-@", "name": "x"})", "provider"},
      {"POST", "/api/v1/providers", Role::compliance, R"({"id": "P-@", "name": "x"})", "id"},
      {"POST", "/api/v1/providers", Role::compliance, R"({"id": "P-Z", "name": "Z @ Ltd"})", "name"},
      {"POST", "/api/v1/locations", Role::compliance, R"({"id": "Z@", "provider": "P-A", "name": "x"})", "id"},
      {"POST", "/api/v1/locations", Role::compliance, R"({"id": "Z", "provider": "P-A@", "name": "x"})", "provider"},
      {"POST", "/api/v1/locations", Role::compliance, R"({"id": "Z", "provider": "P-A", "name": "x@"})", "name"},
      {"POST", "/api/v1/locations", Role::compliance, R"({"id": "Z", "provider": "P-A", "name": "x", "postcode": "B1@"})", "postcode"},
      {"POST", "/api/v1/locations", Role::compliance, R"({"id": "Z", "provider": "P-A", "name": "x", "local_authority": "@"})", "local_authority"},
      {"POST", "/api/v1/categories", Role::admin, R"({"code": "c@", "name": "x"})", "code"},
      {"POST", "/api/v1/categories", Role::admin, R"({"code": "c", "name": "x@"})", "name"},
      {"PUT", "/api/v1/dps/home-care", Role::admin, replaced(dps, "Home Care and Support", "Home @"), "name"},
      {"PUT", "/api/v1/dps/home-care", Role::admin, replaced(dps, R"("older_people", "dementia")", R"("older@", "dementia")"), "categories[0]"},
      {"PUT", "/api/v1/dps/home-care", Role::admin, replaced(dps, R"({"code": "north")", R"({"code": "no@rth")"), "zones[0].code"},
      {"POST", "/api/v1/locations/A/applications", Role::compliance, R"({"dps": "home-care@"})", "dps"},
      {"POST", "/api/v1/locations/A/admissions", Role::compliance, replaced(admission, "tier1", "tier1@"), "tier"},
      {"POST", "/api/v1/locations/A/admissions", Role::compliance, replaced(admission, "older_people", "older@"), "categories[0]"},
      {"POST", "/api/v1/packages", Role::officer, replaced(package, "Ada Example", "Ada@"), "person.name"},
      {"POST", "/api/v1/packages", Role::officer, replaced(package, "CASE-1", "CASE-@"), "person.case_reference"},
      {"POST", "/api/v1/packages", Role::officer, replaced(package, "personal care", "personal@care"), "needs[0]"},
      {"POST", "/api/v1/packages", Role::officer, replaced(package, R"("dps": "home-care")", R"("dps": "home@")"), "dps"},
      {"POST", "/api/v1/packages/1/abnormally-low-decisions", Role::officer, R"({"location": "A@", "accept": true, "reason": "x"})", "location"},
      {"POST", "/api/v1/packages/1/persons-choice", Role::officer, R"({"location": "A@", "reason": "x"})", "location"},
  };
  for (const Entry& e : entries)
    for (int c : control_characters())
      m.refused(e.method, e.target, m.token_for(e.role), replaced(e.body, "@", json_escape(c)), 422, "invalid_value",
                "field '" + e.field + "' contains a control character (" + code_name(c) + ")");
}

TEST_CASE("free text keeps tabs and line breaks but refuses every other control character", "[rest]") {
  TextMarket m;
  const std::vector<Entry> entries = {
      {"POST", "/api/v1/packages/1/hold", Role::officer, R"({"reason": "waiting @ for the family"})", "reason"},
      {"POST", "/api/v1/packages/1/cancel", Role::officer, R"({"reason": "@"})", "reason"},
      {"POST", "/api/v1/locations/A/suspensions", Role::compliance, R"({"dps": "home-care", "reason": "@"})", "reason"},
      {"PUT", "/api/v1/providers/P-A/status", Role::compliance,
       R"({"in_administration": false, "contract_terminated": false, "reason": "@"})", "reason"},
      {"PATCH", "/api/v1/locations/A/quality", Role::compliance, R"({"embargo_reason": "@"})", "embargo_reason"},
      {"POST", "/api/v1/packages", Role::officer, replaced(kPackageJson, "1 Test Street", "1 Test@Street"), "person.address"},
  };
  for (const Entry& e : entries)
    for (int c : control_characters()) {
      if (c == '\t' || c == '\n' || c == '\r') continue;
      m.refused(e.method, e.target, m.token_for(e.role), replaced(e.body, "@", json_escape(c)), 422, "invalid_value",
                "field '" + e.field + "' contains a control character (" + code_name(c) + ")");
    }
  m.must(200, "POST", "/api/v1/packages/1/hold", m.officer, R"({"reason": "line one\nline two\r\n\tindented"})");
  const carebroker::engine::Package* held = m.service.market().find_package(1);
  REQUIRE(held);
  CHECK(held->status == carebroker::engine::PackageStatus::on_hold);
}

TEST_CASE("names and identifiers longer than 200 characters are refused, characters are counted, not bytes", "[rest]") {
  TextMarket m;
  m.refused("POST", "/api/v1/providers", m.compliance, R"({"id": "P-Z", "name": ")" + std::string(201, 'a') + "\"}", 422,
            "invalid_value", "field 'name' is longer than 200 characters");
  m.refused("POST", "/api/v1/tokens", m.admin, R"({"role": "officer", "name": ")" + std::string(201, 'a') + "\"}", 422,
            "invalid_value", "field 'name' is longer than 200 characters");
  std::string welsh;
  for (int i = 0; i < 200; ++i) welsh += "\xc3\xb4";  // ô, two bytes each
  m.must(201, "POST", "/api/v1/providers", m.compliance, R"({"id": "P-Z", "name": ")" + std::string(200, 'a') + "\"}");
  m.must(201, "POST", "/api/v1/tokens", m.admin, R"({"role": "officer", "name": ")" + welsh + "\"}");
}

TEST_CASE("a path segment or query value with a control character is refused before any route runs", "[rest]") {
  TextMarket m;
  for (const std::string escape : {"%0A", "%0D", "%00", "%09", "%7F", "%C2%85", "%C2%9B"}) {
    m.refused("GET", "/api/v1/locations/A" + escape + "B", m.officer, "", 400, "malformed_target",
              "a path segment contains a control character");
    m.refused("POST", "/api/v1/locations/A" + escape + "/applications", m.compliance, R"({"dps": "home-care"})", 400,
              "malformed_target", "a path segment contains a control character");
    m.refused("GET", "/api/v1/packages?officer=x" + escape + "y", m.officer, "", 422, "invalid_query",
              "query parameter 'officer' contains a control character");
  }
  m.refused("GET", "/api/v1/locations/A%FF", m.officer, "", 400, "malformed_target", "is not valid UTF-8");
  m.refused("GET", "/api/v1/locations/" + std::string(201, 'a'), m.officer, "", 400, "malformed_target",
            "is longer than 200 characters");
}
