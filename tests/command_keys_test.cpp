// Keyed commands (REST's Idempotency-Key, engine::CommandKey): a retry with the same caller, key
// and payload gets the original reply, replayed, and changes nothing; the same key with another
// payload is refused; keys are the caller's own; the records are journaled (CommandKeyRecorded),
// so they survive a replay and a snapshot, and leave with their package (or, for commands not
// about a package, after Market::kKeyedCommandRetentionDays by the market clock).
#include <catch2/catch.hpp>

#include "market_fixture.h"

namespace {

using namespace carebroker::engine;
using carebroker::testing::expect_rejected;
using carebroker::testing::kMonday;
using carebroker::testing::MarketFixture;
using carebroker::testing::sealed;

const std::string kOfficer = "officer:brokerage-officer-1";

PostPackage post_command(const std::string& case_reference = "CASE-1") {
  return PostPackage{MarketFixture::standard_package(), sealed({"Ada Example", "1 Test Street", "B13 9ZZ", case_reference})};
}

/// Another posting: another package (a posting's payload is its spec — its sealed person is new
/// random bytes at every sealing, so a retry could never match on it).
PostPackage other_post_command() {
  PostPackage c = post_command("CASE-2");
  c.spec.needs.push_back("night sitting");
  return c;
}

/// Runs a keyed command and checks that it was answered from the record: replayed, the original
/// package, and nothing changed.
Reply expect_replayed(MarketFixture& f, const Command& c, const std::string& caller, const std::string& key) {
  const auto digest = f.market.digest();
  const auto events = f.events.size();
  const Reply r = f.run(c, caller, key);
  INFO(to_string(r.status.code) << " " << r.status.detail);
  CHECK(r.ok());
  CHECK(r.replayed);
  CHECK(f.events.size() == events);
  CHECK(f.market.digest() == digest);
  return r;
}

}  // namespace

TEST_CASE("a keyed command retried with the same payload gets the original reply and opens nothing new",
          "[idempotency]") {
  MarketFixture f;
  f.admit(carebroker::testing::LocationSpec{"A"});
  const Reply first = f.run(post_command(), kOfficer, "post-ada-1");
  REQUIRE(first.ok());
  CHECK_FALSE(first.replayed);
  REQUIRE(std::holds_alternative<CommandKeyRecorded>(f.events.back()));
  const auto& recorded = std::get<CommandKeyRecorded>(f.events.back());
  CHECK(recorded.caller == kOfficer);
  CHECK(recorded.key == "post-ada-1");
  CHECK(recorded.package == first.package);
  CHECK(recorded.expires_at == 0);  // kept with its package
  const std::size_t packages = f.market.package_count();

  for (int retry = 0; retry < 3; ++retry) CHECK(expect_replayed(f, post_command(), kOfficer, "post-ada-1").package == first.package);
  CHECK(f.market.package_count() == packages);
  CHECK(f.count<PackagePosted>() == 1);

  // Package-scoped commands too: a second hold is the first hold's answer, not package_not_open.
  REQUIRE(f.run(HoldPackage{first.package, "awaiting assessment"}, kOfficer, "hold-1").ok());
  CHECK(expect_replayed(f, HoldPackage{first.package, "awaiting assessment"}, kOfficer, "hold-1").package == first.package);
  expect_rejected(f, HoldPackage{first.package, "awaiting assessment"}, Code::package_not_open);  // unkeyed: re-run
}

TEST_CASE("the same key with another payload is refused as request_id_reused and changes nothing", "[idempotency]") {
  // A posting's payload is its spec: the same spec for another person is the same posting (see
  // the README's "Personal data"); the same person sealed again is too (every retry).
  {
    MarketFixture g;
    REQUIRE(g.run(post_command("CASE-1"), kOfficer, "k-1").ok());
    CHECK(g.run(post_command("CASE-1"), kOfficer, "k-1").replayed);
  }
  MarketFixture f;
  f.admit(carebroker::testing::LocationSpec{"A"});
  REQUIRE(f.run(post_command("CASE-1"), kOfficer, "k-1").ok());
  for (const Command& other : {Command{other_post_command()}, Command{HoldPackage{1, "x"}},
                               Command{RegisterProvider{"P-9", "Nine Ltd"}}}) {
    const auto digest = f.market.digest();
    const auto events = f.events.size();
    const Reply r = f.run(other, kOfficer, "k-1");
    INFO(command_name(other));
    CHECK(r.status.code == Code::request_id_reused);
    CHECK_FALSE(r.replayed);
    CHECK(f.events.size() == events);
    CHECK(f.market.digest() == digest);
  }
}

TEST_CASE("keys are the caller's own: another caller's same key is an independent request", "[idempotency]") {
  MarketFixture f;
  f.admit(carebroker::testing::LocationSpec{"A"});
  const Reply mine = f.run(post_command(), kOfficer, "shared-key");
  const Reply theirs = f.run(post_command(), "officer:brokerage-officer-2", "shared-key");
  const Reply admin = f.run(post_command(), "admin:brokerage-officer-1", "shared-key");  // same name, other role
  REQUIRE(mine.ok());
  REQUIRE(theirs.ok());
  REQUIRE(admin.ok());
  CHECK_FALSE(theirs.replayed);
  CHECK_FALSE(admin.replayed);
  CHECK(mine.package != theirs.package);
  CHECK(admin.package != theirs.package);
  CHECK(expect_replayed(f, post_command(), "officer:brokerage-officer-2", "shared-key").package == theirs.package);
}

