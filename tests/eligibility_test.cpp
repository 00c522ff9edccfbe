// Who gets a package's broadcast: admitted to the DPS and lot, offering every category, serving
// the zone, in the current tier of the route, not suspended, not embargoed, not Red (by default
// policy). Everyone else is listed by Market::exclusions with the rule that kept it out.
#include <map>
#include <random>
#include <set>

#include "market_fixture.h"

using namespace carebroker::testing;

namespace {

void register_only(MarketFixture& f, const std::string& id, const std::string& provider = "") {
  const std::string p = provider.empty() ? "P-" + id : provider;
  if (!f.market.find_provider(p)) f.must(RegisterProvider{p, p + " Ltd"});
  f.must(RegisterLocation{id, p, id + " branch", "B13 9AA", "Birmingham"});
}

LocationSpec with_provider(const std::string& id, const std::string& provider) {
  LocationSpec s{id};
  s.provider = provider;
  return s;
}

LocationSpec in_tier(const std::string& id, const std::string& tier,
                     std::vector<std::string> categories) {
  return LocationSpec{id, tier, {"south"}, std::move(categories)};
}

std::optional<Exclusion> exclusion(const MarketFixture& f, PackageId id, const std::string& loc) {
  for (const auto& x : f.market.exclusions(id))
    if (f.location_id(x.location) == loc) return x;
  return std::nullopt;
}

/// The location is listed with `rule`, and the detail says something specific.
void excluded(const MarketFixture& f, PackageId id, const std::string& loc, const std::string& rule,
              std::string_view detail_mentions) {
  const auto x = exclusion(f, id, loc);
  INFO(loc << " expected " << rule);
  REQUIRE(x);
  INFO("detail: " << x->detail);
  CHECK(x->rule == rule);
  CHECK(x->detail.find(detail_mentions) != std::string::npos);
}

void embargo(MarketFixture& f, const std::string& loc, bool on) {
  UpdateQualityInputs q;
  q.location = loc;
  q.embargo = on;
  q.embargo_reason = on ? "safeguarding enquiry" : "";
  f.must(q);
}

void set_cqc(MarketFixture& f, const std::string& loc, CqcRating cqc) {
  UpdateQualityInputs q;
  q.location = loc;
  q.cqc = cqc;
  f.must(q);
}

DpsConfig with_risk(bool red_excludes, bool amber_excludes) {
  DpsConfig c = home_care_config();
  c.risk.red_excludes_from_broadcast = red_excludes;
  c.risk.amber_excludes_from_broadcast = amber_excludes;
  return c;
}

DpsConfig two_lots() {
  DpsConfig c = home_care_config();
  c.lots.push_back(Lot{"re", "Reablement", Unit::hours, 1800, 4000, 3214});
  return c;
}

using Ids = std::vector<std::string>;

}  // namespace

TEST_CASE("a package goes to admitted tier-1 locations that serve its zone and offer its categories",
          "[eligibility]") {
  MarketFixture f(two_lots());
  f.admit({"A"});
  f.admit({"B", "tier1", {"north", "central"}});
  f.admit(in_tier("C", "tier2", {"older_people"}));
  f.admit({"D", "tier1", {"south"}, {"dementia", "physical_disability"}});
  register_only(f, "L");
  f.must(ApplyToDps{"L", "home-care"});
  f.must(AdmitToDps{"L", "home-care", {"re"}, {"older_people"}, {"south"}, "tier1", 100});
  const PackageId id = f.post();
  CHECK(f.invited(id) == Ids{"A"});
  CHECK(f.tier(id) == "tier1");
  excluded(f, id, "B", "zone", "south");
  excluded(f, id, "C", "tier", "tier2");
  excluded(f, id, "D", "categories", "older_people");
  excluded(f, id, "L", "lot", "hc");
  CHECK_FALSE(exclusion(f, id, "A"));
  CHECK(f.market.exclusions(id).size() == f.market.location_count() - 1);
}

