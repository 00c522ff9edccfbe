// The server under load: a real carebroker (gateway::App: RocksDB journal, sequencer, replicas,
// Beast gateway) forked into a child process on a free loopback port, with the synthetic market
// and tokens for every location's provider and for one brokerage officer. The parent reads the
// port and tokens from a pipe, measures the child's CPU from /proc, and stops it with SIGTERM.
// Used from the main thread only.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

#include "sim/load_options.h"

namespace carebroker::sim {

class ServerChild {
 public:
  /// Forks and starts the server; false with `error` if it did not start.
  bool start(const LoadOptions& options, std::string& error);
  /// SIGTERM, then waits for the child. Also done by the destructor.
  void stop();
  ~ServerChild() { stop(); }

  unsigned short port() const { return port_; }
  const std::string& officer_token() const { return officer_token_; }
  /// The token of location i's provider (i < options.locations()).
  const std::string& provider_token(int i) const { return provider_tokens_[static_cast<std::size_t>(i)]; }
  /// User + system CPU seconds the child has used so far.
  double cpu_seconds() const;

 private:
  pid_t pid_ = -1;
  unsigned short port_ = 0;
  std::string officer_token_;
  std::vector<std::string> provider_tokens_;
};

/// User + system CPU seconds this process (every thread) has used so far.
double self_cpu_seconds();

}  // namespace carebroker::sim
