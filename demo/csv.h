// A small RFC 4180 CSV reader for the demonstration data (quoted fields, doubled quotes,
// CRLF or LF). Written by hand: Debian has no maintained C++ CSV library package, and the
// files are small. Errors are values.
#pragma once

#include <string>
#include <vector>

namespace carebroker::demo {

struct CsvTable {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  std::string error;  ///< empty when the file was read

  /// Column index by header name; -1 when absent.
  int column(const std::string& name) const;
};

CsvTable read_csv_file(const std::string& path);
CsvTable parse_csv(const std::string& text);

}  // namespace carebroker::demo
