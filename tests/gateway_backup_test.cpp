// Online backups go only where the operator said (issue 7, defect 5): POST /api/v1/admin/backups
// {"name": N} writes <backup-dir>/N and nothing else.
//  - a name is one path segment of [A-Za-z0-9._-], 1..64 characters, not starting with '.':
//    relative and absolute paths, '..', '%2e%2e', a way into the journal, control characters,
//    empty and too long are each 422 invalid_backup_name; an existing backup is 409
//    backup_exists; a failed checkpoint is 500 backup_failed;
//  - the real server writes the backup under its backup directory and answers its full path;
//    the backup opens and replays to the server's market;
//  - the server refuses to start with a backup directory inside the journal or containing the
//    data directory (compared as canonical paths, so a symbolic link does not hide it);
//  - nothing the server or the store tool writes is readable by group or others;
//  - two requests for the same name at once make one backup (the other is backup_exists).
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <future>
#include <string>
#include <vector>

#include "engine/sequencer/recovery.h"
#include "engine/sequencer/sequencer.h"
#include "engine/store/rocksdb_journal.h"
#include "gateway/app.h"
#include "store_test_support.h"
#include "gateway_client.h"
#include "rest_harness.h"

using namespace carebroker::testing;
using carebroker::gateway::App;
using carebroker::gateway::AppOptions;
namespace fs = std::filesystem;

using carebroker::testing::store_support::TempDir;

namespace {

/// Every file and directory under `root` (and root) that group or others may read, write or enter.
std::vector<std::string> not_private(const fs::path& root) {
  std::vector<std::string> out;
  const auto loose = fs::perms::group_all | fs::perms::others_all;
  if ((fs::status(root).permissions() & loose) != fs::perms::none) out.push_back(root.string());
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    const fs::file_status st = entry.symlink_status();
    if ((st.permissions() & loose) != fs::perms::none) out.push_back(entry.path().string());
  }
  return out;
}

std::uint64_t server_digest(TestServer& server) {
  std::promise<std::uint64_t> digest;
  REQUIRE(server.app().sequencer().submit_read([&](const carebroker::engine::Market& m) { digest.set_value(m.digest()); },
                                               [](bool) {}));
  return digest.get_future().get();
}

}  // namespace

TEST_CASE("a backup name is one plain path segment, any other target is refused with invalid_backup_name", "[rest]") {
  RestHarness h;
  const std::vector<std::string> bad = {
      "backups/2026-11-24",  // relative path
      "/tmp/2026-11-24",     // absolute path
      "..", ".", "../x", "x/..", ".hidden",
      "%2e%2e", "%2E%2E%2Fjournal", "..%2fjournal",
      "journal/backup", "../journal/backup", "./journal",
      "a\\\\b", "x y", "caf\\u00e9",
      "x\\u0000", "x\\n", "x\\t", "x\\u007f", "x\\u0085",
      "",
      std::string(65, 'a'),
  };
  for (const auto& name : bad) {
    const HttpResponse r = h.call("POST", "/api/v1/admin/backups", h.admin, R"({"name": ")" + name + "\"}");
    INFO(name << " → " << r.status << " " << r.body);
    CHECK(r.status == 422);
    CHECK(RestHarness::error_code(r) == "invalid_backup_name");
    CHECK(r.body.find("field 'name'") != std::string::npos);
  }
  CHECK(h.service.backups.empty());
  for (const std::string& good : std::vector<std::string>{"2026-11-24", "a", "A.b_c-1..2", std::string(64, 'z')}) {
    const json::value made = h.must(201, "POST", "/api/v1/admin/backups", h.admin, R"({"name": ")" + good + "\"}");
    CHECK(str(made.at("name")) == good);
    CHECK(str(made.at("path")) == "/backups/" + good);
  }
  const HttpResponse again = h.call("POST", "/api/v1/admin/backups", h.admin, R"({"name": "2026-11-24"})");
  CHECK(again.status == 409);
  CHECK(RestHarness::error_code(again) == "backup_exists");
  h.service.fail_writes = true;
  const HttpResponse failed = h.call("POST", "/api/v1/admin/backups", h.admin, R"({"name": "2026-11-25"})");
  CHECK(failed.status == 500);
  CHECK(RestHarness::error_code(failed) == "backup_failed");
  CHECK(h.call("POST", "/api/v1/admin/backups", h.officer, R"({"name": "x"})").status == 403);
}

TEST_CASE("an online backup is written under the backup directory, opens and replays to the server's market",
          "[gateway][backup]") {
  TestServer server;
  const std::string admin = server.token(carebroker::gateway::Role::admin);
  const fs::path backups = fs::canonical(server.data_dir()) / "backups";
  REQUIRE(fs::is_directory(backups));
  const std::uint64_t digest = server_digest(server);

  const HttpResult made = http_request(server.port(), "POST", "/api/v1/admin/backups", admin, R"({"name": "2026-11-24"})");
  INFO(made.status << " " << made.body << made.error);
  REQUIRE(made.status == 201);
  const json::value reply = json::parse(made.body);
  const fs::path path = std::string(reply.at("path").as_string());
  CHECK(path == backups / "2026-11-24");
  REQUIRE(fs::is_directory(path));

  const HttpResult again = http_request(server.port(), "POST", "/api/v1/admin/backups", admin, R"({"name": "2026-11-24"})");
  CHECK(again.status == 409);
  CHECK(again.body.find("backup_exists") != std::string::npos);
  for (const char* name : {"../escape", "/tmp/escape", "..", "journal"}) {
    const HttpResult refused = http_request(server.port(), "POST", "/api/v1/admin/backups", admin,
                                            std::string(R"({"name": ")") + name + "\"}");
    INFO(name << " → " << refused.status << " " << refused.body);
    if (std::string_view(name) == "journal") {
      CHECK(refused.status == 201);  // a plain name: backups/journal, never the live journal
      CHECK(fs::is_directory(backups / "journal"));
    } else {
      CHECK(refused.status == 422);
    }
  }
  CHECK(!fs::exists(fs::path(server.data_dir()).parent_path() / "escape"));

  carebroker::store::RocksJournalOptions o;
  o.path = path.string();
  o.create_if_missing = false;
  std::unique_ptr<carebroker::store::RocksJournal> journal;
  REQUIRE(carebroker::store::RocksJournal::open(o, journal).ok());
  carebroker::engine::Market restored;
  carebroker::sequencer::Recovered info;
  REQUIRE(carebroker::sequencer::recover_market(*journal, restored, info).ok());
  CHECK(info.last_seq > 0);
  CHECK(restored.digest() == digest);
}

