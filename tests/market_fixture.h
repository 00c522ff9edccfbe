// Test helpers: a small home-care market (one DPS, three zones, three tiers, two routes) and
// one-line helpers to admit locations, post packages, bid and move the clock, so tests read
// like the rules of the market. Header-only; each test builds its own fixture.
#pragma once

#include <catch2/catch.hpp>

#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include "engine/market/market.h"
#include "engine/person/person_access.h"

namespace carebroker::testing {

using namespace carebroker::engine;

/// A whole text file of the repository (a schema, a docs page); fails the test when unreadable.
inline std::string read_text_file(const std::string& path) {
  std::ifstream in(path);
  INFO(path);
  REQUIRE(in);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

/// The key the tests seal people with where no key store is needed (the engine never opens a
/// person; tests that check what is released open it with this key). One key, a fresh key id
/// at every sealing, so different people's records are told apart as the gateway's are.
inline const person::PersonKey& test_person_key() {
  static const person::PersonKey key = *person::new_key();
  return key;
}

/// `details` sealed as the gateway seals them (AES-256-GCM), under test_person_key(). The same
/// details give the same sealed bytes within a test run (the first sealing is kept), so that two
/// markets built alike are alike to the digest, as the determinism tests need; different people
/// still get different key ids and nonces.
inline SealedPerson sealed(const PersonDetails& details) {
  static std::mutex mutex;
  static std::map<std::tuple<std::string, std::string, std::string, std::string>, SealedPerson> sealings;
  std::lock_guard lock(mutex);
  const auto key = std::make_tuple(details.name, details.address, details.postcode, details.case_reference);
  if (auto it = sealings.find(key); it != sealings.end()) return it->second;
  std::string error;
  std::optional<SealedPerson> s = person::seal(details, person::new_key_id(), test_person_key(), error);
  INFO(error);
  REQUIRE(s);
  return sealings.emplace(key, *s).first->second;
}

/// A person sealed by sealed(), opened again; fails the test when it does not open.
inline PersonDetails opened(const SealedPerson& s) {
  std::optional<PersonDetails> d = person::open(s, test_person_key());
  REQUIRE(d);
  return *d;
}

/// A real person key store in a fresh temporary directory, removed with it.
struct TempPersonKeys {
  std::filesystem::path dir;
  person::PersonKeys keys;
  TempPersonKeys() {
    static std::atomic<int> counter{0};
    dir = std::filesystem::temp_directory_path() /
          ("carebroker-person-keys-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
    std::string error;
    const bool opened = keys.open(dir.string(), error);
    INFO(error);
    REQUIRE(opened);
  }
  ~TempPersonKeys() {
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
  }
  TempPersonKeys(const TempPersonKeys&) = delete;
  TempPersonKeys& operator=(const TempPersonKeys&) = delete;
};

/// Monday 23 November 2026, 09:00 GMT: the fixture's start of time.
inline const UtcMillis kMonday9am = london_to_utc(*parse_date("2026-11-23"), 9 * kMillisPerHour);
inline const Date kMonday = *parse_date("2026-11-23");

inline DpsConfig home_care_config() {
  DpsConfig c;
  c.code = "home-care";
  c.name = "Home Care and Support";
  c.council = "Test Council";
  c.lots = {Lot{"hc", "Home care", Unit::hours, 1800, 4000, 3214}};
  c.categories = {"older_people", "dementia", "learning_disability", "mental_health",
                  "physical_disability"};
  c.zones = {Zone{"north", "North", {"B23", "B44"}}, Zone{"central", "Central", {"B11", "B12"}},
             Zone{"south", "South", {"B13", "B14"}}};
  c.tiers = {"tier1", "tier2", "specialist"};
  c.routes = {Route{"specialist", {"learning_disability", "mental_health"}, {"specialist", "tier2"}},
              Route{"standard", {}, {"tier1", "tier2"}}};
  return c;
}

/// Minutes after midnight for a call at hour:minute.
inline int at(int hour, int minute = 0) { return hour * 60 + minute; }

/// Three 30-minute calls a day (08:00, 13:00, 19:00), every day: 630 minutes a week; the evening
/// call takes `evening_carers` carers.
inline std::vector<VisitCall> three_calls_a_day(int evening_carers = 1) {
  std::vector<VisitCall> calls;
  for (int day = 0; day < 7; ++day) {
    calls.push_back({day, at(8), 30, 1});
    calls.push_back({day, at(13), 30, 1});
    calls.push_back({day, at(19), 30, evening_carers});
  }
  return calls;
}

/// Location ids of a ranking's acceptable offers, in rank order.
inline std::vector<std::string> order(const Ranking& r) {
  std::vector<std::string> out;
  for (const auto& o : r.offers)
    if (o.acceptable) out.push_back(o.offer.location_id);
  return out;
}

/// The ranked offer of location `id`; fails the test when there is none.
inline const RankedOffer& ranked(const Ranking& r, const std::string& id) {
  for (const auto& o : r.offers)
    if (o.offer.location_id == id) return o;
  FAIL("no ranked offer from " << id);
  throw;  // unreachable: FAIL throws
}

struct LocationSpec {
  std::string id;
  std::string tier = "tier1";
  std::vector<std::string> zones = {"south"};
  std::vector<std::string> categories = {"older_people", "dementia", "physical_disability"};
  CqcRating cqc = CqcRating::good;
  PammsRating pamms = PammsRating::good;
  int self_assessment = 75;
  std::string provider;  ///< defaults to "P-" + id
};

struct MarketFixture {
  Market market;
  std::vector<Event> events;  ///< every event so far, in order
  int next_request = 1;
  std::shared_ptr<TempPersonKeys> key_store_;  ///< see use_key_store()

  explicit MarketFixture(DpsConfig config = home_care_config()) {
    must(Tick{kMonday9am});
    must(SetCalendar{england_and_wales_bank_holidays()});
    for (const char* cat : {"older_people", "dementia", "learning_disability", "mental_health",
                            "physical_disability", "autism"})
      must(DefineCategory{{cat, cat}});
    must(ConfigureDps{std::move(config)});
  }

  /// From now on post() seals each person with a new key of a real key store (as the gateway
  /// does), which person_keys() returns: for tests of what is released.
  void use_key_store() { person_keys(); }
  /// The fixture's person key store (made, empty, on first use).
  person::PersonKeys& person_keys() {
    if (!key_store_) key_store_ = std::make_shared<TempPersonKeys>();
    return key_store_->keys;
  }

  Reply run(const Command& c) { return market.execute(c, events); }
  /// A keyed command (REST's Idempotency-Key), as `caller`.
  Reply run(const Command& c, const std::string& caller, const std::string& key) {
    return market.execute(c, events, CommandKey{caller, key});
  }

  /// Runs a command that must succeed; fails the test with the rejection otherwise.
  Reply must(const Command& c) {
    Reply r = run(c);
    INFO(command_name(c) << " rejected: " << to_string(r.status.code) << " — " << r.status.detail);
    REQUIRE(r.ok());
    return r;
  }

  std::string provider_of(const std::string& location) const {
    const auto loc = market.find_location(location);
    REQUIRE(loc);
    return market.location(*loc).provider_id;
  }

  /// Registers, applies and admits a location with a quality profile.
  void admit(const LocationSpec& s, const std::string& dps = "home-care") {
    const std::string provider = s.provider.empty() ? "P-" + s.id : s.provider;
    if (!market.find_provider(provider)) must(RegisterProvider{provider, provider + " Ltd"});
    must(RegisterLocation{s.id, provider, s.id + " branch", "B13 9AA", "Birmingham"});
    must(ApplyToDps{s.id, dps});
    must(AdmitToDps{s.id, dps, {"hc"}, s.categories, s.zones, s.tier, 500});
    UpdateQualityInputs q;
    q.location = s.id;
    q.cqc = s.cqc;
    q.pamms = s.pamms;
    q.self_assessment = s.self_assessment;
    must(q);
  }

  static PackageSpec standard_package() {
    PackageSpec s;
    s.dps = "home-care";
    s.lot = "hc";
    s.categories = {"older_people"};
    s.postcode_district = "B13";
    s.quantity = 4 * 30 * 7;  // four 30-minute visits a day
    s.visits = {4, 30, 7};
    s.start_date = kMonday + 2;
    s.needs = {"personal care", "medication prompts"};
    s.outcomes = {"remain independent at home"};
    s.officer = "officer-1";
    return s;
  }

  PackageId post(PackageSpec spec = standard_package(),
                 PersonDetails person = {"Ada Example", "1 Test Street", "B13 9ZZ", "CASE-1"}) {
    if (!key_store_) return must(PostPackage{std::move(spec), sealed(person)}).package;
    std::string error;
    std::optional<SealedPerson> s = carebroker::person::seal_new(person, key_store_->keys, error);
    INFO(error);
    REQUIRE(s);
    return must(PostPackage{std::move(spec), std::move(*s)}).package;
  }

  std::string request_id() { return "req-" + std::to_string(next_request++); }

  Reply offer(const std::string& location, PackageId package, Pence price,
              Date start = kMonday + 2) {
    return run(PlaceOffer{provider_of(location), location, request_id(), package, price, start, true, ""});
  }
  Reply amend(const std::string& location, PackageId package, Pence price, Date start = kMonday + 2) {
    return run(AmendOffer{provider_of(location), location, request_id(), package, price, start, true, ""});
  }
  Reply withdraw(const std::string& location, PackageId package) {
    return run(WithdrawOffer{provider_of(location), location, request_id(), package});
  }
  Reply accept(const std::string& location, PackageId package) {
    return run(AcceptAward{provider_of(location), location, request_id(), package});
  }
  Reply decline(const std::string& location, PackageId package) {
    return run(DeclineAward{provider_of(location), location, request_id(), package, "no capacity"});
  }

  void advance(UtcMillis by) { must(Tick{market.now() + by}); }
  /// Moves the clock just past the package's current deadline (window close or award expiry).
  void pass_deadline(PackageId id) {
    const Package& p = package(id);
    const UtcMillis deadline = p.status == PackageStatus::award_pending ? p.award_expires : p.closes_at;
    must(Tick{deadline});
  }

  const Package& package(PackageId id) const {
    const Package* p = market.find_package(id);
    REQUIRE(p);
    return *p;
  }
  PackageStatus status(PackageId id) const { return package(id).status; }

  std::string location_id(LocationIndex i) const { return market.location(i).id; }
  /// Location ids a package is broadcast to at its current step.
  std::vector<std::string> invited(PackageId id) const {
    std::vector<std::string> out;
    for (LocationIndex i : package(id).invited) out.push_back(location_id(i));
    return out;
  }
  /// The location the award is currently offered to / placed with ("" when none).
  std::string awarded(PackageId id) const {
    const Package& p = package(id);
    if (p.status != PackageStatus::award_pending && p.status != PackageStatus::placed) return "";
    return location_id(p.award_location);
  }
  std::string tier(PackageId id) const { return market.broadcast_view(package(id)).tier; }
  /// Location ids in rank order (acceptable offers only).
  std::vector<std::string> rank_order(PackageId id) const {
    std::vector<std::string> out;
    for (const auto& r : market.ranking(id).offers)
      if (r.acceptable) out.push_back(r.offer.location_id);
    return out;
  }
  std::string exclusion_rule(PackageId id, const std::string& location) const {
    for (const auto& x : market.exclusions(id))
      if (location_id(x.location) == location) return std::string(to_string(x.rule));
    return "";
  }

  /// Counts events of one type so far.
  template <typename E>
  int count() const {
    int n = 0;
    for (const auto& e : events) n += std::holds_alternative<E>(e) ? 1 : 0;
    return n;
  }
};

/// A day, in the market's milliseconds.
inline const UtcMillis kDay = kMillisPerDay;

/// The instant at `hour`:00 on a London calendar date ("2026-11-23").
inline UtcMillis london_at(const char* date, int hour) {
  return london_to_utc(*parse_date(date), hour * kMillisPerHour);
}

/// The location registered as `id` (its CQC location id); fails the test when there is none.
inline const Location& location(const MarketFixture& f, const std::string& id) {
  const auto index = f.market.find_location(id);
  REQUIRE(index);
  return f.market.location(*index);
}

/// The RagChanged events emitted from event number `from` on.
inline std::vector<RagChanged> rag_changes_since(const MarketFixture& f, std::size_t from) {
  std::vector<RagChanged> out;
  for (std::size_t i = from; i < f.events.size(); ++i)
    if (const auto* c = std::get_if<RagChanged>(&f.events[i])) out.push_back(*c);
  return out;
}

/// Runs a command that must be refused with `code`, and checks that nothing changed: no event,
/// the same digest, and not a replay of an earlier reply.
inline void expect_rejected(MarketFixture& f, const Command& c, Code code) {
  const std::uint64_t digest = f.market.digest();
  const std::size_t events = f.events.size();
  const Reply r = f.run(c);
  INFO(command_name(c) << " → " << to_string(r.status.code) << " — " << r.status.detail);
  CHECK(std::string(to_string(r.status.code)) == std::string(to_string(code)));
  CHECK_FALSE(r.replayed);
  CHECK(f.market.digest() == digest);
  CHECK(f.events.size() == events);
}

}  // namespace carebroker::testing
