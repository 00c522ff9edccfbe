// Admission to a DPS: apply, assessment within 10 working days (15 when extended once), admit
// with enrolment terms or refuse with a reason; suspend, reinstate, exit; and the registry of
// providers and locations underneath.
#include "engine/market/admission.h"
#include "market_fixture.h"

using namespace carebroker::testing;

namespace {

void register_location(MarketFixture& f, const std::string& id, const std::string& provider = "") {
  const std::string p = provider.empty() ? "P-" + id : provider;
  if (!f.market.find_provider(p)) f.must(RegisterProvider{p, p + " Ltd"});
  f.must(RegisterLocation{id, p, id + " branch", "B13 9AA", "Birmingham"});
}

const Membership& membership(const MarketFixture& f, const std::string& id, int dps = 0) {
  const auto loc = f.market.find_location(id);
  REQUIRE(loc);
  const Membership* m = f.market.location(*loc).membership_of(dps);
  REQUIRE(m);
  return *m;
}

AdmitToDps terms(const std::string& id) {
  return AdmitToDps{id, "home-care", {"hc"}, {"older_people", "dementia"}, {"south", "central"}, "tier2", 300};
}

/// The rejection must carry the code, a specific detail, and change nothing.
void refused(MarketFixture& f, const Command& c, Code code, std::string_view detail_mentions = {}) {
  const std::uint64_t before = f.market.digest();
  const std::size_t events = f.events.size();
  const Reply r = f.run(c);
  INFO(command_name(c) << ": " << to_string(r.status.code) << " — " << r.status.detail);
  CHECK(r.status.code == code);
  CHECK_FALSE(r.status.detail.empty());
  if (!detail_mentions.empty()) CHECK(r.status.detail.find(detail_mentions) != std::string::npos);
  CHECK(f.events.size() == events);
  CHECK(f.market.digest() == before);
}

}  // namespace

TEST_CASE("an application is under assessment with a decision due in 10 working days",
          "[membership]") {
  MarketFixture f;
  register_location(f, "A");
  f.must(ApplyToDps{"A", "home-care"});
  const Membership& m = membership(f, "A");
  CHECK(m.status == MembershipStatus::under_assessment);
  CHECK(m.applied_at == kMonday9am);
  CHECK_FALSE(m.extended);
  // Monday 23 November + 10 working days = Monday 7 December, same time.
  CHECK(format_london(m.decision_due) == "2026-12-07 09:00 GMT");
}

TEST_CASE("the admission clock skips Christmas Day, the Boxing Day substitute and New Year",
          "[membership]") {
  MarketFixture f;
  register_location(f, "A");
  f.must(Tick{london_to_utc(*parse_date("2026-12-18"), 9 * kMillisPerHour)});  // a Friday
  f.must(ApplyToDps{"A", "home-care"});
  // 21, 22, 23, 24, (25, 28 bank holidays), 29, 30, 31, (1 Jan), 4, 5, 6 January.
  CHECK(format_london(membership(f, "A").decision_due) == "2027-01-06 09:00 GMT");
  f.must(ExtendAssessment{"A", "home-care"});
  // Fifteen working days from the application, not from the extension: 7, 8, 11, 12, 13.
  CHECK(format_london(membership(f, "A").decision_due) == "2027-01-13 09:00 GMT");
  CHECK(membership(f, "A").extended);
}

TEST_CASE("an assessment can be extended to 15 working days once", "[membership]") {
  MarketFixture f;
  register_location(f, "A");
  f.must(ApplyToDps{"A", "home-care"});
  f.advance(3 * kMillisPerDay);
  f.must(ExtendAssessment{"A", "home-care"});
  CHECK(format_london(membership(f, "A").decision_due) == "2026-12-14 09:00 GMT");
  refused(f, ExtendAssessment{"A", "home-care"}, Code::assessment_already_extended);
}

TEST_CASE("an assessment can be extended only while it is under way", "[membership]") {
  MarketFixture f;
  register_location(f, "A");
  refused(f, ExtendAssessment{"A", "home-care"}, Code::not_applied, "A");
  f.admit({"B"});
  refused(f, ExtendAssessment{"B", "home-care"}, Code::not_under_assessment);
}

