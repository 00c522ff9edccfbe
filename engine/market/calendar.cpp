// Civil-date arithmetic, Europe/London offsets and working days.
#include "engine/market/calendar.h"

#include <algorithm>
#include <charconv>
#include <cstdio>

namespace carebroker::engine {

Date days_from_civil(CivilDate c) {
  const int y = c.year - (c.month <= 2 ? 1 : 0);
  const int era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned mp = c.month > 2 ? c.month - 3 : c.month + 9;
  const unsigned doy = (153 * mp + 2) / 5 + c.day - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int>(doe) - 719468;
}

CivilDate civil_from_days(Date z0) {
  const int z = z0 + 719468;
  const int era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int y = static_cast<int>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return CivilDate{y + (m <= 2 ? 1 : 0), m, d};
}

int weekday(Date d) {
  // 1970-01-01 was a Thursday (3 when Monday is 0).
  const int w = (d + 3) % 7;
  return w < 0 ? w + 7 : w;
}

std::optional<Date> parse_date(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
  for (std::size_t i : {0u, 1u, 2u, 3u, 5u, 6u, 8u, 9u})
    if (s[i] < '0' || s[i] > '9') return std::nullopt;  // YYYY-MM-DD digits only: no signs
  int y = 0;
  unsigned m = 0, d = 0;
  auto num = [&](std::size_t pos, std::size_t len, auto& out) {
    auto [p, ec] = std::from_chars(s.data() + pos, s.data() + pos + len, out);
    return ec == std::errc{} && p == s.data() + pos + len;
  };
  if (!num(0, 4, y) || !num(5, 2, m) || !num(8, 2, d)) return std::nullopt;
  if (m < 1 || m > 12 || d < 1 || d > 31) return std::nullopt;
  const Date days = days_from_civil({y, m, d});
  const CivilDate back = civil_from_days(days);
  if (back.month != m || back.day != d) return std::nullopt;  // e.g. 2026-02-30
  return days;
}

namespace {

/// `n` (0 <= n < 10^width) as `width` digits at `at`; returns the end. Every view formats a
/// few times per offer, and snprintf was a tenth of a package view's cost.
char* put_digits(char* at, unsigned n, int width) {
  for (int i = width - 1; i >= 0; --i, n /= 10) at[i] = static_cast<char>('0' + n % 10);
  return at + width;
}

/// The most a date can take: a year of an int32 day count has at most 7 digits and a sign,
/// then "-MM-DD".
constexpr std::size_t kMaxDateChars = 8 + 6;

/// "YYYY-MM-DD" at `at` (at most kMaxDateChars); returns the end. A year outside 0..9999 (no
/// market reaches one) is written as printf's %04d writes it: "12026", "-001".
char* put_date(char* at, const CivilDate& c) {
  if (c.year >= 0 && c.year <= 9999) {
    at = put_digits(at, static_cast<unsigned>(c.year), 4);
  } else {
    char year[16];
    const int n = std::snprintf(year, sizeof year, "%04d", c.year);
    at = std::copy(year, year + n, at);
  }
  *at++ = '-';
  at = put_digits(at, c.month, 2);
  *at++ = '-';
  return put_digits(at, c.day, 2);
}

/// "HH:MM" at `at` for `into` milliseconds into a day; returns the end.
char* put_hours_minutes(char* at, UtcMillis into) {
  at = put_digits(at, static_cast<unsigned>(into / kMillisPerHour), 2);
  *at++ = ':';
  return put_digits(at, static_cast<unsigned>(into % kMillisPerHour / kMillisPerMinute), 2);
}

UtcMillis floor_div(UtcMillis a, UtcMillis b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

}  // namespace

std::string format_date(Date d) {
  char buf[kMaxDateChars];
  return std::string(buf, put_date(buf, civil_from_days(d)));
}

std::string format_utc(UtcMillis utc) {
  const Date day = static_cast<Date>(floor_div(utc, kMillisPerDay));
  const UtcMillis into = utc - static_cast<UtcMillis>(day) * kMillisPerDay;
  char buf[kMaxDateChars + 14];
  char* at = put_date(buf, civil_from_days(day));
  *at++ = 'T';
  at = put_hours_minutes(at, into);
  *at++ = ':';
  at = put_digits(at, static_cast<unsigned>(into % kMillisPerMinute / 1000), 2);
  *at++ = '.';
  at = put_digits(at, static_cast<unsigned>(into % 1000), 3);
  *at++ = 'Z';
  return std::string(buf, at);
}

namespace {

Date last_sunday(int year, unsigned month) {
  const Date first_of_next =
      month == 12 ? days_from_civil({year + 1, 1, 1}) : days_from_civil({year, month + 1, 1});
  Date d = first_of_next - 1;
  while (weekday(d) != 6) --d;
  return d;
}

}  // namespace

UtcMillis london_offset(UtcMillis utc) {
  const Date utc_day = static_cast<Date>(floor_div(utc, kMillisPerDay));
  const int year = civil_from_days(utc_day).year;
  const UtcMillis bst_start = last_sunday(year, 3) * kMillisPerDay + kMillisPerHour;
  const UtcMillis bst_end = last_sunday(year, 10) * kMillisPerDay + kMillisPerHour;
  return (utc >= bst_start && utc < bst_end) ? kMillisPerHour : 0;
}

Date london_date(UtcMillis utc) {
  return static_cast<Date>(floor_div(utc + london_offset(utc), kMillisPerDay));
}

std::string format_london(UtcMillis utc) {
  const UtcMillis offset = london_offset(utc);
  const UtcMillis local = utc + offset;
  const Date day = static_cast<Date>(floor_div(local, kMillisPerDay));
  const UtcMillis into = local - static_cast<UtcMillis>(day) * kMillisPerDay;
  char buf[kMaxDateChars + 10];
  char* at = put_date(buf, civil_from_days(day));
  *at++ = ' ';
  at = put_hours_minutes(at, into);
  *at++ = ' ';
  const std::string_view zone = offset != 0 ? "BST" : "GMT";
  at = std::copy(zone.begin(), zone.end(), at);
  return std::string(buf, at);
}

UtcMillis london_to_utc(Date date, UtcMillis millis_into_day) {
  const UtcMillis local = static_cast<UtcMillis>(date) * kMillisPerDay + millis_into_day;
  // Try the winter reading first, then summer; pick the one whose offset is self-consistent.
  const UtcMillis as_summer = local - kMillisPerHour;
  if (london_offset(as_summer) == kMillisPerHour) return as_summer;
  return local;
}

bool WorkingCalendar::is_working_day(Date d) const {
  if (weekday(d) >= 5) return false;
  return !std::binary_search(bank_holidays.begin(), bank_holidays.end(), d);
}

UtcMillis WorkingCalendar::add_working_days(UtcMillis from, int days) const {
  const UtcMillis offset = london_offset(from);
  Date day = static_cast<Date>(floor_div(from + offset, kMillisPerDay));
  UtcMillis into = from + offset - static_cast<UtcMillis>(day) * kMillisPerDay;
  if (!is_working_day(day)) {
    while (!is_working_day(day)) ++day;
    into = 9 * kMillisPerHour;
  }
  for (int added = 0; added < days;) {
    ++day;
    if (is_working_day(day)) ++added;
  }
  return london_to_utc(day, into);
}

std::vector<Date> england_and_wales_bank_holidays() {
  static constexpr const char* kDates[] = {
      // 2025
      "2025-01-01", "2025-04-18", "2025-04-21", "2025-05-05", "2025-05-26", "2025-08-25",
      "2025-12-25", "2025-12-26",
      // 2026
      "2026-01-01", "2026-04-03", "2026-04-06", "2026-05-04", "2026-05-25", "2026-08-31",
      "2026-12-25", "2026-12-28",
      // 2027
      "2027-01-01", "2027-03-26", "2027-03-29", "2027-05-03", "2027-05-31", "2027-08-30",
      "2027-12-27", "2027-12-28",
      // 2028
      "2028-01-03", "2028-04-14", "2028-04-17", "2028-05-01", "2028-05-29", "2028-08-28",
      "2028-12-25", "2028-12-26"};
  std::vector<Date> out;
  for (const char* s : kDates) out.push_back(*parse_date(s));
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace carebroker::engine
