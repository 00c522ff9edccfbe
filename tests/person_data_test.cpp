// Personal data (issue 13): a person's name, address, postcode and case reference are sealed at
// the gateway with a key of their own (AES-256-GCM) and the market holds only the sealed bytes,
// so the journal, snapshots, archive records and backups hold none of them in clear; the
// accepting location and officers read them back, a provider before acceptance never does;
// erasure destroys the key, so every copy is unreadable while the audit chain stays valid.
#include <catch2/catch.hpp>

#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

#include "engine/codec/archive_codec.h"
#include "engine/codec/event_codec.h"
#include "engine/person/person_access.h"
#include "engine/store/chain_verify.h"
#include "engine/store/rocksdb_journal.h"
#include "gateway/error_codes.h"
#include "gateway/protocol/projector.h"
#include "project_commands.h"
#include "rest_harness.h"
#include "store_test_support.h"

using namespace carebroker::testing;
using carebroker::codec::decode_batch;
using carebroker::codec::encode_batch;
using carebroker::person::PersonStatus;
using carebroker::store::BatchToAppend;
using carebroker::store::RocksJournal;
using carebroker::store::RocksJournalOptions;
using carebroker::testing::store_support::TempDir;
using carebroker::testing::store_support::open_store;
namespace fs = std::filesystem;
namespace person = carebroker::person;

namespace {

const PersonDetails kSecret{"Zelda Quartermaine", "42 Unlikely Lane, Kings Heath", "ZZ9 9QX", "CASE-ZQ-77181"};
/// In the package's needs, which are not personal and stay in clear: the searches below must
/// find it where they find nothing of the person (they can see clear text where it is).
const std::string kControl = "control-need-7f3a9c-Qx81";

std::vector<std::string> secrets() { return {kSecret.name, kSecret.address, kSecret.postcode, kSecret.case_reference}; }

/// Which of the person's fields appear in `bytes` in clear ("" when none).
std::string clear_text_in(std::string_view bytes) {
  std::string found;
  for (const std::string& s : secrets())
    if (bytes.find(s) != std::string_view::npos) found += (found.empty() ? "" : ", ") + s;
  return found;
}

std::string read_all(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

/// Every byte of every file under `dir`, one after another.
std::string bytes_under(const fs::path& dir) {
  std::string all;
  for (const auto& e : fs::recursive_directory_iterator(dir))
    if (e.is_regular_file()) all += read_all(e.path());
  return all;
}

unsigned mode_of(const fs::path& p) {
  struct stat st {};
  REQUIRE(::stat(p.c_str(), &st) == 0);
  return st.st_mode & 0777;
}

/// events[from, to) as one journal batch numbered from `from + 1`, with its archive records.
BatchToAppend batch_of(const std::vector<Event>& events, std::size_t from, std::size_t to) {
  const std::vector<Event> chunk(events.begin() + static_cast<long>(from), events.begin() + static_cast<long>(to));
  BatchToAppend b;
  b.first_seq = from + 1;
  b.last_seq = to;
  b.payload = encode_batch(b.first_seq, chunk);
  for (const auto& e : chunk)
    if (const auto* retired = std::get_if<PackageRetired>(&e)) b.archive.emplace_back(retired->package, retired->archive);
  return b;
}

/// The market a store's journal replays to.
Market replayed(RocksJournal& j) {
  Market m;
  REQUIRE_STORE_OK(j.replay(0, [&](std::uint64_t, std::uint64_t, std::string_view payload) {
    const auto decoded = decode_batch(payload);
    REQUIRE(decoded.ok());
    for (const auto& e : decoded.events) m.apply(e);
    return carebroker::store::StoreStatus{};
  }));
  return m;
}

/// A market with the key store of the gateway: location A and B admitted, and packages for
/// kSecret posted (needs include kControl).
struct PeopleMarket : MarketFixture {
  explicit PeopleMarket(DpsConfig config = home_care_config()) : MarketFixture(std::move(config)) {
    use_key_store();
    admit(LocationSpec{"A"});
    admit(LocationSpec{"B"});
  }
  PackageId post_secret() {
    PackageSpec spec = standard_package();
    spec.needs.push_back(kControl);
    return post(spec, kSecret);
  }
  /// Offers from A (cheaper, so awarded) and B, the window closed, and A accepting.
  void place_with_a(PackageId id) {
    REQUIRE(offer("A", id, 2900).ok());
    REQUIRE(offer("B", id, 3000).ok());
    pass_deadline(id);
    REQUIRE(awarded(id) == "A");
    REQUIRE(accept("A", id).ok());
  }
};

/// What each provider hears (message type and its JSON text) from the events `commands` cause,
/// projected as the server does: on a replica, with the fixture's key store.
struct Heard {
  std::string provider, type, json;
};
template <typename Fn>
std::vector<Heard> hear(PeopleMarket& f, Fn&& commands) {
  std::vector<Heard> out;
  if (const auto notifications = project_commands(f, commands))
    for (const auto& n : *notifications)
      out.push_back({n.provider, std::string(n.message.type_name()), n.message.body(false)});
  return out;
}

/// The names of the files in a key store directory.
std::vector<std::string> key_files(const fs::path& dir) {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(dir)) out.push_back(e.path().filename().string());
  return out;
}

}  // namespace