TEST_CASE("admission records the lots, categories, zones, tier and capacity", "[membership]") {
  MarketFixture f;
  register_location(f, "A");
  f.must(ApplyToDps{"A", "home-care"});
  f.must(terms("A"));
  const Membership& m = membership(f, "A");
  const DpsConfig& dps = f.market.dps(0);
  CHECK(m.status == MembershipStatus::admitted);
  CHECK(m.tier == dps.tier_index("tier2"));
  CHECK(m.capacity == 300);
  CHECK(m.lots == LotMask{1});
  CHECK(m.zones == ((ZoneMask{1} << dps.zone_index("south")) | (ZoneMask{1} << dps.zone_index("central"))));
  const auto& codes = f.market.category_codes();
  CategoryMask expected = 0;
  for (std::size_t i = 0; i < codes.size(); ++i)
    if (codes[i] == "older_people" || codes[i] == "dementia") expected |= CategoryMask{1} << i;
  CHECK(m.categories == expected);
  CHECK(m.applied_at == kMonday9am);  // admission keeps the application's history
}

TEST_CASE("admission refuses unknown lots, categories, zones and tiers", "[membership]") {
  MarketFixture f;
  register_location(f, "A");
  f.must(ApplyToDps{"A", "home-care"});
  AdmitToDps c = terms("A");
  c.lots = {"day-opportunities"};
  refused(f, c, Code::unknown_lot, "day-opportunities");
  c = terms("A");
  c.lots = {};
  refused(f, c, Code::unknown_lot);
  c = terms("A");
  c.categories = {"older_people", "autism"};  // defined, but this DPS does not buy it
  refused(f, c, Code::unknown_category, "autism");
  c = terms("A");
  c.categories = {"gardening"};
  refused(f, c, Code::unknown_category, "gardening");
  c = terms("A");
  c.zones = {"south", "east"};
  refused(f, c, Code::unknown_zone, "east");
  c = terms("A");
  c.tier = "tier3";
  refused(f, c, Code::unknown_tier, "tier3");
  c = terms("A");
  c.capacity = -5;
  refused(f, c, Code::invalid_config);
  CHECK(membership(f, "A").status == MembershipStatus::under_assessment);
}

TEST_CASE("admission needs an application under assessment", "[membership]") {
  MarketFixture f;
  register_location(f, "A");
  refused(f, terms("A"), Code::not_applied, "A");
  f.must(ApplyToDps{"A", "home-care"});
  f.must(terms("A"));
  refused(f, terms("A"), Code::not_under_assessment, "admitted");
}

TEST_CASE("applying twice is refused while an application or membership stands", "[membership]") {
  MarketFixture f;
  register_location(f, "A");
  f.must(ApplyToDps{"A", "home-care"});
  refused(f, ApplyToDps{"A", "home-care"}, Code::already_applied, "under_assessment");
  f.must(terms("A"));
  refused(f, ApplyToDps{"A", "home-care"}, Code::already_applied, "admitted");
  f.must(SuspendMembership{"A", "home-care", "missed visits"});
  refused(f, ApplyToDps{"A", "home-care"}, Code::already_applied, "suspended");
}

TEST_CASE("membership commands name a known location and DPS", "[membership]") {
  MarketFixture f;
  register_location(f, "A");
  refused(f, ApplyToDps{"ghost", "home-care"}, Code::unknown_location, "ghost");
  refused(f, ApplyToDps{"A", "day-care"}, Code::unknown_dps, "day-care");
  refused(f, ExtendAssessment{"ghost", "home-care"}, Code::unknown_location);
  refused(f, AdmitToDps{"A", "day-care", {"hc"}, {"older_people"}, {"south"}, "tier1", 10},
          Code::unknown_dps);
  refused(f, RefuseApplication{"ghost", "home-care", "no"}, Code::unknown_location);
  refused(f, SuspendMembership{"A", "day-care", "x"}, Code::unknown_dps);
  refused(f, ReinstateMembership{"ghost", "home-care"}, Code::unknown_location);
  refused(f, ExitDps{"A", "day-care", "x"}, Code::unknown_dps);
}

TEST_CASE("a refusal needs a reason, and the location may apply again later", "[membership]") {
  MarketFixture f;
  register_location(f, "A");
  refused(f, RefuseApplication{"A", "home-care", "no"}, Code::not_under_assessment);
  f.must(ApplyToDps{"A", "home-care"});
  refused(f, RefuseApplication{"A", "home-care", ""}, Code::reason_required);
  f.must(RefuseApplication{"A", "home-care", "no evidence of safer recruitment"});
  CHECK(membership(f, "A").status == MembershipStatus::refused);
  CHECK(membership(f, "A").reason == "no evidence of safer recruitment");
  refused(f, terms("A"), Code::not_under_assessment, "refused");

  f.advance(30 * kMillisPerDay);
  f.must(ApplyToDps{"A", "home-care"});
  const Membership& again = membership(f, "A");
  CHECK(again.status == MembershipStatus::under_assessment);
  CHECK(again.applied_at == kMonday9am + 30 * kMillisPerDay);
  CHECK(again.applied_at < again.decision_due);
  CHECK_FALSE(again.extended);
  f.must(terms("A"));
  CHECK(membership(f, "A").status == MembershipStatus::admitted);
  CHECK(membership(f, "A").reason.empty());
}

