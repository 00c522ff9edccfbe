// carebroker-sim's server child (sim_server.h).
#include "sim/sim_server.h"

#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <filesystem>
#include <sstream>

#include "gateway/app.h"

namespace carebroker::sim {

namespace {

/// The child: runs the server until SIGTERM; writes "port\nofficer\ncompliance\nadmin\nprovider…"
/// to `write_fd` once listening, or "0\nwhy" if it could not start.
[[noreturn]] void serve(const SimServerSetup& s, sequencer::ScaledClock& clock, int write_fd) {
  sigset_t stop;
  sigemptyset(&stop);
  sigaddset(&stop, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop, nullptr);
  auto tell = [&](const std::string& text) {
    if (write(write_fd, text.data(), text.size()) < 0) _exit(1);
    close(write_fd);
  };
  std::error_code ec;
  std::filesystem::remove_all(s.data_dir, ec);
  gateway::AppOptions a;
  a.data_dir = s.data_dir;
  a.port = 0;
  a.threads = s.threads;
  a.sync = s.sync;
  a.clock = &clock;
  a.clock_is_simulated = true;
  a.limits.ws_messages_per_second = 1e9;  // every provider's load is the point
  a.limits.ws_burst = 1e9;
  a.limits.max_connections = 100'000;
  a.limits.max_connections_per_address = 100'000;  // every client is on 127.0.0.1
  a.first_start = s.market;
  gateway::App app;
  std::string error;
  if (!app.start(a, error)) {
    tell("0\n" + error + "\n");
    _exit(1);
  }
  std::ostringstream out;
  out << app.port() << "\n";
  for (const gateway::Principal& who : {gateway::Principal{gateway::Role::officer, "", "sim-officer"},
                                        gateway::Principal{gateway::Role::compliance, "", "sim-compliance"},
                                        gateway::Principal{gateway::Role::admin, "", "sim-admin"}})
    out << app.issue_token(who, error).value_or("-") << "\n";
  for (const auto& p : s.providers) out << app.issue_token({gateway::Role::provider, p, "sim"}, error).value_or("-") << "\n";
  tell(out.str());
  int sig = 0;
  sigwait(&stop, &sig);
  app.stop();
  _exit(0);
}

}  // namespace

bool SimServer::start(const SimServerSetup& s, sequencer::ScaledClock& clock, std::string& error) {
  int fds[2];
  if (pipe(fds) != 0) {
    error = "pipe failed";
    return false;
  }
  pid_ = fork();
  if (pid_ == 0) {
    close(fds[0]);
    serve(s, clock, fds[1]);
  }
  close(fds[1]);
  std::string text;
  char chunk[4096];
  for (ssize_t n; (n = read(fds[0], chunk, sizeof chunk)) > 0;) text.append(chunk, static_cast<std::size_t>(n));
  close(fds[0]);
  std::istringstream lines(text);
  std::string port;
  std::getline(lines, port);
  port_ = static_cast<unsigned short>(std::atoi(port.c_str()));
  if (port_ == 0) {
    std::getline(lines, error);
    error = "the server did not start: " + (error.empty() ? std::string("it exited") : error);
    stop();
    return false;
  }
  std::getline(lines, officer_);
  std::getline(lines, compliance_);
  std::getline(lines, admin_);
  providers_.resize(s.providers.size());
  for (auto& t : providers_) std::getline(lines, t);
  if (providers_.size() && (providers_.back().empty() || providers_.back() == "-")) {
    error = "the server issued no token for some provider";
    stop();
    return false;
  }
  return true;
}

void SimServer::stop() {
  if (pid_ <= 0) return;
  kill(pid_, SIGTERM);
  waitpid(pid_, nullptr, 0);
  pid_ = -1;
}

}  // namespace carebroker::sim
