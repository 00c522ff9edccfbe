// One provider's offer connection (the subject of a carebroker-load run): a WebSocket on /ws that
// authenticates with a Hello, then places an offer on each of the packages 1..packages and
// amends it ever after, round-robin, with FlatBuffers frames. Open loop: requests are due at
// fixed intervals and sent by pace() (one pacer for all connections); closed loop: a fixed
// number in flight. Acks and errors are matched by request id ("r<n>") to each request's
// intended send time. It also logs the live broadcasts it receives (for the posting figures).
// Not thread-safe: every call and handler runs on the offer thread's io_context.
#pragma once

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>

#include <deque>
#include <functional>
#include <memory>
#include <string>

#include "sim/latency_histogram.h"
#include "sim/load_options.h"
#include "sim/measure_window.h"

namespace carebroker::wire {
struct Error;
}

namespace carebroker::sim {

/// The offers' figures, shared by every offer connection (one thread).
struct OfferFigures {
  LatencyHistogram histogram;                         ///< ack latency from the intended send time
  std::uint64_t acked = 0, errors = 0, sent = 0, offered = 0;  ///< acked/errors/offered: in the window
  std::string first_error;
};

class OfferConnection : public std::enable_shared_from_this<OfferConnection> {
 public:
  OfferConnection(boost::asio::io_context& ioc, const LoadOptions& options, const MeasureWindow& window,
                  OfferFigures& figures, int index, std::string token);

  /// Connects, upgrades and says Hello; `on_ready` runs at the Welcome.
  void start(const boost::asio::ip::tcp::endpoint& endpoint, std::function<void()> on_ready);
  /// Open loop: requests at `period` intervals from `first`, sent by pace().
  void run_open_loop(Clock::time_point first, Clock::duration period);
  /// Sends every request whose intended time has passed (the intended time is what we measure from).
  void pace(Clock::time_point now);
  /// Closed loop: keep `inflight` outstanding.
  void run_closed_loop(int inflight);
  void stop() { stopped_ = true; }
  /// The live package broadcasts this connection received (its location may be a recipient).
  const BroadcastLog& broadcasts() const { return broadcasts_; }

  template <typename Self, typename Opened>
  friend void open_provider_socket(std::shared_ptr<Self>, const boost::asio::ip::tcp::endpoint&, Opened);

 private:
  void send_offer(Clock::time_point intended);
  void send(std::string frame);
  void write();
  void read();
  void on_frame();
  void on_error(const wire::Error* e, Clock::time_point now);
  void record(const std::string& rid, Clock::time_point now, bool error);
  void fail(const char* what, boost::beast::error_code ec);

  boost::beast::websocket::stream<boost::beast::tcp_stream> ws_;
  const LoadOptions& options_;
  const MeasureWindow& window_;
  OfferFigures& figures_;
  int index_;
  std::string token_;
  std::string location_;
  std::function<void()> on_ready_;
  boost::beast::flat_buffer buffer_;
  std::deque<std::string> outbox_;
  bool writing_ = false;
  bool stopped_ = false;
  bool closed_loop_ = false;
  Clock::time_point next_;
  Clock::duration period_{};
  std::uint64_t next_request_ = 0;
  std::vector<Clock::time_point> intended_;
  BroadcastLog broadcasts_;
};

}  // namespace carebroker::sim
