// The server a memory probe measures: a `carebroker` process it starts itself (a fresh data
// directory, the demonstration market, the tokens read from its first-start output), or one
// already running that the caller names (URL, tokens and process id). Also the process's
// resident set size, read from /proc/PID/status (VmRSS).
//
// Threading: not thread-safe; used by the probe's main thread.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace carebroker::sim {

struct ServerLaunch {
  std::string binary;                      ///< the carebroker executable
  std::string data_dir;                    ///< must not exist yet: made and removed by the probe
  std::vector<std::string> extra_args;     ///< passed on to the server
  int max_connections = 20'000;            ///< --max-connections and --max-connections-per-address
};

/// A running server: its process (0 = not ours and no RSS), where it listens, and the tokens.
struct ServerProcess {
  pid_t pid = 0;
  bool owned = false;  ///< started here: stop() ends it and removes its data directory
  std::string host = "127.0.0.1";
  unsigned short port = 0;
  std::string admin_token, officer_token;
  std::string data_dir;
};

/// Starts `carebroker --demo` on a free port and reads its port and first-start tokens
/// (waiting up to `timeout_s`). false with `error` set when it cannot.
bool launch_server(const ServerLaunch& launch, double timeout_s, ServerProcess& out, std::string& error);

/// Sends SIGTERM, waits for the process and removes its data directory (only when owned).
void stop_server(ServerProcess& server);

/// VmRSS of `pid` in bytes; nullopt when the process (or its status file) cannot be read.
std::optional<std::uint64_t> resident_bytes(pid_t pid);

/// Parses "http://host:port" (no path, no TLS); false with `error` otherwise.
bool parse_http_url(const std::string& url, std::string& host, unsigned short& port, std::string& error);

}  // namespace carebroker::sim
