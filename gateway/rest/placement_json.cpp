// JSON for live placements; see placement_json.h.
#include "gateway/rest/placement_json.h"

#include "gateway/rest/json_convert.h"

namespace carebroker::gateway::rest {
namespace {

using namespace carebroker::engine;

json::value date_or_null(Date d) { return d == 0 ? json::value(nullptr) : json::value(format_date(d)); }
/// Minutes as hours, e.g. 840 → 14, 90 → 1.5.
json::value hours(std::int64_t minutes) {
  if (minutes % 60 == 0) return json::value(minutes / 60);
  return json::value(static_cast<double>(minutes) / 60.0);
}
json::object visits_json(const VisitPattern& v) {
  return json::object{{"visits_per_day", v.visits_per_day},
                      {"minutes_per_visit", v.minutes_per_visit},
                      {"days_per_week", v.days_per_week}};
}

}  // namespace

json::object placement_json(const Market& m, const Placement& p) {
  const Location& l = m.location(p.location);
  json::object o{{"package", p.package},
                 {"location", l.id},
                 {"location_name", l.name},
                 {"provider", l.provider_id},
                 {"dps", m.dps(p.dps).code},
                 {"status", to_string(p.status)},
                 {"rate", p.rate},
                 {"unit", to_string(p.unit)},
                 {"start", date_or_null(p.start)},
                 {"quantity", p.quantity},
                 {"visits", visits_json(p.visits)},
                 {"double_handed", p.double_handed},
                 {"planned_end", date_or_null(p.planned_end)}};
  put_time(o, "placed_at", p.placed_at);
  const ScheduledEnd end = scheduled_end(p);
  o["ends_on"] = p.is_live() ? date_or_null(end.on) : json::value(nullptr);
  o["ending_reason"] = p.is_live() && end.on != 0 ? json::value(to_string(end.reason)) : json::value(nullptr);
  o["hand_back"] = p.notice_ends == 0 ? json::value(nullptr)
                                      : json::value(json::object{{"notice_ends", format_date(p.notice_ends)},
                                                                 {"reason", p.hand_back_reason}});
  o["replacement"] = p.replacement == 0 ? json::value(nullptr) : json::value(p.replacement);
  if (const PackageId replaces = m.replaces_placement(p.package); replaces != 0) o["replaces"] = replaces;
  o["pending_variation"] =
      !p.has_pending_variation
          ? json::value(nullptr)
          : json::value(json::object{{"quantity", p.pending.quantity},
                                     {"visits", visits_json(p.pending.visits)},
                                     {"schedule", p.pending.schedule.empty()
                                                      ? json::value(nullptr)
                                                      : json::value(schedule_json(p.pending.schedule))},
                                     {"effective", format_date(p.pending.effective)},
                                     {"reason", p.pending.reason},
                                     {"officer", p.pending.officer}});
  // Calls as varied (null: as the package's schedule); the quantity in force today, before an
  // accepted variation's date the earlier one.
  o["schedule"] = p.schedule.empty() ? json::value(nullptr) : json::value(schedule_json(p.schedule));
  o["quantity_in_force"] = p.quantity_on(m.today());
  o["variations"] = p.variations;
  o["varied_from"] = date_or_null(p.varied_from);
  if (p.is_live()) {
    o["ended"] = nullptr;
  } else {
    json::object ended{{"reason", to_string(p.end_reason)}, {"on", format_date(p.ended_on)}, {"by", p.ended_by}};
    put_time(ended, "at", p.ended_at);
    o["ended"] = std::move(ended);
  }
  return o;
}

json::object placement_row_json(const PlacementRow& row) {
  const Placement& p = *row.placement;
  json::array categories;
  for (const auto& c : row.categories) categories.emplace_back(c);
  json::object o{{"package", p.package},
                 {"location", row.location},
                 {"provider", row.provider},
                 {"dps", row.dps},
                 {"lot", row.lot},
                 {"zone", row.zone},
                 {"categories", std::move(categories)},
                 {"status", to_string(p.status)},
                 {"rate", p.rate},
                 {"unit", to_string(row.unit)},
                 {"start", date_or_null(p.start)},
                 {"ends_on", date_or_null(scheduled_end(p).on)},
                 {"hours_per_week", hours(row.person_minutes)},
                 {"carer_hours_per_week", hours(row.carer_minutes)},
                 {"units_per_week", row.units},
                 {"weekly_value", row.weekly_value}};
  json::array at_risk;
  for (const auto& why : row.at_risk) at_risk.emplace_back(why);
  o["at_risk"] = !row.at_risk.empty();
  o["risk_reasons"] = std::move(at_risk);
  return o;
}

json::object provider_exposure_json(const ProviderExposure& e) {
  return json::object{{"provider", e.provider},
                      {"people", e.people},
                      {"hours_per_week", hours(e.person_minutes)},
                      {"carer_hours_per_week", hours(e.carer_minutes)},
                      {"units_per_week", e.units},
                      {"weekly_value", e.weekly_value},
                      {"at_risk", e.at_risk}};
}

json::object capacity_row_json(const CapacityRow& r) {
  return json::object{{"location", r.location},
                      {"provider", r.provider},
                      {"dps", r.dps},
                      {"capacity", r.capacity},
                      {"placed", hours(r.placed_load)},
                      {"at_capacity", r.at_capacity}};
}

}  // namespace carebroker::gateway::rest
