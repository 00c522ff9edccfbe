// Scenario b: a connection flood at and past the server's limit (chaos_scenarios.h).
#include <algorithm>
#include <thread>

#include "sim/chaos/chaos_scenarios.h"
#include "sim/chaos/raw_socket.h"
#include "sim/chaos/scenario_support.h"
#include "sim/market_frames.h"

namespace carebroker::sim::chaos {

namespace {

enum class Outcome { served, refused, no_answer };

/// One flood connection: an HTTP keep-alive request (even n) or a WebSocket that says Hello with
/// a provider's token (odd n); served when the server answers, refused when it closes at once.
Outcome open_one(RawSocket& s, unsigned short port, int n, const ChaosMarket& market) {
  if (!s.connect(port)) return Outcome::refused;
  std::string got;
  if (n % 2 == 0) {
    if (!s.send("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")) return Outcome::refused;
    if (s.read_until("\r\n\r\n", 10, got)) return got.find(" 200 ") != std::string::npos ? Outcome::served : Outcome::no_answer;
  } else {
    if (!s.send(websocket_upgrade(port))) return Outcome::refused;
    if (s.read_until("\r\n\r\n", 10, got)) {
      if (got.find(" 101 ") == std::string::npos) return Outcome::no_answer;
      const auto& who = market.providers[1 + static_cast<std::size_t>(n) % (market.providers.size() - 1)];
      return s.send(websocket_text_frame(hello(Encoding::json, who.token))) ? Outcome::served : Outcome::refused;
    }
  }
  return s.closed_by_server() ? Outcome::refused : Outcome::no_answer;
}

}  // namespace

ChaosRow flood_at_limit(const ChaosSetup& setup) {
  ChaosRow row{"connection flood past the limit"};
  const int limit = setup.short_run ? 200 : 1000;
  const int flood = limit + limit / 2;
  const std::string cap = std::to_string(limit);
  MarketRun run(setup, "flood", {"--max-connections", cap, "--max-connections-per-address", cap, "--idle-timeout", "60"});
  // Windows of two days: open all along.
  if (!start_steady_market(run, row, std::chrono::milliseconds(250), 2LL * 24 * 3600 * 1000, "the flood"))
    return row;
  const long rss_before = run.server().rss_kb();
  const std::uint64_t acks_before = steady_acks(run);
  long rss_peak = rss_before;
  std::vector<RawSocket> sockets(static_cast<std::size_t>(flood));
  int served = 0, refused = 0, silent = 0;
  for (int n = 0; n < flood; ++n) {
    switch (open_one(sockets[static_cast<std::size_t>(n)], run.server().port(), n, run.market())) {
      case Outcome::served: ++served; break;
      case Outcome::refused: ++refused; break;
      case Outcome::no_answer: ++silent; break;
    }
    if (n % 50 == 0) rss_peak = std::max(rss_peak, run.server().rss_kb());
  }
  // Held at the limit a while, more connections knocking all the time.
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(setup.short_run ? 3 : 10);
  int knocks = 0, knocks_refused = 0;
  while (std::chrono::steady_clock::now() < until) {
    RawSocket extra;
    ++knocks;
    if (open_one(extra, run.server().port(), knocks, run.market()) == Outcome::refused) ++knocks_refused;
    rss_peak = std::max(rss_peak, run.server().rss_kb());
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  const std::uint64_t acks_during = steady_acks(run) - acks_before;
  sockets.clear();
  const double refused_metric = read_metric(run, "carebroker_connections_refused_total");
  const std::string starved = steady_starved(run, acks_before, acks_before + acks_during);
  const AckCheck check = run.check_acknowledged();
  row.figure("limit", cap);
  row.figure("flood served / refused / no answer", std::to_string(served) + " / " + std::to_string(refused) + " / " +
                                                       std::to_string(silent));
  row.figure("knocks at the limit refused", std::to_string(knocks_refused) + " of " + std::to_string(knocks));
  row.figure("refusals counted by the server", std::to_string(static_cast<long long>(refused_metric)));
  row.figure("well-behaved acks during the flood", std::to_string(acks_during));
  row.figure("RSS before / peak", std::to_string(rss_before / 1024) + " / " + std::to_string(rss_peak / 1024) + " MiB");
  report_acknowledgements(row, check);
  if (!starved.empty()) row.fail(starved);
  if (served >= limit) row.fail("the server served " + std::to_string(served) + " flood connections past its limit " + cap);
  if (refused == 0) row.fail("no flood connection was refused: the limit was never reached");
  if (silent > 0) row.fail(std::to_string(silent) + " flood connections were neither served nor refused");
  if (knocks_refused != knocks) row.fail("a connection past the limit was let in while the flood held it");
  if (rss_peak > rss_before + 512 * 1024) row.fail("the server's memory grew by more than 512 MiB under the flood");
  return row;
}

}  // namespace carebroker::sim::chaos
