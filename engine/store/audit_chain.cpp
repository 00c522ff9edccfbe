// SHA-256 chaining with OpenSSL's EVP API.
#include "engine/store/audit_chain.h"

#include <openssl/evp.h>

#include <charconv>
#include <memory>
#include <stdexcept>

namespace carebroker::store {
namespace {

void put_le(unsigned char* out, std::uint64_t v) {
  for (int i = 0; i < 8; ++i) out[i] = static_cast<unsigned char>(v >> (8 * i));
}

/// The SHA-256 implementation, fetched once (an implicit fetch per digest costs a lookup).
const EVP_MD* sha256() {
  static EVP_MD* const md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  if (md == nullptr) throw std::runtime_error("OpenSSL has no SHA-256");
  return md;
}

struct CtxFree {
  void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
};

}  // namespace

ChainHash chain_link(const ChainHash& previous, std::uint64_t first_seq, std::uint64_t last_seq,
                     std::string_view payload) {
  // One context per thread, reset per digest: no allocation on the append path.
  thread_local const std::unique_ptr<EVP_MD_CTX, CtxFree> ctx(EVP_MD_CTX_new());
  unsigned char seqs[16];
  put_le(seqs, first_seq);
  put_le(seqs + 8, last_seq);
  ChainHash out{};
  unsigned int length = 0;
  if (!ctx || EVP_DigestInit_ex(ctx.get(), sha256(), nullptr) != 1 ||
      EVP_DigestUpdate(ctx.get(), previous.data(), previous.size()) != 1 ||
      EVP_DigestUpdate(ctx.get(), seqs, sizeof seqs) != 1 ||
      EVP_DigestUpdate(ctx.get(), payload.data(), payload.size()) != 1 ||
      EVP_DigestFinal_ex(ctx.get(), out.data(), &length) != 1 || length != out.size())
    throw std::runtime_error("SHA-256 failed in OpenSSL");
  return out;
}

std::string to_hex(const ChainHash& hash) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(64);
  for (const std::uint8_t b : hash) {
    out.push_back(kDigits[b >> 4]);
    out.push_back(kDigits[b & 0xf]);
  }
  return out;
}

std::optional<ChainHash> parse_chain_hash(std::string_view hex) {
  if (hex.size() != 64) return std::nullopt;
  const auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  ChainHash out{};
  for (std::size_t i = 0; i < out.size(); ++i) {
    const int hi = nibble(hex[2 * i]), lo = nibble(hex[2 * i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out[i] = static_cast<std::uint8_t>(hi << 4 | lo);
  }
  return out;
}

std::string to_string(const ChainHead& head) { return std::to_string(head.seq) + ":" + to_hex(head.hash); }

std::optional<ChainHead> parse_chain_head(std::string_view text) {
  const auto colon = text.find(':');
  if (colon == std::string_view::npos || colon == 0) return std::nullopt;
  ChainHead head;
  const char* end = text.data() + colon;
  const auto [at, ec] = std::from_chars(text.data(), end, head.seq);
  if (ec != std::errc() || at != end) return std::nullopt;
  const auto hash = parse_chain_hash(text.substr(colon + 1));
  if (!hash) return std::nullopt;
  head.hash = *hash;
  return head;
}

}  // namespace carebroker::store
