// The market's sockets and timers (market_players.h), on Beast.
#include "sim/market_players.h"

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <deque>
#include <fstream>
#include <sstream>

namespace carebroker::sim {

namespace beast = boost::beast;
namespace websocket = beast::websocket;
namespace net = boost::asio;
using tcp = net::ip::tcp;

namespace {

std::int64_t steady_now() { return sequencer::ScaledClock::steady_ns(); }

/// RSS (kB) and CPU seconds (user + system) of a process, from /proc.
void sample_process(pid_t pid, std::uint64_t& rss_kb, double& cpu_s) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  for (std::string line; std::getline(status, line);)
    if (line.starts_with("VmRSS:")) rss_kb = std::stoull(line.substr(6));
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string text;
  std::getline(stat, text);
  if (text.empty()) return;
  std::istringstream in(text.substr(text.rfind(')') + 2));
  std::string field;
  unsigned long long utime = 0, stime = 0;
  for (int i = 3; i <= 15 && in >> field; ++i) {
    if (i == 14) utime = std::stoull(field);
    if (i == 15) stime = std::stoull(field);
  }
  cpu_s = static_cast<double>(utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

}  // namespace

struct MarketPlayers::Impl {
  class Socket;
  net::io_context ioc;
  tcp::endpoint endpoint;
  std::string host;
  RunRecord& record;
  std::unique_ptr<MarketPlay> play;
  std::vector<std::shared_ptr<Socket>> sockets;  // providers, then the staff socket
  std::deque<std::size_t> waiting;
  std::size_t active = 0, concurrency = 64, opened = 0, failed = 0;
  std::string first_failure;
  double last_cpu_s = -1;
  bool closing = false;

  explicit Impl(RunRecord& r) : record(r) {}
  void start_more();
  void finished_opening(bool ok, const std::string& why) {
    --active;
    (ok ? opened : failed) += 1;
    if (!ok && first_failure.empty()) first_failure = why;
    start_more();
  }
  void roll(pid_t server_pid, bool progress);
};

/// One WebSocket: a provider's (index < providers) or the staff one. One write in flight; the
/// queue behind it holds whole frames, each owned by the queue until its write completes.
class MarketPlayers::Impl::Socket : public std::enable_shared_from_this<Socket> {
 public:
  Socket(Impl& owner, std::size_t index, std::string token, Encoding encoding, bool staff)
      : owner_(owner), ws_(owner.ioc), index_(index), token_(std::move(token)), encoding_(encoding), staff_(staff) {}

  void start() {
    beast::get_lowest_layer(ws_).expires_after(std::chrono::seconds(30));
    beast::get_lowest_layer(ws_).async_connect(owner_.endpoint, [self = shared_from_this()](beast::error_code ec) {
      if (ec) return self->fail("connect", ec.message());
      beast::get_lowest_layer(self->ws_).socket().set_option(tcp::no_delay(true));
      beast::get_lowest_layer(self->ws_).expires_never();
      self->ws_.read_message_max(64 << 20);
      self->ws_.async_handshake(self->owner_.host, "/ws", [self](beast::error_code e) {
        if (e) return self->fail("handshake", e.message());
        self->ws_.binary(self->encoding_ == Encoding::flatbuffers);
        self->send(hello(self->encoding_, self->token_));
        self->read();
      });
    });
  }

  void send(std::string frame) {
    if (failed_) return;
    outbox_.push_back(std::move(frame));
    if (!writing_) write();
  }
  void close() {
    beast::error_code ec;
    beast::get_lowest_layer(ws_).socket().close(ec);
  }

 private:
  void write() {
    writing_ = true;
    ws_.async_write(net::buffer(outbox_.front()), [self = shared_from_this()](beast::error_code ec, std::size_t) {
      self->writing_ = false;
      if (ec) return self->fail("write", ec.message());
      self->outbox_.pop_front();
      if (!self->outbox_.empty()) self->write();
    });
  }
  void read() {
    ws_.async_read(buffer_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
      if (ec) return self->fail("read", ec.message());
      const std::int64_t now = steady_now();
      const auto data = buffer_view(self->buffer_);
      const Inbound in = read_server_frame(data, self->ws_.got_binary());
      self->on_frame(in, now);
      self->buffer_.consume(self->buffer_.size());
      self->read();
    });
  }
  static std::string_view buffer_view(beast::flat_buffer& b) {
    return {static_cast<const char*>(b.data().data()), b.data().size()};
  }
  void on_frame(const Inbound& in, std::int64_t now) {
    if (!ready_) {
      if (in.kind == Inbound::Kind::snapshot_done) {
        ready_ = true;
        owner_.finished_opening(true, {});
      } else if (in.kind == Inbound::Kind::replies && !in.refused.empty()) {
        fail("hello", in.refused.front().second + ": " + in.error_detail);
      }
      return;
    }
    if (staff_) owner_.play->on_staff_frame(in, now);
    else owner_.play->on_provider_frame(index_, in, now);
  }
  void fail(const char* what, const std::string& why) {
    if (failed_) return;
    failed_ = true;
    const std::string text = std::string(staff_ ? "staff socket " : "provider socket ") + what + ": " + why;
    if (!ready_) owner_.finished_opening(false, text);
    else if (!owner_.closing) {
      ++owner_.record.connections_failed;
      owner_.record.fail(text);
    }
    close();
  }

