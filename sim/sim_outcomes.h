// The market's outcomes of a carebroker-sim run, from its package records: how long packages
// took to be placed by urgency (and for the hospital-discharge surge), the shares unsourced
// and cascaded (baseline against the winter surge), the average accepted rate against the fair
// cost, and the declared capacity the placements used. Pure.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "sim/run_record.h"
#include "sim/scenario_market.h"

namespace carebroker::sim {

struct SourcingFigures {
  std::uint64_t posted = 0, placed = 0, unsourced = 0, still_open = 0, cascaded = 0;
  double hours_p50 = 0, hours_p90 = 0, hours_max = 0;  ///< simulated hours from post to placed
  double unsourced_rate() const { return placed + unsourced ? double(unsourced) / double(placed + unsourced) : 0; }
  double cascade_rate() const { return posted ? double(cascaded) / double(posted) : 0; }
};

struct Outcomes {
  std::map<std::string, SourcingFigures> by_group;  ///< "all", "urgent", "standard", "planned", "discharge", "baseline", "winter", "reprocured"
  double average_rate = 0;                          ///< pence an hour, over accepted awards
  double rate_vs_fair = 0;                          ///< average_rate ÷ fair cost
  double capacity_used = 0;                         ///< hours placed in the run ÷ hours declared
  double placed_hours_per_week = 0, declared_hours_per_week = 0;
};

Outcomes market_outcomes(const RunRecord& r, const SimMarket& market);

/// Broadcast fan-out of each package posted by an officer: its acknowledged post to the last
/// first-tier broadcast the sim received (ms; 0 when the broadcast beat the acknowledgement).
/// `to_first`: to the first first-tier broadcast instead (the spread between the two is the time
/// the broadcast takes to cross all its recipients' sockets).
std::vector<double> fan_out_ms(const RunRecord& r, bool to_first = false);

}  // namespace carebroker::sim