// ---- nothing in clear at rest ---------------------------------------------------------------------

TEST_CASE("the journal, a snapshot, an archive record and a backup hold none of the person's details in clear",
          "[security][person]") {
  DpsConfig config = home_care_config();
  config.windows.retain_closed_days = 1;
  PeopleMarket f(config);
  const PackageId placed = f.post_secret();
  f.place_with_a(placed);
  const PackageId retired = f.post_secret();
  REQUIRE(f.run(CancelPackage{retired, "the person moved away"}).ok());
  f.advance(2 * kMillisPerDay);
  REQUIRE(f.market.is_retired(retired));
  REQUIRE(f.market.person(placed)->is_sealed());

  // The journal: every event encoded as the sequencer writes it.
  const std::string journal = encode_batch(1, f.events);
  CHECK(journal.find(kControl) != std::string::npos);
  CHECK(clear_text_in(journal) == "");

  // A snapshot of the market.
  const std::string snapshot = f.market.save_snapshot();
  CHECK(snapshot.find(kControl) != std::string::npos);
  CHECK(clear_text_in(snapshot) == "");

  // The retired package's archive record: its person sealed, nothing in clear.
  const PackageRetired* record = nullptr;
  for (const auto& e : f.events)
    if (const auto* r = std::get_if<PackageRetired>(&e); r && r->package == retired) record = r;
  REQUIRE(record);
  CHECK(record->archive.find(kControl) != std::string::npos);
  CHECK(clear_text_in(record->archive) == "");
  const auto archived = carebroker::codec::decode_archive(record->archive);
  REQUIRE(archived.ok());
  CHECK(archived.person.is_sealed());
  CHECK(person::release(archived.person, f.person_keys()).details == kSecret);  // the key still opens it

  // A backup of a store holding all of it (journal, snapshot, archive).
  TempDir data("person-store"), backups("person-backups");
  fs::create_directories(backups.path);
  auto store = open_store(data.path);
  REQUIRE_STORE_OK(store->append(batch_of(f.events, 0, f.events.size())));
  REQUIRE_STORE_OK(store->put_snapshot({f.events.size(), f.market.digest(), snapshot}));
  REQUIRE_STORE_OK(store->backup((backups.path / "b1").string()));
  const std::string backup = bytes_under(backups.path / "b1");
  CHECK(backup.find(kControl) != std::string::npos);
  CHECK(clear_text_in(backup) == "");
  CHECK(clear_text_in(bytes_under(data.path)) == "");
  // And no key is in it: the key store lives apart.
  const auto key = f.person_keys().find(f.market.person(placed)->key_id);
  REQUIRE(key);
  CHECK(backup.find(std::string(reinterpret_cast<const char*>(key->bytes.data()), key->bytes.size())) == std::string::npos);
}

