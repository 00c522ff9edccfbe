// Determinism, two ways: the same commands into a fresh market give the same events and
// digest; replaying the recorded events into an empty market gives the same digest.
#include <functional>
#include <random>
#include <set>

#include "busy_session.h"
#include "engine/market/digest.h"
#include "market_fixture.h"

using namespace carebroker::testing;

namespace {

struct Run {
  std::vector<Event> events;
  std::uint64_t digest = 0;
  int accepted = 0;
};

Run run_session(const std::vector<Command>& commands) {
  Market market;
  Run run;
  for (const auto& c : commands) run.accepted += market.execute(c, run.events).ok() ? 1 : 0;
  run.digest = market.digest();
  return run;
}

}  // namespace

TEST_CASE("the same commands into a fresh market give the same events and digest", "[determinism]") {
  for (unsigned seed : {1u, 2u, 3u, 4u}) {
    const auto commands = busy_session(seed);
    const Run first = run_session(commands);
    const Run second = run_session(commands);
    INFO("seed " << seed);
    CHECK(first.events.size() > 300);  // the session really did things
    CHECK(first.events == second.events);
    CHECK(first.digest == second.digest);
  }
}

TEST_CASE("replaying the recorded events into an empty market gives the same digest", "[determinism]") {
  for (unsigned seed : {1u, 2u, 3u, 4u}) {
    Market original;
    std::vector<Event> events;
    for (const auto& c : busy_session(seed)) (void)original.execute(c, events);
    Market replayed;
    for (const auto& e : events) replayed.apply(e);
    INFO("seed " << seed);
    CHECK(replayed.digest() == original.digest());
    // The replayed market keeps working exactly like the original.
    std::vector<Event> a, b;
    const Command more = Tick{original.now() + 60 * kMillisPerDay};
    (void)original.execute(more, a);
    (void)replayed.execute(more, b);
    CHECK(a == b);
    CHECK(replayed.digest() == original.digest());
  }
}

TEST_CASE("a busy session reaches every stage of the life cycle", "[determinism]") {
  Market market;
  std::vector<Event> events;
  for (const auto& c : busy_session(1)) (void)market.execute(c, events);
  std::set<std::size_t> kinds;
  for (const auto& e : events) kinds.insert(e.index());
  // The session must exercise posting, broadcast, offers, close, award and placement.
  auto seen = [&](const Event& sample) { return kinds.count(sample.index()) == 1; };
  CHECK(seen(PackagePosted{}));
  CHECK(seen(TierOpened{}));
  CHECK(seen(OfferPlaced{}));
  CHECK(seen(OfferWithdrawn{}));
  CHECK(seen(WindowClosed{}));
  CHECK(seen(AwardOffered{}));
  CHECK(seen(AwardAccepted{}));
  CHECK(seen(TierEnded{}));
}

TEST_CASE("the digest covers configuration, locations, packages, offers and people", "[determinism]") {
  MarketFixture base;
  base.admit({"A"});
  base.admit({"B"});
  const PackageId id = base.post();
  REQUIRE(base.offer("A", id, 2600).ok());
  const std::uint64_t before = base.market.digest();

  auto differs = [&](const std::function<void(MarketFixture&, PackageId)>& change) {
    MarketFixture f;
    f.admit({"A"});
    f.admit({"B"});
    const PackageId pid = f.post();
    REQUIRE(f.offer("A", pid, 2600).ok());
    REQUIRE(f.market.digest() == before);
    change(f, pid);
    return f.market.digest() != before;
  };
  CHECK(differs([](MarketFixture& f, PackageId) {
    DpsConfig c = home_care_config();
    c.ranking.min_quality = 41;
    f.must(ConfigureDps{c});
  }));
  CHECK(differs([](MarketFixture& f, PackageId) {
    UpdateQualityInputs q;
    q.location = "B";
    q.self_assessment = 10;
    f.must(q);
  }));
  CHECK(differs([](MarketFixture& f, PackageId pid) { REQUIRE(f.amend("A", pid, 2700).ok()); }));
  CHECK(differs([](MarketFixture& f, PackageId) { f.post(MarketFixture::standard_package(), {"Someone Else", "", "", ""}); }));
  CHECK(differs([](MarketFixture& f, PackageId) { f.must(SuspendMembership{"B", "home-care", "audit"}); }));
  CHECK(differs([](MarketFixture& f, PackageId) { f.advance(kMillisPerMinute); }));
}

TEST_CASE("the digest hashes an integer as FNV-1a over all eight of its bytes", "[determinism]") {
  // Digest::u64 skips the work for high zero bytes; the value must be the plain byte loop's,
  // or payload hashes journaled before would stop matching their retries.
  auto reference = [](std::uint64_t v) {
    std::uint64_t h = 0xcbf29ce484222325ULL;
    for (int i = 0; i < 8; ++i) {
      h ^= static_cast<unsigned char>(v >> (8 * i));
      h *= 0x100000001b3ULL;
    }
    return h;
  };
  std::mt19937_64 rng(7);
  std::vector<std::uint64_t> values = {0, 1, 0xff, 0x100, 0xffff, 0x10000, 1ULL << 32, ~0ULL, 0x8000000000000000ULL};
  for (int i = 0; i < 1000; ++i) values.push_back(rng() >> (rng() % 64));
  for (const std::uint64_t v : values) {
    Digest d;
    d.u64(v);
    INFO(v);
    CHECK(d.value() == reference(v));
  }
}
