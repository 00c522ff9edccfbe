// A listening-only provider session: the WebSocket of a location that receives the packages
// posted during a run and does nothing else. It says Hello, reads every frame (a provider that
// stops reading is cut off) and logs each live PackageBroadcast's package and arrival time, so
// the broadcast fan-out can be measured. Not thread-safe: runs on the posting thread's io_context.
#pragma once

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>

#include <functional>
#include <memory>
#include <string>

#include "sim/measure_window.h"

namespace carebroker::sim {

class BroadcastListener : public std::enable_shared_from_this<BroadcastListener> {
 public:
  BroadcastListener(boost::asio::io_context& ioc, int index, std::string token);
  /// Connects, upgrades and says Hello; `on_ready` runs at the Welcome.
  void start(const boost::asio::ip::tcp::endpoint& endpoint, std::function<void()> on_ready);
  void stop() { stopped_ = true; }
  const BroadcastLog& broadcasts() const { return broadcasts_; }
  /// Why the connection failed ("" = it did not).
  const std::string& failure() const { return failure_; }

  template <typename Self, typename Opened>
  friend void open_provider_socket(std::shared_ptr<Self>, const boost::asio::ip::tcp::endpoint&, Opened);

 private:
  void read();
  void fail(const char* what, boost::beast::error_code ec);

  boost::beast::websocket::stream<boost::beast::tcp_stream> ws_;
  int index_;
  std::string token_;
  std::string hello_;  ///< owned here until its write completes
  std::function<void()> on_ready_;
  boost::beast::flat_buffer buffer_;
  BroadcastLog broadcasts_;
  bool stopped_ = false;
  std::string failure_;
};

}  // namespace carebroker::sim