TEST_CASE("suspension and exit need reasons, only a suspended member is reinstated",
          "[membership]") {
  MarketFixture f;
  f.admit({"A"});
  refused(f, ReinstateMembership{"A", "home-care"}, Code::not_suspended);
  refused(f, SuspendMembership{"A", "home-care", ""}, Code::reason_required);
  f.must(SuspendMembership{"A", "home-care", "CQC warning notice"});
  CHECK(membership(f, "A").status == MembershipStatus::suspended);
  CHECK(membership(f, "A").reason == "CQC warning notice");
  refused(f, SuspendMembership{"A", "home-care", "again"}, Code::not_admitted);
  f.must(ReinstateMembership{"A", "home-care"});
  CHECK(membership(f, "A").status == MembershipStatus::admitted);
  CHECK(membership(f, "A").reason.empty());

  refused(f, ExitDps{"A", "home-care", ""}, Code::reason_required);
  f.must(ExitDps{"A", "home-care", "provider leaving the borough"});
  CHECK(membership(f, "A").status == MembershipStatus::exited);
  refused(f, ExitDps{"A", "home-care", "twice"}, Code::not_admitted);
  refused(f, SuspendMembership{"A", "home-care", "x"}, Code::not_admitted);
  refused(f, ReinstateMembership{"A", "home-care"}, Code::not_suspended);
  refused(f, UpdateMembership{"A", "home-care", {"hc"}, {"older_people"}, {"south"}, "tier1", 1},
          Code::not_admitted);
  f.must(ApplyToDps{"A", "home-care"});  // an exited location may apply again
  CHECK(membership(f, "A").status == MembershipStatus::under_assessment);
}

TEST_CASE("a suspended location can exit without being reinstated", "[membership]") {
  MarketFixture f;
  f.admit({"A"});
  f.must(SuspendMembership{"A", "home-care", "investigation"});
  f.must(ExitDps{"A", "home-care", "contract ended"});
  CHECK(membership(f, "A").status == MembershipStatus::exited);
  CHECK(membership(f, "A").reason == "contract ended");
}

TEST_CASE("updating an enrolment changes who gets the next broadcast", "[membership]") {
  MarketFixture f;
  f.admit({"A", "tier1", {"north"}});
  f.admit({"B"});
  CHECK(f.invited(f.post()) == std::vector<std::string>{"B"});
  f.must(UpdateMembership{"A", "home-care", {"hc"}, {"older_people"}, {"north", "south"}, "tier1", 200});
  CHECK(membership(f, "A").capacity == 200);
  CHECK(f.invited(f.post()) == std::vector<std::string>{"A", "B"});
  UpdateMembership bad{"A", "home-care", {"hc"}, {"older_people"}, {"west"}, "tier1", 200};
  refused(f, bad, Code::unknown_zone, "west");
  bad.zones = {"south"};
  bad.tier = "gold";
  refused(f, bad, Code::unknown_tier, "gold");
  register_location(f, "C");
  refused(f, UpdateMembership{"C", "home-care", {"hc"}, {"older_people"}, {"south"}, "tier1", 1},
          Code::not_admitted);
}

TEST_CASE("a suspended member's enrolment can be updated and it stays suspended", "[membership]") {
  MarketFixture f;
  f.admit({"A"});
  f.must(SuspendMembership{"A", "home-care", "review"});
  f.must(UpdateMembership{"A", "home-care", {"hc"}, {"older_people"}, {"north"}, "tier2", 50});
  CHECK(membership(f, "A").status == MembershipStatus::suspended);
  CHECK(membership(f, "A").tier == f.market.dps(0).tier_index("tier2"));
}

TEST_CASE("membership is per DPS", "[membership]") {
  DpsConfig second = home_care_config();
  second.code = "supported-living";
  MarketFixture f;
  f.must(ConfigureDps{second});
  f.admit({"A"});
  const int sl = f.market.find_dps("supported-living");
  REQUIRE(sl == 1);
  const auto loc = *f.market.find_location("A");
  CHECK(f.market.location(loc).membership_of(sl) == nullptr);
  f.must(ApplyToDps{"A", "supported-living"});
  CHECK(membership(f, "A", sl).status == MembershipStatus::under_assessment);
  CHECK(membership(f, "A", 0).status == MembershipStatus::admitted);
}

