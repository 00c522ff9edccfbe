// Numbers appended to text (ranking and quality explanations, amounts in pounds) with
// std::to_chars: the same digits as printf's "%.Nf" and "%lld" — both round the exact binary
// value to the nearest, ties to even — at a fraction of printf's cost. An officer's package view
// writes several hundred of them; printf's were a seventh of the view's time.
#pragma once

#include <algorithm>
#include <charconv>
#include <concepts>
#include <string>

namespace carebroker::engine {

/// Appends `value` with `decimals` digits after the point, as printf("%.*f") would; decimals are
/// held to 0..17 (a double has no more to show), so the text always fits the buffer.
inline void append_fixed(std::string& out, double value, int decimals) {
  char buf[328];  // the longest finite double in fixed notation, its sign, the point and 17 decimals
  const int places = std::clamp(decimals, 0, 17);
  out.append(buf, std::to_chars(buf, buf + sizeof buf, value, std::chars_format::fixed, places).ptr);
}

/// Appends an integer in decimal, as printf("%lld") / ("%llu") would.
template <std::integral Integer>
void append_integer(std::string& out, Integer n) {
  char buf[24];  // a 64-bit integer's 20 digits and its sign
  out.append(buf, std::to_chars(buf, buf + sizeof buf, n).ptr);
}

}  // namespace carebroker::engine
