// carebroker-load: the end-to-end offer load test. It forks a carebroker server (the real App:
// RocksDB journal with sync on, sequencer, Beast gateway) on a loopback port with a synthetic
// market (server_child.h, synthetic_market.h), then drives it from this process over WebSocket
// with FlatBuffers frames, as rostering software would (offer_connection.h): open loop at a fixed
// offered rate (latency measured from each request's INTENDED send time, so a stalled server
// cannot hide its queueing — no coordinated omission), or closed loop with a fixed number in
// flight per connection (--rate 0) for the ceiling. It reports acknowledged (durable) offers per
// second, p50/p90/p99/p99.9/max ack latency, errors, and the CPU used by the client and by the
// server (load_report.h).
//
// Optional side loads, each on its own thread and connections, measured beside the offers:
// an officer's REST reads (--rest-views, --list-poll-ms: rest_reads.h) and package posting with
// its broadcast to --post-locations provider sessions (--post-rate: package_posting.h).
//
// Threads: the offers run on the main thread's io_context; the reads and the posting each on an
// io_context of their own. Everything they share (options, window) is set before they start;
// their figures are read after they have joined.
#include <boost/asio.hpp>

#include <cstdio>
#include <iostream>
#include <optional>
#include <thread>

#include "sim/load_options.h"
#include "sim/load_report.h"
#include "sim/offer_connection.h"
#include "sim/package_posting.h"
#include "sim/rest_reads.h"
#include "sim/server_child.h"

namespace net = boost::asio;
using tcp = net::ip::tcp;
using namespace carebroker::sim;

namespace {

constexpr auto kConnectDeadline = std::chrono::seconds(30);

/// Runs `ioc` until `ready()` or the deadline; false if the deadline passed.
bool run_until(net::io_context& ioc, const std::function<bool()>& ready) {
  const auto deadline = Clock::now() + kConnectDeadline;
  while (!ready()) {
    if (Clock::now() >= deadline) return false;
    ioc.run_one_for(std::chrono::milliseconds(100));
  }
  return true;
}

/// A side load's thread: runs its io_context until a second after the window, then stops `load`.
template <class Load>
std::thread run_side_load(net::io_context& ioc, Load& load, Clock::time_point end) {
  auto timer = std::make_shared<net::steady_timer>(ioc, end);
  timer->async_wait([&ioc, &load, timer](boost::system::error_code) {
    load.stop();
    ioc.stop();
  });
  return std::thread([&ioc] { ioc.run(); });
}

}  // namespace

