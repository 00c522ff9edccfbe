// A home-care order's week of calls: names, times and the checks (visit_schedule.h).
#include "engine/market/visit_schedule.h"

#include <algorithm>
#include <array>
#include <charconv>

namespace carebroker::engine {
namespace {

constexpr int kMinutesPerDay = 24 * 60;
constexpr std::array<std::string_view, 7> kWeekdays{"monday", "tuesday",  "wednesday", "thursday",
                                                    "friday", "saturday", "sunday"};

std::string call_text(const VisitCall& c) {
  return std::string(weekday_name(c.weekday)) + " " + format_minute_of_day(c.start_minute) + " for " +
         std::to_string(c.minutes) + " minutes";
}

}  // namespace

std::string_view weekday_name(int weekday) {
  return weekday >= 0 && weekday < 7 ? kWeekdays[static_cast<std::size_t>(weekday)] : std::string_view("?");
}

std::optional<int> parse_weekday(std::string_view text) {
  for (std::size_t i = 0; i < kWeekdays.size(); ++i)
    if (kWeekdays[i] == text) return static_cast<int>(i);
  return std::nullopt;
}

std::string format_minute_of_day(int minute) {
  const int h = minute / 60, m = minute % 60;
  std::string out;
  out += static_cast<char>('0' + h / 10);
  out += static_cast<char>('0' + h % 10);
  out += ':';
  out += static_cast<char>('0' + m / 10);
  out += static_cast<char>('0' + m % 10);
  return minute >= 0 && minute < kMinutesPerDay ? out : std::string("?");
}

std::optional<int> parse_minute_of_day(std::string_view text) {
  if (text.size() != 5 || text[2] != ':') return std::nullopt;
  const auto number = [&](std::size_t at) -> int {
    const char a = text[at], b = text[at + 1];
    if (a < '0' || a > '9' || b < '0' || b > '9') return -1;
    return (a - '0') * 10 + (b - '0');
  };
  const int h = number(0), m = number(3);
  if (h < 0 || h > 23 || m < 0 || m > 59) return std::nullopt;
  return h * 60 + m;
}

std::int64_t person_minutes(const std::vector<VisitCall>& calls) {
  std::int64_t total = 0;
  for (const VisitCall& c : calls) total += c.minutes;
  return total;
}

std::int64_t carer_minutes(const std::vector<VisitCall>& calls) {
  std::int64_t total = 0;
  for (const VisitCall& c : calls) total += static_cast<std::int64_t>(c.minutes) * c.carers;
  return total;
}

bool any_double_handed(const std::vector<VisitCall>& calls) {
  return std::any_of(calls.begin(), calls.end(), [](const VisitCall& c) { return c.carers > 1; });
}

Status check_schedule(std::vector<VisitCall>& calls) {
  if (calls.size() > kMaxCallsPerWeek)
    return reject(Code::schedule_invalid_call, "a schedule has at most " + std::to_string(kMaxCallsPerWeek) +
                                                   " calls a week (12 a day)");
  for (const VisitCall& c : calls) {
    if (c.weekday < 0 || c.weekday > 6)
      return reject(Code::schedule_invalid_call, "weekday " + std::to_string(c.weekday) + " is not 0 (Monday)..6 (Sunday)");
    if (c.start_minute < 0 || c.start_minute >= kMinutesPerDay)
      return reject(Code::schedule_invalid_call, "a call on " + std::string(weekday_name(c.weekday)) +
                                                     " starts outside 00:00..23:59");
    if (c.carers < 1 || c.carers > kMaxCarersPerCall)
      return reject(Code::schedule_invalid_call, "the call " + call_text(c) + " needs 1 or 2 carers, not " +
                                                     std::to_string(c.carers));
    if (c.minutes <= 0)
      return reject(Code::schedule_call_length, "the call on " + std::string(weekday_name(c.weekday)) + " at " +
                                                    format_minute_of_day(c.start_minute) + " has a length of " +
                                                    std::to_string(c.minutes) + " minutes");
    if (c.start_minute + c.minutes > kMinutesPerDay)
      return reject(Code::schedule_call_past_midnight,
                    "the call " + call_text(c) + " ends after midnight: split it into a call on each day");
  }
  std::sort(calls.begin(), calls.end(), [](const VisitCall& a, const VisitCall& b) {
    return a.weekday != b.weekday ? a.weekday < b.weekday : a.start_minute < b.start_minute;
  });
  for (std::size_t i = 1; i < calls.size(); ++i) {
    const VisitCall& a = calls[i - 1];
    const VisitCall& b = calls[i];
    if (a.weekday == b.weekday && b.start_minute < a.start_minute + a.minutes)
      return reject(Code::schedule_calls_overlap, "the call " + call_text(b) + " overlaps the call " + call_text(a));
  }
  return {};
}

}  // namespace carebroker::engine
