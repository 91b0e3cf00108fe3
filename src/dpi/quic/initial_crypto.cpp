#include "dpi/quic/initial_crypto.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <cstring>
#include <memory>

namespace rustnet::dpi::quic {

namespace {

struct CipherCtxFree {
  void operator()(EVP_CIPHER_CTX* c) const { EVP_CIPHER_CTX_free(c); }
};
struct CipherFree {
  void operator()(EVP_CIPHER* c) const { EVP_CIPHER_free(c); }
};

// One cipher context per thread, reused for every packet: workers never share it.
EVP_CIPHER_CTX* threadContext() {
  thread_local std::unique_ptr<EVP_CIPHER_CTX, CipherCtxFree> ctx(EVP_CIPHER_CTX_new());
  if (ctx) EVP_CIPHER_CTX_reset(ctx.get());
  return ctx.get();
}

// Fetched once: OpenSSL 3 otherwise looks the algorithm up on every initialisation.
const EVP_CIPHER* aes128Ecb() {
  static const std::unique_ptr<EVP_CIPHER, CipherFree> c(EVP_CIPHER_fetch(nullptr, "AES-128-ECB", nullptr));
  return c.get();
}
const EVP_CIPHER* aes128Gcm() {
  static const std::unique_ptr<EVP_CIPHER, CipherFree> c(EVP_CIPHER_fetch(nullptr, "AES-128-GCM", nullptr));
  return c.get();
}

bool hmacSha256(core::Bytes key, core::Bytes data, std::span<std::uint8_t, 32> out) {
  unsigned int len = 0;
  const unsigned char* r = HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), data.data(), data.size(),
                                out.data(), &len);
  return r != nullptr && len == 32;
}

}  // namespace

bool hkdfExtract(core::Bytes salt, core::Bytes ikm, std::span<std::uint8_t, 32> prk) {
  return hmacSha256(salt, ikm, prk);
}

bool hkdfExpandLabel(core::Bytes secret, std::string_view label, std::span<std::uint8_t> out) {
  constexpr std::string_view kPrefix = "tls13 ";
  // HkdfLabel: length (2), label vector (1 + "tls13 " + label), empty context (1).
  std::array<std::uint8_t, 2 + 1 + 255 + 1 + 1> info{};
  if (out.size() > 255 * 32 || kPrefix.size() + label.size() > 255) return false;
  std::size_t n = 0;
  info[n++] = static_cast<std::uint8_t>(out.size() >> 8);
  info[n++] = static_cast<std::uint8_t>(out.size());
  info[n++] = static_cast<std::uint8_t>(kPrefix.size() + label.size());
  std::memcpy(info.data() + n, kPrefix.data(), kPrefix.size());
  n += kPrefix.size();
  std::memcpy(info.data() + n, label.data(), label.size());
  n += label.size();
  info[n++] = 0;  // context length
  // HKDF-Expand: T(i) = HMAC(secret, T(i-1) | info | i).
  std::array<std::uint8_t, 32 + sizeof(info) + 1> block{};
  std::array<std::uint8_t, 32> t{};
  std::size_t tLen = 0;
  std::size_t done = 0;
  for (std::uint8_t i = 1; done < out.size(); ++i) {
    std::memcpy(block.data(), t.data(), tLen);
    std::memcpy(block.data() + tLen, info.data(), n);
    block[tLen + n] = i;
    if (!hmacSha256(secret, core::Bytes(block.data(), tLen + n + 1), t)) return false;
    tLen = t.size();
    const std::size_t take = std::min(t.size(), out.size() - done);
    std::memcpy(out.data() + done, t.data(), take);
    done += take;
  }
  return true;
}

bool derivePacketKeys(core::Bytes secret, bool v2, PacketKeys& out) {
  return hkdfExpandLabel(secret, v2 ? "quicv2 key" : "quic key", out.key) &&
         hkdfExpandLabel(secret, v2 ? "quicv2 iv" : "quic iv", out.iv) &&
         hkdfExpandLabel(secret, v2 ? "quicv2 hp" : "quic hp", out.hp);
}

bool deriveInitialKeys(const VersionInfo& version, core::Bytes dcid, InitialKeys& out) {
  if (version.salt.size() != 20) return false;
  std::array<std::uint8_t, 32> initial{};
  std::array<std::uint8_t, 32> client{};
  std::array<std::uint8_t, 32> server{};
  // The "client in"/"server in" labels are the same in v1 and v2.
  return hkdfExtract(version.salt, dcid, initial) &&
         hkdfExpandLabel(core::Bytes(initial), "client in", client) &&
         hkdfExpandLabel(core::Bytes(initial), "server in", server) &&
         derivePacketKeys(core::Bytes(client), version.v2, out.client) &&
         derivePacketKeys(core::Bytes(server), version.v2, out.server);
}

