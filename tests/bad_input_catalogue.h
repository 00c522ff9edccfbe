// The checker behind docs/bad-input.md: reads the catalogue's table rows and reports, one line
// each, a code with no row, a row naming a code that does not exist or the wrong HTTP status, and
// a row whose test file, test case or mention of the code is missing. Pure functions of text, so
// tests/bad_input_catalogue_test.cpp can feed it a broken catalogue in memory as well as the real
// one.
#pragma once

#include <cstddef>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace carebroker::catalogue {

/// One table row: | `code` | status | the bad input | `tests/file.cpp` · `test case name` |
struct Row {
  std::size_t line = 0;
  std::string code;
  std::string status;     ///< "422", "error frame", …
  std::string test_file;  ///< "tests/offers_test.cpp"; empty for "—" (no test: see KnownCode)
  std::string test_name;
};

/// A code the server can send, with the HTTP status it is served with (0: error frames only).
struct KnownCode {
  int http = 0;
  bool untestable = false;  ///< may (and must) have "—" for its test: reserved or unreachable
};

/// The rows of every table whose first cell is a `code`; header and separator rows are skipped.
/// A line that looks like a row but cannot be read is reported in `problems`.
std::vector<Row> parse_rows(std::string_view markdown, std::vector<std::string>& problems);

/// The body of TEST_CASE "name" in a test file's text: from its TEST_CASE line up to the next
/// TEST_CASE (or the end); nullopt when the file has no test case of exactly that name.
std::optional<std::string> test_case_body(std::string_view file_text, std::string_view name);

/// True when `text` mentions `code` as the string a test compares ("busy", or \"busy\" inside a
/// JSON text) or as an enumerator (Code::unknown_dps, GatewayCode::busy); a word in prose or a
/// longer name ("a busy market", "busybox") is not a mention.
bool mentions(std::string_view text, std::string_view code);

/// Reads a file relative to the repository ("tests/x_test.cpp"); nullopt when it does not exist.
using ReadFile = std::function<std::optional<std::string>(const std::string&)>;

/// Everything wrong with the catalogue, each problem one sentence naming the code (and the line).
/// `ok` is exempt from needing a row.
std::vector<std::string> check(std::string_view markdown, const std::map<std::string, KnownCode>& codes,
                               const ReadFile& read_file);

// ---- implementation (header-only: one test file uses it) ----

namespace detail {

inline std::string trim(std::string_view s) {
  const auto b = s.find_first_not_of(" \t");
  if (b == std::string_view::npos) return {};
  const auto e = s.find_last_not_of(" \t");
  return std::string(s.substr(b, e - b + 1));
}

/// The text inside the first pair of backticks of `cell`, from `from`; npos-safe.
inline std::optional<std::string> backticked(std::string_view cell, std::size_t& from) {
  const auto a = cell.find('`', from);
  if (a == std::string_view::npos) return std::nullopt;
  const auto b = cell.find('`', a + 1);
  if (b == std::string_view::npos) return std::nullopt;
  from = b + 1;
  return std::string(cell.substr(a + 1, b - a - 1));
}

inline bool identifier_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

/// The C++ string literal(s) at `pos` (adjacent literals joined), unescaped; pos moves past them.
inline std::optional<std::string> string_literal(std::string_view text, std::size_t& pos) {
  std::string out;
  bool any = false;
  for (;;) {
    while (pos < text.size() && (text[pos] == ' ' || text[pos] == '\n' || text[pos] == '\t' || text[pos] == '\r')) ++pos;
    if (pos >= text.size() || text[pos] != '"') break;
    any = true;
    for (++pos; pos < text.size() && text[pos] != '"'; ++pos) {
      if (text[pos] == '\\' && pos + 1 < text.size()) ++pos;
      out.push_back(text[pos]);
    }
    ++pos;
  }
  if (!any) return std::nullopt;
  return out;
}

/// Offsets of every TEST_CASE( / TEMPLATE_TEST_CASE( at the start of a line, with its name.
inline std::vector<std::pair<std::size_t, std::string>> test_cases(std::string_view text) {
  std::vector<std::pair<std::size_t, std::string>> out;
  for (std::size_t at = 0; at < text.size();) {
    const auto eol = text.find('\n', at);
    const std::string_view line = text.substr(at, eol == std::string_view::npos ? std::string_view::npos : eol - at);
    for (std::string_view macro : {std::string_view("TEST_CASE("), std::string_view("TEMPLATE_TEST_CASE(")}) {
      if (line.rfind(macro, 0) != 0) continue;
      std::size_t pos = at + macro.size();
      if (auto name = string_literal(text, pos)) out.emplace_back(at, std::move(*name));
    }
    if (eol == std::string_view::npos) break;
    at = eol + 1;
  }
  return out;
}

}  // namespace detail

