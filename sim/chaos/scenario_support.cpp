// Helpers of the connection scenarios (scenario_support.h).
#include "sim/chaos/scenario_support.h"

#include <boost/asio/post.hpp>

#include <chrono>
#include <sstream>
#include <thread>

#include "sim/rest_client.h"

namespace carebroker::sim::chaos {

std::uint64_t steady_acks(MarketRun& run) { return run.steady() ? run.steady_acked() : 0; }

bool wait_for_steady_acks(MarketRun& run, double timeout_s) {
  const auto until = std::chrono::steady_clock::now() + std::chrono::duration<double>(timeout_s);
  while (std::chrono::steady_clock::now() < until) {
    if (steady_acks(run) > 0) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return false;
}

bool start_steady_market(MarketRun& run, ChaosRow& row, std::chrono::milliseconds post_every, std::int64_t window_ms,
                         const std::string& before_what) {
  std::string error;
  if (!run.open(error)) {
    row.fail(error);
    return false;
  }
  run.start_providers(std::chrono::milliseconds(50));
  run.start_officer(post_every, window_ms);
  if (!wait_for_steady_acks(run, 30)) {
    row.fail("the well-behaved client was never answered, even before " + before_what);
    return false;
  }
  return true;
}

double read_metric(MarketRun& run, const std::string& name) {
  RestClient rest("127.0.0.1", run.server().port());
  const auto reply = rest.request("GET", "/metrics", run.market().admin_token);
  if (reply.status != 200) return -1;
  std::istringstream lines(reply.body);
  for (std::string line; std::getline(lines, line);)
    if (line.rfind(name + " ", 0) == 0) return std::stod(line.substr(name.size() + 1));
  return -1;
}

std::string steady_starved(MarketRun& run, std::uint64_t acks_before, std::uint64_t acks_after) {
  if (acks_after <= acks_before) return "the well-behaved client was not answered once while it lasted";
  if (!run.steady()) return "";
  run.steady()->pause_steady();
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(15);
  while (run.steady_unanswered() > 0 && std::chrono::steady_clock::now() < until)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  if (run.steady_unanswered() > 0)
    return "the well-behaved client has " + std::to_string(run.steady_unanswered()) + " commands never answered";
  return "";
}

}  // namespace carebroker::sim::chaos
