// The cost per contact hour of a lot's cost model, line by line.
#include "engine/market/cost_model.h"

#include <cstdlib>

namespace carebroker::engine {
namespace {

/// Inputs larger than these are mistakes, and keep the arithmetic far from overflow.
constexpr Pence kMaxPence = 100'000'000;  // £1,000,000 an hour
constexpr int kMaxTravelMinutes = 600;
constexpr int kMaxMilesPer100Hours = 1'000'000;
constexpr int kMaxCeilingPct = 1000;

/// a × b / d to the nearest whole number, halves up. REQUIRES: a, b ≥ 0, d > 0, no overflow.
std::int64_t round_div(std::int64_t a, std::int64_t b, std::int64_t d) { return (2 * a * b + d) / (2 * d); }

std::string percent(int bp) {
  std::string s = std::to_string(bp / 100);
  const int hundredths = bp % 100;
  if (hundredths != 0) s += (hundredths < 10 ? ".0" : ".") + std::to_string(hundredths);
  return s + "%";
}

}  // namespace

std::string pounds(Pence p) {
  const Pence a = std::llabs(p);
  const Pence pence = a % 100;
  return (p < 0 ? "-£" : "£") + std::to_string(a / 100) + (pence < 10 ? ".0" : ".") + std::to_string(pence);
}

std::string cost_model_problem(const CostModel& m) {
  const std::pair<const char*, Pence> money[] = {
      {"wage_per_hour", m.wage_per_hour},
      {"pence_per_mile", m.pence_per_mile},
      {"office_per_contact_hour", m.office_per_contact_hour},
      {"management_per_contact_hour", m.management_per_contact_hour},
  };
  for (const auto& [name, value] : money) {
    if (value < 0) return std::string(name) + " is a negative cost (" + std::to_string(value) + " pence)";
    if (value > kMaxPence) return std::string(name) + " is more than " + pounds(kMaxPence);
  }
  if (m.wage_per_hour == 0) return "a cost model needs the care worker's wage_per_hour";
  if (m.travel_minutes_per_contact_hour < 0 || m.travel_minutes_per_contact_hour > kMaxTravelMinutes)
    return "travel_minutes_per_contact_hour must be 0.." + std::to_string(kMaxTravelMinutes);
  if (m.miles_per_100_contact_hours < 0 || m.miles_per_100_contact_hours > kMaxMilesPer100Hours)
    return "miles_per_100_contact_hours must be 0.." + std::to_string(kMaxMilesPer100Hours);
  const std::pair<const char*, int> shares[] = {
      {"holiday_bp", m.holiday_bp},         {"training_bp", m.training_bp}, {"supervision_bp", m.supervision_bp},
      {"employer_ni_bp", m.employer_ni_bp}, {"pension_bp", m.pension_bp},   {"surplus_bp", m.surplus_bp},
  };
  for (const auto& [name, value] : shares)
    if (value < 0 || value > kBasisPointsPerWhole)
      return std::string(name) + " must be 0..10000 hundredths of a percent (0%..100%), not " + std::to_string(value);
  if (m.ceiling_pct < 100 || m.ceiling_pct > kMaxCeilingPct)
    return "ceiling_pct must be 100..1000 (the suggested ceiling is at least the cost), not " +
           std::to_string(m.ceiling_pct);
  return {};
}

CostBreakdown cost_per_contact_hour(const CostModel& m) {
  CostBreakdown b;
  auto line = [&](std::string item, Pence pence, std::string arithmetic) {
    b.lines.push_back(CostLine{std::move(item), pence, std::move(arithmetic)});
    return pence;
  };
  auto share = [&](std::string item, Pence base, int bp, const std::string& of) {
    const Pence p = round_div(base, bp, kBasisPointsPerWhole);
    return line(std::move(item), p, percent(bp) + " of " + of + " " + pounds(base) + " = " + pounds(p));
  };
  const Pence contact = line("contact_pay", m.wage_per_hour, "wage " + pounds(m.wage_per_hour) + " × 1 contact hour");
  const Pence travel = round_div(m.wage_per_hour, m.travel_minutes_per_contact_hour, 60);
  line("travel_pay", travel,
       "wage " + pounds(m.wage_per_hour) + " × " + std::to_string(m.travel_minutes_per_contact_hour) + "/60 h = " + pounds(travel));
  const Pence paid = contact + travel;
  const Pence holiday = share("holiday", paid, m.holiday_bp, "paid time");
  const Pence training = share("training", paid, m.training_bp, "paid time");
  const Pence supervision = share("supervision", paid, m.supervision_bp, "paid time");
  b.gross_pay = paid + holiday + training + supervision;
  const Pence ni = share("employer_ni", b.gross_pay, m.employer_ni_bp, "gross pay");
  const Pence pension = share("pension", b.gross_pay, m.pension_bp, "gross pay");
  const Pence mileage = round_div(m.miles_per_100_contact_hours, m.pence_per_mile, 100);
  line("mileage", mileage,
       std::to_string(m.miles_per_100_contact_hours) + " miles per 100 contact hours × " +
           std::to_string(m.pence_per_mile) + "p a mile / 100 = " + pounds(mileage));
  b.direct_cost = b.gross_pay + ni + pension + mileage;
  const Pence office = line("office", m.office_per_contact_hour, pounds(m.office_per_contact_hour) + " per contact hour");
  const Pence management =
      line("management", m.management_per_contact_hour, pounds(m.management_per_contact_hour) + " per contact hour");
  const Pence costs = b.direct_cost + office + management;
  const Pence surplus = share("surplus", costs, m.surplus_bp, "costs");
  b.total = costs + surplus;
  return b;
}

Pence abnormally_low_below(Pence fair_cost, int pct) {
  if (fair_cost <= 0 || pct <= 0) return 0;
  return (fair_cost * pct + 99) / 100;
}

Pence suggested_ceiling(Pence cost, int ceiling_pct) { return round_div(cost, ceiling_pct, 100); }

}  // namespace carebroker::engine
