#include "sim/synthetic_market.h"

#include <optional>
#include <stdexcept>

#include "engine/market/calendar.h"
#include "engine/person/person_access.h"

namespace carebroker::sim {

std::vector<engine::Command> synthetic_market(const LoadOptions& o, engine::UtcMillis now, person::PersonKeys& keys) {
  using namespace engine;
  std::vector<Command> out;
  out.push_back(DefineCategory{{"older_people", "Older people"}});
  DpsConfig c;
  c.code = kLoadDps;
  c.name = "Load test DPS";
  c.lots = {Lot{"hc", "Home care", Unit::hours, 1000, 9000, 0}};
  c.categories = {"older_people"};
  c.zones = {Zone{"all", "All", {"B1"}}};
  if (o.posting()) c.zones.push_back(Zone{kPostZone, "Posting", {kPostDistrict}});
  c.tiers = {"t1"};
  c.routes = {Route{"all", {}, {"t1"}}};
  out.push_back(ConfigureDps{c});
  for (int i = 0; i < o.locations(); ++i) {
    const std::string p = provider_id(i), l = location_id(i);
    std::vector<std::string> zones;
    if (i < o.connections) zones.push_back("all");  // bids on the packages 1..packages
    if (o.posting() && i < o.post_locations) zones.push_back(kPostZone);  // receives the posted ones
    out.push_back(RegisterProvider{p, p});
    out.push_back(RegisterLocation{l, p, l, "B1 1AA", "Birmingham"});
    out.push_back(ApplyToDps{l, kLoadDps});
    out.push_back(AdmitToDps{l, kLoadDps, {"hc"}, {"older_people"}, zones, "t1", 100});
    UpdateQualityInputs q;
    q.location = l;
    q.cqc = CqcRating::good;
    q.pamms = PammsRating::good;
    q.self_assessment = 70;
    out.push_back(q);
  }
  for (int k = 0; k < o.packages; ++k) {
    PackageSpec s;
    s.dps = kLoadDps;
    s.lot = "hc";
    s.categories = {"older_people"};
    s.postcode_district = "B1";
    s.quantity = 600;
    s.start_date = london_date(now) + 3;
    s.window = 30 * kMillisPerDay;  // stays open for the whole run
    s.officer = "load";
    std::string error;
    std::optional<SealedPerson> sealed = person::seal_new({"Person " + std::to_string(k), "", "", ""}, keys, error);
    if (!sealed) throw std::runtime_error("cannot seal a person: " + error);
    out.push_back(PostPackage{s, std::move(*sealed)});
  }
  return out;
}

}  // namespace carebroker::sim
