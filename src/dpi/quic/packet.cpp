#include "dpi/quic/packet.h"

namespace rustnet::dpi::quic {

PacketType longPacketType(std::uint8_t firstByte, bool v2) {
  const unsigned bits = (firstByte >> 4) & 0x03;
  if (v2) {
    static constexpr PacketType kV2[4] = {PacketType::Retry, PacketType::Initial, PacketType::ZeroRtt,
                                          PacketType::Handshake};
    return kV2[bits];
  }
  static constexpr PacketType kV1[4] = {PacketType::Initial, PacketType::ZeroRtt, PacketType::Handshake,
                                        PacketType::Retry};
  return kV1[bits];
}

HeaderStatus parseLongHeader(core::Bytes data, bool v2, LongHeader& out) {
  out = LongHeader{};
  core::Cursor c{data};
  auto first = c.u8();
  if (!first || (*first & 0x80) == 0) return HeaderStatus::NotLong;
  auto version = c.be32();
  auto dcidLen = c.u8();
  if (!version || !dcidLen) return HeaderStatus::Malformed;
  auto dcid = c.take(*dcidLen);
  auto scidLen = c.u8();
  if (!dcid || !scidLen) return HeaderStatus::Malformed;
  auto scid = c.take(*scidLen);
  if (!scid) return HeaderStatus::Malformed;
  out.firstByte = *first;
  out.version = *version;
  out.dcid = *dcid;
  out.scid = *scid;
  if (*version == 0) {
    out.type = PacketType::VersionNegotiation;
    out.pnOffset = c.position();
    out.length = data.size();
    return HeaderStatus::Ok;
  }
  // Versions we know limit connection IDs to 20 bytes; longer means this is not QUIC.
  if (dcid->size() > kMaxCidLength || scid->size() > kMaxCidLength) return HeaderStatus::Malformed;
  out.type = longPacketType(*first, v2);
  if (out.type == PacketType::Retry) {
    out.pnOffset = c.position();
    out.length = data.size();
    return HeaderStatus::Ok;
  }
  if (out.type == PacketType::Initial) {
    auto tokenLen = c.varint();
    if (!tokenLen || *tokenLen > c.remaining()) return HeaderStatus::Malformed;
    out.token = *c.take(static_cast<std::size_t>(*tokenLen));
  }
  auto length = c.varint();
  if (!length) return HeaderStatus::Malformed;
  out.pnOffset = c.position();
  // Packet number (1..4 bytes) plus at least some payload must fit in the Length.
  if (*length < 1) return HeaderStatus::Malformed;
  if (*length > c.remaining()) {
    out.truncated = true;
    out.length = data.size();
  } else {
    out.length = out.pnOffset + static_cast<std::size_t>(*length);
  }
  return HeaderStatus::Ok;
}

core::Bytes supportedVersions(core::Bytes datagram, const LongHeader& vn) {
  if (vn.pnOffset > datagram.size()) return {};
  const auto rest = datagram.subspan(vn.pnOffset);
  return rest.first(rest.size() - rest.size() % 4);
}

}  // namespace rustnet::dpi::quic
