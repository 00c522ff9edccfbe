// The demand a scenario puts on the market, planned before the run from its seed: every package
// an officer will post, when (simulated seconds from the run's start) and what — zone, category,
// urgency, hours a week, response window — following the baseline's daily and weekly shape,
// × the winter surge's factor over its days, plus the hospital-discharge surge's urgent
// packages. The same scenario and seed always plan the same demand. Pure.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sim/scenario.h"

namespace carebroker::sim {

enum class Urgency { urgent, standard, planned };
const char* to_string(Urgency);

struct Arrival {
  double at_s = 0;           ///< simulated seconds after the run's start
  std::string zone, district, category;
  Urgency urgency = Urgency::standard;
  int minutes_per_week = 0;
  std::int64_t window_ms = 0;  ///< the package's response window, simulated
  bool discharge = false;      ///< from the hospital-discharge surge
  bool winter = false;         ///< posted while the winter surge is on
};

/// REQUIRES: a checked scenario; `market` with its zones (a demo market's, for source demo).
/// In time order.
std::vector<Arrival> plan_demand(const Scenario& s, const MarketSpec& market);

}  // namespace carebroker::sim
