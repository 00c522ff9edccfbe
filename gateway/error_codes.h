// The HTTP status of each engine rejection code, and the JSON error body every REST error uses.
// Called by the REST router and the WebSocket sessions when they turn a market rejection into a
// response or an error frame. Pure functions of values; thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "engine/market/codes.h"

namespace carebroker::gateway {

/// The HTTP status for a market rejection: unknown_* → 404, a clash with the market's state
/// (already applied, package closed, offer after close, request id reused…) → 409, a value the
/// rules refuse (invalid_*, price_*, dates, reasons) → 422, a location acting outside what it
/// is allowed (not its provider's, not broadcast to it, excluded) → 403. `ok` → 200.
int http_status(engine::Code code);

/// `text` as a JSON string literal, quotes included ("a\"b" for a"b).
std::string json_quote(std::string_view text);
/// The same, appended to `out` (no string of its own: a response body quotes every key).
void append_json_quoted(std::string& out, std::string_view text);

}  // namespace carebroker::gateway
