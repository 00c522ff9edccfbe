// Who gets a package's broadcast: admitted to the DPS and lot, offering every category, serving
// the zone, in the current tier of the route, not suspended, not embargoed, not Red (by default
// policy). Everyone else is listed by Market::exclusions with the rule that kept it out.
#include <algorithm>
#include <map>
#include <random>

#include "market_fixture.h"

using namespace carebroker::testing;

namespace {

void register_only(MarketFixture& f, const std::string& id) {
  f.must(RegisterProvider{"P-" + id, id + " Ltd"});
  f.must(RegisterLocation{id, "P-" + id, id + " branch", "B13 9AA", "Birmingham"});
}

LocationSpec with_provider(std::string id, std::string provider) {
  LocationSpec s{std::move(id)};
  s.provider = std::move(provider);
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
  CHECK(to_string(x->rule) == rule);
  CHECK(x->detail.find(detail_mentions) != std::string::npos);
}

void embargo(MarketFixture& f, const std::string& loc, bool on) {
  f.must(UpdateQualityInputs{.location = loc, .embargo = on, .embargo_reason = on ? "safeguarding enquiry" : ""});
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
  excluded(f, id, "one", "categories", "dementia");
  CHECK(exclusion(f, id, "one")->detail.find("older_people") == std::string::npos);  // offered
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

  // A location that turns Red after the broadcast can no longer bid either.
  f.must(UpdateQualityInputs{.location = "A", .cqc = CqcRating::inadequate});
  const Reply late = f.offer("A", id, 2600);
  CHECK(late.status.code == Code::location_excluded);
  CHECK(late.status.detail.find("inadequate") != std::string::npos);
  CHECK(f.invited(f.post()).empty());
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

TEST_CASE("when Red is warn-only a Red location may bid, but an embargo still excludes",
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

TEST_CASE("an Amber location is broadcast to, unless the policy excludes Amber too", "[eligibility]") {
  const LocationSpec amber{"M", "tier1", {"south"}, {"older_people"}, CqcRating::requires_improvement};
  MarketFixture by_default;
  by_default.admit(amber);
  REQUIRE(by_default.market.risk_of(*by_default.market.find_location("M"), 0).rag == Rag::amber);
  CHECK(by_default.invited(by_default.post()) == Ids{"M"});

  MarketFixture f(with_risk(true, true));
  f.admit({"G"});
  f.admit(amber);
  f.admit({"R", "tier1", {"south"}, {"older_people"}, CqcRating::inadequate});
  const PackageId id = f.post();
  CHECK(f.invited(id) == Ids{"G"});
  excluded(f, id, "M", "amber", "requires improvement");
  excluded(f, id, "R", "red", "inadequate");
  CHECK(f.offer("M", id, 2600).status.code == Code::not_broadcast_to_location);
}

TEST_CASE("a terminated contract or administration excludes every location of the provider",
          "[eligibility]") {
  MarketFixture f;
  for (const char* id : {"T1", "T2"}) f.admit(with_provider(id, "P-terminated"));
  for (const char* id : {"A1", "A2"}) f.admit(with_provider(id, "P-admin"));
  f.admit({"C"});
  const PackageId earlier = f.post();
  CHECK(f.run(SetProviderStatus{"P-terminated", false, true, ""}).status.code == Code::reason_required);
  CHECK(f.run(SetProviderStatus{"P-nobody", false, true, "x"}).status.code == Code::unknown_provider);
  f.must(SetProviderStatus{"P-terminated", false, true, "persistent missed calls"});
  f.must(SetProviderStatus{"P-admin", true, false, "administrators appointed"});
  const PackageId id = f.post();
  CHECK(f.invited(id) == Ids{"C"});
  for (const char* loc : {"T1", "T2"}) excluded(f, id, loc, "contract_terminated", "persistent missed calls");
  for (const char* loc : {"A1", "A2"}) excluded(f, id, loc, "red", "administration");
  CHECK(f.offer("T1", earlier, 2600).status.code == Code::location_excluded);
  CHECK(f.offer("A2", earlier, 2600).status.code == Code::location_excluded);

  f.must(SetProviderStatus{"P-admin", false, false, ""});  // restored
  CHECK(f.invited(f.post()) == Ids{"A1", "A2", "C"});
}

namespace {

/// A market with two DPSs, "home-care" and "reablement", and provider P-T's locations: T1 in
/// both, T2 in home care only; C (another provider) in both.
struct TwoDpsMarket : MarketFixture {
  TwoDpsMarket() {
    DpsConfig second = home_care_config();
    second.code = "reablement";
    must(ConfigureDps{second});
    admit(with_provider("T1", "P-T"));
    admit(with_provider("T2", "P-T"));
    admit({"C"});
    for (const char* loc : {"T1", "C"}) {
      must(ApplyToDps{loc, "reablement"});
      must(AdmitToDps{loc, "reablement", {"hc"}, {"older_people"}, {"south"}, "tier1", 500});
    }
  }
  PackageId post_in(const std::string& dps) {
    PackageSpec s = standard_package();
    s.dps = dps;
    s.categories = {"older_people"};
    return post(s);
  }
};

}  // namespace

TEST_CASE("a contract terminated under one DPS excludes the provider from that DPS only", "[eligibility]") {
  // Regression (issue 10, item 9): termination was provider-wide although a contract is per DPS.
  TwoDpsMarket f;
  f.must(SetProviderStatus{"P-T", false, true, "persistent missed calls", "home-care"});
  const PackageId home = f.post_in("home-care");
  CHECK(f.invited(home) == Ids{"C"});
  excluded(f, home, "T1", "contract_terminated", "home-care");
  excluded(f, home, "T2", "contract_terminated", "persistent missed calls");
  CHECK(f.invited(f.post_in("reablement")) == Ids{"T1", "C"});

  f.must(SetProviderStatus{"P-T", false, false, "", "home-care"});  // reinstated
  CHECK(f.invited(f.post_in("home-care")) == Ids{"T1", "T2", "C"});
}

TEST_CASE("a termination naming a DPS the provider is not a member of is refused", "[eligibility]") {
  TwoDpsMarket f;
  f.admit(with_provider("H", "P-H"));  // home care only
  const auto digest = f.market.digest();
  CHECK(f.run(SetProviderStatus{"P-H", false, true, "x", "reablement"}).status.code == Code::provider_not_member_of_dps);
  CHECK(f.run(SetProviderStatus{"P-H", false, true, "x", "nope"}).status.code == Code::unknown_dps);
  CHECK(f.market.digest() == digest);
}

TEST_CASE("a termination naming no DPS, as every journal before per-DPS contracts, covers every DPS of membership",
          "[eligibility]") {
  TwoDpsMarket f;
  f.must(SetProviderStatus{"P-T", false, true, "persistent missed calls"});
  CHECK(f.invited(f.post_in("home-care")) == Ids{"C"});
  CHECK(f.invited(f.post_in("reablement")) == Ids{"C"});
  // The reading is of the memberships at that time: a DPS joined later is not under it.
  DpsConfig third = home_care_config();
  third.code = "supported-living";
  f.must(ConfigureDps{third});
  f.must(ApplyToDps{"T2", "supported-living"});
  f.must(AdmitToDps{"T2", "supported-living", {"hc"}, {"older_people"}, {"south"}, "tier1", 500});
  CHECK(f.invited(f.post_in("supported-living")) == Ids{"T2"});
  // Replayed, the old event means the same.
  Market replayed;
  for (const Event& e : f.events) replayed.apply(e);
  CHECK(replayed.digest() == f.market.digest());
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
  f.admit({"R", "tier2", {"south"}, {"older_people"}, CqcRating::inadequate});
  const PackageId id = f.post();
  CHECK(f.tier(id) == "all");
  CHECK(f.invited(id) == Ids{"S", "T1", "T2"});
  excluded(f, id, "R", "red", "inadequate");
  for (const auto& x : f.market.exclusions(id)) CHECK(x.rule != ExclusionRule::tier);
}

TEST_CASE("a regulation-34 DPS broadcasts to every admitted location in the category, whatever its zone",
          "[eligibility]") {
  // Regression (issue 10, item 9): all at once still filtered by the package's zone.
  DpsConfig c = home_care_config();
  c.mode = DistributionMode::all_at_once;
  MarketFixture f(c);
  f.admit({"N", "tier1", {"north"}, {"older_people"}});
  f.admit({"NC", "tier2", {"north", "central"}, {"older_people"}});  // two zones: invited once
  f.admit({"S", "tier1", {"south"}, {"older_people"}});
  f.admit({"D", "tier1", {"north"}, {"dementia"}});
  f.admit({"E", "tier1", {"central"}, {"older_people"}});
  embargo(f, "E", true);
  f.admit({"R", "tier2", {"north"}, {"older_people"}, CqcRating::inadequate});
  const PackageId id = f.post();  // B13: the south zone
  CHECK(f.invited(id) == Ids{"N", "NC", "S"});
  excluded(f, id, "D", "categories", "older_people");
  excluded(f, id, "E", "embargo", "safeguarding");
  excluded(f, id, "R", "red", "inadequate");
  for (const auto& x : f.market.exclusions(id)) CHECK(x.rule != ExclusionRule::zone);
}

TEST_CASE("a regulation-34 DPS that declares zones part of its lots broadcasts in the package's zone only",
          "[eligibility]") {
  DpsConfig c = home_care_config();
  c.mode = DistributionMode::all_at_once;
  c.zones_part_of_lots = true;
  MarketFixture f(c);
  f.admit({"N", "tier1", {"north"}, {"older_people"}});
  f.admit({"NS", "tier2", {"north", "south"}, {"older_people"}});
  f.admit({"S", "tier1", {"south"}, {"older_people"}});
  const PackageId id = f.post();
  CHECK(f.invited(id) == Ids{"NS", "S"});
  excluded(f, id, "N", "zone", "south");
}

TEST_CASE("a cascading DPS filters by zone whatever it declares about its lots", "[eligibility]") {
  DpsConfig c = home_care_config();
  c.zones_part_of_lots = GENERATE(false, true);
  MarketFixture f(c);
  f.admit({"N", "tier1", {"north"}, {"older_people"}});
  f.admit({"S", "tier1", {"south"}, {"older_people"}});
  const PackageId id = f.post();
  CHECK(f.invited(id) == Ids{"S"});
  excluded(f, id, "N", "zone", "south");
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

using Names = std::vector<std::string>;
bool has(const Names& names, const std::string& n) { return std::find(names.begin(), names.end(), n) != names.end(); }

enum class Standing { none, assessing, refused, suspended, exited, admitted };

struct Model {
  Standing standing = Standing::admitted;
  std::size_t provider = 0;
  Names lots, cats, zones;
  std::string tier;
  bool embargo = false, red = false;
};

/// The rule an independent reading of DOMAIN.md expects, in the engine's documented order.
/// zone empty: any zone (all at once, zones not part of the lots).
std::string expected_rule(const Model& m, bool terminated, const std::string& lot, const Names& cats,
                          const std::string& zone, const std::string& tier) {
  if (m.standing == Standing::none) return "not_applied";
  if (m.standing == Standing::suspended) return "suspended";
  if (m.standing != Standing::admitted) return "not_admitted";
  if (!has(m.lots, lot)) return "lot";
  if (!std::all_of(cats.begin(), cats.end(), [&](const std::string& c) { return has(m.cats, c); }))
    return "categories";
  if (!zone.empty() && !has(m.zones, zone)) return "zone";
  if (!tier.empty() && m.tier != tier) return "tier";
  if (terminated) return "contract_terminated";
  if (m.embargo) return "embargo";
  return m.red ? "red" : "";
}

}  // namespace

TEST_CASE("for a generated market the broadcast is everyone minus the exclusions", "[eligibility]") {
  const bool cascade = GENERATE(true, false);
  const bool zones_part_of_lots = GENERATE(false, true);
  DpsConfig config = two_lots();
  config.mode = cascade ? DistributionMode::cascade : DistributionMode::all_at_once;
  config.zones_part_of_lots = zones_part_of_lots;
  const bool zone_filters = cascade || zones_part_of_lots;
  MarketFixture f(config);
  std::mt19937 rng(20261123);
  auto roll = [&](int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng); };
  auto subset = [&](const Names& from, int pct) {
    Names out;
    for (const auto& s : from)
      if (roll(100) < pct) out.push_back(s);
    if (out.empty()) out.push_back(from[static_cast<std::size_t>(roll(static_cast<int>(from.size())))]);
    return out;
  };
  constexpr int kProviders = 60, kLocations = 300;
  std::vector<bool> administration(kProviders), terminated(kProviders);
  for (int p = 0; p < kProviders; ++p) {
    const std::string id = "P" + std::to_string(p);
    f.must(RegisterProvider{id, id + " Ltd"});
    administration[p] = p == 0 || roll(100) < 4;
    terminated[p] = p == 1 || roll(100) < 4;
    if (administration[p]) f.must(SetProviderStatus{id, true, false, "generated"});
  }
  std::vector<Model> models(kLocations);
  for (int i = 0; i < kLocations; ++i) {
    Model& m = models[static_cast<std::size_t>(i)];
    const std::string id = "L" + std::to_string(1000 + i);
    m.provider = static_cast<std::size_t>(roll(kProviders));
    f.must(RegisterLocation{id, "P" + std::to_string(m.provider), id, "B13 9AA", "Birmingham"});
    REQUIRE(f.market.find_location(id) == static_cast<LocationIndex>(i));
    m.standing = static_cast<Standing>(std::min(roll(25), 5));  // one in five not admitted
    m.lots = subset({"hc", "re"}, 70);
    m.cats = subset(home_care_config().categories, 60);
    m.zones = subset({"north", "central", "south"}, 50);
    m.tier = home_care_config().tiers[static_cast<std::size_t>(roll(3))];
    if (m.standing != Standing::none) f.must(ApplyToDps{id, "home-care"});
    if (m.standing == Standing::refused) f.must(RefuseApplication{id, "home-care", "generated"});
    if (m.standing >= Standing::suspended) f.must(AdmitToDps{id, "home-care", m.lots, m.cats, m.zones, m.tier, 100});
    if (m.standing == Standing::suspended) f.must(SuspendMembership{id, "home-care", "generated"});
    if (m.standing == Standing::exited) f.must(ExitDps{id, "home-care", "generated"});
    m.embargo = roll(100) < 5;
    const auto cqc = static_cast<CqcRating>(roll(15) == 0 ? 4 : roll(4));        // 4 = inadequate
    const auto pamms = static_cast<PammsRating>(roll(15) == 0 ? 4 : roll(4));    // 4 = poor
    f.must(UpdateQualityInputs{.location = id, .cqc = cqc, .pamms = pamms, .self_assessment = roll(101),
                               .embargo = m.embargo, .embargo_reason = m.embargo ? "generated" : ""});
    m.red = cqc == CqcRating::inadequate || pamms == PammsRating::poor || administration[m.provider];
  }
  // A contract is per DPS: terminated under home care, where the provider has a member location.
  for (int p = 0; p < kProviders; ++p) {
    if (!terminated[p]) continue;
    const Reply r = f.run(SetProviderStatus{"P" + std::to_string(p), administration[p], true, "generated", "home-care"});
    terminated[p] = r.status.ok();  // refused: no location of it applied, so no contract to end
  }

  std::map<std::string, int> rules_seen;
  std::size_t invited_total = 0;
  const std::vector<Names> needs = {{"older_people"}, {"dementia", "physical_disability"},
                                    {"learning_disability"}, {"mental_health"}};
  const std::map<std::string, std::string> zone_of = {{"B23", "north"}, {"B11", "central"}, {"B13", "south"}};
  for (const auto& [district, zone] : zone_of)
    for (const auto& cats : needs)
      for (const std::string lot : {"hc", "re"}) {
        PackageSpec spec = MarketFixture::standard_package();
        spec.postcode_district = district;
        spec.categories = cats;
        spec.lot = lot;
        const PackageId id = f.post(spec);
        const Package& p = f.package(id);
        const bool specialist = cats[0] == "learning_disability" || cats[0] == "mental_health";
        auto rule = [&, zone = zone](std::size_t i, int step) {  // zone by value: clang 14 cannot capture a structured binding
          const std::string tier = !cascade ? "" : step == 1 ? "tier2" : specialist ? "specialist" : "tier1";
          return expected_rule(models[i], terminated[models[i].provider], lot, cats, zone_filters ? zone : "", tier);
        };
        INFO("package " << id << " in " << zone << " lot " << lot << " for " << cats[0] << " at step " << p.step);
        for (int earlier = 0; earlier < p.step; ++earlier)  // skipped only when nobody was eligible
          for (std::size_t i = 0; i < models.size(); ++i) REQUIRE_FALSE(rule(i, earlier).empty());

        const auto exclusions = f.market.exclusions(id);
        std::vector<int> listed(kLocations, 0);
        for (const auto& x : exclusions) ++listed[x.location];
        std::vector<LocationIndex> everyone_minus_excluded;
        for (LocationIndex i = 0; i < kLocations; ++i)
          if (listed[i] == 0) everyone_minus_excluded.push_back(i);
        CHECK(p.invited == everyone_minus_excluded);
        CHECK(p.invited == f.market.eligible(f.market.query_for(p, p.step)));
        invited_total += p.invited.size();
        for (const auto& x : exclusions) {
          INFO(f.location_id(x.location) << ": " << to_string(x.rule) << " — " << x.detail);
          CHECK(listed[x.location] == 1);
          CHECK_FALSE(x.detail.empty());
          CHECK(to_string(x.rule) == rule(x.location, p.step));
          ++rules_seen[std::string(to_string(x.rule))];
        }
        for (LocationIndex i : p.invited) {
          const Location& l = f.market.location(i);
          INFO(l.id << " was invited");
          CHECK(rule(i, p.step).empty());
          CHECK_FALSE(exclusion_of(i, l, f.market.provider_of(l), f.market.dps(0), f.market.query_for(p, p.step),
                                   f.market.now(), f.market.category_codes()));
        }
      }
  // The generated market exercised every rule, and real broadcasts happened.
  CHECK(invited_total > 50);
  for (const char* r : {"not_applied", "not_admitted", "suspended", "lot", "categories",
                        "contract_terminated", "embargo", "red"}) {
    INFO(r);
    CHECK(rules_seen[r] > 0);
  }
  CHECK((rules_seen["tier"] > 0) == cascade);
  CHECK((rules_seen["zone"] > 0) == zone_filters);
}

TEST_CASE("every exclusion rule has one stable name, and the names are distinct", "[eligibility]") {
  std::set<std::string> names;
  for (ExclusionRule rule : kExclusionRules) {
    const std::string name(to_string(rule));
    CHECK(name != "unknown");
    CHECK(names.insert(name).second);
  }
  CHECK(names.size() == 15);
  CHECK(to_string(ExclusionRule::contract_terminated) == "contract_terminated");
}