// ---- who reads the person -------------------------------------------------------------------------

TEST_CASE("only the location that accepted the award is sent the person, opened, and told of an erasure",
          "[security][person]") {
  PeopleMarket f;
  PackageId id = 0;
  const auto posted = hear(f, [&] { id = f.post_secret(); });
  REQUIRE_FALSE(posted.empty());  // broadcast to A and B
  for (const Heard& h : posted) CHECK(clear_text_in(h.json) == "");

  const auto bidding = hear(f, [&] {
    REQUIRE(f.offer("A", id, 2900).ok());
    REQUIRE(f.offer("B", id, 3000).ok());
    f.pass_deadline(id);
  });
  for (const Heard& h : bidding) CHECK(clear_text_in(h.json) == "");  // offered the award: not yet
  CHECK_FALSE(f.market.provider_view(id, "A")->person);

  const auto accepted = hear(f, [&] { REQUIRE(f.accept("A", id).ok()); });
  int released = 0;
  for (const Heard& h : accepted) {
    INFO(h.provider << " " << h.type << " " << h.json);
    if (h.type == "PersonDetails") {
      ++released;
      CHECK(h.provider == "P-A");
      CHECK(h.json.find("\"status\": \"available\"") != std::string::npos);
      for (const std::string& s : secrets()) CHECK(h.json.find(s) != std::string::npos);
    } else {
      CHECK(clear_text_in(h.json) == "");
    }
  }
  CHECK(released == 1);

  // Erased later: A is told, with no details, to delete its copy; the key is gone.
  const auto erased = hear(f, [&] {
    REQUIRE(f.run(ErasePerson{id, "admin-1", "the person asked to be forgotten"}).ok());
    std::string error;
    REQUIRE(person::sweep_erased(f.market, f.person_keys(), error) == std::optional<std::size_t>(1));
  });
  bool told = false;
  for (const Heard& h : erased) {
    CHECK(clear_text_in(h.json) == "");
    if (h.type == "PersonDetails") {
      told = true;
      CHECK(h.provider == "P-A");
      CHECK(h.json.find("\"status\": \"erased\"") != std::string::npos);
    }
  }
  CHECK(told);
  CHECK(f.person_keys().size() == 0);
}

TEST_CASE("an officer posts a package by REST: the market holds the person sealed and the officer's view opens it",
          "[security][person][gateway]") {
  RestHarness h;
  h.configure_market();
  h.admit("A");
  const auto posted = h.must(201, "POST", "/api/v1/packages", h.officer, kPackageJson);
  const PackageId id = static_cast<PackageId>(posted.at("package").as_int64());
  const SealedPerson* held = h.service.market().person(id);
  REQUIRE(held);
  CHECK(held->is_sealed());
  CHECK(held->name->empty());
  CHECK(held->address->empty());
  CHECK(held->sealed.find("Ada Example") == std::string::npos);
  // Its key: one file, 0600, in a 0700 directory of the key store.
  const fs::path dir = h.service.person_keys().directory();
  CHECK(mode_of(dir) == 0700);
  CHECK(key_files(dir) == std::vector<std::string>{held->key_id + ".key"});
  CHECK(mode_of(dir / (held->key_id + ".key")) == 0600);

  for (const std::string& token : {h.officer, h.compliance}) {
    const auto view = h.must(200, "GET", "/api/v1/packages/" + std::to_string(id), token);
    const auto& person = view.at("person").as_object();
    CHECK(person.at("status").as_string() == "available");
    CHECK(person.at("name").as_string() == "Ada Example");
    CHECK(person.at("case_reference").as_string() == "CASE-1");
  }
  // Providers have no REST view of a package at all.
  CHECK(h.call("GET", "/api/v1/packages/" + std::to_string(id), h.issue(Role::provider, "p", "P-A")).status == 403);
}

