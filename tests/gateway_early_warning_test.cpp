// The early-warning history over REST (issue 12 item 3): PATCH /api/v1/locations/{id}/quality
// records who, when, why and the evidence, refusing bad entries with their codes; the dashboard
// GET /api/v1/early-warning shows each location's RAG, reasons, RAG changes and entries in a
// period, refusing bad queries with theirs; a provider reads its own history without who entered
// it or the evidence.
#include <catch2/catch.hpp>

#include <boost/json.hpp>

#include "gateway/rest/router.h"
#include "rest_harness.h"

using namespace carebroker::testing;

namespace {

struct EarlyWarningMarket : RestHarness {
  EarlyWarningMarket() {
    configure_market();
    admit("A");
    admit("B");
  }
  /// A request that must be refused with `status` and `code`, its detail naming `detail`.
  void refused(const std::string& method, const std::string& target, const std::string& token,
               const std::string& body, int status, const std::string& code, const std::string& detail = {}) {
    const HttpResponse r = call(method, target, token, body);
    INFO(method << " " << target << " " << body << " → " << r.status << " " << r.body);
    CHECK(r.status == status);
    CHECK(error_code(r) == code);
    CHECK(r.body.find(detail) != std::string::npos);
  }
};

const json::object* item_of(const json::value& page, const std::string& location) {
  for (const auto& i : page.at("items").as_array())
    if (i.at("location") == location.c_str()) return &i.as_object();
  return nullptr;
}

}  // namespace

TEST_CASE("REST: bad early-warning entries are refused with their codes", "[gateway][early-warning]") {
  EarlyWarningMarket m;
  const std::string q = "/api/v1/locations/A/quality";
  const std::string long_evidence(101, 'e');
  m.refused("PATCH", "/api/v1/locations/NOPE/quality", m.compliance, R"({"cqc": "good"})", 404, "unknown_location", "NOPE");
  m.refused("PATCH", q, m.compliance, R"({"self_assessment": 101})", 422, "invalid_value", "self_assessment");
  m.refused("PATCH", q, m.compliance, R"({"unexpected_deaths_under_investigation": -1})", 422, "invalid_value", "unexpected_deaths");
  m.refused("PATCH", q, m.compliance, R"({"record_safeguarding_decisions": 1})", 422, "reason_required", "reason");
  m.refused("PATCH", q, m.compliance, R"({"default_notice": true, "evidence": "DN-1"})", 422, "reason_required", "reason");
  m.refused("PATCH", q, m.compliance, R"({"record_substantiated_concerns": 1, "reason": "visit", "evidence": ")" + long_evidence + "\"}",
            422, "evidence_too_long", "100");
  m.refused("PATCH", q, m.compliance, R"({"record_safeguarding_decisions": 1, "reason": "s42", "entries_on": "2026-11-24"})",
            422, "entry_date_in_future", "2026-11-24");
  m.refused("PATCH", q, m.compliance, R"({"record_safeguarding_decisions": 1, "reason": "s42", "entries_on": "2026-11-22"})",
            422, "entry_before_registration", "2026-11-22");
  m.refused("PATCH", q, m.compliance, R"({"record_safeguarding_decisions": 1, "reason": "s42", "entries_on": "2026-02-30"})",
            422, "invalid_date", "entries_on");
  m.refused("PATCH", q, m.compliance, R"({"reason": 5})", 422, "wrong_type", "reason");
  m.refused("PATCH", q, m.officer, R"({"cqc": "good"})", 403, "forbidden");
  // Nothing was recorded.
  const json::value a = m.must(200, "GET", "/api/v1/locations/A", m.compliance);
  CHECK(a.at("early_warning").at("entries").as_array().size() == 1);  // the admission's ratings
}

TEST_CASE("REST: bad dashboard queries are refused with their codes", "[gateway][early-warning]") {
  EarlyWarningMarket m;
  const std::string p = "/api/v1/early-warning";
  m.refused("GET", p + "?from=2026-13-01", m.compliance, "", 422, "invalid_date", "from");
  m.refused("GET", p + "?to=yesterday", m.compliance, "", 422, "invalid_date", "to");
  m.refused("GET", p + "?from=2026-11-30&to=2026-11-01", m.compliance, "", 422, "invalid_period", "2026-11-30");
  m.refused("GET", p + "?rag=purple", m.compliance, "", 422, "unknown_rag", "purple");
  m.refused("GET", p + "?dps=nursing", m.compliance, "", 404, "unknown_dps", "nursing");
  m.refused("GET", p + "?colour=red", m.compliance, "", 422, "invalid_query", "colour");
  const std::string provider = m.issue(Role::provider, "rostering-P-A", "P-A");
  m.refused("GET", p, provider, "", 403, "forbidden");
  m.refused("GET", p, "", "", 401, "unauthenticated");
}

