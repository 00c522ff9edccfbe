// Bearer tokens: random, hashed at rest, compared in constant time; issued, expired, revoked and rotated.
#include "gateway/auth.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <utility>
#include <vector>

#include "gateway/token_file.h"

namespace carebroker::gateway {

std::string_view to_string(Role r) {
  switch (r) {
    case Role::admin: return "admin";
    case Role::officer: return "officer";
    case Role::compliance: return "compliance";
    case Role::provider: return "provider";
  }
  return "unknown";
}

bool parse(std::string_view s, Role& r) {
  for (Role candidate : {Role::admin, Role::officer, Role::compliance, Role::provider})
    if (to_string(candidate) == s) {
      r = candidate;
      return true;
    }
  return false;
}

std::string sha256_hex(std::string_view data) {
  static constexpr char digits[] = "0123456789abcdef";
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  EVP_Digest(data.data(), data.size(), digest, &size, EVP_sha256(), nullptr);
  std::string out;
  for (unsigned int i = 0; i < size; ++i) {
    out.push_back(digits[digest[i] >> 4]);
    out.push_back(digits[digest[i] & 15]);
  }
  return out;
}

bool TokenStore::open(const std::string& path, std::string& error) {
  std::lock_guard lock(mutex_);
  path_ = path;
  entries_.clear();
  if (path.empty()) return true;  // in memory (tests)
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::error_code ec;
    if (!std::filesystem::exists(path, ec) && !ec) return true;  // no file yet: no tokens
    error = path + ": cannot read the tokens file";
    return false;
  }
  std::error_code ec;
  std::filesystem::permissions(path, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write,
                               std::filesystem::perm_options::replace, ec);  // 0600, even if it is refused below
  std::string line;
  int number = 0;
  token_file::Format format = token_file::Format::current;
  while (std::getline(in, line)) {
    ++number;
    std::string why;
    if (number == 1 && token_file::format_of(line, format, why) && format != token_file::Format::first) continue;
    Entry e;
    if (why.empty() && token_file::read_record(line, format, e.hash, e.record, why)) {
      if (format != token_file::Format::current) e.record.id = token_file::new_id();
      for (const Entry& other : entries_)
        if (other.record.id == e.record.id) why = "not a token record: the id " + e.record.id + " is used twice";
      if (e.record.id.empty()) why = "no randomness available for a token id";
    }
    if (!why.empty()) {
      error = path + ":" + std::to_string(number) + ": " + why;
      entries_.clear();
      return false;
    }
    e.record.who.token_id = e.record.id;
    entries_.push_back(std::move(e));
  }
  if (in.bad()) {
    error = path + ": cannot read the tokens file";
    entries_.clear();
    return false;
  }
  // Migrate: the next reader sees only the current format.
  if (format != token_file::Format::current && number > 0 && !save(error)) {
    error = "cannot rewrite the tokens file in the current format: " + error;
    entries_.clear();
    return false;
  }
  return true;
}

void TokenStore::set_policy(TokenPolicy policy) {
  std::lock_guard lock(mutex_);
  policy_ = policy;
}

void TokenStore::set_clock(std::function<WallMillis()> now) {
  std::lock_guard lock(mutex_);
  clock_ = std::move(now);
}

