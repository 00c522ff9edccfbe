// Fuzz target: a market snapshot as recovery loads it (and an archived package's record, which
// snapshots and the journal's retirement events carry). load_snapshot must refuse a damaged
// snapshot with a status and leave the market empty, never crash.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "engine/codec/archive_codec.h"
#include "engine/market/market.h"

using namespace carebroker;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  engine::Market market;
  (void)market.load_snapshot(bytes);
  (void)codec::decode_archive(bytes);
  return 0;
}
