// Composition of the server.
#include "gateway/app.h"

#include <malloc.h>
#include <sys/stat.h>

#include <atomic>
#include <cstdio>
#include <filesystem>
#include <future>
#include <thread>

#include "engine/person/person_access.h"
#include "engine/sequencer/scaled_clock.h"
#include "engine/sequencer/sequencer.h"
#include "engine/store/rocksdb_journal.h"
#include "gateway/backup_target.h"
#include "gateway/clock_mode.h"
#include "engine/replica/replica_thread.h"
#include "gateway/protocol/fan_out.h"
#include "gateway/protocol/projector.h"
#include "gateway/protocol/provider_streams.h"
#include "gateway/protocol/reply_batcher.h"
#include "gateway/sequencer_service.h"
#include "gateway/text_checks.h"

namespace carebroker::gateway {

/// Notifications published before the fan-out is told to start on them.
constexpr std::size_t kPublishedPerFlush = 256;

struct App::Impl {
  AppOptions options;
  std::unique_ptr<store::RocksJournal> journal;
  sequencer::SystemClock system_clock;
  std::unique_ptr<sequencer::ScaledClock> sim_clock;  // --sim-clock-speed
  std::unique_ptr<sequencer::Sequencer> sequencer;
  Metrics metrics;
  protocol::ProviderStreams streams;
  protocol::FanOut fan_out;  // how streams' live messages reach the sessions (in turns)
  person::PersonKeys person_keys;  // <data>/person-keys: apart from the journal (opened in start)
  std::unique_ptr<person::KeyReserve> key_reserve;  // keys made ahead (made once the store is open)
  // The read side (after what they publish to, so they stop first).
  protocol::Projector projector{[this](std::shared_ptr<const protocol::Notifications> notifications) {
    // The I/O threads start writing while the rest is still being published: a broadcast to
    // thousands of locations reaches the first of them without waiting for the last.
    std::size_t published = 0;
    for (const auto& n : *notifications) {
      streams.publish(n.provider, n.message);
      if (++published % kPublishedPerFlush == 0) fan_out.flush();
    }
    fan_out.flush();
    metrics.broadcasts += notifications->size();
  }, person_keys};
  replica::ReplicaThread publisher{"publisher", &projector};
  replica::ReplicaThread reader{"reader"};
  std::string replica_error;  // set by the recovered hook
  protocol::ReplyBatcher replies;
  TokenStore tokens;
  std::unique_ptr<SequencerService> service;
  std::unique_ptr<ServerContext> context;
  std::unique_ptr<Server> server;
  double recovery_ms = 0;
  bool first_start = false;
  std::atomic<bool> ready{false};  // recovered and first-start commands done
};

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
      error = "first-start command " + std::to_string(i) + ": " +
              (r.durable ? std::string(engine::to_string(r.reply.status.code)) + " " + r.reply.status.detail : r.failure);
      return false;
    }
  }
  return true;
}

/// Creates `dir` (and its parents) if missing and makes it 0700, whatever it was.
bool private_directory(const std::string& dir, std::string& error) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (!ec) fs::permissions(dir, fs::perms::owner_all, fs::perm_options::replace, ec);
  if (ec) error = "cannot create " + dir + " as a private directory: " + ec.message();
  return !ec;
}

}  // namespace

App::App() : impl_(std::make_unique<Impl>()) {}
App::~App() { stop(); }

