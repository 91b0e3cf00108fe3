#pragma once
// What rustnet knows about each QUIC version it may meet on the wire: how to read its
// packets and how its client Initial packets are protected (RFC 9001 §5.2 initial salt,
// RFC 9369 labels and packet types for v2). Facts from the RFCs and the IETF drafts;
// Google's and Facebook's salts as published by their implementations.
#include <cstdint>
#include <optional>
#include <string>

#include "core/cursor.h"

namespace rustnet::dpi::quic {

enum class Family : std::uint8_t {
  Ietf,          // RFC 9000 packets, TLS 1.3 in CRYPTO frames (v1, v2, drafts, mvfst)
  GoogleTls,     // T050/T051: IETF-style Initial, TLS in gQUIC crypto frames (type 0x08)
  GoogleCrypto,  // Q050: IETF-style Initial, CHLO in gQUIC crypto frames (type 0x08)
  GoogleLegacy,  // Q043 .. Q046 and older: Google's own header, CHLO in the clear
};

struct VersionInfo {
  std::uint32_t version = 0;
  Family family = Family::Ietf;
  // Initial salt (20 bytes); empty when Initial packets cannot be opened (greased versions).
  core::Bytes salt;
  bool v2 = false;  // RFC 9369: "quicv2 " labels and rotated long-header packet types
  // Transport parameters as varints (draft-27 on); older drafts used 16-bit fields.
  bool varintTransportParameters = true;
};

// nullopt for versions we do not recognise as QUIC (0 = Version Negotiation is handled by
// the caller).
std::optional<VersionInfo> versionInfo(std::uint32_t version);

// "v1", "v2", "draft-29", "mvfst-27", "Q050", "T051", "VN" for 0, else "0x1a2a3a4a".
std::string versionName(std::uint32_t version);

// RFC 9000 §15: versions 0x?a?a?a?a are reserved to exercise version negotiation.
constexpr bool isReservedVersion(std::uint32_t v) { return (v & 0x0f0f0f0fu) == 0x0a0a0a0au; }

// Google's version tags are ASCII 'Q' or 'T' followed by three digits.
constexpr bool isGoogleVersion(std::uint32_t v) {
  const auto digit = [](std::uint32_t c) { return c >= '0' && c <= '9'; };
  const std::uint32_t lead = v >> 24;
  return (lead == 'Q' || lead == 'T') && digit((v >> 16) & 0xff) && digit((v >> 8) & 0xff) &&
         digit(v & 0xff);
}
// 46 for "Q046"; 0 when not a Google version.
constexpr int googleVersionNumber(std::uint32_t v) {
  if (!isGoogleVersion(v)) return 0;
  return static_cast<int>(((v >> 16) & 0xff) - '0') * 100 + static_cast<int>(((v >> 8) & 0xff) - '0') * 10 +
         static_cast<int>((v & 0xff) - '0');
}

}  // namespace rustnet::dpi::quic
