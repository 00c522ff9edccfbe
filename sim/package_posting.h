// Posting beside the offers: a brokerage officer posts packages (POST /api/v1/packages) at
// --post-rate per second, open loop, each to zone "post", which --post-locations locations
// serve: the offer connections' locations first, then listening-only provider sessions
// (BroadcastListener) that this class connects. Measured: the post's ack latency (from its
// intended send time) and the broadcast fan-out latency, from the officer's acknowledged post
// to the last of its recipients receiving the package's PackageBroadcast, matched by package id.
// Not thread-safe: runs on the posting thread's io_context; fan_out() after every thread joined.
#pragma once

#include <map>
#include <memory>
#include <vector>

#include "sim/broadcast_listener.h"
#include "sim/load_options.h"
#include "sim/rest_load.h"
#include "sim/server_child.h"

namespace carebroker::sim {

/// The broadcast fan-out of the posts intended inside the window.
struct FanoutFigures {
  LatencyHistogram histogram;  ///< acknowledged post → its last recipient's broadcast
  std::uint64_t complete = 0;       ///< packages every recipient received
  std::uint64_t incomplete = 0;     ///< acknowledged packages some recipient never received in the run
  std::uint64_t before_ack = 0;     ///< complete packages whose last broadcast arrived before the post's ack (counted as 0)
  int recipients = 0;               ///< locations each package goes to
};

class PackagePosting {
 public:
  PackagePosting(boost::asio::io_context& ioc, const boost::asio::ip::tcp::endpoint& endpoint,
                 const LoadOptions& options, const ServerChild& server);
  /// Connects the listening-only sessions; `on_ready` runs once per Welcome.
  void connect(const std::function<void()>& on_ready);
  int listeners() const { return static_cast<int>(listeners_.size()); }
  /// Listener failures so far ("" = none).
  std::string listener_failure() const;
  void start(Clock::time_point first, const MeasureWindow& window);
  void stop();
  const RestFigures& posts() const { return poster_->figures(); }
  /// Matches the acknowledged posts with every recipient's broadcasts: the listeners' and
  /// `offer_logs` (the offer connections'). Call after the run.
  FanoutFigures fan_out(const std::vector<const BroadcastLog*>& offer_logs) const;

 private:
  RestCall post(std::uint64_t n) const;
  bool window_contains(Clock::time_point t) const { return window_.contains(t); }

  const LoadOptions& options_;
  boost::asio::ip::tcp::endpoint endpoint_;
  std::string start_date_;
  std::vector<std::shared_ptr<BroadcastListener>> listeners_;
  std::unique_ptr<RestLoad> poster_;
  MeasureWindow window_;
  std::map<std::uint64_t, Clock::time_point> acked_;  ///< package → its post's ack, posts in the window
};

}  // namespace carebroker::sim
