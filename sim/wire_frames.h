// The provider WebSocket frames every load connection needs (schemas/wire.fbs): the Hello that
// authenticates it, and the server's binary frames ([8-byte little-endian seq][ServerFrame,
// "CBW1"]) verified before use. Shared by the offer connections, the broadcast listeners and the memory probe's fleet.
// Stateless.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "schemas/wire_generated.h"

namespace carebroker::sim {

/// A binary Hello frame with a provider's token (no resume: the server sends a snapshot).
inline std::string hello_frame(const std::string& token) {
  flatbuffers::FlatBufferBuilder b;
  auto hello = wire::CreateHelloDirect(b, token.c_str(), 0, "");
  b.Finish(wire::CreateClientFrame(b, wire::ClientMessage::Hello, hello.Union()), "CBW1");
  return std::string(reinterpret_cast<const char*>(b.GetBufferPointer()), b.GetSize());
}

/// The ServerFrame in a binary frame, verified; nullptr if it is not one.
inline const wire::ServerFrame* verified_server_frame(const void* data, std::size_t size) {
  if (size < 8) return nullptr;
  const auto* bytes = static_cast<const std::uint8_t*>(data) + 8;
  flatbuffers::Verifier verifier(bytes, size - 8);
  if (!verifier.VerifyBuffer<wire::ServerFrame>("CBW1")) return nullptr;
  return flatbuffers::GetRoot<wire::ServerFrame>(bytes);
}

}  // namespace carebroker::sim