TEST_CASE("a posting refused, or retried with its Idempotency-Key, leaves no key behind", "[security][person][gateway]") {
  RestHarness h;
  h.configure_market();
  // Refused by the market (no such DPS): the key made for it is destroyed again.
  std::string wrong = kPackageJson;
  wrong.replace(wrong.find("\"home-care\""), 11, "\"nowhere\"");
  CHECK(h.error_code(h.call("POST", "/api/v1/packages", h.officer, wrong)) == "unknown_dps");
  CHECK(h.service.person_keys().size() == 0);
  // A retry answered from the first posting: one package, one key.
  CHECK(h.call_keyed("POST", "/api/v1/packages", h.officer, "post-1", kPackageJson).status == 201);
  const auto again = h.call_keyed("POST", "/api/v1/packages", h.officer, "post-1", kPackageJson);
  CHECK(again.status == 201);
  CHECK(RestHarness::parse(again).at("replayed").as_bool());
  CHECK(h.service.market().package_count() == 1);
  CHECK(h.service.person_keys().size() == 1);
}

// ---- erasure ----------------------------------------------------------------------------------------

TEST_CASE("an admin erases a person: every view says erased, the key is destroyed, the audit shows who and why",
          "[security][person][gateway]") {
  RestHarness h;
  h.configure_market();
  h.must(201, "POST", "/api/v1/packages", h.officer, kPackageJson);
  const std::string key_id = h.service.market().person(1)->key_id;
  const fs::path key_file = fs::path(h.service.person_keys().directory()) / (key_id + ".key");
  REQUIRE(fs::exists(key_file));

  const auto erased =
      h.must(200, "POST", "/api/v1/packages/1/person/erasure", h.admin, R"({"reason": "UK GDPR request ER-2026-17"})");
  CHECK(erased.at("person").as_string() == "erased");
  CHECK_FALSE(fs::exists(key_file));
  CHECK_FALSE(h.service.person_keys().find(key_id));
  const auto* event = std::get_if<PersonErased>(&h.service.events().back());
  REQUIRE(event);
  CHECK(event->package == 1);
  CHECK(event->by == "admin-1");
  CHECK(event->reason == "UK GDPR request ER-2026-17");
  CHECK(h.service.market().person(1)->is_erased());
  CHECK(h.service.market().person(1)->sealed.empty());  // later snapshots hold no ciphertext either

  const auto view = h.must(200, "GET", "/api/v1/packages/1", h.officer);
  CHECK(view.at("person").as_object() == json::object{{"status", "erased"}});
  CHECK(view.at("package").as_int64() == 1);  // the package itself is untouched
}

TEST_CASE("erasure bad input: unknown package, no reason, not an admin, erased twice (person_already_erased)",
          "[security][person][gateway]") {
  RestHarness h;
  h.configure_market();
  h.must(201, "POST", "/api/v1/packages", h.officer, kPackageJson);
  const std::string path = "/api/v1/packages/1/person/erasure";
  const std::string body = R"({"reason": "asked to be forgotten"})";
  CHECK(h.error_code(h.call("POST", "/api/v1/packages/99/person/erasure", h.admin, body)) == "unknown_package");
  CHECK(h.call("POST", "/api/v1/packages/99/person/erasure", h.admin, body).status == 404);
  CHECK(h.call("POST", "/api/v1/packages/x/person/erasure", h.admin, body).status == 404);
  CHECK(h.error_code(h.call("POST", path, h.admin, "{}")) == "missing_field");
  CHECK(h.error_code(h.call("POST", path, h.admin, R"({"reason": ""})")) == "reason_required");
  CHECK(h.error_code(h.call("POST", path, h.admin, R"({"reason": "x", "who": "me"})")) == "unknown_field");
  for (const std::string& token : {h.officer, h.compliance}) CHECK(h.call("POST", path, token, body).status == 403);
  CHECK(h.service.market().person(1)->is_sealed());  // none of that erased anything

  // A retry with the same Idempotency-Key is answered again; a new erasure of the erased is 409.
  CHECK(h.call_keyed("POST", path, h.admin, "erase-1", body).status == 200);
  const auto retry = h.call_keyed("POST", path, h.admin, "erase-1", body);
  CHECK(retry.status == 200);
  CHECK(RestHarness::parse(retry).at("replayed").as_bool());
  const auto twice = h.call("POST", path, h.admin, body);
  CHECK(twice.status == 409);
  CHECK(h.error_code(twice) == "person_already_erased");
  int erasures = 0;
  for (const auto& e : h.service.events()) erasures += std::holds_alternative<PersonErased>(e) ? 1 : 0;
  CHECK(erasures == 1);
}

