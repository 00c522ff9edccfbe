// The fair cost of care of a lot bought in hours, as a cost model (DOMAIN.md "Market shaping and
// the fair cost of care"): a care worker's hourly wage, paid travel time, mileage, holiday,
// training and supervision time, employer National Insurance and pension, office and management
// costs and a surplus turn into a cost per contact hour, line by line, each line in whole pence.
// From it follow the lot's fair cost (the abnormally-low check), the abnormally-low threshold and
// a suggested rate ceiling. Called by the market (ConfigureDps) and by the REST read of a lot's
// fair cost. Pure functions of values; not thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "engine/market/types.h"

namespace carebroker::engine {

/// Hundredths of a percent: 1380 = 13.80%. Percentages of a cost model are in these.
inline constexpr int kBasisPointsPerWhole = 10'000;

/// The inputs of a lot's cost model, per contact hour (an hour of care in the person's home).
/// A lot whose model has no wage (wage_per_hour == 0, the default) has no model: its fair cost is
/// the single `fair_cost` figure it was given, as before cost models existed.
struct CostModel {
  Pence wage_per_hour = 0;                 ///< the care worker's basic hourly pay
  int travel_minutes_per_contact_hour = 0; ///< paid travel time between visits, per contact hour
  int miles_per_100_contact_hours = 0;     ///< miles driven for 100 contact hours
  Pence pence_per_mile = 0;                ///< mileage paid per mile
  int holiday_bp = 0;                      ///< holiday pay, % of paid time (wage + travel)
  int training_bp = 0;                     ///< paid training time, % of paid time
  int supervision_bp = 0;                  ///< paid supervision time, % of paid time
  int employer_ni_bp = 0;                  ///< employer National Insurance, effective % of gross pay
  int pension_bp = 0;                      ///< employer pension, % of gross pay
  Pence office_per_contact_hour = 0;       ///< office (back-office, premises, systems) per contact hour
  Pence management_per_contact_hour = 0;   ///< management (registered manager, coordinators) per contact hour
  int surplus_bp = 0;                      ///< surplus (profit / return), % of all costs above
  int ceiling_pct = 0;                     ///< suggested rate ceiling as % of the cost (100..1000)
  bool operator==(const CostModel&) const = default;

  bool present() const { return wage_per_hour != 0; }
};

/// One line of the cost of a contact hour: what it is, its pence, and the arithmetic that made it
/// ("£12.60 × 12/60 = £2.52"), so a reader can check it by hand.
struct CostLine {
  std::string item;  ///< "contact_pay", "travel_pay", …, "surplus"
  Pence pence = 0;
  std::string arithmetic;
  bool operator==(const CostLine&) const = default;
};

/// The cost of a contact hour, line by line; `total` is the sum of the lines.
struct CostBreakdown {
  std::vector<CostLine> lines;
  Pence gross_pay = 0;    ///< contact and travel pay, holiday, training and supervision
  Pence direct_cost = 0;  ///< gross pay, employer NI, pension and mileage
  Pence total = 0;        ///< the cost per contact hour: the lot's fair cost
};

/// What is wrong with a cost model's inputs (a negative cost, a percentage out of 0..100%, a
/// ceiling under 100%), or "" when it is valid.
std::string cost_model_problem(const CostModel&);

/// The cost per contact hour. Each line is rounded to the nearest penny (halves up) from exact
/// integer arithmetic; percentages apply to the rounded lines above them.
/// REQUIRES: cost_model_problem(model) is empty.
CostBreakdown cost_per_contact_hour(const CostModel&);

/// The lowest price that is not abnormally low: an offer below it is flagged (price × 100 <
/// fair_cost × pct, market_offers.cpp), i.e. fair_cost × pct / 100 rounded up. 0 when fair_cost is 0.
Pence abnormally_low_below(Pence fair_cost, int abnormally_low_pct);

/// The suggested rate ceiling: the cost × ceiling_pct / 100, to the nearest penny (halves up).
Pence suggested_ceiling(Pence cost, int ceiling_pct);

/// "£29.60" (pence as pounds and pence; a minus sign for negatives).
std::string pounds(Pence);

}  // namespace carebroker::engine
