#pragma once
// Google QUIC before the IETF design: the client's CHLO handshake message (a tag/value map
// whose SNI tag names the server) and, for versions up to Q046, the public header and
// STREAM frame that carry it in the clear.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "core/cursor.h"

namespace rustnet::dpi::quic {

// Tags walked in one CHLO (real ones carry about 20); also bounded by its length.
inline constexpr std::size_t kMaxChloTags = 64;

struct Chlo {
  std::string sni;        // raw, capped
  std::string userAgent;  // UAID, raw, capped
};

enum class ChloStatus : std::uint8_t { Ok, NotChlo, Truncated, Malformed };

// Total length of the handshake message starting `data` ("CHLO" + header + values), once
// its header and tag table are present.
std::optional<std::size_t> chloLength(core::Bytes data);
ChloStatus parseChlo(core::Bytes data, Chlo& out);

struct LegacyPacket {
  std::uint32_t version = 0;
  core::Bytes streamData;  // STREAM frame data on the crypto stream (id 1): the CHLO
  std::uint64_t streamOffset = 0;
};

// Reads a gQUIC (<= Q046) packet sent with its version (the client's first packets): the
// version, then the crypto-stream data of its first frame when that frame is a STREAM
// frame on stream 1. nullopt when the packet is not such a packet.
std::optional<LegacyPacket> parseLegacyClientPacket(core::Bytes datagram);

}  // namespace rustnet::dpi::quic