TEST_CASE("locations not admitted, or suspended, get no broadcast", "[eligibility]") {
  MarketFixture f;
  f.admit({"A"});
  register_only(f, "never");
  register_only(f, "waiting");
  f.must(ApplyToDps{"waiting", "home-care"});
  register_only(f, "refused");
  f.must(ApplyToDps{"refused", "home-care"});
  f.must(RefuseApplication{"refused", "home-care", "no evidence of training"});
  f.admit({"gone"});
  f.must(ExitDps{"gone", "home-care", "left the market"});
  f.admit({"paused"});
  f.must(SuspendMembership{"paused", "home-care", "missed calls under review"});
  const PackageId id = f.post();
  CHECK(f.invited(id) == Ids{"A"});
  excluded(f, id, "never", "not_applied", "home-care");
  excluded(f, id, "waiting", "not_admitted", "under_assessment");
  excluded(f, id, "refused", "not_admitted", "refused");
  excluded(f, id, "gone", "not_admitted", "exited");
  excluded(f, id, "paused", "suspended", "missed calls under review");
  const Reply r = f.offer("paused", id, 2600);
  CHECK(r.status.code == Code::not_broadcast_to_location);

  f.must(ReinstateMembership{"paused", "home-care"});
  CHECK(f.invited(f.post()) == Ids{"A", "paused"});
}

TEST_CASE("a package needing several categories goes only to locations offering all of them",
          "[eligibility]") {
  MarketFixture f;
  f.admit({"both", "tier1", {"south"}, {"older_people", "dementia"}});
  f.admit({"one", "tier1", {"south"}, {"older_people", "physical_disability"}});
  PackageSpec s = MarketFixture::standard_package();
  s.categories = {"older_people", "dementia"};
  const PackageId id = f.post(s);
  CHECK(f.invited(id) == Ids{"both"});
  const auto x = exclusion(f, id, "one");
  REQUIRE(x);
  CHECK(x->rule == "categories");
  CHECK(x->detail.find("dementia") != std::string::npos);
  CHECK(x->detail.find("older_people") == std::string::npos);  // it does offer that one
}

TEST_CASE("a Red location gets no broadcast, the exclusion says why, and it cannot bid",
          "[eligibility]") {
  MarketFixture f;
  f.admit({"A"});
  f.admit({"R", "tier1", {"south"}, {"older_people"}, CqcRating::inadequate});
  const PackageId id = f.post();
  CHECK(f.invited(id) == Ids{"A"});
  excluded(f, id, "R", "red", "CQC rating inadequate");
  const Reply r = f.offer("R", id, 2600);
  CHECK(r.status.code == Code::not_broadcast_to_location);
  CHECK(r.status.detail.find("R") != std::string::npos);
  CHECK(f.package(id).offers.empty());
  CHECK_FALSE(f.market.provider_view(id, "R"));
}

TEST_CASE("a location that turns Red after the broadcast can no longer bid", "[eligibility]") {
  MarketFixture f;
  f.admit({"A"});
  f.admit({"B"});
  const PackageId id = f.post();
  REQUIRE(f.invited(id) == Ids{"A", "B"});
  set_cqc(f, "B", CqcRating::inadequate);
  const Reply r = f.offer("B", id, 2600);
  CHECK(r.status.code == Code::location_excluded);
  CHECK(r.status.detail.find("inadequate") != std::string::npos);
  CHECK(f.offer("A", id, 2600).ok());
  CHECK(f.invited(f.post()) == Ids{"A"});
}

TEST_CASE("an embargoed location gets no broadcast and cannot bid until the embargo is lifted",
          "[eligibility]") {
  MarketFixture f;
  f.admit({"A"});
  f.admit({"E"});
  const PackageId before = f.post();
  embargo(f, "E", true);
  const Reply late = f.offer("E", before, 2600);
  CHECK(late.status.code == Code::location_excluded);
  CHECK(late.status.detail.find("embargo") != std::string::npos);

  const PackageId id = f.post();
  CHECK(f.invited(id) == Ids{"A"});
  excluded(f, id, "E", "embargo", "safeguarding enquiry");
  CHECK(f.offer("E", id, 2600).status.code == Code::not_broadcast_to_location);

  embargo(f, "E", false);
  CHECK(f.invited(f.post()) == Ids{"A", "E"});
}

