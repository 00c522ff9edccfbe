#include "sim/rest_reads.h"

#include <string>

#include "sim/synthetic_market.h"

namespace carebroker::sim {

namespace {
constexpr int kViewConnections = 4;  // enough that a slow view does not hold the next ones back
constexpr int kPollConnections = 1;  // a portal's one poll at a time
constexpr int kReportConnections = 1;  // one commissioner's reports, one at a time
constexpr const char* kReports[] = {"capacity", "sourcing", "rates"};  // asked for in turn
}  // namespace

RestReads::RestReads(boost::asio::io_context& ioc, const boost::asio::ip::tcp::endpoint& endpoint,
                     const LoadOptions& options, const std::string& officer_token)
    : options_(options) {
  if (options.rest_views > 0)
    views_ = std::make_unique<RestLoad>(ioc, endpoint, officer_token, kViewConnections, [this](std::uint64_t n) {
      return RestCall{boost::beast::http::verb::get,
                      "/api/v1/packages/" + std::to_string(n % static_cast<std::uint64_t>(options_.packages) + 1), {}};
    });
  if (options.list_poll_ms > 0)
    polls_ = std::make_unique<RestLoad>(ioc, endpoint, officer_token, kPollConnections, [](std::uint64_t) {
      return RestCall{boost::beast::http::verb::get, "/api/v1/packages", {}};
    });
  if (options.report_poll_ms > 0)
    reports_ = std::make_unique<RestLoad>(ioc, endpoint, officer_token, kReportConnections, [](std::uint64_t n) {
      return RestCall{boost::beast::http::verb::get,
                      std::string("/api/v1/reports/") + kReports[n % 3] + "?dps=" + kLoadDps +
                          "&from=2000-01-01&to=2099-12-31",
                      {}};
    });
}

void RestReads::start(Clock::time_point first, const MeasureWindow& window) {
  if (views_) views_->start(first, from_seconds(1.0 / options_.rest_views), window);
  if (polls_) polls_->start(first, from_seconds(options_.list_poll_ms / 1000.0), window);
  if (reports_) reports_->start(first, from_seconds(options_.report_poll_ms / 1000.0), window);
}

void RestReads::stop() {
  if (views_) views_->stop();
  if (polls_) polls_->stop();
  if (reports_) reports_->stop();
}

}  // namespace carebroker::sim
