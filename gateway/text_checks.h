// What a piece of text taken from outside may contain before it reaches a record (the journal,
// the tokens file, logs): valid UTF-8, no control characters, a bounded length. Names and
// identifiers are single lines (no C0 control, no DEL, no C1 U+0080..U+009F); free text (notes,
// reasons, addresses) may also hold line feeds, carriage returns and tabs.
// Called by the REST reader (every text field), the provider protocol and main(). Pure functions;
// thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace carebroker::gateway {

enum class TextForm : std::uint8_t {
  line,  ///< a name or an identifier: no control character at all
  free,  ///< free text: also \t, \n and \r
};

/// Why `text` may not be kept: "" when it may; otherwise a phrase to follow the field's name,
/// e.g. "contains a control character (U+000A)", "is not valid UTF-8", "is longer than 200
/// characters". The length counts Unicode code points.
std::string text_problem(std::string_view text, TextForm form, std::size_t max_chars);

}  // namespace carebroker::gateway
