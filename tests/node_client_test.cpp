// The Node.js reference client (clients/node) against the real server: App on an ephemeral port,
// then `node clients/node/dist/e2e.js` with the server's URL and an officer's and a provider's
// tokens in its environment. The e2e program posts a package over REST, waits for the broadcast
// on its FlatBuffers WebSocket, places an offer and checks the Ack (and its replay); with the admin
// token it is awarded the package, accepts, is given the person and is told of their erasure; it
// exits 0 only if all of that worked. Here we check its exit status and, through REST, that the
// offer, the placement and the erasure are really in the market.
//
// CMake builds clients/node (npm ci && npm run build) when node and npm are installed and passes
// their paths in; without them this test only warns.
#include <catch2/catch.hpp>

#include <boost/json.hpp>

#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include "gateway_client.h"

extern char** environ;

namespace {

using carebroker::gateway::Role;
using namespace carebroker::testing;

struct ProgramResult {
  int exit_code = -1;  ///< -1: did not exit normally (signal, or killed at the deadline)
  std::string output;  ///< stdout and stderr, interleaved
};

/// Runs `argv` with the current environment plus `extra` ("NAME=value"), collecting its output;
/// kills it after `deadline`.
[[maybe_unused]] ProgramResult run_program(const std::vector<std::string>& argv, const std::vector<std::string>& extra,
                          std::chrono::seconds deadline) {
  ProgramResult result;
  std::vector<std::string> env_strings;
  for (char** e = environ; *e; ++e) env_strings.emplace_back(*e);
  for (const auto& x : extra) env_strings.push_back(x);
  std::vector<char*> envp, args;
  for (auto& s : env_strings) envp.push_back(s.data());
  envp.push_back(nullptr);
  std::vector<std::string> argv_copy = argv;
  for (auto& s : argv_copy) args.push_back(s.data());
  args.push_back(nullptr);

  int pipe_fds[2];
  REQUIRE(pipe(pipe_fds) == 0);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addclose(&actions, pipe_fds[0]);
  posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], STDERR_FILENO);
  posix_spawn_file_actions_addclose(&actions, pipe_fds[1]);
  pid_t pid = 0;
  const int spawned = posix_spawn(&pid, args[0], &actions, nullptr, args.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  close(pipe_fds[1]);
  if (spawned != 0) {
    close(pipe_fds[0]);
    result.output = "posix_spawn " + argv[0] + ": " + std::to_string(spawned);
    return result;
  }
  const auto until = std::chrono::steady_clock::now() + deadline;
  bool killed = false;
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      kill(pid, SIGKILL);
      killed = true;
      break;
    }
    pollfd p{pipe_fds[0], POLLIN, 0};
    if (poll(&p, 1, static_cast<int>(left.count())) <= 0) continue;
    char buffer[4096];
    const ssize_t n = read(pipe_fds[0], buffer, sizeof buffer);
    if (n <= 0) break;  // EOF: the program closed its output (it is exiting)
    result.output.append(buffer, static_cast<std::size_t>(n));
  }
  close(pipe_fds[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  if (!killed && WIFEXITED(status)) result.exit_code = WEXITSTATUS(status);
  if (killed) result.output += "\n[killed after " + std::to_string(deadline.count()) + " s]";
  return result;
}

}  // namespace

TEST_CASE("the Node.js reference client posts, receives the broadcast over FlatBuffers, offers and is acknowledged",
          "[node]") {
#if !defined(CAREBROKER_NODE) || !defined(CAREBROKER_NODE_CLIENT_DIR)
  WARN("node or npm was not found when CMake ran: the Node.js client test is skipped");
  return;
#else
  const std::filesystem::path e2e = std::filesystem::path(CAREBROKER_NODE_CLIENT_DIR) / "dist" / "e2e.js";
  INFO(e2e.string() << " is built by the CMake target node_client (npm ci && npm run build)");
  REQUIRE(std::filesystem::exists(e2e));

  TestServer server;
  const std::string officer = server.token(Role::officer);
  const std::string admin = server.token(Role::admin);
  const std::uint64_t journal = server.durable_seq();

  // FlatBuffers (the default, as rostering software would), then the same through JSON.
  const struct {
    const char* encoding;
    const char* provider;
    const char* location;
  } runs[] = {{"binary", "P-B", "B"}, {"json", "P-A", "A"}};
  std::uint64_t package = 0;
  for (const auto& r : runs) {
    INFO("encoding " << r.encoding);
    const ProgramResult run = run_program(
        {CAREBROKER_NODE, e2e.string()},
        {"CAREBROKER_URL=http://127.0.0.1:" + std::to_string(server.port()),
         "CAREBROKER_PROVIDER_TOKEN=" + server.token(Role::provider, r.provider), "CAREBROKER_OFFICER_TOKEN=" + officer,
         "CAREBROKER_ADMIN_TOKEN=" + admin, "CAREBROKER_PRICE=2875", std::string("CAREBROKER_ENCODING=") + r.encoding},
        std::chrono::seconds(60));
    INFO("node e2e.js (exit " << run.exit_code << "):\n" << run.output);
    REQUIRE(run.exit_code == 0);
    CHECK(run.output.find("e2e ok") != std::string::npos);

    // The offer is in the market, as the officer sees it.
    ++package;
    const HttpResult view = http_request(server.port(), "GET", "/api/v1/packages/" + std::to_string(package), officer);
    INFO(view.status << " " << view.body << view.error);
    REQUIRE(view.status == 200);
    const boost::json::value v = boost::json::parse(view.body);
    const auto& offers = v.at("ranking").at("offers").as_array();
    REQUIRE(offers.size() == 1);
    CHECK(offers[0].at("location").as_string() == r.location);
    // e2e.js offered 2875p, then amended it to 1800p (half, within the rate band): flagged
    // abnormally low, it was asked to explain and did.
    CHECK(offers[0].at("price").to_number<std::int64_t>() == 1800);
    CHECK(offers[0].at("notes").as_string() == "offered by the Node.js reference client");
    CHECK(offers[0].at("abnormally_low").as_string() == "pending");
    CHECK(offers[0].at("provider_explanation").at("text").as_string() ==
          "our carers are paid the real living wage; this round is short");
    // Then awarded to the person's choice, accepted, and the person erased.
    CHECK(v.at("status").as_string() == "placed");
    CHECK(v.at("award_location").as_string() == r.location);
    CHECK(v.at("person") == boost::json::value{{"status", "erased"}});
  }
  CHECK(server.durable_seq() > journal);
#endif
}
