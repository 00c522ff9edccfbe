// CSV parsing by header name.
#include "engine/cqc/csv.h"

#include <fstream>
#include <sstream>

namespace carebroker::cqc {

int CsvTable::column(std::string_view name) const {
  for (std::size_t i = 0; i < header.size(); ++i)
    if (header[i] == name) return static_cast<int>(i);
  return -1;
}

CsvTable parse_csv(std::string_view text, RaggedRows ragged) {
  CsvTable table;
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  std::vector<std::string> row;
  std::string field;
  bool quoted = false, any = false;
  std::size_t line = 1, row_line = 1;
  auto end_row = [&] {
    row.push_back(std::move(field));
    field.clear();
    if (table.header.empty()) {
      table.header = std::move(row);
    } else if (!(row.size() == 1 && row[0].empty())) {
      table.rows.push_back(std::move(row));
      table.row_lines.push_back(row_line);
    }
    row.clear();
    any = false;
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"') {
        if (i + 1 < text.size() && text[i + 1] == '"') {
          field += '"';
          ++i;
        } else {
          quoted = false;
        }
      } else {
        if (c == '\n') ++line;
        field += c;
      }
      continue;
    }
    switch (c) {
      case '"':
        if (!field.empty()) {
          table.error = "line " + std::to_string(line) + ": a quote inside an unquoted field";
          return table;
        }
        quoted = true;
        any = true;
        break;
      case ',':
        row.push_back(std::move(field));
        field.clear();
        any = true;
        break;
      case '\r': break;
      case '\n':
        end_row();
        ++line;
        row_line = line;
        break;
      default:
        field += c;
        any = true;
    }
  }
  if (quoted) {
    table.error = "line " + std::to_string(line) + ": an unterminated quoted field";
    return table;
  }
  if (any || !field.empty()) end_row();
  if (ragged == RaggedRows::refused)
    for (std::size_t r = 0; r < table.rows.size(); ++r)
      if (table.rows[r].size() != table.header.size()) {
        table.error = "row " + std::to_string(table.row_lines[r]) + " has " + std::to_string(table.rows[r].size()) +
                      " fields, the header has " + std::to_string(table.header.size());
        return table;
      }
  return table;
}

CsvTable read_csv_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    CsvTable t;
    t.error = "cannot open " + path;
    return t;
  }
  std::ostringstream text;
  text << in.rdbuf();
  return parse_csv(text.str());
}

}  // namespace carebroker::cqc
