// carebroker: the server. Runs the store (embedded RocksDB), the sequencer and the gateway
// (REST for officers and admins, WebSocket for providers), optionally loading the
// demonstration market on first start. On first start it creates an admin token and prints it
// once. See `carebroker --help`.
#include <boost/program_options.hpp>

#include <pthread.h>

#include <csignal>
#include <cstdio>
#include <filesystem>
#include <future>
#include <iostream>

#include "demo/demo_market.h"
#include "engine/sequencer/sequencer.h"
#include "engine/store/rocksdb_journal.h"
#include "gateway/auth.h"
#include "gateway/metrics.h"
#include "gateway/protocol/projector.h"
#include "gateway/protocol/provider_streams.h"
#include "gateway/sequencer_service.h"
#include "gateway/server.h"

using namespace carebroker;

namespace {

/// Runs commands through the sequencer and waits for each to be durable; false on the first failure.
bool run_all(sequencer::Sequencer& s, const std::vector<engine::Command>& commands, std::string& error) {
  std::vector<std::future<sequencer::CommandResult>> results;
  results.reserve(commands.size());
  for (const auto& c : commands) {
    if (std::holds_alternative<engine::Tick>(c)) continue;  // the sequencer's clock keeps the time
    auto promise = std::make_shared<std::promise<sequencer::CommandResult>>();
    results.push_back(promise->get_future());
    while (!s.submit(c, [promise](sequencer::CommandResult&& r) { promise->set_value(std::move(r)); }))
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  for (std::size_t i = 0; i < results.size(); ++i) {
    const auto r = results[i].get();
    if (!r.durable || !r.reply.ok()) {
      error = "command " + std::to_string(i) + ": " +
              (r.durable ? std::string(engine::to_string(r.reply.status.code)) + " " + r.reply.status.detail : r.failure);
      return false;
    }
  }
  return true;
}

void print_token(const char* what, const std::string& token) { std::printf("  %-44s %s\n", what, token.c_str()); }

}  // namespace

int main(int argc, char** argv) {
  // SIGINT/SIGTERM are blocked in every thread and taken with sigwait at the end of main.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  namespace po = boost::program_options;
  std::string config_file, address = "127.0.0.1", data = "carebroker-data", demo_data = CAREBROKER_DATA_DIR,
                           web = CAREBROKER_WEB_DIR;
  unsigned short port = 8080;
  int threads = 1;
  bool demo = false, unsafe = false;
  std::uint64_t snapshot_every = 500'000;
  gateway::ServerLimits limits;
  std::size_t max_body = limits.max_body_bytes, max_frame = limits.max_frame_bytes,
              outbound = limits.outbound_queue_bytes, max_connections = limits.max_connections;
  double rate = limits.ws_messages_per_second;

  po::options_description options("carebroker — a brokerage and auction engine for adult social care");
  options.add_options()("help,h", "show this help")("config", po::value(&config_file), "read options from this file (key = value)")(
      "listen", po::value(&address)->default_value(address), "address to listen on")(
      "port", po::value(&port)->default_value(port), "port (0 = any free port)")(
      "data", po::value(&data)->default_value(data), "data directory (journal, tokens)")(
      "threads", po::value(&threads)->default_value(threads), "I/O threads")(
      "demo", po::bool_switch(&demo), "on first start, load the demonstration market (CQC data)")(
      "demo-data", po::value(&demo_data)->default_value(demo_data), "where the demonstration data lives")(
      "web", po::value(&web)->default_value(web), "web portal files served at / (empty = none)")(
      "snapshot-every", po::value(&snapshot_every)->default_value(snapshot_every), "write a snapshot every N events")(
      "max-body", po::value(&max_body)->default_value(max_body), "largest REST request body, bytes")(
      "max-frame", po::value(&max_frame)->default_value(max_frame), "largest WebSocket frame from a client, bytes")(
      "outbound-queue", po::value(&outbound)->default_value(outbound), "bytes queued for one WebSocket before it is cut off")(
      "max-connections", po::value(&max_connections)->default_value(max_connections), "open connections at most")(
      "ws-rate", po::value(&rate)->default_value(rate), "WebSocket messages per second per connection")(
      "unsafe-no-sync", po::bool_switch(&unsafe), "DANGER: do not sync the journal (simulations only)");
  po::variables_map vm;
  try {
    po::store(po::parse_command_line(argc, argv, options), vm);
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
  limits.max_body_bytes = max_body;
  limits.max_frame_bytes = max_frame;
  limits.outbound_queue_bytes = outbound;
  limits.max_connections = max_connections;
  limits.ws_messages_per_second = rate;
  limits.ws_burst = 2 * rate;

  std::error_code ec;
  std::filesystem::create_directories(data, ec);
  if (ec) {
    std::fprintf(stderr, "carebroker: cannot create %s: %s\n", data.c_str(), ec.message().c_str());
    return 1;
  }
  store::RocksJournalOptions journal_options;
  journal_options.path = data + "/journal";
  journal_options.sync = !unsafe;
  std::unique_ptr<store::RocksJournal> journal;
  if (auto s = store::RocksJournal::open(journal_options, journal); !s.ok()) {
    std::fprintf(stderr, "carebroker: cannot open the journal: %s\n", s.message.c_str());
    return 1;
  }

  gateway::Metrics metrics;
  gateway::protocol::ProviderStreams streams;
  sequencer::SystemClock clock;
  sequencer::SequencerOptions sequencer_options;
  sequencer_options.snapshot_every_events = snapshot_every;
  sequencer::Sequencer sequencer(*journal, clock, sequencer_options);
  sequencer.set_projector([](const std::vector<engine::Event>& events, const engine::Market& market) {
    return std::static_pointer_cast<const void>(gateway::protocol::project(events, market));
  });
  sequencer.set_listener([&](std::uint64_t, std::uint64_t, const std::vector<engine::Event>&,
                             const std::shared_ptr<const void>& projected) {
    if (!projected) return;
    const auto& notifications = *std::static_pointer_cast<const gateway::protocol::Notifications>(projected);
    for (const auto& n : notifications) streams.publish(n.provider, n.message);
    metrics.broadcasts += notifications.size();
  });
  sequencer.set_commit_observer([&](std::uint64_t micros, std::size_t) { metrics.journal_commit.record_us(micros); });
  const auto started = std::chrono::steady_clock::now();
  if (auto s = sequencer.start(); !s.ok()) {
    std::fprintf(stderr, "carebroker: cannot recover the market from %s: %s\n", journal_options.path.c_str(),
                 s.message.c_str());
    return 1;
  }
  const auto& recovered = sequencer.recovered();
  std::printf("carebroker: recovered %llu events (%s) in %.0f ms\n",
              static_cast<unsigned long long>(recovered.last_seq),
              recovered.from_snapshot ? "snapshot + journal" : "journal",
              std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count());

  gateway::TokenStore tokens;
  std::string error;
  if (!tokens.open(data + "/tokens", error)) {
    std::fprintf(stderr, "carebroker: %s\n", error.c_str());
    return 1;
  }
  const bool first_start = recovered.last_seq == 0;
  if (first_start && demo) {
    const auto market = demo::demo_market(demo_data, clock.now());
    if (!market.error.empty() || !run_all(sequencer, market.commands, error)) {
      std::fprintf(stderr, "carebroker: cannot load the demonstration market: %s\n",
                   market.error.empty() ? error.c_str() : market.error.c_str());
      return 1;
    }
    std::printf("carebroker: loaded the demonstration market: %d providers, %d locations\n", market.providers,
                market.locations);
  }
  if (tokens.empty()) {
    std::printf("carebroker: first start — these tokens are shown once; keep them safe:\n");
    auto issue = [&](const char* what, gateway::Principal who) {
      if (auto token = tokens.issue(who, error)) print_token(what, *token);
    };
    issue("admin", {gateway::Role::admin, "", "admin"});
    if (demo) {
      issue("officer (brokerage-officer-1)", {gateway::Role::officer, "", "brokerage-officer-1"});
      issue("compliance (compliance-officer-1)", {gateway::Role::compliance, "", "compliance-officer-1"});
      // A demonstration provider token for a Tier 1 provider in the south of Birmingham.
      std::promise<std::string> provider;
      (void)sequencer.submit_read(
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
        issue(("provider " + id).c_str(), {gateway::Role::provider, id, "demo provider " + id});
    }
  }

  gateway::SequencerService service(sequencer, *journal, metrics);
  gateway::ServerContext context{tokens, service, streams, metrics, limits, {}, {}, {}};
  context.static_dir = web;
  context.ready = [] { return true; };
  context.extra_metrics = [&] {
    const auto s = sequencer.stats();
    std::string out;
    auto line = [&](const char* name, const char* type, unsigned long long v) {
      out += std::string("# TYPE ") + name + " " + type + "\n" + name + " " + std::to_string(v) + "\n";
    };
    line("carebroker_sequencer_queue_depth", "gauge", s.queue_depth);
    line("carebroker_journal_durable_sequence", "gauge", s.durable_seq);
    line("carebroker_journal_batches_total", "counter", s.batches);
    line("carebroker_journal_events_total", "counter", s.events);
    line("carebroker_journal_failed_batches_total", "counter", s.failed_batches);
    line("carebroker_snapshots_total", "counter", s.snapshots);
    return out;
  };
  gateway::Server server(context, address, port, threads);
  if (!server.start(error)) {
    std::fprintf(stderr, "carebroker: %s\n", error.c_str());
    return 1;
  }
  std::printf("carebroker: listening — open http://%s:%u/  (REST under /api/v1, providers' WebSocket at /ws)\n",
              address.c_str(), static_cast<unsigned>(server.port()));
  std::fflush(stdout);
  int signal_number = 0;
  sigwait(&stop_signals, &signal_number);
  std::printf("carebroker: stopping\n");
  server.stop();
  sequencer.stop();
  return 0;
}
