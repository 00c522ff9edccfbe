// The server under chaos: the real carebroker binary, forked and exec'd on a data directory of
// the chaos tool's, with its output in a log file. start() waits for "listening" and reads the
// port (and, on a store's first start, the admin token it prints once); kill() sends SIGKILL,
// stop() SIGTERM, and both reap the child. ready_ms() times the start to the first
// GET /readyz 200. Used from one thread (the scenario's main thread).
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

namespace carebroker::sim::chaos {

struct ServerSetup {
  std::string binary;                ///< the carebroker executable
  std::string data_dir;              ///< kept across restarts
  std::vector<std::string> options;  ///< beyond --data, --port, --web
};

class ServerProcess {
 public:
  explicit ServerProcess(ServerSetup setup) : setup_(std::move(setup)) {}
  ~ServerProcess() { kill(); }
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  /// Starts the binary (on the port of the first start after that) and waits up to
  /// `timeout_s` for it to listen; false and `error` (with the log's tail) if it did not.
  bool start(double timeout_s, std::string& error);
  /// Waits for GET /readyz to answer 200; the milliseconds since start() began, or -1.
  double wait_ready(double timeout_s);
  /// SIGKILL and reap: nothing of the process's memory survives.
  void kill();
  /// SIGTERM and reap (a clean stop); false when it did not stop within `timeout_s` (then killed).
  bool stop(double timeout_s = 20);
  bool running() const { return pid_ > 0; }

  pid_t pid() const { return pid_; }
  unsigned short port() const { return port_; }
  /// The admin token the store's first start printed ("" before it, or when none was printed).
  const std::string& admin_token() const { return admin_token_; }
  /// The process's resident memory now (VmRSS), kB; 0 when it is not running.
  long rss_kb() const;
  const std::string& log_path() const { return log_path_; }
  std::string log_tail(std::size_t bytes = 2000) const;

 private:
  ServerSetup setup_;
  std::string log_path_;
  pid_t pid_ = -1;
  unsigned short port_ = 0;
  std::string admin_token_;
  long long started_ns_ = 0;
  int starts_ = 0;
};

}  // namespace carebroker::sim::chaos
