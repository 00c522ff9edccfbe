// Notifications reach the I/O threads in turns (gateway/protocol/fan_out.h): a broadcast's
// deliveries keep their order, and an acknowledgement posted while they are written waits for at
// most one turn, not for the whole broadcast.
#include <catch2/catch.hpp>

#include <algorithm>
#include <deque>
#include <functional>
#include <string>
#include <vector>

#include "gateway/protocol/fan_out.h"

namespace {

using carebroker::gateway::protocol::FanOut;

/// A stand-in for the I/O context: handlers posted to it run, in order, when the test says.
struct ManualContext {
  std::deque<std::function<void()>> posted;
  void post(std::function<void()> f) { posted.push_back(std::move(f)); }
  bool run_one() {
    if (posted.empty()) return false;
    auto f = std::move(posted.front());
    posted.pop_front();
    f();
    return true;
  }
  void run() {
    while (run_one()) {
    }
  }
};

}  // namespace

TEST_CASE("a broadcast's deliveries run in the order they were added across batches", "[wire][fanout]") {
  ManualContext io;
  FanOut fan_out(4);
  fan_out.set_carrier([&](std::function<void()> turn) { io.post(std::move(turn)); });
  std::vector<int> delivered;
  for (int i = 0; i < 10; ++i) fan_out.add([&, i] { delivered.push_back(i); });
  fan_out.flush();
  REQUIRE(io.run_one());  // the first turn: four of them
  CHECK(delivered == std::vector<int>{0, 1, 2, 3});
  // The next batch's deliveries queue behind the rest of this one, whatever flush says.
  for (int i = 10; i < 13; ++i) fan_out.add([&, i] { delivered.push_back(i); });
  fan_out.flush();
  CHECK(io.posted.size() == 1);  // one turn at a time
  io.run();
  CHECK(delivered == std::vector<int>{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12});
}

TEST_CASE("an acknowledgement posted during a broadcast to 300 locations waits for one turn and not for 300 writes",
          "[wire][fanout]") {
  ManualContext io;
  FanOut fan_out(32);
  fan_out.set_carrier([&](std::function<void()> turn) { io.post(std::move(turn)); });
  std::vector<std::string> written;
  for (int i = 0; i < 300; ++i)
    fan_out.add([&, i] {
      written.push_back("broadcast");
      // While the tenth write goes out, a durable batch's acknowledgement is posted (as the
      // sequencer's release does, from its own thread).
      if (i == 9) io.post([&] { written.push_back("ack"); });
    });
  fan_out.flush();
  io.run();
  REQUIRE(written.size() == 301);
  const auto ack = std::find(written.begin(), written.end(), "ack") - written.begin();
  CHECK(ack == 32);  // after the rest of its turn only; before the other 268 broadcasts
}

TEST_CASE("without a carrier a flush delivers everything at once on the flushing thread", "[wire][fanout]") {
  FanOut fan_out(2);
  int delivered = 0;
  for (int i = 0; i < 5; ++i) fan_out.add([&] { ++delivered; });
  CHECK(delivered == 0);  // nothing before the flush
  fan_out.flush();
  CHECK(delivered == 5);
}

TEST_CASE("a flush with nothing queued posts nothing", "[wire][fanout]") {
  ManualContext io;
  FanOut fan_out;
  fan_out.set_carrier([&](std::function<void()> turn) { io.post(std::move(turn)); });
  fan_out.flush();
  CHECK(io.posted.empty());
}
