#pragma once
// Parsers for the two TLS handshake messages DPI cares about: ClientHello (SNI, ALPN, the
// highest version offered, ECH, QUIC transport parameters) and ServerHello (negotiated
// version and cipher suite). They take the message body — what follows the 4-byte
// handshake header — so the same code serves TLS records over TCP and QUIC CRYPTO frames.
// A body cut short (a ClientHello larger than our reassembly cap) still yields every field
// that lies wholly inside what was given, with status Truncated.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/cursor.h"

namespace rustnet::dpi::tls {

// ALPN protocol names kept from one ClientHello, and the length kept of each.
inline constexpr std::size_t kMaxAlpnProtocols = 8;
inline constexpr std::size_t kMaxAlpnNameLength = 32;
// Extensions walked in one hello; the walk is also bounded by the length, this caps the work.
inline constexpr std::size_t kMaxHelloExtensions = 256;

namespace handshake {
inline constexpr std::uint8_t kClientHello = 1;
inline constexpr std::uint8_t kServerHello = 2;
}  // namespace handshake

namespace ext {
inline constexpr std::uint16_t kServerName = 0x0000;
inline constexpr std::uint16_t kAlpn = 0x0010;
inline constexpr std::uint16_t kSupportedVersions = 0x002b;
inline constexpr std::uint16_t kQuicTransportParameters = 0x0039;
inline constexpr std::uint16_t kQuicTransportParametersDraft = 0xffa5;
inline constexpr std::uint16_t kEncryptedClientHello = 0xfe0d;
inline constexpr std::uint16_t kEncryptedServerName = 0xffce;  // the withdrawn ESNI drafts
}  // namespace ext

enum class ParseStatus : std::uint8_t {
  Ok,
  Truncated,  // input ended early; fields wholly inside it are filled
  Malformed,  // a length or value is inconsistent; fields read before it are filled
};

// RFC 8701 GREASE values (0x0a0a, 0x1a1a, ... 0xfafa) that clients sprinkle in lists.
constexpr bool isGrease(std::uint16_t v) {
  return (v & 0x0f0f) == 0x0a0a && (v >> 8) == (v & 0xff);
}

struct ClientHello {
  std::uint16_t legacyVersion = 0;  // the version field of the hello itself
  std::uint16_t maxVersion = 0;     // highest offered; supported_versions wins when present
  bool hasSupportedVersions = false;
  std::string sni;                  // first host_name entry, raw bytes capped (not escaped)
  std::vector<std::string> alpn;    // offered protocols in order, capped in count and length
  bool ech = false;                 // encrypted_client_hello offered: `sni` is the outer name
  bool esni = false;                // legacy encrypted_server_name offered
  std::uint16_t cipherSuiteCount = 0;
  std::uint16_t extensionCount = 0;
  // View of the QUIC transport parameters extension inside the parsed input: valid only as
  // long as that input is. Empty when absent.
  core::Bytes quicTransportParameters;
  bool quicTransportParametersDraft = false;  // carried under the pre-RFC codepoint 0xffa5
};

struct ServerHello {
  std::uint16_t legacyVersion = 0;
  std::uint16_t version = 0;  // negotiated: supported_versions when present, else legacy
  std::uint16_t cipherSuite = 0;
  bool helloRetryRequest = false;  // the special random of RFC 8446 §4.1.3
  std::string alpn;                // selected protocol (TLS 1.2 only: 1.3 hides it)
};

ParseStatus parseClientHello(core::Bytes body, ClientHello& out);
ParseStatus parseServerHello(core::Bytes body, ServerHello& out);

// "SSL3.0", "TLS1.0" ... "TLS1.3", "TLS1.3-draft" for 0x7fxx; empty for anything else.
std::string_view versionName(std::uint16_t version);
// IANA name for common suites ("TLS_AES_128_GCM_SHA256"); empty when not in our table.
std::string_view cipherSuiteName(std::uint16_t suite);

}  // namespace rustnet::dpi::tls
