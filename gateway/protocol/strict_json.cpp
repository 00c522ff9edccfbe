// The strict reading of a JSON text frame against the wire schema (strict_json.h).
#include "gateway/protocol/strict_json.h"

#include <boost/json.hpp>
#include <boost/json/basic_parser_impl.hpp>  // basic_parser with our own handler
#include <flatbuffers/idl.h>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <optional>
#include <vector>

#include "engine/market/codes.h"
#include "gateway/gateway_codes.h"

namespace carebroker::gateway::protocol {

namespace {

namespace fb = flatbuffers;
namespace json = boost::json;

/// ClientFrame → message → a vector's elements: a client frame never nests deeper.
constexpr std::size_t kMaxDepth = 8;
/// The field that carries money, in every table of the schema.
constexpr std::string_view kMoneyField = "price";

ProtocolError refuse(std::string_view code, std::string detail, std::string request_id = {}) {
  return ProtocolError{std::string(code), std::move(detail), std::move(request_id)};
}

ProtocolError malformed(std::string detail) { return refuse(to_string(GatewayCode::malformed_frame), std::move(detail)); }

std::string shown(std::string_view text) {
  return text.size() > 40 ? std::string(text.substr(0, 40)) + "…" : std::string(text);
}

/// A Boost.JSON basic_parser handler that builds the value (as boost::json::parser does) and
/// also: refuses a key seen twice in one object (after unescaping, so "pri\u0063e" is "price"),
/// remembers which numbers were written as integers too large for 64 bits (Boost makes them
/// doubles), and remembers enough to name a bad price when the text is not JSON at all.
class Builder {
 public:
  static constexpr std::size_t max_object_size = json::object::max_size();
  static constexpr std::size_t max_array_size = json::array::max_size();
  static constexpr std::size_t max_key_size = json::string::max_size();
  static constexpr std::size_t max_string_size = json::string::max_size();

  json::value_stack stack;
  std::vector<double> integer_literals;  ///< numbers written as integers that do not fit 64 bits
  std::string duplicate_key;             ///< set when the parse stopped at a repeated key
  bool in_price = false;                 ///< the parser is inside the value of a "price" member
  std::string request_id;                ///< the message's request id, once read

  bool on_document_begin(json::error_code&) {
    stack.reset();
    return true;
  }
  bool on_document_end(json::error_code&) { return true; }
  bool on_object_begin(json::error_code&) {
    in_price = false;
    keys_.emplace_back();
    return true;
  }
  bool on_object_end(std::size_t n, json::error_code&) {
    in_price = false;
    keys_.pop_back();
    stack.push_object(n);
    return true;
  }
  bool on_array_begin(json::error_code&) {
    in_price = false;
    keys_.emplace_back();  // a level, so that "the message's request id" stays exact
    return true;
  }
  bool on_array_end(std::size_t n, json::error_code&) {
    keys_.pop_back();
    stack.push_array(n);
    return true;
  }
  bool on_key_part(json::string_view s, std::size_t, json::error_code&) {
    key_.append(s.data(), s.size());
    stack.push_chars(s);
    return true;
  }
  bool on_key(json::string_view s, std::size_t, json::error_code& ec) {
    key_.append(s.data(), s.size());
    auto& seen = keys_.back();
    if (std::find(seen.begin(), seen.end(), key_) != seen.end()) {
      duplicate_key = key_;
      ec = json::error::syntax;
      return false;
    }
    seen.push_back(key_);
    in_price = key_ == kMoneyField;
    last_key_ = std::move(key_);
    key_.clear();
    stack.push_key(s);
    return true;
  }
  bool on_string_part(json::string_view s, std::size_t, json::error_code&) {
    in_price = false;
    string_.append(s.data(), s.size());
    stack.push_chars(s);
    return true;
  }
  bool on_string(json::string_view s, std::size_t, json::error_code&) {
    in_price = false;
    string_.append(s.data(), s.size());
    // The message's request id: ClientFrame (level 1) → message (level 2) → "request_id".
    if (keys_.size() == 2 && last_key_ == "request_id" && request_id.empty()) request_id = string_;
    string_.clear();
    stack.push_string(s);
    return true;
  }
  bool on_number_part(json::string_view s, json::error_code&) {
    number_.append(s.data(), s.size());
    return true;
  }
  bool on_int64(std::int64_t i, json::string_view, json::error_code&) {
    number_.clear();
    stack.push_int64(i);
    return true;
  }
  bool on_uint64(std::uint64_t u, json::string_view, json::error_code&) {
    number_.clear();
    stack.push_uint64(u);
    return true;
  }
  bool on_double(double d, json::string_view s, json::error_code&) {
    number_.append(s.data(), s.size());
    if (number_.find_first_of(".eE") == std::string::npos) integer_literals.push_back(d);
    number_.clear();
    stack.push_double(d);
    return true;
  }
  bool on_bool(bool b, json::error_code&) {
    in_price = false;
    stack.push_bool(b);
    return true;
  }
  bool on_null(json::error_code&) {
    in_price = false;
    stack.push_null();
    return true;
  }
  bool on_comment_part(json::string_view, json::error_code&) { return true; }
  bool on_comment(json::string_view, json::error_code&) { return true; }

