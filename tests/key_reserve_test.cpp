// The person key reserve (engine/person/key_reserve.h): keys made ahead on a thread of their
// own, so that a posting never waits on the key store's disk on an I/O thread. Each key is
// durable before it is handed out, goes to one posting only, and a key no package used is
// destroyed again. Tagged [security] so the ThreadSanitizer tree runs it.
#include <catch2/catch.hpp>

#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include "engine/person/key_reserve.h"
#include "market_fixture.h"

using namespace carebroker;
namespace fs = std::filesystem;

namespace {

/// What the reserve handed out, recorded on whichever thread it ran, read on the test thread.
struct Handed {
  std::mutex mutex;
  std::condition_variable changed;
  std::vector<person::KeyReserve::Taken> taken;  // in the order handed out
  std::vector<int> order;                        // which request each was
  std::vector<std::thread::id> threads;          // the thread each ran on

  person::KeyReserve::Ready for_request(int n) {
    return [this, n](person::KeyReserve::Taken t) {
      std::lock_guard lock(mutex);
      taken.push_back(std::move(t));
      order.push_back(n);
      threads.push_back(std::this_thread::get_id());
      changed.notify_all();
    };
  }
  /// Waits (without a time limit on the assertion: a generous deadline only ends a hang) until
  /// `n` requests have been answered; false if they never are.
  bool wait_for(std::size_t n) {
    std::unique_lock lock(mutex);
    return changed.wait_for(lock, std::chrono::seconds(60), [&] { return taken.size() >= n; });
  }
};

/// Waits until the reserve has made `n` keys ahead; false if it never does.
bool reserve_reaches(const person::KeyReserve& reserve, std::size_t n) {
  for (int i = 0; i < 60'000 && reserve.ready_keys() < n; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  return reserve.ready_keys() >= n;
}

/// The key ids handed out, and that each is durable: a store opened afresh on the directory
/// finds every one. Only while the reserve's thread is idle (an open removes unfinished keys).
std::set<std::string> durable_ids(const Handed& handed, const fs::path& dir) {
  person::PersonKeys reopened;
  std::string error;
  REQUIRE(reopened.open(dir.string(), error));
  std::set<std::string> ids;
  for (const auto& t : handed.taken) {
    REQUIRE(t.key);
    CHECK(reopened.find(t.key->key_id));
    ids.insert(t.key->key_id);
  }
  return ids;
}

}  // namespace

TEST_CASE("key reserve: a key made ahead is handed out at once, on the caller's thread, and made again",
          "[security][person]") {
  TempPersonKeys store;
  person::KeyReserve reserve(store.keys, {.keep_ready = 4});
  REQUIRE(reserve_reaches(reserve, 4));
  Handed handed;
  for (int i = 0; i < 4; ++i) reserve.take(handed.for_request(i));
  // Answered before take returned: nothing waited.
  REQUIRE(handed.taken.size() == 4);
  for (const std::thread::id t : handed.threads) CHECK(t == std::this_thread::get_id());
  REQUIRE(reserve_reaches(reserve, 4));  // four more made ahead (the thread is idle again)
  CHECK(store.keys.size() == 8);
  CHECK(durable_ids(handed, store.dir).size() == 4);  // the four handed out, each its own
}

TEST_CASE("key reserve: a burst beyond the keys made ahead waits in the order asked, each request its own key",
          "[security][person]") {
  TempPersonKeys store;
  person::KeyReserve reserve(store.keys, {.keep_ready = 0});  // none ahead: every request waits
  Handed handed;
  constexpr int kBurst = 20;
  for (int i = 0; i < kBurst; ++i) reserve.take(handed.for_request(i));
  REQUIRE(handed.wait_for(kBurst));
  std::lock_guard lock(handed.mutex);
  for (int i = 0; i < kBurst; ++i) CHECK(handed.order[static_cast<std::size_t>(i)] == i);
  for (const std::thread::id t : handed.threads) CHECK(t != std::this_thread::get_id());  // the reserve's thread
  CHECK(durable_ids(handed, store.dir).size() == kBurst);
}

TEST_CASE("key reserve: a store that cannot write fails every waiting request with its reason, and is tried again",
          "[security][person]") {
  TempPersonKeys store;
  person::KeyReserve reserve(store.keys, {.keep_ready = 0});
  // The key directory replaced by a file: no key can be made.
  fs::remove_all(store.dir);
  std::ofstream(store.dir) << "not a directory";
  Handed handed;
  for (int i = 0; i < 3; ++i) reserve.take(handed.for_request(i));
  REQUIRE(handed.wait_for(3));
  {
    std::lock_guard lock(handed.mutex);
    for (const auto& t : handed.taken) {
      CHECK_FALSE(t.key);
      CHECK(t.error.find("cannot write the person key") != std::string::npos);
    }
  }
  // The disk is back: the next request is served (the failure was not the end of the reserve).
  fs::remove(store.dir);
  fs::create_directory(store.dir);
  reserve.take(handed.for_request(3));
  REQUIRE(handed.wait_for(4));
  std::lock_guard lock(handed.mutex);
  CHECK(handed.taken.back().key);
}

TEST_CASE("key reserve: keys discarded, and keys made ahead but never handed out, are destroyed, and a stopped reserve refuses",
          "[security][person]") {
  TempPersonKeys store;
  auto reserve = std::make_unique<person::KeyReserve>(store.keys, person::KeyReserve::Options{.keep_ready = 3});
  REQUIRE(reserve_reaches(*reserve, 3));
  Handed handed;
  reserve->take(handed.for_request(0));  // a posting that will be used
  reserve->take(handed.for_request(1));  // one refused by the market: its key discarded
  reserve->take(handed.for_request(2));  // and one refused only once the reserve has stopped
  REQUIRE(handed.taken.size() == 3);
  const std::string kept = handed.taken[0].key->key_id, refused = handed.taken[1].key->key_id,
                    refused_late = handed.taken[2].key->key_id;
  reserve->discard(refused);
  reserve->stop();
  // The keys made ahead and never handed out are gone; the late refusal's is destroyed at once.
  CHECK(store.keys.size() == 2);
  reserve->discard(refused_late);
  CHECK(store.keys.size() == 1);  // only the key a package uses is left
  CHECK(store.keys.find(kept));
  CHECK_FALSE(store.keys.find(refused));
  CHECK_FALSE(store.keys.find(refused_late));
  reserve->take(handed.for_request(3));
  REQUIRE(handed.taken.size() == 4);
  CHECK_FALSE(handed.taken[3].key);
  CHECK(handed.taken[3].error == "the server is stopping");
  reserve.reset();  // a second stop (the destructor's) does nothing more
  CHECK(store.keys.size() == 1);
}

TEST_CASE("key reserve: without a thread of its own, keys are made and destroyed on the caller's thread",
          "[security][person]") {
  TempPersonKeys store;
  person::KeyReserve reserve(store.keys, {.keep_ready = 8, .own_thread = false});
  CHECK(reserve.ready_keys() == 0);  // nothing made ahead
  Handed handed;
  reserve.take(handed.for_request(0));
  REQUIRE(handed.taken.size() == 1);
  REQUIRE(handed.taken[0].key);
  CHECK(store.keys.size() == 1);
  reserve.discard(handed.taken[0].key->key_id);
  CHECK(store.keys.size() == 0);
}
