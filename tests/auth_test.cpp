// The tokens file (issue 7, defect 3): a name can never add a record, a damaged record is never
// skipped, and the file is private.
//  - a token whose name carries a line feed and a crafted admin record comes back after save +
//    open as the same single principal, and the crafted token is unknown;
//  - a bad line stops TokenStore::open (and so App::start) with the file and the line number;
//  - a file in the first (tab-separated) format loads when well-formed and is rewritten in the
//    escaped format; a first-format line with extra fields is refused;
//  - the file is 0600 whatever the umask; names with control characters cannot be issued by
//    App::issue_token (main's first-start tokens).
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "gateway/app.h"
#include "store_test_support.h"
#include "gateway/auth.h"

using carebroker::gateway::App;
using carebroker::gateway::AppOptions;
using carebroker::gateway::Principal;
using carebroker::gateway::Role;
using carebroker::gateway::sha256_hex;
using carebroker::gateway::TokenStore;
namespace fs = std::filesystem;

using carebroker::testing::store_support::TempDir;
using carebroker::testing::store_support::read_file;
using carebroker::testing::store_support::write_file;

namespace {

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

std::string issue(TokenStore& store, Principal who) {
  std::string error;
  const auto token = store.issue(who, error);
  INFO(error);
  REQUIRE(token);
  return *token;
}

const std::string kHashA = std::string(64, 'a');
const std::string kTokensFileHeader = "carebroker-tokens 2\n";

}  // namespace

TEST_CASE("a token whose name carries a forged admin record comes back as the same single principal, never an admin",
          "[auth]") {
  TempDir dir{"auth", TempDir::Made::created};
  const std::string path = (dir.path / "tokens").string();
  const std::string forged_token = "forged";
  // What the first format would have read as a second record, and the same in the JSON format.
  const std::string tab_record = sha256_hex(forged_token) + "\tadmin\t\tforged-admin";
  const std::string json_record =
      R"({"hash":")" + sha256_hex(forged_token) + R"(","role":"admin","subject":"","name":"forged-admin"})";
  const std::vector<std::string> names = {
      "rostering\n" + tab_record,
      "rostering\r\n" + tab_record + "\n",
      "rostering\"}\n" + json_record,
      std::string("nul\0inside", 10) + "\n" + json_record,
      "tab\tand\x01" "and\x7f and \xc2\x85 next line",
  };
  std::string error;
  TokenStore store;
  REQUIRE(store.open(path, error));
  std::vector<std::string> tokens;
  for (const auto& name : names) tokens.push_back(issue(store, Principal{Role::provider, "P-1", name}));

  TokenStore reopened;
  INFO(error);
  REQUIRE(reopened.open(path, error));
  CHECK(!reopened.authenticate(forged_token));
  for (std::size_t i = 0; i < names.size(); ++i) {
    const auto who = reopened.authenticate(tokens[i]);
    REQUIRE(who);
    CHECK(who->role == Role::provider);
    CHECK(who->subject == "P-1");
    CHECK(who->name == names[i]);
  }
  const auto file = lines(read_file(path));
  CHECK(file.size() == 1 + names.size());  // the header, then one line per token
  CHECK(file.front() == "carebroker-tokens 3");
  for (const auto& line : file) CHECK(line.find("\"role\":\"admin\"") == std::string::npos);
}

TEST_CASE("a tokens file with a bad line is refused, naming the file and the line", "[auth]") {
  TempDir dir{"auth", TempDir::Made::created};
  const fs::path path = dir.path / "tokens";
  const std::string good = R"({"hash":")" + kHashA + R"(","role":"officer","subject":"","name":"officer-1"})";
  struct Case {
    std::string text;
    int line;
    std::string why;
  };
  const std::vector<Case> cases = {
      {kTokensFileHeader + good + "\nnot json\n", 3, "not a JSON object"},
      {kTokensFileHeader + good + "\n\n" + good + "\n", 3, "not a JSON object"},
      {kTokensFileHeader + good + "\n[1,2]\n", 3, "not a JSON object"},
      {kTokensFileHeader + R"({"hash":"abc","role":"officer","subject":"","name":"x"})" "\n", 2, "64 lowercase hex"},
      {kTokensFileHeader + R"({"hash":")" + std::string(64, 'A') + R"(","role":"officer","subject":"","name":"x"})" "\n", 2,
       "64 lowercase hex"},
      {kTokensFileHeader + R"({"hash":")" + kHashA + R"(","role":"root","subject":"","name":"x"})" "\n", 2, "unknown role 'root'"},
      {kTokensFileHeader + R"({"hash":")" + kHashA + R"(","role":"officer","subject":"","name":"x","admin":true})" "\n", 2,
       "unknown field 'admin'"},
      {kTokensFileHeader + R"({"hash":")" + kHashA + R"(","role":"officer","subject":""})" "\n", 2, "field 'name' must be a string"},
      {kTokensFileHeader + R"({"hash":")" + kHashA + R"(","role":"officer","subject":"","name":7})" "\n", 2,
       "field 'name' must be a string"},
      {kTokensFileHeader + R"({"hash":")" + kHashA + R"(","role":"provider","subject":"","name":"x"})" "\n", 2,
       "without its provider"},
      {kTokensFileHeader + R"({"hash":")" + kHashA + R"(","role":"admin","subject":"P-1","name":"x"})" "\n", 2,
       "not a provider's"},
      {"carebroker-tokens 9\n" + good + "\n", 1, "unsupported tokens file header"},
      // The first format: exactly four tab-separated fields, no control character in them.
      {kHashA + "\tofficer\t\tofficer-1\n" + kHashA + "\tadmin\t\tx\textra\n", 2, "expected 4 tab-separated fields"},
      {kHashA + "\tofficer\t\tofficer-1\n\n", 2, "expected 4 tab-separated fields"},
      {kHashA + "\tofficer\t\tofficer-1\r\n", 1, "control character (U+000D)"},
      {kHashA + "\tadmin\n", 1, "expected 4 tab-separated fields"},
  };
  for (const auto& c : cases) {
    write_file(path, c.text);
    TokenStore store;
    std::string error;
    INFO(c.text);
    CHECK(!store.open(path.string(), error));
    INFO(error);
    CHECK(error.find(path.string() + ":" + std::to_string(c.line) + ": ") == 0);
    CHECK(error.find(c.why) != std::string::npos);
    CHECK(store.empty());  // nothing half-loaded
  }
}

