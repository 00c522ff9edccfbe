// The whole server as one object: the RocksDB journal, the sequencer (with the notification
// projector and the provider streams), the token store and the network server, composed and
// started in the right order and stopped cleanly. Used by main() and by the integration tests,
// which run the real server in-process on an ephemeral port. start/stop from one thread.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "engine/market/commands.h"
#include "gateway/auth.h"
#include "gateway/server.h"

namespace rocksdb {
class FileSystem;
}

namespace carebroker::sequencer {
class Sequencer;
class Clock;
}  // namespace carebroker::sequencer

namespace carebroker::gateway {

struct AppOptions {
  std::string data_dir;             ///< journal in data_dir/journal, tokens in data_dir/tokens
  /// Online backups go only into children of this directory ("" = data_dir/backups). It must
  /// not be inside the journal, nor contain the data directory: start() refuses otherwise.
  std::string backup_dir;
  std::string address = "127.0.0.1";
  unsigned short port = 8080;       ///< 0 = any free port
  int threads = 1;
  bool sync = true;                 ///< false = unsafe, simulations only
  std::uint64_t snapshot_every = 500'000;
  ServerLimits limits;
  std::string web_dir;              ///< static portal files ("" = none)
  TlsFiles tls;                     ///< certificate and key: every connection is TLS
  TokenPolicy token_policy;         ///< tokens' default lifetime and rotation grace
  /// Commands run once, on first start (an empty journal): e.g. the demonstration market.
  std::vector<engine::Command> first_start;
  /// A clock to use instead of the system clock (tests); not owned.
  sequencer::Clock* clock = nullptr;
  /// > 0: the market's clock is simulated (sequencer/scaled_clock.h) and runs this many times as
  /// fast as real time, from now on a new store, from the market's last time on a simulation's
  /// own store. The store is marked simulated; a store written in real time refuses to start
  /// so, and a simulated store refuses to start without it (gateway/clock_mode.h).
  double sim_clock_speed = 0;
  /// The clock given in `clock` is a simulation's (e.g. a ManualClock the caller drives): the
  /// store is marked and checked as simulated, as with sim_clock_speed.
  bool clock_is_simulated = false;
  /// The writer computes its digest after every batch and each replica checks it reaches the
  /// same (a live determinism check, for tests: it costs a walk of the whole state per batch).
  bool check_replicas_every_batch = false;
  /// Test-only: the file system the journal writes through (e.g. a FaultFileSystem whose disk
  /// the chaos tool fills, main's hidden --test-disk-full-file); nullptr = the real one.
  std::shared_ptr<rocksdb::FileSystem> journal_file_system;
};

class App {
 public:
  App();
  ~App();
  /// Opens the store, recovers the market, runs `first_start` if the journal was empty, and
  /// starts listening. Returns false with a reason. Sets the process's umask to 077 and makes
  /// the data, journal and backup directories 0700: everything the server writes is private.
  bool start(const AppOptions& options, std::string& error);
  void stop();

  unsigned short port() const;
  TokenStore& tokens();
  /// Issues a token (e.g. the first admin's); the token, or nullopt with `error`. The name and
  /// subject must be single-line text (gateway/text_checks.h). `lifetime_days`: nullopt = the
  /// policy's default, 0 = never expires.
  std::optional<std::string> issue_token(const Principal& who, std::string& error,
                                         std::optional<int> lifetime_days = std::nullopt);
  sequencer::Sequencer& sequencer();
  /// Batches after which a replica's digest differed from the writer's (0 in a healthy server).
  std::uint64_t replica_divergences() const;
  Metrics& metrics();
  /// How the market was recovered, for the start-up log.
  std::string recovery_summary() const;
  bool first_start() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace carebroker::gateway
