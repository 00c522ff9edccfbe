// Offers: sealed bids are placed, amended and withdrawn while a tier's window is open; every
// gate that refuses an offer, by its code; provider requests are idempotent by request id.
// Every rejection must leave the market exactly as it was: same digest, no event.
#include <map>
#include <random>
#include <string>
#include <vector>

#include "engine/market/digest.h"
#include "market_fixture.h"

using namespace carebroker::testing;

namespace {

PlaceOffer place(const std::string& location, PackageId id, Pence price, const std::string& rid,
                 Date start = kMonday + 2) {
  return PlaceOffer{"P-" + location, location, rid, id, price, start, true, ""};
}
AmendOffer amendment(const std::string& location, PackageId id, Pence price, const std::string& rid) {
  return AmendOffer{"P-" + location, location, rid, id, price, kMonday + 2, true, ""};
}
WithdrawOffer withdrawal(const std::string& location, PackageId id, const std::string& rid) {
  return WithdrawOffer{"P-" + location, location, rid, id};
}

/// A and B serve the South at Tier 1; N serves the North; T2 is Tier 2. A standard package in
/// B13 (South) is broadcast to A and B only.
struct OfferMarket : MarketFixture {
  PackageId id = 0;
  explicit OfferMarket(DpsConfig config = home_care_config(), PackageSpec spec = standard_package())
      : MarketFixture(std::move(config)) {
    admit({"A"});
    admit({"B"});
    admit({.id = "N", .zones = {"north"}});
    admit({.id = "T2", .tier = "tier2", .zones = {"north", "central", "south"}});
    id = post(std::move(spec));
  }
  const Offer* offer_of(const std::string& location) const {
    return package(id).offer_of(*market.find_location(location));
  }
};

}  // namespace

TEST_CASE("an offer may be placed, amended and withdrawn until the window closes", "[offers]") {
  OfferMarket f;
  REQUIRE(f.invited(f.id) == std::vector<std::string>{"A", "B"});
  const UtcMillis placed_at = f.market.now();
  REQUIRE(f.offer("A", f.id, 2800).ok());
  CHECK(f.count<OfferPlaced>() == 1);
  REQUIRE(f.offer_of("A"));
  CHECK(f.offer_of("A")->price == 2800);
  CHECK(f.offer_of("A")->version == 1);

  f.advance(kMillisPerHour);
  REQUIRE(f.amend("A", f.id, 2950).ok());
  CHECK(f.offer_of("A")->price == 2950);
  CHECK(f.offer_of("A")->version == 2);
  CHECK(f.offer_of("A")->placed_at == placed_at);
  CHECK(f.offer_of("A")->amended_at == placed_at + kMillisPerHour);

  REQUIRE(f.withdraw("A", f.id).ok());
  CHECK(f.count<OfferWithdrawn>() == 1);
  CHECK(f.offer_of("A")->withdrawn);

  // B keeps a live offer, so the close leads to an award rather than a cascade.
  REQUIRE(f.offer("B", f.id, 3000).ok());
  f.pass_deadline(f.id);
  REQUIRE(f.status(f.id) == PackageStatus::award_pending);
  expect_rejected(f, place("A", f.id, 2800, "late-1"), Code::offer_after_close);
  expect_rejected(f, amendment("B", f.id, 2900, "late-2"), Code::offer_after_close);
  expect_rejected(f, withdrawal("B", f.id, "late-3"), Code::offer_after_close);
  REQUIRE(f.accept("B", f.id).ok());
  expect_rejected(f, amendment("B", f.id, 2900, "late-4"), Code::offer_after_close);
}

