// Contract actions under a provider's contract for one DPS: issued with an owner and a review
// date, escalated step by step, updated with history; a default notice makes the provider's
// locations Red, a suspension keeps them out of the DPS's broadcasts, a termination ends the
// contract until it is withdrawn.
#include "market_fixture.h"

using namespace carebroker::testing;

namespace {

/// A market with provider P-A (locations A and A2, both admitted to home-care) and P-B (B).
struct ContractMarket : MarketFixture {
  ContractMarket() {
    admit({.id = "A", .provider = "P-A"});
    admit({.id = "A2", .provider = "P-A"});
    admit({.id = "B"});
  }
  Date today() const { return london_date(market.now()); }
  IssueContractAction issue(ContractActionKind kind, int escalates = 0) const {
    return IssueContractAction{"P-A", "home-care", kind, 0, today() + 28, "officer-1", "late calls in the audit", escalates};
  }
  const ContractAction& action(int id, const std::string& provider = "P-A") const {
    const Provider* p = market.find_provider(provider);
    REQUIRE(p);
    REQUIRE(id >= 1);
    REQUIRE(static_cast<std::size_t>(id) <= p->contract_actions.size());
    return p->contract_actions[static_cast<std::size_t>(id) - 1];
  }
  Rag rag(const std::string& location) const { return market.risk_of(*market.find_location(location), 0).rag; }
};

}  // namespace

TEST_CASE("a contract action is issued with its owner, start and review date, numbered per provider", "[contracts]") {
  ContractMarket f;
  f.must(f.issue(ContractActionKind::improvement_plan));
  const ContractAction& a = f.action(1);
  CHECK(a.id == 1);
  CHECK(a.kind == ContractActionKind::improvement_plan);
  CHECK(a.status == ContractActionStatus::in_force);
  CHECK(a.start_date == f.today());
  CHECK(a.review_date == f.today() + 28);
  CHECK(a.owner == "officer-1");
  CHECK(a.issued_at == f.market.now());
  CHECK(a.history.empty());
  // An improvement plan is recorded and reviewed: it bars nothing and leaves the rating Green.
  CHECK(f.rag("A") == Rag::green);
  const PackageId id = f.post();
  CHECK(f.exclusion_rule(id, "A").empty());
}

TEST_CASE("bad contract actions are refused with their own codes and change nothing", "[contracts]") {
  ContractMarket f;
  IssueContractAction c = f.issue(ContractActionKind::improvement_plan);
  c.provider = "P-NOBODY";
  expect_rejected(f, c, Code::unknown_provider);
  c = f.issue(ContractActionKind::improvement_plan);
  c.dps = "no-such-dps";
  expect_rejected(f, c, Code::unknown_dps);
  c = f.issue(ContractActionKind::improvement_plan);
  c.owner.clear();
  expect_rejected(f, c, Code::owner_required);
  c = f.issue(ContractActionKind::default_notice);
  c.review_date = 0;
  expect_rejected(f, c, Code::review_date_required);
  c = f.issue(ContractActionKind::default_notice);
  c.review_date = f.today() - 1;
  expect_rejected(f, c, Code::review_date_in_past);
  c = f.issue(ContractActionKind::default_notice);
  c.start_date = f.today() - 3;
  expect_rejected(f, c, Code::invalid_date);
  expect_rejected(f, f.issue(ContractActionKind::default_notice, 1), Code::unknown_contract_action);
  // A termination of a provider that has no contract under the DPS: no location is a member.
  f.must(RegisterProvider{"P-NEW", "New Care Ltd"});
  f.must(RegisterLocation{"N", "P-NEW", "N branch", "B13 9AA", "Birmingham"});
  c = f.issue(ContractActionKind::termination);
  c.provider = "P-NEW";
  expect_rejected(f, c, Code::provider_not_member_of_dps);
  // Updates: an unknown action, one without notes.
  expect_rejected(f, UpdateContractAction{"P-A", 1, ContractActionStatus::complied, 0, "", "met"},
                  Code::unknown_contract_action);
  f.must(f.issue(ContractActionKind::improvement_plan));
  expect_rejected(f, UpdateContractAction{"P-A", 1, ContractActionStatus::complied, 0, "", ""}, Code::reason_required);
  expect_rejected(f, UpdateContractAction{"P-A", 1, ContractActionStatus::in_force, f.today() - 1, "", "moved"},
                  Code::review_date_in_past);
  expect_rejected(f, UpdateContractAction{"P-B", 1, ContractActionStatus::complied, 0, "", "met"},
                  Code::unknown_contract_action);  // actions are numbered per provider
}

