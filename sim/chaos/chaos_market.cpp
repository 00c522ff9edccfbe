// The chaos scenarios' market (chaos_market.h).
#include "sim/chaos/chaos_market.h"

#include <cstdio>

#include "engine/market/calendar.h"
#include "sim/remote_server.h"
#include "sim/scenario.h"
#include "sim/scenario_market.h"

namespace carebroker::sim::chaos {

bool set_up_market(const std::string& scenario_file, unsigned short port, const std::string& admin_token,
                   ChaosMarket& out, std::string& error) {
  auto read = read_scenario_file(scenario_file);
  if (!read.scenario) {
    error = scenario_file + ": " + read.error;
    return false;
  }
  const Scenario& s = *read.scenario;
  if (s.market.source != "scenario") {
    error = "the chaos tool plays a scenario's own market (source \"scenario\"), not " + s.market.source;
    return false;
  }
  const SimMarket market = scenario_market(s, "", 0);
  if (!market.error.empty()) {
    error = market.error;
    return false;
  }
  RemoteServer server;
  if (!server.connect("127.0.0.1", port, admin_token, error) || !server.issue_staff_tokens(error) ||
      !server.set_up_market(market.commands, 4, error))
    return false;
  std::vector<std::string> ids;
  for (const auto& p : market.providers) ids.push_back(p.id);
  if (!server.issue_provider_tokens(ids, 4, error)) return false;
  RemoteClock clock;
  if (!server.read_clock(clock, error)) return false;
  out.admin_token = admin_token;
  out.officer_token = server.officer_token();
  out.dps = s.market.dps;
  out.lot = s.market.lot;
  for (const auto& z : s.market.zones)
    if (!z.districts.empty()) out.districts.push_back(z.districts.front());
  // Categories served by every location of the first group (tier 1 in ci-short): any package
  // in any zone then reaches a location that can bid.
  if (!s.market.providers.empty()) out.categories = s.market.providers.front().categories;
  for (std::size_t i = 0; i < ids.size(); ++i) out.providers.push_back({ids[i], server.provider_tokens()[i]});
  const engine::CivilDate d = engine::civil_from_days(engine::london_date(clock.now) + 14);
  char date[16];
  std::snprintf(date, sizeof date, "%04d-%02u-%02u", d.year, d.month, d.day);
  out.start_date = date;
  return true;
}

}  // namespace carebroker::sim::chaos
