// The working-day calendar: civil dates, Europe/London local time, weekends and the England &
// Wales bank holidays (configuration data, set by a command and so journaled).
// Used to compute response windows and the 10-working-day admission clock.
// Pure functions and a value type; not thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/market/types.h"

namespace carebroker::engine {

struct CivilDate {
  int year = 1970;
  unsigned month = 1;  // 1..12
  unsigned day = 1;    // 1..31
};

/// Days since 1970-01-01 for a proleptic Gregorian date (H. Hinnant's algorithm).
Date days_from_civil(CivilDate);
CivilDate civil_from_days(Date);
/// 0 = Monday … 6 = Sunday.
int weekday(Date);

/// "2026-11-24" → Date; nullopt for anything that is not a real calendar date.
std::optional<Date> parse_date(std::string_view);
std::string format_date(Date);
/// "2026-11-24T14:05:00.000Z": an instant in UTC, ISO 8601 with milliseconds.
std::string format_utc(UtcMillis utc);

/// UK civil time: GMT in winter, BST (UTC+1) from 01:00 UTC on the last Sunday of March to
/// 01:00 UTC on the last Sunday of October.
UtcMillis london_offset(UtcMillis utc);
/// The Europe/London calendar date of an instant.
Date london_date(UtcMillis utc);
/// "2026-11-24 14:05 GMT" — how the product displays an instant.
std::string format_london(UtcMillis utc);
/// The instant of a London wall-clock time on a date (for times in the spring-forward gap, the
/// later instant).
UtcMillis london_to_utc(Date date, UtcMillis millis_into_day);

/// Weekends and bank holidays. Bank holidays are kept sorted and unique.
struct WorkingCalendar {
  std::vector<Date> bank_holidays;

  bool operator==(const WorkingCalendar&) const = default;

  bool is_working_day(Date) const;
  /// The same London wall-clock time `days` working days later. Starting on a non-working day
  /// counts from the start of the next working day (09:00 London).
  UtcMillis add_working_days(UtcMillis from, int days) const;
};

/// England & Wales bank holidays 2025–2028 (gov.uk), the demonstration default.
std::vector<Date> england_and_wales_bank_holidays();

}  // namespace carebroker::engine
