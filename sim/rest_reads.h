// Reads beside the offers: a brokerage officer's package views (GET /api/v1/packages/{id},
// round-robin over the packages the offers go to, so each view renders its offers and their
// explanations) at --rest-views per second, and a package-list poll (GET /api/v1/packages, the
// first page of open packages) every --list-poll-ms, as a portal would, and a market report
// (capacity, sourcing and rates in turn, over every date) every --report-poll-ms. Each has its own
// connections and figures. Not thread-safe: runs on the reads thread's io_context.
#pragma once

#include <memory>

#include "sim/load_options.h"
#include "sim/rest_load.h"

namespace carebroker::sim {

class RestReads {
 public:
  RestReads(boost::asio::io_context& ioc, const boost::asio::ip::tcp::endpoint& endpoint, const LoadOptions& options,
            const std::string& officer_token);
  void start(Clock::time_point first, const MeasureWindow& window);
  void stop();
  /// nullptr when that load is off.
  const RestFigures* views() const { return views_ ? &views_->figures() : nullptr; }
  const RestFigures* list_polls() const { return polls_ ? &polls_->figures() : nullptr; }
  const RestFigures* reports() const { return reports_ ? &reports_->figures() : nullptr; }

 private:
  const LoadOptions& options_;
  std::unique_ptr<RestLoad> views_, polls_, reports_;
};

}  // namespace carebroker::sim
