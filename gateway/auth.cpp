// Bearer tokens: random, hashed at rest, compared in constant time.
#include "gateway/auth.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <boost/json.hpp>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <utility>
#include <vector>

#include "gateway/text_checks.h"

namespace carebroker::gateway {
namespace {

namespace json = boost::json;

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

constexpr std::string_view kTokensHeaderWord = "carebroker-tokens";
constexpr std::string_view kTokensHeader = "carebroker-tokens 2";

/// `s` for an error message: control characters and non-ASCII bytes as \xNN, at most 80 bytes.
std::string printable(std::string_view s) {
  std::string out;
  for (unsigned char c : s.substr(0, 80)) {
    if (c >= 0x20 && c < 0x7F) {
      out.push_back(static_cast<char>(c));
    } else {
      out += "\\x";
      out.push_back("0123456789abcdef"[c >> 4]);
      out.push_back("0123456789abcdef"[c & 15]);
    }
  }
  return s.size() > 80 ? out + "…" : out;
}

bool is_hash(std::string_view s) {
  return s.size() == 64 &&
         std::all_of(s.begin(), s.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

/// One record: a JSON object {hash, role, subject, name} (or, in the first format, the four
/// fields separated by tabs). False with `why` when it is not a well-formed record.
bool read_record(const std::string& line, bool first_format, std::string& hash, Principal& who, std::string& why) {
  std::string role;
  if (first_format) {
    std::vector<std::string> fields;
    std::size_t start = 0;
    for (std::size_t tab; (tab = line.find('\t', start)) != std::string::npos; start = tab + 1)
      fields.push_back(line.substr(start, tab - start));
    fields.push_back(line.substr(start));
    if (fields.size() != 4) {
      why = "not a token record: expected 4 tab-separated fields (hash, role, subject, name), found " +
            std::to_string(fields.size());
      return false;
    }
    hash = fields[0];
    role = fields[1];
    who.subject = fields[2];
    who.name = fields[3];
  } else {
    boost::system::error_code ec;
    const json::value v = json::parse(line, ec);
    const json::object* o = ec ? nullptr : v.if_object();
    if (!o) {
      why = "not a token record: not a JSON object";
      return false;
    }
    for (const auto& kv : *o)
      if (kv.key() != "hash" && kv.key() != "role" && kv.key() != "subject" && kv.key() != "name") {
        why = "not a token record: unknown field '" + printable(kv.key()) + "'";
        return false;
      }
    for (const auto& [key, out] : {std::pair{"hash", &hash}, std::pair{"role", &role},
                                   std::pair{"subject", &who.subject}, std::pair{"name", &who.name}}) {
      const json::value* f = o->if_contains(key);
      if (!f || !f->is_string()) {
        why = std::string("not a token record: field '") + key + "' must be a string";
        return false;
      }
      out->assign(f->get_string().data(), f->get_string().size());
    }
  }
  if (!is_hash(hash)) {
    why = "not a token record: the hash is not 64 lowercase hex digits";
    return false;
  }
  if (!parse(role, who.role)) {
    why = "not a token record: unknown role '" + printable(role) + "'";
    return false;
  }
  if ((who.role == Role::provider) == who.subject.empty()) {
    why = who.role == Role::provider ? "not a token record: a provider token without its provider"
                                     : "not a token record: a subject on a token that is not a provider's";
    return false;
  }
  for (const auto& [field, value] : {std::pair{"subject", &who.subject}, std::pair{"name", &who.name}})
    // The escaped format keeps any text safe, but the first format's fields end at a tab or a
    // line break: there a control character means the record was forged or damaged.
    if (first_format)
      if (std::string problem = text_problem(*value, TextForm::line, kMaxTokenNameChars); !problem.empty()) {
        why = std::string("not a token record: the ") + field + " " + problem;
        return false;
      }
  return true;
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
  bool first_format = false;
  while (std::getline(in, line)) {
    ++number;
    std::string why;
    if (number == 1 && line.rfind(kTokensHeaderWord, 0) != 0) first_format = true;
    if (number == 1 && !first_format) {
      if (line != kTokensHeader)
        why = "unsupported tokens file header '" + printable(line) + "' (expected '" + std::string(kTokensHeader) + "')";
    } else {
      Entry e;
      if (read_record(line, first_format, e.hash, e.who, why)) entries_.push_back(std::move(e));
    }
    if (!why.empty()) {
      error = path + ":" + std::to_string(number) + ": " + why;
      entries_.clear();
      return false;
    }
  }
  if (in.bad()) {
    error = path + ": cannot read the tokens file";
    entries_.clear();
    return false;
  }
  if (first_format && !save(error)) {  // migrate: the next reader sees only the escaped format
    error = "cannot rewrite the tokens file in the current format: " + error;
    entries_.clear();
    return false;
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
  std::string text = std::string(kTokensHeader) + "\n";
  for (const auto& e : entries_) {
    json::object record;
    record["hash"] = e.hash;
    record["role"] = to_string(e.who.role);
    record["subject"] = e.who.subject;
    record["name"] = e.who.name;
    text += json::serialize(record);  // escapes every control character: one record, one line
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
