// A small RFC 4180 CSV reader (quoted fields, doubled quotes, CRLF or LF) whose columns are found
// by header name: the demonstration market's data and CQC's files (cqc_file.h). Written by hand:
// Debian has no maintained C++ CSV library package, and the files are small. Errors are values.
// Pure functions of text (read_csv_file aside, which reads a file first); not thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace carebroker::cqc {

struct CsvTable {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  /// The line each row starts on (the header is on line 1): the row number a spreadsheet shows
  /// when no field spans lines.
  std::vector<std::size_t> row_lines;
  std::string error;  ///< empty when the text was read

  /// Column index by header name; -1 when absent.
  int column(std::string_view name) const;
};

enum class RaggedRows : bool {
  refused,  ///< a row with another number of fields than the header fails the whole table
  kept,     ///< kept as they are, for the caller to report row by row
};

CsvTable read_csv_file(const std::string& path);
/// A leading UTF-8 byte-order mark is skipped; blank lines are skipped (their lines still count).
CsvTable parse_csv(std::string_view text, RaggedRows ragged = RaggedRows::refused);

}  // namespace carebroker::cqc