int main(int argc, char** argv) {
  LoadOptions o;
  std::string message;
  switch (parse_load_options(argc, argv, o, message)) {
    case ParseOutcome::help: std::cout << message; return 0;
    case ParseOutcome::bad: std::cerr << message; return 2;
    case ParseOutcome::run: break;
  }

  ServerChild server;
  if (std::string error; !server.start(o, error)) {
    std::cerr << "carebroker-load: " << error << "\n";
    return 1;
  }
  const tcp::endpoint endpoint(net::ip::make_address("127.0.0.1"), server.port());

  // The offers: connect every provider and wait for its Welcome.
  net::io_context ioc;
  MeasureWindow window;
  LoadFigures figures;
  std::vector<std::shared_ptr<OfferConnection>> connections;
  int ready = 0;
  for (int i = 0; i < o.connections; ++i) {
    connections.push_back(std::make_shared<OfferConnection>(ioc, o, window, figures.offers, i, server.provider_token(i)));
    connections.back()->start(endpoint, [&] { ++ready; });
  }
  if (!run_until(ioc, [&] { return ready == o.connections; })) {
    std::cerr << "carebroker-load: only " << ready << " of " << o.connections << " offer connections were welcomed\n";
    return 1;
  }

  // The side loads, each on an io_context of its own.
  net::io_context reads_ioc, posting_ioc;
  std::optional<RestReads> reads;
  if (o.reads()) reads.emplace(reads_ioc, endpoint, o, server.officer_token());
  std::optional<PackagePosting> posting;
  if (o.posting()) {
    posting.emplace(posting_ioc, endpoint, o, server);
    int welcomed = 0;
    posting->connect([&] { ++welcomed; });
    if (!run_until(posting_ioc, [&] { return welcomed == posting->listeners(); })) {
      std::cerr << "carebroker-load: only " << welcomed << " of " << posting->listeners()
                << " listening provider sessions were welcomed" << (posting->listener_failure().empty() ? "" : " — ")
                << posting->listener_failure() << "\n";
      return 1;
    }
  }

  const auto start = Clock::now() + std::chrono::milliseconds(50);
  window.from = start + from_seconds(o.warmup_s);
  window.until = window.from + from_seconds(o.duration_s);
  const auto end = window.until + std::chrono::seconds(1);  // a second to collect late acks
  const double server_cpu0 = server.cpu_seconds(), client_cpu0 = self_cpu_seconds();
  for (int i = 0; i < o.connections; ++i) {
    if (o.rate > 0) {
      const auto period = from_seconds(o.connections / o.rate);
      connections[static_cast<std::size_t>(i)]->run_open_loop(start + period * i / o.connections, period);
    } else {
      connections[static_cast<std::size_t>(i)]->run_closed_loop(o.inflight);
    }
  }
  std::vector<std::thread> side_threads;
  if (reads) {
    reads->start(start, window);
    side_threads.push_back(run_side_load(reads_ioc, *reads, end));
  }
  if (posting) {
    posting->start(start, window);
    side_threads.push_back(run_side_load(posting_ioc, *posting, end));
  }
  // The CPU of the window alone, sampled at its edges.
  net::steady_timer window_open(ioc, window.from), window_close(ioc, window.until);
  window_open.async_wait([&](boost::system::error_code) {
    figures.window.server_s = -server.cpu_seconds();
    figures.window.client_s = -self_cpu_seconds();
  });
  window_close.async_wait([&](boost::system::error_code) {
    figures.window.server_s += server.cpu_seconds();
    figures.window.client_s += self_cpu_seconds();
    figures.window.wall_s = window.seconds();
  });
  // The pacer: every 200 µs, each connection sends what is due (open loop only).
  net::steady_timer pacer(ioc);
  std::function<void()> pace = [&] {
    const auto now = Clock::now();
    for (auto& c : connections) c->pace(now);
    pacer.expires_after(std::chrono::microseconds(200));
    pacer.async_wait([&](boost::system::error_code ec) {
      if (!ec) pace();
    });
  };
  if (o.rate > 0) pace();
  net::steady_timer stop(ioc, end);
  stop.async_wait([&](boost::system::error_code) {
    for (auto& c : connections) c->stop();
    pacer.cancel();
    ioc.stop();
  });
  ioc.run();
  for (auto& t : side_threads) t.join();
  figures.run = {server.cpu_seconds() - server_cpu0, self_cpu_seconds() - client_cpu0,
                 std::chrono::duration<double>(window.until - start).count() + 1.0};
  server.stop();

  if (reads) {
    if (reads->views()) figures.views = *reads->views();
    if (reads->list_polls()) figures.list_polls = *reads->list_polls();
    if (reads->reports()) figures.reports = *reads->reports();
  }
  if (posting) {
    figures.posts = posting->posts();
    figures.post_listeners = posting->listeners();
    std::vector<const BroadcastLog*> offer_logs;
    for (const auto& c : connections) offer_logs.push_back(&c->broadcasts());
    figures.fan_out = posting->fan_out(offer_logs);
  }
  if (o.json)
    print_json_report(o, figures);
  else
    print_text_report(o, figures);
  return figures.offers.errors == 0 && figures.offers.acked > 0 && figures.side_errors() == 0 ? 0 : 1;
}