TEST_CASE("erasure makes a backup taken before it unreadable, and the journal's audit chain still verifies",
          "[security][person]") {
  PeopleMarket f;
  const PackageId id = f.post_secret();
  f.place_with_a(id);
  TempDir data("person-erase-store"), backups("person-erase-backups"), restored("person-erase-restored");
  fs::create_directories(backups.path);
  fs::create_directories(restored.path);
  auto store = open_store(data.path);
  const std::size_t before = f.events.size();
  REQUIRE_STORE_OK(store->append(batch_of(f.events, 0, before)));
  REQUIRE_STORE_OK(store->backup((backups.path / "before-erasure").string()));
  CHECK(person::release(*replayed(*store).person(id), f.person_keys()).details == kSecret);

  // The erasure, as the server makes it: journaled, then the key destroyed.
  REQUIRE(f.run(ErasePerson{id, "admin-1", "asked to be forgotten"}).ok());
  REQUIRE_STORE_OK(store->append(batch_of(f.events, before, f.events.size())));
  std::string error;
  REQUIRE(person::sweep_erased(f.market, f.person_keys(), error) == std::optional<std::size_t>(1));

  // The live store: the chain over the unchanged ciphertext verifies; the person reads erased.
  carebroker::store::ChainReport report;
  REQUIRE_STORE_OK(carebroker::store::verify_chain(*store, report));
  CHECK(report.head.seq == f.events.size());
  CHECK(person::release(*replayed(*store).person(id), f.person_keys()).status == PersonStatus::erased);

  // The backup from before the erasure, restored against the live key store: its person is
  // still sealed in it, and nothing opens it any more.
  const fs::path copy = restored.path / "journal";
  REQUIRE_STORE_OK(RocksJournal::restore((backups.path / "before-erasure").string(), copy.string()));
  auto old = open_store(copy);
  const Market from_backup = replayed(*old);
  REQUIRE(from_backup.person(id)->is_sealed());
  CHECK(person::release(*from_backup.person(id), f.person_keys()).status == PersonStatus::key_missing);
  carebroker::store::ChainReport old_report;
  REQUIRE_STORE_OK(carebroker::store::verify_chain(*old, old_report));
}

TEST_CASE("erasing a retired package's person reaches its archive record, and a replacement's", "[security][person]") {
  DpsConfig config = home_care_config();
  config.windows.retain_closed_days = 1;
  PeopleMarket f(config);
  const PackageId id = f.post_secret();
  REQUIRE(f.run(CancelPackage{id, "the person moved away"}).ok());
  f.advance(2 * kMillisPerDay);
  REQUIRE(f.market.is_retired(id));
  CHECK(f.market.person(id)->is_sealed());  // its form and key id kept, the ciphertext in the archive
  CHECK(f.market.person(id)->sealed.empty());
  REQUIRE(f.run(ErasePerson{id, "admin-1", "asked to be forgotten"}).ok());
  std::string error;
  REQUIRE(person::sweep_erased(f.market, f.person_keys(), error) == std::optional<std::size_t>(1));
  const PackageRetired* record = nullptr;
  for (const auto& e : f.events)
    if (const auto* r = std::get_if<PackageRetired>(&e)) record = r;
  REQUIRE(record);
  const auto archived = carebroker::codec::decode_archive(record->archive);
  REQUIRE(archived.ok());
  CHECK(person::release(archived.person, f.person_keys()).status == PersonStatus::key_missing);
  CHECK(f.market.person(id)->is_erased());
  CHECK(f.run(ErasePerson{id, "admin-1", "again"}).status.code == Code::person_already_erased);
}

// ---- what cannot be opened is said clearly -----------------------------------------------------------

