// carebroker-sim: runs a scenario (sim/scenarios/*.json, format in sim/scenarios/README.md)
// against a real carebroker server on a simulated clock — one it starts, or one given by URL
// (--server, remote_server.h) that runs a simulation: officers post the demand over
// REST, every provider bids and answers awards over its own WebSocket, and the run ends with a
// terminal summary, result.json, data files and gnuplot plots, and an audit of what the sim saw
// against what the server reports. See `carebroker-sim --help`.
#include <boost/program_options.hpp>

#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>

#include "engine/market/calendar.h"
#include "sim/demand.h"
#include "sim/market_players.h"
#include "sim/officer_desk.h"
#include "sim/scenario.h"
#include "sim/scenario_market.h"
#include "sim/remote_server.h"
#include "sim/rest_client.h"
#include "sim/server_check.h"
#include "sim/server_lag.h"
#include "sim/sim_outcomes.h"
#include "sim/sim_report.h"
#include "sim/sim_server.h"

using namespace carebroker;
using namespace carebroker::sim;

namespace {

/// Lets this process (and the server it forks) hold as many sockets as the system allows.
void raise_file_limit() {
  rlimit l{};
  if (getrlimit(RLIMIT_NOFILE, &l) == 0 && l.rlim_cur < l.rlim_max) {
    l.rlim_cur = l.rlim_max;
    setrlimit(RLIMIT_NOFILE, &l);
  }
}

/// The simulated clock's first reading: the scenario's start date at midnight in London, or now.
engine::UtcMillis clock_start(const Scenario& s, std::string& error) {
  if (s.start_date.empty()) return sequencer::SystemClock().now();
  int y = 0;
  unsigned m = 0, d = 0;
  if (std::sscanf(s.start_date.c_str(), "%d-%u-%u", &y, &m, &d) != 3 || m < 1 || m > 12 || d < 1 || d > 31) {
    error = "start_date: \"" + s.start_date + "\" is not YYYY-MM-DD";
    return 0;
  }
  return engine::london_to_utc(engine::days_from_civil({y, m, d}), 0);
}

}  // namespace