TEST_CASE("REST: the dashboard shows each location's RAG, reasons, changes and entries with who, when and why",
          "[gateway][early-warning]") {
  EarlyWarningMarket m;
  m.must(200, "PATCH", "/api/v1/locations/A/quality", m.compliance,
         R"({"embargo": true, "reason": "safeguarding enquiry under s42", "evidence": "SG-2026-0142"})");
  m.must(200, "PATCH", "/api/v1/locations/B/quality", m.compliance,
         R"({"record_substantiated_concerns": 2, "reason": "two missed calls substantiated", "evidence": "CC-88"})");

  const json::value all = m.must(200, "GET", "/api/v1/early-warning?from=2026-11-01&to=2026-11-30", m.officer);
  CHECK(all.at("total") == 2);
  CHECK(all.at("from") == "2026-11-01");
  REQUIRE(all.at("items").as_array().size() == 2);
  CHECK(all.at("items").at(0).at("location") == "A");  // Red first
  const json::object* a = item_of(all, "A");
  REQUIRE(a);
  CHECK(a->at("rag") == "red");
  const json::value& rating = a->at("ratings").at(0);
  CHECK(rating.at("dps") == "home-care");
  CHECK(rating.at("reasons").at(0) == "embargo on new placements: safeguarding enquiry under s42");
  REQUIRE(a->at("rag_changes").as_array().size() == 1);
  const json::value& change = a->at("rag_changes").at(0);
  CHECK(change.at("from") == "green");
  CHECK(change.at("to") == "red");
  CHECK(change.at("reasons").at(0) == "embargo on new placements: safeguarding enquiry under s42");
  CHECK(change.at("at") == "2026-11-23T09:00:00.000Z");
  CHECK(change.at("at_london") == "2026-11-23 09:00 GMT");
  const json::value& entry = a->at("entries").as_array().back();
  CHECK(entry.at("by") == "compliance-1");
  CHECK(entry.at("reason") == "safeguarding enquiry under s42");
  CHECK(entry.at("evidence") == "SG-2026-0142");
  CHECK(entry.at("at_london") == "2026-11-23 09:00 GMT");
  CHECK(json::serialize(entry.at("changes")) ==
        R"([{"input":"embargo","from":"false","to":"true"},{"input":"embargo_reason","from":"","to":"safeguarding enquiry under s42"}])");
  const json::object* b = item_of(all, "B");
  REQUIRE(b);
  CHECK(b->at("rag") == "amber");
  CHECK(b->at("ratings").at(0).at("reasons").at(0) == "2 substantiated concerns in 90 days");
  CHECK(b->at("entries").as_array().back().at("changes").as_array().size() == 2);  // each concern, dated

  // Filters: by RAG, and a period with nothing in it still shows the RAG now.
  const json::value red = m.must(200, "GET", "/api/v1/early-warning?rag=red&dps=home-care", m.admin);
  CHECK(red.at("total") == 1);
  const json::value earlier = m.must(200, "GET", "/api/v1/early-warning?from=2026-10-01&to=2026-10-31&rag=amber", m.compliance);
  REQUIRE(earlier.at("total") == 1);
  CHECK(earlier.at("items").at(0).at("rag_changes").as_array().empty());
  CHECK(earlier.at("items").at(0).at("entries").as_array().empty());

  // The provider reads its own location's history: what and why, not who or the evidence.
  const std::string provider = m.issue(Role::provider, "rostering-P-A", "P-A");
  const json::value own = m.must(200, "GET", "/api/v1/locations/A", provider);
  const json::value& history = own.at("early_warning");
  CHECK(history.at("rag_changes").at(0).at("to") == "red");
  const json::object& seen = history.at("entries").as_array().back().as_object();
  CHECK(seen.at("reason") == "safeguarding enquiry under s42");
  CHECK(!seen.contains("by"));
  CHECK(!seen.contains("evidence"));
  m.refused("GET", "/api/v1/locations/B", provider, "", 403, "forbidden");
}

TEST_CASE("REST: under a warn-only policy a Red location's offer is still ranked, flagged Red with why",
          "[gateway][early-warning]") {
  EarlyWarningMarket m;
  // The council switches Red to warn-only: Red locations are still invited and ranked.
  std::string warn_only = kHomeCareJson;
  warn_only.insert(warn_only.rfind('}'), R"(, "risk": {"red_excludes_from_broadcast": false})");
  m.must(200, "PUT", "/api/v1/dps/home-care", m.admin, warn_only);
  const json::value posted = m.must(201, "POST", "/api/v1/packages", m.officer, kPackageJson);
  const auto package = posted.at("package").to_number<carebroker::engine::PackageId>();
  REQUIRE(m.offer("A", package, 2900).ok());
  REQUIRE(m.offer("B", package, 3100).ok());
  m.must(200, "PATCH", "/api/v1/locations/A/quality", m.compliance, R"({"unexpected_deaths_under_investigation": 1, "reason": "death reported by the family"})");

  const json::value view = m.must(200, "GET", "/api/v1/packages/" + std::to_string(package), m.officer);
  const json::value& first = view.at("ranking").at("offers").at(0);
  CHECK(first.at("location") == "A");
  CHECK(first.at("acceptable") == true);
  CHECK(first.at("rank") == 1);
  CHECK(first.at("risk").at("rag") == "red");
  CHECK(first.at("risk").at("reasons").at(0) == "unexpected death under investigation");
  CHECK(view.at("ranking").at("offers").at(1).at("risk").at("rag") == "green");
}
