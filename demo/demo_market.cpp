// Builds the demonstration market from the CQC data.
#include "demo/demo_market.h"

#include <algorithm>
#include <map>
#include <set>
#include <sstream>

#include "engine/cqc/csv.h"
#include "engine/market/calendar.h"
#include "engine/market/digest.h"

namespace carebroker::demo {

using namespace carebroker::engine;
using cqc::CsvTable;
using cqc::read_csv_file;

namespace {

const std::vector<std::pair<std::string, std::string>> kCategories = {
    {"older_people", "Older people"},
    {"dementia", "Dementia"},
    {"learning_disability", "Learning disability"},
    {"autism", "Autism"},
    {"mental_health", "Mental health"},
    {"physical_disability", "Physical disability"},
    {"sensory_impairment", "Sensory impairment"},
    {"younger_adults", "Younger adults"},
};

std::vector<std::string> split_list(const std::string& s) {
  std::vector<std::string> out;
  std::string item;
  std::istringstream in(s);
  while (std::getline(in, item, ';')) {
    const auto b = item.find_first_not_of(' ');
    const auto e = item.find_last_not_of(' ');
    if (b != std::string::npos) out.push_back(item.substr(b, e - b + 1));
  }
  return out;
}

std::string district_of(const std::string& postcode) {
  return postcode.substr(0, postcode.find(' '));
}

DpsConfig home_care(const std::vector<Zone>& zones) {
  DpsConfig c;
  c.code = kHomeCareDps;
  c.name = "Home Care and Support (demonstration)";
  c.council = "Birmingham and Solihull (demonstration)";
  c.mode = DistributionMode::cascade;
  // The savings report's baseline: £24.10 an hour, the average council fee for home care
  // (Homecare Association, DOMAIN.md "Price context") — what a council paid before its DPS.
  c.lots = {Lot{"home-care", "Home care and support", Unit::hours, 2000, 4500, 3214, {}, 2410}};
  for (const auto& [code, name] : kCategories) c.categories.push_back(code);
  c.zones = zones;
  c.tiers = {"tier1", "tier2", "specialist"};
  c.routes = {Route{"specialist", {"learning_disability", "autism", "mental_health"}, {"specialist", "tier2"}},
              Route{"standard", {}, {"tier1", "tier2"}}};
  return c;
}

DpsConfig supported_living(const std::vector<Zone>& zones) {
  DpsConfig c;
  c.code = kSupportedLivingDps;
  c.name = "Learning Disability and Autism Supported Living (demonstration)";
  c.council = "Birmingham and Solihull (demonstration)";
  c.mode = DistributionMode::all_at_once;
  // No baseline rate: no published figure for supported living to set one from (the savings
  // report shows the lot as having none).
  c.lots = {Lot{"supported-living", "Supported living", Unit::hours, 2000, 5000, 3214}};
  c.categories = {"learning_disability", "autism", "mental_health", "physical_disability"};
  c.zones = zones;
  c.tiers = {"framework"};
  c.routes = {Route{"all", {}, {"framework"}}};
  c.ranking.price_weight_pct = 30;
  c.ranking.quality_weight_pct = 70;
  return c;
}

struct Row {
  std::string location, location_name, provider, provider_name, local_authority, postcode,
      registered, rating;
  std::vector<std::string> categories;
  bool supported_living = false;
  int zone = -1;
};

bool good_or_better(CqcRating r) { return r == CqcRating::good || r == CqcRating::outstanding; }

}  // namespace

std::vector<std::string> categories_for_band(const std::string& band) {
  if (band == "Older People") return {"older_people"};
  if (band == "Dementia") return {"dementia"};
  if (band == "Learning disabilities or autistic spectrum disorder") return {"learning_disability", "autism"};
  if (band == "Mental Health") return {"mental_health"};
  if (band == "Physical Disability") return {"physical_disability"};
  if (band == "Sensory Impairment") return {"sensory_impairment"};
  if (band == "Younger Adults") return {"younger_adults"};
  return {};
}

CqcRating cqc_rating_from_text(const std::string& t) {
  if (t == "Outstanding") return CqcRating::outstanding;
  if (t == "Good") return CqcRating::good;
  if (t == "Requires improvement" || t == "Requires Improvement") return CqcRating::requires_improvement;
  if (t == "Inadequate") return CqcRating::inadequate;
  return CqcRating::none;
}

DemoMarket demo_market(const std::string& data_dir, UtcMillis start) {
  DemoMarket out;
  const CsvTable zones_csv = read_csv_file(data_dir + "/zones.csv");
  if (!zones_csv.error.empty()) return DemoMarket{{}, "zones.csv: " + zones_csv.error, 0, 0};
  std::vector<Zone> zones = {Zone{"north", "North", {}}, Zone{"central", "Central", {}},
                             Zone{"south", "South", {}}};
  for (const auto& r : zones_csv.rows) {
    auto z = std::find_if(zones.begin(), zones.end(), [&](const Zone& zone) { return zone.code == r[1]; });
    if (z == zones.end()) return DemoMarket{{}, "zones.csv: unknown zone " + r[1], 0, 0};
    z->postcode_districts.push_back(r[0]);
  }
  const std::string cqc_path = data_dir + "/cqc/cqc_birmingham_solihull_domiciliary_care_2026-09.csv";
  const CsvTable cqc = read_csv_file(cqc_path);
  if (!cqc.error.empty()) return DemoMarket{{}, cqc_path + ": " + cqc.error, 0, 0};
  const int c_loc = cqc.column("location_id"), c_lname = cqc.column("location_name"),
            c_prov = cqc.column("provider_id"), c_pname = cqc.column("provider_name"),
            c_la = cqc.column("local_authority"), c_pc = cqc.column("postcode"),
            c_reg = cqc.column("registration_date"), c_rating = cqc.column("rating_as_published"),
            c_bands = cqc.column("service_user_bands"), c_sl = cqc.column("supported_living");
  for (int c : {c_loc, c_lname, c_prov, c_pname, c_la, c_pc, c_reg, c_rating, c_bands, c_sl})
    if (c < 0) return DemoMarket{{}, cqc_path + ": a required column is missing", 0, 0};

  const DpsConfig hc = home_care(zones);
  const DpsConfig sl = supported_living(zones);
  std::vector<Row> rows;
  for (const auto& r : cqc.rows) {
    Row row{r[c_loc], r[c_lname], r[c_prov], r[c_pname], r[c_la], r[c_pc], r[c_reg], r[c_rating], {},
            r[c_sl] == "Y", hc.zone_of_district(district_of(r[c_pc]))};
    std::set<std::string> cats;
    for (const auto& band : split_list(r[c_bands]))
      for (auto& cat : categories_for_band(band)) cats.insert(cat);
    row.categories.assign(cats.begin(), cats.end());
    if (row.zone < 0 || row.categories.empty()) continue;  // outside the zone table, or no adult band
    rows.push_back(std::move(row));
  }
  std::sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) { return a.location < b.location; });

  // Tier 1: in each zone, the three longest-registered locations rated Good or Outstanding
  // (Outstanding first) serve their own zone. Specialist: four more such locations supporting
  // learning disability or mental health, borough-wide. Everyone else: Tier 2, borough-wide.
  std::map<std::string, std::string> tier_of;
  for (int z = 0; z < static_cast<int>(zones.size()); ++z) {
    std::vector<const Row*> in_zone;
    for (const auto& r : rows)
      if (r.zone == z && good_or_better(cqc_rating_from_text(r.rating))) in_zone.push_back(&r);
    std::sort(in_zone.begin(), in_zone.end(), [](const Row* a, const Row* b) {
      const bool ao = cqc_rating_from_text(a->rating) == CqcRating::outstanding;
      const bool bo = cqc_rating_from_text(b->rating) == CqcRating::outstanding;
      if (ao != bo) return ao;
      if (a->registered != b->registered) return a->registered < b->registered;
      return a->location < b->location;
    });
    for (std::size_t i = 0; i < in_zone.size() && i < 3; ++i) tier_of[in_zone[i]->location] = "tier1";
  }
  int specialists = 0;
  for (const auto& r : rows) {
    if (specialists >= 4 || tier_of.count(r.location) || !good_or_better(cqc_rating_from_text(r.rating))) continue;
    const bool specialist_band = std::count(r.categories.begin(), r.categories.end(), "learning_disability") ||
                                 std::count(r.categories.begin(), r.categories.end(), "mental_health");
    if (specialist_band && r.supported_living) {
      tier_of[r.location] = "specialist";
      ++specialists;
    }
  }

  auto& cmds = out.commands;
  cmds.push_back(Tick{start});
  cmds.push_back(SetCalendar{england_and_wales_bank_holidays()});
  for (const auto& [code, name] : kCategories) cmds.push_back(DefineCategory{{code, name}});
  cmds.push_back(ConfigureDps{hc});
  cmds.push_back(ConfigureDps{sl});
  std::set<std::string> providers;
  for (const auto& r : rows) {
    if (providers.insert(r.provider).second) cmds.push_back(RegisterProvider{r.provider, r.provider_name});
    cmds.push_back(RegisterLocation{r.location, r.provider, r.location_name, r.postcode, r.local_authority});
    UpdateQualityInputs q;
    q.location = r.location;
    q.cqc = cqc_rating_from_text(r.rating);
    cmds.push_back(q);
    const auto tier = tier_of.count(r.location) ? tier_of[r.location] : std::string("tier2");
    std::vector<std::string> served = {zones[r.zone].code};
    if (tier != "tier1") served = {"north", "central", "south"};
    const int capacity = 100 + static_cast<int>(digest_of(r.location) % 400);
    cmds.push_back(ApplyToDps{r.location, hc.code});
    cmds.push_back(AdmitToDps{r.location, hc.code, {"home-care"}, r.categories, served, tier, capacity});
    std::vector<std::string> sl_categories;
    for (const auto& cat : r.categories)
      if (std::find(sl.categories.begin(), sl.categories.end(), cat) != sl.categories.end())
        sl_categories.push_back(cat);
    if (r.supported_living && !sl_categories.empty()) {
      cmds.push_back(ApplyToDps{r.location, sl.code});
      cmds.push_back(AdmitToDps{r.location, sl.code, {"supported-living"}, sl_categories,
                                {"north", "central", "south"}, "framework", capacity / 2});
    }
    ++out.locations;
  }
  out.providers = static_cast<int>(providers.size());
  return out;
}

}  // namespace carebroker::demo
