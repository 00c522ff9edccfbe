// The market's clock over REST (GET/PUT /api/v1/admin/clock): an administrator reads whether the
// market runs on the real clock or a simulation's, at what speed and whether it is frozen; a
// simulation's clock can be frozen for good (carebroker-sim --server URL does so at a run's end,
// so that its audit sees a market at rest); the real clock is never touched.
#include <catch2/catch.hpp>

#include <chrono>
#include <thread>

#include "gateway/app.h"
#include "gateway_client.h"
#include "rest_harness.h"
#include "store_test_support.h"

using namespace carebroker::testing;
using carebroker::testing::store_support::TempDir;
namespace gateway = carebroker::gateway;

TEST_CASE("an administrator reads the market's clock: real, its time, speed 1, never frozen", "[rest]") {
  RestHarness h;
  const json::value c = h.must(200, "GET", "/api/v1/admin/clock", h.admin);
  CHECK(str(c.at("clock")) == "real");
  CHECK(c.at("now_ms").as_int64() == h.service.market().now());
  CHECK(str(c.at("now")) == "2026-11-23T09:00:00.000Z");
  CHECK(c.at("speed").to_number<double>() == 1.0);
  CHECK(c.at("frozen").as_bool() == false);
}

TEST_CASE("the real clock is never frozen: clock_not_simulated, and it still runs", "[rest]") {
  RestHarness h;
  const HttpResponse r = h.call("PUT", "/api/v1/admin/clock", h.admin, R"({"frozen": true})");
  CHECK(r.status == 409);
  CHECK(RestHarness::error_code(r) == "clock_not_simulated");
  CHECK_FALSE(h.service.frozen);
}

TEST_CASE("a simulation's clock is frozen for good by an administrator", "[rest]") {
  RestHarness h;
  h.service.simulated_clock = true;
  const json::value before = h.must(200, "GET", "/api/v1/admin/clock", h.admin);
  CHECK(str(before.at("clock")) == "simulated");
  CHECK(before.at("speed").to_number<double>() == 40.0);
  const json::value frozen = h.must(200, "PUT", "/api/v1/admin/clock", h.admin, R"({"frozen": true})");
  CHECK(frozen.at("frozen").as_bool());
  CHECK(h.service.frozen);
  // Again: still frozen, still 200 (a driver that retries is not refused).
  CHECK(h.must(200, "PUT", "/api/v1/admin/clock", h.admin, R"({"frozen": true})").at("frozen").as_bool());
}

TEST_CASE("bad clock changes get their own codes and freeze nothing", "[rest]") {
  RestHarness h;
  h.service.simulated_clock = true;
  struct Case {
    const char* body;
    int status;
    const char* code;
  };
  for (const Case& c : {Case{R"({"frozen": false})", 422, "invalid_value"}, Case{"{}", 422, "missing_field"},
                        Case{R"({"frozen": "yes"})", 422, "wrong_type"}, Case{R"({"frozen": 1})", 422, "wrong_type"},
                        Case{R"({"frozen": true, "speed": 2})", 422, "unknown_field"},
                        Case{R"({"frozen": tru)", 400, "malformed_json"}, Case{"[true]", 422, "wrong_type"}}) {
    const HttpResponse r = h.call("PUT", "/api/v1/admin/clock", h.admin, c.body);
    INFO(c.body << " → " << r.status << " " << r.body);
    CHECK(r.status == c.status);
    CHECK(RestHarness::error_code(r) == c.code);
  }
  CHECK_FALSE(h.service.frozen);
}

TEST_CASE("only an administrator reads or freezes the clock", "[rest]") {
  RestHarness h;
  h.service.simulated_clock = true;
  for (const std::string* token : {&h.officer, &h.compliance}) {
    CHECK(h.call("GET", "/api/v1/admin/clock", *token).status == 403);
    CHECK(h.call("PUT", "/api/v1/admin/clock", *token, R"({"frozen": true})").status == 403);
  }
  CHECK(h.call("PUT", "/api/v1/admin/clock", "", R"({"frozen": true})").status == 401);
  CHECK_FALSE(h.service.frozen);
}

TEST_CASE("a simulation's server frozen over REST holds its market's time still", "[rest][sim-clock]") {
  TempDir dir("clock-route");
  gateway::AppOptions o;
  o.data_dir = dir.path.string();
  o.port = 0;
  o.sim_clock_speed = 3600;  // an hour of market time a real second
  gateway::App app;
  std::string error;
  REQUIRE(app.start(o, error));
  const auto admin = app.issue_token({gateway::Role::admin, "", "admin"}, error);
  REQUIRE(admin);
  const HttpResult running = http_request(app.port(), "GET", "/api/v1/admin/clock", *admin);
  REQUIRE(running.status == 200);
  const json::value r = json::parse(running.body);
  CHECK(str(r.at("clock")) == "simulated");
  CHECK(r.at("speed").to_number<double>() == 3600.0);
  CHECK_FALSE(r.at("frozen").as_bool());

  const HttpResult put = http_request(app.port(), "PUT", "/api/v1/admin/clock", *admin, R"({"frozen": true})");
  REQUIRE(put.status == 200);
  const std::int64_t stopped_at = json::parse(put.body).at("now_ms").as_int64();
  std::this_thread::sleep_for(std::chrono::milliseconds(20));  // 72 s of market time, were it running
  const json::value later = json::parse(http_request(app.port(), "GET", "/api/v1/admin/clock", *admin).body);
  CHECK(later.at("frozen").as_bool());
  CHECK(later.at("now_ms").as_int64() == stopped_at);
  app.stop();
}
