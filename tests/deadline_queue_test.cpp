// The packages' pending deadlines (engine/market/deadline_queue.h): earliest first, ties to the
// lower package id, one deadline a package — moving or clearing it leaves nothing that could
// fire at its old time.
#include <catch2/catch.hpp>

#include "engine/market/deadline_queue.h"

using carebroker::engine::DeadlineQueue;

namespace {

DeadlineQueue queue_for_packages(std::size_t packages) {
  DeadlineQueue q;
  q.reset(packages);
  return q;
}

}  // namespace

TEST_CASE("deadlines come out earliest first, ties to the lower package id", "[deadlines]") {
  DeadlineQueue q = queue_for_packages(4);
  q.set(3, 500);
  q.set(1, 900);
  q.set(4, 500);
  q.set(2, 100);
  CHECK(q.earliest() == DeadlineQueue::Entry{100, 2});
  q.clear(2);
  CHECK(q.earliest() == DeadlineQueue::Entry{500, 3});
  q.clear(3);
  CHECK(q.earliest() == DeadlineQueue::Entry{500, 4});
  q.clear(4);
  CHECK(q.earliest() == DeadlineQueue::Entry{900, 1});
  q.clear(1);
  CHECK(q.empty());
}

TEST_CASE("a package's deadline moved earlier or later fires only at its new time", "[deadlines]") {
  DeadlineQueue q = queue_for_packages(2);
  q.set(1, 100);
  q.set(2, 300);
  q.set(1, 400);  // a window extended by an amendment
  CHECK(q.earliest() == DeadlineQueue::Entry{300, 2});
  q.clear(2);
  CHECK(q.earliest() == DeadlineQueue::Entry{400, 1});
  q.set(1, 50);  // an award's expiry set sooner
  CHECK(q.earliest() == DeadlineQueue::Entry{50, 1});
  q.clear(1);
  CHECK(q.empty());  // the old times of package 1 (100, 400) are gone with it
}

TEST_CASE("a deadline set back to an earlier time of its own fires once", "[deadlines]") {
  DeadlineQueue q = queue_for_packages(1);
  q.set(1, 100);
  q.set(1, 200);
  q.set(1, 100);
  CHECK(q.earliest() == DeadlineQueue::Entry{100, 1});
  q.set(1, 700);  // fired: the package moves on
  CHECK(q.earliest() == DeadlineQueue::Entry{700, 1});
  q.clear(1);
  CHECK(q.empty());
}

TEST_CASE("setting a deadline to 0 clears it, and a package added later has none", "[deadlines]") {
  DeadlineQueue q = queue_for_packages(1);
  q.set(1, 100);
  q.set(1, 0);
  CHECK(q.empty());
  q.add_package();
  q.set(2, 250);
  CHECK(q.earliest() == DeadlineQueue::Entry{250, 2});
  q.reset(2);
  CHECK(q.empty());
}

TEST_CASE("stale entries do not pile up while deadlines keep moving", "[deadlines]") {
  DeadlineQueue q = queue_for_packages(3);
  // Each package's deadline moves later 1,000 times; the stale ones below the top stay until
  // they surface, but each clear drops every stale entry that has reached the top.
  for (int i = 1; i <= 1000; ++i)
    for (carebroker::engine::PackageId id = 1; id <= 3; ++id) q.set(id, 1000 * i + static_cast<int>(id));
  CHECK(q.earliest() == DeadlineQueue::Entry{1'000'001, 1});
  q.clear(1);
  q.clear(2);
  q.clear(3);
  CHECK(q.empty());
  CHECK(q.held() == 0);
}
