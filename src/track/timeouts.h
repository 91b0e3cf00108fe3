#pragma once
// Idle timeouts by protocol and state (SPEC §2), in one place so that docs and code agree
// (docs/connection-lifecycle.md describes the same table and the activity grace).
#include <cstdint>

#include "core/time.h"

namespace rustnet::track {

struct Connection;

struct Timeouts {
  core::Duration tcpEstablished = core::Duration::seconds(300);
  // ESTABLISHED on a web port (80, 443, 8080, 8443 at either end): browsers keep idle
  // HTTP/HTTPS connections open for reuse well beyond five minutes.
  core::Duration tcpEstablishedWeb = core::Duration::seconds(600);
  core::Duration tcpHandshake = core::Duration::seconds(60);  // SYN_SENT, SYN_RECV
  core::Duration tcpClosing = core::Duration::seconds(60);    // FIN_WAIT*, CLOSE_WAIT, LAST_ACK
  core::Duration tcpTimeWait = core::Duration::seconds(30);   // TIME_WAIT, CLOSING
  core::Duration tcpClosed = core::Duration::seconds(5);
  core::Duration udp = core::Duration::seconds(60);
  core::Duration udpActiveFor = core::Duration::seconds(10);  // UDP_ACTIVE below this idle time
  core::Duration udpIdleFor = core::Duration::seconds(30);    // UDP_IDLE below this, then UDP_STALE
  core::Duration icmp = core::Duration::seconds(10);
  core::Duration arp = core::Duration::seconds(30);
  core::Duration other = core::Duration::seconds(60);
  // Application protocols found by DPI, while the transport is open (UDP, TCP ESTABLISHED).
  // A QUIC connection's own idle hint (max_idle_timeout, or 1-10 s after a close) wins.
  core::Duration ssh = core::Duration::seconds(30 * 60);
  core::Duration dns = core::Duration::seconds(30);
  core::Duration quicHandshake = core::Duration::seconds(60);  // QUIC_INITIAL, QUIC_HANDSHAKE
  core::Duration quicConnected = core::Duration::seconds(180);
  core::Duration quicDraining = core::Duration::seconds(10);   // QUIC_DRAINING, QUIC_CLOSED
};

// Activity grace. A connection that only ever carried a packet or two (a scan probe, an
// unanswered datagram, a lone ping) is dropped after half its base timeout; one that has
// been busy for a while (at least kBusyPackets packets over at least kBusyAge) is kept for
// twice its base timeout, since a quiet spell in a long conversation is more likely a
// pause than its end. Linger states whose length the protocol fixes (TCP CLOSED and
// TIME_WAIT) never get a grace.
//
// Beacons are the exception: discovery and sync chatter (mDNS, SSDP, NetBIOS, LLMNR, DHCP,
// Dropbox LAN sync, Spotify, and any UDP to a broadcast or multicast address) sends a
// packet or two every 30 s or so, forever. Halving would split each period into a row of
// its own, so such connections (isBeacon) never get halved, and their timeout is at least
// the UDP one (DNS's 30 s for mDNS/LLMNR would split them too).
inline constexpr std::uint64_t kSparsePackets = 2;
inline constexpr std::uint64_t kBusyPackets = 100;
inline constexpr core::Duration kBusyAge = core::Duration::seconds(60);

// The timeout from the table for `c`'s protocol and state (the application's, when DPI
// knows it), or c.timeoutHint when set.
core::Duration baseTimeout(const Timeouts& t, const Connection& c);
// UDP whose either end is a well-known discovery/sync port, or whose either address is
// broadcast or multicast (including a.b.c.255, the usual subnet broadcast).
bool isBeacon(const Connection& c);
// baseTimeout with the activity grace applied: the idle time after which `c` expires.
core::Duration idleTimeout(const Timeouts& t, const Connection& c);
// A lower bound of idleTimeout over every connection that has no timeoutHint shorter than
// it: connections idle for less than this need not be examined by an expiry sweep.
core::Duration minIdleTimeout(const Timeouts& t);

}  // namespace rustnet::track