 private:
  std::vector<std::vector<std::string>> keys_;  // the keys of each open object (arrays: none)
  std::string key_, last_key_, string_, number_;
};

/// How a number was written, as far as the schema cares.
bool written_as_integer(const json::value& v, const std::vector<double>& integer_literals) {
  if (v.is_int64() || v.is_uint64()) return true;
  return v.is_double() &&
         std::find(integer_literals.begin(), integer_literals.end(), v.get_double()) != integer_literals.end();
}

struct IntegerRange {
  std::int64_t min;
  std::uint64_t max;
  const char* name;
};

IntegerRange range_of(fb::BaseType t) {
  switch (t) {
    case fb::BASE_TYPE_CHAR: return {INT8_MIN, INT8_MAX, "byte"};
    case fb::BASE_TYPE_UTYPE:
    case fb::BASE_TYPE_UCHAR: return {0, UINT8_MAX, "ubyte"};
    case fb::BASE_TYPE_SHORT: return {INT16_MIN, INT16_MAX, "short"};
    case fb::BASE_TYPE_USHORT: return {0, UINT16_MAX, "ushort"};
    case fb::BASE_TYPE_INT: return {INT32_MIN, INT32_MAX, "int"};
    case fb::BASE_TYPE_UINT: return {0, UINT32_MAX, "uint"};
    case fb::BASE_TYPE_LONG: return {INT64_MIN, INT64_MAX, "long"};
    default: return {0, UINT64_MAX, "ulong"};
  }
}

/// Walks a parsed frame against the schema; the first problem wins.
class SchemaWalk {
 public:
  SchemaWalk(const std::vector<double>& integer_literals, std::string request_id)
      : integer_literals_(integer_literals), request_id_(std::move(request_id)) {}

  std::optional<ProtocolError> table(const json::object& o, const fb::StructDef& def, const std::string& path) {
    for (const auto& member : o) {
      const std::string key(member.key());
      const fb::FieldDef* field = def.fields.Lookup(key);
      if (!field || field->deprecated) return malformed("unknown field " + path + shown(key) + " in " + def.name);
      const fb::Type& type = field->value.type;
      if (type.base_type == fb::BASE_TYPE_UNION) {
        const json::value* tag = o.if_contains(key + fb::UnionTypeFieldSuffix());
        if (!tag || !tag->is_string())
          return malformed(path + key + fb::UnionTypeFieldSuffix() + " must name the type of " + path + key);
        const fb::EnumVal* chosen = type.enum_def->Lookup(std::string(tag->get_string()));
        if (!chosen || chosen->IsZero() || !chosen->union_type.struct_def)
          return malformed("unknown message type \"" + shown(tag->get_string()) + "\"");
        if (!member.value().is_object()) return malformed(path + key + " must be an object");
        if (auto e = table(member.value().get_object(), *chosen->union_type.struct_def, path + key + "."))
          return e;
        continue;
      }
      if (auto e = value(member.value(), type, field->name, path + key)) return e;
    }
    return std::nullopt;
  }

 private:
  std::optional<ProtocolError> value(const json::value& v, const fb::Type& type, const std::string& name,
                                     const std::string& path) {
    const fb::BaseType t = type.base_type;
    if (name == kMoneyField && fb::IsInteger(t) && !fb::IsBool(t) && !type.enum_def) return money(v, path);
    if (fb::IsBool(t)) {
      if (!v.is_bool()) return malformed(path + " must be true or false");
      return std::nullopt;
    }
    if (t == fb::BASE_TYPE_UTYPE || (fb::IsInteger(t) && type.enum_def)) {
      if (!v.is_string() || !type.enum_def->Lookup(std::string(v.get_string())))
        return malformed(path + " must be one of the names of " + type.enum_def->name + " (a string)");
      return std::nullopt;
    }
    if (fb::IsInteger(t)) return integer(v, range_of(t), path);
    if (fb::IsFloat(t)) {
      if (!v.is_number()) return malformed(path + " must be a JSON number");
      return std::nullopt;
    }
    switch (t) {
      case fb::BASE_TYPE_STRING:
        if (!v.is_string()) return malformed(path + " must be a string");
        return std::nullopt;
      case fb::BASE_TYPE_VECTOR:
      case fb::BASE_TYPE_ARRAY: {
        if (!v.is_array()) return malformed(path + " must be an array");
        const fb::Type element = type.VectorType();
        std::size_t i = 0;
        for (const auto& item : v.get_array())
          if (auto e = value(item, element, "", path + "[" + std::to_string(i++) + "]")) return e;
        return std::nullopt;
      }
      case fb::BASE_TYPE_STRUCT:
        if (!v.is_object()) return malformed(path + " must be an object");
        return table(v.get_object(), *type.struct_def, path + ".");
      default:
        return malformed(path + " has a type a client frame cannot carry");
    }
  }

