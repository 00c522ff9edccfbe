// The read side's lag behind the journal (server_lag.h).
#include "sim/server_lag.h"

#include <sstream>

namespace carebroker::sim {

ServerLag read_server_lag(RestClient& rest, const std::string& admin_token, std::string& error) {
  ServerLag lag;
  const auto reply = rest.request("GET", "/metrics", admin_token);
  if (reply.status != 200) {
    error = "GET /metrics: " + (reply.status ? std::to_string(reply.status) : reply.error);
    return lag;
  }
  std::istringstream lines(reply.body);
  for (std::string line; std::getline(lines, line);) {
    const auto space = line.rfind(' ');
    if (line.empty() || line[0] == '#' || space == std::string::npos) continue;
    const std::string name = line.substr(0, space);
    const std::int64_t value = std::stoll(line.substr(space + 1));
    if (name == "carebroker_journal_durable_sequence") lag.durable = value;
    else if (name == "carebroker_replica_applied_sequence{replica=\"publisher\"}") lag.publisher = value;
    else if (name == "carebroker_replica_applied_sequence{replica=\"reader\"}") lag.reader = value;
  }
  return lag;
}

}  // namespace carebroker::sim
