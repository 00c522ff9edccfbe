// A package as a home-care order: the terms checked when it is posted beyond its place in the
// market (its schedule of calls, end date and funding shares), and what they derive — the hours
// a week (carer hours, where a double-handed call counts twice, and the person's hours beside)
// and an offer's value a week. A package posted with the visits summary instead of a schedule
// (the form before schedules) keeps its meaning: `quantity` minutes a week of visits, each with
// two carers when `double_handed`. Pure functions; not thread-safe.
#pragma once

#include <cstdint>

#include "engine/market/codes.h"
#include "engine/market/package.h"

namespace carebroker::engine {

/// Checks the order's terms and fills in what the schedule derives, before the spec is posted:
/// the schedule (visit_schedule.h; sorted), only in an hours lot and not beside a visits summary
/// (visit_pattern_mismatch); `quantity` from the schedule's person minutes when 0, else equal to
/// them (visit_pattern_mismatch); `double_handed` from the calls (true with no double-handed
/// call: visit_pattern_mismatch); an end date after the start (end_date_before_start); the
/// funding shares (funding.h).
Status check_order_terms(PackageSpec& spec, Unit unit);

/// Minutes of care a week the person receives.
std::int64_t weekly_person_minutes(const PackageSpec&);
/// Minutes a week carers are paid for: a double-handed call counts once per carer.
std::int64_t weekly_carer_minutes(const PackageSpec&);
/// What an offer of `price` (per unit of the lot) comes to a week: in an hours lot the hourly rate
/// per carer times the carer hours (to the nearest penny, half up); otherwise the price times the
/// quantity (places or sessions a week).
Pence weekly_value(const PackageSpec&, Unit, Pence price);

}  // namespace carebroker::engine