TEST_CASE("after start and a backup, nothing under the data or backup directory is open to group or others",
          "[gateway][backup]") {
  const mode_t before = ::umask(022);  // the server must not depend on its caller's umask
  {
    TestServer server;
    const std::string admin = server.token(carebroker::gateway::Role::admin);
    const HttpResult made = http_request(server.port(), "POST", "/api/v1/admin/backups", admin, R"({"name": "b1"})");
    REQUIRE(made.status == 201);
    const std::vector<std::string> loose = not_private(server.data_dir());
    INFO(loose.size() << " loose, e.g. " << (loose.empty() ? "" : loose.front()));
    CHECK(loose.empty());
    struct stat st {};
    REQUIRE(::stat((fs::path(server.data_dir()) / "tokens").c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);
    REQUIRE(::stat((fs::path(server.data_dir()) / "backups" / "b1").c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0700);
  }
  ::umask(before);
}

TEST_CASE("the server refuses a backup directory inside the journal or one that contains the data directory",
          "[gateway][backup]") {
  TempDir tmp{"gateway-backup", TempDir::Made::created};
  const fs::path data = tmp.path / "data";
  fs::create_directories(data / "journal");
  fs::create_symlink(data / "journal", tmp.path / "link-to-journal");
  struct Case {
    fs::path backup_dir;
    std::string why;
  };
  const std::vector<Case> cases = {
      {data / "journal", "is inside the journal directory"},
      {data / "journal" / "backups", "is inside the journal directory"},
      {tmp.path / "link-to-journal" / "backups", "is inside the journal directory"},
      {data / "journal" / ".." / "journal" / "b", "is inside the journal directory"},
      {data, "is inside the backup directory"},
      {tmp.path, "is inside the backup directory"},
  };
  for (const auto& c : cases) {
    AppOptions o;
    o.data_dir = data.string();
    o.backup_dir = c.backup_dir.string();
    o.port = 0;
    App app;
    std::string error;
    INFO(c.backup_dir.string());
    CHECK(!app.start(o, error));
    INFO(error);
    CHECK(error.find(c.why) != std::string::npos);
  }

  // A backup directory of the operator's choosing, outside the data directory, is made private.
  const fs::path elsewhere = tmp.path / "elsewhere";
  fs::create_directories(elsewhere);
  fs::permissions(elsewhere, fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                                 fs::perms::others_read | fs::perms::others_exec);
  AppOptions o;
  o.data_dir = data.string();
  o.backup_dir = elsewhere.string();
  o.port = 0;
  App app;
  std::string error;
  INFO(error);
  REQUIRE(app.start(o, error));
  CHECK((fs::status(elsewhere).permissions() & fs::perms::all) == fs::perms::owner_all);
  CHECK((fs::status(data).permissions() & fs::perms::all) == fs::perms::owner_all);
  app.stop();
}

TEST_CASE("a store backup and a restore are private, whatever the umask", "[store][backup]") {
  TempDir tmp{"gateway-backup", TempDir::Made::created};
  const mode_t before = ::umask(022);
  {
    carebroker::store::RocksJournalOptions o;
    o.path = (tmp.path / "journal").string();
    std::unique_ptr<carebroker::store::RocksJournal> journal;
    REQUIRE(carebroker::store::RocksJournal::open(o, journal).ok());
    CHECK((fs::status(o.path).permissions() & fs::perms::all) == fs::perms::owner_all);
    REQUIRE(journal->backup((tmp.path / "b1").string()).ok());
  }
  REQUIRE(carebroker::store::RocksJournal::restore((tmp.path / "b1").string(), (tmp.path / "restored").string()).ok());
  ::umask(before);
  for (const char* dir : {"b1", "restored"}) {
    const std::vector<std::string> loose = not_private(tmp.path / dir);
    INFO(dir << ": " << loose.size() << " loose, e.g. " << (loose.empty() ? "" : loose.front()));
    CHECK(loose.empty());
  }
}

TEST_CASE("two backups of the same name at once: one is made, the other is backup_exists", "[gateway][backup]") {
  TestServer server(TestServerOptions{{}, true, {LocationSpec{"A"}}});
  const std::string admin = server.token(carebroker::gateway::Role::admin);
  auto post = [&] {
    return http_request(server.port(), "POST", "/api/v1/admin/backups", admin, R"({"name": "same"})").status;
  };
  auto first = std::async(std::launch::async, post);
  auto second = std::async(std::launch::async, post);
  std::vector<int> statuses = {first.get(), second.get()};
  std::sort(statuses.begin(), statuses.end());
  CHECK(statuses == std::vector<int>{201, 409});
  // The server kept answering while it took them, and still does.
  CHECK(http_request(server.port(), "GET", "/healthz").status == 200);
}
