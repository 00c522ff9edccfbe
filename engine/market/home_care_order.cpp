// A package as a home-care order: terms, weekly hours and value (home_care_order.h).
#include "engine/market/home_care_order.h"

#include <string>

#include "engine/market/calendar.h"
#include "engine/market/funding.h"
#include "engine/market/visit_schedule.h"

namespace carebroker::engine {

Status check_order_terms(PackageSpec& s, Unit unit) {
  if (!s.schedule.empty()) {
    if (unit != Unit::hours) return reject(Code::visit_pattern_mismatch, "a schedule of calls needs an hours lot");
    if (s.visits.visits_per_day > 0)
      return reject(Code::visit_pattern_mismatch, "give the schedule or the visits summary, not both");
    if (Status st = check_schedule(s.schedule); !st.ok()) return st;
    const std::int64_t minutes = person_minutes(s.schedule);
    if (s.quantity == 0) s.quantity = minutes;
    if (s.quantity != minutes)
      return reject(Code::visit_pattern_mismatch, "the schedule gives " + std::to_string(minutes) +
                                                      " minutes a week, the quantity says " + std::to_string(s.quantity));
    const bool two = any_double_handed(s.schedule);
    if (s.double_handed && !two)
      return reject(Code::visit_pattern_mismatch, "double_handed, but no call of the schedule has 2 carers");
    s.double_handed = two;
  }
  if (s.end_date != 0 && s.end_date <= s.start_date)
    return reject(Code::end_date_before_start,
                  "end date " + format_date(s.end_date) + " is not after the start " + format_date(s.start_date));
  return check_funding(s.funding, s.funder);
}

std::int64_t weekly_person_minutes(const PackageSpec& s) {
  return s.schedule.empty() ? s.quantity : person_minutes(s.schedule);
}

std::int64_t weekly_carer_minutes(const PackageSpec& s) {
  if (!s.schedule.empty()) return carer_minutes(s.schedule);
  return s.quantity * (s.double_handed ? 2 : 1);
}

Pence weekly_value(const PackageSpec& s, Unit unit, Pence price) {
  if (unit != Unit::hours) return price * s.quantity;
  return (price * weekly_carer_minutes(s) + 30) / 60;
}

}  // namespace carebroker::engine
