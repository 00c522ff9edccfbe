// Who did it (issue 13): every decision event names the acting user — the token's user, taken
// from the caller's principal, never from the body. For each decision that lacked it — a
// membership's change, a provider's status, an award to the person's choice, a contract action
// issued or changed, a package held, released, cancelled or closed for a direct payment — the
// decision is made through REST as a named user, and the name is found in the event, in the
// event as the journal encodes and decodes it, and in the view that shows the decision.
#include <catch2/catch.hpp>

#include <variant>

#include "engine/codec/event_codec.h"
#include "rest_harness.h"

using namespace carebroker::testing;
namespace engine = carebroker::engine;
namespace codec = carebroker::codec;

namespace {

/// The market with A (provider P-A) admitted and named users of every staff role.
struct Named : RestHarness {
  std::string priya = issue(Role::compliance, "compliance.priya");
  std::string sam = issue(Role::compliance, "compliance.sam");
  std::string tom = issue(Role::officer, "officer.tom");
  std::string ann = issue(Role::officer, "officer.ann");
  std::string rota_a;
  Named() {
    configure_market();
    admit("A");
    rota_a = issue(Role::provider, "rota system A", "P-A");
  }

  /// The newest event of type T; it must exist.
  template <typename T>
  const T& last() {
    const auto& events = service.events();
    const T* found = nullptr;
    for (auto it = events.rbegin(); it != events.rend() && !found; ++it) found = std::get_if<T>(&*it);
    REQUIRE(found);
    return *found;
  }
  /// The newest event of type T as the journal writes and reads it back.
  template <typename T>
  T journaled() {
    const engine::Event e = last<T>();
    const codec::DecodedBatch batch = codec::decode_batch(codec::encode_batch(1, std::vector<engine::Event>{e}));
    INFO(batch.error);
    REQUIRE(batch.ok());
    REQUIRE(batch.events.size() == 1);
    CHECK(batch.events[0] == e);
    return std::get<T>(batch.events[0]);
  }
  json::object membership_view(const std::string& location, const std::string& token) {
    return must(200, "GET", "/api/v1/locations/" + location, token).at("memberships").at(0).as_object();
  }
  json::object last_decision(engine::PackageId package) {
    const json::value view = must(200, "GET", "/api/v1/packages/" + std::to_string(package), officer);
    const json::array& d = view.at("decisions").as_array();
    REQUIRE_FALSE(d.empty());
    return d.back().as_object();
  }
};

}  // namespace

