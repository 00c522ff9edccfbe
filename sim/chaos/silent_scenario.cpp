// Scenario c: silent and half-open connections (chaos_scenarios.h).
#include <algorithm>
#include <cstdio>
#include <thread>

#include "sim/chaos/chaos_scenarios.h"
#include "sim/chaos/raw_socket.h"
#include "sim/chaos/scenario_support.h"
#include "sim/market_frames.h"

namespace carebroker::sim::chaos {

namespace {

/// A kind of silent connection, and when the server had dropped all of them.
struct Silent {
  const char* name;
  std::vector<RawSocket> sockets;
  double dropped_after_s = -1;
};

}  // namespace

ChaosRow silent_connections(const ChaosSetup& setup) {
  ChaosRow row{"silent and half-open connections"};
  MarketRun run(setup, "silent", {"--handshake-timeout", "2", "--idle-timeout", "4", "--max-connections-per-address", "1000"});
  if (!start_steady_market(run, row, std::chrono::milliseconds(250), 2LL * 24 * 3600 * 1000, "the silent connections"))
    return row;
  const int n = setup.short_run ? 20 : 100;
  // A client that has stopped reading cannot see the server close (the FIN waits behind the
  // bytes it never read): for those, the server's own count of open WebSockets says.
  const double ws_baseline = read_metric(run, "carebroker_ws_connections");
  const unsigned short port = run.server().port();
  std::vector<Silent> kinds;
  kinds.push_back({"TCP connected, nothing sent", {}});
  kinds.push_back({"upgraded, no Hello", {}});
  kinds.push_back({"WebSocket that stopped reading", {}});
  for (int i = 0; i < n; ++i) {
    RawSocket quiet, no_hello, deaf;
    if (quiet.connect(port)) kinds[0].sockets.push_back(std::move(quiet));
    std::string got;
    if (no_hello.connect(port) && no_hello.send(websocket_upgrade(port)) && no_hello.read_until("\r\n\r\n", 5, got))
      kinds[1].sockets.push_back(std::move(no_hello));
    got.clear();
    // A tiny receive buffer, a Hello, then never another read: the server's frames pile up.
    const auto& who = run.market().providers[1 + static_cast<std::size_t>(i) % (run.market().providers.size() - 1)];
    if (deaf.connect(port, 2048) && deaf.send(websocket_upgrade(port)) && deaf.read_until("\r\n\r\n", 5, got) &&
        deaf.send(websocket_text_frame(hello(Encoding::json, who.token))))
      kinds[2].sockets.push_back(std::move(deaf));
  }
  const std::uint64_t acks_before = steady_acks(run);
  const auto opened = std::chrono::steady_clock::now();
  const auto give_up = opened + std::chrono::seconds(30);
  std::size_t left = 0;
  do {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    left = 0;
    const double t = std::chrono::duration<double>(std::chrono::steady_clock::now() - opened).count();
    long upgraded_open = 0;  // the WebSockets without a Hello still open (the server counts them too)
    for (auto& k : kinds) {
      // Not a byte is read: the server must find these out by itself.
      auto open = std::count_if(k.sockets.begin(), k.sockets.end(), [](const RawSocket& s) { return !s.hung_up(); });
      if (&k == &kinds[1]) upgraded_open = open;
      if (&k == &kinds[2])
        open = std::max(0L, static_cast<long>(read_metric(run, "carebroker_ws_connections") - ws_baseline) - upgraded_open);
      if (open == 0 && k.dropped_after_s < 0) k.dropped_after_s = t;
      left += static_cast<std::size_t>(open);
    }
  } while (left > 0 && std::chrono::steady_clock::now() < give_up);
  const std::uint64_t acks_after = steady_acks(run);
  const std::string starved = steady_starved(run, acks_before, acks_after);
  const AckCheck check = run.check_acknowledged();
  for (auto& k : kinds) {
    char text[64];
    std::snprintf(text, sizeof text, "%zu, all dropped after %.1f s", k.sockets.size(), k.dropped_after_s);
    row.figure(k.name, k.dropped_after_s < 0 ? std::to_string(k.sockets.size()) + ", NOT all dropped" : text);
    if (k.sockets.empty()) row.fail(std::string("no connection of the kind \"") + k.name + "\" could be opened");
    if (k.dropped_after_s < 0) row.fail(std::string(k.name) + ": not all dropped within 30 s (timeouts 2 s and 4 s)");
  }
  row.figure("well-behaved acks meanwhile", std::to_string(acks_after - acks_before));
  if (!starved.empty()) row.fail(starved);
  report_acknowledgements(row, check);
  return row;
}

}  // namespace carebroker::sim::chaos
