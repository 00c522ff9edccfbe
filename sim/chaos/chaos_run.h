// What every chaos scenario shares: its setup and result row, and a market run — a real server
// forked on the scenario's own data directory, the market set up on it, providers and an
// officer playing it — with the check that ends a run: every acknowledged command is in the
// recovered market (over REST while the server runs: each acknowledged post is a package, each
// acknowledged acceptance a package placed with that location; then, the server stopped, in
// its journal: each post a PackagePosted, each acknowledged provider request its event), and no
// package was awarded twice (journal_audit.h). Used from one thread.
#pragma once

#include <boost/asio/io_context.hpp>

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "sim/chaos/chaos_market.h"
#include "sim/chaos/chaos_officer.h"
#include "sim/chaos/chaos_provider.h"
#include "sim/chaos/server_process.h"

namespace carebroker::sim::chaos {

struct ChaosSetup {
  std::string binary;          ///< the carebroker server
  std::string scenario_file;   ///< the market (sim/scenarios/ci-short.json)
  std::string work_dir;        ///< a data directory per scenario, made afresh
  double kill_seconds = 60;    ///< how long the SIGKILL scenario runs (--short: 3 kills)
  bool short_run = false;      ///< the CTest run: every scenario cut to its shortest
  std::uint64_t seed = 1;
};

/// One line of the results table.
struct ChaosRow {
  std::string scenario;
  bool ok = true;
  std::vector<std::pair<std::string, std::string>> figures;
  std::vector<std::string> problems;  ///< why not ok
  void figure(std::string name, std::string value) { figures.emplace_back(std::move(name), std::move(value)); }
  void fail(std::string why) {
    ok = false;
    problems.push_back(std::move(why));
  }
};

/// What the end-of-run check found.
struct AckCheck {
  std::uint64_t acked = 0;            ///< posts + provider commands acknowledged
  std::uint64_t lost = 0;             ///< acknowledged, and not in the recovered market
  std::uint64_t double_awards = 0;
  std::uint64_t awards_offered = 0, awards_accepted = 0;  ///< in the journal
  std::uint64_t unanswered = 0;       ///< sent and never answered (outcome unknown: not counted)
  std::string first_lost;             ///< an example, for the report
  std::map<std::string, std::uint64_t> refused_by_code;  ///< provider commands refused, by code
  std::string error;                  ///< the store could not be read
};

/// The simulated clock's speed the runs use: ten simulated minutes a second.
inline constexpr double kSimSpeed = 600;

class MarketRun {
 public:
  /// `options`: the server's, beyond --data, --port, --web and the simulated clock.
  MarketRun(const ChaosSetup& setup, const std::string& name, std::vector<std::string> options = {});
  ~MarketRun();

  /// Starts the server on an empty store and sets the market up; false with `error`.
  bool open(std::string& error);
  /// Starts a provider client per provider; with `steady` > 0 the first provider is the
  /// well-behaved steady client (chaos_provider.h) and the others bid as usual.
  void start_providers(std::chrono::milliseconds steady = std::chrono::milliseconds(0));
  /// Starts the officer: a post every `period` with a window of `window_ms` simulated.
  void start_officer(std::chrono::milliseconds period, std::int64_t window_ms, bool reads = true);
  /// Stops the officer and the providers (their threads joined): their tallies are final.
  void stop_clients();
  /// The end-of-run check (above). Stops the server.
  AckCheck check_acknowledged();

  ServerProcess& server() { return *server_; }
  const ChaosMarket& market() const { return market_; }
  ChaosOfficer* officer() { return officer_.get(); }
  /// The steady client (after start_providers with a period), or null.
  ChaosProvider* steady() { return steady_.get(); }
  /// Acks of every provider client so far (read on the io thread); of one kind (o, a, d) if given.
  std::uint64_t provider_acks(char kind = 0);
  /// The steady client's acks so far, and its commands not yet answered (read on the io thread).
  std::uint64_t steady_acked();
  std::size_t steady_unanswered();
  const std::string& data_dir() const { return data_dir_; }

 private:
  /// Runs `fn` on the providers' thread while it runs (waiting for it), else here.
  void on_io(const std::function<void()>& fn);

  std::string data_dir_;
  std::unique_ptr<ServerProcess> server_;
  ChaosMarket market_;
  std::string scenario_file_;
  boost::asio::io_context ioc_;
  std::unique_ptr<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> work_;
  std::thread io_thread_;
  std::vector<std::shared_ptr<ChaosProvider>> providers_;
  std::shared_ptr<ChaosProvider> steady_;
  std::unique_ptr<ChaosOfficer> officer_;
};

/// "code n, code n" of the provider commands refused, or "none".
std::string refused_text(const AckCheck& check);
/// The acknowledgement check's figures in a scenario's row — acks, lost, provider commands refused
/// — and its failures: any acknowledged command lost, or the check itself failing.
void report_acknowledgements(ChaosRow& row, const AckCheck& check);

/// "p50 / max" of a list of milliseconds.
std::string p50_max_ms(std::vector<double> ms);

}  // namespace carebroker::sim::chaos
