#include "dpi/quic/initial_crypto.h"

// HMAC-SHA256 runs on OpenSSL's low-level SHA-256 (deprecated since 3.0, still shipped): a
// SHA256_CTX is a plain struct, so a keyed HMAC state can be kept and copied. The EVP
// interfaces fetch the algorithm and allocate contexts on every HMAC (EVP_Q_mac), which made
// key derivation cost ~200k instructions per connection; OpenSSL 3.0's EVP_MD_CTX_copy_ex
// allocates too. The SHA-256 block function underneath is the same (assembly) either way.
#define OPENSSL_SUPPRESS_DEPRECATED 1
#include <openssl/evp.h>
#include <openssl/sha.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <optional>

namespace rustnet::dpi::quic {

namespace {

struct CipherCtxFree {
  void operator()(EVP_CIPHER_CTX* c) const { EVP_CIPHER_CTX_free(c); }
};
struct CipherFree {
  void operator()(EVP_CIPHER* c) const { EVP_CIPHER_free(c); }
};
using CipherCtx = std::unique_ptr<EVP_CIPHER_CTX, CipherCtxFree>;

// Fetched once: OpenSSL 3 otherwise looks the algorithm up on every initialisation.
const EVP_CIPHER* aes128Ecb() {
  static const std::unique_ptr<EVP_CIPHER, CipherFree> c(EVP_CIPHER_fetch(nullptr, "AES-128-ECB", nullptr));
  return c.get();
}
const EVP_CIPHER* aes128Gcm() {
  static const std::unique_ptr<EVP_CIPHER, CipherFree> c(EVP_CIPHER_fetch(nullptr, "AES-128-GCM", nullptr));
  return c.get();
}

// One context per cipher and thread, bound to its cipher once: each packet only sets a key
// (and nonce) with EVP_CipherInit_ex2(ctx, nullptr, ...), which re-keys the provider state
// in place instead of freeing and allocating it. Workers never share a context.
CipherCtx makeContext(const EVP_CIPHER* cipher, int enc) {
  CipherCtx ctx(EVP_CIPHER_CTX_new());
  if (!ctx || cipher == nullptr || EVP_CipherInit_ex2(ctx.get(), cipher, nullptr, nullptr, enc, nullptr) != 1) {
    return nullptr;
  }
  return ctx;
}
EVP_CIPHER_CTX* ecbContext() {
  thread_local const CipherCtx ctx = [] {
    CipherCtx c = makeContext(aes128Ecb(), 1);
    if (c) EVP_CIPHER_CTX_set_padding(c.get(), 0);
    return c;
  }();
  return ctx.get();
}
EVP_CIPHER_CTX* gcmContext() {
  thread_local const CipherCtx ctx = makeContext(aes128Gcm(), 0);
  return ctx.get();
}

constexpr std::size_t kShaBlock = 64;
constexpr std::size_t kShaOut = 32;

// HMAC-SHA256 (RFC 2104) with the key already absorbed: the inner and outer states after
// the padded key block. Every MAC under the same key then costs two block functions for
// the short inputs of HKDF here.
class HmacSha256 {
public:
  HmacSha256() = default;  // unkeyed: only a placeholder to assign to
  explicit HmacSha256(core::Bytes key) {
    std::array<std::uint8_t, kShaBlock> block{};
    if (key.size() > kShaBlock) {
      SHA256(key.data(), key.size(), block.data());
    } else {
      std::copy(key.begin(), key.end(), block.begin());
    }
    std::array<std::uint8_t, kShaBlock> pad{};
    for (std::size_t i = 0; i < kShaBlock; ++i) pad[i] = block[i] ^ 0x36;
    SHA256_Init(&inner_);
    SHA256_Update(&inner_, pad.data(), pad.size());
    for (std::size_t i = 0; i < kShaBlock; ++i) pad[i] = block[i] ^ 0x5c;
    SHA256_Init(&outer_);
    SHA256_Update(&outer_, pad.data(), pad.size());
  }

