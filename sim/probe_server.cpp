// Starting and measuring the server a memory probe drives (probe_server.h).
#include "sim/probe_server.h"

#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace carebroker::sim {
namespace {

/// The token at the end of a first-start line "  <what>   <token>", when the line names `what`.
std::optional<std::string> token_after(const std::string& line, const std::string& what) {
  if (line.rfind("  " + what, 0) != 0) return std::nullopt;
  const auto space = line.find_last_of(' ');
  if (space == std::string::npos || space + 1 >= line.size()) return std::nullopt;
  return line.substr(space + 1);
}

}  // namespace

bool launch_server(const ServerLaunch& launch, double timeout_s, ServerProcess& out, std::string& error) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (fs::exists(launch.data_dir, ec)) {
    error = "the data directory " + launch.data_dir + " exists; give a path that does not (it is removed afterwards)";
    return false;
  }
  if (::access(launch.binary.c_str(), X_OK) != 0) {
    error = "cannot run the server " + launch.binary + ": " + std::strerror(errno) + " (build it, or pass --server)";
    return false;
  }
  int fds[2];
  if (::pipe(fds) != 0) {
    error = std::string("pipe: ") + std::strerror(errno);
    return false;
  }
  const std::string cap = std::to_string(launch.max_connections);
  std::vector<std::string> args = {launch.binary, "--demo", "--data", launch.data_dir, "--port", "0", "--web", "",
                                   "--max-connections", cap, "--max-connections-per-address", cap,
                                   "--ws-rate", "1000000"};
  args.insert(args.end(), launch.extra_args.begin(), launch.extra_args.end());
  const pid_t pid = ::fork();
  if (pid < 0) {
    error = std::string("fork: ") + std::strerror(errno);
    return false;
  }
  if (pid == 0) {
    ::dup2(fds[1], STDOUT_FILENO);
    ::close(fds[0]);
    ::close(fds[1]);
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    ::execv(argv[0], argv.data());
    std::fprintf(stderr, "carebroker-memprobe: exec %s: %s\n", argv[0], std::strerror(errno));
    ::_exit(127);
  }
  ::close(fds[1]);
  out = ServerProcess{};
  out.pid = pid;
  out.owned = true;
  out.data_dir = launch.data_dir;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(timeout_s);
  std::string pending;
  bool listening = false;
  while (!listening) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    pollfd p{fds[0], POLLIN, 0};
    if (left.count() <= 0 || ::poll(&p, 1, static_cast<int>(left.count())) <= 0) {
      error = "the server did not say it was listening within " + std::to_string(timeout_s) + " s";
      break;
    }
    char chunk[4096];
    const ssize_t n = ::read(fds[0], chunk, sizeof chunk);
    if (n <= 0) {
      error = "the server exited before listening (see its messages above)";
      break;
    }
    pending.append(chunk, static_cast<std::size_t>(n));
    for (std::size_t nl; (nl = pending.find('\n')) != std::string::npos;) {
      const std::string line = pending.substr(0, nl);
      pending.erase(0, nl + 1);
      if (auto t = token_after(line, "admin ")) out.admin_token = *t;
      if (auto t = token_after(line, "officer ")) out.officer_token = *t;
      if (const auto at = line.find("listening — open http://"); at != std::string::npos) {
        const std::string url = line.substr(at + std::strlen("listening — open "));
        std::string e;
        if (!parse_http_url(url.substr(0, url.find('/', 7)), out.host, out.port, e)) error = "cannot read the server's URL: " + e;
        listening = true;
      }
    }
  }
  // The server keeps writing to stdout (e.g. "stopping"): hand the pipe to a reader that drops it.
  if (!error.empty() || out.admin_token.empty() || out.officer_token.empty()) {
    if (error.empty()) error = "the server printed no admin or officer token (was the data directory fresh?)";
    ::close(fds[0]);
    stop_server(out);
    return false;
  }
  if (::fork() == 0) {  // a tiny drain process, so the server never blocks on a full pipe
    ::close(STDOUT_FILENO);  // nor holds the probe's output open after the probe ends
    char sink[4096];
    while (::read(fds[0], sink, sizeof sink) > 0) {
    }
    ::_exit(0);
  }
  ::close(fds[0]);
  return true;
}

void stop_server(ServerProcess& server) {
  if (!server.owned || server.pid <= 0) return;
  ::kill(server.pid, SIGTERM);
  ::waitpid(server.pid, nullptr, 0);
  std::error_code ec;
  if (!server.data_dir.empty()) std::filesystem::remove_all(server.data_dir, ec);
  server.pid = 0;
}

std::optional<std::uint64_t> resident_bytes(pid_t pid) {
  if (pid <= 0) return std::nullopt;
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(status, line))
    if (line.rfind("VmRSS:", 0) == 0) {
      std::istringstream in(line.substr(6));
      std::uint64_t kib = 0;
      if (in >> kib) return kib * 1024;
    }
  return std::nullopt;
}

bool parse_http_url(const std::string& url, std::string& host, unsigned short& port, std::string& error) {
  const std::string scheme = "http://";
  if (url.rfind(scheme, 0) != 0) {
    error = "'" + url + "' is not an http:// URL (e.g. http://127.0.0.1:8080)";
    return false;
  }
  std::string rest = url.substr(scheme.size());
  if (!rest.empty() && rest.back() == '/') rest.pop_back();
  const auto colon = rest.rfind(':');
  if (colon == std::string::npos || colon == 0 || rest.find('/') != std::string::npos) {
    error = "'" + url + "' needs a host and a port and no path (e.g. http://127.0.0.1:8080)";
    return false;
  }
  try {
    std::size_t used = 0;
    const unsigned long p = std::stoul(rest.substr(colon + 1), &used);
    if (used != rest.size() - colon - 1 || p == 0 || p > 65535) throw std::out_of_range("port");
    port = static_cast<unsigned short>(p);
  } catch (const std::exception&) {
    error = "'" + url + "' has no valid port (1-65535)";
    return false;
  }
  host = rest.substr(0, colon);
  return true;
}

}  // namespace carebroker::sim
