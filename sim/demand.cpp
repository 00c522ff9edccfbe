// Planning a scenario's demand (demand.h): a Poisson process whose rate follows the shape,
// drawn by thinning, so the hour-by-hour counts vary as real arrivals do.
#include "sim/demand.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>

namespace carebroker::sim {

const char* to_string(Urgency u) {
  switch (u) {
    case Urgency::urgent: return "urgent";
    case Urgency::standard: return "standard";
    case Urgency::planned: return "planned";
  }
  return "standard";
}

namespace {

constexpr double kDay = 86'400, kHour = 3'600;

double mean(const std::vector<double>& v) { return std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(v.size()); }

class Planner {
 public:
  Planner(const Scenario& s, const MarketSpec& market) : s_(s), d_(s.demand), market_(market), rng_(s.seed) {
    for (const auto& c : d_.categories) category_weights_.push_back(c.share);
  }

  std::vector<Arrival> plan() {
    std::vector<Arrival> out;
    const double hourly_mean = mean(d_.hourly), weekday_mean = mean(d_.weekday);
    const double base = d_.packages_per_week / (7 * kDay);  // packages a second, on average
    double peak = base * (*std::max_element(d_.hourly.begin(), d_.hourly.end()) / hourly_mean) *
                  (*std::max_element(d_.weekday.begin(), d_.weekday.end()) / weekday_mean);
    if (d_.winter) peak *= std::max(1.0, d_.winter->factor);
    const double end = s_.days * kDay;
    std::exponential_distribution<double> gap(peak);
    std::uniform_real_distribution<double> unit(0, 1);
    for (double t = gap(rng_); t < end && peak > 0; t += gap(rng_)) {
      const auto day = static_cast<std::size_t>(t / kDay);
      const auto hour = static_cast<std::size_t>(std::fmod(t, kDay) / kHour);
      const bool winter = d_.winter && t >= d_.winter->from_day * kDay && t < d_.winter->to_day * kDay;
      double rate = base * d_.hourly[hour] / hourly_mean * d_.weekday[day % 7] / weekday_mean;
      if (winter) rate *= d_.winter->factor;
      if (unit(rng_) * peak >= rate) continue;  // thinned out
      out.push_back(arrival(t, pick_urgency(), false, winter));
    }
    if (d_.discharge && d_.discharge->packages > 0) {
      std::uniform_real_distribution<double> when(d_.discharge->from_day * kDay, d_.discharge->to_day * kDay);
      for (int i = 0; i < d_.discharge->packages; ++i) {
        const double t = when(rng_);
        const bool winter = d_.winter && t >= d_.winter->from_day * kDay && t < d_.winter->to_day * kDay;
        out.push_back(arrival(t, Urgency::urgent, true, winter));
      }
    }
    std::stable_sort(out.begin(), out.end(), [](const Arrival& a, const Arrival& b) { return a.at_s < b.at_s; });
    return out;
  }

 private:
  Urgency pick_urgency() {
    const double u = std::uniform_real_distribution<double>(0, 1)(rng_);
    if (u < d_.urgent_share) return Urgency::urgent;
    if (u < d_.urgent_share + d_.planned_share) return Urgency::planned;
    return Urgency::standard;
  }

  Arrival arrival(double t, Urgency urgency, bool discharge, bool winter) {
    Arrival a;
    a.at_s = t;
    a.urgency = urgency;
    a.discharge = discharge;
    a.winter = winter;
    const auto& zone = market_.zones[std::uniform_int_distribution<std::size_t>(0, market_.zones.size() - 1)(rng_)];
    a.zone = zone.code;
    a.district = zone.districts[std::uniform_int_distribution<std::size_t>(0, zone.districts.size() - 1)(rng_)];
    a.category = d_.categories[std::discrete_distribution<std::size_t>(category_weights_.begin(), category_weights_.end())(rng_)].category;
    // Hours a week: normal around the mean, in whole quarter hours, at least one.
    const double hours = std::normal_distribution<double>(d_.hours_mean, d_.hours_spread)(rng_);
    a.minutes_per_week = std::max(60, static_cast<int>(std::lround(hours * 4)) * 15);
    const double window_h = urgency == Urgency::urgent   ? d_.window_hours_urgent
                            : urgency == Urgency::planned ? d_.window_hours_planned
                                                          : d_.window_hours_standard;
    a.window_ms = static_cast<std::int64_t>(window_h * kHour * 1000);
    return a;
  }

  const Scenario& s_;
  const DemandSpec& d_;
  const MarketSpec& market_;
  std::mt19937_64 rng_;
  std::vector<double> category_weights_;
};

}  // namespace

std::vector<Arrival> plan_demand(const Scenario& s, const MarketSpec& market) { return Planner(s, market).plan(); }

}  // namespace carebroker::sim
