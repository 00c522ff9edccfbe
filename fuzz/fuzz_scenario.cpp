// Fuzz target: a load-harness scenario file (sim/scenarios/*.json) as carebroker-sim reads it:
// parse_scenario must name the bad field of any file, never crash. The demand CSV a scenario
// may name is resolved against an empty directory, so no file outside the input is read.
#include <cstddef>
#include <cstdint>
#include <string>

#include "sim/scenario.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  (void)carebroker::sim::parse_scenario(text, "/nonexistent-fuzz-dir");
  return 0;
}
