// Tokens belong to named users and have a life (issue 13, "Users and secrets"):
//  - an admin issues a token to a user, for a role (and provider), with a lifetime; the user is
//    who is recorded on the decisions the token makes;
//  - GET /api/v1/tokens lists every token by its public id, never a token or its hash;
//  - a token past its expiry gets 401 token_expired, a revoked one 401 token_revoked, an unknown
//    one 401 unauthenticated;
//  - DELETE /api/v1/tokens/{id} revokes (again: 200, unchanged; unknown id: 404 unknown_token;
//    the last admin token that works: 409 last_admin_token);
//  - POST /api/v1/tokens/rotate gives the caller a new token for the same user, role and
//    provider; the old one works through the grace period, then is revoked; a token rotates once;
//  - only an admin issues, lists or revokes (an officer: 403 forbidden);
//  - the tokens file keeps ids, times and rotations across a restart, and an older file is read
//    and rewritten in the current format.
// The store's wall clock is the test's: nothing waits for real time.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "gateway/auth.h"
#include "gateway/token_file.h"
#include "rest_harness.h"
#include "store_test_support.h"

namespace {

using namespace carebroker::testing;
using carebroker::gateway::IssuedToken;
using carebroker::gateway::Principal;
using carebroker::gateway::sha256_hex;
using carebroker::gateway::TokenPolicy;
using carebroker::gateway::TokenStore;
using carebroker::gateway::WallMillis;
using carebroker::testing::store_support::TempDir;
using carebroker::testing::store_support::read_file;
namespace fs = std::filesystem;

namespace rest = carebroker::gateway::rest;
constexpr WallMillis kWallDay = 86'400'000;

/// A REST harness whose token store runs on a clock the test moves.
struct TokenHarness : RestHarness {
  WallMillis now_ms = 0;
  TokenHarness() {
    now_ms = tokens.now();
    tokens.set_clock([this] { return now_ms; });
    tokens.set_policy(TokenPolicy{90, 300});
  }
  json::value issue_json(const std::string& body) { return must(201, "POST", "/api/v1/tokens", admin, body); }
};

const json::object* find_token(const json::value& list, const std::string& id) {
  for (const auto& t : list.at("items").as_array())
    if (t.at("id").as_string() == id) return &t.as_object();
  return nullptr;
}

}  // namespace

TEST_CASE("an admin issues a token to a named user with a lifetime, and the user is who acts on decisions",
          "[gateway][security][tokens]") {
  TokenHarness h;
  h.configure_market();
  const json::value issued = h.issue_json(R"({"role": "officer", "user": "brokerage-officer-7", "expires_in_days": 30})");
  const std::string token = str(issued.at("token"));
  const std::string id = str(issued.at("id"));
  CHECK(token.size() == 64);
  CHECK(id.size() == 12);
  CHECK(carebroker::gateway::token_file::is_id(id));
  CHECK(str(issued.at("user")) == "brokerage-officer-7");
  CHECK(str(issued.at("role")) == "officer");
  CHECK(issued.at("provider").is_null());
  CHECK(str(issued.at("status")) == "active");
  CHECK(str(issued.at("expires_at")) == rest::iso_utc(h.now_ms + 30 * kWallDay));
  CHECK(str(issued.at("issued_at")) == rest::iso_utc(h.now_ms));

  // What the officer posts is recorded as the user's.
  h.must(201, "POST", "/api/v1/packages", token, kPackageJson);
  CHECK(str(h.must(200, "GET", "/api/v1/packages/1", h.officer).at("officer")) == "brokerage-officer-7");

  // Without expires_in_days: the server's default lifetime; 0: never.
  const json::value by_default = h.issue_json(R"({"role": "compliance", "user": "compliance-7"})");
  CHECK(str(by_default.at("expires_at")) == rest::iso_utc(h.now_ms + 90 * kWallDay));
  const json::value forever = h.issue_json(R"({"role": "admin", "user": "admin-7", "expires_in_days": 0})");
  CHECK(forever.at("expires_at").is_null());
  // The older spelling of the user ('name') still works, as the load tools send it.
  CHECK(str(h.issue_json(R"({"role": "officer", "name": "officer-by-name"})").at("user")) == "officer-by-name");
  // A provider's token is bound to a registered provider.
  h.admit("A");
  const json::value provider = h.issue_json(R"({"role": "provider", "provider": "P-A", "user": "rostering-A"})");
  CHECK(str(provider.at("provider")) == "P-A");
  CHECK(h.tokens.authenticate(str(provider.at("token")))->name == "rostering-A");
}

