// Who is calling: bearer tokens, stored only as SHA-256 hashes and compared in constant time,
// each belonging to a named user with a role (and, for providers, one provider and so its
// locations), with a stable public id, an issue time, an optional expiry, a revocation time and
// the token it replaced when rotated. The file format (and the older formats still read) is in
// gateway/token_file.h. Thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace carebroker::gateway {

/// The longest token name or subject, in characters.
inline constexpr std::size_t kMaxTokenNameChars = 200;
/// The longest lifetime a token may be issued with, in days (ten years).
inline constexpr int kMaxTokenLifetimeDays = 3650;

enum class Role : std::uint8_t { admin, officer, compliance, provider };
std::string_view to_string(Role);
bool parse(std::string_view, Role&);

struct Principal {
  Role role = Role::provider;
  std::string subject;   ///< provider id for Role::provider; empty otherwise
  std::string name;      ///< the user: recorded as who acted on every decision ("brokerage-officer-1")
  std::string token_id;  ///< the presented token's public id (rotation); empty for tokens not from a store
};

/// Wall-clock milliseconds since the Unix epoch (UTC). Token expiry runs on the real clock,
/// never on a simulation's market clock.
using WallMillis = std::int64_t;

/// What is kept about one token besides its hash; what GET /api/v1/tokens lists.
struct TokenRecord {
  std::string id;  ///< 12 lowercase hex digits, not secret: names the token to list and revoke it
  Principal who;   ///< role, subject and user (token_id = id)
  std::optional<WallMillis> issued_at;   ///< nullopt: migrated from a format that did not keep it
  std::optional<WallMillis> expires_at;  ///< nullopt: never expires
  std::optional<WallMillis> revoked_at;  ///< nullopt: not revoked; later than now: a rotated token's grace
  std::string replaces;                  ///< the id of the token this one replaced by rotation, or ""
  std::string replaced_by;               ///< the id of the token that replaced this one, or "" (derived)
};

/// How long tokens live.
struct TokenPolicy {
  int lifetime_days = 90;            ///< a token issued without expires_in_days (0 = never expires)
  int rotation_grace_seconds = 300;  ///< a rotated token still works this long (a lost reply is not a lock-out)
};

enum class AuthFailure : std::uint8_t { none, missing, unknown, expired, revoked };

struct Authentication {
  std::optional<Principal> who;
  AuthFailure failure = AuthFailure::none;
  std::optional<WallMillis> at;  ///< when an expired token expired or a revoked one was revoked
};

struct IssuedToken {
  std::string token;  ///< in clear: the only time it exists so
  TokenRecord record;
};

/// The outcome of revoke and rotate.
enum class TokenChange : std::uint8_t {
  done,
  already_revoked,  ///< revoke: the record as it was (revoking again changes nothing)
  unknown,          ///< no token with that id
  already_rotated,  ///< rotate: the token has a replacement already
  last_admin,       ///< revoke: it is the last admin token that works
  store_failed,     ///< the tokens file could not be rewritten: nothing changed
};

class TokenStore {
 public:
  /// Loads `path` if it exists. An unreadable file or a bad record is an error naming the file
  /// and line ("data/tokens:3: …"), never silently skipped. A file in an older format is
  /// rewritten in the current one; the file is made 0600.
  bool open(const std::string& path, std::string& error);
  void set_policy(TokenPolicy policy);
  /// The wall clock (tests): milliseconds since the epoch.
  void set_clock(std::function<WallMillis()> now);
  bool empty() const;
  /// The store's wall clock now (the system clock unless set_clock gave another).
  WallMillis now() const;
  /// Issues a new random token (32 bytes, hex) and saves its hash. `lifetime_days`: nullopt = the
  /// policy's default, 0 = never expires. The token is in the answer: the only time it exists in clear.
  std::optional<IssuedToken> issue(const Principal& who, std::optional<int> lifetime_days, std::string& error);
  /// The same with the default lifetime; the token only.
  std::optional<std::string> issue(const Principal& who, std::string& error);
  /// Who a presented token belongs to, or why it does not count.
  Authentication check(std::string_view token) const;
  /// The principal a presented token belongs to; nullopt for an unknown, expired or revoked token.
  std::optional<Principal> authenticate(std::string_view token) const { return check(token).who; }
  /// Every token, in issue order.
  std::vector<TokenRecord> list() const;
  /// Revokes the token `id` now; `out` is its record afterwards. A token revoked already gets
  /// already_revoked and stays as it was; a rotated token in its grace is revoked now (done).
  /// The last admin token that works is not revoked (last_admin): someone must be able to issue.
  TokenChange revoke(std::string_view id, TokenRecord& out, std::string& error);
  /// Replaces the token `id` with a new one for the same user, role and subject and the same
  /// lifetime; the old one stops working after the policy's grace.
  TokenChange rotate(std::string_view id, std::optional<IssuedToken>& out, std::string& error);
  /// "Bearer abc…" → "abc…"; empty when the header is not a bearer token.
  static std::string_view bearer(std::string_view authorization);

 private:
  struct Entry {
    std::string hash;  // hex SHA-256 of the token
    TokenRecord record;
  };
  bool save(std::string& error) const;
  std::optional<IssuedToken> add(const Principal& who, std::optional<WallMillis> expires_at, std::string replaces,
                                 std::string& error);
  TokenRecord with_replacement(const TokenRecord& r) const;
  mutable std::mutex mutex_;
  std::string path_;
  TokenPolicy policy_;
  std::function<WallMillis()> clock_;
  std::vector<Entry> entries_;  // guarded by mutex_
};

std::string sha256_hex(std::string_view data);

}  // namespace carebroker::gateway
