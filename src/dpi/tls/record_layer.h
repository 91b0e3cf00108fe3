#pragma once
// Finds the first handshake message at the start of one direction of a TLS-over-TCP
// stream: skips a PROXY-protocol header (v1 text or v2 binary) that a load balancer may put
// first, walks TLS records of type handshake and joins their payloads until the message is
// whole. Recognises TLS by content alone, so it works on any port.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "core/cursor.h"

namespace rustnet::dpi::tls {

// Bytes of one direction's stream buffered to find its first handshake message (the
// ClientHello of post-quantum browsers is ~2 KiB; some clients send 10+ KiB).
inline constexpr std::size_t kMaxClientHelloBytes = 64 * 1024;
// Largest TLS record accepted (2^14 plaintext + 2048 expansion, RFC 8446 §5.2).
inline constexpr std::size_t kMaxRecordLength = 16384 + 2048;
// A PROXY v1 line is at most 107 bytes (haproxy's proxy-protocol.txt); v2 is binary.
inline constexpr std::size_t kMaxProxyV1Length = 107;

struct ProxyHeader {
  enum class Status : std::uint8_t { NotProxy, NeedMore, Found };
  Status status = Status::NotProxy;
  std::size_t length = 0;  // bytes to skip when Found
};
ProxyHeader detectProxyHeader(core::Bytes stream);

struct HandshakeScan {
  enum class Status : std::uint8_t {
    NeedMore,   // looks like TLS so far; feed more bytes
    NotTls,     // the stream does not start with a TLS handshake record
    Complete,   // `body` holds the whole first handshake message
    Truncated,  // the stream reached its cap first: `body` holds what fitted
  };
  Status status = Status::NeedMore;
  std::uint8_t type = 0;              // handshake type (1 ClientHello, 2 ServerHello)
  std::uint32_t declaredLength = 0;   // body length announced by the handshake header
  std::uint16_t recordVersion = 0;    // version field of the first record
  std::size_t proxyHeaderLength = 0;  // PROXY-protocol bytes skipped, 0 when none
  core::Bytes body;                   // view into `stream` or into `scratch`
};

// Scans `stream`, which must be the beginning of one direction (all bytes from offset 0 that
// have arrived in order). `atCap` says no more bytes will be added (the reassembly cap was
// reached), so an incomplete message is returned as Truncated. When the message spans
// several records its body is copied into `scratch`; otherwise nothing is copied.
HandshakeScan scanFirstHandshake(core::Bytes stream, bool atCap, std::vector<std::uint8_t>& scratch);

// Cheap test on the first bytes of a direction: could this be a TLS handshake record?
bool looksLikeTlsHandshake(core::Bytes start);

}  // namespace rustnet::dpi::tls