TEST_CASE("the token list shows ids, users, roles, providers and times, never a token or its hash",
          "[gateway][security][tokens]") {
  TokenHarness h;
  const json::value issued = h.issue_json(R"({"role": "officer", "user": "officer-8", "expires_in_days": 7})");
  const std::string token = str(issued.at("token"));
  const HttpResponse r = h.call("GET", "/api/v1/tokens", h.admin);
  REQUIRE(r.status == 200);
  CHECK(r.body.find(token) == std::string::npos);
  CHECK(r.body.find(sha256_hex(token)) == std::string::npos);
  CHECK(r.body.find(h.admin) == std::string::npos);
  CHECK(r.body.find(sha256_hex(h.admin)) == std::string::npos);
  CHECK(r.body.find("\"hash\"") == std::string::npos);
  CHECK(r.body.find("\"token\"") == std::string::npos);
  const json::value list = RestHarness::parse(r);
  CHECK(list.at("total").as_int64() == 4);  // the harness's admin, officer and compliance, and this one
  const json::object* listed = find_token(list, str(issued.at("id")));
  REQUIRE(listed);
  CHECK(str(listed->at("user")) == "officer-8");
  CHECK(str(listed->at("role")) == "officer");
  CHECK(str(listed->at("expires_at")) == rest::iso_utc(h.now_ms + 7 * kWallDay));
  CHECK(listed->at("revoked_at").is_null());
  CHECK(str(listed->at("status")) == "active");
  // Filtered by user, and paged.
  const json::value mine = h.must(200, "GET", "/api/v1/tokens?user=officer-8", h.admin);
  REQUIRE(mine.at("items").as_array().size() == 1);
  CHECK(h.must(200, "GET", "/api/v1/tokens?page_size=1&page=2", h.admin).at("items").as_array().size() == 1);
}

TEST_CASE("a token past its expiry gets 401 token_expired, a revoked one 401 token_revoked, an unknown one 401 unauthenticated",
          "[gateway][security][tokens]") {
  TokenHarness h;
  const json::value issued = h.issue_json(R"({"role": "officer", "user": "officer-9", "expires_in_days": 1})");
  const std::string token = str(issued.at("token"));
  CHECK(h.call("GET", "/api/v1/me", token).status == 200);
  h.now_ms += kWallDay - 1;
  CHECK(h.call("GET", "/api/v1/me", token).status == 200);  // the last millisecond of its day
  h.now_ms += 1;
  const HttpResponse expired = h.call("GET", "/api/v1/me", token);
  CHECK(expired.status == 401);
  CHECK(RestHarness::error_code(expired) == "token_expired");
  CHECK(expired.body.find(token) == std::string::npos);
  CHECK(str(h.must(200, "GET", "/api/v1/tokens?user=officer-9", h.admin).at("items").at(0).at("status")) == "expired");

  const json::value other = h.issue_json(R"({"role": "officer", "user": "officer-10"})");
  h.must(200, "DELETE", "/api/v1/tokens/" + str(other.at("id")), h.admin);
  const HttpResponse revoked = h.call("GET", "/api/v1/me", str(other.at("token")));
  CHECK(revoked.status == 401);
  CHECK(RestHarness::error_code(revoked) == "token_revoked");

  const HttpResponse unknown = h.call("GET", "/api/v1/me", std::string(64, 'b'));
  CHECK(unknown.status == 401);
  CHECK(RestHarness::error_code(unknown) == "unauthenticated");
}

