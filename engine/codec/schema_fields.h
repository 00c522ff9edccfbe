// The journal schema (schemas/journal.fbs) read at COMPILE time: its tables, their fields in slot
// order (name, type, default, deprecated) and its enums. The schema text is embedded by
// schemas/CMakeLists.txt (journal_schema_text.h) and parsed by constexpr code here, once, into
// kJournalSchema; table_codec.h pairs the N-th field of a C++ struct with the N-th live field of
// its table and static_asserts that their types agree. Nothing here runs at run time.
//
// The parser accepts the subset of the FlatBuffers IDL the journal uses: namespace, enum (values
// numbered 0, 1, 2 … — explicit values are refused), union, table (fields `name: type [= default]
// [(deprecated)];`), root_type, file_identifier, attribute, comments. Anything else (struct,
// explicit `id:` attributes, float defaults) makes kJournalSchema fail to compile, so the pairing
// can never silently misread the schema.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "schemas/journal_schema_text.h"

namespace carebroker::codec::schema {

struct FieldDecl {
  std::string_view name, type, default_value;  ///< default_value empty = none written
  bool deprecated = false;
};

struct TableDecl {
  std::string_view name;
  std::array<FieldDecl, 48> fields{};
  std::size_t count = 0;
};

struct EnumDecl {
  std::string_view name;
  std::array<std::string_view, 32> values{};
  std::size_t count = 0;
};

struct Schema {
  std::array<TableDecl, 112> tables{};
  std::size_t table_count = 0;
  std::array<EnumDecl, 24> enums{};
  std::size_t enum_count = 0;
  /// Non-empty: why the text could not be parsed (kJournalSchema's static_assert prints it).
  std::string_view error;

  /// The table's position in `tables`; table_count when there is none of that name. (An index,
  /// not a pointer, for constant expressions: GCC's UBSan makes a pointer's comparison with
  /// nullptr non-constant.)
  constexpr std::size_t table_index(std::string_view name) const {
    for (std::size_t i = 0; i < table_count; ++i)
      if (tables[i].name == name) return i;
    return table_count;
  }
  constexpr const TableDecl* table(std::string_view name) const {
    for (std::size_t i = 0; i < table_count; ++i)
      if (tables[i].name == name) return &tables[i];
    return nullptr;
  }
  constexpr const EnumDecl* enumeration(std::string_view name) const {
    for (std::size_t i = 0; i < enum_count; ++i)
      if (enums[i].name == name) return &enums[i];
    return nullptr;
  }
};

namespace detail {

constexpr bool is_ident(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '.' || c == '-' || c == '+';
}

/// Tokens: identifiers/numbers (letters, digits, _ . - +), string literals, single punctuation.
class Lexer {
 public:
  constexpr explicit Lexer(std::string_view text) : text_(text) {}

  constexpr std::string_view next() {
    skip_space();
    if (pos_ >= text_.size()) return {};
    const std::size_t start = pos_;
    const char c = text_[pos_];
    if (is_ident(c)) {
      while (pos_ < text_.size() && is_ident(text_[pos_])) ++pos_;
    } else if (c == '"') {
      ++pos_;
      while (pos_ < text_.size() && text_[pos_] != '"') ++pos_;
      ++pos_;
    } else {
      ++pos_;
    }
    return text_.substr(start, pos_ - start);
  }
  constexpr std::string_view peek() {
    const std::size_t saved = pos_;
    const std::string_view t = next();
    pos_ = saved;
    return t;
  }
  constexpr bool at_end() {
    skip_space();
    return pos_ >= text_.size();
  }

 private:
  constexpr void skip_space() {
    while (pos_ < text_.size()) {
      const char c = text_[pos_];
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
        ++pos_;
      } else if (c == '/' && pos_ + 1 < text_.size() && text_[pos_ + 1] == '/') {
        while (pos_ < text_.size() && text_[pos_] != '\n') ++pos_;
      } else {
        return;
      }
    }
  }