TEST_CASE("when Red is warn-only a Red location is broadcast to and may bid, but an embargo still "
          "excludes",
          "[eligibility]") {
  MarketFixture f(with_risk(false, false));
  f.admit({"R", "tier1", {"south"}, {"older_people"}, CqcRating::inadequate, PammsRating::poor});
  f.admit({"E"});
  f.admit(with_provider("X", "P-admin"));
  embargo(f, "E", true);
  f.must(SetProviderStatus{"P-admin", true, false, "administrators appointed"});
  REQUIRE(f.market.risk_of(*f.market.find_location("R"), 0).rag == Rag::red);
  const PackageId id = f.post();
  CHECK(f.invited(id) == Ids{"R", "X"});
  CHECK(f.offer("R", id, 2600).ok());
  excluded(f, id, "E", "embargo", "safeguarding enquiry");
}

TEST_CASE("an Amber location is broadcast to by default", "[eligibility]") {
  MarketFixture f;
  f.admit({"M", "tier1", {"south"}, {"older_people"}, CqcRating::requires_improvement});
  REQUIRE(f.market.risk_of(*f.market.find_location("M"), 0).rag == Rag::amber);
  CHECK(f.invited(f.post()) == Ids{"M"});
}

TEST_CASE("when the policy says so an Amber location is excluded too", "[eligibility]") {
  MarketFixture f(with_risk(true, true));
  f.admit({"G"});
  f.admit({"M", "tier1", {"south"}, {"older_people"}, CqcRating::requires_improvement});
  f.admit({"R", "tier1", {"south"}, {"older_people"}, CqcRating::inadequate});
  const PackageId id = f.post();
  CHECK(f.invited(id) == Ids{"G"});
  excluded(f, id, "M", "amber", "requires improvement");
  excluded(f, id, "R", "red", "inadequate");
  CHECK(f.offer("M", id, 2600).status.code == Code::not_broadcast_to_location);
}

TEST_CASE("a terminated contract excludes every location of the provider", "[eligibility]") {
  MarketFixture f;
  f.admit(with_provider("A1", "P-big"));
  f.admit(with_provider("A2", "P-big"));
  f.admit({"C"});
  const PackageId earlier = f.post();
  Reply r = f.run(SetProviderStatus{"P-big", false, true, ""});
  CHECK(r.status.code == Code::reason_required);
  r = f.run(SetProviderStatus{"P-nobody", false, true, "x"});
  CHECK(r.status.code == Code::unknown_provider);
  f.must(SetProviderStatus{"P-big", false, true, "persistent missed calls"});
  const PackageId id = f.post();
  CHECK(f.invited(id) == Ids{"C"});
  excluded(f, id, "A1", "contract_terminated", "persistent missed calls");
  excluded(f, id, "A2", "contract_terminated", "persistent missed calls");
  CHECK(f.offer("A1", earlier, 2600).status.code == Code::location_excluded);
}

TEST_CASE("a provider in administration is Red at every location until restored", "[eligibility]") {
  MarketFixture f;
  f.admit(with_provider("A1", "P-big"));
  f.admit(with_provider("A2", "P-big"));
  f.admit({"C"});
  f.must(SetProviderStatus{"P-big", true, false, "administrators appointed"});
  const PackageId id = f.post();
  CHECK(f.invited(id) == Ids{"C"});
  excluded(f, id, "A1", "red", "administration");
  excluded(f, id, "A2", "red", "administration");
  f.must(SetProviderStatus{"P-big", false, false, ""});
  CHECK(f.invited(f.post()) == Ids{"A1", "A2", "C"});
}

