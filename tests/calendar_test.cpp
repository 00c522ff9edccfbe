// The working-day calendar: civil dates, Europe/London time and the bank-holiday clock that
// drives response windows and the 10-working-day admission decision.
#include <algorithm>

#include "market_fixture.h"

using namespace carebroker::testing;

namespace {

Date date(const char* text) {
  const auto d = parse_date(text);
  REQUIRE(d);
  return *d;
}

UtcMillis utc(const char* day, int hour, int minute = 0) {
  return static_cast<UtcMillis>(date(day)) * kMillisPerDay + hour * kMillisPerHour +
         minute * kMillisPerMinute;
}

UtcMillis london(const char* day, int hour, int minute = 0) {
  return london_to_utc(date(day), hour * kMillisPerHour + minute * kMillisPerMinute);
}

WorkingCalendar england() { return WorkingCalendar{england_and_wales_bank_holidays()}; }

}  // namespace

TEST_CASE("civil dates round-trip through days since 1970", "[calendar]") {
  CHECK(days_from_civil({1970, 1, 1}) == 0);
  CHECK(days_from_civil({1970, 1, 2}) == 1);
  CHECK(days_from_civil({1969, 12, 31}) == -1);
  CHECK(days_from_civil({2000, 3, 1}) - days_from_civil({2000, 2, 28}) == 2);  // 2000 is a leap year
  CHECK(days_from_civil({1900, 3, 1}) - days_from_civil({1900, 2, 28}) == 1);  // 1900 is not
  CHECK(days_from_civil({2026, 11, 23}) == 20780);

  for (Date d = -800; d < 40'000; d += 7) {
    const CivilDate c = civil_from_days(d);
    INFO("day " << d << " → " << c.year << "-" << c.month << "-" << c.day);
    REQUIRE(days_from_civil(c) == d);
    REQUIRE(parse_date(format_date(d)) == d);
  }
  const CivilDate leap = civil_from_days(days_from_civil({2028, 2, 29}));
  CHECK(leap.year == 2028);
  CHECK(leap.month == 2u);
  CHECK(leap.day == 29u);
}

TEST_CASE("format_date and parse_date speak ISO 8601 dates", "[calendar]") {
  CHECK(format_date(0) == "1970-01-01");
  CHECK(format_date(kMonday) == "2026-11-23");
  CHECK(parse_date("2024-02-29") == days_from_civil({2024, 2, 29}));
  CHECK(parse_date("2026-12-31") == days_from_civil({2026, 12, 31}));
}

TEST_CASE("parse_date rejects anything that is not a real calendar date", "[calendar]") {
  for (const char* bad : {"2026-02-30", "2026-13-01", "26-01-01", "", "2026-02-29", "2026-00-10",
                          "2026-01-00", "2026-01-32", "2026/01/01", "2026-1-01", "2026-01-1x",
                          "20260101", "2026-04-31", "abcd-ef-gh", "2026-01-01T00"}) {
    INFO("\"" << bad << "\"");
    CHECK_FALSE(parse_date(bad).has_value());
  }
}

TEST_CASE("weekday counts Monday as 0 and Sunday as 6", "[calendar]") {
  CHECK(weekday(0) == 3);  // 1 January 1970 was a Thursday
  CHECK(weekday(kMonday) == 0);
  CHECK(weekday(date("2026-12-25")) == 4);  // Christmas 2026 is a Friday
  CHECK(weekday(date("2026-12-26")) == 5);
  CHECK(weekday(date("2026-12-27")) == 6);
  CHECK(weekday(-1) == 2);  // 31 December 1969, a Wednesday
  CHECK(weekday(-7) == 3);
}

TEST_CASE("London is on BST from 01:00 UTC on the last Sunday of March", "[calendar]") {
  const UtcMillis change = utc("2026-03-29", 1);
  CHECK(london_offset(change - 1) == 0);
  CHECK(london_offset(change) == kMillisPerHour);
  CHECK(london_offset(utc("2026-03-28", 12)) == 0);
  CHECK(london_offset(utc("2026-07-01", 12)) == kMillisPerHour);
  CHECK(format_london(change - kMillisPerMinute) == "2026-03-29 00:59 GMT");
  CHECK(format_london(change) == "2026-03-29 02:00 BST");
}