int main(int argc, char** argv) {
  namespace po = boost::program_options;
  std::string scenario_path, mode = "open", out_dir, data_dir, demo_data = CAREBROKER_DATA_DIR, server_url, admin_token;
  pid_t server_pid = 0;
  int setup_connections = 8;
  double speed = 0, days = 0, drain_s = 300;
  long long seed = -1;
  int officers = 4, threads = 1;
  std::size_t concurrency = 64;
  bool no_sync = false, no_plots = false, quiet = false, check = false;
  po::options_description options(
      "carebroker-sim — run a market scenario against a real carebroker server on a simulated clock\n"
      "usage: carebroker-sim SCENARIO.json [options]");
  options.add_options()("help,h", "show this help")("scenario", po::value(&scenario_path), "the scenario file")(
      "mode", po::value(&mode)->default_value(mode),
      "open: each package is posted at its planned time, latency from that intended time; closed: officers post "
      "back to back and providers answer at once (maximum throughput)")(
      "speed", po::value(&speed), "simulated seconds per real second (default: the scenario's)")(
      "days", po::value(&days), "simulated days (default: the scenario's)")(
      "seed", po::value(&seed), "the seed (default: the scenario's)")(
      "officers", po::value(&officers)->default_value(officers), "concurrent officers posting over REST")(
      "threads", po::value(&threads)->default_value(threads), "the server's I/O threads")(
      "out", po::value(&out_dir), "where result.json, the data files and plots go (default sim-results/<scenario>)")(
      "data", po::value(&data_dir), "the server's data directory, emptied first (default /tmp/carebroker-sim-<pid>, removed at the end)")(
      "demo-data", po::value(&demo_data)->default_value(demo_data), "data/ for a scenario whose market source is demo")(
      "connect-concurrency", po::value(&concurrency)->default_value(concurrency), "WebSocket handshakes at a time")(
      "drain", po::value(&drain_s)->default_value(drain_s), "real seconds at most to wait, after the demand, for every answer and then for the server's read side to "
      "catch up and its frames to stop (an overloaded server can take minutes)")(
      "no-sync", po::bool_switch(&no_sync), "do not sync the server's journal (faster; unsafe outside simulations)")(
      "no-plots", po::bool_switch(&no_plots), "write the data files but do not run gnuplot")(
      "quiet", po::bool_switch(&quiet), "no live progress line")(
      "check", po::bool_switch(&check), "exit 1 when the audit finds a lost offer or the sim and the server disagree")(
      "server", po::value(&server_url),
      "run against this server (http://HOST:PORT) instead of starting one: a carebroker started with --sim-clock-speed N "
      "on a new --data directory; the sim follows its clock, sets the market up over REST and freezes the clock at the end")(
      "admin-token", po::value(&admin_token), "with --server: an administrator's token (default: $CAREBROKER_ADMIN_TOKEN)")(
      "server-pid", po::value(&server_pid), "with --server on this machine: sample that process's RSS and CPU")(
      "setup-connections", po::value(&setup_connections)->default_value(setup_connections),
      "with --server: REST connections that set the market up and issue the tokens");
  po::positional_options_description positional;
  positional.add("scenario", 1);
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(argc, argv).options(options).positional(positional).run(), vm);
    po::notify(vm);
  } catch (const std::exception& e) {
    std::cerr << "carebroker-sim: " << e.what() << "\n\n" << options;
    return 2;
  }
  if (vm.count("help") || scenario_path.empty()) {
    std::cout << options;
    return scenario_path.empty() && !vm.count("help") ? 2 : 0;
  }
  if (mode != "open" && mode != "closed") {
    std::cerr << "carebroker-sim: --mode must be open or closed\n";
    return 2;
  }
  auto read = read_scenario_file(scenario_path);
  if (!read.scenario) {
    std::cerr << "carebroker-sim: " << read.error << "\n";
    return 2;
  }
  Scenario s = std::move(*read.scenario);
  if (days > 0) s.days = days;
  if (seed >= 0) s.seed = static_cast<std::uint64_t>(seed);
  if (out_dir.empty()) out_dir = "sim-results/" + s.name;
  const bool remote = !server_url.empty();
  if (!remote && (vm.count("admin-token") || vm.count("server-pid"))) {
    std::cerr << "carebroker-sim: --admin-token and --server-pid go with --server\n";
    return 2;
  }
  if (remote && (vm.count("data") || !vm["threads"].defaulted() || no_sync)) {
    std::cerr << "carebroker-sim: --data, --threads and --no-sync are for the server the sim starts, not one given by --server\n";
    return 2;
  }
  const bool own_data_dir = !remote && data_dir.empty();  // the sim's own: removed at the end
  if (own_data_dir) data_dir = "/tmp/carebroker-sim-" + std::to_string(::getpid());
  const bool closed = mode == "closed";
  raise_file_limit();

  std::string error;
  // A server given by URL keeps its own clock: the sim follows it (its speed, from its time now).
  RemoteServer given;
  RemoteClock remote_clock;
  if (remote) {
    std::string host;
    unsigned short port = 0;
    if (admin_token.empty())
      if (const char* env = std::getenv("CAREBROKER_ADMIN_TOKEN")) admin_token = env;
    if (!parse_server_url(server_url, host, port, error) || !given.connect(host, port, admin_token, error) ||
        !given.read_clock(remote_clock, error)) {
      std::cerr << "carebroker-sim: " << error << "\n";
      return 2;
    }
    if (speed > 0 && speed != remote_clock.speed) {
      std::fprintf(stderr, "carebroker-sim: --speed %.0f, but the server's clock runs at ×%.0f\n", speed, remote_clock.speed);
      return 2;
    }
    s.speed = remote_clock.speed;
  } else if (speed > 0) {
    s.speed = speed;
  }
  const engine::UtcMillis start = remote ? remote_clock.now : clock_start(s, error);
  if (!error.empty()) {
    std::cerr << "carebroker-sim: " << error << "\n";
    return 2;
  }
  // The market's clock, in memory shared with the server the sim forks: both read the same time,
  // and the sim can freeze it at the end of the run so that its audit sees a market at rest.
  // (With --server, the sim's own copy, started at the server's reading.)
  void* shared = mmap(nullptr, sizeof(sequencer::ScaledClock), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  if (shared == MAP_FAILED) {
    std::cerr << "carebroker-sim: cannot map memory for the shared clock\n";
    return 1;
  }
  sequencer::ScaledClock& clock = *new (shared) sequencer::ScaledClock(start, s.speed);
  SimMarket market = scenario_market(s, demo_data, clock.now());
  if (!market.error.empty()) {
    std::cerr << "carebroker-sim: " << market.error << "\n";
    return 1;
  }
  const std::vector<Arrival> arrivals = plan_demand(s, market.spec);
  std::fprintf(stderr, "carebroker-sim: %s: %zu locations, %zu providers, %zu packages planned over %.1f days at ×%.0f\n",
               s.name.c_str(), market.locations.size(), market.providers.size(), arrivals.size(), s.days, s.speed);

  // Where the server is and the tokens the sim uses: its own child's, or the given server's.
  std::string address = "127.0.0.1";
  unsigned short port = 0;
  pid_t pid = 0;
  const std::string *officer = nullptr, *compliance = nullptr, *admin = nullptr;
  const std::vector<std::string>* provider_tokens = nullptr;
  std::vector<std::string> provider_ids;
  for (const auto& p : market.providers) provider_ids.push_back(p.id);
  SimServer server;
  if (remote) {
    const auto began = std::chrono::steady_clock::now();
    if (!given.check_fresh(market.spec.dps, error) || !given.issue_staff_tokens(error) ||
        !given.set_up_market(market.commands, setup_connections, error) ||
        !given.issue_provider_tokens(provider_ids, setup_connections, error)) {
      std::cerr << "carebroker-sim: " << error << "\n";
      return 1;
    }
    std::fprintf(stderr, "carebroker-sim: set the market up on %s in %.1f s (%zu commands over REST)\n", server_url.c_str(),
                 std::chrono::duration<double>(std::chrono::steady_clock::now() - began).count(), market.commands.size());
    address = given.address();
    port = given.port();
    pid = server_pid;
    officer = &given.officer_token();
    compliance = &given.compliance_token();
    admin = &given.admin_token();
    provider_tokens = &given.provider_tokens();
  } else {
    SimServerSetup setup;
    setup.data_dir = data_dir;
    setup.sync = !no_sync;
    setup.threads = threads;
    setup.market = market.commands;
    setup.providers = provider_ids;
    if (!server.start(setup, clock, error)) {
      std::cerr << "carebroker-sim: " << error << "\n";
      return 1;
    }
    port = server.port();
    pid = server.pid();
    officer = &server.officer_token();
    compliance = &server.compliance_token();
    admin = &server.admin_token();
    provider_tokens = &server.provider_tokens();
  }

  RunRecord record;
  MarketPlayers players(address, port, market, clock, record, closed, s.seed);
  if (!players.connect(*provider_tokens, *officer, concurrency, 120, error)) {
    std::cerr << "carebroker-sim: " << error << "\n";
    return 1;
  }
  std::fprintf(stderr, "carebroker-sim: %zu provider WebSockets and the officers' open; running\n", market.providers.size());

  DeskSetup desk_setup;
  desk_setup.host = address;
  desk_setup.port = port;
  desk_setup.officer_token = *officer;
  desk_setup.compliance_token = *compliance;
  desk_setup.dps = market.spec.dps;
  desk_setup.lot = market.spec.lot;
  desk_setup.officers = officers;
  desk_setup.closed_loop = closed;
  desk_setup.speed = s.speed;
  if (!s.demand.administration_provider.empty()) {
    // The scenario names a location; administration is its provider's.
    for (const auto& l : market.locations)
      if (l.id == s.demand.administration_provider) desk_setup.administration_provider = l.provider;
    desk_setup.administration_at_s = s.demand.administration_day * 86'400;
    if (desk_setup.administration_provider.empty()) {
      std::cerr << "carebroker-sim: demand.administration.location: no location " << s.demand.administration_provider << "\n";
      return 2;
    }
  }
  OfficerDesk desk(desk_setup, arrivals, players);
  MarketPlay& play = players.play();
  play.start_run();
  desk.start();
  const double end_sim_s = s.days * 86'400;
  const bool progress = !quiet && isatty(STDERR_FILENO);
  bool finished = players.run_until([&] { return desk.finished() && (closed || play.sim_seconds() >= end_sim_s); },
                                    (closed ? 0 : end_sim_s / s.speed) + 600, pid, progress);
  const double wall = play.wall_seconds(sequencer::ScaledClock::steady_ns());
  // The end: the market's time stops and the providers stop acting; every request already sent
  // must still be answered, and the last batches' notices arrive. Then the audit.
  clock.freeze();
  if (remote && !given.freeze_clock(error)) {
    std::cerr << "carebroker-sim: " << error << " (the audit may see the market move)\n";
    error.clear();
  }
  play.stop_acting();
  finished = players.run_until([&] { return play.outstanding() == 0; }, drain_s, pid, false) && finished;
  // The read side catches up with the journal (under overload it lags: its notices are the
  // staff stream the audit compares with), and its last frames reach the sockets: no frame on
  // any socket for two seconds.
  RestClient metrics(address, port);
  std::string lag_error;
  auto last_look = std::chrono::steady_clock::now();
  const bool caught_up = players.run_until(
      [&] {
        if (std::chrono::steady_clock::now() - last_look < std::chrono::milliseconds(200)) return false;
        last_look = std::chrono::steady_clock::now();
        if (sequencer::ScaledClock::steady_ns() - play.last_frame_ns() < 2'000'000'000) return false;
        return read_server_lag(metrics, *admin, lag_error).caught_up() || !lag_error.empty();
      },
      drain_s, pid, false);
  if (!caught_up || !lag_error.empty())
    std::fprintf(stderr, "carebroker-sim: the server's read side did not catch up with its journal%s\n",
                 lag_error.empty() ? " in time" : (": " + lag_error).c_str());
  if (!finished) std::fprintf(stderr, "carebroker-sim: the run did not finish in time; reporting what it saw\n");
  desk.join();
  const std::size_t outstanding = play.outstanding();
  players.close();

  for (double f : fan_out_ms(record)) record.fan_out.record(static_cast<std::uint64_t>(f * 1e6));
  for (double f : fan_out_ms(record, true)) record.fan_out_first.record(static_cast<std::uint64_t>(f * 1e6));
  RunFacts facts;
  facts.scenario = &s;
  facts.market = &market;
  facts.mode = mode;
  facts.sync = !no_sync;
  facts.server_url = server_url;
  facts.server_sampled = pid > 0;
  facts.wall_seconds = wall;
  facts.planned_packages = arrivals.size();
  facts.checks = check_against_server(address, port, *officer, record, outstanding, arrivals.size(), facts.check_error);
  server.stop();
  if (own_data_dir) {
    std::error_code ignored;
    std::filesystem::remove_all(data_dir, ignored);
  }
  const Outcomes outcomes = market_outcomes(record, market);
  print_summary(facts, record, outcomes);
  if (auto problem = write_results(out_dir, facts, record, outcomes); !problem.empty())
    std::fprintf(stderr, "carebroker-sim: %s\n", problem.c_str());
  else std::printf("\n  results: %s/result.json\n", out_dir.c_str());
  if (!no_plots) std::printf("  %s\n", draw_plots(out_dir, facts, record).c_str());
  bool consistent = facts.check_error.empty() && finished;
  for (const auto& c : facts.checks) consistent = consistent && c.ok();
  return check && !consistent ? 1 : 0;
}
