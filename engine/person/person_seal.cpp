// AES-256-GCM sealing of a person's details; see person_seal.h.
#include "engine/person/person_seal.h"

#include <algorithm>
#include <cstdint>
#include <memory>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

namespace carebroker::person {
namespace {

constexpr std::string_view kAssociatedPrefix = "carebroker-person-v1:";

using CipherContext = std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)>;

void put_field(std::string& out, const std::string& field) {
  const auto n = static_cast<std::uint32_t>(field.size());
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((n >> (8 * i)) & 0xff));
  out += field;
}

bool get_field(std::string_view& in, std::string& field) {
  if (in.size() < 4) return false;
  std::uint32_t n = 0;
  for (int i = 0; i < 4; ++i) n |= std::uint32_t{static_cast<unsigned char>(in[static_cast<std::size_t>(i)])} << (8 * i);
  in.remove_prefix(4);
  if (in.size() < n) return false;
  field.assign(in.substr(0, n));
  in.remove_prefix(n);
  return true;
}

std::string associated_data(const std::string& key_id) { return std::string(kAssociatedPrefix) + key_id; }

const unsigned char* bytes_of(std::string_view s) { return reinterpret_cast<const unsigned char*>(s.data()); }

}  // namespace

PersonKey::~PersonKey() { OPENSSL_cleanse(bytes.data(), bytes.size()); }

std::optional<PersonKey> new_key() {
  PersonKey key;
  if (RAND_bytes(key.bytes.data(), static_cast<int>(key.bytes.size())) != 1) return std::nullopt;
  return key;
}

std::string new_key_id() {
  unsigned char raw[engine::kPersonKeyIdChars / 2];
  if (RAND_bytes(raw, sizeof raw) != 1) return {};
  static constexpr char kHex[] = "0123456789abcdef";
  std::string id;
  for (unsigned char b : raw) {
    id.push_back(kHex[b >> 4]);
    id.push_back(kHex[b & 0xf]);
  }
  return id;
}

std::optional<engine::SealedPerson> seal(const engine::PersonDetails& details, const std::string& key_id,
                                         const PersonKey& key, std::string& error) {
  std::string plain;
  for (const std::string* f : {&details.name, &details.address, &details.postcode, &details.case_reference})
    put_field(plain, *f);
  struct Wipe {
    std::string& s;
    ~Wipe() { OPENSSL_cleanse(s.data(), s.size()); }
  } wipe{plain};
  if (plain.size() + engine::kPersonTagBytes > engine::kMaxSealedPersonBytes) {
    error = "the person's details are too long to seal";
    return std::nullopt;
  }
  engine::SealedPerson out;
  out.form = static_cast<std::uint8_t>(engine::PersonForm::sealed);
  out.key_id = key_id;
  out.nonce.resize(engine::kPersonNonceBytes);
  if (RAND_bytes(reinterpret_cast<unsigned char*>(out.nonce.data()), static_cast<int>(out.nonce.size())) != 1) {
    error = "the random number generator failed";
    return std::nullopt;
  }
  const std::string aad = associated_data(key_id);
  CipherContext ctx(EVP_CIPHER_CTX_new(), &EVP_CIPHER_CTX_free);
  out.sealed.resize(plain.size() + engine::kPersonTagBytes);
  auto* cipher = reinterpret_cast<unsigned char*>(out.sealed.data());
  int n = 0, total = 0;
  const bool ok =
      ctx && EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, nullptr, nullptr) == 1 &&
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_IVLEN, static_cast<int>(out.nonce.size()), nullptr) == 1 &&
      EVP_EncryptInit_ex(ctx.get(), nullptr, nullptr, key.bytes.data(), bytes_of(out.nonce)) == 1 &&
      EVP_EncryptUpdate(ctx.get(), nullptr, &n, bytes_of(aad), static_cast<int>(aad.size())) == 1 &&
      EVP_EncryptUpdate(ctx.get(), cipher, &n, bytes_of(plain), static_cast<int>(plain.size())) == 1 &&
      (total = n, EVP_EncryptFinal_ex(ctx.get(), cipher + total, &n) == 1) &&
      (total += n, static_cast<std::size_t>(total) == plain.size()) &&
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, static_cast<int>(engine::kPersonTagBytes), cipher + total) == 1;
  if (!ok) {
    error = "OpenSSL could not seal the person's details (AES-256-GCM)";
    return std::nullopt;
  }
  return out;
}

std::optional<engine::PersonDetails> open(const engine::SealedPerson& sealed, const PersonKey& key) {
  if (!sealed.is_sealed() || sealed.nonce.size() != engine::kPersonNonceBytes ||
      sealed.sealed.size() < engine::kPersonTagBytes || sealed.sealed.size() > engine::kMaxSealedPersonBytes)
    return std::nullopt;
  const std::size_t length = sealed.sealed.size() - engine::kPersonTagBytes;
  const std::string aad = associated_data(sealed.key_id);
  std::string plain(length, '\0');
  struct Wipe {
    std::string& s;
    ~Wipe() { OPENSSL_cleanse(s.data(), s.size()); }
  } wipe{plain};
  std::array<unsigned char, engine::kPersonTagBytes> tag{};
  std::copy_n(bytes_of(sealed.sealed) + length, tag.size(), tag.begin());
  CipherContext ctx(EVP_CIPHER_CTX_new(), &EVP_CIPHER_CTX_free);
  int n = 0, total = 0;
  const bool ok =
      ctx && EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, nullptr, nullptr) == 1 &&
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_IVLEN, static_cast<int>(sealed.nonce.size()), nullptr) == 1 &&
      EVP_DecryptInit_ex(ctx.get(), nullptr, nullptr, key.bytes.data(), bytes_of(sealed.nonce)) == 1 &&
      EVP_DecryptUpdate(ctx.get(), nullptr, &n, bytes_of(aad), static_cast<int>(aad.size())) == 1 &&
      EVP_DecryptUpdate(ctx.get(), reinterpret_cast<unsigned char*>(plain.data()), &n, bytes_of(sealed.sealed),
                        static_cast<int>(length)) == 1 &&
      (total = n, EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, static_cast<int>(tag.size()), tag.data()) == 1) &&
      // The tag is checked here: any change to the ciphertext, nonce, key id or tag fails.
      EVP_DecryptFinal_ex(ctx.get(), reinterpret_cast<unsigned char*>(plain.data()) + total, &n) == 1;
  if (!ok) return std::nullopt;
  engine::PersonDetails details;
  std::string_view in(plain);
  if (!get_field(in, details.name) || !get_field(in, details.address) || !get_field(in, details.postcode) ||
      !get_field(in, details.case_reference) || !in.empty())
    return std::nullopt;
  return details;
}

}  // namespace carebroker::person
