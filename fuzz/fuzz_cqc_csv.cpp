// Fuzz target: a CQC CSV file as an import reads it (POST /api/v1/cqc-imports and
// carebroker-cqc-import): header matching, quoting, ratings and dates row by row.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "engine/cqc/cqc_file.h"
#include "engine/cqc/csv.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)carebroker::cqc::read_cqc_file(text);
  (void)carebroker::cqc::parse_csv(text, carebroker::cqc::RaggedRows::refused);
  return 0;
}
