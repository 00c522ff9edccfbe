// Fuzz target: a provider's WebSocket frame as the session decodes it. The first byte picks the
// frame type (odd: binary FlatBuffers, even: JSON text); the rest is the frame. Any outcome but a
// crash, a sanitizer report or an exception is fine: decode_client_frame answers every frame
// with a request or a ProtocolError value.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "gateway/protocol/wire_codec.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  static const std::string provider = "fuzz-provider";
  const bool binary = (data[0] & 1) != 0;
  const std::string_view frame(reinterpret_cast<const char*>(data + 1), size - 1);
  const auto request = carebroker::gateway::protocol::decode_client_frame(frame, binary, provider);
  (void)request;
  return 0;
}
