// carebroker-sim's own server: a real carebroker (gateway::App: RocksDB journal, sequencer,
// replicas, Beast gateway) forked into a child on a free loopback port, running on the
// simulated clock the sim shares with it (the child's copy of the ScaledClock reads the same
// as the parent's: same start, same monotonic clock), its store marked simulated, and started
// with the scenario's market. It hands back over a pipe the port and tokens for an officer, a
// compliance officer, an admin and every provider. Used from the main thread, before any
// other thread starts (it forks).
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

#include "engine/market/commands.h"
#include "engine/sequencer/scaled_clock.h"

namespace carebroker::sim {

struct SimServerSetup {
  std::string data_dir;                 ///< emptied first
  bool sync = true;                     ///< false: the journal is not synced (faster, unsafe)
  int threads = 1;                      ///< the server's I/O threads
  std::vector<engine::Command> market;  ///< first-start commands
  std::vector<std::string> providers;   ///< provider ids to issue tokens for
};

class SimServer {
 public:
  bool start(const SimServerSetup& setup, sequencer::ScaledClock& clock, std::string& error);
  /// SIGTERM, then waits for the child. Also done by the destructor.
  void stop();
  ~SimServer() { stop(); }

  pid_t pid() const { return pid_; }
  unsigned short port() const { return port_; }
  const std::string& officer_token() const { return officer_; }
  const std::string& compliance_token() const { return compliance_; }
  const std::string& admin_token() const { return admin_; }
  const std::vector<std::string>& provider_tokens() const { return providers_; }

 private:
  pid_t pid_ = -1;
  unsigned short port_ = 0;
  std::string officer_, compliance_, admin_;
  std::vector<std::string> providers_;
};

}  // namespace carebroker::sim
