// Fuzz target: a DPS configuration file (JSON, as PUT /api/v1/dps/{code} and the demonstration
// market read it): parsed the way the REST reader parses bodies, then converted and validated.
#include <boost/json.hpp>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "engine/market/config.h"
#include "gateway/rest/json_convert.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  boost::json::error_code ec;
  const boost::json::value value = boost::json::parse(text, ec);
  if (ec) return 0;
  carebroker::engine::DpsConfig config;
  if (carebroker::gateway::rest::dps_config_from_json(value, config).ok())
    (void)carebroker::engine::validate_config(config, {});
  return 0;
}