TEST_CASE("providers and locations are registered once", "[membership]") {
  MarketFixture f;
  f.must(RegisterProvider{"1-101", "Acme Care Ltd"});
  refused(f, RegisterProvider{"1-101", "Acme Care (duplicate)"}, Code::provider_exists, "1-101");
  f.must(RegisterLocation{"1-201", "1-101", "Acme Kings Heath", "B14 7AA", "Birmingham"});
  refused(f, RegisterLocation{"1-201", "1-101", "Acme again", "B14 7AA", "Birmingham"},
          Code::location_exists, "1-201");
  refused(f, RegisterLocation{"1-202", "1-999", "Orphan", "B13 9AA", "Birmingham"},
          Code::unknown_provider, "1-999");
  refused(f, RegisterProvider{"", "Nameless"}, Code::invalid_config);
  refused(f, RegisterLocation{"", "1-101", "No id", "B13", "Birmingham"}, Code::invalid_config);
  const Provider* p = f.market.find_provider("1-101");
  REQUIRE(p);
  CHECK(p->name == "Acme Care Ltd");
  CHECK(p->locations.size() == 1);
  const Location& l = f.market.location(*f.market.find_location("1-201"));
  CHECK(l.provider_id == "1-101");
  CHECK(l.memberships.empty());
}

TEST_CASE("the admission life cycle follows its transition table, from every state, for every action", "[membership]") {
  using enum MembershipStatus;
  // How to bring a fresh location to each starting state (nullopt = no application yet).
  const std::vector<std::pair<std::optional<MembershipStatus>, std::vector<Command>>> starts = {
      {std::nullopt, {}},
      {under_assessment, {ApplyToDps{"L", "home-care"}}},
      {admitted, {ApplyToDps{"L", "home-care"}, terms("L")}},
      {refused, {ApplyToDps{"L", "home-care"}, RefuseApplication{"L", "home-care", "capability"}}},
      {suspended, {ApplyToDps{"L", "home-care"}, terms("L"), SuspendMembership{"L", "home-care", "audit"}}},
      {exited, {ApplyToDps{"L", "home-care"}, terms("L"), ExitDps{"L", "home-care", "closing"}}},
  };
  const auto command_for = [](AdmissionAction a) -> Command {
    switch (a) {
      case AdmissionAction::apply: return ApplyToDps{"L", "home-care"};
      case AdmissionAction::extend: return ExtendAssessment{"L", "home-care"};
      case AdmissionAction::admit: return terms("L");
      case AdmissionAction::update_terms: {
        const AdmitToDps t = terms("L");
        return UpdateMembership{"L", "home-care", t.lots, t.categories, t.zones, t.tier, t.capacity};
      }
      case AdmissionAction::refuse: return RefuseApplication{"L", "home-care", "capability"};
      case AdmissionAction::suspend: return SuspendMembership{"L", "home-care", "audit"};
      case AdmissionAction::reinstate: return ReinstateMembership{"L", "home-care"};
      case AdmissionAction::exit: return ExitDps{"L", "home-care", "closing"};
    }
    return ApplyToDps{};
  };
  int allowed = 0, refused_count = 0;
  for (AdmissionAction action : kAdmissionActions)
    for (const auto& [start, setup] : starts) {
      MarketFixture f;
      register_location(f, "L");
      for (const auto& c : setup) f.must(c);
      const AdmissionTransition& row = admission_transition(action);
      const bool may = start ? (row.from >> static_cast<unsigned>(*start)) & 1U : row.from_none;
      INFO(to_string(action) << " from " << (start ? std::string(to_string(*start)) : "no application"));
      const Reply r = f.run(command_for(action));
      if (may) {
        ++allowed;
        REQUIRE(r.ok());
        const MembershipStatus expected = row.to ? *row.to : *start;
        CHECK(membership(f, "L").status == expected);
      } else {
        ++refused_count;
        CHECK(r.status.code == (start ? row.refused_otherwise : row.refused_without_application));
        CHECK(r.status.detail.find("L") != std::string::npos);
      }
    }
  CHECK(allowed == 12);  // every arrow of the diagram in admission.h
  CHECK(refused_count == 8 * 6 - 12);
}