TEST_CASE("a tokens file in the first format still loads and is rewritten in the escaped format", "[auth]") {
  TempDir dir{"auth", TempDir::Made::created};
  const fs::path path = dir.path / "tokens";
  write_file(path, sha256_hex("admin-token") + "\tadmin\t\tadmin\n" + sha256_hex("provider-token") +
                       "\tprovider\tP-1\tdemo provider P-1\n");
  fs::permissions(path, fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read | fs::perms::others_read);
  TokenStore store;
  std::string error;
  INFO(error);
  REQUIRE(store.open(path.string(), error));
  const auto admin = store.authenticate("admin-token");
  REQUIRE(admin);
  CHECK(admin->role == Role::admin);
  const auto provider = store.authenticate("provider-token");
  REQUIRE(provider);
  CHECK(provider->role == Role::provider);
  CHECK(provider->subject == "P-1");
  CHECK(provider->name == "demo provider P-1");

  const auto file = lines(read_file(path));
  REQUIRE(file.size() == 3);
  CHECK(file[0] == "carebroker-tokens 3");
  // A new id, no issue time and no expiry: a token that worked before keeps working.
  const std::string id = provider->token_id;
  CHECK(id.size() == 12);
  CHECK(file[2] == R"({"id":")" + id + R"(","hash":")" + sha256_hex("provider-token") +
                       R"(","user":"demo provider P-1","role":"provider","subject":"P-1","issued_at":null,)"
                       R"("expires_at":null,"revoked_at":null,"replaces":null})");
  CHECK((fs::status(path).permissions() & fs::perms::all) == (fs::perms::owner_read | fs::perms::owner_write));
  TokenStore again;
  REQUIRE(again.open(path.string(), error));
  CHECK(again.authenticate("provider-token")->subject == "P-1");
  CHECK(again.authenticate("provider-token")->token_id == id);  // the id is kept from now on
}

TEST_CASE("the tokens file is readable by its owner only, whatever the umask", "[auth]") {
  TempDir dir{"auth", TempDir::Made::created};
  const fs::path path = dir.path / "tokens";
  const mode_t before = ::umask(000);
  TokenStore store;
  std::string error;
  REQUIRE(store.open(path.string(), error));
  issue(store, Principal{Role::admin, "", "admin"});
  ::umask(before);
  struct stat st {};
  REQUIRE(::stat(path.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  CHECK(!fs::exists(path.string() + ".tmp"));
}

TEST_CASE("the server refuses to start on a damaged tokens file and names the line", "[auth]") {
  TempDir dir{"auth", TempDir::Made::created};
  write_file(dir.path / "tokens", kTokensFileHeader + R"({"hash":")" + kHashA +
                                      R"(","role":"officer","subject":"","name":"officer-1"})" "\nofficer-2\n");
  AppOptions o;
  o.data_dir = dir.path.string();
  o.port = 0;
  App app;
  std::string error;
  CHECK(!app.start(o, error));
  INFO(error);
  CHECK(error.find((dir.path / "tokens").string() + ":3: not a token record") != std::string::npos);
}

TEST_CASE("a token name or subject with a control character is not issued by the server", "[auth]") {
  TempDir dir{"auth", TempDir::Made::created};
  AppOptions o;
  o.data_dir = dir.path.string();
  o.port = 0;
  App app;
  std::string error;
  REQUIRE(app.start(o, error));
  std::vector<std::string> bad;
  for (int c = 0; c < 0x20; ++c) bad.push_back("admin" + std::string(1, static_cast<char>(c)) + "x");
  bad.push_back("admin\x7fx");
  for (int c = 0x80; c <= 0x9F; ++c) bad.push_back("admin" + std::string{'\xc2', static_cast<char>(c)});
  bad.push_back("admin\xff");                  // not UTF-8
  bad.push_back(std::string(201, 'a'));        // too long
  for (const auto& name : bad) {
    INFO(name);
    CHECK(!app.issue_token(Principal{Role::admin, "", name}, error));
    CHECK(!app.issue_token(Principal{Role::provider, name, "rostering"}, error));
  }
  CHECK(app.tokens().empty());
  CHECK(app.issue_token(Principal{Role::admin, "", std::string(200, 'a')}, error));
  CHECK(app.issue_token(Principal{Role::admin, "", "Gwasanaeth Gofal Cymdeithasol — Côr"}, error));
  app.stop();
}
