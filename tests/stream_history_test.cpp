// A provider stream's resume history (gateway/protocol/stream_history.h): a ring that grows up to
// its limit and then keeps the newest messages, numbered consecutively.
#include <catch2/catch.hpp>

#include <algorithm>

#include "gateway/protocol/stream_history.h"

namespace {

using namespace carebroker::gateway::protocol;

/// A message whose batch number is `n`, to tell messages apart.
MessageRef numbered(std::uint64_t n) {
  auto m = make_pong(n);
  m->set_batch(n);
  return m;
}

}  // namespace

TEST_CASE("a stream history grows up to its limit, then keeps the newest messages in order", "[wire]") {
  StreamHistory history(100);
  CHECK(history.empty());
  for (std::uint64_t seq = 1; seq <= 250; ++seq) {
    const MessageRef dropped = history.push(seq, numbered(seq));
    // Nothing is dropped while it grows (16, 24, 36, … entries, then the limit); then the oldest.
    if (seq <= 100)
      CHECK_FALSE(dropped);
    else
      CHECK((dropped && dropped.batch() == seq - 100));
    const std::uint64_t kept = std::min<std::uint64_t>(seq, 100);
    REQUIRE(history.size() == kept);
    CHECK(history.first_seq() == seq - kept + 1);
    for (std::size_t i = 0; i < history.size(); ++i) REQUIRE(history[i].batch() == history.first_seq() + i);
  }
}

TEST_CASE("a stream history of one keeps the newest message only", "[wire]") {
  StreamHistory history(0);  // at least one
  CHECK_FALSE(history.push(7, numbered(7)));
  CHECK(history.push(8, numbered(8)).batch() == 7);
  REQUIRE(history.size() == 1);
  CHECK(history.first_seq() == 8);
  CHECK(history[0].batch() == 8);
}