TEST_CASE("a withdrawn offer may be placed again, amending or withdrawing needs a live offer", "[offers]") {
  OfferMarket f;
  expect_rejected(f, amendment("A", f.id, 2900, "x-1"), Code::no_offer);
  expect_rejected(f, withdrawal("A", f.id, "x-2"), Code::no_offer);

  REQUIRE(f.offer("A", f.id, 2800).ok());
  REQUIRE(f.withdraw("A", f.id).ok());
  CHECK(f.rank_order(f.id).empty());
  expect_rejected(f, withdrawal("A", f.id, "x-3"), Code::no_offer);
  expect_rejected(f, amendment("A", f.id, 2900, "x-4"), Code::no_offer);

  REQUIRE(f.offer("A", f.id, 3100).ok());
  REQUIRE(f.offer_of("A"));
  CHECK_FALSE(f.offer_of("A")->withdrawn);
  CHECK(f.offer_of("A")->price == 3100);
  CHECK(f.rank_order(f.id) == std::vector<std::string>{"A"});
  CHECK(f.package(f.id).offers.size() == 1);
}

TEST_CASE("a location places one offer per package and amends it after that", "[offers]") {
  OfferMarket f;
  REQUIRE(f.offer("A", f.id, 2800).ok());
  expect_rejected(f, place("A", f.id, 2700, "again-1"), Code::offer_exists);
  CHECK(f.offer_of("A")->price == 2800);
}

TEST_CASE("only a location the package was broadcast to at this tier may bid", "[offers]") {
  OfferMarket f;
  expect_rejected(f, place("N", f.id, 2800, "n-1"), Code::not_broadcast_to_location);  // other zone
  expect_rejected(f, place("T2", f.id, 2800, "t-1"), Code::not_broadcast_to_location);  // later tier
}