TEST_CASE("revoking: an unknown id is 404 unknown_token, a second revoke changes nothing, the last admin token stays",
          "[gateway][security][tokens]") {
  TokenHarness h;
  const json::value issued = h.issue_json(R"({"role": "compliance", "user": "compliance-11"})");
  const std::string id = str(issued.at("id"));
  const json::value first = h.must(200, "DELETE", "/api/v1/tokens/" + id, h.admin);
  CHECK(first.at("already_revoked").as_bool() == false);
  CHECK(str(first.at("token").at("revoked_at")) == rest::iso_utc(h.now_ms));
  CHECK(str(first.at("token").at("status")) == "revoked");
  h.now_ms += 5000;
  const json::value again = h.must(200, "DELETE", "/api/v1/tokens/" + id, h.admin);
  CHECK(again.at("already_revoked").as_bool() == true);
  CHECK(str(again.at("token").at("revoked_at")) == rest::iso_utc(h.now_ms - 5000));  // unchanged

  for (const std::string unknown : {"000000000000", "not-an-id", "rotate"}) {
    const HttpResponse r = h.call("DELETE", "/api/v1/tokens/" + unknown, h.admin);
    INFO(unknown);
    CHECK(r.status == 404);
    CHECK(RestHarness::error_code(r) == "unknown_token");
  }

  // The harness's admin is the only admin: revoking it would leave no one to issue tokens.
  const std::string admin_id = h.tokens.authenticate(h.admin)->token_id;
  const HttpResponse last = h.call("DELETE", "/api/v1/tokens/" + admin_id, h.admin);
  CHECK(last.status == 409);
  CHECK(RestHarness::error_code(last) == "last_admin_token");
  CHECK(h.call("GET", "/api/v1/me", h.admin).status == 200);
  // With a second admin it may go (and then that one is the last).
  const json::value second = h.issue_json(R"({"role": "admin", "user": "admin-2"})");
  h.must(200, "DELETE", "/api/v1/tokens/" + admin_id, h.admin);
  CHECK(RestHarness::error_code(h.call("GET", "/api/v1/me", h.admin)) == "token_revoked");
  const HttpResponse now_last = h.call("DELETE", "/api/v1/tokens/" + str(second.at("id")), str(second.at("token")));
  CHECK(RestHarness::error_code(now_last) == "last_admin_token");
}

