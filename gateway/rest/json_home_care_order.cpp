// JSON ⇄ a package's home-care order terms (json_convert.h): the schedule of calls per weekday,
// the end date, the funder and its shares; and in the officer's view the weekly hours (carer and
// person) and value, the providers' explanations of abnormally low offers and the spot purchase.
#include <string>

#include "engine/market/calendar.h"
#include "engine/market/funding.h"
#include "engine/market/home_care_order.h"
#include "engine/market/visit_schedule.h"
#include "gateway/rest/json_convert.h"

namespace carebroker::gateway::rest {
namespace {

using namespace carebroker::engine;

constexpr std::size_t kMaxCallsPerDay = 12;

/// A funder's stable name; anything else is 422 unknown_funder naming the field.
void read_funder(ObjectReader& r, std::string_view key, Funder& out, Need need) {
  std::string name;
  r.text(key, name, need, 32);
  if (!r.ok() || !r.has(key)) return;
  if (!parse(name, out))
    r.fail(engine::Code::unknown_funder, "field '" + r.name(key) + "': \"" + name +
                                      "\" is not a funder (council, nhs, joint or self_funder)");
}

/// "funding": [{"funder": "council", "percent": 60}, {"funder": "nhs", "percent": 40}].
void read_funding(ObjectReader& r, std::vector<FundingShare>& shares, JsonStatus& status) {
  const json::array* list = r.array("funding", Need::optional, 8);
  if (!list) return;
  shares.clear();
  for (std::size_t i = 0; i < list->size() && status.ok(); ++i) {
    ObjectReader s((*list)[i], "funding[" + std::to_string(i) + "].", status);
    FundingShare share;
    read_funder(s, "funder", share.funder, Need::required);
    s.integer("percent", share.percent, Need::required, -1000, 1000);
    s.finish();
    shares.push_back(share);
  }
}

json::value date_or_null(Date d) { return d == 0 ? json::value(nullptr) : json::value(format_date(d)); }

json::object hours_json(std::int64_t minutes) {
  return {{"minutes", minutes}, {"hours", static_cast<double>(minutes) / 60.0}};
}

}  // namespace

/// Days without calls may be left out.
void read_schedule(ObjectReader& r, std::vector<VisitCall>& calls, JsonStatus& status) {
  const json::value* v = r.object("schedule", Need::optional);
  if (!v) return;
  ObjectReader days(*v, "schedule.", status);
  calls.clear();
  for (int day = 0; day < 7 && status.ok(); ++day) {
    const std::string_view name = weekday_name(day);
    const json::array* list = days.array(name, Need::optional, kMaxCallsPerDay);
    if (!list) continue;
    for (std::size_t i = 0; i < list->size() && status.ok(); ++i) {
      ObjectReader c((*list)[i], days.name(name) + "[" + std::to_string(i) + "].", status);
      VisitCall call{.weekday = day};
      std::string at;
      c.text("at", at, Need::required, 5);
      if (c.ok() && c.has("at")) {
        const auto minute = parse_minute_of_day(at);
        if (!minute) c.fail(GatewayCode::invalid_value, "field '" + c.name("at") + "' must be a time HH:MM, 00:00..23:59");
        call.start_minute = minute.value_or(0);
      }
      c.integer("minutes", call.minutes, Need::required, -24 * 60, 24 * 60);
      c.integer("carers", call.carers, Need::optional, 0, 9);
      c.finish();
      calls.push_back(call);
    }
  }
  days.finish();
}

void read_order_terms(ObjectReader& r, PackageSpec& s, JsonStatus& status) {
  read_schedule(r, s.schedule, status);
  r.date("end_date", s.end_date, Need::optional);
  read_funder(r, "funder", s.funder, Need::optional);
  read_funding(r, s.funding, status);
  // The shares name the funder when the body does not: the one payer, or joint.
  if (status.ok() && !r.has("funder") && !s.funding.empty()) s.funder = summary_funder(s.funding);
}

json::object schedule_json(const std::vector<VisitCall>& calls) {
  json::object days;
  for (const VisitCall& c : calls) {
    json::value& day = days[weekday_name(c.weekday)];
    if (day.is_null()) day = json::array();
    day.as_array().push_back(
        json::object{{"at", format_minute_of_day(c.start_minute)}, {"minutes", c.minutes}, {"carers", c.carers}});
  }
  return days;
}

void put_order_terms(json::object& o, const Market& m, const Package& p) {
  const PackageSpec& s = *p.spec;
  const Unit unit = m.dps(p.dps).lots[p.lot].unit;
  o["schedule"] = s.schedule.empty() ? json::value(nullptr) : json::value(schedule_json(s.schedule));
  o["end_date"] = date_or_null(s.end_date);
  json::array funding;
  if (s.funding.empty())
    funding.push_back(json::object{{"funder", to_string(s.funder)}, {"percent", 100}});
  for (const FundingShare& f : s.funding)
    funding.push_back(json::object{{"funder", to_string(f.funder)}, {"percent", f.percent}});
  o["funding"] = std::move(funding);
  if (unit == Unit::hours)
    o["weekly_hours"] = json::object{{"carer", hours_json(weekly_carer_minutes(s))},
                                     {"person", hours_json(weekly_person_minutes(s))}};
  else
    o["weekly_hours"] = nullptr;
}

void put_offer_order_terms(json::object& o, const Market& m, const Package& p, LocationIndex location, Pence price) {
  const Pence weekly = weekly_value(*p.spec, m.dps(p.dps).lots[p.lot].unit, price);
  o["weekly_value"] = weekly;
  o["weekly_value_display"] = format_pence(weekly);
  json::array confirmed;
  if (const Offer* offer = p.offer_of(location); offer && offer->must_meet_confirmed)
    for (const auto& requirement : p.spec->must_meet) confirmed.emplace_back(requirement);
  o["must_meet_confirmations"] = std::move(confirmed);
  if (const OfferExplanation* e = p.records->explanation_of(location)) {
    json::object x{{"text", e->text}};
    put_time(x, "at", e->at);
    o["provider_explanation"] = std::move(x);
  } else {
    o["provider_explanation"] = nullptr;
  }
}

json::value spot_purchase_json(const Market& m, const Package& p) {
  const SpotPurchase& s = p.records->spot_purchase;
  if (!s.recorded()) return nullptr;
  const Unit unit = m.dps(p.dps).lots[p.lot].unit;
  const Pence weekly = weekly_value(*p.spec, unit, s.rate);
  json::object o{{"provider", s.provider},
                 {"location", s.location},
                 {"off_framework", s.off_framework},
                 {"rate", s.rate},
                 {"rate_display", format_pence(s.rate)},
                 {"unit", to_string(unit)},
                 {"weekly_value", weekly},
                 {"weekly_value_display", format_pence(weekly)},
                 {"reason", s.reason},
                 {"officer", s.officer}};
  put_time(o, "recorded_at", s.at);
  return o;
}

}  // namespace carebroker::gateway::rest
