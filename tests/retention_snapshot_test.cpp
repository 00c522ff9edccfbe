// Retention and snapshots: closed packages leave memory after the DPS's retention period but
// their final record travels to the archive; a snapshot reloads to the same digest.
#include <algorithm>
#include <set>
#include <string>
#include <utility>

#include <boost/pfr/core.hpp>

#include "market_fixture.h"

#include "engine/codec/archive_codec.h"
#include "engine/market/reflect.h"
#include "engine/market/serialize.h"
#include "schemas/journal_generated.h"

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

/// A placed package whose placement the council then ended (the person moved): closed.
PackageId ended_package(MarketFixture& f) {
  const PackageId id = placed_package(f);
  f.must(EndPlacement{id, PlacementEndReason::moved, 0, "officer-1"});
  REQUIRE(f.status(id) == PackageStatus::ended);
  return id;
}

}  // namespace

TEST_CASE("a closed package leaves memory after the retention period, its record archived", "[retention]") {
  DpsConfig config = home_care_config();
  config.windows.retain_closed_days = 30;
  MarketFixture f(config);
  const PackageId id = ended_package(f);
  const UtcMillis placed_at = f.package(id).closed_at;  // when its placement ended

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
  CHECK(archived->package.status == PackageStatus::ended);
  // Its placement as it ended travels with it: who, at what rate, and why it ended.
  CHECK(archived->placement.package == id);
  CHECK(f.location_id(archived->placement.location) == "A");
  CHECK(archived->placement.rate == 3000);
  CHECK(archived->placement.status == PlacementStatus::ended);
  CHECK(archived->placement.end_reason == PlacementEndReason::moved);
  CHECK(archived->placement.ended_by == "officer-1");
  CHECK(f.market.find_placement(id) == nullptr);  // gone from memory with its package
  CHECK(f.location_id(archived->package.award_location) == "A");
  CHECK(archived->person.is_sealed());  // sealed, as posted: the archive holds no clear text
  CHECK(opened(archived->person).name == "Ada Example");
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
  // Damaged "CBA1" records: the Verifier refuses them, never a crash.
  DpsConfig config = home_care_config();
  config.windows.retain_closed_days = 1;
  MarketFixture f(config);
  const PackageId id = ended_package(f);
  f.advance(2 * kMillisPerDay);
  const std::string good = std::get<PackageRetired>(f.events.back()).archive;
  REQUIRE(Market::read_archive(good));
  for (std::size_t cut = 8; cut < good.size(); cut += 7) CHECK_FALSE(Market::read_archive(good.substr(0, cut)));
  for (std::size_t at = 8; at < good.size(); at += 5) {
    std::string bad = good;
    bad[at] = static_cast<char>(bad[at] ^ 0x5a);
    (void)Market::read_archive(bad);  // reads or refuses; never crashes (ASan/UBSan builds)
  }
  CHECK(id == 1);
}

