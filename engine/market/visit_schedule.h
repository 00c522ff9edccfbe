// A home-care order's week: the calls a package asks for, each on a weekday at a time of day,
// with its length and how many carers it needs (2 = double-handed), and the weekly hours derived
// from them. A schedule is part of the posted PackageSpec (shared by every market). Checked once,
// when a package is posted (check_schedule). Plain values and pure functions; not thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/market/codes.h"

namespace carebroker::engine {

/// One call of the week.
struct VisitCall {
  int weekday = 0;       ///< 0 = Monday … 6 = Sunday
  int start_minute = 0;  ///< minutes after midnight (London time), 0..1439
  int minutes = 0;       ///< the call's length
  int carers = 1;        ///< 1, or 2 for a double-handed call
  bool operator==(const VisitCall&) const = default;
};

inline constexpr int kMaxCarersPerCall = 2;
inline constexpr std::size_t kMaxCallsPerWeek = 7 * 12;

/// "monday" … "sunday" for 0..6.
std::string_view weekday_name(int weekday);
/// 0..6 for "monday" … "sunday"; nullopt for anything else.
std::optional<int> parse_weekday(std::string_view);
/// "08:30" for 510.
std::string format_minute_of_day(int minute);
/// 510 for "08:30"; nullopt unless HH:MM with HH 00..23 and MM 00..59.
std::optional<int> parse_minute_of_day(std::string_view);

/// Minutes of care the person receives in a week: every call once.
std::int64_t person_minutes(const std::vector<VisitCall>&);
/// Minutes carers are paid for in a week: a double-handed call counts once per carer.
std::int64_t carer_minutes(const std::vector<VisitCall>&);
/// Whether any call needs two carers.
bool any_double_handed(const std::vector<VisitCall>&);

/// Sorts the schedule by weekday and start time, or reports the first thing wrong with it:
/// schedule_invalid_call (weekday outside 0..6, start outside 00:00..23:59, carers not 1 or 2,
/// too many calls), schedule_call_length (a length of zero or less), schedule_call_past_midnight
/// (a call that would end after 24:00 of its day), schedule_calls_overlap (two calls of one day
/// that overlap; one may start when the other ends).
Status check_schedule(std::vector<VisitCall>& calls);

}  // namespace carebroker::engine
