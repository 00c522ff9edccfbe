// Fuzz target: a CQC or FSA CSV file as an import reads it (POST /api/v1/cqc-imports,
// POST /api/v1/fsa-imports and carebroker-cqc-import): header matching, quoting, ratings and dates
// row by row. Each input goes to both readers, which share the CSV reader and its cells.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "engine/cqc/cqc_file.h"
#include "engine/cqc/csv.h"
#include "engine/cqc/fsa_file.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)carebroker::cqc::read_cqc_file(text);
  (void)carebroker::cqc::read_fsa_file(text);
  (void)carebroker::cqc::parse_csv(text, carebroker::cqc::RaggedRows::refused);
  return 0;
}