TEST_CASE("a learning-disability package goes to specialist locations first, then tier 2",
          "[eligibility]") {
  MarketFixture f;
  f.admit(in_tier("S", "specialist", {"learning_disability"}));
  f.admit(in_tier("T1", "tier1", {"learning_disability", "older_people"}));
  f.admit(in_tier("T2", "tier2", {"learning_disability"}));
  PackageSpec s = MarketFixture::standard_package();
  s.categories = {"learning_disability"};
  const PackageId id = f.post(s);
  CHECK(f.tier(id) == "specialist");
  CHECK(f.invited(id) == Ids{"S"});
  excluded(f, id, "T1", "tier", "specialist");
  excluded(f, id, "T2", "tier", "specialist");
  CHECK(f.offer("T2", id, 2600).status.code == Code::not_broadcast_to_location);

  f.pass_deadline(id);  // no offers: cascade
  CHECK(f.tier(id) == "tier2");
  CHECK(f.invited(id) == Ids{"T2"});
  excluded(f, id, "S", "tier", "tier2");
  excluded(f, id, "T1", "tier", "tier1");
  CHECK(f.offer("T2", id, 2600).ok());
  CHECK(f.offer("S", id, 2600).status.code == Code::not_broadcast_to_location);
}

TEST_CASE("a tier with no eligible location cascades at once", "[eligibility]") {
  MarketFixture f;
  f.admit(in_tier("S", "specialist", {"learning_disability"}));
  f.must(SuspendMembership{"S", "home-care", "under review"});
  f.admit(in_tier("T2", "tier2", {"learning_disability"}));
  PackageSpec s = MarketFixture::standard_package();
  s.categories = {"learning_disability"};
  const PackageId id = f.post(s);
  CHECK(f.tier(id) == "tier2");
  CHECK(f.invited(id) == Ids{"T2"});
  CHECK(f.count<TierEnded>() == 1);
  CHECK(f.status(id) == PackageStatus::open);
}

TEST_CASE("all-at-once distribution ignores tiers", "[eligibility]") {
  DpsConfig c = home_care_config();
  c.mode = DistributionMode::all_at_once;
  MarketFixture f(c);
  f.admit(in_tier("S", "specialist", {"older_people"}));
  f.admit(in_tier("T1", "tier1", {"older_people"}));
  f.admit(in_tier("T2", "tier2", {"older_people"}));
  f.admit({"N", "tier1", {"north"}, {"older_people"}});
  f.admit({"R", "tier2", {"south"}, {"older_people"}, CqcRating::inadequate});
  const PackageId id = f.post();
  CHECK(f.tier(id) == "all");
  CHECK(f.invited(id) == Ids{"S", "T1", "T2"});
  excluded(f, id, "N", "zone", "south");
  excluded(f, id, "R", "red", "inadequate");
  for (const auto& x : f.market.exclusions(id)) CHECK(x.rule != "tier");
}

TEST_CASE("a location admitted after the broadcast waits for the next package", "[eligibility]") {
  MarketFixture f;
  f.admit({"A"});
  const PackageId id = f.post();
  f.admit({"late"});
  excluded(f, id, "late", "joined_after_broadcast", "after");
  CHECK(f.offer("late", id, 2600).status.code == Code::not_broadcast_to_location);
  CHECK(f.invited(f.post()) == Ids{"A", "late"});
  CHECK(f.market.exclusions(999).empty());
}

// ---- property: the index (broadcast) and the explanation (exclusions) agree ----

