// The officers (officer_desk.h).
#include "sim/officer_desk.h"

#include <boost/json.hpp>

#include <chrono>

#include "engine/market/calendar.h"
#include "sim/rest_client.h"

namespace carebroker::sim {

namespace json = boost::json;

namespace {

std::string iso_date(engine::Date d) {
  const engine::CivilDate c = engine::civil_from_days(d);
  char text[16];
  std::snprintf(text, sizeof text, "%04d-%02u-%02u", c.year, c.month, c.day);
  return text;
}

void sleep_until_ns(std::int64_t ns) {
  std::this_thread::sleep_until(std::chrono::steady_clock::time_point(std::chrono::nanoseconds(ns)));
}

/// The stable error code of a REST error body, or its status.
std::string rest_code(const RestClient::Reply& r) {
  if (r.status == 0) return "no_answer";
  boost::system::error_code ec;
  const json::value v = json::parse(r.body, ec);
  if (!ec && v.is_object())
    if (const auto* e = v.as_object().if_contains("error"); e && e->is_object())
      if (const auto* c = e->as_object().if_contains("code"); c && c->is_string()) return std::string(c->as_string());
  return "http_" + std::to_string(r.status);
}

}  // namespace

OfficerDesk::OfficerDesk(DeskSetup setup, const std::vector<Arrival>& arrivals, MarketPlayers& players)
    : setup_(std::move(setup)), arrivals_(arrivals), players_(players) {}

void OfficerDesk::start() {
  start_ns_ = players_.play().run_start_ns();
  start_sim_ = players_.play().run_start_sim();
  for (int i = 0; i < std::max(1, setup_.officers); ++i) threads_.emplace_back([this] { work(); });
  if (!setup_.administration_provider.empty()) threads_.emplace_back([this] { administration(); });
}

void OfficerDesk::join() {
  for (auto& t : threads_)
    if (t.joinable()) t.join();
}

void OfficerDesk::work() {
  RestClient rest(setup_.host, setup_.port);
  for (std::size_t i; (i = next_.fetch_add(1)) < arrivals_.size();) {
    const Arrival& a = arrivals_[i];
    const auto intended = setup_.closed_loop ? sequencer::ScaledClock::steady_ns()
                                             : start_ns_ + static_cast<std::int64_t>(a.at_s * 1e9 / setup_.speed);
    if (!setup_.closed_loop) sleep_until_ns(intended);
    // The start date from the market's clock now: tomorrow (urgent), in a week, or in five weeks (planned).
    const engine::UtcMillis sim_now = start_sim_ + static_cast<engine::UtcMillis>(a.at_s * 1000);
    const int days = a.urgency == Urgency::urgent ? 1 : a.urgency == Urgency::planned ? 35 : 7;
    json::object body{{"dps", setup_.dps},
                      {"lot", setup_.lot},
                      {"categories", json::array{json::value(a.category)}},
                      {"postcode_district", a.district},
                      {"quantity", a.minutes_per_week},
                      {"urgency", to_string(a.urgency)},
                      {"start_date", iso_date(engine::london_date(sim_now) + days)},
                      {"window", a.window_ms},
                      {"needs", json::array{"personal care"}},
                      {"outcomes", json::array{"remain independent at home"}},
                      {"person", json::object{{"name", "Simulated person " + std::to_string(i + 1)}}}};
    const auto reply = rest.request("POST", "/api/v1/packages", setup_.officer_token, json::serialize(body),
                                    "sim-" + std::to_string(i + 1));
    const std::int64_t acked = sequencer::ScaledClock::steady_ns();
    std::uint64_t package = 0;
    if (reply.status == 201) {
      boost::system::error_code ec;
      const json::value v = json::parse(reply.body, ec);
      if (!ec && v.is_object())
        if (const auto* p = v.as_object().if_contains("package"); p && p->is_int64()) package = static_cast<std::uint64_t>(p->as_int64());
    }
    const std::string code = package ? std::string() : rest_code(reply);
    players_.post([this, &a, package, intended, acked, code] {
      auto& play = players_.play();
      if (package) play.on_posted(a, package, intended, acked);
      else players_.record().refused("post_" + code);
    });
  }
  ++finished_;
}

void OfficerDesk::administration() {
  if (!setup_.closed_loop) {
    sleep_until_ns(start_ns_ + static_cast<std::int64_t>(setup_.administration_at_s * 1e9 / setup_.speed));
  } else {  // closed loop: once the demand planned before that simulated time has been posted
    std::size_t before = 0;
    while (before < arrivals_.size() && arrivals_[before].at_s < setup_.administration_at_s) ++before;
    while (next_.load() < before) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  // Administration is the organisation's (its locations turn Red, out of new broadcasts); the
  // council then terminates its contract under the DPS, which re-procures its live placements
  // at once as urgent packages.
  RestClient rest(setup_.host, setup_.port);
  const std::string provider = "/api/v1/providers/" + setup_.administration_provider;
  const json::object status{{"in_administration", true}, {"contract_terminated", false}, {"reason", "entered administration (simulated)"}};
  auto reply = rest.request("PUT", provider + "/status", setup_.compliance_token, json::serialize(status), "sim-administration");
  std::string code = reply.status == 200 ? std::string() : rest_code(reply);
  if (code.empty()) {
    const json::object termination{{"dps", setup_.dps}, {"kind", "termination"}, {"owner", "sim-compliance"},
                                   {"notes", "the provider entered administration"}};
    reply = rest.request("POST", provider + "/contract-actions", setup_.compliance_token, json::serialize(termination),
                         "sim-termination");
    if (reply.status != 201 && reply.status != 200) code = rest_code(reply);
  }
  players_.post([this, code] {
    if (code.empty()) players_.record().administration_done = true;
    else players_.record().refused("administration_" + code);
  });
  ++finished_;
}

}  // namespace carebroker::sim
