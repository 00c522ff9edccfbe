// Retention and snapshots: closed packages leave memory after the DPS's retention period but
// their final record travels to the archive; a snapshot reloads to the same digest.
#include "market_fixture.h"

using namespace carebroker::testing;

namespace {

PackageId placed_package(MarketFixture& f) {
  f.admit({"A"});
  const PackageId id = f.post();
  REQUIRE(f.offer("A", id, 3000).ok());
  f.pass_deadline(id);
  REQUIRE(f.accept("A", id).ok());
  REQUIRE(f.status(id) == PackageStatus::placed);
  return id;
}

}  // namespace

TEST_CASE("a closed package leaves memory after the retention period, its record archived", "[retention]") {
  DpsConfig config = home_care_config();
  config.windows.retain_closed_days = 30;
  MarketFixture f(config);
  const PackageId id = placed_package(f);
  const UtcMillis placed_at = f.package(id).closed_at;

  f.must(Tick{placed_at + 29 * kMillisPerDay});
  CHECK(f.market.find_package(id) != nullptr);
  CHECK(f.count<PackageRetired>() == 0);

  f.must(Tick{placed_at + 30 * kMillisPerDay});
  CHECK(f.market.find_package(id) == nullptr);
  CHECK(f.market.is_retired(id));
  REQUIRE(f.count<PackageRetired>() == 1);
  const auto& retired = std::get<PackageRetired>(f.events.back());
  const auto archived = Market::read_archive(retired.archive);
  REQUIRE(archived);
  CHECK(archived->package.id == id);
  CHECK(archived->package.status == PackageStatus::placed);
  CHECK(f.location_id(archived->package.award_location) == "A");
  CHECK(archived->person.name == "Ada Example");
  // A retired package takes no more commands.
  const Reply r = f.run(HandBackPackage{"P-A", "A", "late", id, "too late"});
  CHECK(r.status.code == Code::unknown_package);
}

TEST_CASE("an open package is never retired, and retention 0 keeps closed packages", "[retention]") {
  DpsConfig config = home_care_config();
  config.windows.retain_closed_days = 0;
  MarketFixture f(config);
  const PackageId placed = placed_package(f);
  f.advance(400 * kMillisPerDay);
  CHECK(f.market.find_package(placed) != nullptr);
  CHECK(f.count<PackageRetired>() == 0);
}

TEST_CASE("a corrupt archive record is refused, not misread", "[retention]") {
  CHECK_FALSE(Market::read_archive(""));
  CHECK_FALSE(Market::read_archive(std::string(100, '\xff')));
}

TEST_CASE("a snapshot reloads to the same digest and the market carries on identically", "[snapshot]") {
  MarketFixture f;
  f.admit({"A"});
  f.admit({"B"});
  const PackageId open_package = f.post();
  REQUIRE(f.offer("A", open_package, 2900).ok());
  const PackageId placed = f.post();
  REQUIRE(f.offer("B", placed, 3100).ok());
  f.pass_deadline(placed);

  const std::string snapshot = f.market.save_snapshot();
  Market loaded;
  REQUIRE(loaded.load_snapshot(snapshot).ok());
  CHECK(loaded.digest() == f.market.digest());

  // Derived indexes were rebuilt: deadlines fire, eligibility works, request ids are known.
  std::vector<Event> a, b;
  const Command later = Tick{f.market.now() + 10 * kMillisPerDay};
  (void)f.market.execute(later, a);
  (void)loaded.execute(later, b);
  CHECK(a == b);
  CHECK_FALSE(a.empty());
  const Command again = PlaceOffer{"P-A", "A", "req-1", open_package, 2900, kMonday + 2, true, ""};
  CHECK(f.market.execute(again, a).status == loaded.execute(again, b).status);
  CHECK(loaded.digest() == f.market.digest());
}

TEST_CASE("a damaged or foreign snapshot is refused and leaves the market empty", "[snapshot]") {
  MarketFixture f;
  f.admit({"A"});
  std::string snapshot = f.market.save_snapshot();
  Market m1;
  CHECK(m1.load_snapshot("").code == SnapshotCode::unreadable);
  Market m2;
  CHECK(m2.load_snapshot("not a snapshot at all").code == SnapshotCode::unreadable);
  Market m3;
  snapshot.resize(snapshot.size() / 2);
  const SnapshotStatus truncated = m3.load_snapshot(snapshot);
  CHECK_FALSE(truncated.ok());
  CHECK(truncated.code == SnapshotCode::truncated);
  CHECK_FALSE(truncated.detail.empty());
  CHECK(m3.digest() == Market().digest());
}
