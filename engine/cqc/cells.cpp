// Cells of an imported CSV file.
#include "engine/cqc/cells.h"

#include <algorithm>

namespace carebroker::cqc {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool is_cqc_location_id(std::string_view id) {
  if (id.size() < 3 || id.size() > 20 || id.substr(0, 2) != "1-") return false;
  for (char c : id.substr(2))
    if (c < '0' || c > '9') return false;
  return true;
}

std::string_view cut_utf8(std::string_view s, std::size_t max_bytes) {
  std::size_t n = std::min(s.size(), max_bytes);
  while (n > 0 && n < s.size() && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
  return s.substr(0, n);
}

std::string quoted(std::string_view s) {
  const std::string_view cut = cut_utf8(s, 40);
  std::string out;
  for (char c : cut) out += (static_cast<unsigned char>(c) < 0x20 ? '?' : c);
  return "'" + out + (cut.size() < s.size() ? "…'" : "'");
}

}  // namespace carebroker::cqc
