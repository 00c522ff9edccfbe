// carebroker: the server. Runs the store (embedded RocksDB), the sequencer and the gateway
// (REST for officers and admins, WebSocket for providers), optionally loading the
// demonstration market on first start. On first start it creates an admin token and prints it
// once. See `carebroker --help`.
#include <boost/program_options.hpp>

#include <malloc.h>
#include <pthread.h>
#include <sys/stat.h>

#include <algorithm>
#include <chrono>
#include <optional>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <future>
#include <memory>
#include <iostream>
#include <thread>

#include "demo/demo_market.h"
#include "engine/sequencer/sequencer.h"
#include "gateway/app.h"
#include "gateway/disk_full_trigger.h"

using namespace carebroker;

int main(int argc, char** argv) {
  // glibc gives threads up to 8 malloc arenas per core; memory one thread frees stays in its
  // arena for that arena's threads only, so a server of a dozen threads keeps its peaks several
  // times over (measured: ~300 B more per live package and ~240 B per live offer, README
  // "Memory"). One arena per core still lets the cores allocate side by side. Unless the
  // operator chose otherwise (MALLOC_ARENA_MAX); before any thread starts.
  if (!std::getenv("MALLOC_ARENA_MAX"))
    ::mallopt(M_ARENA_MAX, static_cast<int>(std::max(2U, std::thread::hardware_concurrency())));
  ::umask(077);  // the journal, tokens and backups are the server user's alone (0700 / 0600)
  // SIGINT/SIGTERM are blocked in every thread and taken with sigwait at the end of main.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  namespace po = boost::program_options;
  gateway::AppOptions o;
  o.data_dir = "carebroker-data";
  o.web_dir = CAREBROKER_WEB_DIR;
  std::string demo_data = CAREBROKER_DATA_DIR;
  bool demo = false, unsafe = false;
  auto& l = o.limits;
  double rate = l.ws_messages_per_second;
  double handshake_s = std::chrono::duration<double>(l.handshake_timeout).count();
  double idle_s = std::chrono::duration<double>(l.idle_timeout).count();
  std::string disk_full_file;
  std::size_t auth_failure_limit = l.auth_failures.max_failures;
  long auth_failure_window = static_cast<long>(l.auth_failures.window.count());
  po::options_description options("carebroker — a brokerage and auction engine for adult social care");
  options.add_options()("help,h", "show this help")("config", po::value<std::string>(), "read options from this file (key = value)")(
      "listen", po::value(&o.address)->default_value(o.address), "address to listen on")(
      "port", po::value(&o.port)->default_value(o.port), "port (0 = any free port)")(
      "data", po::value(&o.data_dir)->default_value(o.data_dir), "data directory (journal, tokens), made 0700")(
      "backup-dir", po::value(&o.backup_dir),
      "online backups (POST /api/v1/admin/backups {\"name\": N}) go only to <backup-dir>/N; default <data>/backups; "
      "must not be inside <data>/journal nor contain <data>")(
      "threads", po::value(&o.threads)->default_value(o.threads), "I/O threads")(
      "demo", po::bool_switch(&demo), "on first start, load the demonstration market (CQC data)")(
      "demo-data", po::value(&demo_data)->default_value(demo_data), "where the demonstration data lives")(
      "web", po::value(&o.web_dir)->default_value(o.web_dir), "web portal files served at / (empty = none)")(
      "snapshot-every", po::value(&o.snapshot_every)->default_value(o.snapshot_every), "write a snapshot every N events")(
      "max-body", po::value(&l.max_body_bytes)->default_value(l.max_body_bytes), "largest REST request body, bytes")(
      "max-frame", po::value(&l.max_frame_bytes)->default_value(l.max_frame_bytes), "largest client WebSocket frame, bytes")(
      "outbound-queue", po::value(&l.outbound_queue_bytes)->default_value(l.outbound_queue_bytes),
      "bytes queued for one WebSocket before it is cut off")(
      "max-connections", po::value(&l.max_connections)->default_value(l.max_connections), "open connections at most")(
      "max-connections-per-address", po::value(&l.max_connections_per_address)->default_value(l.max_connections_per_address),
      "open connections at most from one client address")(
      "ws-rate", po::value(&rate)->default_value(rate), "WebSocket messages per second per connection")(
      "handshake-timeout", po::value(&handshake_s)->default_value(handshake_s),
      "seconds from accept to the end of the first HTTP request or the WebSocket upgrade; again for the Hello")(
      "idle-timeout", po::value(&idle_s)->default_value(idle_s),
      "seconds an HTTP keep-alive connection may wait for its next request, and a WebSocket may stay silent")(
      "tls-cert", po::value(&o.tls.certificate_chain), "TLS certificate chain (PEM); with --tls-key, serve https/wss only")(
      "tls-key", po::value(&o.tls.private_key), "TLS private key (PEM)")(
      "tls-ciphers", po::value(&o.tls.ciphers)->default_value(o.tls.ciphers),
      "TLS 1.2 cipher suites (OpenSSL list); TLS 1.3 uses OpenSSL's own AEAD suites; below TLS 1.2 is refused")(
      "token-lifetime-days", po::value(&o.token_policy.lifetime_days)->default_value(o.token_policy.lifetime_days),
      "a token issued without expires_in_days expires after this many days (0 = never); the first start's admin token never expires")(
      "token-rotation-grace-seconds",
      po::value(&o.token_policy.rotation_grace_seconds)->default_value(o.token_policy.rotation_grace_seconds),
      "a token rotated with POST /api/v1/tokens/rotate still works this long")(
      "auth-failure-limit", po::value(&auth_failure_limit)->default_value(auth_failure_limit),
      "failed authentications (unknown, expired or revoked tokens) from one address before it gets 429 (0 = no limit)")(
      "auth-failure-window", po::value(&auth_failure_window)->default_value(auth_failure_window),
      "seconds from an address's first failed authentication in which they are counted (and it is refused)")(
      "auth-failure-addresses", po::value(&l.auth_failures.max_addresses)->default_value(l.auth_failures.max_addresses),
      "client addresses tracked for failed authentications at most (the oldest is forgotten)")(
      "unsafe-no-sync", po::bool_switch(&unsafe), "DANGER: do not sync the journal (simulations only)")(
      "sim-clock-speed", po::value(&o.sim_clock_speed),
      "simulation: the market's clock runs N times as fast as real time; the store is marked simulated, "
      "and a store written in real time refuses it (and a simulated store refuses to start without it)");
  // Test-only, not in --help (README "Chaos"): while this file exists the journal's disk is full.
  po::options_description test_only("test-only");
  test_only.add_options()("test-disk-full-file", po::value(&disk_full_file),
                          "TEST ONLY, a simulation's store only: the journal's disk is full while this file exists");
  po::options_description all;
  all.add(options).add(test_only);
  po::variables_map vm;
  try {
    po::store(po::parse_command_line(argc, argv, all), vm);
    if (vm.count("config")) po::store(po::parse_config_file<char>(vm["config"].as<std::string>().c_str(), options), vm);
    po::notify(vm);
  } catch (const std::exception& e) {
    std::cerr << "carebroker: " << e.what() << "\n\n" << options;
    return 2;
  }
  if (vm.count("help")) {
    std::cout << options;
    return 0;
  }
  l.ws_messages_per_second = rate;
  l.auth_failures.max_failures = auth_failure_limit;
  l.auth_failures.window = std::chrono::seconds(auth_failure_window);
  if (o.token_policy.lifetime_days < 0 || o.token_policy.lifetime_days > gateway::kMaxTokenLifetimeDays ||
      o.token_policy.rotation_grace_seconds < 0 || auth_failure_window < 1) {
    std::cerr << "carebroker: --token-lifetime-days is 0.." << gateway::kMaxTokenLifetimeDays
              << ", --token-rotation-grace-seconds at least 0 and --auth-failure-window at least 1\n";
    return 2;
  }
  l.ws_burst = 2 * rate;
  if (!(handshake_s >= 0.01 && idle_s >= 0.01 && handshake_s <= 3600 && idle_s <= 86400)) {
    std::fprintf(stderr, "carebroker: --handshake-timeout is 0.01..3600 seconds and --idle-timeout 0.01..86400\n");
    return 2;
  }
  l.handshake_timeout = std::chrono::milliseconds(static_cast<long long>(handshake_s * 1000));
  l.idle_timeout = std::chrono::milliseconds(static_cast<long long>(idle_s * 1000));
  // A fault-injecting journal only ever on a simulation's store: a store written in real time
  // refuses --sim-clock-speed, so no real market's journal can be opened this way.
  std::unique_ptr<gateway::DiskFullTrigger> disk_full;
  if (!disk_full_file.empty()) {
    if (!(o.sim_clock_speed > 0)) {
      std::fprintf(stderr, "carebroker: --test-disk-full-file is for tests, on a simulation's store: it needs --sim-clock-speed\n");
      return 2;
    }
    disk_full = std::make_unique<gateway::DiskFullTrigger>(disk_full_file);
    o.journal_file_system = disk_full->file_system();
    std::fprintf(stderr, "carebroker: TEST: the journal's disk is full while %s exists\n", disk_full_file.c_str());
  }
  // No portal built here: serve the API only. (An explicit --web must exist: the server says so.)
  if (vm["web"].defaulted() && !std::filesystem::is_directory(o.web_dir)) o.web_dir.clear();
  o.sync = !unsafe;
  sequencer::SystemClock clock;
  if (demo) {
    auto market = demo::demo_market(demo_data, clock.now());
    if (!market.error.empty()) {
      std::fprintf(stderr, "carebroker: cannot read the demonstration market: %s\n", market.error.c_str());
      return 1;
    }
    o.first_start = std::move(market.commands);
  }

  gateway::App app;
  std::string error;
  if (!app.start(o, error)) {
    std::fprintf(stderr, "carebroker: %s\n", error.c_str());
    return 1;
  }
  // The demonstration market's commands are journaled now (or were on an earlier start): their
  // ~2 MB need not stay for the life of the process.
  std::vector<engine::Command>().swap(o.first_start);
  std::printf("carebroker: %s%s\n", app.recovery_summary().c_str(),
              app.first_start() && demo ? "; loaded the demonstration market" : "");
  if (app.tokens().empty()) {
    std::printf("carebroker: first start — these tokens are shown once; keep them safe:\n");
    // On the terminal only: never logged elsewhere, never written in clear (the file keeps hashes).
    auto issue = [&](const std::string& what, gateway::Principal who, std::optional<int> days = std::nullopt) {
      if (auto token = app.issue_token(who, error, days)) std::printf("  %-40s %s\n", what.c_str(), token->c_str());
      else std::fprintf(stderr, "carebroker: no token for %s: %s\n", what.c_str(), error.c_str());
    };
    // The first admin token never expires: an operator is never locked out by a lifetime.
    // The others follow --token-lifetime-days.
    issue("admin", {gateway::Role::admin, "", "admin"}, 0);
    if (demo) {
      issue("officer (brokerage-officer-1)", {gateway::Role::officer, "", "brokerage-officer-1"});
      issue("compliance (compliance-officer-1)", {gateway::Role::compliance, "", "compliance-officer-1"});
      // A provider token for a Tier 1 provider in the south of Birmingham, to try the portal.
      std::promise<std::string> provider;
      (void)app.sequencer().submit_read(
          [&](const engine::Market& m) {
            const int dps = m.find_dps(demo::kHomeCareDps);
            std::string id;
            if (dps >= 0)
              if (const auto south = m.eligible({dps, 0, 0, m.dps(dps).zone_index("south"), 0}); !south.empty())
                id = m.location(south.front()).provider_id;
            provider.set_value(id);
          },
          [](bool) {});
      if (const std::string id = provider.get_future().get(); !id.empty())
        issue("provider " + id, {gateway::Role::provider, id, "demo provider " + id});
    }
  }
  std::printf("carebroker: listening — open %s://%s:%u/  (REST under /api/v1, providers' WebSocket at /ws)\n",
              o.tls.enabled() ? "https" : "http", o.address.c_str(), static_cast<unsigned>(app.port()));
  std::fflush(stdout);
  int signal_number = 0;
  sigwait(&stop_signals, &signal_number);
  std::printf("carebroker: stopping\n");
  app.stop();
  return 0;
}
