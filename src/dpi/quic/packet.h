#pragma once
// QUIC packet headers (RFC 8999 invariants, RFC 9000 §17, RFC 9369 §3.2): long headers are
// parsed in full so that coalesced packets in one datagram can be walked; short headers
// only identify themselves (their connection ID length is not on the wire).
#include <cstddef>
#include <cstdint>

#include "core/cursor.h"

namespace rustnet::dpi::quic {

// Coalesced packets walked in one datagram (RFC 9000 §12.2 allows any number; real stacks
// send at most Initial + 0-RTT/Handshake + 1-RTT).
inline constexpr std::size_t kMaxQuicPacketsPerDatagram = 8;
// RFC 9000 §17.2: connection IDs of version 1 are at most 20 bytes; the invariants allow
// 255, and we accept that much for unknown versions' Version Negotiation.
inline constexpr std::size_t kMaxCidLength = 20;

enum class PacketType : std::uint8_t {
  Initial,
  ZeroRtt,
  Handshake,
  Retry,
  VersionNegotiation,
  Short,
};

struct LongHeader {
  std::uint8_t firstByte = 0;  // still header-protected in its low bits
  std::uint32_t version = 0;
  PacketType type = PacketType::Initial;
  core::Bytes dcid;
  core::Bytes scid;
  core::Bytes token;           // Initial only
  std::size_t pnOffset = 0;    // where the protected packet number starts
  std::size_t length = 0;      // bytes of the datagram this packet occupies
  bool truncated = false;      // the Length field runs past the captured bytes
};

enum class HeaderStatus : std::uint8_t { Ok, NotLong, Malformed };

// The long-header packet type from the first byte: v2 (RFC 9369 §3.2) rotates the codes.
PacketType longPacketType(std::uint8_t firstByte, bool v2);

// Parses the long-header packet at the start of `data` (the rest of a datagram). Version
// Negotiation and Retry extend to the end of the datagram. When the Length field runs past
// `data` (a capture's snaplen cut it), the header is still returned with `truncated` set
// and `length` clipped. `v2` tells how to read the type bits.
HeaderStatus parseLongHeader(core::Bytes data, bool v2, LongHeader& out);

// The versions listed by a Version Negotiation packet (after its connection IDs).
core::Bytes supportedVersions(core::Bytes datagram, const LongHeader& vn);

}  // namespace rustnet::dpi::quic
