// Who is calling: bearer tokens, stored only as SHA-256 hashes and compared in constant time,
// each bound to a role (and, for providers, to one provider and so its locations).
// Tokens live in a small file in the data directory, rewritten atomically. Thread-safe.
#pragma once

#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace carebroker::gateway {

enum class Role : std::uint8_t { admin, officer, compliance, provider };
std::string_view to_string(Role);
bool parse(std::string_view, Role&);

struct Principal {
  Role role = Role::provider;
  std::string subject;  ///< provider id for Role::provider; empty otherwise
  std::string name;     ///< who, for logs ("brokerage-officer-1")
};

class TokenStore {
 public:
  /// Loads `path` if it exists. An unreadable file is an error (never silently empty).
  bool open(const std::string& path, std::string& error);
  bool empty() const;
  /// Issues a new random token (32 bytes, hex) and saves its hash. Returns the token — the only
  /// time it exists in clear.
  std::optional<std::string> issue(const Principal& who, std::string& error);
  /// The principal a presented token belongs to; nullopt for an unknown token.
  std::optional<Principal> authenticate(std::string_view token) const;
  /// "Bearer abc…" → "abc…"; empty when the header is not a bearer token.
  static std::string_view bearer(std::string_view authorization);

 private:
  struct Entry {
    std::string hash;  // hex SHA-256 of the token
    Principal who;
  };
  bool save(std::string& error) const;
  mutable std::mutex mutex_;
  std::string path_;
  std::vector<Entry> entries_;  // guarded by mutex_
};

std::string sha256_hex(std::string_view data);

}  // namespace carebroker::gateway