bool App::start(const AppOptions& options, std::string& error) {
  auto& m = *impl_;
  m.options = options;
  ::umask(077);  // every file the server (and RocksDB) creates is the owner's alone
  const std::string journal_dir = options.data_dir + "/journal";
  const std::string backup_dir = options.backup_dir.empty() ? options.data_dir + "/backups" : options.backup_dir;
  for (const std::string& dir : {options.data_dir, journal_dir, backup_dir})
    if (!private_directory(dir, error)) return false;
  if (std::string problem = backup_dir_problem(options.data_dir, journal_dir, backup_dir); !problem.empty()) {
    error = problem;
    return false;
  }
  m.tokens.set_policy(options.token_policy);
  if (!m.tokens.open(options.data_dir + "/tokens", error)) return false;  // a bad record stops the start
  // People's keys, apart from the journal (and from its backups): a file that is not a key is
  // reported and left alone — its person shows as key_missing — rather than stopping the market.
  if (!m.person_keys.open(options.data_dir + "/person-keys", error)) return false;
  for (const std::string& bad : m.person_keys.warnings())
    std::fprintf(stderr, "carebroker: person-keys/%s is not a person key: left alone (its person shows as key_missing)\n",
                 bad.c_str());
  m.key_reserve = std::make_unique<person::KeyReserve>(m.person_keys, person::KeyReserve::Options{});
  store::RocksJournalOptions journal_options;
  journal_options.path = journal_dir;
  journal_options.sync = options.sync;
  journal_options.file_system = options.journal_file_system;
  if (auto s = store::RocksJournal::open(journal_options, m.journal); !s.ok()) {
    error = "cannot open the journal: " + s.message;
    return false;
  }
  if (options.sim_clock_speed < 0 || (options.sim_clock_speed > 0 && options.clock)) {
    error = "a simulated clock needs a speed above 0 and no other clock";
    return false;
  }
  const bool simulated = options.sim_clock_speed > 0 || options.clock_is_simulated;
  if (std::string problem =
          settle_clock_mode(*m.journal, simulated ? ClockMode::simulated : ClockMode::real, journal_dir);
      !problem.empty()) {
    error = problem;
    return false;
  }
  if (options.sim_clock_speed > 0)
    m.sim_clock = std::make_unique<sequencer::ScaledClock>(m.system_clock.now(), options.sim_clock_speed);
  sequencer::SequencerOptions so;
  so.snapshot_every_events = options.snapshot_every;
  sequencer::Clock& clock = m.sim_clock ? *m.sim_clock : options.clock ? *options.clock : m.system_clock;
  so.digest_every_batch = options.check_replicas_every_batch;
  m.sequencer = std::make_unique<sequencer::Sequencer>(*m.journal, clock, so);
  // The read side: durable batches → the publisher replica (projects notifications, exactly,
  // and publishes them to the provider streams) → the reader replica (REST reads, snapshots).
  // Neither ever holds up the writer or an acknowledgement.
  m.sequencer->set_recovered_hook([&m](const engine::Market& market, std::uint64_t seq) {
    if (m.sim_clock) m.sim_clock->carry_on_from(market.now());  // a simulation resumes where it stopped
    // An erasure journaled before the process stopped, whose key was not yet destroyed: now.
    std::string sweep_error;
    if (!person::sweep_erased(market, m.person_keys, sweep_error))
      std::fprintf(stderr, "carebroker: cannot destroy an erased person's key: %s\n", sweep_error.c_str());
    const std::string state = market.save_snapshot();
    m.replica_error = m.publisher.start(state, seq);
    if (m.replica_error.empty()) m.replica_error = m.reader.start(state, seq);
  });
  m.publisher.set_downstream([&m](const replica::DurableBatch& batch) { m.reader.push(batch); });
  // Queries (REST reads, JSON rendering, snapshots) and notifications give way to the write path
  // (commands and their acknowledgements) on a busy machine.
  // Only the writer answers provider commands, so only it keeps their request ids (a standby
  // fed the same batches would keep them too): the in-process replicas hold nothing per offer
  // for idempotency.
  m.reader.keep_request_ids(false);
  m.publisher.keep_request_ids(false);
  m.reader.set_background();
  m.publisher.set_background();
  m.sequencer->set_listener([&m](const replica::DurableBatch& batch) { m.publisher.push(batch); });
  m.sequencer->set_release_hook([&m] { m.replies.flush(); });
  m.sequencer->set_commit_observer([&m](std::uint64_t micros, std::size_t) { m.metrics.journal_commit.record_us(micros); });
  // The server listens before the market is recovered: /healthz answers, /readyz says why it is
  // not ready, and every command or read is refused (503) until recovery and the first-start
  // commands are done.
  m.service = std::make_unique<SequencerService>(*m.sequencer, m.reader, *m.journal, m.metrics,
                                                 std::filesystem::canonical(backup_dir), clock, simulated, m.person_keys, *m.key_reserve);
  m.context.reset(new ServerContext{m.tokens, *m.service, m.streams, m.metrics, options.limits, {}, {}, options.web_dir});
  m.context->private_dirs = {options.data_dir, backup_dir};
  m.context->replies = &m.replies;
  m.context->fan_out = &m.fan_out;
  m.context->ready = [&m] { return m.ready.load() && m.sequencer->store_writable(); };
  m.context->ready_detail = [&m] {
    return !m.ready.load() ? std::string("the market is still being recovered from the journal")
                           : std::string("the store cannot write (e.g. the disk is full): commands are refused until it can");
  };
  m.context->extra_metrics = [&m] {
    const auto s = m.sequencer->stats();
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
    line("carebroker_snapshot_failures_total", "counter", s.snapshot_failures);
    line("carebroker_person_keys_ready", "gauge", m.key_reserve->ready_keys());
    line("carebroker_journal_write_buffer_bytes", "gauge", m.journal->write_buffer_bytes());
    // The audit chain's head, anchored outside the store by whoever scrapes this: the sequence
    // it is at, and the hash as a label (verify --expect-head SEQ:HEX checks a store against it).
    const store::ChainHead head = m.journal->chain_head();
    line("carebroker_audit_chain_sequence", "gauge", head.seq);
    out += "# TYPE carebroker_audit_chain_head gauge\ncarebroker_audit_chain_head{sequence=\"" +
           std::to_string(head.seq) + "\",head=\"" + store::to_hex(head.hash) + "\"} 1\n";
    // The bytes the C++ heap holds for the program (glibc's count: small blocks in use plus
    // blocks mapped on their own), without the freed memory malloc keeps and RSS still counts.
    const struct mallinfo2 heap = ::mallinfo2();
    line("carebroker_heap_in_use_bytes", "gauge", heap.uordblks + heap.hblkhd);
    line("carebroker_ready", "gauge", m.context->ready() ? 1 : 0);
    out += "# TYPE carebroker_replica_applied_sequence gauge\n";
    out += "carebroker_replica_applied_sequence{replica=\"publisher\"} " + std::to_string(m.publisher.applied_seq()) + "\n";
    out += "carebroker_replica_applied_sequence{replica=\"reader\"} " + std::to_string(m.reader.applied_seq()) + "\n";
    // The snapshot thread's state rebuilt from the journal is one more replica of the writer.
    line("carebroker_replica_divergences_total", "counter",
         m.publisher.divergences() + m.reader.divergences() + s.snapshot_divergences);
    return out;
  };
  m.server = std::make_unique<Server>(*m.context, options.address, options.port, options.threads, options.tls);
  if (!m.server->start(error)) return false;

  const auto started = std::chrono::steady_clock::now();
  if (auto s = m.sequencer->start(); !s.ok()) {
    error = "cannot recover the market from " + journal_options.path + ": " + s.message;
    return false;
  }
  if (!m.replica_error.empty()) {
    error = m.replica_error;
    return false;
  }
  m.recovery_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
  m.first_start = m.sequencer->recovered().last_seq == 0;
  if (m.first_start && !options.first_start.empty() && !run_all(*m.sequencer, options.first_start, error)) return false;
  m.ready = true;
  return true;
}