TEST_CASE("tampering with the sealed bytes is caught by the GCM tag and reported as tampered", "[security][person]") {
  TempPersonKeys store;
  std::string error;
  const std::optional<SealedPerson> good = person::seal_new(kSecret, store.keys, error);
  REQUIRE(good);
  CHECK(person::release(*good, store.keys).details == kSecret);
  const std::optional<SealedPerson> other = person::seal_new({"Other Person", "", "", ""}, store.keys, error);
  REQUIRE(other);

  auto tampered = [&](auto change) {
    SealedPerson s = *good;
    change(s);
    return person::release(s, store.keys).status;
  };
  CHECK(tampered([](SealedPerson& s) { s.sealed[0] = static_cast<char>(s.sealed[0] ^ 1); }) == PersonStatus::tampered);
  CHECK(tampered([](SealedPerson& s) { s.sealed.back() = static_cast<char>(s.sealed.back() ^ 0x80); }) ==
        PersonStatus::tampered);  // the tag
  CHECK(tampered([](SealedPerson& s) { s.nonce[3] = static_cast<char>(s.nonce[3] ^ 1); }) == PersonStatus::tampered);
  CHECK(tampered([](SealedPerson& s) { s.sealed.pop_back(); }) == PersonStatus::tampered);
  CHECK(tampered([&](SealedPerson& s) { s.key_id = other->key_id; }) == PersonStatus::tampered);  // another's key
  CHECK(tampered([&](SealedPerson& s) { s.sealed = other->sealed; s.nonce = other->nonce; }) ==
        PersonStatus::tampered);  // another's bytes under this key id
  CHECK(tampered([](SealedPerson& s) { s.form = 7; }) == PersonStatus::tampered);  // a form no build wrote
  CHECK(tampered([](SealedPerson& s) { s.key_id = std::string(32, 'f'); }) == PersonStatus::key_missing);
}

TEST_CASE("the officer's view says tampered or key_missing, never a 500, when a person cannot be opened",
          "[security][person][gateway]") {
  RestHarness h;
  h.configure_market();
  h.must(201, "POST", "/api/v1/packages", h.officer, kPackageJson);
  // A second package whose sealed bytes were altered (its key is in the store).
  std::string error;
  std::optional<SealedPerson> altered = person::seal_new(kSecret, h.service.person_keys(), error);
  REQUIRE(altered);
  altered->sealed[5] = static_cast<char>(altered->sealed[5] ^ 0x20);
  REQUIRE(h.service.run(PostPackage{MarketFixture::standard_package(), *altered}).ok());
  CHECK(h.must(200, "GET", "/api/v1/packages/2", h.officer).at("person").as_object() ==
        json::object{{"status", "tampered"}});
  // The first one's key lost without an erasure (the key store not restored, say).
  REQUIRE(h.service.person_keys().destroy(h.service.market().person(1)->key_id, error));
  CHECK(h.must(200, "GET", "/api/v1/packages/1", h.officer).at("person").as_object() ==
        json::object{{"status", "key_missing"}});
}

// ---- bad input ------------------------------------------------------------------------------------

TEST_CASE("the market refuses a person in clear or not well sealed: person_not_sealed", "[security][person]") {
  MarketFixture f;
  SealedPerson clear;  // the legacy clear form: only old journals hold it
  clear.name = kSecret.name;
  expect_rejected(f, PostPackage{MarketFixture::standard_package(), clear}, Code::person_not_sealed);
  const SealedPerson good = sealed(kSecret);
  const auto refused = [&](auto change) {
    SealedPerson s = good;
    change(s);
    return f.run(PostPackage{MarketFixture::standard_package(), s}).status.code == Code::person_not_sealed;
  };
  CHECK(refused([](SealedPerson& s) { s.name = std::string("Zelda"); }));  // clear text beside the sealed
  CHECK(refused([](SealedPerson& s) { s.nonce.resize(5); }));
  CHECK(refused([](SealedPerson& s) { s.sealed.resize(10); }));
  CHECK(refused([](SealedPerson& s) { s.sealed.assign(kMaxSealedPersonBytes + 1, 'x'); }));
  CHECK(refused([](SealedPerson& s) { s.key_id = "../../etc/passwd"; }));
  CHECK(refused([](SealedPerson& s) { s.form = static_cast<std::uint8_t>(PersonForm::erased); }));
  CHECK(f.market.package_count() == 0);
  CHECK(carebroker::gateway::http_status(Code::person_not_sealed) == 422);
  CHECK(f.run(PostPackage{MarketFixture::standard_package(), good}).ok());
  CHECK(f.run(ErasePerson{99, "admin-1", "x"}).status.code == Code::unknown_package);
}

