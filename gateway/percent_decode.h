// Percent-decoding of URL paths and query strings (RFC 3986), once — never twice, so "%252e"
// stays "%2e". Used by the REST router and the static-file handler. Pure; thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace carebroker::gateway {

/// Decodes `in` into `out`; `plus_is_space` for query strings. False on a broken escape ("%4", "%zz").
bool percent_decode(std::string_view in, bool plus_is_space, std::string& out);

}  // namespace carebroker::gateway