  std::optional<ProtocolError> integer(const json::value& v, const IntegerRange& range, const std::string& path) {
    const std::string what = path + " must be a JSON integer (" + range.name + ")";
    if (v.is_int64()) {
      const std::int64_t i = v.get_int64();
      if (i < range.min || (i > 0 && static_cast<std::uint64_t>(i) > range.max)) return malformed(what + ": out of range");
      return std::nullopt;
    }
    if (v.is_uint64()) {
      if (v.get_uint64() > range.max) return malformed(what + ": out of range");
      return std::nullopt;
    }
    if (v.is_double() && written_as_integer(v, integer_literals_)) {
      if (v.get_double() == 0) return std::nullopt;  // -0
      return malformed(what + ": out of range");
    }
    return malformed(what);
  }

  /// Money is a JSON integer of pence, ≥ 1. Anything else is refused with its own code and the
  /// frame's request id, so the provider knows which request it was.
  std::optional<ProtocolError> money(const json::value& v, const std::string& path) {
    const auto not_whole = [&] {
      return refuse(to_string(GatewayCode::price_not_whole_pence),
                    path + " must be a whole number of pence written as a JSON integer (2850 for £28.50), "
                           "not a string, a fraction or an exponent",
                    request_id_);
    };
    const auto not_positive = [&] {
      return refuse(engine::to_string(engine::Code::price_not_positive), path + " must be a positive number of pence",
                    request_id_);
    };
    const auto too_big = [&] {
      return refuse(engine::to_string(engine::Code::price_outside_rate_band),
                    path + " does not fit any rate band", request_id_);
    };
    if (v.is_int64()) {
      if (v.get_int64() <= 0) return not_positive();
      return std::nullopt;
    }
    if (v.is_uint64()) return too_big();
    if (v.is_double() && written_as_integer(v, integer_literals_)) return v.get_double() <= 0 ? not_positive() : too_big();
    return not_whole();
  }

  const std::vector<double>& integer_literals_;
  std::string request_id_;
};

}  // namespace

std::variant<std::string, ProtocolError> canonical_client_json(std::string_view frame, const fb::Parser& schema) {
  json::parse_options options;
  options.max_depth = kMaxDepth;
  options.allow_comments = false;
  options.allow_trailing_commas = false;
  options.allow_invalid_utf8 = false;
  json::basic_parser<Builder> parser(options);
  json::error_code ec;
  const std::size_t used = parser.write_some(false, frame.data(), frame.size(), ec);
  Builder& built = parser.handler();
  if (!ec && used != frame.size()) ec = json::error::extra_data;
  if (ec) {
    if (!built.duplicate_key.empty())
      return malformed("the key \"" + shown(built.duplicate_key) + "\" appears twice in one object");
    // Not JSON at all inside a price's value: +3333, 0x10, 02850 are not JSON numbers.
    if (built.in_price && ec != json::error::incomplete)
      return refuse(to_string(GatewayCode::price_not_whole_pence),
                    "price must be a whole number of pence written as a JSON integer (2850 for £28.50); the text at "
                    "byte " + std::to_string(used) + " is not one",
                    built.request_id);
    return malformed("not a strict JSON text (RFC 8259): " + ec.message() + " at byte " + std::to_string(used));
  }
  const json::value root = built.stack.release();
  if (!root.is_object()) return malformed("a text frame is one JSON object of schemas/wire.fbs (ClientFrame)");
  std::string request_id;
  if (const json::value* message = root.get_object().if_contains("message"); message && message->is_object())
    if (const json::value* id = message->get_object().if_contains("request_id"); id && id->is_string())
      request_id = std::string(id->get_string());
  SchemaWalk walk(built.integer_literals, std::move(request_id));
  if (auto e = walk.table(root.get_object(), *schema.root_struct_def_, "")) return *e;
  return json::serialize(root);
}

}  // namespace carebroker::gateway::protocol
