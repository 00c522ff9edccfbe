// Strict reading of JSON request bodies: every field is named, typed and bounded, unknown fields
// are refused (so a typo never passes silently), and every problem is a value — the HTTP status,
// a stable code and a detail that names the field — never an exception.
// Called by the REST converters (json_convert.h) and route handlers on the I/O thread.
// An ObjectReader is a short-lived value; not thread-safe.
#pragma once

#include <boost/json.hpp>

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "engine/market/codes.h"
#include "engine/market/types.h"
#include "gateway/gateway_codes.h"
#include "gateway/text_checks.h"

namespace carebroker::gateway::rest {

namespace json = boost::json;

/// The answer of a conversion: ok, or why the input was refused.
/// Codes: malformed_json (400); unknown_field, missing_field, wrong_type, invalid_value,
/// invalid_date, invalid_money (422).
struct [[nodiscard]] JsonStatus {
  int http = 200;
  std::string code;  ///< empty = ok
  std::string detail;
  bool ok() const { return code.empty(); }
};

JsonStatus input_error(int http, std::string code, std::string detail);
/// A gateway code at its own status, or a market rejection code at its HTTP status.
JsonStatus input_error(GatewayCode code, std::string detail);
JsonStatus input_error(engine::Code code, std::string detail);

/// The largest amount of money any request may carry: £10,000,000,000.00.
inline constexpr engine::Pence kMaxPence = 1'000'000'000'000;
/// The largest duration in milliseconds a request may carry (about 31 years).
inline constexpr std::int64_t kMaxMillis = 1'000'000'000'000;
/// Text limits: identifiers and short texts; free text (notes, addresses, reasons).
inline constexpr std::size_t kMaxCodeChars = 200;
inline constexpr std::size_t kMaxTextChars = 2000;
inline constexpr std::size_t kMaxListItems = 500;

/// Parses a request body. An empty body reads as {}; anything but a JSON object is refused.
JsonStatus parse_body(std::string_view text, json::value& out);

enum class Need : std::uint8_t { optional, required };

/// Reads the fields of one JSON object. The first problem is kept in the shared status and every
/// later call does nothing, so a converter reads straight through and checks the status once.
/// A missing required field is reported at finish() — after unknown fields, so that a misspelt
/// field name is reported as what it is. A JSON null counts as absent.
class ObjectReader {
 public:
  /// `where` prefixes field names in messages: "" for the body, "lots[0]." for a nested object.
  ObjectReader(const json::value& value, std::string where, JsonStatus& status);

  bool ok() const { return status_.ok(); }
  /// Present and not null.
  bool has(std::string_view key) const;
  /// The full name of a field for messages, e.g. "ranking.min_quality".
  std::string name(std::string_view key) const { return where_ + std::string(key); }

  /// A name or an identifier: valid UTF-8, one line (no control character: C0, DEL or C1), at
  /// most `max_chars` code points. Anything else is 422 invalid_value naming the field.
  void text(std::string_view key, std::string& out, Need, std::size_t max_chars = kMaxCodeChars);
  /// Free text (notes, reasons, addresses): as text(), but tabs and line breaks are allowed.
  void free_text(std::string_view key, std::string& out, Need, std::size_t max_chars = kMaxTextChars);
  void integer(std::string_view key, int& out, Need, int min, int max);
  void integer(std::string_view key, std::int64_t& out, Need, std::int64_t min, std::int64_t max);
  /// Integer pence, 0..kMaxPence: no fraction, no string, no negative.
  void pence(std::string_view key, engine::Pence& out, Need);
  void boolean(std::string_view key, bool& out, Need);
  /// "YYYY-MM-DD".
  void date(std::string_view key, engine::Date& out, Need);
  void dates(std::string_view key, std::vector<engine::Date>& out, Need);
  /// A string taken as it is, for a caller that applies a stricter rule of its own (backup names).
  void raw_text(std::string_view key, std::string& out, Need);
  /// A list of names or identifiers, each checked as text() does.
  void texts(std::string_view key, std::vector<std::string>& out, Need,
             std::size_t max_items = kMaxListItems, std::size_t max_chars = kMaxCodeChars);
  /// One of the enum's stable names (as printed by to_string).
  template <typename E>
  void choice(std::string_view key, E& out, Need need, std::initializer_list<E> values) {
    const json::value* v = field(key, need);
    if (!v) return;
    if (!v->is_string()) return wrong_type(key, "a string");
    std::string allowed;
    for (E candidate : values) {
      if (to_string(candidate) == std::string_view(v->get_string())) {
        out = candidate;
        return;
      }
      allowed += (allowed.empty() ? "" : ", ") + std::string(to_string(candidate));
    }
    fail(GatewayCode::invalid_value, "field '" + name(key) + "' must be one of " + allowed);
  }
  /// A nested object or array, for a nested reader; nullptr when absent (or after an error).
  const json::value* object(std::string_view key, Need);
  const json::array* array(std::string_view key, Need, std::size_t max_items = kMaxListItems);

  /// Refuses fields that were never asked for, then reports a missing required field.
  /// Call once, after reading every field.
  void finish();

  void fail(int http, std::string code, std::string detail);
  void fail(GatewayCode code, std::string detail);
  void fail(engine::Code code, std::string detail);
  void wrong_type(std::string_view key, std::string_view expected);

 private:
  const json::value* field(std::string_view key, Need need);
  void read_text(std::string_view key, std::string& out, Need, std::size_t max_chars, TextForm form);

  const json::object* object_ = nullptr;
  std::string where_;
  JsonStatus& status_;
  std::vector<std::string_view> seen_;
  std::string missing_;  ///< the first missing required field
};

}  // namespace carebroker::gateway::rest