void App::stop() {
  if (!impl_) return;
  if (impl_->service) impl_->service->wait_for_backups();  // they answer through the server
  if (impl_->server) impl_->server->stop();
  // After the server (no more postings), before the writer (a posting given a key by the
  // reserve's thread still reaches it); the keys made ahead and never used are destroyed.
  if (impl_->key_reserve) impl_->key_reserve->stop();
  if (impl_->sequencer) impl_->sequencer->stop();
  impl_->publisher.stop();  // after the writer: every durable batch reaches the replicas
  impl_->reader.stop();
}

unsigned short App::port() const { return impl_->server ? impl_->server->port() : 0; }
TokenStore& App::tokens() { return impl_->tokens; }
std::optional<std::string> App::issue_token(const Principal& who, std::string& error, std::optional<int> lifetime_days) {
  for (const auto& [field, value] : {std::pair{"name", &who.name}, std::pair{"subject", &who.subject}})
    if (std::string problem = text_problem(*value, TextForm::line, kMaxTokenNameChars); !problem.empty()) {
      error = std::string("a token's ") + field + " " + problem;
      return std::nullopt;
    }
  auto issued = impl_->tokens.issue(who, lifetime_days, error);
  if (!issued) return std::nullopt;
  return std::move(issued->token);
}
sequencer::Sequencer& App::sequencer() { return *impl_->sequencer; }
std::uint64_t App::replica_divergences() const {
  return impl_->publisher.divergences() + impl_->reader.divergences() + impl_->sequencer->stats().snapshot_divergences;
}
Metrics& App::metrics() { return impl_->metrics; }
bool App::first_start() const { return impl_->first_start; }
std::string App::recovery_summary() const {
  const auto& r = impl_->sequencer->recovered();
  return "recovered " + std::to_string(r.last_seq) + " events (" +
         (r.from_snapshot ? "snapshot at " + std::to_string(r.snapshot_seq) + " + journal" : std::string("journal")) +
         ") in " + std::to_string(static_cast<long long>(impl_->recovery_ms)) + " ms" + (r.note.empty() ? "" : "; " + r.note);
}

}  // namespace carebroker::gateway