TEST_CASE("every change of a membership names who made it, in the event and on the location", "[rest][audit][authz]") {
  Named h;
  h.must(201, "POST", "/api/v1/providers", h.compliance, R"({"id": "P-C", "name": "Provider C"})");
  h.must(201, "POST", "/api/v1/locations", h.compliance,
         R"({"id": "C", "provider": "P-C", "name": "C branch", "postcode": "B13 9AC", "local_authority": "Birmingham"})");
  const std::string rota_c = h.issue(Role::provider, "rota system C", "P-C");
  const std::string terms = R"("lots": ["hc"], "categories": ["older_people"], "zones": ["south"], "tier": "tier1")";
  struct Step {
    const char* what;
    std::string location, method, path, token, user, body;
  };
  const std::vector<Step> steps = {
      {"an application", "C", "POST", "/applications", rota_c, "rota system C", R"({"dps": "home-care"})"},
      {"an extension", "C", "POST", "/assessment-extensions", h.priya, "compliance.priya", R"({"dps": "home-care"})"},
      {"a refusal", "C", "POST", "/refusals", h.sam, "compliance.sam", R"({"dps": "home-care", "reason": "no registered manager"})"},
      {"new terms", "A", "PUT", "/memberships/home-care", h.priya, "compliance.priya", "{" + terms + ", \"capacity\": 400}"},
      {"a declared capacity", "A", "PUT", "/memberships/home-care/capacity", h.rota_a, "rota system A", R"({"capacity": 320})"},
      {"a suspension", "A", "POST", "/suspensions", h.sam, "compliance.sam", R"({"dps": "home-care", "reason": "safeguarding review"})"},
      {"a reinstatement", "A", "POST", "/reinstatements", h.priya, "compliance.priya", R"({"dps": "home-care"})"},
      {"an exit", "A", "POST", "/exits", h.sam, "compliance.sam", R"({"dps": "home-care", "reason": "the provider's own request"})"},
  };
  for (const Step& s : steps) {
    INFO(s.what);
    const HttpResponse r = h.call(s.method, "/api/v1/locations/" + s.location + s.path, s.token, s.body);
    INFO(r.status << " " << r.body);
    REQUIRE(r.status / 100 == 2);
    CHECK(h.last<engine::MembershipChanged>().membership.by == s.user);
    CHECK(h.journaled<engine::MembershipChanged>().membership.by == s.user);
    CHECK(str(h.membership_view(s.location, h.admin).at("changed_by")) == s.user);
  }
  // An admission (the harness admits D as its compliance user, compliance-1).
  h.admit("D");
  CHECK(h.journaled<engine::MembershipChanged>().membership.status == engine::MembershipStatus::admitted);
  CHECK(h.last<engine::MembershipChanged>().membership.by == "compliance-1");
  CHECK(str(h.membership_view("D", h.admin).at("changed_by")) == "compliance-1");
  // A provider reads its own location without the council's users' names.
  CHECK_FALSE(h.membership_view("A", h.rota_a).contains("changed_by"));
  const json::value own_list = h.must(200, "GET", "/api/v1/locations?dps=home-care", h.rota_a);
  CHECK_FALSE(own_list.at("items").at(0).at("membership").as_object().contains("changed_by"));
}

TEST_CASE("a provider's administration and termination name who set them", "[rest][audit][authz]") {
  Named h;
  h.must(200, "PUT", "/api/v1/providers/P-A/status", h.priya,
         R"({"in_administration": true, "contract_terminated": false, "reason": "administrators appointed"})");
  CHECK(h.last<engine::ProviderStatusChanged>().by == "compliance.priya");
  CHECK(h.journaled<engine::ProviderStatusChanged>().by == "compliance.priya");
  CHECK(str(h.must(200, "GET", "/api/v1/locations/A", h.officer).at("provider").at("status_by")) == "compliance.priya");
  h.must(200, "PUT", "/api/v1/providers/P-A/status", h.sam,
         R"({"in_administration": true, "contract_terminated": true, "reason": "contract ended", "dps": "home-care"})");
  CHECK(h.journaled<engine::ProviderStatusChanged>().by == "compliance.sam");
  CHECK(str(h.must(200, "GET", "/api/v1/locations/A", h.compliance).at("provider").at("status_by")) == "compliance.sam");
  CHECK_FALSE(h.must(200, "GET", "/api/v1/locations/A", h.rota_a).at("provider").as_object().contains("status_by"));
}

TEST_CASE("an award to the person's choice names the officer in its event and in the package's decisions",
          "[rest][audit][authz]") {
  Named h;
  h.must(201, "POST", "/api/v1/packages", h.officer, kPackageJson);
  h.must(200, "POST", "/api/v1/packages/1/persons-choice", h.tom, R"({"location": "A", "reason": "her sister's carers"})");
  const engine::AwardOffered award = h.journaled<engine::AwardOffered>();
  CHECK(award.persons_choice);
  CHECK(award.by == "officer.tom");
  const json::object d = h.last_decision(1);
  CHECK(str(d.at("what")) == "persons_choice");
  CHECK(str(d.at("by")) == "officer.tom");
  CHECK(str(d.at("reason")).find("her sister's carers") != std::string::npos);
  CHECK(d.at("at").is_string());
}

TEST_CASE("the engine's own award names nobody", "[rest][audit][authz]") {
  Named h;
  h.must(201, "POST", "/api/v1/packages", h.officer, kPackageJson);
  REQUIRE(h.offer("A", 1, 2900).ok());
  h.pass_deadline(1);
  const engine::AwardOffered award = h.last<engine::AwardOffered>();
  CHECK_FALSE(award.persons_choice);
  CHECK(award.by.empty());
  CHECK(h.must(200, "GET", "/api/v1/packages/1", h.officer).at("decisions").as_array().empty());
}

TEST_CASE("a contract action names who issued it, and each change who made it", "[rest][audit][authz]") {
  Named h;
  h.must(201, "POST", "/api/v1/providers/P-A/contract-actions", h.priya,
         R"({"dps": "home-care", "kind": "improvement_plan", "review_date": "2027-01-15", "owner": "Contracts team"})");
  const engine::ContractActionIssued issued = h.journaled<engine::ContractActionIssued>();
  CHECK(issued.by == "compliance.priya");
  CHECK(issued.owner == "Contracts team");  // whom it names, not who issued it
  h.must(200, "POST", "/api/v1/providers/P-A/contract-actions/1/updates", h.sam,
         R"({"status": "complied", "notes": "the plan's actions are done"})");
  CHECK(h.journaled<engine::ContractActionUpdated>().update.by == "compliance.sam");
  const json::object action =
      h.must(200, "GET", "/api/v1/providers/P-A/contract-actions", h.officer).at("items").at(0).as_object();
  CHECK(str(action.at("issued_by")) == "compliance.priya");
  CHECK(str(action.at("owner")) == "Contracts team");
  CHECK(str(action.at("history").at(0).at("by")) == "compliance.sam");
}

TEST_CASE("a termination's contract action and its withdrawal name who did them, on the provider's status too",
          "[rest][audit][authz]") {
  Named h;
  h.must(201, "POST", "/api/v1/providers/P-A/contract-actions", h.priya,
         R"({"dps": "home-care", "kind": "termination", "owner": "Contracts team", "notes": "serious breach"})");
  CHECK(h.journaled<engine::ProviderStatusChanged>().by == "compliance.priya");
  h.must(200, "POST", "/api/v1/providers/P-A/contract-actions/1/updates", h.sam,
         R"({"status": "withdrawn", "notes": "upheld on appeal"})");
  CHECK(h.journaled<engine::ProviderStatusChanged>().by == "compliance.sam");
  CHECK(h.journaled<engine::ContractActionUpdated>().update.by == "compliance.sam");
  CHECK(str(h.must(200, "GET", "/api/v1/locations/A", h.officer).at("provider").at("status_by")) == "compliance.sam");
}

TEST_CASE("holding, releasing, cancelling and closing a package for a direct payment name the officer", "[rest][audit][authz]") {
  Named h;
  h.must(201, "POST", "/api/v1/packages", h.officer, kPackageJson);
  h.must(201, "POST", "/api/v1/packages", h.officer, kPackageJson);

  h.must(200, "POST", "/api/v1/packages/1/hold", h.tom, R"({"reason": "awaiting a family meeting"})");
  CHECK(h.journaled<engine::PackageHeld>().by == "officer.tom");
  json::object d = h.last_decision(1);
  CHECK(str(d.at("what")) == "held");
  CHECK(str(d.at("by")) == "officer.tom");
  CHECK(str(d.at("reason")) == "awaiting a family meeting");

  h.must(200, "POST", "/api/v1/packages/1/release", h.ann, "");
  CHECK(h.journaled<engine::PackageReleased>().by == "officer.ann");
  d = h.last_decision(1);
  CHECK(str(d.at("what")) == "released");
  CHECK(str(d.at("by")) == "officer.ann");

  h.must(200, "POST", "/api/v1/packages/1/cancel", h.tom, R"({"reason": "moved to residential care"})");
  CHECK(h.journaled<engine::PackageCancelled>().by == "officer.tom");
  d = h.last_decision(1);
  CHECK(str(d.at("what")) == "cancelled");
  CHECK(str(d.at("by")) == "officer.tom");

  h.must(200, "POST", "/api/v1/packages/2/direct-payment", h.ann, "");
  CHECK(h.journaled<engine::PackageClosedForDirectPayment>().by == "officer.ann");
  d = h.last_decision(2);
  CHECK(str(d.at("what")) == "direct_payment");
  CHECK(str(d.at("by")) == "officer.ann");

  // The whole story of package 1, in order.
  const json::value view = h.must(200, "GET", "/api/v1/packages/1", h.compliance);
  const json::array& all = view.at("decisions").as_array();
  REQUIRE(all.size() == 3);
  CHECK(str(all[0].at("what")) == "held");
  CHECK(str(all[1].at("what")) == "released");
  CHECK(str(all[2].at("what")) == "cancelled");
}

TEST_CASE("the acting user comes from the token, never from the body", "[rest][audit][authz]") {
  Named h;
  h.must(201, "POST", "/api/v1/packages", h.officer, kPackageJson);
  const HttpResponse r = h.call("POST", "/api/v1/packages/1/hold", h.tom, R"({"reason": "x", "by": "someone.else"})");
  CHECK(r.status == 422);
  CHECK(RestHarness::error_code(r) == "unknown_field");
  CHECK(h.service.market().find_package(1)->status == engine::PackageStatus::open);
}