TEST_CASE("London goes back to GMT at 01:00 UTC on the last Sunday of October", "[calendar]") {
  const UtcMillis change = utc("2026-10-25", 1);
  CHECK(london_offset(change - 1) == kMillisPerHour);
  CHECK(london_offset(change) == 0);
  CHECK(london_offset(utc("2026-10-26", 0)) == 0);
  CHECK(london_offset(utc("2026-12-25", 12)) == 0);
  CHECK(format_london(change - kMillisPerMinute) == "2026-10-25 01:59 BST");
  CHECK(format_london(change) == "2026-10-25 01:00 GMT");
}

TEST_CASE("format_london shows the wall clock with GMT or BST", "[calendar]") {
  CHECK(format_london(utc("2026-11-24", 14, 5)) == "2026-11-24 14:05 GMT");
  CHECK(format_london(utc("2026-07-01", 13, 5)) == "2026-07-01 14:05 BST");
  CHECK(format_london(kMonday9am) == "2026-11-23 09:00 GMT");
  // Late evening UTC in summer is already tomorrow in London.
  CHECK(format_london(utc("2026-06-30", 23, 30)) == "2026-07-01 00:30 BST");
  CHECK(london_date(utc("2026-06-30", 23, 30)) == date("2026-07-01"));
  CHECK(london_date(utc("2026-12-30", 23, 30)) == date("2026-12-30"));
}

TEST_CASE("london_to_utc reads a wall-clock time in the season of that date", "[calendar]") {
  CHECK(london("2026-11-23", 9) == utc("2026-11-23", 9));
  CHECK(london("2026-07-01", 9) == utc("2026-07-01", 8));
  // 01:30 on 29 March 2026 does not exist in London: the later instant (02:30 BST) is taken.
  CHECK(format_london(london("2026-03-29", 1, 30)) == "2026-03-29 02:30 BST");
  for (const char* day : {"2026-01-15", "2026-03-28", "2026-03-30", "2026-08-01", "2026-10-26"}) {
    INFO(day);
    CHECK(london_date(london(day, 12)) == date(day));
  }
}

TEST_CASE("weekends and England & Wales bank holidays are not working days", "[calendar]") {
  const WorkingCalendar cal = england();
  CHECK(cal.is_working_day(date("2026-12-24")));
  CHECK_FALSE(cal.is_working_day(date("2026-12-25")));
  CHECK_FALSE(cal.is_working_day(date("2026-12-26")));  // Saturday
  CHECK_FALSE(cal.is_working_day(date("2026-12-28")));  // substitute for Boxing Day
  CHECK(cal.is_working_day(date("2026-12-29")));
  CHECK_FALSE(cal.is_working_day(date("2027-01-01")));
  CHECK_FALSE(cal.is_working_day(date("2026-08-31")));  // summer bank holiday
  // Without the bank-holiday list only weekends are off.
  CHECK(WorkingCalendar{}.is_working_day(date("2026-12-25")));
  CHECK(std::is_sorted(cal.bank_holidays.begin(), cal.bank_holidays.end()));
}

TEST_CASE("add_working_days keeps the wall-clock time and skips the weekend", "[calendar]") {
  const WorkingCalendar cal = england();
  CHECK(format_london(cal.add_working_days(utc("2026-11-27", 14), 1)) == "2026-11-30 14:00 GMT");
  CHECK(format_london(cal.add_working_days(utc("2026-11-26", 14), 2)) == "2026-11-30 14:00 GMT");
  CHECK(format_london(cal.add_working_days(kMonday9am, 5)) == "2026-11-30 09:00 GMT");
  CHECK(cal.add_working_days(kMonday9am, 0) == kMonday9am);
}

TEST_CASE("add_working_days skips Christmas Day and the Boxing Day substitute in 2026",
          "[calendar]") {
  const WorkingCalendar cal = england();
  const UtcMillis wed = utc("2026-12-23", 9);
  CHECK(format_london(cal.add_working_days(wed, 1)) == "2026-12-24 09:00 GMT");
  CHECK(format_london(cal.add_working_days(wed, 2)) == "2026-12-29 09:00 GMT");
  CHECK(format_london(cal.add_working_days(utc("2026-12-24", 16, 30), 1)) ==
        "2026-12-29 16:30 GMT");
  // The same days with no bank holidays known: only the weekend is skipped.
  CHECK(format_london(WorkingCalendar{}.add_working_days(wed, 2)) == "2026-12-25 09:00 GMT");
}