TEST_CASE("a caller rotates its own token: the same user, role and provider, the old token works through the grace only",
          "[gateway][security][tokens]") {
  TokenHarness h;
  h.configure_market();
  h.admit("A");
  const json::value issued = h.issue_json(R"({"role": "provider", "provider": "P-A", "user": "rostering-A", "expires_in_days": 10})");
  const std::string old_token = str(issued.at("token"));
  const std::string old_id = str(issued.at("id"));
  h.now_ms += kWallDay;
  const json::value rotated = h.must(201, "POST", "/api/v1/tokens/rotate", old_token);
  const std::string new_token = str(rotated.at("token"));
  CHECK(new_token != old_token);
  CHECK(str(rotated.at("replaces")) == old_id);
  CHECK(str(rotated.at("user")) == "rostering-A");
  CHECK(str(rotated.at("role")) == "provider");
  CHECK(str(rotated.at("provider")) == "P-A");
  CHECK(str(rotated.at("expires_at")) == rest::iso_utc(h.now_ms + 10 * kWallDay));  // the same lifetime, from now
  CHECK(str(rotated.at("old_token_valid_until")) == rest::iso_utc(h.now_ms + 300'000));
  const auto who = h.tokens.authenticate(new_token);
  REQUIRE(who);
  CHECK(who->subject == "P-A");
  CHECK(who->name == "rostering-A");

  // The old token is in its grace: it still works, is listed as rotating, and cannot rotate again.
  CHECK(h.call("GET", "/api/v1/me", old_token).status == 200);
  const json::value list = h.must(200, "GET", "/api/v1/tokens", h.admin);
  const json::object* listed = find_token(list, old_id);
  REQUIRE(listed);
  CHECK(str(listed->at("status")) == "rotating");
  CHECK(str(listed->at("replaced_by")) == str(rotated.at("id")));
  const HttpResponse twice = h.call("POST", "/api/v1/tokens/rotate", old_token);
  CHECK(twice.status == 409);
  CHECK(RestHarness::error_code(twice) == "token_already_rotated");
  CHECK(twice.body.find("\"token\"") == std::string::npos);

  h.now_ms += 300'000;
  const HttpResponse after = h.call("GET", "/api/v1/me", old_token);
  CHECK(RestHarness::error_code(after) == "token_revoked");
  CHECK(h.call("GET", "/api/v1/me", new_token).status == 200);

  // Staff rotate theirs too; a token that never expires is replaced by one that never expires.
  const json::value forever = h.issue_json(R"({"role": "officer", "user": "officer-12", "expires_in_days": 0})");
  const json::value officer = h.must(201, "POST", "/api/v1/tokens/rotate", str(forever.at("token")));
  CHECK(officer.at("expires_at").is_null());
  CHECK(str(officer.at("user")) == "officer-12");
  // The rotation takes no fields.
  const HttpResponse body = h.call("POST", "/api/v1/tokens/rotate", str(officer.at("token")), R"({"user": "someone-else"})");
  CHECK(RestHarness::error_code(body) == "unknown_field");
}

TEST_CASE("only an admin issues, lists and revokes tokens: an officer trying gets 403 forbidden", "[gateway][security][tokens]") {
  TokenHarness h;
  const std::string id = h.tokens.authenticate(h.compliance)->token_id;
  for (const std::string& caller : {h.officer, h.compliance}) {
    const HttpResponse issue = h.call("POST", "/api/v1/tokens", caller, R"({"role": "admin", "user": "me-as-admin"})");
    CHECK(issue.status == 403);
    CHECK(RestHarness::error_code(issue) == "forbidden");
    CHECK(RestHarness::error_code(h.call("GET", "/api/v1/tokens", caller)) == "forbidden");
    CHECK(RestHarness::error_code(h.call("DELETE", "/api/v1/tokens/" + id, caller)) == "forbidden");
  }
  CHECK(h.tokens.list().size() == 3);  // nothing was issued
  CHECK(h.call("GET", "/api/v1/me", h.compliance).status == 200);  // nor revoked
}

TEST_CASE("bad token requests get 422 with their codes: invalid_token_lifetime for a bad expires_in_days",
          "[gateway][security][tokens]") {
  TokenHarness h;
  for (const std::string lifetime : {"-1", "3651", "1.5", "\"30\"", "true", "[]", "1e3", "99999999999999999999"}) {
    INFO(lifetime);
    const HttpResponse r =
        h.call("POST", "/api/v1/tokens", h.admin, R"({"role": "officer", "user": "x", "expires_in_days": )" + lifetime + "}");
    CHECK(r.status == 422);
    CHECK(RestHarness::error_code(r) == "invalid_token_lifetime");
  }
  CHECK(h.call("POST", "/api/v1/tokens", h.admin, R"({"role": "officer", "user": "x", "expires_in_days": 3650})").status == 201);
  struct Case {
    std::string body;
    std::string code;
    std::string detail;
  };
  for (const Case& c : std::vector<Case>{
           {R"({"role": "officer"})", "missing_field", "field 'user' is required"},
           {R"({"role": "officer", "user": ""})", "invalid_value", "must not be empty"},
           {R"({"role": "officer", "user": "a", "name": "b"})", "invalid_value", "differ"},
           {R"({"role": "officer", "user": "a\u0007b"})", "invalid_value", "control character"},
           {R"({"role": "officer", "user": "a", "expires_at": 5})", "unknown_field", "expires_at"},
       }) {
    INFO(c.body);
    const HttpResponse r = h.call("POST", "/api/v1/tokens", h.admin, c.body);
    CHECK(r.status == 422);
    CHECK(RestHarness::error_code(r) == c.code);
    CHECK(r.body.find(c.detail) != std::string::npos);
  }
  CHECK(h.tokens.list().size() == 4);  // only the one good request issued a token
}

TEST_CASE("the tokens file keeps ids, users, times, revocations and rotations across a restart, and only hashes",
          "[gateway][security][tokens]") {
  TempDir dir{"tokens", TempDir::Made::created};
  const fs::path path = dir.path / "tokens";
  WallMillis now = 1'764'581'400'000;  // 2025-12-01T09:30:00Z
  std::string error, admin, officer, rotated;
  std::string officer_id;
  {
    TokenStore store;
    store.set_clock([&] { return now; });
    store.set_policy({30, 60});
    REQUIRE(store.open(path.string(), error));
    admin = store.issue(Principal{Role::admin, "", "admin"}, 0, error)->token;
    const auto o = store.issue(Principal{Role::officer, "", "officer-1"}, std::nullopt, error);
    REQUIRE(o);
    officer = o->token;
    officer_id = o->record.id;
    const auto p = store.issue(Principal{Role::provider, "P-1", "rostering \"P-1\"\n"}, 5, error);
    REQUIRE(p);
    std::optional<IssuedToken> next;
    REQUIRE(store.rotate(p->record.id, next, error) == carebroker::gateway::TokenChange::done);
    rotated = next->token;
    carebroker::gateway::TokenRecord record;
    REQUIRE(store.revoke(officer_id, record, error) == carebroker::gateway::TokenChange::done);
  }
  const std::string text = read_file(path);
  for (const std::string& token : {admin, officer, rotated}) CHECK(text.find(token) == std::string::npos);
  CHECK(text.rfind("carebroker-tokens 3\n", 0) == 0);

  TokenStore again;
  again.set_clock([&] { return now; });
  REQUIRE(again.open(path.string(), error));
  const auto records = again.list();
  REQUIRE(records.size() == 4);
  CHECK(records[0].who.name == "admin");
  CHECK(!records[0].expires_at);
  CHECK(records[1].id == officer_id);
  CHECK(records[1].expires_at == now + 30 * kWallDay);
  CHECK(records[1].revoked_at == now);
  CHECK(records[2].who.name == "rostering \"P-1\"\n");
  CHECK(records[2].revoked_at == now + 60'000);  // the grace
  CHECK(records[2].replaced_by == records[3].id);
  CHECK(records[3].replaces == records[2].id);
  CHECK(records[3].expires_at == now + 5 * kWallDay);
  CHECK(again.check(officer).failure == carebroker::gateway::AuthFailure::revoked);
  CHECK(again.authenticate(rotated)->subject == "P-1");
  CHECK(again.authenticate(admin)->token_id == records[0].id);
}

TEST_CASE("a tokens file in the second format is read and rewritten in the current one, and a bad current record is refused",
          "[gateway][security][tokens]") {
  TempDir dir{"tokens", TempDir::Made::created};
  const fs::path path = dir.path / "tokens";
  {
    std::ofstream out(path, std::ios::binary);
    out << "carebroker-tokens 2\n"
        << R"({"hash":")" << sha256_hex("officer-token") << R"(","role":"officer","subject":"","name":"officer-1"})" << "\n";
  }
  TokenStore store;
  std::string error;
  REQUIRE(store.open(path.string(), error));
  const auto who = store.authenticate("officer-token");
  REQUIRE(who);
  CHECK(who->name == "officer-1");
  const std::string text = read_file(path);
  CHECK(text == "carebroker-tokens 3\n" + carebroker::gateway::token_file::write_record(sha256_hex("officer-token"), store.list()[0]) + "\n");
  CHECK(text.find("\"expires_at\":null") != std::string::npos);  // a token that worked keeps working

  const std::string hash = std::string(64, 'c');
  const std::string good = R"({"id":"0123456789ab","hash":")" + hash +
                           R"(","user":"u","role":"officer","subject":"","issued_at":1,"expires_at":null,"revoked_at":null,"replaces":null})";
  struct Case {
    std::string record;
    std::string why;
  };
  for (const Case& c : std::vector<Case>{
           {R"({"id":"XYZ","hash":")" + hash + R"(","user":"u","role":"officer","subject":"","issued_at":1,"expires_at":null,"revoked_at":null,"replaces":null})", "the id is not 12 lowercase hex"},
           {R"({"id":"0123456789ab","hash":")" + hash + R"(","user":"u","role":"officer","subject":"","issued_at":"now","expires_at":null,"revoked_at":null,"replaces":null})", "field 'issued_at' must be a time"},
           {R"({"id":"0123456789ab","hash":")" + hash + R"(","user":"u","role":"officer","subject":"","issued_at":1,"expires_at":null,"revoked_at":null})", "field 'replaces'"},
           {R"({"id":"0123456789ab","hash":")" + hash + R"(","name":"u","role":"officer","subject":"","issued_at":1,"expires_at":null,"revoked_at":null,"replaces":null})", "unknown field 'name'"},
           {good + "\n" + good, "the id 0123456789ab is used twice"},
       }) {
    {
      std::ofstream out(path, std::ios::binary | std::ios::trunc);
      out << "carebroker-tokens 3\n" << c.record << "\n";
    }
    TokenStore bad;
    INFO(c.record);
    CHECK(!bad.open(path.string(), error));
    INFO(error);
    CHECK(error.find(path.string() + ":") == 0);
    CHECK(error.find(c.why) != std::string::npos);
    CHECK(error.find(hash) == std::string::npos);  // a hash is never printed
    CHECK(bad.empty());
  }
}