namespace {

const std::vector<std::string> kCats = {"older_people", "dementia", "learning_disability",
                                        "mental_health", "physical_disability"};
const std::vector<std::string> kZones = {"north", "central", "south"};
const std::vector<std::string> kTiers = {"tier1", "tier2", "specialist"};
const std::vector<std::string> kLots = {"hc", "re"};

enum class Standing { none, assessing, refused, suspended, exited, admitted };

struct Model {
  Standing standing = Standing::admitted;
  int provider = 0;
  std::set<std::string> lots, cats, zones;
  std::string tier;
  bool embargo = false, red = false;
};

/// The rule an independent reading of DOMAIN.md expects, in the engine's documented order.
std::string expected_rule(const Model& m, const std::vector<bool>& terminated, const std::string& lot,
                          const std::vector<std::string>& cats, const std::string& zone,
                          const std::string& tier) {
  switch (m.standing) {
    case Standing::none: return "not_applied";
    case Standing::suspended: return "suspended";
    case Standing::admitted: break;
    default: return "not_admitted";
  }
  if (!m.lots.count(lot)) return "lot";
  for (const auto& c : cats)
    if (!m.cats.count(c)) return "categories";
  if (!m.zones.count(zone)) return "zone";
  if (!tier.empty() && m.tier != tier) return "tier";
  if (terminated[static_cast<std::size_t>(m.provider)]) return "contract_terminated";
  if (m.embargo) return "embargo";
  if (m.red) return "red";
  return "";
}

}  // namespace