TEST_CASE("an idempotency key is 1..64 printable ASCII characters without spaces", "[idempotency]") {
  MarketFixture f;
  f.admit(carebroker::testing::LocationSpec{"A"});
  for (const std::string& bad : {std::string(65, 'k'), std::string("with space"), std::string("tab\there"),
                                 std::string("caf\xc3\xa9"), std::string("nl\n"), std::string(1, '\x7f')}) {
    INFO(bad);
    const auto events = f.events.size();
    CHECK(f.run(post_command(), kOfficer, bad).status.code == Code::invalid_idempotency_key);
    CHECK(f.events.size() == events);
  }
  CHECK(f.run(post_command(), kOfficer, std::string(64, 'k')).ok());
  CHECK(f.run(post_command(), kOfficer, "!~").ok());
  CHECK(valid_command_key("550e8400-e29b-41d4-a716-446655440000"));
  CHECK_FALSE(valid_command_key(""));
}

TEST_CASE("a rejected keyed command records nothing: the retry runs again", "[idempotency]") {
  MarketFixture f;
  f.admit(carebroker::testing::LocationSpec{"A"});
  PostPackage bad = post_command();
  bad.spec.postcode_district = "ZZ9";
  expect_rejected(f, bad, Code::unknown_postcode_district);
  CHECK(f.run(bad, kOfficer, "k-bad").status.code == Code::unknown_postcode_district);
  CHECK(f.count<CommandKeyRecorded>() == 0);
  CHECK(f.run(RegisterProvider{"P-9", "Nine Ltd"}, kOfficer, "k-provider").ok());
  CHECK(f.run(RegisterProvider{"P-9", "Nine Ltd"}, kOfficer, "k-provider").replayed);
  CHECK(f.run(RegisterProvider{"P-9", "Nine Ltd"}, kOfficer, "k-other").status.code == Code::provider_exists);
}

TEST_CASE("keyed records survive a replay of the journal and a snapshot, with equal digests", "[idempotency]") {
  MarketFixture f;
  f.admit(carebroker::testing::LocationSpec{"A"});
  const PackageId p = f.run(post_command(), kOfficer, "k-post").package;
  REQUIRE(f.run(RegisterProvider{"P-9", "Nine Ltd"}, "compliance:c-1", "k-provider").ok());
  REQUIRE(f.run(CancelPackage{p, "moved away"}, kOfficer, "k-cancel").ok());

  Market replayed;
  for (const auto& e : f.events) replayed.apply(e);
  CHECK(replayed.digest() == f.market.digest());
  Market restored;
  REQUIRE(restored.load_snapshot(f.market.save_snapshot()).ok());
  CHECK(restored.digest() == f.market.digest());

  for (Market* m : {&replayed, &restored}) {
    std::vector<Event> out;
    Reply r = m->execute(post_command(), out, CommandKey{kOfficer, "k-post"});
    CHECK(r.replayed);
    CHECK(r.package == p);
    r = m->execute(RegisterProvider{"P-9", "Nine Ltd"}, out, CommandKey{"compliance:c-1", "k-provider"});
    CHECK(r.replayed);
    r = m->execute(other_post_command(), out, CommandKey{kOfficer, "k-post"});
    CHECK(r.status.code == Code::request_id_reused);
    CHECK(out.empty());
  }
}

TEST_CASE("a package's keys leave with it when it retires, other keys after the retention period", "[idempotency]") {
  MarketFixture f;
  f.admit(carebroker::testing::LocationSpec{"A"});
  const PackageId p = f.run(post_command(), kOfficer, "k-post").package;
  REQUIRE(f.run(CancelPackage{p, "moved away"}, kOfficer, "k-cancel").ok());
  REQUIRE(f.run(RegisterProvider{"P-9", "Nine Ltd"}, kOfficer, "k-provider").ok());
  const auto& provider_record = std::get<CommandKeyRecorded>(f.events.back());
  CHECK(provider_record.package == 0);
  CHECK(provider_record.expires_at == f.market.now() + Market::kKeyedCommandRetentionDays * kMillisPerDay);

  // A day before both limits: still answered from the records.
  f.advance(89 * kMillisPerDay);
  CHECK(expect_replayed(f, post_command(), kOfficer, "k-post").package == p);
  CHECK(expect_replayed(f, RegisterProvider{"P-9", "Nine Ltd"}, kOfficer, "k-provider").ok());

  // The cancelled package retires 90 days after it closed, and its keys go with it: the same
  // key is then a new request (like a provider request id after its package retired).
  f.advance(kMillisPerDay);
  REQUIRE(f.market.is_retired(p));
  PostPackage later = post_command();
  later.spec.start_date = london_date(f.market.now()) + 2;  // (a kept record would refuse it: request_id_reused)
  const Reply again = f.run(later, kOfficer, "k-post");
  REQUIRE(again.ok());
  CHECK_FALSE(again.replayed);
  CHECK(again.package != p);
  // The provider's key has expired by the clock: the retry runs again (and the market answers it).
  CHECK(f.run(RegisterProvider{"P-9", "Nine Ltd"}, kOfficer, "k-provider").status.code == Code::provider_exists);

  Market replayed;
  for (const auto& e : f.events) replayed.apply(e);
  CHECK(replayed.digest() == f.market.digest());
}
