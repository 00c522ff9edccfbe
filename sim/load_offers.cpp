// carebroker-load: the end-to-end offer load test. It forks a carebroker server (the real App:
// RocksDB journal with sync on, sequencer, Beast gateway) on a loopback port with a synthetic
// market, then drives it from this process over WebSocket with FlatBuffers frames, as rostering
// software would: open loop at a fixed offered rate (latency measured from each request's
// INTENDED send time, so a stalled server cannot hide its queueing — no coordinated omission),
// or closed loop with a fixed number in flight per connection (--rate 0) for the ceiling.
// It reports acknowledged (durable) offers per second, p50/p90/p99/p99.9/max ack latency,
// errors, and the CPU used by the client and by the server.
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/program_options.hpp>

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <deque>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>
#include <thread>

#include "engine/market/calendar.h"
#include "engine/sequencer/clock.h"
#include "gateway/app.h"
#include "schemas/wire_generated.h"
#include "sim/latency_histogram.h"

namespace beast = boost::beast;
namespace websocket = beast::websocket;
namespace net = boost::asio;
using tcp = net::ip::tcp;
using Clock = std::chrono::steady_clock;
using namespace carebroker;

namespace {

struct Options {
  int connections = 32;
  int packages = 200;
  double rate = 25'000;  // offers per second, all connections together; 0 = closed loop
  int inflight = 32;     // closed loop: requests outstanding per connection
  double warmup_s = 2, duration_s = 10;
  std::string data = "/tmp/carebroker-load";
  bool sync = true;
  std::uint64_t snapshot_every = 500'000;
};

// ---------------------------------------------------------------------------------------------
// The server side (child process).

std::vector<engine::Command> synthetic_market(const Options& o, engine::UtcMillis now) {
  using namespace engine;
  std::vector<Command> out;
  out.push_back(DefineCategory{{"older_people", "Older people"}});
  DpsConfig c;
  c.code = "load";
  c.name = "Load test DPS";
  c.lots = {Lot{"hc", "Home care", Unit::hours, 1000, 9000, 0}};
  c.categories = {"older_people"};
  c.zones = {Zone{"all", "All", {"B1"}}};
  c.tiers = {"t1"};
  c.routes = {Route{"all", {}, {"t1"}}};
  out.push_back(ConfigureDps{c});
  for (int i = 0; i < o.connections; ++i) {
    const std::string p = "P" + std::to_string(i), l = "L" + std::to_string(i);
    out.push_back(RegisterProvider{p, p});
    out.push_back(RegisterLocation{l, p, l, "B1 1AA", "Birmingham"});
    out.push_back(ApplyToDps{l, "load"});
    out.push_back(AdmitToDps{l, "load", {"hc"}, {"older_people"}, {"all"}, "t1", 100});
    UpdateQualityInputs q;
    q.location = l;
    q.cqc = CqcRating::good;
    q.pamms = PammsRating::good;
    q.self_assessment = 70;
    out.push_back(q);
  }
  for (int k = 0; k < o.packages; ++k) {
    PackageSpec s;
    s.dps = "load";
    s.lot = "hc";
    s.categories = {"older_people"};
    s.postcode_district = "B1";
    s.quantity = 600;
    s.start_date = london_date(now) + 3;
    s.window = 30 * kMillisPerDay;  // stays open for the whole run
    s.officer = "load";
    out.push_back(PostPackage{s, {"Person " + std::to_string(k), "", "", ""}});
  }
  return out;
}

[[noreturn]] void serve(const Options& o, int write_fd) {
  sigset_t stop;
  sigemptyset(&stop);
  sigaddset(&stop, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop, nullptr);
  std::error_code ec;
  std::filesystem::remove_all(o.data, ec);
  sequencer::SystemClock clock;
  gateway::AppOptions a;
  a.data_dir = o.data;
  a.port = 0;
  a.sync = o.sync;
  a.snapshot_every = o.snapshot_every;
  a.limits.ws_messages_per_second = 1e9;  // the load is the point
  a.limits.ws_burst = 1e9;
  a.limits.outbound_queue_bytes = 64 << 20;
  a.first_start = synthetic_market(o, clock.now());
  gateway::App app;
  std::string error;
  if (!app.start(a, error)) {
    std::fprintf(stderr, "carebroker-load: server: %s\n", error.c_str());
    _exit(1);
  }
  std::ostringstream out;
  out << app.port() << "\n";
  for (int i = 0; i < o.connections; ++i)
    out << *app.issue_token({gateway::Role::provider, "P" + std::to_string(i), "load"}, error) << "\n";
  const std::string text = out.str();
  if (write(write_fd, text.data(), text.size()) < 0) _exit(1);
  close(write_fd);
  int sig = 0;
  sigwait(&stop, &sig);
  app.stop();
  _exit(0);
}

double process_cpu_seconds(pid_t pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  std::getline(stat, line);
  std::istringstream in(line.substr(line.rfind(')') + 2));
  std::string field;
  unsigned long long utime = 0, stime = 0;
  for (int i = 3; i <= 15 && in >> field; ++i) {
    if (i == 14) utime = std::stoull(field);
    if (i == 15) stime = std::stoull(field);
  }
  return static_cast<double>(utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

double self_cpu_seconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

// ---------------------------------------------------------------------------------------------
// The client side.

struct Shared {
  Options options;
  Clock::time_point measure_from, measure_until;
  sim::LatencyHistogram histogram;
  std::uint64_t acked = 0, errors = 0, sent = 0;
  std::string first_error;
  int ready = 0;
};

class Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(net::io_context& ioc, Shared& shared, int index, std::string token)
      : ws_(ioc), shared_(shared), index_(index),
        token_(std::move(token)) {}

  void start(const tcp::endpoint& endpoint, std::function<void()> on_ready) {
    on_ready_ = std::move(on_ready);
    beast::get_lowest_layer(ws_).async_connect(endpoint, [self = shared_from_this()](beast::error_code ec) {
      if (ec) return self->fail("connect", ec);
      beast::get_lowest_layer(self->ws_).socket().set_option(tcp::no_delay(true));
      self->ws_.async_handshake("127.0.0.1", "/ws", [self](beast::error_code e) {
        if (e) return self->fail("handshake", e);
        self->ws_.binary(true);
        flatbuffers::FlatBufferBuilder b;
        auto hello = wire::CreateHelloDirect(b, self->token_.c_str(), 0, "");
        b.Finish(wire::CreateClientFrame(b, wire::ClientMessage::Hello, hello.Union()), "CBW1");
        self->send(std::string(reinterpret_cast<const char*>(b.GetBufferPointer()), b.GetSize()));
        self->read();
      });
    });
  }

  /// Open loop: requests at `period` intervals from `first`, sent by pace() (one shared pacer
  /// for all connections, so the client spends its CPU on sending, not on timer wake-ups).
  void run_open_loop(Clock::time_point first, Clock::duration period) {
    next_ = first;
    period_ = period;
  }
  /// Sends every request whose intended time has passed (the intended time is what we measure from).
  void pace(Clock::time_point now) {
    if (stopped_) return;
    while (next_ <= now) {
      send_offer(next_);
      next_ += period_;
    }
  }
  /// Closed loop: keep `inflight` outstanding.
  void run_closed_loop(int inflight) {
    closed_loop_ = true;
    for (int i = 0; i < inflight; ++i) send_offer(Clock::now());
  }
  void stop() { stopped_ = true; }

 private:
  void send_offer(Clock::time_point intended) {
    const std::uint64_t n = next_request_++;
    const int package = static_cast<int>(n % static_cast<std::uint64_t>(shared_.options.packages)) + 1;
    const bool first = n < static_cast<std::uint64_t>(shared_.options.packages);
    const std::string rid = "r" + std::to_string(n);
    const std::string location = "L" + std::to_string(index_);
    const std::string start = engine::format_date(engine::london_date(sequencer::SystemClock().now()) + 3);
    flatbuffers::FlatBufferBuilder b(256);
    const long long price = 2000 + static_cast<long long>(n % 2000);
    flatbuffers::Offset<void> body;
    wire::ClientMessage type;
    if (first) {
      body = wire::CreatePlaceOfferDirect(b, rid.c_str(), location.c_str(), static_cast<std::uint64_t>(package), price,
                                          start.c_str(), true, "")
                 .Union();
      type = wire::ClientMessage::PlaceOffer;
    } else {
      body = wire::CreateAmendOfferDirect(b, rid.c_str(), location.c_str(), static_cast<std::uint64_t>(package), price,
                                          start.c_str(), true, "")
                 .Union();
      type = wire::ClientMessage::AmendOffer;
    }
    b.Finish(wire::CreateClientFrame(b, type, body), "CBW1");
    intended_.push_back(intended);
    ++shared_.sent;
    send(std::string(reinterpret_cast<const char*>(b.GetBufferPointer()), b.GetSize()));
  }

  void send(std::string frame) {
    outbox_.push_back(std::move(frame));
    if (!writing_) write();
  }
  void write() {
    writing_ = true;
    ws_.async_write(net::buffer(outbox_.front()), [self = shared_from_this()](beast::error_code ec, std::size_t) {
      if (ec) return self->fail("write", ec);
      self->outbox_.pop_front();
      self->writing_ = false;
      if (!self->outbox_.empty()) self->write();
    });
  }

  void read() {
    ws_.async_read(buffer_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
      if (ec) return self->stopped_ ? void() : self->fail("read", ec);
      self->on_frame();
      self->read();
    });
  }

  void on_frame() {
    const std::string data = beast::buffers_to_string(buffer_.data());
    buffer_.consume(buffer_.size());
    if (data.size() < 8) return;
    const auto* bytes = reinterpret_cast<const std::uint8_t*>(data.data()) + 8;
    flatbuffers::Verifier verifier(bytes, data.size() - 8);
    if (!verifier.VerifyBuffer<wire::ServerFrame>("CBW1")) return;
    const auto* frame = flatbuffers::GetRoot<wire::ServerFrame>(bytes);
    const auto now = Clock::now();
    switch (frame->message_type()) {
      case wire::ServerMessage::Welcome:
        if (on_ready_) on_ready_();
        return;
      case wire::ServerMessage::Ack: {
        const auto* ack = frame->message_as_Ack();
        record(ack->request_id() ? ack->request_id()->str() : "", now, false);
        return;
      }
      case wire::ServerMessage::Error:
        return on_error(frame->message_as_Error(), now);
      case wire::ServerMessage::Replies: {  // a batch's answers to this connection, in one frame
        const auto* replies = frame->message_as_Replies();
        if (replies->acks())
          for (const auto* ack : *replies->acks()) record(ack->request_id() ? ack->request_id()->str() : "", now, false);
        if (replies->errors())
          for (const auto* e : *replies->errors()) on_error(e, now);
        return;
      }
      default: return;  // broadcasts and updates
    }
  }

  void on_error(const wire::Error* e, Clock::time_point now) {
    if (shared_.first_error.empty())
      shared_.first_error = (e->code() ? e->code()->str() : "") + ": " + (e->detail() ? e->detail()->str() : "");
    record(e->request_id() ? e->request_id()->str() : "", now, true);
  }

  void record(const std::string& rid, Clock::time_point now, bool error) {
    if (rid.size() < 2 || rid[0] != 'r') return;
    const std::uint64_t n = std::stoull(rid.substr(1));
    if (n >= intended_.size()) return;
    const auto intended = intended_[n];
    if (intended >= shared_.measure_from && intended < shared_.measure_until) {
      if (error) {
        ++shared_.errors;
      } else {
        ++shared_.acked;
        shared_.histogram.record(static_cast<std::uint64_t>(
            std::chrono::duration_cast<std::chrono::nanoseconds>(now - intended).count()));
      }
    }
    if (closed_loop_ && !stopped_) send_offer(Clock::now());
  }

  void fail(const char* what, beast::error_code ec) {
    if (stopped_) return;
    std::fprintf(stderr, "carebroker-load: connection %d: %s: %s\n", index_, what, ec.message().c_str());
    stopped_ = true;
  }

  websocket::stream<beast::tcp_stream> ws_;
  Shared& shared_;
  int index_;
  std::string token_;
  std::function<void()> on_ready_;
  beast::flat_buffer buffer_;
  std::deque<std::string> outbox_;
  bool writing_ = false;
  bool stopped_ = false;
  bool closed_loop_ = false;
  Clock::time_point next_;
  Clock::duration period_{};
  std::uint64_t next_request_ = 0;
  std::vector<Clock::time_point> intended_;
};

}  // namespace

