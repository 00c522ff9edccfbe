// Who is calling: bearer tokens, stored only as SHA-256 hashes and compared in constant time,
// each bound to a role (and, for providers, to one provider and so its locations).
// Tokens live in a small private file (0600) in the data directory, rewritten atomically:
//   carebroker-tokens 2
//   {"hash":"<64 hex>","role":"provider","subject":"P-1","name":"rostering P-1"}
// one JSON object per line after the header, so every string is escaped and no name can add a
// record. A file in the first format (no header; hash, role, subject, name separated by tabs)
// is still read when every line is well-formed, and rewritten in the new format at once.
// A line that is not a well-formed record stops open() with the file and line number.
// Thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace carebroker::gateway {

/// The longest token name or subject, in characters.
inline constexpr std::size_t kMaxTokenNameChars = 200;

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
  /// Loads `path` if it exists. An unreadable file or a bad record is an error naming the file
  /// and line ("data/tokens:3: …"), never silently skipped. A first-format file is rewritten in
  /// the current format; the file is made 0600.
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
