// The server under chaos (server_process.h).
#include "sim/chaos/server_process.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>

#include "sim/rest_client.h"

namespace carebroker::sim::chaos {

namespace {

long long steady_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

std::string read_from(const std::string& path, std::size_t offset) {
  std::ifstream in(path, std::ios::binary);
  in.seekg(static_cast<std::streamoff>(offset));
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::size_t file_size(const std::string& path) {
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  return in ? static_cast<std::size_t>(in.tellg()) : 0;
}

/// Reaps `pid`, waiting up to `timeout_s`; false if it has not exited by then.
bool reap(pid_t pid, double timeout_s) {
  const auto until = std::chrono::steady_clock::now() + std::chrono::duration<double>(timeout_s);
  for (;;) {
    int status = 0;
    const pid_t r = ::waitpid(pid, &status, WNOHANG);
    if (r == pid || r < 0) return true;
    if (std::chrono::steady_clock::now() > until) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

}  // namespace

bool ServerProcess::start(double timeout_s, std::string& error) {
  if (log_path_.empty()) log_path_ = setup_.data_dir + ".log";
  const std::size_t log_from = file_size(log_path_);
  std::vector<std::string> args = {setup_.binary, "--data", setup_.data_dir, "--port", std::to_string(port_), "--web", ""};
  args.insert(args.end(), setup_.options.begin(), setup_.options.end());
  started_ns_ = steady_ns();
  const pid_t pid = ::fork();
  if (pid < 0) {
    error = "fork failed";
    return false;
  }
  if (pid == 0) {
    const int log = ::open(log_path_.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
    if (log >= 0) {
      ::dup2(log, 1);
      ::dup2(log, 2);
    }
    ::close_range(3, ~0U, 0);  // none of the chaos tool's sockets may live on in the server
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  pid_ = pid;
  ++starts_;
  const auto until = std::chrono::steady_clock::now() + std::chrono::duration<double>(timeout_s);
  while (std::chrono::steady_clock::now() < until) {
    const std::string out = read_from(log_path_, log_from);
    if (const auto at = out.find("listening"); at != std::string::npos && out.find('\n', at) != std::string::npos) {
      const auto url = out.find("http://", at);
      const auto colon = url == std::string::npos ? url : out.find(':', url + 7);
      if (colon != std::string::npos) port_ = static_cast<unsigned short>(std::stoi(out.substr(colon + 1)));
      std::istringstream lines(out);
      for (std::string line; std::getline(lines, line);)
        if (line.rfind("  admin ", 0) == 0) admin_token_ = line.substr(line.find_last_of(' ') + 1);
      return port_ != 0;
    }
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      error = "the server exited at start: " + log_tail();
      return false;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  error = "the server did not listen within " + std::to_string(timeout_s) + " s: " + log_tail();
  kill();
  return false;
}

double ServerProcess::wait_ready(double timeout_s) {
  RestClient rest("127.0.0.1", port_);
  const auto until = std::chrono::steady_clock::now() + std::chrono::duration<double>(timeout_s);
  while (std::chrono::steady_clock::now() < until) {
    if (rest.request("GET", "/readyz", "").status == 200) return static_cast<double>(steady_ns() - started_ns_) / 1e6;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  return -1;
}

void ServerProcess::kill() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGKILL);
  reap(pid_, 30);
  pid_ = -1;
}

bool ServerProcess::stop(double timeout_s) {
  if (pid_ <= 0) return true;
  ::kill(pid_, SIGTERM);
  const bool stopped = reap(pid_, timeout_s);
  if (!stopped) {
    ::kill(pid_, SIGKILL);
    reap(pid_, 30);
  }
  pid_ = -1;
  return stopped;
}

long ServerProcess::rss_kb() const {
  if (pid_ <= 0) return 0;
  std::ifstream status("/proc/" + std::to_string(pid_) + "/status");
  for (std::string line; std::getline(status, line);)
    if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
  return 0;
}

std::string ServerProcess::log_tail(std::size_t bytes) const {
  const std::size_t size = file_size(log_path_);
  return read_from(log_path_, size > bytes ? size - bytes : 0);
}

}  // namespace carebroker::sim::chaos
