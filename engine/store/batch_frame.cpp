// Batch framing and CRC32C.
#include "engine/store/batch_frame.h"

#include <boost/crc.hpp>

#include <cstring>

namespace carebroker::store {
namespace {

void put_le(std::string& out, std::uint64_t v, int bytes) {
  for (int i = 0; i < bytes; ++i) out.push_back(static_cast<char>(v >> (8 * i)));
}
std::uint64_t get_le(std::string_view in, std::size_t at, int bytes) {
  std::uint64_t v = 0;
  for (int i = 0; i < bytes; ++i) v |= static_cast<std::uint64_t>(static_cast<unsigned char>(in[at + i])) << (8 * i);
  return v;
}
constexpr std::size_t kHeader = 4 + 8 + 8;
constexpr std::size_t kChainedHeader = kHeader + 32;
constexpr std::uint64_t kVersion2 = std::uint64_t{2} << 56;

std::string crc_framed(std::string body) {
  std::string out;
  out.reserve(4 + body.size());
  put_le(out, crc32c(body), 4);
  out.append(body);
  return out;
}

}  // namespace

const char* to_string(StoreCode c) {
  switch (c) {
    case StoreCode::ok: return "ok";
    case StoreCode::io_error: return "io_error";
    case StoreCode::disk_full: return "disk_full";
    case StoreCode::corruption: return "corruption";
    case StoreCode::sequence_gap: return "sequence_gap";
    case StoreCode::not_found: return "not_found";
    case StoreCode::invalid_argument: return "invalid_argument";
    case StoreCode::unsupported: return "unsupported";
  }
  return "unknown";
}

namespace {

std::uint32_t crc32c_portable(std::string_view data) {
  boost::crc_optimal<32, 0x1EDC6F41, 0xFFFFFFFF, 0xFFFFFFFF, true, true> crc;
  crc.process_bytes(data.data(), data.size());
  return crc.checksum();
}

#if defined(__x86_64__)
/// CRC32C with the SSE4.2 instruction, 8 bytes at a time (~10× the table-driven version).
__attribute__((target("sse4.2"))) std::uint32_t crc32c_sse42(std::string_view data) {
  std::uint64_t crc = 0xFFFFFFFFu;
  const char* p = data.data();
  std::size_t n = data.size();
  for (; n >= 8; p += 8, n -= 8) {
    std::uint64_t word;
    std::memcpy(&word, p, 8);
    crc = __builtin_ia32_crc32di(crc, word);
  }
  auto crc32 = static_cast<std::uint32_t>(crc);
  for (; n > 0; ++p, --n) crc32 = __builtin_ia32_crc32qi(crc32, static_cast<unsigned char>(*p));
  return crc32 ^ 0xFFFFFFFFu;
}
#endif

}  // namespace

std::uint32_t crc32c(std::string_view data) {
#if defined(__x86_64__)
  static const bool hardware = __builtin_cpu_supports("sse4.2");
  if (hardware) return crc32c_sse42(data);
#endif
  return crc32c_portable(data);
}

std::uint32_t crc32c_reference(std::string_view data) { return crc32c_portable(data); }

std::string sequence_key(std::uint64_t seq) {
  std::string key(8, '\0');
  for (int i = 0; i < 8; ++i) key[i] = static_cast<char>(seq >> (8 * (7 - i)));
  return key;
}

bool parse_sequence_key(std::string_view key, std::uint64_t& seq) {
  if (key.size() != 8) return false;
  seq = 0;
  for (int i = 0; i < 8; ++i) seq = (seq << 8) | static_cast<unsigned char>(key[i]);
  return true;
}

std::string frame_batch(std::uint64_t first_seq, std::uint64_t last_seq, std::string_view payload) {
  std::string body;
  body.reserve(16 + payload.size());
  put_le(body, first_seq, 8);
  put_le(body, last_seq, 8);
  body.append(payload);
  return crc_framed(std::move(body));
}

std::string frame_chained_batch(std::uint64_t first_seq, std::uint64_t last_seq, std::string_view payload,
                                const ChainHash& previous, ChainHash& link) {
  link = chain_link(previous, first_seq, last_seq, payload);
  std::string body;
  body.reserve(kChainedHeader - 4 + payload.size());
  put_le(body, first_seq | kVersion2, 8);
  put_le(body, last_seq, 8);
  body.append(reinterpret_cast<const char*>(link.data()), link.size());
  body.append(payload);
  return crc_framed(std::move(body));
}

StoreStatus unframe_batch(std::string_view value, UnframedBatch& out) {
  if (value.size() < kHeader) return store_error(StoreCode::corruption, "batch shorter than its header");
  const auto stored = static_cast<std::uint32_t>(get_le(value, 0, 4));
  if (crc32c(value.substr(4)) != stored) return store_error(StoreCode::corruption, "batch checksum mismatch");
  const std::uint64_t first_field = get_le(value, 4, 8);
  out.version = static_cast<int>(first_field >> 56);
  out.first_seq = first_field & kMaxFrameSeq;
  out.last_seq = get_le(value, 12, 8);
  if (out.version == 0) {  // version 1 has no version byte: its first_seq field is below 2^56
    out.version = 1;
    out.link = kChainGenesis;
    out.payload = value.substr(kHeader);
  } else if (out.version == 2) {
    if (value.size() < kChainedHeader) return store_error(StoreCode::corruption, "chained batch shorter than its header");
    std::memcpy(out.link.data(), value.data() + kHeader, out.link.size());
    out.payload = value.substr(kChainedHeader);
  } else {
    return store_error(StoreCode::corruption, "batch frame version " + std::to_string(out.version) + " is unknown");
  }
  if (out.last_seq < out.first_seq) return store_error(StoreCode::corruption, "batch sequence range is reversed");
  return {};
}

}  // namespace carebroker::store
