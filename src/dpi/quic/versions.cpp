#include "dpi/quic/versions.h"

#include <array>

#include <fmt/format.h>

namespace rustnet::dpi::quic {

namespace {

using Salt = std::array<std::uint8_t, 20>;

// RFC 9001 §5.2 (also draft-ietf-quic-tls-33 and -34).
constexpr Salt kSaltV1{0x38, 0x76, 0x2c, 0xf7, 0xf5, 0x59, 0x34, 0xb3, 0x4d, 0x17,
                       0x9a, 0xe6, 0xa4, 0xc8, 0x0c, 0xad, 0xcc, 0xbb, 0x7f, 0x0a};
// RFC 9369 §3.3.1.
constexpr Salt kSaltV2{0x0d, 0xed, 0xe3, 0xde, 0xf7, 0x00, 0xa6, 0xdb, 0x81, 0x93,
                       0x81, 0xbe, 0x6e, 0x26, 0x9d, 0xcb, 0xf9, 0xbd, 0x2e, 0xd9};
// draft-ietf-quic-v2-00 .. -04 (version 0x709a50c4).
constexpr Salt kSaltV2Draft{0xa7, 0x07, 0xc2, 0x03, 0xa5, 0x9b, 0x47, 0x18, 0x4a, 0x1d,
                            0x62, 0xca, 0x57, 0x04, 0x06, 0xea, 0x7a, 0xe3, 0xe5, 0xd3};
// draft-ietf-quic-tls-29 .. -32.
constexpr Salt kSaltDraft29{0xaf, 0xbf, 0xec, 0x28, 0x99, 0x93, 0xd2, 0x4c, 0x9e, 0x97,
                            0x86, 0xf1, 0x9c, 0x61, 0x11, 0xe0, 0x43, 0x90, 0xa8, 0x99};
// draft-ietf-quic-tls-23 .. -28 (and mvfst's draft-27 versions).
constexpr Salt kSaltDraft23{0xc3, 0xee, 0xf7, 0x12, 0xc7, 0x2e, 0xbb, 0x5a, 0x11, 0xa7,
                            0xd2, 0x43, 0x2b, 0xb4, 0x63, 0x65, 0xbe, 0xf9, 0xf5, 0x02};
// draft-ietf-quic-tls-21 and -22 (and mvfst's draft-22 version).
constexpr Salt kSaltDraft22{0x7f, 0xbc, 0xdb, 0x0e, 0x7c, 0x66, 0xbb, 0xe9, 0x19, 0x3a,
                            0x96, 0xcd, 0x21, 0x51, 0x9e, 0xbd, 0x7a, 0x02, 0x64, 0x4a};
// Google QUIC with IETF-style Initial protection.
constexpr Salt kSaltQ050{0x50, 0x45, 0x74, 0xef, 0xd0, 0x66, 0xfe, 0x2f, 0x9d, 0x94,
                         0x5c, 0xfc, 0xdb, 0xd3, 0xa7, 0xf0, 0xd3, 0xb5, 0x6b, 0x45};
constexpr Salt kSaltT050{0x7f, 0xf5, 0x79, 0xe5, 0xac, 0xd0, 0x72, 0x91, 0x55, 0x80,
                         0x30, 0x4c, 0x43, 0xa2, 0x36, 0x7c, 0x60, 0x48, 0x83, 0x10};
constexpr Salt kSaltT051{0x7a, 0x4e, 0xde, 0xf4, 0xe7, 0xcc, 0xee, 0x5f, 0xa4, 0x50,
                         0x6c, 0x19, 0x12, 0x4f, 0xc8, 0xcc, 0xda, 0x6e, 0x03, 0x3d};

constexpr std::uint32_t kV1 = 0x00000001;
constexpr std::uint32_t kV2 = 0x6b3343cf;
constexpr std::uint32_t kV2Draft = 0x709a50c4;
constexpr std::uint32_t kMvfst22 = 0xfaceb001;
constexpr std::uint32_t kMvfst27 = 0xfaceb002;
constexpr std::uint32_t kMvfstExperimental = 0xfaceb00e;  // draft-27 based, like 0xfaceb002

VersionInfo ietf(std::uint32_t v, const Salt& salt, bool varintTp) {
  return VersionInfo{v, Family::Ietf, core::Bytes(salt), false, varintTp};
}

}  // namespace

std::optional<VersionInfo> versionInfo(std::uint32_t v) {
  if (v == kV1) return ietf(v, kSaltV1, true);
  if (v == kV2) return VersionInfo{v, Family::Ietf, core::Bytes(kSaltV2), true, true};
  if (v == kV2Draft) return VersionInfo{v, Family::Ietf, core::Bytes(kSaltV2Draft), true, true};
  if ((v >> 8) == 0xff0000) {
    const std::uint32_t draft = v & 0xff;
    if (draft >= 33 && draft <= 34) return ietf(v, kSaltV1, true);
    if (draft >= 29 && draft <= 32) return ietf(v, kSaltDraft29, true);
    if (draft >= 27) return ietf(v, kSaltDraft23, true);
    if (draft >= 23) return ietf(v, kSaltDraft23, false);
    if (draft >= 21) return ietf(v, kSaltDraft22, false);
    return std::nullopt;  // older drafts protected packets differently
  }
  if (v == kMvfst22) return ietf(v, kSaltDraft22, false);
  if (v == kMvfst27 || v == kMvfstExperimental) return ietf(v, kSaltDraft23, true);
  if (isReservedVersion(v)) return VersionInfo{v, Family::Ietf, {}, false, true};
  const int g = googleVersionNumber(v);
  if (g == 0) return std::nullopt;
  if ((v >> 24) == 'T') {
    if (g == 50) return VersionInfo{v, Family::GoogleTls, core::Bytes(kSaltT050), false, false};
    if (g == 51) return VersionInfo{v, Family::GoogleTls, core::Bytes(kSaltT051), false, true};
    return std::nullopt;
  }
  if (g == 50) return VersionInfo{v, Family::GoogleCrypto, core::Bytes(kSaltQ050), false, false};
  if (g >= 20 && g <= 46) return VersionInfo{v, Family::GoogleLegacy, {}, false, false};
  return std::nullopt;
}

std::string versionName(std::uint32_t v) {
  if (v == 0) return "VN";
  if (v == kV1) return "v1";
  if (v == kV2) return "v2";
  if (v == kV2Draft) return "v2-draft";
  if ((v >> 8) == 0xff0000) return fmt::format("draft-{}", v & 0xff);
  if (v == kMvfst22) return "mvfst-22";
  if (v == kMvfst27) return "mvfst-27";
  if (v == kMvfstExperimental) return "mvfst-exp";
  if (isGoogleVersion(v)) {
    return std::string{static_cast<char>(v >> 24), static_cast<char>(v >> 16), static_cast<char>(v >> 8),
                       static_cast<char>(v)};
  }
  return fmt::format("0x{:08x}", v);
}

}  // namespace rustnet::dpi::quic
