// Tokens are never written to logs or files in clear (issue 13, "Users and secrets"), checked on
// the real `carebroker` program and everything it prints:
//  - the first start shows its bootstrap tokens once, on the terminal; a second start on the
//    same data directory shows none (no 64-hex-digit string at all);
//  - nothing the server prints afterwards — for requests with good, unknown or malformed
//    tokens, a token issued over REST, a bad WebSocket Hello — holds a token or its hash;
//  - no file in the data directory (tokens file, journal, snapshots) holds a token in clear.
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "gateway/auth.h"
#include "gateway_client.h"
#include "store_test_support.h"

extern char** environ;

namespace {

namespace fs = std::filesystem;
using carebroker::gateway::sha256_hex;
using namespace carebroker::testing;
using carebroker::testing::store_support::TempDir;
using carebroker::testing::store_support::read_file;

/// The real server on `data`, its stdout and stderr both appended to `log`.
class ServerProcess {
 public:
  ServerProcess(const fs::path& data, const fs::path& log) : log_(log) {
    std::vector<std::string> args = {CAREBROKER_SERVER_BINARY, "--data", data.string(), "--port", "0", "--web", "",
                                     "--unsafe-no-sync"};
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
    posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
    const int rc = ::posix_spawn(&pid_, argv[0], &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    REQUIRE(rc == 0);
    // Wait (bounded) for it to listen; the wait's length is never asserted.
    const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    std::smatch m;
    static const std::regex listening(R"(listening — open http://127\.0\.0\.1:(\d+)/)");
    while (std::chrono::steady_clock::now() < give_up) {
      const std::string text = read_file(log_);
      if (std::regex_search(text, m, listening)) {
        port_ = static_cast<unsigned short>(std::stoi(m[1].str()));
        return;
      }
      int status = 0;
      if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = 0;
        FAIL("the server exited: " << text);
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    stop();
    FAIL("the server did not start listening: " << read_file(log_));
  }
  ~ServerProcess() { stop(); }
  /// SIGTERM, then waits for it to exit.
  void stop() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGTERM);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = 0;
  }
  unsigned short port() const { return port_; }

 private:
  fs::path log_;
  pid_t pid_ = 0;
  unsigned short port_ = 0;
};

/// Every run of 64 lowercase hex digits in `text` (a token, or a SHA-256 in hex).
std::vector<std::string> hex64(const std::string& text) {
  static const std::regex re("[0-9a-f]{64}");
  std::vector<std::string> out;
  for (auto it = std::sregex_iterator(text.begin(), text.end(), re); it != std::sregex_iterator(); ++it) out.push_back(it->str());
  return out;
}

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

}  // namespace

TEST_CASE("the first start shows its tokens once on the terminal, and no token or hash is ever printed or kept in clear again",
          "[gateway][security][tokens]") {
  TempDir dir{"token-logs", TempDir::Made::created};
  const fs::path data = dir.path / "data";
  const fs::path first_log = dir.path / "first.log", second_log = dir.path / "second.log";
  std::string admin, issued;
  const std::string unknown = std::string(64, 'e');
  {
    ServerProcess server(data, first_log);
    const std::string text = read_file(first_log);
    std::smatch m;
    REQUIRE(std::regex_search(text, m, std::regex(R"(\n  admin +([0-9a-f]{64})\n)")));
    admin = m[1].str();
    CHECK(http_request(server.port(), "GET", "/api/v1/me", admin).status == 200);
    // Requests with an unknown token, a malformed one, a token issued over REST, a bad Hello.
    CHECK(http_request(server.port(), "GET", "/api/v1/me", unknown).status == 401);
    CHECK(http_request(server.port(), "GET", "/metrics", "Bearer-in-the-token " + unknown).status == 401);
    const HttpResult r = http_request(server.port(), "POST", "/api/v1/tokens", admin, R"({"role": "officer", "user": "officer-1"})");
    REQUIRE(r.status == 201);
    std::smatch t;
    REQUIRE(std::regex_search(r.body, t, std::regex(R"re("token":"([0-9a-f]{64})")re")));
    issued = t[1].str();
    CHECK(http_request(server.port(), "GET", "/api/v1/packages", issued).status == 200);
    WsClient ws;
    std::string error;
    REQUIRE(ws.connect(server.port(), error));
    REQUIRE(ws.send_text(R"({"message_type":"Hello","message":{"token":")" + unknown + R"("}})"));
    (void)ws.read();
    server.stop();
  }
  const std::string first = read_file(first_log);
  INFO(first);
  CHECK(first.find("first start") != std::string::npos);
  CHECK(count(first, admin) == 1);  // shown once, on the terminal
  for (const std::string& secret : {issued, unknown, sha256_hex(admin), sha256_hex(issued), sha256_hex(unknown)})
    CHECK(first.find(secret) == std::string::npos);

  {
    ServerProcess again(data, second_log);
    CHECK(http_request(again.port(), "GET", "/api/v1/me", admin).status == 200);  // the same tokens work
    CHECK(http_request(again.port(), "GET", "/api/v1/me", unknown).status == 401);
    again.stop();
  }
  const std::string second = read_file(second_log);
  INFO(second);
  CHECK(second.find("first start") == std::string::npos);
  CHECK(hex64(second).empty());  // no token, no hash

  // No file the server wrote holds a token in clear (the tokens file keeps their hashes only).
  int files = 0;
  for (const auto& entry : fs::recursive_directory_iterator(data)) {
    if (!entry.is_regular_file()) continue;
    ++files;
    const std::string bytes = read_file(entry.path());
    INFO(entry.path());
    for (const std::string& token : {admin, issued}) CHECK(bytes.find(token) == std::string::npos);
  }
  CHECK(files > 3);  // the tokens file and the journal's files were searched
  CHECK(read_file(data / "tokens").find(sha256_hex(admin)) != std::string::npos);
}
