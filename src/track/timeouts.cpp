#include "track/timeouts.h"

#include <algorithm>
#include <optional>

#include "track/connection.h"

namespace rustnet::track {

namespace {
bool isWebPort(std::uint16_t port) {
  return port == 80 || port == 443 || port == 8080 || port == 8443;
}

// What an application's idle class means in this table; nullopt for the transport's own.
std::optional<core::Duration> idleFor(const Timeouts& t, dpi::IdleClass c) {
  switch (c) {
    case dpi::IdleClass::Transport: return std::nullopt;
    case dpi::IdleClass::Handshake: return t.quicHandshake;
    case dpi::IdleClass::Connected: return t.quicConnected;
    case dpi::IdleClass::Draining: return t.quicDraining;
    case dpi::IdleClass::Exchange: return t.dns;
    case dpi::IdleClass::Session: return t.ssh;
    case dpi::IdleClass::Web: return t.tcpEstablishedWeb;
  }
  return std::nullopt;
}

// The application's timeout, when DPI knows the application and its transport is open:
// over UDP the application state's class, over an established TCP connection the
// protocol's.
std::optional<core::Duration> appTimeout(const Timeouts& t, const Connection& c) {
  const dpi::Facts* f = c.facts();
  if (f == nullptr) return std::nullopt;
  if (c.proto() == core::proto::kUdp) {
    if (const auto hint = f->idleTimeoutHint()) return *hint;
    return f->state() != nullptr ? idleFor(t, f->state()->idle) : std::nullopt;
  }
  if (c.proto() == core::proto::kTcp && c.state == State::Established && f->proto() != nullptr) {
    return idleFor(t, f->proto()->tcpIdle);
  }
  return std::nullopt;
}
}  // namespace

core::Duration baseTimeout(const Timeouts& t, const Connection& c) {
  if (c.timeoutHint.ns > 0) return c.timeoutHint;
  if (const auto app = appTimeout(t, c)) return *app;
  switch (c.state) {
    case State::SynSent:
    case State::SynRecv:
      return t.tcpHandshake;
    case State::Established:
      return isWebPort(c.key.a.port) || isWebPort(c.key.b.port) ? t.tcpEstablishedWeb
                                                                 : t.tcpEstablished;
    case State::FinWait1:
    case State::FinWait2:
    case State::CloseWait:
    case State::LastAck:
      return t.tcpClosing;
    case State::TimeWait:
    case State::Closing:
      return t.tcpTimeWait;
    case State::Closed:
      return t.tcpClosed;
    case State::UdpActive:
    case State::UdpIdle:
    case State::UdpStale:
      return t.udp;
    case State::EchoRequest:
    case State::EchoReply:
    case State::IcmpOther:
      return t.icmp;
    case State::ArpRequest:
    case State::ArpReply:
      return t.arp;
    case State::Active:
      return t.other;
  }
  return t.other;
}

namespace {
bool lingerState(State s) { return s == State::Closed || s == State::TimeWait; }

bool isDiscoveryPort(std::uint16_t port) {
  switch (port) {
    case 67:     // DHCP server
    case 68:     // DHCP client
    case 137:    // NetBIOS name service
    case 138:    // NetBIOS datagrams
    case 1900:   // SSDP
    case 3702:   // WS-Discovery
    case 5353:   // mDNS
    case 5355:   // LLMNR
    case 17500:  // Dropbox LAN sync
    case 57621:  // Spotify
      return true;
    default:
      return false;
  }
}

bool isBroadcastLike(const core::IpAddr& a) {
  return a.isMulticastOrBroadcast() || (a.isV4() && a.bytes()[15] == 0xff);
}
}  // namespace

bool isBeacon(const Connection& c) {
  if (c.proto() != core::proto::kUdp) return false;
  return isDiscoveryPort(c.key.a.port) || isDiscoveryPort(c.key.b.port) || isBroadcastLike(c.key.a.addr) ||
         isBroadcastLike(c.key.b.addr);
}

core::Duration idleTimeout(const Timeouts& t, const Connection& c) {
  const core::Duration base = baseTimeout(t, c);
  if (lingerState(c.state)) return base;
  const std::uint64_t packets = c.totalPackets();
  if (isBeacon(c)) {
    const core::Duration floor = std::max(base, t.udp);
    if (packets >= kBusyPackets && c.lastSeen - c.firstSeen >= kBusyAge) return floor * 2;
    return floor;
  }
  if (packets <= kSparsePackets) return base / 2;
  if (packets >= kBusyPackets && c.lastSeen - c.firstSeen >= kBusyAge) return base * 2;
  return base;
}

core::Duration minIdleTimeout(const Timeouts& t) {
  const core::Duration halved =
      std::min({t.tcpEstablished, t.tcpEstablishedWeb, t.tcpHandshake, t.tcpClosing, t.tcpTimeWait,
                t.udp, t.icmp, t.arp, t.other, t.ssh, t.dns, t.quicHandshake, t.quicConnected,
                t.quicDraining}) /
      2;
  return std::min({halved, t.tcpClosed, t.tcpTimeWait});
}

}  // namespace rustnet::track