TEST_CASE("one action of a kind is in force per contract at a time", "[contracts]") {
  ContractMarket f;
  f.must(f.issue(ContractActionKind::improvement_plan));
  expect_rejected(f, f.issue(ContractActionKind::improvement_plan), Code::contract_action_in_force);
  f.must(UpdateContractAction{"P-A", 1, ContractActionStatus::complied, 0, "", "every call on time for a month"});
  f.must(f.issue(ContractActionKind::improvement_plan));  // the first is closed: a new one may start
  CHECK(f.action(2).status == ContractActionStatus::in_force);
}

TEST_CASE("actions escalate: a later kind takes over an earlier one in force under the same contract", "[contracts]") {
  ContractMarket f;
  f.must(f.issue(ContractActionKind::improvement_plan));                // 1
  f.must(f.issue(ContractActionKind::default_notice, 1));              // 2 escalates 1
  CHECK(f.action(1).status == ContractActionStatus::escalated);
  REQUIRE(f.action(1).history.size() == 1);
  CHECK(f.action(1).history[0].notes == "escalated to action 2 (default_notice)");
  CHECK(f.action(2).escalates == 1);
  f.must(f.issue(ContractActionKind::special_measures_plan, 2));       // 3 escalates 2
  CHECK(f.action(2).status == ContractActionStatus::escalated);
  // Not backwards, not a closed action, not an action of another provider's or DPS's contract.
  expect_rejected(f, f.issue(ContractActionKind::improvement_plan, 3), Code::escalation_not_allowed);
  expect_rejected(f, f.issue(ContractActionKind::suspension, 1), Code::escalation_not_allowed);
  // An escalated action is closed: it cannot be changed by hand, nor set escalated by hand.
  expect_rejected(f, UpdateContractAction{"P-A", 1, ContractActionStatus::in_force, 0, "", "reopen"},
                  Code::contract_action_closed);
  expect_rejected(f, UpdateContractAction{"P-A", 3, ContractActionStatus::escalated, 0, "", "by hand"},
                  Code::invalid_status_change);
}

TEST_CASE("a default notice in force makes every location of the provider Red until it is complied with", "[contracts]") {
  ContractMarket f;
  CHECK(f.rag("A") == Rag::green);
  f.must(f.issue(ContractActionKind::default_notice));
  CHECK(f.rag("A") == Rag::red);
  CHECK(f.rag("A2") == Rag::red);
  CHECK(f.rag("B") == Rag::green);  // another provider's contract
  const RiskRating r = f.market.risk_of(*f.market.find_location("A"), 0);
  CHECK(std::find(r.reasons.begin(), r.reasons.end(), "contract default notice in force") != r.reasons.end());
  // Red locations are out of new broadcasts by default.
  const PackageId id = f.post();
  CHECK(f.exclusion_rule(id, "A") == "red");
  f.must(UpdateContractAction{"P-A", 1, ContractActionStatus::complied, 0, "", "remedied within the notice period"});
  CHECK(f.rag("A") == Rag::green);
  CHECK(f.action(1).history.size() == 1);
  CHECK(f.action(1).history[0].status == ContractActionStatus::complied);
  CHECK(f.action(1).history[0].notes == "remedied within the notice period");
}

TEST_CASE("a suspension in force keeps the provider's locations out of that DPS's broadcasts", "[contracts]") {
  ContractMarket f;
  f.must(f.issue(ContractActionKind::suspension));
  const PackageId id = f.post();
  CHECK(f.exclusion_rule(id, "A") == "contract_suspended");
  CHECK(f.exclusion_rule(id, "A2") == "contract_suspended");
  CHECK(f.exclusion_rule(id, "B").empty());
  f.must(UpdateContractAction{"P-A", 1, ContractActionStatus::withdrawn, 0, "", "suspension lifted after review"});
  const PackageId next = f.post();
  CHECK(f.exclusion_rule(next, "A").empty());
}

