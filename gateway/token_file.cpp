// The tokens file's records: the current format and the two older ones.
#include "gateway/token_file.h"

#include <openssl/rand.h>

#include <boost/json.hpp>

#include <algorithm>
#include <utility>
#include <vector>

#include "gateway/text_checks.h"

namespace carebroker::gateway::token_file {
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

bool lower_hex(std::string_view s, std::size_t size) {
  return s.size() == size &&
         std::all_of(s.begin(), s.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

/// The first format: hash, role, subject, name separated by tabs.
bool read_first_format(const std::string& line, std::string& hash, std::string& role, TokenRecord& r, std::string& why) {
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
  r.who.subject = fields[2];
  r.who.name = fields[3];
  // The escaped formats keep any text safe, but these fields end at a tab or a line break:
  // here a control character means the record was forged or damaged.
  for (const auto& [field, value] : {std::pair{"subject", &r.who.subject}, std::pair{"name", &r.who.name}})
    if (std::string problem = text_problem(*value, TextForm::line, kMaxTokenNameChars); !problem.empty()) {
      why = std::string("not a token record: the ") + field + " " + problem;
      return false;
    }
  return true;
}

/// A JSON record: exactly `strings` as strings and `times` as integers or null (`ids` as ids or null).
bool read_json(const std::string& line, Format format, std::string& hash, std::string& role, TokenRecord& r,
               std::string& why) {
  boost::system::error_code ec;
  const json::value v = json::parse(line, ec);
  const json::object* o = ec ? nullptr : v.if_object();
  if (!o) {
    why = "not a token record: not a JSON object";
    return false;
  }
  const bool current = format == Format::current;
  std::vector<std::pair<const char*, std::string*>> strings = {
      {"hash", &hash}, {"role", &role}, {"subject", &r.who.subject}, {current ? "user" : "name", &r.who.name}};
  if (current) strings.emplace_back("id", &r.id);
  const std::vector<std::pair<const char*, std::optional<WallMillis>*>> times = {
      {"issued_at", &r.issued_at}, {"expires_at", &r.expires_at}, {"revoked_at", &r.revoked_at}};
  for (const auto& kv : *o) {
    const auto named = [&](const auto& list) {
      return std::any_of(list.begin(), list.end(), [&](const auto& f) { return kv.key() == f.first; });
    };
    if (!named(strings) && !(current && (named(times) || kv.key() == "replaces"))) {
      why = "not a token record: unknown field '" + printable(kv.key()) + "'";
      return false;
    }
  }
  for (const auto& [key, out] : strings) {
    const json::value* f = o->if_contains(key);
    if (!f || !f->is_string()) {
      why = std::string("not a token record: field '") + key + "' must be a string";
      return false;
    }
    out->assign(f->get_string().data(), f->get_string().size());
  }
  if (!current) return true;
  for (const auto& [key, out] : times) {
    const json::value* f = o->if_contains(key);
    if (!f || !(f->is_null() || (f->is_int64() && f->get_int64() >= 0))) {
      why = std::string("not a token record: field '") + key + "' must be a time in milliseconds or null";
      return false;
    }
    if (f->is_int64()) *out = f->get_int64();
  }
  const json::value* replaces = o->if_contains("replaces");
  if (!replaces || !(replaces->is_null() || (replaces->is_string() && is_id(replaces->get_string())))) {
    why = "not a token record: field 'replaces' must be a token id or null";
    return false;
  }
  if (replaces->is_string()) r.replaces.assign(replaces->get_string().data(), replaces->get_string().size());
  if (!is_id(r.id)) {
    why = "not a token record: the id is not 12 lowercase hex digits";
    return false;
  }
  return true;
}

}  // namespace

std::string random_hex(std::size_t bytes) {
  std::vector<unsigned char> raw(bytes);
  if (RAND_bytes(raw.data(), static_cast<int>(raw.size())) != 1) return {};
  return hex(raw.data(), raw.size());
}

bool is_id(std::string_view s) { return lower_hex(s, 12); }

bool format_of(const std::string& first_line, Format& format, std::string& why) {
  if (first_line.rfind(kHeaderWord, 0) != 0) {
    format = Format::first;
    return true;
  }
  if (first_line == kHeader) {
    format = Format::current;
    return true;
  }
  if (first_line == kHeaderV2) {
    format = Format::v2;
    return true;
  }
  why = "unsupported tokens file header '" + printable(first_line) + "' (expected '" + std::string(kHeader) + "')";
  return false;
}

bool read_record(const std::string& line, Format format, std::string& hash, TokenRecord& r, std::string& why) {
  std::string role;
  if (!(format == Format::first ? read_first_format(line, hash, role, r, why) : read_json(line, format, hash, role, r, why)))
    return false;
  if (!lower_hex(hash, 64)) {
    why = "not a token record: the hash is not 64 lowercase hex digits";
    return false;
  }
  if (!parse(role, r.who.role)) {
    why = "not a token record: unknown role '" + printable(role) + "'";
    return false;
  }
  if ((r.who.role == Role::provider) == r.who.subject.empty()) {
    why = r.who.role == Role::provider ? "not a token record: a provider token without its provider"
                                       : "not a token record: a subject on a token that is not a provider's";
    return false;
  }
  return true;
}

std::string write_record(const std::string& hash, const TokenRecord& r) {
  const auto time = [](const std::optional<WallMillis>& t) { return t ? json::value(*t) : json::value(nullptr); };
  json::object o;
  o["id"] = r.id;
  o["hash"] = hash;
  o["user"] = r.who.name;
  o["role"] = to_string(r.who.role);
  o["subject"] = r.who.subject;
  o["issued_at"] = time(r.issued_at);
  o["expires_at"] = time(r.expires_at);
  o["revoked_at"] = time(r.revoked_at);
  o["replaces"] = r.replaces.empty() ? json::value(nullptr) : json::value(r.replaces);
  return json::serialize(o);  // escapes every control character: one record, one line
}

}  // namespace carebroker::gateway::token_file