TEST_CASE("add_working_days from a weekend counts from the next working day at 09:00 London",
          "[calendar]") {
  const WorkingCalendar cal = england();
  const UtcMillis saturday = utc("2026-11-28", 15, 45);
  CHECK(format_london(cal.add_working_days(saturday, 0)) == "2026-11-30 09:00 GMT");
  CHECK(format_london(cal.add_working_days(saturday, 1)) == "2026-12-01 09:00 GMT");
  CHECK(format_london(cal.add_working_days(saturday, 2)) == "2026-12-02 09:00 GMT");
  // Christmas Day itself counts from Tuesday 29 December.
  CHECK(format_london(cal.add_working_days(utc("2026-12-25", 11), 1)) == "2026-12-30 09:00 GMT");
  // Saturday in summer: 09:00 BST, not 09:00 UTC.
  CHECK(format_london(cal.add_working_days(utc("2026-07-04", 10), 1)) == "2026-07-07 09:00 BST");
}

TEST_CASE("add_working_days keeps London wall-clock time across a clock change", "[calendar]") {
  const WorkingCalendar cal = england();
  const UtcMillis friday_bst = london("2026-10-23", 10);  // 09:00 UTC
  const UtcMillis monday_gmt = cal.add_working_days(friday_bst, 1);
  CHECK(format_london(monday_gmt) == "2026-10-26 10:00 GMT");
  CHECK(monday_gmt - friday_bst == 3 * kMillisPerDay + kMillisPerHour);
  const UtcMillis friday_gmt = london("2026-03-27", 10);
  CHECK(format_london(cal.add_working_days(friday_gmt, 1)) == "2026-03-30 10:00 BST");
}

TEST_CASE("the market's clock never moves backwards: an earlier tick is refused with clock_moved_backwards", "[calendar]") {
  MarketFixture f;
  f.advance(kMillisPerHour);
  const UtcMillis now = f.market.now();
  const std::uint64_t before = f.market.digest();
  const Reply back = f.run(Tick{now - 1});
  CHECK(back.status.code == Code::clock_moved_backwards);
  CHECK(back.status.detail.find(std::to_string(now)) != std::string::npos);
  CHECK(f.market.now() == now);
  CHECK(f.market.digest() == before);
  CHECK(f.run(Tick{now}).ok());  // the same time again moves nothing and is not an error
}

TEST_CASE("instants are written the same way in every year, four-digit or not", "[calendar][rest]") {
  CHECK(format_utc(kMonday9am) == "2026-11-23T09:00:00.000Z");
  CHECK(format_utc(kMonday9am + 14 * kMillisPerHour + 5 * kMillisPerMinute + 7'089) == "2026-11-23T23:05:07.089Z");
  CHECK(format_utc(-1) == "1969-12-31T23:59:59.999Z");
  CHECK(format_london(london_to_utc(*parse_date("2026-07-01"), 9 * kMillisPerHour)) == "2026-07-01 09:00 BST");
  // Outside years 0..9999 (no market reaches them, but nothing breaks): printf's own form.
  const Date far = days_from_civil({12026, 1, 2});
  CHECK(format_date(far) == "12026-01-02");
  CHECK(format_utc(static_cast<UtcMillis>(far) * kMillisPerDay) == "12026-01-02T00:00:00.000Z");
  CHECK(format_london(static_cast<UtcMillis>(far) * kMillisPerDay) == "12026-01-02 00:00 GMT");
  CHECK(format_date(days_from_civil({-1, 12, 31})) == "-001-12-31");
  // As wide as a year of a day count gets: seven digits and a sign.
  CHECK(format_date(days_from_civil({1000000, 1, 1})) == "1000000-01-01");
  CHECK(format_london(static_cast<UtcMillis>(days_from_civil({-1000000, 12, 31})) * kMillisPerDay) ==
        "-1000000-12-31 00:00 GMT");
}