TEST_CASE("a termination ends the contract under its DPS, withdrawing it restores the contract", "[contracts]") {
  ContractMarket f;
  IssueContractAction t = f.issue(ContractActionKind::termination);
  t.review_date = 0;  // a termination needs no review date
  f.must(t);
  CHECK(f.count<ContractActionIssued>() == 1);
  CHECK(std::holds_alternative<ProviderStatusChanged>(f.events.back()));
  const Provider* p = f.market.find_provider("P-A");
  CHECK(p->contract_terminated_in(0));
  const PackageId id = f.post();
  CHECK(f.exclusion_rule(id, "A") == "contract_terminated");
  // A termination is withdrawn (on appeal) or stands: it is never "complied with".
  expect_rejected(f, UpdateContractAction{"P-A", 1, ContractActionStatus::complied, 0, "", "done"},
                  Code::invalid_status_change);
  f.must(UpdateContractAction{"P-A", 1, ContractActionStatus::withdrawn, 0, "", "appeal upheld"});
  CHECK_FALSE(f.market.find_provider("P-A")->contract_terminated_in(0));
  const PackageId next = f.post();
  CHECK(f.exclusion_rule(next, "A").empty());
}

TEST_CASE("an update keeps the history: review date, owner and notes as they changed", "[contracts]") {
  ContractMarket f;
  f.must(f.issue(ContractActionKind::improvement_plan));
  f.must(UpdateContractAction{"P-A", 1, ContractActionStatus::in_force, f.today() + 42, "officer-2", "review moved"});
  f.must(UpdateContractAction{"P-A", 1, ContractActionStatus::in_force, 0, "", "progress seen"});
  const ContractAction& a = f.action(1);
  CHECK(a.review_date == f.today() + 42);
  CHECK(a.owner == "officer-2");
  REQUIRE(a.history.size() == 2);
  CHECK(a.history[0].owner == "officer-2");
  CHECK(a.history[1].review_date == f.today() + 42);  // unchanged fields carry forward
  CHECK(a.history[1].notes == "progress seen");
}

TEST_CASE("every status change an officer may make is in one table", "[contracts]") {
  using K = ContractActionKind;
  using S = ContractActionStatus;
  for (K k : {K::improvement_plan, K::default_notice, K::special_measures_plan, K::suspension, K::termination}) {
    CHECK(contract_status_change(k, S::in_force, S::in_force) == Code::ok);
    CHECK(contract_status_change(k, S::in_force, S::withdrawn) == Code::ok);
    CHECK(contract_status_change(k, S::in_force, S::escalated) == Code::invalid_status_change);
    CHECK(contract_status_change(k, S::in_force, S::complied) ==
          (k == K::termination ? Code::invalid_status_change : Code::ok));
    for (S from : {S::complied, S::escalated, S::withdrawn})
      for (S to : {S::in_force, S::complied, S::escalated, S::withdrawn})
        CHECK(contract_status_change(k, from, to) == Code::contract_action_closed);
  }
  for (K k : {K::improvement_plan, K::default_notice, K::special_measures_plan, K::suspension, K::termination})
    CHECK(parse_contract_action_kind(to_string(k)) == k);
  CHECK_FALSE(parse_contract_action_kind("final_warning"));
  CHECK_FALSE(parse_contract_action_status("closed"));
}

namespace {

/// Places the standard package with `location` (its only offer) and returns it.
PackageId place_with(ContractMarket& f, const std::string& location) {
  PackageSpec spec = MarketFixture::standard_package();
  spec.start_date = f.today() + 2;
  const PackageId id = f.post(spec);
  REQUIRE(f.offer(location, id, 3000, spec.start_date).ok());
  f.pass_deadline(id);
  REQUIRE(f.awarded(id) == location);
  REQUIRE(f.accept(location, id).ok());
  REQUIRE(f.market.find_placement(id));
  return id;
}

}  // namespace

