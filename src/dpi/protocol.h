#pragma once
// What a protocol folder declares about itself, so that nothing outside src/dpi/<name>/
// names it: the application protocols it reports (AppProtocol), the application states it
// moves through (AppStateInfo), and how long a quiet connection in them lives (IdleClass).
// The registry (registry.h) lists every folder's entry; everything else walks it.
#include <cstdint>
#include <string_view>

namespace rustnet::dpi {

// Which of the tracker's idle timeouts applies (track/timeouts.h maps each to a value), so
// that a protocol says "like a DNS exchange" without the tracker knowing the protocol.
enum class IdleClass : std::uint8_t {
  Transport,  // the transport's own timeout (UDP 60 s, TCP by state)
  Handshake,  // an encrypted handshake under way (QUIC Initial/Handshake)
  Connected,  // an established UDP session (QUIC connected)
  Draining,   // closing down (QUIC draining/closed)
  Exchange,   // a short request/response exchange (DNS)
  Session,    // a long-lived interactive session (SSH)
  Web,        // web traffic, kept open for reuse (HTTP, HTTPS)
};

// An application protocol as users see it: "HTTPS", "DNS", "mDNS".
struct AppProtocol {
  std::string_view name;   // shown in the table, JSON `dpi_protocol`, `dpi_hits` key
  std::string_view alias;  // also accepted by the filter's proto: ("tls" for HTTPS); may be empty
  IdleClass tcpIdle = IdleClass::Transport;  // while its TCP connection is ESTABLISHED
};
// nullptr while DPI has not recognised the protocol.
using AppProto = const AppProtocol*;

// Name as shown; empty for an unknown protocol.
constexpr std::string_view appProtoName(AppProto p) { return p != nullptr ? p->name : std::string_view(); }

// An application state (SPEC §2). A protocol's states share a family and are ordered by
// rank: a state may only be followed by a later one of its own family.
struct AppStateInfo {
  std::string_view name;    // "QUIC_CONNECTED", "DNS_QUERY", "BANNER"
  std::string_view family;  // "quic", "dns", "ssh"
  std::uint8_t rank = 0;
  IdleClass idle = IdleClass::Transport;  // for UDP connections in this state
};
// nullptr until an analyzer sets one.
using AppState = const AppStateInfo*;

constexpr std::string_view appStateName(AppState s) { return s != nullptr ? s->name : std::string_view(); }

}  // namespace rustnet::dpi
