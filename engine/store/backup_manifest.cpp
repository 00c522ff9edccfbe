// The backup manifest's text.
#include "engine/store/backup_manifest.h"

namespace carebroker::store {

std::string backup_manifest_json(std::uint64_t last_seq, const ChainHead& head, std::string_view taken_at) {
  return std::string("{\"format\": \"carebroker-backup/1\", \"taken_at\": \"") + std::string(taken_at) +
         "\",\n \"last_sequence\": " + std::to_string(last_seq) + ",\n \"audit_chain\": {\"sequence\": " +
         std::to_string(head.seq) + ", \"head\": \"" + to_hex(head.hash) + "\", \"expect_head\": \"" +
         to_string(head) + "\"}}\n";
}

std::optional<ChainHead> manifest_chain_head(std::string_view manifest) {
  // The manifest is ours and flat: the value of "expect_head" is a quoted SEQ:HEX.
  static constexpr std::string_view kKey = "\"expect_head\": \"";
  const auto at = manifest.find(kKey);
  if (at == std::string_view::npos) return std::nullopt;
  const auto from = at + kKey.size();
  const auto to = manifest.find('"', from);
  if (to == std::string_view::npos) return std::nullopt;
  return parse_chain_head(manifest.substr(from, to - from));
}

}  // namespace carebroker::store
