#include "sim/server_child.h"

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "engine/sequencer/clock.h"
#include "gateway/app.h"
#include "sim/synthetic_market.h"

namespace carebroker::sim {

namespace {

/// The child: runs the server until SIGTERM. Writes "port\nofficer-token\nprovider tokens…" to
/// `write_fd` once listening.
[[noreturn]] void serve(const LoadOptions& o, int write_fd) {
  sigset_t stop;
  sigemptyset(&stop);
  sigaddset(&stop, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop, nullptr);
  std::error_code ec;
  std::filesystem::remove_all(o.data, ec);
  sequencer::SystemClock clock;
  gateway::AppOptions a;
  a.data_dir = o.data;
  a.port = 0;
  a.sync = o.sync;
  a.snapshot_every = o.snapshot_every;
  a.limits.ws_messages_per_second = 1e9;  // the load is the point
  a.limits.ws_burst = 1e9;
  a.limits.outbound_queue_bytes = 64 << 20;
  a.limits.max_connections_per_address = 100'000;  // every client is on 127.0.0.1
  person::PersonKeys keys;  // the server's own key store: it opens the same directory at start
  std::string key_error;
  if (!keys.open(o.data + "/person-keys", key_error)) {
    std::fprintf(stderr, "carebroker-load: server: %s\n", key_error.c_str());
    _exit(1);
  }
  a.first_start = synthetic_market(o, clock.now(), keys);
  gateway::App app;
  std::string error;
  if (!app.start(a, error)) {
    std::fprintf(stderr, "carebroker-load: server: %s\n", error.c_str());
    _exit(1);
  }
  std::ostringstream out;
  out << app.port() << "\n";
  out << *app.issue_token({gateway::Role::officer, "", "load-officer"}, error) << "\n";
  for (int i = 0; i < o.locations(); ++i)
    out << *app.issue_token({gateway::Role::provider, provider_id(i), "load"}, error) << "\n";
  const std::string text = out.str();
  if (write(write_fd, text.data(), text.size()) < 0) _exit(1);
  close(write_fd);
  int sig = 0;
  sigwait(&stop, &sig);
  app.stop();
  _exit(0);
}

}  // namespace

bool ServerChild::start(const LoadOptions& o, std::string& error) {
  int pipe_fds[2];
  if (pipe(pipe_fds) != 0) {
    error = "pipe failed";
    return false;
  }
  pid_ = fork();
  if (pid_ == 0) {
    close(pipe_fds[0]);
    serve(o, pipe_fds[1]);
  }
  close(pipe_fds[1]);
  std::string text;
  char chunk[4096];
  for (ssize_t n; (n = read(pipe_fds[0], chunk, sizeof chunk)) > 0;) text.append(chunk, static_cast<std::size_t>(n));
  close(pipe_fds[0]);
  std::istringstream lines(text);
  lines >> port_ >> officer_token_;
  provider_tokens_.resize(static_cast<std::size_t>(o.locations()));
  for (auto& t : provider_tokens_) lines >> t;
  if (port_ == 0 || officer_token_.empty() || provider_tokens_.back().empty()) {
    error = "the server did not start";
    stop();
    return false;
  }
  return true;
}

void ServerChild::stop() {
  if (pid_ <= 0) return;
  kill(pid_, SIGTERM);
  waitpid(pid_, nullptr, 0);
  pid_ = -1;
}

double ServerChild::cpu_seconds() const {
  std::ifstream stat("/proc/" + std::to_string(pid_) + "/stat");
  std::string line;
  std::getline(stat, line);
  if (line.empty()) return 0;
  std::istringstream in(line.substr(line.rfind(')') + 2));
  std::string field;
  unsigned long long utime = 0, stime = 0;
  for (int i = 3; i <= 15 && in >> field; ++i) {
    if (i == 14) utime = std::stoull(field);
    if (i == 15) stime = std::stoull(field);
  }
  return static_cast<double>(utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

double self_cpu_seconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

}  // namespace carebroker::sim
