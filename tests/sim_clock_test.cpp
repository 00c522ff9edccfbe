// The simulated clock mode (carebroker --sim-clock-speed): market time runs N times as fast as
// real time, and a store is either real or simulated for its whole life.
#include <catch2/catch.hpp>

#include "engine/sequencer/scaled_clock.h"
#include "engine/store/rocksdb_journal.h"
#include "gateway/app.h"
#include "gateway/clock_mode.h"
#include "store_test_support.h"

using namespace carebroker;
using carebroker::testing::store_support::TempDir;

namespace {

constexpr engine::UtcMillis kStart = 1'780'000'000'000;  // a day in 2026
constexpr std::int64_t kSecondNs = 1'000'000'000;

/// Starts a server on `dir` (any free port), simulated or not; "" when it started, else why not.
std::string start_server(const std::string& dir, double sim_speed) {
  gateway::AppOptions o;
  o.data_dir = dir;
  o.port = 0;
  o.sim_clock_speed = sim_speed;
  gateway::App app;
  std::string error;
  if (!app.start(o, error)) return error.empty() ? "failed without a reason" : error;
  app.stop();
  return {};
}

}  // namespace

TEST_CASE("a simulated clock runs the market's time N times as fast as real time", "[sim-clock]") {
  std::int64_t real_ns = 0;
  sequencer::ScaledClock clock(kStart, 3600, [&] { return real_ns; });
  CHECK(clock.now() == kStart);
  real_ns += kSecondNs;  // one real second is an hour of market time
  CHECK(clock.now() == kStart + 3'600'000);
  real_ns += 24 * kSecondNs;  // a day more
  CHECK(clock.now() == kStart + 25 * 3'600'000);
}

TEST_CASE("a frozen simulated clock holds still, so a simulation's end can be audited", "[sim-clock]") {
  std::int64_t real_ns = 0;
  sequencer::ScaledClock clock(kStart, 3600, [&] { return real_ns; });
  real_ns += kSecondNs;
  clock.freeze();
  real_ns += 10 * kSecondNs;
  CHECK(clock.now() == kStart + 3'600'000);
}

TEST_CASE("a resumed simulation carries on from its market's last time, and never goes back", "[sim-clock]") {
  std::int64_t real_ns = 0;
  sequencer::ScaledClock clock(kStart, 60, [&] { return real_ns; });
  clock.carry_on_from(kStart + 86'400'000);  // the journal had reached a day later
  CHECK(clock.now() == kStart + 86'400'000);
  real_ns += kSecondNs;
  CHECK(clock.now() == kStart + 86'400'000 + 60'000);
  clock.carry_on_from(kStart);  // an earlier time moves nothing
  CHECK(clock.now() == kStart + 86'400'000 + 60'000);
}

TEST_CASE("a store written in real time refuses to start under a simulated clock, and says why", "[sim-clock]") {
  TempDir dir("sim-clock-real");
  REQUIRE(start_server(dir.path.string(), 0).empty());
  const std::string error = start_server(dir.path.string(), 60);
  CHECK_THAT(error, Catch::Contains("written in real time") && Catch::Contains("new --data directory"));
  CHECK(start_server(dir.path.string(), 0).empty());  // and still starts on the real clock
}

TEST_CASE("a simulation's store refuses to start on the real clock, and starts again as a simulation", "[sim-clock]") {
  TempDir dir("sim-clock-sim");
  REQUIRE(start_server(dir.path.string(), 60).empty());
  const std::string error = start_server(dir.path.string(), 0);
  CHECK_THAT(error, Catch::Contains("holds a simulation") && Catch::Contains("--sim-clock-speed"));
  CHECK(start_server(dir.path.string(), 60).empty());
}

TEST_CASE("a store with events from before the clock mark counts as written in real time", "[sim-clock]") {
  TempDir dir("sim-clock-old");
  std::unique_ptr<store::RocksJournal> journal;
  REQUIRE(store::RocksJournal::open({dir.path.string()}, journal).ok());
  REQUIRE(journal->append({1, 1, "an event from an older server", {}}).ok());
  CHECK_THAT(gateway::settle_clock_mode(*journal, gateway::ClockMode::simulated, dir.path.string()),
             Catch::Contains("written in real time"));
  CHECK(gateway::settle_clock_mode(*journal, gateway::ClockMode::real, dir.path.string()).empty());
}
