// CSV text (RFC 4180) for reports exported from the REST API: fields separated by commas,
// records ended by CRLF, a field holding a comma, a double quote, CR or LF enclosed in double
// quotes with its quotes doubled. Pure.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace carebroker::gateway::rest {

/// One field, quoted when it must be.
std::string csv_field(std::string_view text);
/// Appends one record (its fields, then CRLF) to `out`.
void append_csv_record(std::string& out, const std::vector<std::string>& fields);

}  // namespace carebroker::gateway::rest
