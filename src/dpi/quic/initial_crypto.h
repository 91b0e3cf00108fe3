#pragma once
// Removal of QUIC Initial packet protection (RFC 9001 §5, RFC 9369 §3.3): keys derived from
// the client's first Destination Connection ID with HKDF-SHA256, AES-128-ECB header
// protection, AES-128-GCM payload protection. OpenSSL's libcrypto does the arithmetic.
// Only Initial packets can be opened by an observer; that is all DPI needs.
#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "core/cursor.h"
#include "dpi/quic/versions.h"

namespace rustnet::dpi::quic {

inline constexpr std::size_t kAeadTagLength = 16;
inline constexpr std::size_t kHpSampleLength = 16;

struct PacketKeys {
  std::array<std::uint8_t, 16> key{};
  std::array<std::uint8_t, 12> iv{};
  std::array<std::uint8_t, 16> hp{};
};

struct InitialKeys {
  PacketKeys client;
  PacketKeys server;
};

// RFC 5869 HKDF-Extract with SHA-256.
bool hkdfExtract(core::Bytes salt, core::Bytes ikm, std::span<std::uint8_t, 32> prk);
// RFC 8446 §7.1 HKDF-Expand-Label with SHA-256 and an empty context ("tls13 " + label).
bool hkdfExpandLabel(core::Bytes secret, std::string_view label, std::span<std::uint8_t> out);
// key/iv/hp from a traffic secret; `v2` selects the "quicv2 " labels of RFC 9369.
bool derivePacketKeys(core::Bytes secret, bool v2, PacketKeys& out);
// Both sides' Initial keys for a version (which must have a salt) and a client DCID.
bool deriveInitialKeys(const VersionInfo& version, core::Bytes dcid, InitialKeys& out);
// The same in two steps, so that a caller can derive one side's keys only when it needs
// them: the initial secret (HKDF-Extract of the DCID under the version's salt), then the
// client's ("client in") or the server's ("server in") packet keys from it.
bool deriveInitialSecret(const VersionInfo& version, core::Bytes dcid, std::span<std::uint8_t, 32> out);
bool deriveSideKeys(core::Bytes initialSecret, bool server, bool v2, PacketKeys& out);

// The first five bytes of AES-ECB(hp, sample).
bool headerProtectionMask(const std::array<std::uint8_t, 16>& hp, core::Bytes sample,
                          std::array<std::uint8_t, 5>& mask);

// RFC 9000 §A.3: the full packet number closest to largest + 1 with the given low bits.
std::uint64_t decodePacketNumber(std::uint64_t largest, bool anyLargest, std::uint64_t truncated,
                                 std::size_t pnLength);

struct OpenedPacket {
  std::uint8_t firstByte = 0;     // with header protection removed
  std::uint64_t packetNumber = 0;
  std::size_t pnLength = 0;
  core::Bytes payload;            // the frames: a view into the scratch buffer
};

enum class OpenStatus : std::uint8_t { Ok, TooShort, AuthFailed, CryptoError };

// Opens one long-header packet (`packet` spans its first byte to the end of its Length
// field's extent; `pnOffset` is where the packet number starts). The header and plaintext
// are written into `scratch`, which grows to the packet size once and is then reused.
// Cost: two AES key schedules and the GCM pass; no allocation once `scratch` has grown
// (the cipher contexts are kept per thread).
OpenStatus openLongHeaderPacket(const PacketKeys& keys, core::Bytes packet, std::size_t pnOffset,
                                std::uint64_t largestPn, bool anyLargest,
                                std::vector<std::uint8_t>& scratch, OpenedPacket& out);

}  // namespace rustnet::dpi::quic
