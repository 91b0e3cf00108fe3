#include "quic_builders.h"

#include <openssl/evp.h>

#include <stdexcept>

namespace rustnet::test {

namespace quic = dpi::quic;

void appendVarint(ByteVec& out, std::uint64_t v) {
  if (v < 0x40) {
    out.push_back(static_cast<std::uint8_t>(v));
  } else if (v < 0x4000) {
    out.push_back(static_cast<std::uint8_t>(0x40 | (v >> 8)));
    out.push_back(static_cast<std::uint8_t>(v));
  } else if (v < 0x40000000) {
    for (int i = 3; i >= 0; --i) out.push_back(static_cast<std::uint8_t>((i == 3 ? 0x80 : 0) | ((v >> (8 * i)) & 0xff)));
  } else {
    for (int i = 7; i >= 0; --i) out.push_back(static_cast<std::uint8_t>((i == 7 ? 0xc0 : 0) | ((v >> (8 * i)) & 0xff)));
  }
}

ByteVec cryptoFrame(std::uint64_t offset, const ByteVec& data, std::uint8_t type) {
  ByteVec f{type};
  appendVarint(f, offset);
  appendVarint(f, data.size());
  f.insert(f.end(), data.begin(), data.end());
  return f;
}

ByteVec connectionCloseFrame(std::uint64_t errorCode) {
  ByteVec f{0x1c};
  appendVarint(f, errorCode);
  appendVarint(f, 0x06);  // the frame type that caused it
  const std::string reason = "bye";
  appendVarint(f, reason.size());
  f.insert(f.end(), reason.begin(), reason.end());
  return f;
}

ByteVec ackFrame(std::uint64_t largest) {
  ByteVec f{0x02};
  appendVarint(f, largest);
  appendVarint(f, 10);  // delay
  appendVarint(f, 1);   // one more range
  appendVarint(f, 0);   // first range
  appendVarint(f, 0);   // gap
  appendVarint(f, 0);   // range
  return f;
}

ByteVec concat(std::initializer_list<ByteVec> parts) {
  ByteVec out;
  for (const auto& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

ByteVec sealWithHeader(const quic::PacketKeys& keys, const ByteVec& header, std::size_t pnOffset,
                       std::uint64_t packetNumber, const ByteVec& payload) {
  std::array<std::uint8_t, 12> nonce = keys.iv;
  for (std::size_t i = 0; i < 8; ++i) nonce[11 - i] ^= static_cast<std::uint8_t>(packetNumber >> (8 * i));
  ByteVec out = header;
  out.resize(header.size() + payload.size() + quic::kAeadTagLength);
  EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
  int len = 0;
  bool ok = EVP_EncryptInit_ex(ctx, EVP_aes_128_gcm(), nullptr, keys.key.data(), nonce.data()) == 1 &&
            EVP_EncryptUpdate(ctx, nullptr, &len, header.data(), static_cast<int>(header.size())) == 1 &&
            EVP_EncryptUpdate(ctx, out.data() + header.size(), &len, payload.data(),
                              static_cast<int>(payload.size())) == 1 &&
            EVP_EncryptFinal_ex(ctx, out.data() + header.size() + len, &len) == 1 &&
            EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, 16, out.data() + header.size() + payload.size()) == 1;
  EVP_CIPHER_CTX_free(ctx);
  if (!ok) throw std::runtime_error("seal failed");
  std::array<std::uint8_t, 5> mask{};
  if (!quic::headerProtectionMask(keys.hp, core::Bytes(out).subspan(pnOffset + 4, 16), mask)) {
    throw std::runtime_error("mask failed");
  }
  const std::size_t pnLen = (header[0] & 0x03) + 1;
  out[0] ^= mask[0] & ((out[0] & 0x80) != 0 ? 0x0f : 0x1f);
  for (std::size_t i = 0; i < pnLen; ++i) out[pnOffset + i] ^= mask[1 + i];
  return out;
}

ByteVec sealLongPacket(const quic::PacketKeys& keys, const LongPacketSpec& spec, const ByteVec& payload) {
  unsigned typeBits = 0;
  switch (spec.type) {
    case quic::PacketType::Initial: typeBits = spec.v2 ? 1 : 0; break;
    case quic::PacketType::ZeroRtt: typeBits = spec.v2 ? 2 : 1; break;
    case quic::PacketType::Handshake: typeBits = spec.v2 ? 3 : 2; break;
    default: throw std::invalid_argument("not a protected long-header type");
  }
  ByteVec h{static_cast<std::uint8_t>(0xc0 | (typeBits << 4) | (spec.pnLength - 1))};
  for (int i = 3; i >= 0; --i) h.push_back(static_cast<std::uint8_t>(spec.version >> (8 * i)));
  h.push_back(static_cast<std::uint8_t>(spec.dcid.size()));
  h.insert(h.end(), spec.dcid.begin(), spec.dcid.end());
  h.push_back(static_cast<std::uint8_t>(spec.scid.size()));
  h.insert(h.end(), spec.scid.begin(), spec.scid.end());
  if (spec.type == quic::PacketType::Initial) {
    appendVarint(h, spec.token.size());
    h.insert(h.end(), spec.token.begin(), spec.token.end());
  }
  const std::uint64_t length = spec.pnLength + payload.size() + quic::kAeadTagLength;
  // Always two bytes, like most stacks, so the header size does not depend on the payload.
  h.push_back(static_cast<std::uint8_t>(0x40 | (length >> 8)));
  h.push_back(static_cast<std::uint8_t>(length));
  const std::size_t pnOffset = h.size();
  for (std::size_t i = spec.pnLength; i-- > 0;) h.push_back(static_cast<std::uint8_t>(spec.packetNumber >> (8 * i)));
  return sealWithHeader(keys, h, pnOffset, spec.packetNumber, payload);
}

ByteVec shortPacket(const ByteVec& dcid, std::size_t payloadBytes) {
  ByteVec p{0x41};
  p.insert(p.end(), dcid.begin(), dcid.end());
  p.resize(p.size() + payloadBytes, 0x5a);
  return p;
}

}  // namespace rustnet::test