WallMillis TokenStore::now() const {
  if (clock_) return clock_();
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

bool TokenStore::empty() const {
  std::lock_guard lock(mutex_);
  return entries_.empty();
}

std::optional<IssuedToken> TokenStore::add(const Principal& who, std::optional<WallMillis> expires_at, std::string replaces,
                                           std::string& error) {
  IssuedToken issued;
  issued.token = token_file::random_hex(32);
  TokenRecord& r = issued.record;
  do r.id = token_file::new_id();
  while (!r.id.empty() && std::any_of(entries_.begin(), entries_.end(), [&](const Entry& e) { return e.record.id == r.id; }));
  if (issued.token.empty() || r.id.empty()) {
    error = "no randomness available for a token";
    return std::nullopt;
  }
  r.who = who;
  r.who.token_id = r.id;
  r.issued_at = now();
  r.expires_at = expires_at;
  r.replaces = std::move(replaces);
  entries_.push_back(Entry{sha256_hex(issued.token), r});
  if (!save(error)) {
    entries_.pop_back();
    return std::nullopt;
  }
  return issued;
}

std::optional<IssuedToken> TokenStore::issue(const Principal& who, std::optional<int> lifetime_days, std::string& error) {
  std::lock_guard lock(mutex_);
  const int days = lifetime_days.value_or(policy_.lifetime_days);
  std::optional<WallMillis> expires_at;
  if (days > 0) expires_at = now() + WallMillis{days} * 86'400'000;
  return add(who, expires_at, "", error);
}

std::optional<std::string> TokenStore::issue(const Principal& who, std::string& error) {
  auto issued = issue(who, std::nullopt, error);
  if (!issued) return std::nullopt;
  return std::move(issued->token);
}

Authentication TokenStore::check(std::string_view token) const {
  if (token.empty()) return {std::nullopt, AuthFailure::missing, std::nullopt};
  if (token.size() > 256) return {std::nullopt, AuthFailure::unknown, std::nullopt};
  const std::string hash = sha256_hex(token);
  std::lock_guard lock(mutex_);
  const Entry* found = nullptr;
  for (const auto& e : entries_)  // every entry compared, in constant time
    if (CRYPTO_memcmp(e.hash.data(), hash.data(), hash.size()) == 0) found = &e;
  if (!found) return {std::nullopt, AuthFailure::unknown, std::nullopt};
  const TokenRecord& r = found->record;
  const WallMillis t = now();
  if (r.revoked_at && t >= *r.revoked_at) return {std::nullopt, AuthFailure::revoked, r.revoked_at};
  if (r.expires_at && t >= *r.expires_at) return {std::nullopt, AuthFailure::expired, r.expires_at};
  return {r.who, AuthFailure::none, std::nullopt};
}

TokenRecord TokenStore::with_replacement(const TokenRecord& r) const {
  TokenRecord out = r;
  for (const auto& e : entries_)
    if (e.record.replaces == r.id) out.replaced_by = e.record.id;
  return out;
}

std::vector<TokenRecord> TokenStore::list() const {
  std::lock_guard lock(mutex_);
  std::vector<TokenRecord> out;
  out.reserve(entries_.size());
  for (const auto& e : entries_) out.push_back(with_replacement(e.record));
  return out;
}

TokenChange TokenStore::revoke(std::string_view id, TokenRecord& out, std::string& error) {
  std::lock_guard lock(mutex_);
  const WallMillis t = now();
  auto it = std::find_if(entries_.begin(), entries_.end(), [&](const Entry& e) { return e.record.id == id; });
  if (it == entries_.end()) return TokenChange::unknown;
  TokenRecord& r = it->record;
  if (r.revoked_at && *r.revoked_at <= t) {
    out = with_replacement(r);
    return TokenChange::already_revoked;
  }
  const auto works = [t](const TokenRecord& x) {
    return (!x.revoked_at || *x.revoked_at > t) && (!x.expires_at || *x.expires_at > t);
  };
  if (r.who.role == Role::admin && works(r) &&
      std::none_of(entries_.begin(), entries_.end(), [&](const Entry& e) {
        return &e.record != &r && e.record.who.role == Role::admin && works(e.record);
      }))
    return TokenChange::last_admin;
  const std::optional<WallMillis> before = r.revoked_at;
  r.revoked_at = t;
  if (!save(error)) {
    r.revoked_at = before;
    return TokenChange::store_failed;
  }
  out = with_replacement(r);
  return TokenChange::done;
}

TokenChange TokenStore::rotate(std::string_view id, std::optional<IssuedToken>& out, std::string& error) {
  std::lock_guard lock(mutex_);
  const WallMillis t = now();
  auto it = std::find_if(entries_.begin(), entries_.end(), [&](const Entry& e) { return e.record.id == id; });
  if (it == entries_.end()) return TokenChange::unknown;
  if (std::any_of(entries_.begin(), entries_.end(), [&](const Entry& e) { return e.record.replaces == id; }))
    return TokenChange::already_rotated;
  const TokenRecord old = it->record;
  if (old.revoked_at && *old.revoked_at <= t) return TokenChange::already_revoked;
  // The same lifetime as the old token had (none: never expires; migrated: the policy's).
  std::optional<WallMillis> expires_at;
  if (old.expires_at && old.issued_at) expires_at = t + (*old.expires_at - *old.issued_at);
  else if (old.expires_at && policy_.lifetime_days > 0) expires_at = t + WallMillis{policy_.lifetime_days} * 86'400'000;
  const std::size_t index = static_cast<std::size_t>(it - entries_.begin());
  entries_[index].record.revoked_at = t + WallMillis{policy_.rotation_grace_seconds} * 1000;
  auto issued = add(old.who, expires_at, old.id, error);  // saves both, or neither
  if (!issued) {
    entries_[index].record.revoked_at = old.revoked_at;
    return TokenChange::store_failed;
  }
  issued->record.who.token_id = issued->record.id;
  out = std::move(issued);
  return TokenChange::done;
}

std::string_view TokenStore::bearer(std::string_view authorization) {
  constexpr std::string_view prefix = "Bearer ";
  if (authorization.size() <= prefix.size() || authorization.substr(0, prefix.size()) != prefix) return {};
  return authorization.substr(prefix.size());
}

bool TokenStore::save(std::string& error) const {
  if (path_.empty()) return true;  // in-memory (tests)
  std::string text = std::string(token_file::kHeader) + "\n";
  for (const auto& e : entries_) {
    text += token_file::write_record(e.hash, e.record);
    text += '\n';
  }
  // Written 0600 from its first byte, made durable, then renamed over the old file.
  const std::string temp = path_ + ".tmp";
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) {
    error = "cannot write " + temp + ": " + std::strerror(errno);
    return false;
  }
  bool ok = ::fchmod(fd, 0600) == 0;
  for (std::size_t done = 0; ok && done < text.size();) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    ok = n > 0;
    if (ok) done += static_cast<std::size_t>(n);
  }
  ok = ok && ::fsync(fd) == 0;
  const int saved_errno = errno;
  ok = (::close(fd) == 0) && ok;
  if (!ok) {
    error = "cannot write " + temp + ": " + std::strerror(saved_errno);
    ::unlink(temp.c_str());
    return false;
  }
  if (::rename(temp.c_str(), path_.c_str()) != 0) {
    error = "cannot replace " + path_ + ": " + std::strerror(errno);
    ::unlink(temp.c_str());
    return false;
  }
  const std::string dir = std::filesystem::path(path_).parent_path().string();
  if (const int dfd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC); dfd >= 0) {
    (void)::fsync(dfd);  // the rename itself survives a crash
    ::close(dfd);
  }
  return true;
}

}  // namespace carebroker::gateway
