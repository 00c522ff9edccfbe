// Scenario d: one byte a second (chaos_scenarios.h).
#include <cstdio>
#include <thread>

#include "sim/chaos/chaos_scenarios.h"
#include "sim/chaos/raw_socket.h"
#include "sim/chaos/scenario_support.h"
#include "sim/market_frames.h"

namespace carebroker::sim::chaos {

namespace {

/// A slow client: what it sends at once (each step's bytes, then what it waits for), then what
/// it sends a byte a second; and when it was cut off.
struct Slow {
  const char* name;
  std::vector<std::pair<std::string, std::string>> steps;
  std::string trickle;
  RawSocket socket;
  double cut_after_s = -1;
  bool opened = false;
};

std::string padded(std::string text, std::size_t size) {
  while (text.size() < size) text += 'a';
  return text;
}

}  // namespace

ChaosRow one_byte_a_second(const ChaosSetup& setup) {
  ChaosRow row{"one byte a second"};
  MarketRun run(setup, "slow", {"--handshake-timeout", "2", "--idle-timeout", "4"});
  if (!start_steady_market(run, row, std::chrono::milliseconds(250), 2LL * 24 * 3600 * 1000, "the slow clients"))
    return row;
  const unsigned short port = run.server().port();
  const auto& who = run.market().providers[1];
  // Long enough that none of them could finish within the 30 s watched.
  const std::string http_request = padded("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Padding: ", 200) + "\r\n\r\n";
  const std::string offer = place_offer(Encoding::json, "slow-1", "tier2-1", 1, 3300, "2030-01-01", {});
  std::vector<Slow> slow;
  const std::string upgrade = websocket_upgrade(port), end_of_head = "\r\n\r\n";
  slow.push_back({"HTTP, the first request", {}, http_request});
  slow.push_back({"HTTP, a kept-alive connection's next request",
                  {{"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", end_of_head}}, http_request});
  slow.push_back({"WebSocket, the Hello frame", {{upgrade, end_of_head}},
                  websocket_text_frame(padded(hello(Encoding::json, who.token), 200))});
  slow.push_back({"WebSocket, a frame after the Hello",
                  {{upgrade, end_of_head}, {websocket_text_frame(hello(Encoding::json, who.token)), "Welcome"}},
                  websocket_text_frame(offer + std::string(200, ' '))});
  for (auto& s : slow) {
    s.opened = s.socket.connect(port);
    for (const auto& [bytes, wait_for] : s.steps) {
      std::string got;
      s.opened = s.opened && s.socket.send(bytes) && s.socket.read_until(wait_for, 10, got);
    }
    if (!s.opened) row.fail(std::string(s.name) + ": could not be set up");
  }
  const std::uint64_t acks_before = steady_acks(run);
  const auto started = std::chrono::steady_clock::now();
  const auto give_up = started + std::chrono::seconds(30);
  for (std::size_t sent = 0; std::chrono::steady_clock::now() < give_up; ++sent) {
    bool any = false;
    const double t = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    for (auto& s : slow) {
      if (!s.opened || s.cut_after_s >= 0) continue;
      if (s.socket.closed_by_server() || sent >= s.trickle.size() || !s.socket.send(s.trickle.substr(sent, 1))) {
        s.cut_after_s = t;
        continue;
      }
      any = true;
    }
    if (!any) break;
    std::this_thread::sleep_for(std::chrono::seconds(1));
  }
  const std::uint64_t acks_after = steady_acks(run);
  const std::string starved = steady_starved(run, acks_before, acks_after);
  const AckCheck check = run.check_acknowledged();
  for (auto& s : slow) {
    char text[48];
    std::snprintf(text, sizeof text, "cut off after %.0f s", s.cut_after_s);
    row.figure(s.name, s.cut_after_s < 0 ? "NOT cut off in 30 s" : text);
    if (s.opened && s.cut_after_s < 0) row.fail(std::string(s.name) + " sent a byte a second for 30 s and was not cut off");
  }
  row.figure("well-behaved acks meanwhile", std::to_string(acks_after - acks_before));
  if (!starved.empty()) row.fail(starved);
  report_acknowledgements(row, check);
  return row;
}

}  // namespace carebroker::sim::chaos
