// Cells of a CSV file read for an import (cqc_file.h, fsa_file.h): trimming, CQC location IDs,
// and a bad cell quoted for a row's report. Pure functions of text.
#pragma once

#include <string>
#include <string_view>

namespace carebroker::cqc {

/// Without leading and trailing spaces and tabs.
std::string_view trim(std::string_view s);
/// "1-" and digits (at most 20 characters): CQC's location IDs.
bool is_cqc_location_id(std::string_view id);
/// Up to 40 bytes of what a bad cell held, in quotes, for the report: cut before a UTF-8
/// continuation byte so that valid text stays valid ("…" marks the cut); control characters
/// shown as '?'.
std::string quoted(std::string_view s);
/// At most `max_bytes` of `s`, cut before a UTF-8 continuation byte.
std::string_view cut_utf8(std::string_view s, std::size_t max_bytes);

}  // namespace carebroker::cqc