TEST_CASE("a key store that cannot write refuses the posting: 500 person_key_store_failed, nothing posted",
          "[security][person][gateway]") {
  RestHarness h;
  h.configure_market();
  const fs::path dir = h.service.person_keys().directory();
  fs::remove_all(dir);
  std::ofstream(dir) << "not a directory";
  const auto r = h.call("POST", "/api/v1/packages", h.officer, kPackageJson);
  CHECK(r.status == 500);
  CHECK(h.error_code(r) == "person_key_store_failed");
  CHECK(h.service.market().package_count() == 0);
  fs::remove(dir);
}

TEST_CASE("the key store reads its keys back, removes unfinished ones and names what is not a key", "[security][person]") {
  TempPersonKeys store;
  std::string error;
  const auto made = store.keys.create(error);
  REQUIRE(made);
  std::ofstream(store.dir / "0123456789abcdef0123456789abcdef.tmp") << "half written";
  std::ofstream(store.dir / "notes.txt") << "someone's file";
  std::ofstream(store.dir / (std::string(32, 'e') + ".key")) << "short";
  person::PersonKeys reopened;
  REQUIRE(reopened.open(store.dir.string(), error));
  CHECK(reopened.size() == 1);
  const auto key = reopened.find(made->key_id);
  REQUIRE(key);
  CHECK(key->bytes == made->key.bytes);
  CHECK_FALSE(fs::exists(store.dir / "0123456789abcdef0123456789abcdef.tmp"));
  auto warnings = reopened.warnings();
  std::sort(warnings.begin(), warnings.end());
  CHECK(warnings == std::vector<std::string>{std::string(32, 'e') + ".key", "notes.txt"});
  CHECK_FALSE(reopened.destroy("../notes", error));  // not a key id: nothing outside the store
  CHECK(fs::exists(store.dir / "notes.txt"));
  CHECK(reopened.destroy(made->key_id, error));
  CHECK(reopened.destroy(made->key_id, error));  // already gone: still gone
  CHECK_FALSE(fs::exists(store.dir / (made->key_id + ".key")));
}

TEST_CASE("an old journal's person in clear is shown as before, and can be erased", "[security][person]") {
  TempPersonKeys store;
  SealedPerson legacy;  // as journal_v1.bin's PackagePosted events read back
  legacy.name = std::string("Tam Example");
  legacy.postcode = std::string("B13 9ZZ");
  const person::ReleasedPerson shown = person::release(legacy, store.keys);
  CHECK(shown.status == PersonStatus::available);
  CHECK(shown.details.name == "Tam Example");
  CHECK(shown.details.postcode == "B13 9ZZ");
  // Applied as an old journal's PackagePosted, then erased.
  MarketFixture f;
  Market m = f.market;
  PackagePosted posted;
  posted.package = 1;
  posted.spec = MarketFixture::standard_package();
  posted.person = legacy;
  posted.dps = posted.lot = posted.zone = posted.route = 0;
  m.apply(posted);
  REQUIRE(m.person(1)->is_legacy());
  std::vector<Event> out;
  REQUIRE(m.execute(ErasePerson{1, "admin-1", "asked to be forgotten"}, out).ok());
  CHECK(m.person(1)->is_erased());
  CHECK(m.person(1)->name->empty());
  CHECK(person::release(*m.person(1), store.keys).status == PersonStatus::erased);
}
