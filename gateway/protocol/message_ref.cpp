// One server message as one recipient receives it (message_ref.h).
#include "gateway/protocol/message_ref.h"

#include <cassert>

namespace carebroker::gateway::protocol {

MessageRef MessageRef::addressed(SharedMessage base, std::string_view location) {
  assert(base && base->is_shared_broadcast());
  return MessageRef(std::move(base), OutboundMessage::intern_location(location));
}

std::array<std::string_view, 3> MessageRef::parts(bool binary) const {
  if (location_) return message_->addressed_parts(binary, *location_);
  return {message_->body(binary), {}, {}};
}

std::string MessageRef::body(bool binary) const {
  std::string out;
  for (const std::string_view part : parts(binary)) out += part;
  return out;
}

std::string MessageRef::frame(std::uint64_t seq, bool binary) const {
  return prefix(seq, binary) + body(binary) + std::string(suffix(binary));
}

std::size_t MessageRef::frame_size(std::uint64_t seq, bool binary) const {
  std::size_t n = prefix(seq, binary).size() + suffix(binary).size();
  for (const std::string_view part : parts(binary)) n += part.size();
  return n;
}

std::string MessageRef::prefix(std::uint64_t seq, bool binary) {
  if (binary) {
    std::string p(kBinaryPrefixBytes, '\0');
    for (std::size_t i = 0; i < kBinaryPrefixBytes; ++i) p[i] = static_cast<char>((seq >> (8 * i)) & 0xFF);
    return p;
  }
  return "{\"seq\":" + std::to_string(seq) + ",\"frame\":";
}

std::string_view MessageRef::suffix(bool binary) { return binary ? std::string_view() : std::string_view("}"); }

}  // namespace carebroker::gateway::protocol