TEST_CASE("for a generated market the broadcast is everyone minus the exclusions", "[eligibility]") {
  const bool cascade = GENERATE(true, false);
  DpsConfig config = two_lots();
  config.mode = cascade ? DistributionMode::cascade : DistributionMode::all_at_once;
  MarketFixture f(config);
  std::mt19937 rng(20261123);
  auto roll = [&](int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng); };
  auto subset = [&](const std::vector<std::string>& from, int pct) {
    std::set<std::string> out;
    for (const auto& s : from)
      if (roll(100) < pct) out.insert(s);
    if (out.empty()) out.insert(from[static_cast<std::size_t>(roll(static_cast<int>(from.size())))]);
    return out;
  };
  constexpr int kProviders = 60, kLocations = 300;
  std::vector<bool> administration(kProviders), terminated(kProviders);
  for (int p = 0; p < kProviders; ++p) {
    const std::string id = "P" + std::to_string(p);
    f.must(RegisterProvider{id, id + " Ltd"});
    administration[p] = p == 0 || roll(100) < 4;
    terminated[p] = p == 1 || roll(100) < 4;
    if (administration[p] || terminated[p])
      f.must(SetProviderStatus{id, administration[p], terminated[p], "generated"});
  }
  std::vector<Model> models(kLocations);
  for (int i = 0; i < kLocations; ++i) {
    Model& m = models[static_cast<std::size_t>(i)];
    const std::string id = "L" + std::string(i < 10 ? "00" : i < 100 ? "0" : "") + std::to_string(i);
    m.provider = roll(kProviders);
    f.must(RegisterLocation{id, "P" + std::to_string(m.provider), id, "B13 9AA", "Birmingham"});
    REQUIRE(f.market.find_location(id) == static_cast<LocationIndex>(i));
    const int s = roll(100);
    m.standing = s < 4 ? Standing::none : s < 8 ? Standing::assessing : s < 12 ? Standing::refused
               : s < 16 ? Standing::suspended : s < 20 ? Standing::exited : Standing::admitted;
    m.lots = subset(kLots, 70);
    m.cats = subset(kCats, 60);
    m.zones = subset(kZones, 50);
    m.tier = kTiers[static_cast<std::size_t>(roll(3))];
    if (m.standing != Standing::none) f.must(ApplyToDps{id, "home-care"});
    if (m.standing == Standing::refused) f.must(RefuseApplication{id, "home-care", "generated"});
    if (m.standing >= Standing::suspended)
      f.must(AdmitToDps{id, "home-care", {m.lots.begin(), m.lots.end()}, {m.cats.begin(), m.cats.end()},
                        {m.zones.begin(), m.zones.end()}, m.tier, 100});
    if (m.standing == Standing::suspended) f.must(SuspendMembership{id, "home-care", "generated"});
    if (m.standing == Standing::exited) f.must(ExitDps{id, "home-care", "generated"});
    UpdateQualityInputs q;
    q.location = id;
    q.cqc = static_cast<CqcRating>(roll(15) == 0 ? 4 : roll(4));  // 4 = inadequate
    q.pamms = static_cast<PammsRating>(roll(15) == 0 ? 4 : roll(4));  // 4 = poor
    q.self_assessment = roll(101);
    m.embargo = roll(100) < 5;
    if (m.embargo) {
      q.embargo = true;
      q.embargo_reason = "generated";
    }
    f.must(q);
    m.red = *q.cqc == CqcRating::inadequate || *q.pamms == PammsRating::poor || m.embargo ||
            administration[static_cast<std::size_t>(m.provider)];
  }

  std::map<std::string, int> rules_seen;
  std::size_t invited_total = 0;
  const std::vector<std::vector<std::string>> needs = {
      {"older_people"}, {"dementia", "physical_disability"}, {"learning_disability"}, {"mental_health"}};
  for (const char* district : {"B23", "B11", "B13"})
    for (const auto& cats : needs)
      for (const auto& lot : kLots) {
        PackageSpec spec = MarketFixture::standard_package();
        spec.postcode_district = district;
        spec.categories = cats;
        spec.lot = lot;
        const PackageId id = f.post(spec);
        const Package& p = f.package(id);
        const std::string zone = f.market.broadcast_view(p).zone;
        const bool specialist = cats[0] == "learning_disability" || cats[0] == "mental_health";
        const std::vector<std::string> route =
            specialist ? std::vector<std::string>{"specialist", "tier2"} : std::vector<std::string>{"tier1", "tier2"};
        auto tier_at = [&](int step) { return cascade ? route[static_cast<std::size_t>(step)] : std::string(); };
        INFO("package " << id << " in " << zone << " lot " << lot << " for " << cats[0]
                        << " at step " << p.step);
        // A step was skipped only when nobody there was eligible.
        for (int earlier = 0; earlier < p.step; ++earlier)
          for (const Model& m : models)
            REQUIRE_FALSE(expected_rule(m, terminated, lot, cats, zone, tier_at(earlier)).empty());

        const auto exclusions = f.market.exclusions(id);
        std::vector<int> listed(kLocations, 0);
        for (const auto& x : exclusions) {
          ++listed[x.location];
          CHECK_FALSE(x.detail.empty());
        }
        std::vector<LocationIndex> everyone_minus_excluded;
        for (LocationIndex i = 0; i < kLocations; ++i)
          if (listed[i] == 0) everyone_minus_excluded.push_back(i);
        CHECK(p.invited == everyone_minus_excluded);
        CHECK(p.invited == f.market.eligible(f.market.query_for(p, p.step)));
        invited_total += p.invited.size();

        for (const auto& x : exclusions) {
          const Model& m = models[x.location];
          INFO(f.location_id(x.location) << ": " << x.rule << " — " << x.detail);
          CHECK(listed[x.location] == 1);
          CHECK(x.rule == expected_rule(m, terminated, lot, cats, zone, tier_at(p.step)));
          ++rules_seen[x.rule];
        }
        for (LocationIndex i : p.invited) {
          const Location& l = f.market.location(i);
          INFO(l.id << " was invited");
          CHECK(expected_rule(models[i], terminated, lot, cats, zone, tier_at(p.step)).empty());
          CHECK_FALSE(exclusion_of(i, l, f.market.provider_of(l), f.market.dps(0),
                                   f.market.query_for(p, p.step), f.market.now(),
                                   f.market.category_codes()));
        }
      }
  // The generated market exercised every rule, and real broadcasts happened.
  CHECK(invited_total > 50);
  for (const char* rule : {"not_applied", "not_admitted", "suspended", "lot", "categories", "zone",
                           "contract_terminated", "embargo", "red"}) {
    INFO(rule);
    CHECK(rules_seen[rule] > 0);
  }
  CHECK((rules_seen["tier"] > 0) == cascade);
}
