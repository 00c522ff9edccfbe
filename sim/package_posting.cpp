#include "sim/package_posting.h"

#include <algorithm>
#include <cstdlib>
#include <unordered_map>

#include "engine/market/calendar.h"
#include "engine/sequencer/clock.h"
#include "sim/synthetic_market.h"

namespace carebroker::sim {

namespace {

constexpr int kPostConnections = 4;  // posts wait for a durable batch: a few may be in flight

/// The package number in a 201 reply's {"ok":true,"package":N}, or 0.
std::uint64_t posted_package(const std::string& body) {
  const auto at = body.find("\"package\":");
  return at == std::string::npos ? 0 : std::strtoull(body.c_str() + at + 10, nullptr, 10);
}

}  // namespace

PackagePosting::PackagePosting(boost::asio::io_context& ioc, const boost::asio::ip::tcp::endpoint& endpoint,
                               const LoadOptions& options, const ServerChild& server)
    : options_(options), endpoint_(endpoint),
      start_date_(engine::format_date(engine::london_date(sequencer::SystemClock().now()) + 3)) {
  for (int i = options.connections; i < options.post_locations; ++i)
    listeners_.push_back(std::make_shared<BroadcastListener>(ioc, i, server.provider_token(i)));
  poster_ = std::make_unique<RestLoad>(
      ioc, endpoint, server.officer_token(), kPostConnections, [this](std::uint64_t n) { return post(n); },
      [this](std::uint64_t, Clock::time_point intended, const RestReply& reply) {
        if (reply.status == 201 && window_contains(intended))
          if (const std::uint64_t package = posted_package(reply.body)) acked_[package] = reply.at;
      });
}

RestCall PackagePosting::post(std::uint64_t n) const {
  std::string body = R"({"dps":")" + std::string(kLoadDps) + R"(","lot":"hc","categories":["older_people"],"zone":")" +
                     kPostZone + R"(","postcode_district":")" + kPostDistrict + R"(","quantity":600,"start_date":")" +
                     start_date_ + R"(","window":2592000000,"person":{"name":"Posted person )" + std::to_string(n) + R"("}})";
  return RestCall{boost::beast::http::verb::post, "/api/v1/packages", std::move(body)};
}

void PackagePosting::connect(const std::function<void()>& on_ready) {
  for (auto& l : listeners_) l->start(endpoint_, on_ready);
}

std::string PackagePosting::listener_failure() const {
  for (const auto& l : listeners_)
    if (!l->failure().empty()) return l->failure();
  return "";
}

void PackagePosting::start(Clock::time_point first, const MeasureWindow& window) {
  window_ = window;
  poster_->start(first, from_seconds(1.0 / options_.post_rate), window);
}

void PackagePosting::stop() {
  poster_->stop();
  for (auto& l : listeners_) l->stop();
}

FanoutFigures PackagePosting::fan_out(const std::vector<const BroadcastLog*>& offer_logs) const {
  struct Arrivals {
    int count = 0;
    Clock::time_point last;
  };
  std::unordered_map<std::uint64_t, Arrivals> arrivals;
  auto add = [&](const BroadcastLog& log) {
    for (const auto& r : log) {
      if (!acked_.contains(r.package)) continue;
      Arrivals& a = arrivals[r.package];
      ++a.count;
      a.last = std::max(a.last, r.at);
    }
  };
  for (const auto& l : listeners_) add(l->broadcasts());
  for (const auto* log : offer_logs) add(*log);
  FanoutFigures f;
  f.recipients = options_.post_locations;
  for (const auto& [package, ack] : acked_) {
    const auto it = arrivals.find(package);
    if (it == arrivals.end() || it->second.count < f.recipients) {
      ++f.incomplete;
      continue;
    }
    ++f.complete;
    if (it->second.last < ack) ++f.before_ack;
    f.histogram.record(nanoseconds_between(ack, it->second.last));
  }
  return f;
}

}  // namespace carebroker::sim