TEST_CASE("a price must be positive pence inside the lot's rate band", "[offers]") {
  OfferMarket f;  // lot band £18.00–£40.00
  expect_rejected(f, place("A", f.id, 0, "p-1"), Code::price_not_positive);
  expect_rejected(f, place("A", f.id, -2800, "p-2"), Code::price_not_positive);
  expect_rejected(f, place("A", f.id, 1799, "p-3"), Code::price_outside_rate_band);
  expect_rejected(f, place("A", f.id, 4001, "p-4"), Code::price_outside_rate_band);
  expect_rejected(f, place("A", f.id, 9'000'000'000, "p-5"), Code::price_outside_rate_band);
  CHECK(f.offer("A", f.id, 4000).ok());  // the band's edges are inside it
  CHECK(f.offer("B", f.id, 1800).ok());
  expect_rejected(f, amendment("A", f.id, 0, "p-6"), Code::price_not_positive);
  expect_rejected(f, amendment("A", f.id, 4001, "p-7"), Code::price_outside_rate_band);
  CHECK(f.offer_of("A")->price == 4000);
}

TEST_CASE("a lot without a rate band still refuses an absurd price", "[offers]") {
  DpsConfig config = home_care_config();
  config.lots[0].rate_min = 0;
  config.lots[0].rate_max = 0;
  OfferMarket f(config);
  expect_rejected(f, place("A", f.id, 9'000'000'000, "huge"), Code::price_outside_rate_band);
  CHECK(f.offer("A", f.id, 1000).ok());
}

TEST_CASE("an offer above the package's own price ceiling is refused", "[offers]") {
  PackageSpec spec = MarketFixture::standard_package();
  spec.price_ceiling = 3000;
  OfferMarket f(home_care_config(), spec);
  expect_rejected(f, place("A", f.id, 3001, "c-1"), Code::price_above_package_ceiling);
  CHECK(f.offer("A", f.id, 3000).ok());
  expect_rejected(f, amendment("A", f.id, 3500, "c-2"), Code::price_above_package_ceiling);
}

TEST_CASE("an offer must confirm the package's must-meet requirements", "[offers]") {
  PackageSpec spec = MarketFixture::standard_package();
  spec.must_meet = {"moving and handling trained", "female carers only"};
  OfferMarket f(home_care_config(), spec);
  PlaceOffer unconfirmed = place("A", f.id, 2800, "m-1");
  unconfirmed.must_meet_confirmed = false;
  expect_rejected(f, unconfirmed, Code::must_meet_not_confirmed);
  PlaceOffer confirmed = place("A", f.id, 2800, "m-2");
  CHECK(f.run(confirmed).ok());

  // A package with no must-meet items needs no confirmation.
  OfferMarket plain;
  PlaceOffer no_items = place("A", plain.id, 2800, "m-3");
  no_items.must_meet_confirmed = false;
  CHECK(plain.run(no_items).ok());
}

TEST_CASE("an offer's start date lies between the package start and a week after it", "[offers]") {
  OfferMarket f;
  const Date start = f.package(f.id).spec->start_date;
  REQUIRE(start == kMonday + 2);
  CHECK(f.package(f.id).latest_start == start + 7);
  CHECK(f.market.broadcast_view(f.package(f.id)).latest_start == start + 7);
  expect_rejected(f, place("A", f.id, 2800, "d-1", start - 1), Code::start_date_infeasible);
  expect_rejected(f, place("A", f.id, 2800, "d-2", start + 8), Code::start_date_infeasible);
  CHECK(f.offer("A", f.id, 2800, start + 7).ok());
  CHECK(f.offer("B", f.id, 2800, start).ok());
}

TEST_CASE("a request must name a known package, a known location of the provider and an id", "[offers]") {
  OfferMarket f;
  expect_rejected(f, place("A", 99, 2800, "u-1"), Code::unknown_package);
  expect_rejected(f, PlaceOffer{"P-A", "NOPE", "u-2", f.id, 2800, kMonday + 2, true, ""},
                  Code::unknown_location);
  // P-A bidding for B's location.
  expect_rejected(f, PlaceOffer{"P-A", "B", "u-3", f.id, 2800, kMonday + 2, true, ""},
                  Code::location_not_of_provider);
  expect_rejected(f, place("A", f.id, 2800, ""), Code::request_id_missing);
  expect_rejected(f, place("A", f.id, 2800, std::string(65, 'r')), Code::request_id_missing);
  expect_rejected(f, withdrawal("A", f.id, ""), Code::request_id_missing);

  PlaceOffer wordy = place("A", f.id, 2800, "u-4");
  wordy.notes = std::string(2001, 'n');
  expect_rejected(f, wordy, Code::notes_too_long);
  wordy.notes = std::string(2000, 'n');
  CHECK(f.run(wordy).ok());
  CHECK(f.offer_of("A")->notes->size() == 2000);
}

TEST_CASE("a retried request returns the original reply and changes nothing", "[offers][idempotency]") {
  OfferMarket f;
  const PlaceOffer first = place("A", f.id, 2800, "retry-1");
  const Reply original = f.run(first);
  REQUIRE(original.ok());
  CHECK_FALSE(original.replayed);
  const std::size_t events = f.events.size();
  const std::uint64_t digest = f.market.digest();

  const Reply again = f.run(first);
  CHECK(again.ok());
  CHECK(again.replayed);
  CHECK(again.package == f.id);
  CHECK(f.events.size() == events);
  CHECK(f.market.digest() == digest);

  // Still the original reply after the offer moved on, and after the window closed.
  REQUIRE(f.run(amendment("A", f.id, 2900, "retry-2")).ok());
  CHECK(f.run(first).replayed);
  CHECK(f.offer_of("A")->price == 2900);
  f.pass_deadline(f.id);
  REQUIRE(f.status(f.id) == PackageStatus::award_pending);
  const std::size_t after_close = f.events.size();
  const Reply late = f.run(first);
  CHECK(late.ok());
  CHECK(late.replayed);
  CHECK(f.events.size() == after_close);

  // Withdrawals are idempotent too.
  OfferMarket g;
  REQUIRE(g.run(place("A", g.id, 2800, "w-0")).ok());
  const WithdrawOffer w = withdrawal("A", g.id, "w-1");
  REQUIRE(g.run(w).ok());
  const std::size_t withdrawn = g.events.size();
  const Reply w_again = g.run(w);
  CHECK(w_again.ok());
  CHECK(w_again.replayed);
  CHECK(g.events.size() == withdrawn);
  CHECK(g.count<OfferWithdrawn>() == 1);
}

TEST_CASE("a request id reused for a different request is refused, whatever the command", "[offers][idempotency]") {
  OfferMarket f;
  REQUIRE(f.run(place("A", f.id, 2800, "same")).ok());
  expect_rejected(f, place("A", f.id, 2900, "same"), Code::request_id_reused);
  // The same fields under another command type are a different request.
  expect_rejected(f, amendment("A", f.id, 2800, "same"), Code::request_id_reused);
  expect_rejected(f, withdrawal("A", f.id, "same"), Code::request_id_reused);
  expect_rejected(f, AcceptAward{"P-A", "A", "same", f.id}, Code::request_id_reused);
  CHECK(f.offer_of("A")->price == 2800);
  CHECK_FALSE(f.offer_of("A")->withdrawn);
}

TEST_CASE("request ids belong to one provider: two providers may use the same id", "[offers][idempotency]") {
  OfferMarket f;
  const Reply a = f.run(place("A", f.id, 2800, "r-1"));
  const Reply b = f.run(place("B", f.id, 2900, "r-1"));
  REQUIRE(a.ok());
  REQUIRE(b.ok());
  CHECK_FALSE(a.replayed);
  CHECK_FALSE(b.replayed);
  CHECK(f.count<OfferPlaced>() == 2);
  REQUIRE(f.offer_of("B"));
  CHECK(f.offer_of("B")->price == 2900);
}

TEST_CASE("the request table tells ids apart by provider and every byte, and forgets a retired package's", "[idempotency]") {
  RequestTable table;
  const std::string long_id(kMaxRequestId, 'x');
  table.insert(RequestKey(0, "r-1"), RequestRecord{11, 1});
  table.insert(RequestKey(1, "r-1"), RequestRecord{12, 1});
  table.insert(RequestKey(0, long_id), RequestRecord{13, 2});
  table.insert(RequestKey(0, "r-1"), RequestRecord{99, 2});  // a retry keeps the first answer
  REQUIRE(table.size() == 3);
  CHECK(table.find(RequestKey(0, "r-1"))->payload_hash == 11);
  CHECK(table.find(RequestKey(1, "r-1"))->payload_hash == 12);
  CHECK(table.find(RequestKey(0, long_id))->payload_hash == 13);
  CHECK(table.find(RequestKey(0, long_id.substr(1) + "y")) == std::nullopt);
  CHECK(table.find(RequestKey(0, "r-2")) == std::nullopt);
  CHECK(table.find(RequestKey(2, "r-1")) == std::nullopt);
  table.erase_package(1);
  CHECK(table.size() == 1);
  CHECK(table.find(RequestKey(0, "r-1")) == std::nullopt);
  CHECK(table.find(RequestKey(0, long_id))->package == 2);
  table.erase_package(7);  // no records: nothing happens
  CHECK(table.size() == 1);
}

TEST_CASE("the request table keeps every record of many packages and lists each once, whole", "[idempotency]") {
  // Many packages' records interleaved in the pool (request_table.h): filling several packages
  // in turn must not mix them up, and retiring one leaves the others whole.
  RequestTable table;
  for (int i = 0; i < 3000; ++i)
    table.insert(RequestKey(static_cast<LocationIndex>(i % 2), "id-" + std::to_string(i)),
                 RequestRecord{static_cast<std::uint64_t>(i), static_cast<PackageId>(i % 3)});  // 0: no package
  REQUIRE(table.size() == 3000);
  table.erase_package(1);
  CHECK(table.size() == 2000);
  std::size_t seen = 0;
  table.for_each([&](LocationIndex provider, std::string_view id, const RequestRecord& record) {
    ++seen;
    CHECK(id == "id-" + std::to_string(record.payload_hash));
    CHECK(provider == record.payload_hash % 2);
    CHECK(record.package == record.payload_hash % 3);
  });
  CHECK(seen == 2000);
  for (int i : {0, 2, 2998, 2999}) {
    const std::optional<RequestRecord> r = table.find(RequestKey(static_cast<LocationIndex>(i % 2), "id-" + std::to_string(i)));
    CHECK((i % 3 == 1 ? !r : r && r->payload_hash == static_cast<std::uint64_t>(i)));
  }
}

TEST_CASE("the request table agrees with a map through many inserts and retirements", "[idempotency]") {
  // Enough records to grow the table several times and to wrap its probe runs; packages retire
  // in random order, so deletion moves later slots back and the record pool is reused.
  RequestTable table;
  std::map<std::pair<LocationIndex, std::string>, RequestRecord> model;
  std::mt19937 rng(7);
  PackageId next_package = 1;
  std::vector<PackageId> open;
  for (int round = 0; round < 200; ++round) {
    for (int i = 0; i < 5; ++i) open.push_back(next_package++);
    for (int i = 0; i < 60; ++i) {
      const auto provider = static_cast<LocationIndex>(rng() % 7);
      // Short ids are held inline, long ones (over 23 bytes) in blocks of their own: both kinds.
      const std::string id = (rng() % 3 == 0 ? "rostering-system-request-" : "r-") + std::to_string(rng() % 5000);
      const RequestRecord record{rng(), open[rng() % open.size()]};
      table.insert(RequestKey(provider, id), record);
      model.try_emplace({provider, id}, record);
    }
    for (int i = 0; i < 3 && !open.empty(); ++i) {
      const std::size_t at = rng() % open.size();
      const PackageId gone = open[at];
      open.erase(open.begin() + static_cast<std::ptrdiff_t>(at));
      table.erase_package(gone);
      std::erase_if(model, [&](const auto& entry) { return entry.second.package == gone; });
    }
    REQUIRE(table.size() == model.size());
  }
  for (const auto& [key, record] : model) {
    const std::optional<RequestRecord> found = table.find(RequestKey(key.first, key.second));
    REQUIRE(found);
    CHECK(found->payload_hash == record.payload_hash);
    CHECK(found->package == record.package);
  }
  std::size_t visited = 0;
  table.for_each([&](LocationIndex provider, std::string_view id, const RequestRecord& record) {
    ++visited;
    const auto it = model.find({provider, std::string(id)});
    REQUIRE(it != model.end());
    CHECK(it->second.payload_hash == record.payload_hash);
  });
  CHECK(visited == model.size());
  CHECK(table.find(RequestKey(0, "never-used")) == std::nullopt);

  // A copy (a what-if replay starts from one) holds every record, long ids included, on its own.
  RequestTable copy = table;
  table = RequestTable();
  std::size_t copied = 0;
  for (const auto& [key, record] : model) {
    const std::optional<RequestRecord> found = copy.find(RequestKey(key.first, key.second));
    copied += found && found->payload_hash == record.payload_hash ? 1 : 0;
  }
  CHECK(copied == model.size());
}

TEST_CASE("a request's journaled payload hash is the digest of its command type and every field", "[idempotency]") {
  // The hash is journaled and compared with retries after a restart, so how it is worked out
  // (from a cached per-location prefix) must not change what it is.
  OfferMarket f;
  const Command commands[] = {PlaceOffer{"P-A", "A", "h-1", f.id, 2800, kMonday + 2, true, "Carers from 07:00"},
                              AmendOffer{"P-A", "A", "h-2", f.id, 2750, kMonday + 2, true, ""},
                              WithdrawOffer{"P-A", "A", "h-3", f.id}};
  for (const Command& c : commands) {
    REQUIRE(f.run(c).ok());
    Digest expected;
    expected.u64(c.index());
    // Every field, but an offer's empty confirmed_must_meet (appended later: not hashed while
    // empty, so the hash is what it was before the field existed).
    std::visit([&](const auto& command) {
      boost::pfr::for_each_field(command, [&](const auto& field) {
        if constexpr (requires { command.confirmed_must_meet; })
          if (static_cast<const void*>(&field) == &command.confirmed_must_meet) return;
        expected.add(field);
      });
    }, c);
    const RequestRef& ref = std::visit(
        [](const auto& e) -> const RequestRef& {
          if constexpr (requires { e.request; }) return e.request;
          else throw std::logic_error("not a provider request's event");
        },
        f.events.back());
    INFO(command_name(c));
    CHECK(ref.payload_hash == expected.value());
  }
}
