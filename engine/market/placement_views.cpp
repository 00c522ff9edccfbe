// Market: "who is affected" — live placements by provider, location, zone, DPS and category,
// with weekly hours and value and totals per provider; declared capacity against placed hours.
// Read-only; run on a replica.
#include <algorithm>
#include <map>

#include "engine/market/market.h"

namespace carebroker::engine {
namespace {

bool matches(std::string_view wanted, std::string_view actual) { return wanted.empty() || wanted == actual; }

/// rate × minutes / 60, rounded to the nearest penny (halves up).
Pence per_hour(Pence rate, std::int64_t minutes) { return (rate * minutes + 30) / 60; }

}  // namespace

AffectedPlacements Market::affected(const PlacementFilter& f) const {
  AffectedPlacements out;
  std::map<std::string, ProviderExposure> by_provider;
  for (const auto& [id, placement] : placements_) {
    if (!placement.is_live()) continue;
    const Package& p = packages_[id - 1];
    const DpsConfig& config = dps_[p.dps];
    const Location& l = locations_[placement.location];
    if (!matches(f.provider, l.provider_id) || !matches(f.location, l.id) || !matches(f.dps, config.code)) continue;
    const std::string& zone = p.zone >= 0 ? config.zones[p.zone].code : std::string();
    if (!matches(f.zone, zone)) continue;
    const auto& categories = p.spec->categories;
    if (!f.category.empty() && std::find(categories.begin(), categories.end(), f.category) == categories.end()) continue;
    PlacementRow row;
    row.placement = &placement;
    row.location = l.id;
    row.provider = l.provider_id;
    row.dps = config.code;
    row.lot = config.lots[p.lot].code;
    row.zone = zone;
    row.categories = categories;
    row.unit = placement.unit;
    // The hours in force today: an accepted variation counts from its date.
    const std::int64_t quantity = placement.quantity_on(today_);
    if (placement.unit == Unit::hours) {
      // With a schedule of calls in force, carers are paid per call (a double-handed call twice).
      const std::vector<VisitCall>& calls = placement.schedule.empty() ? p.spec->schedule : placement.schedule;
      const bool calls_in_force = !calls.empty() && person_minutes(calls) == quantity;
      row.person_minutes = quantity;
      row.carer_minutes = calls_in_force ? carer_minutes(calls) : quantity * (placement.double_handed ? 2 : 1);
      row.weekly_value = per_hour(placement.rate, row.carer_minutes);
    } else {
      row.units = quantity;
      row.weekly_value = placement.rate * quantity;
    }
    const Provider& provider = providers_[l.provider_index];
    if (provider.in_administration) row.at_risk.push_back("provider in administration");
    if (provider.contract_terminated_in(p.dps)) row.at_risk.push_back("contract terminated under " + config.code);
    if (provider.contract_action_in_force(ContractActionKind::suspension, p.dps))
      row.at_risk.push_back("contract suspended under " + config.code);
    if (provider.contract_action_in_force(ContractActionKind::default_notice, p.dps))
      row.at_risk.push_back("default notice under " + config.code);
    if (placement.status == PlacementStatus::notice) row.at_risk.push_back("handed back");
    if (placement.replacement != 0) row.at_risk.push_back("being re-procured as package " + std::to_string(placement.replacement));
    ProviderExposure& total = by_provider[row.provider];
    total.at_risk += row.at_risk.empty() ? 0 : 1;
    total.provider = row.provider;
    ++total.people;
    total.person_minutes += row.person_minutes;
    total.carer_minutes += row.carer_minutes;
    total.units += row.units;
    total.weekly_value += row.weekly_value;
    out.rows.push_back(std::move(row));
  }
  for (auto& [provider, total] : by_provider) out.providers.push_back(std::move(total));
  return out;
}

std::vector<CapacityRow> Market::capacity(int dps) const {
  std::vector<CapacityRow> out;
  for (LocationIndex i = 0; i < locations_.size(); ++i) {
    const Location& l = locations_[i];
    for (const Membership& m : l.memberships) {
      if ((dps >= 0 && m.dps != dps) || m.status != MembershipStatus::admitted) continue;
      out.push_back(CapacityRow{l.id, l.provider_id, dps_[m.dps].code, m.capacity, placed_load(i, m.dps),
                                at_capacity(i, m.dps)});
    }
  }
  return out;
}

}  // namespace carebroker::engine
