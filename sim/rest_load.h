// An open-loop REST load: requests due at fixed intervals (request n at first + n × period),
// sent over a few keep-alive HTTP/1.1 connections with a bearer token, one request at a time
// per connection; a request due while every connection is busy waits in a queue, and that wait
// counts in its latency, which is measured from the intended send time (no coordinated
// omission). Replies other than 2xx, and transport failures, are errors; a failed connection
// reconnects for its next request. Used for the officer's package views, list polls and posts.
// Not thread-safe: every call and handler runs on its io_context's one thread.
#pragma once

#include <boost/asio.hpp>
#include <boost/beast/http/verb.hpp>

#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "sim/latency_histogram.h"
#include "sim/measure_window.h"

namespace carebroker::sim {

struct RestCall {
  boost::beast::http::verb method = boost::beast::http::verb::get;
  std::string target;
  std::string body;  ///< sent as application/json when not empty
};

struct RestReply {
  int status = 0;  ///< 0: no HTTP answer (transport failure)
  std::string body;
  Clock::time_point at;
};

/// What one REST load measured, over the requests intended inside the window.
struct RestFigures {
  LatencyHistogram histogram;  ///< answered with 2xx, from the intended send time
  std::uint64_t offered = 0, ok = 0, errors = 0, unanswered = 0;
  std::string first_error;
};

class RestLoad {
 public:
  using MakeCall = std::function<RestCall(std::uint64_t n)>;
  using OnReply = std::function<void(std::uint64_t n, Clock::time_point intended, const RestReply&)>;

  RestLoad(boost::asio::io_context& ioc, boost::asio::ip::tcp::endpoint endpoint, std::string token,
           int connections, MakeCall make, OnReply on_reply = {});
  ~RestLoad();
  /// Starts sending request n at first + n × period; measures those intended in `window`.
  void start(Clock::time_point first, Clock::duration period, const MeasureWindow& window);
  /// Sends nothing more; requests still unanswered count as unanswered (if in the window).
  void stop();
  const RestFigures& figures() const { return figures_; }

 private:
  class Connection;
  void pace();
  void dispatch();
  void done(std::uint64_t n, const RestReply& reply);
  Clock::time_point intended(std::uint64_t n) const { return first_ + period_ * static_cast<Clock::rep>(n); }

  boost::asio::steady_timer timer_;
  MakeCall make_;
  OnReply on_reply_;
  std::vector<std::shared_ptr<Connection>> connections_;
  std::deque<std::uint64_t> due_;  ///< intended but not yet sent
  Clock::time_point first_;
  Clock::duration period_{};
  std::uint64_t next_ = 0;
  MeasureWindow window_;
  bool stopped_ = false;
  RestFigures figures_;
};

}  // namespace carebroker::sim
