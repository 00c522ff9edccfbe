// How far the server's read side is behind its journal, from /metrics (an admin token): the
// durable sequence against the publisher replica's (which sends the notices and broadcasts)
// and the reader replica's (which answers REST reads). carebroker-sim waits for both to catch
// up before its audit, so what it compares is the same market. One RestClient; any one thread.
#pragma once

#include <cstdint>
#include <string>

#include "sim/rest_client.h"

namespace carebroker::sim {

struct ServerLag {
  std::int64_t durable = -1, publisher = -1, reader = -1;
  bool caught_up() const { return durable >= 0 && publisher == durable && reader == durable; }
};

/// Reads /metrics; `error` when it could not.
ServerLag read_server_lag(RestClient& rest, const std::string& admin_token, std::string& error);

}  // namespace carebroker::sim
