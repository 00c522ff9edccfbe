// Immutable values held once (engine/market/shared.h, boxed.h), and structs walked in another
// order than declared (reflect.h walk_order):
//   - the writer's market, the events of a durable batch and a replica fed that batch hold ONE
//     spec, one person, one list of who was ever invited — the same objects, not copies;
//   - a Shared<T> or Boxed<T> compares, digests and snapshots exactly as the T it holds;
//   - a CompactInt<T, N> holds every value of its range in N bytes and digests and snapshots
//     exactly as the T;
//   - an Offer, laid out for size, still digests and snapshots in its journal order, its price and
//     times as the full-width values.
#include <catch2/catch.hpp>

#include <memory>
#include <string>
#include <vector>

#include "engine/market/digest.h"
#include "engine/market/serialize.h"
#include "engine/replica/replica.h"
#include "market_fixture.h"

namespace {

using namespace carebroker::testing;
using carebroker::replica::DurableBatch;
using carebroker::replica::Replica;

TEST_CASE("the writer and a replica fed its batch share one spec, person and ever-invited list", "[shared]") {
  MarketFixture f;
  f.admit({"A"});
  f.admit({"B"});
  const PackageId id = f.post();
  const Package& written = f.package(id);
  REQUIRE(written.invited.size() == 2);

  const DurableBatch batch{1, f.events.size(), std::make_shared<const std::vector<Event>>(f.events)};
  Replica replica;
  REQUIRE(replica.start("", 0).empty());
  REQUIRE(replica.apply(batch).empty());
  const Package* replicated = replica.market().find_package(id);
  REQUIRE(replicated);

  CHECK(replicated->spec.get() == written.spec.get());
  CHECK(replica.market().person(id) == f.market.person(id));
  CHECK(replicated->ever_invited.get() == written.ever_invited.get());
  CHECK(*written.ever_invited == written.invited);
  for (const Event& e : *batch.events) {
    if (const auto* posted = std::get_if<PackagePosted>(&e)) CHECK(posted->spec.get() == written.spec.get());
    if (const auto* opened = std::get_if<TierOpened>(&e)) CHECK(opened->invited.get() == written.ever_invited.get());
  }
  CHECK(replica.market().digest() == f.market.digest());
}

TEST_CASE("a Shared value compares, digests and snapshots as the value it holds", "[shared]") {
  PackageSpec spec = MarketFixture::standard_package();
  const Shared<PackageSpec> shared = spec;
  const Shared<PackageSpec> copy = shared;
  CHECK(copy.get() == shared.get());
  CHECK(shared == Shared<PackageSpec>(spec));  // another object, the same value
  CHECK_FALSE(shared == Shared<PackageSpec>());
  CHECK(digest_of(shared) == digest_of(spec));
  CHECK(Encoder().add(shared).take() == Encoder().add(spec).take());

  const std::string bytes = Encoder().add(spec).take();
  Shared<PackageSpec> decoded;
  Decoder d(bytes);
  REQUIRE(d.get(decoded));
  CHECK(*decoded == spec);

  // Never null: empty when default-constructed or moved from, without an allocation.
  Shared<std::vector<LocationIndex>> moved = std::vector<LocationIndex>{1, 2};
  const Shared<std::vector<LocationIndex>> taker = std::move(moved);
  CHECK(taker->size() == 2);
  CHECK(moved->empty());  // NOLINT(bugprone-use-after-move): a moved-from Shared is empty
  CHECK(Shared<std::vector<LocationIndex>>().get() == Shared<std::vector<LocationIndex>>(std::vector<LocationIndex>{}).get());
}

TEST_CASE("a Boxed note copies its text and digests and snapshots as the text", "[shared]") {
  const Boxed<std::string> note = std::string("starts early");
  const Boxed<std::string> copy = note;
  CHECK(*copy == "starts early");
  CHECK(copy.operator->() != note.operator->());
  CHECK(digest_of(note) == digest_of(std::string("starts early")));
  CHECK(Encoder().add(Boxed<std::string>()).take() == Encoder().add(std::string()).take());
  CHECK(Boxed<std::string>() == Boxed<std::string>(std::string()));
}

TEST_CASE("a CompactInt holds its range in fewer bytes and digests and snapshots as the integer", "[shared]") {
  using Millis6 = CompactInt<UtcMillis, 6>;
  static_assert(sizeof(Millis6) == 6 && alignof(Millis6) == 1);
  CHECK(Millis6::kMax == (UtcMillis{1} << 47) - 1);
  CHECK(Millis6::kMin == -(UtcMillis{1} << 47));
  for (const UtcMillis t : {UtcMillis{0}, UtcMillis{1}, UtcMillis{-1}, UtcMillis{255}, UtcMillis{256}, UtcMillis{-256},
                            kMonday9am, -kMonday9am, Millis6::kMax, Millis6::kMin}) {
    const Millis6 held = t;
    CHECK(UtcMillis{held} == t);
    CHECK(*held == t);
    CHECK(digest_of(held) == digest_of(t));
    CHECK(Encoder().add(held).take() == Encoder().add(t).take());
    const std::string bytes = Encoder().add(t).take();
    Millis6 decoded;
    Decoder dec(bytes);
    REQUIRE(dec.get(decoded));
    CHECK(UtcMillis{decoded} == t);
  }
  const CompactInt<Pence, 4> price = 100'000'00;
  CHECK(price == 100'000'00);
  CHECK(price > 99'999'99);
  CHECK(CompactInt<Pence, 4>() == 0);
}

TEST_CASE("an Offer digests and snapshots in its journal order, whatever its layout", "[shared]") {
  Offer o;
  o.location = 7;
  o.price = 2675;
  o.start_date = kMonday + 3;
  o.must_meet_confirmed = true;
  o.notes = std::string("can start early");
  o.placed_at = kMonday9am;
  o.amended_at = kMonday9am + 60'000;
  o.version = 2;
  o.withdrawn = false;
  o.declined = true;
  o.abnormally_low = AbnormallyLow::pending;
  // The price and the times as the full-width Pence and UtcMillis they are journaled as.
  Encoder in_order;
  in_order.add(o.location).add(Pence{2675}).add(o.start_date).add(o.must_meet_confirmed).add(*o.notes);
  in_order.add(UtcMillis{kMonday9am}).add(UtcMillis{kMonday9am + 60'000}).add(o.version).add(o.withdrawn);
  in_order.add(o.declined).add(o.abnormally_low);
  const std::string expected = in_order.take();
  CHECK(Encoder().add(o).take() == expected);

  Digest d;
  d.add(o.location).add(Pence{2675}).add(o.start_date).add(o.must_meet_confirmed).add(*o.notes);
  d.add(UtcMillis{kMonday9am}).add(UtcMillis{kMonday9am + 60'000}).add(o.version).add(o.withdrawn);
  d.add(o.declined).add(o.abnormally_low);
  CHECK(digest_of(o) == d.value());

  Offer decoded;
  Decoder dec(expected);
  REQUIRE(dec.get(decoded));
  CHECK(decoded == o);
}

}  // namespace
