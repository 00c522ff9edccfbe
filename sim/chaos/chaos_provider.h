// A provider under chaos: one WebSocket (JSON frames) that reconnects whenever the server goes
// away — 50 ms after any failure, until stop() — and on each Welcome sends again every command
// not yet answered (same request id, same frame: the server's idempotency answers a retry of a
// command that was durable with its original ack). It bids once on every package broadcast to
// its locations (or open in a snapshot), accepts four awards in five and declines the fifth,
// and records every acknowledgement it receives: those are what the server promised.
// Steady mode (the flood scenario's well-behaved client): once a package is broadcast to it, it
// amends its offer on it every `steady_period`, so it always has something to be answered.
// Threading: every call but the constructor runs on (or is posted to) the io_context's thread;
// tallies() once that thread has stopped.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/websocket/stream.hpp>

#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace carebroker::sim::chaos {

/// One acknowledged command: what the server answered "durable" to.
struct AckedCommand {
  char kind = 'o';  ///< o: PlaceOffer, a: AcceptAward, d: DeclineAward
  std::string provider, request_id, location;
  std::uint64_t package = 0;
};

struct ProviderTallies {
  std::uint64_t sent = 0, acked = 0, refused = 0, connects = 0;
  std::map<std::string, std::uint64_t> refused_by_code;
  std::vector<AckedCommand> acks;
  std::vector<std::int64_t> ack_ns;  ///< steady time of each ack (steady mode's figures)
};

struct ProviderIdentity {
  std::string id, token;
};

class ChaosProvider : public std::enable_shared_from_this<ChaosProvider> {
 public:
  ChaosProvider(boost::asio::io_context& ioc, std::string host, unsigned short port, ProviderIdentity who,
                std::chrono::milliseconds steady_period = std::chrono::milliseconds(0));
  void start();
  /// Closes the socket and stops reconnecting (posted to the io thread).
  void stop();
  /// Steady mode: sends no more amendments (those sent are still answered).
  void pause_steady();
  const ProviderTallies& tallies() const { return tallies_; }
  /// Commands sent and never answered (their outcome is unknown to the client).
  std::size_t unanswered() const { return pending_.size(); }

 private:
  using Socket = boost::beast::websocket::stream<boost::beast::tcp_stream>;
  struct Pending {
    AckedCommand command;
    std::string frame;
  };
  void connect();
  void fail();
  void read();
  void on_frame(const std::string& text);
  void on_snapshot(const std::string& text);
  void bid(std::uint64_t package, const std::string& location, const std::string& start_date,
           const std::vector<std::string>& must_meet);
  void answer(std::uint64_t package, const std::string& location);
  void command(AckedCommand c, std::string frame);
  void send(std::string frame);
  void write();
  void steady();

  boost::asio::io_context& ioc_;
  std::string host_;
  unsigned short port_;
  ProviderIdentity who_;
  std::chrono::milliseconds steady_period_;
  std::unique_ptr<Socket> ws_;
  std::uint64_t generation_ = 0;  // handlers of an earlier connection do nothing
  boost::beast::flat_buffer buffer_;
  std::deque<std::shared_ptr<const std::string>> outbox_;  // each write holds its frame
  bool writing_ = false, welcomed_ = false, stopped_ = false, paused_ = false;
  boost::asio::steady_timer retry_, steady_timer_;
  std::map<std::string, Pending> pending_;        // request id → the command, until answered
  std::set<std::string> handled_;                 // "o<package>/<location>", "a…": done or pending
  struct Steady {
    std::uint64_t package = 0;
    std::string location, start_date;
    std::vector<std::string> must_meet;
    std::uint64_t n = 0;
  };
  std::optional<Steady> steady_on_;
  ProviderTallies tallies_;
};

}  // namespace carebroker::sim::chaos