  std::string_view text_;
  std::size_t pos_ = 0;
};

constexpr void skip_statement(Lexer& lex) {
  while (!lex.at_end() && lex.next() != ";") {
  }
}

constexpr bool parse_enum(Lexer& lex, Schema& s) {
  if (s.enum_count == s.enums.size()) return false;
  EnumDecl& e = s.enums[s.enum_count++];
  e.name = lex.next();
  while (!lex.at_end() && lex.peek() != "{") lex.next();  // ": ubyte"
  lex.next();                                              // "{"
  for (std::string_view t = lex.next(); t != "}"; t = lex.next()) {
    if (t.empty() || t == "=" || e.count == e.values.size()) return false;
    if (t == ",") continue;
    e.values[e.count++] = t;
  }
  return true;
}

constexpr bool parse_table(Lexer& lex, Schema& s) {
  if (s.table_count == s.tables.size()) return false;
  TableDecl& t = s.tables[s.table_count++];
  t.name = lex.next();
  if (lex.next() != "{") return false;
  for (std::string_view name = lex.next(); name != "}"; name = lex.next()) {
    if (name.empty() || t.count == t.fields.size()) return false;
    FieldDecl& f = t.fields[t.count++];
    f.name = name;
    if (lex.next() != ":") return false;
    std::string_view type = lex.next();
    if (type == "[") {  // a vector: keep "[elem]" as one view of the text
      const std::string_view elem = lex.next();
      if (lex.next() != "]") return false;
      type = std::string_view(type.data(), static_cast<std::size_t>(elem.data() + elem.size() + 1 - type.data()));
    }
    f.type = type;
    std::string_view t2 = lex.next();
    if (t2 == "=") {
      f.default_value = lex.next();
      for (const char c : f.default_value)
        if (c == '.') return false;  // floating-point defaults: not supported
      t2 = lex.next();
    }
    if (t2 == "(") {
      if (lex.next() != "deprecated" || lex.next() != ")") return false;
      f.deprecated = true;
      t2 = lex.next();
    }
    if (t2 != ";") return false;
  }
  return true;
}

constexpr Schema parse(std::string_view text) {
  Schema s;
  Lexer lex(text);
  while (!lex.at_end()) {
    const std::string_view word = lex.next();
    if (word == "namespace" || word == "root_type" || word == "file_identifier" ||
        word == "attribute" || word == "include") {
      skip_statement(lex);
    } else if (word == "enum") {
      if (!parse_enum(lex, s)) {
        s.error = "cannot parse an enum (explicit values?)";
        return s;
      }
    } else if (word == "union") {
      while (!lex.at_end() && lex.next() != "}") {
      }
    } else if (word == "table") {
      if (!parse_table(lex, s)) {
        s.error = "cannot parse a table field (struct? id:? a float default?)";
        return s;
      }
    } else {
      s.error = "unsupported declaration in journal.fbs";
      return s;
    }
  }
  return s;
}

}  // namespace detail

inline constexpr Schema kJournalSchema = detail::parse(carebroker::journal::kJournalSchemaText);
static_assert(kJournalSchema.error.empty(), "schemas/journal.fbs: see kJournalSchema.error");

/// The slot (0-based position, deprecated fields included) of the `index`-th live field.
constexpr std::size_t slot_of_live_field(const TableDecl& t, std::size_t index) {
  for (std::size_t i = 0; i < t.count; ++i) {
    if (t.fields[i].deprecated) continue;
    if (index-- == 0) return i;
  }
  return t.count;  // no such field
}

constexpr std::size_t live_field_count(const TableDecl& t) {
  std::size_t n = 0;
  for (std::size_t i = 0; i < t.count; ++i) n += t.fields[i].deprecated ? 0 : 1;
  return n;
}

/// An integer or bool default as written in the schema; an enum default by the value's position.
constexpr std::int64_t parse_default(const FieldDecl& f) {
  const std::string_view d = f.default_value;
  if (d.empty() || d == "false") return 0;
  if (d == "true") return 1;
  for (std::size_t k = 0; k < kJournalSchema.enum_count; ++k)  // by index: see table_index
    if (const EnumDecl& e = kJournalSchema.enums[k]; e.name == f.type) {
      for (std::size_t i = 0; i < e.count; ++i)
        if (e.values[i] == d) return static_cast<std::int64_t>(i);
      return -1;  // not reached for a schema flatc accepted
    }
  bool negative = false;
  std::size_t i = 0;
  if (d[0] == '-' || d[0] == '+') {
    negative = d[0] == '-';
    i = 1;
  }
  std::int64_t v = 0;
  for (; i < d.size(); ++i) v = v * 10 + (d[i] - '0');
  return negative ? -v : v;
}

}  // namespace carebroker::codec::schema