bool headerProtectionMask(const std::array<std::uint8_t, 16>& hp, core::Bytes sample,
                          std::array<std::uint8_t, 5>& mask) {
  if (sample.size() < kHpSampleLength) return false;
  EVP_CIPHER_CTX* ctx = threadContext();
  const EVP_CIPHER* cipher = aes128Ecb();
  if (ctx == nullptr || cipher == nullptr) return false;
  std::array<std::uint8_t, 32> block{};
  int len = 0;
  if (EVP_EncryptInit_ex(ctx, cipher, nullptr, hp.data(), nullptr) != 1) return false;
  EVP_CIPHER_CTX_set_padding(ctx, 0);
  if (EVP_EncryptUpdate(ctx, block.data(), &len, sample.data(), static_cast<int>(kHpSampleLength)) != 1 ||
      len != static_cast<int>(kHpSampleLength)) {
    return false;
  }
  std::copy_n(block.begin(), mask.size(), mask.begin());
  return true;
}

std::uint64_t decodePacketNumber(std::uint64_t largest, bool anyLargest, std::uint64_t truncated,
                                 std::size_t pnLength) {
  const std::uint64_t expected = anyLargest ? largest + 1 : 0;
  const std::uint64_t win = std::uint64_t{1} << (pnLength * 8);
  const std::uint64_t hwin = win / 2;
  const std::uint64_t mask = win - 1;
  const std::uint64_t candidate = (expected & ~mask) | truncated;
  constexpr std::uint64_t kMax = (std::uint64_t{1} << 62) - 1;
  if (candidate + hwin <= expected && candidate < kMax - win + 1) return candidate + win;
  if (candidate > expected + hwin && candidate >= win) return candidate - win;
  return candidate;
}

OpenStatus openLongHeaderPacket(const PacketKeys& keys, core::Bytes packet, std::size_t pnOffset,
                                std::uint64_t largestPn, bool anyLargest,
                                std::vector<std::uint8_t>& scratch, OpenedPacket& out) {
  // The sample is taken as if the packet number were 4 bytes long (RFC 9001 §5.4.2).
  if (pnOffset + 4 + kHpSampleLength > packet.size()) return OpenStatus::TooShort;
  std::array<std::uint8_t, 5> mask{};
  if (!headerProtectionMask(keys.hp, packet.subspan(pnOffset + 4, kHpSampleLength), mask)) {
    return OpenStatus::CryptoError;
  }
  const std::uint8_t first = packet[0] ^ (mask[0] & 0x0f);
  const std::size_t pnLen = (first & 0x03) + 1;
  const std::size_t headerLen = pnOffset + pnLen;
  if (headerLen + kAeadTagLength > packet.size()) return OpenStatus::TooShort;

  scratch.resize(std::max(scratch.size(), packet.size()));
  std::memcpy(scratch.data(), packet.data(), headerLen);
  scratch[0] = first;
  std::uint64_t truncated = 0;
  for (std::size_t i = 0; i < pnLen; ++i) {
    scratch[pnOffset + i] = packet[pnOffset + i] ^ mask[1 + i];
    truncated = (truncated << 8) | scratch[pnOffset + i];
  }
  const std::uint64_t pn = decodePacketNumber(largestPn, anyLargest, truncated, pnLen);

  std::array<std::uint8_t, 12> nonce = keys.iv;
  for (std::size_t i = 0; i < 8; ++i) nonce[11 - i] ^= static_cast<std::uint8_t>(pn >> (8 * i));

  const std::size_t ctLen = packet.size() - headerLen - kAeadTagLength;
  EVP_CIPHER_CTX* ctx = threadContext();
  const EVP_CIPHER* cipher = aes128Gcm();
  if (ctx == nullptr || cipher == nullptr) return OpenStatus::CryptoError;
  int len = 0;
  std::array<std::uint8_t, kAeadTagLength> tag{};
  std::memcpy(tag.data(), packet.data() + headerLen + ctLen, tag.size());
  if (EVP_DecryptInit_ex(ctx, cipher, nullptr, keys.key.data(), nonce.data()) != 1 ||
      EVP_DecryptUpdate(ctx, nullptr, &len, scratch.data(), static_cast<int>(headerLen)) != 1 ||
      EVP_DecryptUpdate(ctx, scratch.data() + headerLen, &len, packet.data() + headerLen,
                        static_cast<int>(ctLen)) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, static_cast<int>(tag.size()), tag.data()) != 1) {
    return OpenStatus::CryptoError;
  }
  int finalLen = 0;
  if (EVP_DecryptFinal_ex(ctx, scratch.data() + headerLen + len, &finalLen) != 1) return OpenStatus::AuthFailed;
  out.firstByte = first;
  out.packetNumber = pn;
  out.pnLength = pnLen;
  out.payload = core::Bytes(scratch.data() + headerLen, ctLen);
  return OpenStatus::Ok;
}

}  // namespace rustnet::dpi::quic
