// Bearer tokens: random, hashed at rest, compared in constant time.
#include "gateway/auth.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace carebroker::gateway {
namespace {

std::string hex(const unsigned char* p, std::size_t n) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string out;
  out.reserve(2 * n);
  for (std::size_t i = 0; i < n; ++i) {
    out.push_back(digits[p[i] >> 4]);
    out.push_back(digits[p[i] & 15]);
  }
  return out;
}

}  // namespace

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
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  EVP_Digest(data.data(), data.size(), digest, &size, EVP_sha256(), nullptr);
  return hex(digest, size);
}

std::string_view TokenStore::bearer(std::string_view authorization) {
  constexpr std::string_view prefix = "Bearer ";
  if (authorization.size() <= prefix.size() || authorization.substr(0, prefix.size()) != prefix) return {};
  return authorization.substr(prefix.size());
}

bool TokenStore::open(const std::string& path, std::string& error) {
  std::lock_guard lock(mutex_);
  path_ = path;
  entries_.clear();
  std::ifstream in(path);
  if (!in) return true;  // no file yet: no tokens
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (line.empty()) continue;
    std::istringstream fields(line);
    std::string hash, role, subject, name;
    std::getline(fields, hash, '\t');
    std::getline(fields, role, '\t');
    std::getline(fields, subject, '\t');
    std::getline(fields, name);
    Entry e;
    e.hash = hash;
    e.who.subject = subject;
    e.who.name = name;
    if (hash.size() != 64 || !parse(role, e.who.role)) {
      error = path + ":" + std::to_string(number) + ": not a token record";
      entries_.clear();
      return false;
    }
    entries_.push_back(std::move(e));
  }
  return true;
}

bool TokenStore::empty() const {
  std::lock_guard lock(mutex_);
  return entries_.empty();
}

std::optional<std::string> TokenStore::issue(const Principal& who, std::string& error) {
  unsigned char raw[32];
  if (RAND_bytes(raw, sizeof raw) != 1) {
    error = "no randomness available for a token";
    return std::nullopt;
  }
  std::string token = hex(raw, sizeof raw);
  std::lock_guard lock(mutex_);
  entries_.push_back(Entry{sha256_hex(token), who});
  if (!save(error)) {
    entries_.pop_back();
    return std::nullopt;
  }
  return token;
}

std::optional<Principal> TokenStore::authenticate(std::string_view token) const {
  if (token.empty() || token.size() > 256) return std::nullopt;
  const std::string hash = sha256_hex(token);
  std::lock_guard lock(mutex_);
  std::optional<Principal> found;
  for (const auto& e : entries_)  // every entry compared, in constant time
    if (CRYPTO_memcmp(e.hash.data(), hash.data(), hash.size()) == 0) found = e.who;
  return found;
}

bool TokenStore::save(std::string& error) const {
  if (path_.empty()) return true;  // in-memory (tests)
  const std::string temp = path_ + ".tmp";
  {
    std::ofstream out(temp, std::ios::trunc);
    for (const auto& e : entries_)
      out << e.hash << '\t' << to_string(e.who.role) << '\t' << e.who.subject << '\t' << e.who.name << '\n';
    out.flush();
    if (!out) {
      error = "cannot write " + temp;
      return false;
    }
  }
  if (FILE* f = std::fopen(temp.c_str(), "r+")) {  // make it durable before it replaces the old file
    fflush(f);
    (void)fsync(fileno(f));
    std::fclose(f);
  }
  std::error_code ec;
  std::filesystem::permissions(temp, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write, ec);
  std::filesystem::rename(temp, path_, ec);
  if (ec) {
    error = "cannot replace " + path_ + ": " + ec.message();
    return false;
  }
  return true;
}

}  // namespace carebroker::gateway
