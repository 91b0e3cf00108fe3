#pragma once
// Builds protected QUIC packets for the tests: the inverse of what the analyzer opens
// (AES-128-GCM sealing and header protection with libcrypto), plus frame encoders.
#include <cstdint>
#include <vector>

#include "dpi/quic/initial_crypto.h"
#include "dpi/quic/packet.h"

namespace rustnet::test {

using ByteVec = std::vector<std::uint8_t>;

void appendVarint(ByteVec& out, std::uint64_t v);
ByteVec cryptoFrame(std::uint64_t offset, const ByteVec& data, std::uint8_t type = 0x06);
ByteVec connectionCloseFrame(std::uint64_t errorCode);
ByteVec ackFrame(std::uint64_t largest);
ByteVec concat(std::initializer_list<ByteVec> parts);

struct LongPacketSpec {
  std::uint32_t version = 1;
  dpi::quic::PacketType type = dpi::quic::PacketType::Initial;
  ByteVec dcid;
  ByteVec scid;
  ByteVec token;
  std::uint64_t packetNumber = 0;
  std::size_t pnLength = 4;
  bool v2 = false;
};

// Seals `payload` into a long-header packet with header protection (Initial or Handshake
// layout). Payloads shorter than the header-protection sample need padding by the caller.
ByteVec sealLongPacket(const dpi::quic::PacketKeys& keys, const LongPacketSpec& spec, const ByteVec& payload);

// Seals a packet whose unprotected header is given as is (the RFC vectors).
ByteVec sealWithHeader(const dpi::quic::PacketKeys& keys, const ByteVec& header, std::size_t pnOffset,
                       std::uint64_t packetNumber, const ByteVec& payload);

// A short-header (1-RTT) packet: never opened, only recognised.
ByteVec shortPacket(const ByteVec& dcid, std::size_t payloadBytes);

}  // namespace rustnet::test
