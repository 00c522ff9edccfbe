// The market a scenario describes, as carebroker-sim's server starts with it: the first-start
// commands (categories, the DPS, every provider and location admitted with its tier, zones,
// categories and declared capacity, and its quality inputs), and what the sim itself must know
// of each location to play it (its provider, behaviour, capacity and wire encoding). For the
// demo source, the demonstration market of Birmingham and Solihull (demo/demo_market.h) with
// one behaviour for every home-care location. Pure: builds values (reads data/ for demo).
#pragma once

#include <string>
#include <vector>

#include "engine/market/commands.h"
#include "sim/scenario.h"

namespace carebroker::sim {

struct SimLocation {
  std::string id, provider;
  std::string tier;
  std::vector<std::string> zones, categories;
  int capacity_hours = 0;
  Behaviour behaviour;
};

struct SimProvider {
  std::string id;
  bool json = false;                   ///< speaks JSON text frames (else FlatBuffers)
  std::vector<std::size_t> locations;  ///< indexes into SimMarket::locations
};

struct SimMarket {
  std::vector<engine::Command> commands;
  MarketSpec spec;                     ///< for demo: the DPS, zones and fair cost as the demo defines them
  std::vector<SimLocation> locations;
  std::vector<SimProvider> providers;
  std::string error;
};

/// REQUIRES: a checked scenario. `data_dir` holds cqc/ and zones.csv (source demo).
SimMarket scenario_market(const Scenario& s, const std::string& data_dir, engine::UtcMillis now);

}  // namespace carebroker::sim
