// The provider-protocol frames carebroker-sim's market players send and read, in either
// encoding the server speaks (docs/websocket-protocol.md): FlatBuffers binary frames
// (schemas/wire.fbs) or JSON text frames (the schema's JSON form). Server frames are verified
// (binary) or parsed strictly (JSON) and reduced to what the sim acts on. Stateless.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace carebroker::sim {

enum class Encoding { flatbuffers, json };

/// What a server frame told a player, whatever its encoding.
struct Inbound {
  enum class Kind { other, welcome, snapshot_done, snapshot_page, broadcast, award_offered, replies, package_changed, malformed };
  Kind kind = Kind::other;
  // broadcast / award_offered / package_changed
  std::uint64_t package = 0;
  std::string location, tier, start_date, status, what;
  std::int64_t quantity = 0, closes_at = 0;
  std::vector<std::string> must_meet;
  // replies (an Ack or Error frame is a reply too): request ids acknowledged, and refused by code
  std::vector<std::string> acked;
  std::vector<std::pair<std::string, std::string>> refused;  ///< request id, code
  std::string error_detail;                                   ///< malformed: why; an Error: its detail
};

Inbound read_server_frame(std::string_view data, bool binary);

std::string hello(Encoding e, const std::string& token);
std::string place_offer(Encoding e, const std::string& request_id, const std::string& location, std::uint64_t package,
                        std::int64_t price, const std::string& start_date, const std::vector<std::string>& must_meet);
std::string answer_award(Encoding e, bool accept, const std::string& request_id, const std::string& location,
                         std::uint64_t package);

}  // namespace carebroker::sim
