// Fuzz target: a stored journal value as recovery reads it — the store's frame (CRC32C, sequence
// numbers) and the FlatBuffers batch inside. The CRC is recomputed over the fuzzed bytes first,
// so the decoder behind it is reached (a flipped bit the CRC would catch is not interesting; a
// well-framed but malformed batch is). Both the framed value and the bare payload are decoded.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "engine/codec/event_codec.h"
#include "engine/store/batch_frame.h"

using namespace carebroker;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  // As stored: re-seal the fuzzed value's CRC so unframe_batch passes it to the decoder.
  std::string value(bytes);
  if (value.size() >= 4) {
    const std::uint32_t crc = store::crc32c(std::string_view(value).substr(4));
    std::memcpy(value.data(), &crc, 4);  // little-endian on every machine we build for
  }
  store::UnframedBatch unframed;
  if (store::unframe_batch(value, unframed).ok()) (void)codec::decode_batch(unframed.payload);
  // The payload alone, as a standby receives it, and through the replay decoder.
  (void)codec::decode_batch(bytes);
  static codec::BatchDecoder decoder;
  (void)decoder.decode(bytes);
  return 0;
}