TEST_CASE("a termination re-procures each live placement at once: urgent, from the first tier, the old ending when the new starts",
          "[contracts][placement]") {
  ContractMarket f;
  const PackageId a = place_with(f, "A"), a2 = place_with(f, "A2"), b = place_with(f, "B");
  IssueContractAction t = f.issue(ContractActionKind::termination);
  t.review_date = 0;
  f.must(t);
  CHECK(f.count<PlacementReprocured>() == 2);  // P-A's two placements; P-B's is not touched
  const Placement& old = *f.market.find_placement(a);
  REQUIRE(old.replacement != 0);
  CHECK(f.market.find_placement(a2)->replacement != 0);
  CHECK(f.market.find_placement(b)->replacement == 0);
  CHECK(old.is_live());  // care goes on until the new placement starts
  const Package& replacement = f.package(old.replacement);
  CHECK(replacement.urgency == Urgency::urgent);
  CHECK(replacement.spec->start_date == f.today());
  CHECK(f.market.replaces_placement(old.replacement) == a);
  // The terminated provider is not invited to re-procure its own placement.
  const auto invited = f.invited(old.replacement);
  CHECK(std::find(invited.begin(), invited.end(), "A") == invited.end());
  CHECK(f.exclusion_rule(old.replacement, "A") == "contract_terminated");
  // Another provider takes it on: the old placement ends on the new one's start date.
  REQUIRE(f.offer("B", old.replacement, 3100, f.today() + 1).ok());
  f.pass_deadline(old.replacement);
  REQUIRE(f.awarded(old.replacement) == "B");
  REQUIRE(f.accept("B", old.replacement).ok());
  const Placement& after = *f.market.find_placement(a);
  CHECK(after.replaced_from == f.today() + 1);
  f.must(Tick{london_to_utc(f.today() + 1, 0)});
  CHECK_FALSE(f.market.find_placement(a)->is_live());
  CHECK(f.market.find_placement(a)->end_reason == PlacementEndReason::replaced);
}

TEST_CASE("a termination with a transition keeps each placement until that date while it is re-procured to start by then",
          "[contracts][placement]") {
  ContractMarket f;
  const PackageId a = place_with(f, "A");
  IssueContractAction t = f.issue(ContractActionKind::termination);
  t.review_date = 0;
  t.transition_end = f.today() + 30;
  f.must(t);
  const Placement& p = *f.market.find_placement(a);
  REQUIRE(p.replacement != 0);
  CHECK(p.officer_end == f.today() + 30);
  CHECK(p.officer_end_reason == PlacementEndReason::terminated);
  CHECK(f.package(p.replacement).spec->start_date == f.today() + 30);
  CHECK(f.package(p.replacement).urgency != Urgency::urgent);
  // Nobody takes it on: the placement ends at the transition's end, as terminated.
  f.must(Tick{london_to_utc(f.today() + 30, 0)});
  CHECK_FALSE(f.market.find_placement(a)->is_live());
  CHECK(f.market.find_placement(a)->end_reason == PlacementEndReason::terminated);
}

TEST_CASE("a transition period is only for a termination, after today and within a year", "[contracts]") {
  ContractMarket f;
  IssueContractAction c = f.issue(ContractActionKind::suspension);
  c.transition_end = f.today() + 10;
  expect_rejected(f, c, Code::invalid_date);
  c = f.issue(ContractActionKind::termination);
  c.review_date = 0;
  c.transition_end = f.today();
  expect_rejected(f, c, Code::invalid_date);
  c.transition_end = f.today() + 400;
  expect_rejected(f, c, Code::invalid_date);
}

TEST_CASE("administration flags every live placement of the provider at risk and ends none, a default notice flags its contract's",
          "[contracts][placement][affected]") {
  ContractMarket f;
  const PackageId a = place_with(f, "A"), b = place_with(f, "B");
  auto rows = [&] { return f.market.affected({}).rows; };
  for (const auto& row : rows()) CHECK(row.at_risk.empty());
  f.must(SetProviderStatus{"P-A", true, false, "administrators appointed"});
  for (const auto& row : rows()) {
    INFO(row.location);
    CHECK(row.at_risk.empty() == (row.location == "B"));
    if (row.location == "A") CHECK(row.at_risk == std::vector<std::string>{"provider in administration"});
  }
  CHECK(f.market.find_placement(a)->is_live());  // administration ends nothing by itself
  const auto exposure = f.market.affected({.provider = "P-A"}).providers;
  REQUIRE(exposure.size() == 1);
  CHECK(exposure[0].at_risk == 1);
  f.must(IssueContractAction{"P-B", "home-care", ContractActionKind::default_notice, 0, f.today() + 14, "officer-1", "", 0});
  for (const auto& row : rows())
    if (row.location == "B") CHECK(row.at_risk == std::vector<std::string>{"default notice under home-care"});
  CHECK(f.market.find_placement(b)->is_live());
}
