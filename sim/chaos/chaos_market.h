// The market every chaos scenario plays on: a scenario file's market (sim/scenarios/, by
// default ci-short: ten locations in three zones) set up through the REST API of a server the
// chaos tool started on an empty simulation store, as carebroker-sim does by URL
// (sim/remote_server.h), with tokens for an officer and every provider. What the officer posts
// (zones, districts, categories the locations serve) comes from the same scenario.
// Used from the scenario's main thread.
#pragma once

#include <string>
#include <vector>

#include "sim/chaos/chaos_provider.h"

namespace carebroker::sim::chaos {

struct ChaosMarket {
  std::string admin_token, officer_token;
  std::string dps, lot;
  std::vector<std::string> districts;    ///< one postcode district per zone
  std::vector<std::string> categories;   ///< categories every tier-1 location serves
  std::vector<ProviderIdentity> providers;
  std::string start_date;                ///< a start date two weeks after the market's clock at set-up
};

/// Sets the scenario's market up on the server at 127.0.0.1:`port`; false with `error`.
bool set_up_market(const std::string& scenario_file, unsigned short port, const std::string& admin_token,
                   ChaosMarket& out, std::string& error);

}  // namespace carebroker::sim::chaos