TEST_CASE("archive records: new ones are a versioned ArchivedPackage, old serialize.h ones still read",
          "[retention][codec]") {
  DpsConfig config = home_care_config();
  config.windows.retain_closed_days = 1;
  MarketFixture f(config);
  const PackageId id = ended_package(f);
  const Package package = f.package(id);
  const Placement placement = *f.market.find_placement(id);
  REQUIRE(package.offers.size() == 1);
  const SealedPerson person = *f.market.person(id);
  f.advance(2 * kMillisPerDay);
  REQUIRE(f.count<PackageRetired>() == 1);
  const std::string written = std::get<PackageRetired>(f.events.back()).archive;

  // What the market writes now: a "CBA1" buffer, version 1, every field back exactly.
  REQUIRE(written.size() > 8);
  CHECK(written.substr(4, 4) == carebroker::codec::kArchiveIdentifier);
  const auto current = carebroker::codec::decode_archive(written);
  REQUIRE(current.ok());
  CHECK_FALSE(current.legacy);
  CHECK(current.package == package);
  CHECK(current.person == person);
  CHECK(current.placement == placement);

  // The form written before (engine/market/serialize.h's blob) reads back through the frozen decoder.
  // It holds the fields the engine's structs had then: a Package's first 32 and, in it, a
  // PackageSpec's first 17 (fields appended since read back as their defaults). The records came
  // later: a closed package's records (the quality kept at the close) are not in the old form.
  Package before = package;
  before.records = PackageRecords{};
  REQUIRE(before.spec->schedule.empty());
  REQUIRE(before.spec->funding.empty());
  REQUIRE(before.spec->end_date == 0);
  // Package's fields in their walking order (walk_order<Package>: the order they were declared
  // in then, before the struct was laid out for size).
  Encoder old;
  [&]<std::size_t... I>(std::index_sequence<I...>) {
    (
        [&] {
          const auto& field = carebroker::engine::walked_field<I>(before);
          if constexpr (I == 1) {  // the spec
            boost::pfr::for_each_field(*field, [&](const auto& spec_field, auto i) {
              if constexpr (decltype(i)::value < 17) old.add(spec_field);
            });
          } else if constexpr (I < 32) {
            old.add(field);
          }
        }(),
        ...);
  }(std::make_index_sequence<boost::pfr::tuple_size_v<Package>>{});
  // The person as it was then: in clear (before sealing).
  const PersonDetails clear{"Ada Example", "1 Test Street", "B13 9ZZ", "CASE-1"};
  old.add(clear);
  const std::string legacy_bytes = old.take();
  const auto legacy = carebroker::codec::decode_archive(legacy_bytes);
  REQUIRE(legacy.ok());
  CHECK(legacy.legacy);
  CHECK(legacy.package == before);
  CHECK(legacy.person.is_legacy());  // read as the legacy clear form, shown as before
  CHECK(*legacy.person.name == clear.name);
  CHECK(*legacy.person.case_reference == clear.case_reference);
  const auto via_market = Market::read_archive(legacy_bytes);
  REQUIRE(via_market);
  CHECK(via_market->package == before);
  CHECK_FALSE(Market::read_archive(legacy_bytes + "x"));  // trailing bytes: not a record

  // A version this build does not know is refused with the reason.
  flatbuffers::FlatBufferBuilder b;
  const auto future_root = carebroker::journal::CreateArchivedPackage(b, carebroker::codec::kArchiveVersion + 1);
  b.Align(8);  // framed as encode_archive frames a record
  b.Finish(future_root, carebroker::codec::kArchiveIdentifier.data());
  const auto future = carebroker::codec::decode_archive(
      std::string(reinterpret_cast<const char*>(b.GetBufferPointer()), b.GetSize()));
  CHECK_FALSE(future.ok());
  CHECK(future.error.find("version 2") != std::string::npos);
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

TEST_CASE("a snapshot whose request record names a package it does not hold is refused", "[snapshot]") {
  // Found by fuzz_snapshot (fuzz/regressions/fuzz_snapshot/): the record's package sized an index
  // of the request table, so a damaged number asked for exabytes.
  MarketFixture f;
  f.admit({"A"});
  const PackageId id = f.post();
  const Command offer = PlaceOffer{"P-A", "A", "req-77", id, 2900, kMonday + 2, true, ""};
  std::vector<Event> events;
  REQUIRE(f.market.execute(offer, events).ok());
  std::string snapshot = f.market.save_snapshot();
  REQUIRE(Market().load_snapshot(snapshot).ok());
  // The record: its key "provider\nrequest id", then the payload hash and the package, 8 bytes each.
  const std::size_t key = snapshot.find("P-A\nreq-77");
  REQUIRE(key != std::string::npos);
  const std::size_t package_at = key + std::string("P-A\nreq-77").size() + 8;
  REQUIRE(static_cast<unsigned char>(snapshot[package_at]) == id);
  for (std::size_t i = 0; i < 8; ++i) snapshot[package_at + i] = '\x4b';  // package 0x4b4b…
  Market damaged;
  const SnapshotStatus status = damaged.load_snapshot(snapshot);
  CHECK(status.code == SnapshotCode::unreadable);
  CHECK_THAT(status.detail, Catch::Contains("a request record of an unknown package"));
  CHECK(damaged.digest() == Market().digest());
}

TEST_CASE("a snapshot whose package N is not the N-th is refused", "[snapshot]") {
  // Found by fuzz_snapshot (fuzz/regressions/fuzz_snapshot/): every per-package index (the
  // deadlines, the people) takes package N at N-1, so a damaged id wrote out of bounds.
  MarketFixture f;
  f.admit({"A"});
  const std::string before = f.market.save_snapshot();
  REQUIRE(f.post() == 1);
  std::string snapshot = f.market.save_snapshot();
  // The two differ first at the packages' count (0, then 1: 8 bytes little-endian); package 1's
  // id, its first field, follows it.
  const auto differ = std::mismatch(before.begin(), before.end(), snapshot.begin(), snapshot.end());
  const std::size_t count_at = static_cast<std::size_t>(differ.second - snapshot.begin());
  REQUIRE(count_at + 16 <= snapshot.size());
  REQUIRE(snapshot.compare(count_at, 16, std::string("\x01\0\0\0\0\0\0\0\x01\0\0\0\0\0\0\0", 16)) == 0);
  REQUIRE(Market().load_snapshot(snapshot).ok());
  snapshot[count_at + 8] = '\x02';  // package 1 claims to be package 2
  Market damaged;
  const SnapshotStatus status = damaged.load_snapshot(snapshot);
  CHECK(status.code == SnapshotCode::unreadable);
  CHECK_THAT(status.detail, Catch::Contains("a package out of its place"));
  CHECK(damaged.digest() == Market().digest());
}

TEST_CASE("a snapshot's decoder reports what stopped it as a fault, and only running out of bytes is truncation",
          "[snapshot]") {
  const auto decode_u64s = [](std::string bytes, int count) {
    Decoder d(bytes);
    std::uint64_t v = 0;
    for (int i = 0; i < count; ++i)
      if (!d.u64(v)) break;
    return d.error();
  };
  const auto decode_string = [](std::string bytes) {
    Decoder d(bytes);
    std::string s;
    (void)d.get(s);
    return d.error();
  };
  const auto decode_bool = [](std::string bytes) {
    Decoder d(bytes);
    bool b = false;
    (void)d.get(b);
    return d.error();
  };
  Encoder e;
  e.u64(1000);  // a string of 1,000 bytes, of which none follow
  const std::string long_promise = e.take();
  Encoder two;
  two.u64(2);  // a bool that is 2

  CHECK_FALSE(decode_u64s(std::string(16, '\0'), 2).any());
  CHECK(decode_u64s(std::string(12, '\0'), 2).fault == DecodeFault::truncated);
  CHECK(decode_string(long_promise).fault == DecodeFault::length_exceeds_input);
  CHECK(decode_bool(two.take()).fault == DecodeFault::bad_bool);
  CHECK(decode_u64s(std::string(12, '\0'), 2).ends_early());
  CHECK(decode_string(long_promise).ends_early());
  CHECK_FALSE(DecodeError{DecodeFault::bad_bool, {}}.ends_early());
  CHECK_FALSE(DecodeError{DecodeFault::unknown_alternative, {}}.ends_early());
  CHECK_FALSE(DecodeError{DecodeFault::invalid_record, "a request record without a provider"}.ends_early());
  // The words are for people: a caller's check keeps its own.
  CHECK(DecodeError{DecodeFault::invalid_record, "a request record without a provider"}.message() ==
        "a request record without a provider");
  CHECK(DecodeError{DecodeFault::truncated, {}}.message() == "truncated");
}

TEST_CASE("every decode fault has its own words", "[snapshot]") {
  std::set<std::string> words;
  for (const DecodeFault f : {DecodeFault::truncated, DecodeFault::length_exceeds_input, DecodeFault::bad_bool,
                              DecodeFault::unknown_alternative, DecodeFault::invalid_record}) {
    const std::string w(to_string(f));
    INFO(static_cast<int>(f) << " " << w);
    CHECK_FALSE(w.empty());
    CHECK(w != "unknown");
    CHECK(words.insert(w).second);
  }
  CHECK(to_string(DecodeFault::none).empty());
}
