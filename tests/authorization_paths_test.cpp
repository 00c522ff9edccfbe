// File paths given to admin operations (issue 13, the authorisation matrix): the only route that
// takes one is the online backup (POST /api/v1/admin/backups {"name"}), and its target must stay
// inside the configured backup directory — never anywhere else the server can write — through
// the real server and its RocksDB checkpoint:
//  - names with '..', absolute paths, NUL and other control characters, and very long names are
//    refused (422 invalid_backup_name) and nothing is written anywhere;
//  - a symbolic link planted inside the backup directory, under the backup's name or under the
//    name of the checkpoint's staging directory (<name>.tmp, which RocksDB empties before it
//    starts), never makes the server write into, or delete from, the directory it points to;
//  - the CQC import's `source` is a label kept with the import, never a path the server opens.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <vector>

#include "provider_client.h"
#include "store_test_support.h"

using namespace carebroker::testing;
using namespace carebroker::testing::gateway_support;
using carebroker::testing::store_support::TempDir;
namespace fs = std::filesystem;

namespace {

std::set<std::string> entries(const fs::path& dir) {
  std::set<std::string> out;
  for (const auto& e : fs::directory_iterator(dir)) out.insert(e.path().filename().string());
  return out;
}

/// A directory outside the server's, holding one file the server must never touch.
struct Outside {
  TempDir dir{"outside", TempDir::Made::created};
  Outside() { std::ofstream(dir.path / "keep") << "not the server's"; }
  fs::path path() const { return dir.path; }
  bool untouched() const { return entries(path()) == std::set<std::string>{"keep"}; }
};

HttpResult backup(TestServer& server, const std::string& admin, const std::string& name_json) {
  return http_request(server.port(), "POST", "/api/v1/admin/backups", admin, R"({"name": )" + name_json + "}");
}

}  // namespace

TEST_CASE("an online backup's name cannot lead it out of the backup directory: '..', absolute paths, NUL, long names",
          "[gateway][security][authz][backup]") {
  TestServer server;
  const std::string admin = server.token(Role::admin);
  Outside outside;
  const fs::path backups = fs::path(server.data_dir()) / "backups";
  REQUIRE(fs::is_directory(backups));
  const std::set<std::string> before = entries(backups);
  const std::vector<std::string> bad = {
      R"("..")", R"("../..")", R"("../escaped")", R"("..\\escaped")", R"("x/../../escaped")",
      "\"" + outside.path().string() + "\"", "\"" + outside.path().string() + "/escaped\"", R"("/etc/cron.d/x")",
      R"("x\u0000")", R"("\u0000")", R"("x\u0000/../../escaped")", R"("%2e%2e%2fescaped")",
      "\"" + std::string(65, 'a') + "\"", "\"" + std::string(4096, 'a') + "\"", "\"" + std::string(255, '.') + "\"",
  };
  for (const std::string& name : bad) {
    const HttpResult r = backup(server, admin, name);
    INFO(name.substr(0, 80) << " → " << r.status << " " << r.body.substr(0, 200));
    CHECK(r.status == 422);
    CHECK(rest_error_code(r) == "invalid_backup_name");
  }
  CHECK(entries(backups) == before);
  CHECK(outside.untouched());
  CHECK_FALSE(fs::exists(fs::path(server.data_dir()).parent_path() / "escaped"));
  // A name at the limit is a backup, inside the directory.
  const json::value made = must_http(server, 201, "POST", "/api/v1/admin/backups", admin,
                                     R"({"name": ")" + std::string(64, 'b') + "\"}");
  CHECK(fs::path(std::string(made.at("path").as_string())).parent_path() == fs::canonical(backups));
}

TEST_CASE("a symbolic link planted in the backup directory never takes a backup, or a deletion, outside it",
          "[gateway][security][authz][backup]") {
  TestServer server;
  const std::string admin = server.token(Role::admin);
  Outside outside;
  const fs::path backups = fs::path(server.data_dir()) / "backups";

  SECTION("under the backup's own name: refused as an existing backup, nothing written through it") {
    fs::create_directory_symlink(outside.path(), backups / "planted");
    const HttpResult r = backup(server, admin, R"("planted")");
    INFO(r.body);
    CHECK(r.status == 409);
    CHECK(rest_error_code(r) == "backup_exists");
    CHECK(outside.untouched());
    CHECK(fs::is_symlink(backups / "planted"));
  }
  SECTION("a dangling link under the backup's name: refused, and its target is never created") {
    const fs::path target = outside.path() / "would-be-created";
    fs::create_directory_symlink(target, backups / "dangling");
    const HttpResult r = backup(server, admin, R"("dangling")");
    CHECK(r.status == 409);
    CHECK(rest_error_code(r) == "backup_exists");
    CHECK_FALSE(fs::exists(target));
    CHECK(outside.untouched());
  }
  SECTION("under the checkpoint's staging name (<name>.tmp): the directory it points to is neither emptied nor written") {
    fs::create_directory_symlink(outside.path(), backups / "nightly.tmp");
    const HttpResult r = backup(server, admin, R"("nightly")");
    INFO(r.status << " " << r.body);
    CHECK(outside.untouched());
    // The backup is made where it belongs, a real directory inside the backup directory.
    CHECK(r.status == 201);
    CHECK(fs::is_directory(fs::symlink_status(backups / "nightly")));
    CHECK_FALSE(fs::is_symlink(backups / "nightly"));
    CHECK(fs::exists(backups / "nightly" / "carebroker-backup.json"));
  }
}

TEST_CASE("a CQC import's source is a label kept with the import, never a path the server reads",
          "[gateway][security][authz][cqc]") {
  TestServer server;
  const std::string compliance = server.token(Role::compliance);
  for (const std::string source : {"/etc/passwd", "../../journal/CURRENT", "C:\\\\boot.ini"}) {
    const std::string body = json::serialize(
        json::object{{"source", source}, {"csv", "location_id,report_date,overall_rating\n1-000000001,2026-01-05,Good\n"}});
    const json::value made = must_http(server, 201, "POST", "/api/v1/cqc-imports", compliance, body);
    INFO(json::serialize(made));
    CHECK(made.at("source").as_string() == source);
    // The rows are the body's one row, whatever the source names.
    CHECK(made.at("rows").to_number<int>() == 1);
  }
  const HttpResult nul = http_request(server.port(), "POST", "/api/v1/cqc-imports", compliance,
                                      R"({"source": "x\u0000y", "csv": "location_id,report_date,overall_rating\n"})");
  CHECK(nul.status == 422);
}