int main(int argc, char** argv) {
  namespace po = boost::program_options;
  Options o;
  bool unsafe = false;
  po::options_description options("carebroker-load: end-to-end durable offer load over WebSocket (FlatBuffers)");
  options.add_options()("help,h", "show this help")(
      "connections", po::value(&o.connections)->default_value(o.connections), "provider connections (one provider each)")(
      "packages", po::value(&o.packages)->default_value(o.packages), "open packages each provider bids on")(
      "rate", po::value(&o.rate)->default_value(o.rate), "offered offers/s in total (0 = closed loop)")(
      "inflight", po::value(&o.inflight)->default_value(o.inflight), "closed loop: outstanding per connection")(
      "warmup", po::value(&o.warmup_s)->default_value(o.warmup_s), "seconds before measuring")(
      "duration", po::value(&o.duration_s)->default_value(o.duration_s), "seconds measured")(
      "data", po::value(&o.data)->default_value(o.data), "the server's data directory (wiped)")(
      "snapshot-every", po::value(&o.snapshot_every)->default_value(o.snapshot_every), "the server's snapshot interval, events")(
      "unsafe-no-sync", po::bool_switch(&unsafe), "journal without fsync (to compare)");
  po::variables_map vm;
  try {
    po::store(po::parse_command_line(argc, argv, options), vm);
    po::notify(vm);
  } catch (const std::exception& e) {
    std::cerr << "carebroker-load: " << e.what() << "\n" << options;
    return 2;
  }
  if (vm.count("help")) {
    std::cout << options;
    return 0;
  }
  o.sync = !unsafe;
  if (o.connections < 1 || o.packages < 1 || o.rate < 0 || o.duration_s <= 0) {
    std::cerr << "carebroker-load: connections, packages and duration must be positive\n";
    return 2;
  }

  int pipe_fds[2];
  if (pipe(pipe_fds) != 0) return 1;
  const pid_t server = fork();
  if (server == 0) {
    close(pipe_fds[0]);
    serve(o, pipe_fds[1]);
  }
  close(pipe_fds[1]);
  std::string text;
  char chunk[4096];
  for (ssize_t n; (n = read(pipe_fds[0], chunk, sizeof chunk)) > 0;) text.append(chunk, static_cast<std::size_t>(n));
  close(pipe_fds[0]);
  std::istringstream lines(text);
  unsigned short port = 0;
  lines >> port;
  std::vector<std::string> tokens(static_cast<std::size_t>(o.connections));
  for (auto& t : tokens) lines >> t;
  if (port == 0 || tokens.back().empty()) {
    std::cerr << "carebroker-load: the server did not start\n";
    kill(server, SIGTERM);
    waitpid(server, nullptr, 0);
    return 1;
  }

  net::io_context ioc;
  Shared shared;
  shared.options = o;
  const tcp::endpoint endpoint(net::ip::make_address("127.0.0.1"), port);
  std::vector<std::shared_ptr<Connection>> connections;
  int ready = 0;
  for (int i = 0; i < o.connections; ++i) {
    connections.push_back(std::make_shared<Connection>(ioc, shared, i, tokens[static_cast<std::size_t>(i)]));
    connections.back()->start(endpoint, [&] { ++ready; });
  }
  while (ready < o.connections && ioc.run_one()) {
  }
  const auto start = Clock::now() + std::chrono::milliseconds(50);
  shared.measure_from = start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(o.warmup_s));
  shared.measure_until = shared.measure_from + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(o.duration_s));
  const double server_cpu0 = process_cpu_seconds(server), client_cpu0 = self_cpu_seconds();
  for (int i = 0; i < o.connections; ++i) {
    if (o.rate > 0) {
      const auto period = std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(o.connections / o.rate));
      connections[static_cast<std::size_t>(i)]->run_open_loop(start + period * i / o.connections, period);
    } else {
      connections[static_cast<std::size_t>(i)]->run_closed_loop(o.inflight);
    }
  }
  // The pacer: every 200 µs, each connection sends what is due (open loop only).
  net::steady_timer pacer(ioc);
  std::function<void()> pace = [&] {
    const auto now = Clock::now();
    for (auto& c : connections) c->pace(now);
    pacer.expires_after(std::chrono::microseconds(200));
    pacer.async_wait([&](beast::error_code ec) {
      if (!ec) pace();
    });
  };
  if (o.rate > 0) pace();
  net::steady_timer end(ioc);
  end.expires_at(shared.measure_until + std::chrono::seconds(1));  // a second to collect late acks
  end.async_wait([&](beast::error_code) {
    for (auto& c : connections) c->stop();
    pacer.cancel();
    ioc.stop();
  });
  ioc.run();
  const double server_cpu = process_cpu_seconds(server) - server_cpu0, client_cpu = self_cpu_seconds() - client_cpu0;
  kill(server, SIGTERM);
  waitpid(server, nullptr, 0);

  const double wall = std::chrono::duration<double>(shared.measure_until - start).count() + 1.0;
  const auto us = [&](double p) { return static_cast<double>(shared.histogram.percentile(p)) / 1000.0; };
  std::printf("carebroker-load: %d connections, %d packages, journal sync %s, %s\n", o.connections, o.packages,
              o.sync ? "ON" : "off",
              o.rate > 0 ? ("open loop at " + std::to_string(static_cast<long>(o.rate)) + " offers/s").c_str()
                         : ("closed loop, " + std::to_string(o.inflight) + " in flight per connection").c_str());
  std::printf("  measured %.1f s after %.1f s warm-up: %llu acknowledged (durable) = %.0f offers/s; errors %llu%s%s\n",
              o.duration_s, o.warmup_s, static_cast<unsigned long long>(shared.acked),
              static_cast<double>(shared.acked) / o.duration_s, static_cast<unsigned long long>(shared.errors),
              shared.first_error.empty() ? "" : " — first: ", shared.first_error.c_str());
  std::printf("  ack latency from intended send: p50 %.0f µs  p90 %.0f µs  p99 %.0f µs  p99.9 %.0f µs  max %.0f µs\n",
              us(50), us(90), us(99), us(99.9), static_cast<double>(shared.histogram.max()) / 1000.0);
  std::printf("  CPU over the run (%.1f s, 2 cores = 200%%): server %.0f%%, load client %.0f%%\n", wall,
              100.0 * server_cpu / wall, 100.0 * client_cpu / wall);
  return shared.errors == 0 && shared.acked > 0 ? 0 : 1;
}