inline std::vector<Row> parse_rows(std::string_view markdown, std::vector<std::string>& problems) {
  std::vector<Row> rows;
  std::size_t number = 0;
  for (std::size_t at = 0; at <= markdown.size();) {
    const auto eol = markdown.find('\n', at);
    const std::string_view line = markdown.substr(at, eol == std::string_view::npos ? std::string_view::npos : eol - at);
    ++number;
    at = eol == std::string_view::npos ? markdown.size() + 1 : eol + 1;
    if (line.rfind("| `", 0) != 0) continue;
    std::vector<std::string> cells;
    for (std::size_t from = 1; from < line.size();) {
      const auto bar = line.find('|', from);
      if (bar == std::string_view::npos) break;
      cells.push_back(detail::trim(line.substr(from, bar - from)));
      from = bar + 1;
    }
    const std::string where = "docs/bad-input.md line " + std::to_string(number);
    if (cells.size() != 4) {
      problems.push_back(where + ": a row has " + std::to_string(cells.size()) +
                         " cells, not 4 (`code` | status | bad input | `tests/file.cpp` · `test case`)");
      continue;
    }
    Row row;
    row.line = number;
    std::size_t from = 0;
    row.code = detail::backticked(cells[0], from).value_or("");
    row.status = cells[1];
    if (cells[3] != "—") {
      from = 0;
      auto file = detail::backticked(cells[3], from);
      auto name = detail::backticked(cells[3], from);
      if (!file || !name) {
        problems.push_back(where + ": code '" + row.code + "' names its test as `tests/file.cpp` · `test case name`, or — ");
        continue;
      }
      row.test_file = std::move(*file);
      row.test_name = std::move(*name);
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

inline std::optional<std::string> test_case_body(std::string_view file_text, std::string_view name) {
  const auto cases = detail::test_cases(file_text);
  for (std::size_t i = 0; i < cases.size(); ++i) {
    if (cases[i].second != name) continue;
    const std::size_t end = i + 1 < cases.size() ? cases[i + 1].first : file_text.size();
    return std::string(file_text.substr(cases[i].first, end - cases[i].first));
  }
  return std::nullopt;
}

inline bool mentions(std::string_view text, std::string_view code) {
  for (auto at = text.find(code); at != std::string_view::npos; at = text.find(code, at + 1)) {
    const std::size_t end = at + code.size();
    if (end < text.size() && detail::identifier_char(text[end])) continue;
    const bool quoted = at > 0 && text[at - 1] == '"' && end < text.size() && (text[end] == '"' || text[end] == '\\');
    const bool qualified = at > 1 && text.substr(at - 2, 2) == "::";
    if (quoted || qualified) return true;
  }
  return false;
}

inline std::vector<std::string> check(std::string_view markdown, const std::map<std::string, KnownCode>& codes,
                                      const ReadFile& read_file) {
  std::vector<std::string> problems;
  const std::vector<Row> rows = parse_rows(markdown, problems);
  std::set<std::string> with_row;
  std::map<std::string, std::optional<std::string>> files;  // read once each
  for (const Row& row : rows) {
    const std::string where = "docs/bad-input.md line " + std::to_string(row.line) + ": ";
    const auto known = codes.find(row.code);
    if (known == codes.end()) {
      problems.push_back(where + "code '" + row.code +
                         "' does not exist (not in CAREBROKER_CODES nor CAREBROKER_GATEWAY_CODES)");
      continue;
    }
    with_row.insert(row.code);
    const int http = known->second.http;
    const bool frame = row.status == "error frame";
    if (!frame && row.status != std::to_string(http))
      problems.push_back(where + "code '" + row.code + "' is served with " +
                         (http == 0 ? std::string("error frames only") : "HTTP " + std::to_string(http)) +
                         ", not '" + row.status + "'");
    if (row.test_file.empty()) {
      if (!known->second.untestable)
        problems.push_back(where + "code '" + row.code + "' has no test named (— is only for reserved or unreachable codes)");
      continue;
    }
    auto [file, fresh] = files.try_emplace(row.test_file);
    if (fresh) file->second = read_file(row.test_file);
    if (!file->second) {
      problems.push_back(where + "code '" + row.code + "': test file " + row.test_file + " does not exist");
      continue;
    }
    const auto body = test_case_body(*file->second, row.test_name);
    if (!body) {
      problems.push_back(where + "code '" + row.code + "': " + row.test_file + " has no TEST_CASE \"" + row.test_name + "\"");
      continue;
    }
    if (!mentions(*body, row.code))
      problems.push_back(where + "code '" + row.code + "': TEST_CASE \"" + row.test_name + "\" in " + row.test_file +
                         " never mentions " + row.code);
  }
  for (const auto& [code, known] : codes)
    if (code != "ok" && !with_row.contains(code))
      problems.push_back("code '" + code + "' has no row in docs/bad-input.md (add one: `" + code + "` | " +
                         (known.http == 0 ? std::string("error frame") : std::to_string(known.http)) +
                         " | the bad input | `tests/<file>.cpp` · `<test case>`)");
  return problems;
}

}  // namespace carebroker::catalogue