  // HMAC(key, a | b | c).
  void mac(core::Bytes a, core::Bytes b, core::Bytes c, std::span<std::uint8_t, kShaOut> out) const {
    SHA256_CTX ctx = inner_;
    SHA256_Update(&ctx, a.data(), a.size());
    SHA256_Update(&ctx, b.data(), b.size());
    SHA256_Update(&ctx, c.data(), c.size());
    std::array<std::uint8_t, kShaOut> innerHash{};
    SHA256_Final(innerHash.data(), &ctx);
    ctx = outer_;
    SHA256_Update(&ctx, innerHash.data(), innerHash.size());
    SHA256_Final(out.data(), &ctx);
  }

private:
  SHA256_CTX inner_{};
  SHA256_CTX outer_{};
};

// HKDF-Extract keyed by a version's salt, kept per thread: a handful of salts exist, and
// each connection's derivation starts from one of them. A full table falls back to keying
// afresh (salts passed by tests, say); salts are compared by content.
const HmacSha256& saltKey(core::Bytes salt, std::optional<HmacSha256>& fallback) {
  struct Entry {
    std::array<std::uint8_t, 20> salt{};
    HmacSha256 key;
  };
  constexpr std::size_t kSlots = 12;
  thread_local std::array<Entry, kSlots> cache{};
  thread_local std::size_t used = 0;
  if (salt.size() == 20) {
    for (std::size_t i = 0; i < used; ++i) {
      if (std::equal(salt.begin(), salt.end(), cache[i].salt.begin())) return cache[i].key;
    }
    if (used < kSlots) {
      Entry& e = cache[used++];
      std::copy(salt.begin(), salt.end(), e.salt.begin());
      e.key = HmacSha256(salt);
      return e.key;
    }
  }
  return fallback.emplace(salt);
}

constexpr std::string_view kLabelPrefix = "tls13 ";
// Room for an HkdfLabel with the longest label, plus one byte (a block counter).
using LabelBuffer = std::array<std::uint8_t, 2 + 1 + 255 + 1 + 1>;

// RFC 8446 §7.1 HkdfLabel with an empty context: length, "tls13 " + label, context length.
// The caller checked that the prefixed label fits in 255 bytes. Returns the bytes written.
std::size_t writeHkdfLabel(std::size_t outLen, std::string_view label, LabelBuffer& info) {
  std::size_t n = 0;
  info[n++] = static_cast<std::uint8_t>(outLen >> 8);
  info[n++] = static_cast<std::uint8_t>(outLen);
  info[n++] = static_cast<std::uint8_t>(kLabelPrefix.size() + label.size());
  std::memcpy(info.data() + n, kLabelPrefix.data(), kLabelPrefix.size());
  n += kLabelPrefix.size();
  std::memcpy(info.data() + n, label.data(), label.size());
  n += label.size();
  info[n++] = 0;  // context length
  return n;
}

// RFC 8446 §7.1 HKDF-Expand-Label with an empty context, for outputs of at most one
// SHA-256 block (all QUIC Initial keys are): T(1) = HMAC(secret, HkdfLabel | 0x01).
bool expandLabel(const HmacSha256& secret, std::string_view label, std::span<std::uint8_t> out) {
  if (out.empty() || out.size() > kShaOut || kLabelPrefix.size() + label.size() > 255) return false;
  LabelBuffer info{};
  std::size_t n = writeHkdfLabel(out.size(), label, info);
  info[n++] = 1;  // block counter
  std::array<std::uint8_t, kShaOut> t{};
  secret.mac(core::Bytes(info.data(), n), {}, {}, t);
  std::memcpy(out.data(), t.data(), out.size());
  return true;
}

bool packetKeys(const HmacSha256& secret, bool v2, PacketKeys& out) {
  return expandLabel(secret, v2 ? "quicv2 key" : "quic key", out.key) &&
         expandLabel(secret, v2 ? "quicv2 iv" : "quic iv", out.iv) &&
         expandLabel(secret, v2 ? "quicv2 hp" : "quic hp", out.hp);
}

}  // namespace

bool hkdfExtract(core::Bytes salt, core::Bytes ikm, std::span<std::uint8_t, 32> prk) {
  std::optional<HmacSha256> fallback;
  saltKey(salt, fallback).mac(ikm, {}, {}, prk);
  return true;
}

bool hkdfExpandLabel(core::Bytes secret, std::string_view label, std::span<std::uint8_t> out) {
  if (out.size() > 255 * kShaOut || kLabelPrefix.size() + label.size() > 255) return false;
  const HmacSha256 key(secret);
  if (out.size() <= kShaOut) return out.empty() || expandLabel(key, label, out);
  // Longer outputs (not needed by QUIC Initials): T(i) = HMAC(secret, T(i-1) | info | i).
  LabelBuffer info{};
  const std::size_t n = writeHkdfLabel(out.size(), label, info);
  std::array<std::uint8_t, kShaOut> t{};
  std::size_t tLen = 0;
  std::size_t done = 0;
  for (std::uint8_t i = 1; done < out.size(); ++i) {
    key.mac(core::Bytes(t.data(), tLen), core::Bytes(info.data(), n), core::Bytes(&i, 1), t);
    tLen = t.size();
    const std::size_t take = std::min(t.size(), out.size() - done);
    std::memcpy(out.data() + done, t.data(), take);
    done += take;
  }
  return true;
}

bool derivePacketKeys(core::Bytes secret, bool v2, PacketKeys& out) {
  return packetKeys(HmacSha256(secret), v2, out);
}

bool deriveInitialSecret(const VersionInfo& version, core::Bytes dcid, std::span<std::uint8_t, 32> out) {
  if (version.salt.size() != 20) return false;
  return hkdfExtract(version.salt, dcid, out);
}

bool deriveSideKeys(core::Bytes initialSecret, bool server, bool v2, PacketKeys& out) {
  // The "client in"/"server in" labels are the same in v1 and v2.
  std::array<std::uint8_t, 32> side{};
  return expandLabel(HmacSha256(initialSecret), server ? "server in" : "client in", side) &&
         packetKeys(HmacSha256(core::Bytes(side)), v2, out);
}

bool deriveInitialKeys(const VersionInfo& version, core::Bytes dcid, InitialKeys& out) {
  std::array<std::uint8_t, 32> initial{};
  return deriveInitialSecret(version, dcid, initial) &&
         deriveSideKeys(core::Bytes(initial), false, version.v2, out.client) &&
         deriveSideKeys(core::Bytes(initial), true, version.v2, out.server);
}

bool headerProtectionMask(const std::array<std::uint8_t, 16>& hp, core::Bytes sample,
                          std::array<std::uint8_t, 5>& mask) {
  if (sample.size() < kHpSampleLength) return false;
  EVP_CIPHER_CTX* ctx = ecbContext();
  if (ctx == nullptr) return false;
  std::array<std::uint8_t, 32> block{};
  int len = 0;
  if (EVP_CipherInit_ex2(ctx, nullptr, hp.data(), nullptr, 1, nullptr) != 1) return false;
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
  EVP_CIPHER_CTX* ctx = gcmContext();
  if (ctx == nullptr) return OpenStatus::CryptoError;
  int len = 0;
  std::array<std::uint8_t, kAeadTagLength> tag{};
  std::memcpy(tag.data(), packet.data() + headerLen + ctLen, tag.size());
  if (EVP_CipherInit_ex2(ctx, nullptr, keys.key.data(), nonce.data(), 0, nullptr) != 1 ||
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
