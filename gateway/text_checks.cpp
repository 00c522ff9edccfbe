// Text checks: a strict UTF-8 decoder (no overlong forms, no surrogates, nothing past U+10FFFF)
// that refuses control characters as it goes.
#include "gateway/text_checks.h"

#include <cstdint>
#include <cstdio>

namespace carebroker::gateway {
namespace {

std::string code_point_name(std::uint32_t c) {
  char out[16];
  std::snprintf(out, sizeof out, "U+%04X", static_cast<unsigned>(c));
  return out;
}

/// Decodes one code point at `i`; false when the bytes there are not well-formed UTF-8.
bool decode(std::string_view s, std::size_t& i, std::uint32_t& c) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char b0 = byte(i);
  if (b0 < 0x80) {
    c = b0;
    ++i;
    return true;
  }
  std::size_t n = 0;
  std::uint32_t min = 0;
  if ((b0 & 0xE0) == 0xC0) n = 1, c = b0 & 0x1F, min = 0x80;
  else if ((b0 & 0xF0) == 0xE0) n = 2, c = b0 & 0x0F, min = 0x800;
  else if ((b0 & 0xF8) == 0xF0) n = 3, c = b0 & 0x07, min = 0x10000;
  else return false;
  if (s.size() - i <= n) return false;  // truncated
  for (std::size_t k = 1; k <= n; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return false;
    c = (c << 6) | (byte(i + k) & 0x3F);
  }
  if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) return false;
  i += n + 1;
  return true;
}

}  // namespace

std::string text_problem(std::string_view text, TextForm form, std::size_t max_chars) {
  std::size_t chars = 0;
  for (std::size_t i = 0; i < text.size();) {
    std::uint32_t c = 0;
    if (!decode(text, i, c)) return "is not valid UTF-8";
    const bool control = c < 0x20 || c == 0x7F || (c >= 0x80 && c <= 0x9F);
    const bool allowed_in_free_text = c == '\t' || c == '\n' || c == '\r';
    if (control && !(form == TextForm::free && allowed_in_free_text))
      return "contains a control character (" + code_point_name(c) + ")";
    if (++chars > max_chars) return "is longer than " + std::to_string(max_chars) + " characters";
  }
  return {};
}

}  // namespace carebroker::gateway