  Impl& owner_;
  websocket::stream<beast::tcp_stream> ws_;
  std::size_t index_;
  std::string token_;
  Encoding encoding_;
  bool staff_;
  beast::flat_buffer buffer_;
  std::deque<std::string> outbox_;
  bool writing_ = false, ready_ = false, failed_ = false;
};

void MarketPlayers::Impl::start_more() {
  while (active < concurrency && !waiting.empty()) {
    const std::size_t i = waiting.front();
    waiting.pop_front();
    ++active;
    sockets[i]->start();
  }
}

void MarketPlayers::Impl::roll(pid_t server_pid, bool progress) {
  Second& s = record.current;
  s.t = play->wall_seconds(steady_now());
  s.sim_day = play->sim_seconds() / 86'400;
  s.ack_p50_us = record.second_acks.percentile(50) / 1000;
  s.ack_p99_us = record.second_acks.percentile(99) / 1000;
  s.ack_max_us = record.second_acks.max() / 1000;
  record.second_acks = LatencyHistogram();
  s.unsourced_total = record.unsourced_seen;
  for (const auto& [id, p] : record.packages) s.open_packages += p.status == "open" || p.status == "evaluating" || p.status == "award_pending";
  if (server_pid > 0) {
    double cpu = 0;
    sample_process(server_pid, s.server_rss_kb, cpu);
    const double dt = record.timeline.empty() ? s.t : s.t - record.timeline.back().t;
    s.server_cpu = last_cpu_s >= 0 && dt > 0 ? (cpu - last_cpu_s) / dt : 0;
    last_cpu_s = cpu;
  }
  if (progress)
    std::fprintf(stderr,
                 "\r  %6.1fs  day %5.2f  posted %-6llu offers %-7llu acked %-7llu p99 %6.2f ms  placed %-5llu "
                 "unsourced %-4llu open %-5llu server %5.0f MiB %4.0f%% cpu ",
                 s.t, s.sim_day, static_cast<unsigned long long>(record.posts_ok),
                 static_cast<unsigned long long>(record.offers_sent), static_cast<unsigned long long>(record.offers_acked),
                 static_cast<double>(s.ack_p99_us) / 1000, static_cast<unsigned long long>(record.awards_accepted),
                 static_cast<unsigned long long>(record.unsourced_seen), static_cast<unsigned long long>(s.open_packages),
                 static_cast<double>(s.server_rss_kb) / 1024, s.server_cpu * 100);
  record.timeline.push_back(s);
  record.current = Second();
}

MarketPlayers::MarketPlayers(std::string host, unsigned short port, const SimMarket& market,
                             sequencer::ScaledClock& clock, RunRecord& record, bool closed_loop, std::uint64_t seed)
    : impl_(std::make_unique<Impl>(record)) {
  impl_->host = host;
  impl_->endpoint = tcp::endpoint(net::ip::make_address(host), port);
  Impl& m = *impl_;
  MarketPlay::Io io;
  io.send = [&m](std::size_t provider, std::string frame) { m.sockets[provider]->send(std::move(frame)); };
  io.at = [&m](std::int64_t when, std::function<void()> fn) {
    auto timer = std::make_shared<net::steady_timer>(m.ioc);
    timer->expires_at(std::chrono::steady_clock::time_point(std::chrono::nanoseconds(when)));
    timer->async_wait([timer, fn = std::move(fn)](beast::error_code ec) {
      if (!ec) fn();
    });
  };
  io.now_ns = steady_now;
  impl_->play = std::make_unique<MarketPlay>(market, clock, record, std::move(io), closed_loop, seed);
}

MarketPlayers::~MarketPlayers() { close(); }

MarketPlay& MarketPlayers::play() { return *impl_->play; }
RunRecord& MarketPlayers::record() { return impl_->record; }

bool MarketPlayers::connect(const std::vector<std::string>& tokens, const std::string& staff_token,
                            std::size_t concurrency, double timeout_s, std::string& error) {
  Impl& m = *impl_;
  m.concurrency = std::max<std::size_t>(concurrency, 1);
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    m.sockets.push_back(std::make_shared<Impl::Socket>(m, i, tokens[i], m.play->encoding(i), false));
    m.waiting.push_back(i);
  }
  m.sockets.push_back(std::make_shared<Impl::Socket>(m, tokens.size(), staff_token, Encoding::flatbuffers, true));
  m.waiting.push_back(tokens.size());
  m.start_more();
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(timeout_s);
  while (m.opened + m.failed < m.sockets.size() && std::chrono::steady_clock::now() < deadline) {
    m.ioc.run_for(std::chrono::milliseconds(20));
    m.ioc.restart();
  }
  m.record.connections_open = m.opened;
  if (m.failed || m.opened < m.sockets.size()) {
    error = std::to_string(m.opened) + " of " + std::to_string(m.sockets.size()) + " WebSockets opened" +
            (m.first_failure.empty() ? " in time" : "; first failure: " + m.first_failure);
    return false;
  }
  return true;
}

void MarketPlayers::post(std::function<void()> fn) { net::post(impl_->ioc, std::move(fn)); }

bool MarketPlayers::run_until(const std::function<bool()>& done, double timeout_s, pid_t server_pid, bool progress) {
  Impl& m = *impl_;
  const auto started = std::chrono::steady_clock::now();
  auto next_roll = started + std::chrono::seconds(1);
  while (!done()) {
    const auto now = std::chrono::steady_clock::now();
    if (now - started > std::chrono::duration<double>(timeout_s)) return false;
    if (now >= next_roll) {
      m.roll(server_pid, progress);
      next_roll += std::chrono::seconds(1);
    }
    m.ioc.run_for(std::chrono::milliseconds(10));
    m.ioc.restart();
  }
  m.roll(server_pid, progress);
  if (progress) std::fprintf(stderr, "\n");
  return true;
}

void MarketPlayers::close() {
  if (!impl_) return;
  impl_->closing = true;
  for (auto& s : impl_->sockets) s->close();
  impl_->ioc.run_for(std::chrono::milliseconds(50));
  impl_->sockets.clear();
  impl_->ioc.stop();
}

}  // namespace carebroker::sim
