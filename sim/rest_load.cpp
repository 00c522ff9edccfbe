#include "sim/rest_load.h"

#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace carebroker::sim {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

/// One keep-alive HTTP connection: one request at a time; connects (again) when it must.
/// The request and response belong to the connection until the exchange completes.
class RestLoad::Connection : public std::enable_shared_from_this<Connection> {
 public:
  using Done = std::function<void(std::uint64_t n, const RestReply&)>;
  Connection(net::io_context& ioc, tcp::endpoint endpoint, const std::string& token, Done done)
      : stream_(ioc), endpoint_(endpoint), authorization_("Bearer " + token), done_(std::move(done)) {}

  bool busy() const { return busy_; }
  void detach() { done_ = nullptr; }

  void send(std::uint64_t n, RestCall call) {
    busy_ = true;
    n_ = n;
    request_ = {call.method, call.target, 11};
    request_.set(http::field::host, "127.0.0.1");
    request_.set(http::field::authorization, authorization_);
    request_.keep_alive(true);
    if (!call.body.empty()) {
      request_.set(http::field::content_type, "application/json");
      request_.body() = std::move(call.body);
    }
    request_.prepare_payload();
    stream_.expires_after(std::chrono::seconds(10));
    if (connected_) return write();
    stream_.async_connect(endpoint_, [self = shared_from_this()](beast::error_code ec) {
      if (ec) return self->finish(0, "connect: " + ec.message());
      self->connected_ = true;
      self->stream_.socket().set_option(tcp::no_delay(true));
      self->write();
    });
  }

 private:
  void write() {
    http::async_write(stream_, request_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
      if (ec) return self->finish(0, "write: " + ec.message());
      self->response_ = {};
      http::async_read(self->stream_, self->buffer_, self->response_, [self](beast::error_code e, std::size_t) {
        if (e) return self->finish(0, "read: " + e.message());
        if (!self->response_.keep_alive()) self->close();
        self->finish(static_cast<int>(self->response_.result_int()), std::move(self->response_.body()));
      });
    });
  }
  void close() {
    beast::error_code ignored;
    stream_.socket().close(ignored);
    buffer_.clear();
    connected_ = false;
  }
  void finish(int status, std::string body) {
    if (status == 0) close();
    busy_ = false;
    if (done_) done_(n_, RestReply{status, std::move(body), Clock::now()});
  }

  beast::tcp_stream stream_;
  tcp::endpoint endpoint_;
  std::string authorization_;
  Done done_;
  bool busy_ = false, connected_ = false;
  std::uint64_t n_ = 0;
  http::request<http::string_body> request_;
  http::response<http::string_body> response_;
  beast::flat_buffer buffer_;
};

RestLoad::RestLoad(net::io_context& ioc, tcp::endpoint endpoint, std::string token, int connections, MakeCall make,
                   OnReply on_reply)
    : timer_(ioc), make_(std::move(make)), on_reply_(std::move(on_reply)) {
  for (int i = 0; i < connections; ++i)
    connections_.push_back(std::make_shared<Connection>(
        ioc, endpoint, token, [this](std::uint64_t n, const RestReply& reply) { done(n, reply); }));
}

RestLoad::~RestLoad() {
  for (auto& c : connections_) c->detach();
}

void RestLoad::start(Clock::time_point first, Clock::duration period, const MeasureWindow& window) {
  first_ = first;
  period_ = period;
  window_ = window;
  pace();
}

void RestLoad::stop() {
  stopped_ = true;
  timer_.cancel();
}

void RestLoad::pace() {
  if (stopped_) return;
  const auto now = Clock::now();
  for (; intended(next_) <= now; ++next_) {
    due_.push_back(next_);
    if (window_.contains(intended(next_))) ++figures_.offered, ++figures_.unanswered;
  }
  dispatch();
  timer_.expires_at(intended(next_));
  timer_.async_wait([this](beast::error_code ec) {
    if (!ec) pace();
  });
}

void RestLoad::dispatch() {
  for (auto& c : connections_) {
    if (due_.empty()) return;
    if (c->busy()) continue;
    const std::uint64_t n = due_.front();
    due_.pop_front();
    c->send(n, make_(n));
  }
}

void RestLoad::done(std::uint64_t n, const RestReply& reply) {
  const Clock::time_point when = intended(n);
  const bool ok = reply.status >= 200 && reply.status < 300;
  if (window_.contains(when)) {
    --figures_.unanswered;
    if (ok) {
      ++figures_.ok;
      figures_.histogram.record(nanoseconds_between(when, reply.at));
    } else {
      ++figures_.errors;
      if (figures_.first_error.empty())
        figures_.first_error = (reply.status ? std::to_string(reply.status) + " " : std::string()) + reply.body.substr(0, 200);
    }
  }
  if (on_reply_) on_reply_(n, when, reply);
  if (!stopped_) dispatch();
}

}  // namespace carebroker::sim
