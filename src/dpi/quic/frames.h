#pragma once
// Walks the frames of a decrypted Initial (or Handshake) payload: the only frames allowed
// there are PADDING, PING, ACK, CRYPTO and CONNECTION_CLOSE (RFC 9000 §12.4). Google's
// QUIC versions with IETF-style Initials (Q050, T05x) carry their handshake in frame type
// 0x08 with the same offset/length layout. Anything else ends the walk.
#include <cstddef>
#include <cstdint>

#include "core/cursor.h"

namespace rustnet::dpi::quic {

// Frames walked in one packet; the payload length bounds it already, this bounds the work.
inline constexpr std::size_t kMaxFramesPerPacket = 256;

struct CryptoFragment {
  std::uint64_t offset = 0;
  core::Bytes data;  // view into the payload
};

struct FrameWalk {
  std::uint16_t frames = 0;
  std::uint16_t cryptoFrames = 0;
  bool connectionClose = false;
  bool applicationClose = false;  // 0x1d: closed by the application layer
  std::uint64_t closeErrorCode = 0;
  bool ackEliciting = false;
  bool malformed = false;      // a frame ran past the payload
  bool unknownFrame = false;   // stopped at a frame type not allowed in Initial packets
  bool capped = false;         // kMaxFramesPerPacket reached
};

namespace detail {
// Skips an ACK frame's body (after its type byte). Each range costs at least two bytes of
// input, so the loop ends with the payload even when the declared count is absurd.
inline bool skipAck(core::Cursor& c, bool ecn) {
  auto largest = c.varint();
  auto delay = c.varint();
  auto ranges = c.varint();
  auto firstRange = c.varint();
  if (!largest || !delay || !ranges || !firstRange) return false;
  for (std::uint64_t i = 0; i < *ranges; ++i) {
    if (!c.varint() || !c.varint()) return false;
  }
  if (ecn) {
    for (int i = 0; i < 3; ++i) {
      if (!c.varint()) return false;
    }
  }
  return true;
}
}  // namespace detail

// Calls onCrypto(const CryptoFragment&) for each CRYPTO frame. `google` accepts type 0x08 as
// the crypto frame (Q050, T05x) instead of 0x06.
template <class OnCrypto>
FrameWalk walkFrames(core::Bytes payload, bool google, OnCrypto&& onCrypto) {
  FrameWalk w;
  core::Cursor c{payload};
  while (!c.empty()) {
    if (w.frames >= kMaxFramesPerPacket) {
      w.capped = true;
      break;
    }
    const std::uint8_t type = *c.peekU8();
    if (type == 0x00) {
      // PADDING runs are skipped in one go and count as one frame.
      while (c.peekU8() == std::uint8_t{0}) c.skip(1);
      ++w.frames;
      continue;
    }
    auto typeVar = c.varint();
    if (!typeVar) {
      w.malformed = true;
      break;
    }
    ++w.frames;
    const std::uint64_t t = *typeVar;
    if (t == 0x01) {  // PING
      w.ackEliciting = true;
    } else if (t == 0x02 || t == 0x03) {
      if (!detail::skipAck(c, t == 0x03)) {
        w.malformed = true;
        break;
      }
    } else if ((t == 0x06 && !google) || (t == 0x08 && google)) {
      auto offset = c.varint();
      auto length = c.varint();
      if (!offset || !length || *length > c.remaining()) {
        w.malformed = true;
        break;
      }
      const CryptoFragment frag{*offset, *c.take(static_cast<std::size_t>(*length))};
      ++w.cryptoFrames;
      w.ackEliciting = true;
      onCrypto(frag);
    } else if (t == 0x1c || t == 0x1d) {
      auto code = c.varint();
      if (!code || (t == 0x1c && !c.varint())) {
        w.malformed = true;
        break;
      }
      auto reasonLen = c.varint();
      if (!reasonLen || *reasonLen > c.remaining()) {
        w.malformed = true;
        break;
      }
      c.skip(static_cast<std::size_t>(*reasonLen));
      w.connectionClose = true;
      w.applicationClose = t == 0x1d;
      w.closeErrorCode = *code;
    } else {
      w.unknownFrame = true;
      break;
    }
  }
  return w;
}

// The client's max_idle_timeout (milliseconds) from a quic_transport_parameters extension;
// 0 when absent or disabled. `varint` selects the RFC encoding (draft-27 on); older drafts
// prefixed the list with a 16-bit length and used 16-bit ids and lengths.
std::uint64_t maxIdleTimeoutMs(core::Bytes params, bool varint);

}  // namespace rustnet::dpi::quic
