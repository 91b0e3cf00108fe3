#pragma once
// One tracked conversation. The key is canonical (core::FlowKey); `localIsA` orients it:
// "local" is this host's side, or, when that cannot be told, the initiator (SPEC §2).
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "core/flow_key.h"
#include "core/time.h"
#include "decode/packet.h"
#include "dpi/facts.h"
#include "dpi/inspector.h"
#include "track/rate.h"

namespace rustnet::track {

enum class State : std::uint8_t {
  // TCP, from the local side's point of view
  SynSent, SynRecv, Established, FinWait1, FinWait2, TimeWait, CloseWait, LastAck, Closing,
  Closed,
  // UDP without a known application protocol, by time since the last packet
  UdpActive, UdpIdle, UdpStale,
  // ICMP / ICMPv6
  EchoRequest, EchoReply, IcmpOther,
  // ARP
  ArpRequest, ArpReply,
  // Any other IP protocol (IGMP, GRE, ...)
  Active,
};
// Upper-case name as shown to users ("SYN_SENT", "UDP_ACTIVE", ...).
std::string_view stateName(State s);
// True once the protocol itself has finished the conversation (both FINs sent, or a
// reset): what is left is only a linger time, and leaving the table is a normal close.
bool protocolEnded(State s);

// Why a connection left the live table.
enum class EndReason : std::uint8_t {
  Closed,       // the protocol ended it (TCP close/reset) and its linger time passed
  IdleTimeout,  // no packet for its idle timeout
  Evicted,      // the table was full and this was the least recently active
  ForcedEnd,    // still open when the run ended (end of file, SIGINT/SIGTERM)
};
std::string_view endReasonName(EndReason r);

// What a netfilter log (NFLOG capture) said about the connection's packets: the rule's
// prefix and the local socket's owner. Kept beside the table (Tracker::nflogOf), not in
// Connection: only NFLOG captures have it, and every connection would pay for the pointer.
// Immutable once made, so records share it; a field learned later (the uid of a flow
// whose first packet was a reply) makes a new one.
struct NflogInfo {
  std::string prefix;     // raw wire bytes (capped by the decoder): escape to show
  std::int64_t uid = -1;  // -1 = not logged
  std::int64_t gid = -1;
};

struct DirectionCounters {
  std::uint64_t packets = 0;
  std::uint64_t bytes = 0;  // wire length of the frames
};

// TCP details kept per connection: what the state machine needs, plus health figures.
// The 64-bit times first so that the struct has no holes but its tail (40 bytes).
struct TcpInfo {
  std::int64_t synNs = 0;           // time of the first SYN, for the handshake RTT
  std::int64_t handshakeRttNs = 0;  // see tcp_state.h for what is measured (0 = unknown)
  std::uint32_t finSeqLocal = 0;   // sequence number just after the local FIN
  std::uint32_t finSeqRemote = 0;  // sequence number just after the remote FIN
  std::uint32_t nextSeqLocal = 0;  // highest seq+len seen from each side (retransmission check)
  std::uint32_t nextSeqRemote = 0;
  std::uint32_t retransmissions = 0;
  std::uint16_t flags = 0;          // bit set of what has been seen (tcp_state.h, tcpseen)
};

// Field order matters: a million of these must fit in about 300 bytes each (issue 6), so
// the one-byte fields fill the tail of the 42-byte key and nothing leaves a hole. See the
// static_assert below before adding a field.
struct Connection {
  core::FlowKey key;
  bool localIsA = true;
  State state = State::Active;
  std::uint8_t icmpType = 0;  // last ICMP type seen, for a readable IcmpOther name
  // The local side opened the conversation: it sent the first SYN (or, for other
  // protocols, the first packet); for TCP first seen mid-stream, it has the higher port.
  bool localInitiated = true;
  bool dpiDone = false;  // inspection ended: no inspector will be created again
  // The outermost tunnel its packets came in (None for the carrying flows themselves).
  decode::Tunnel tunnel = decode::Tunnel::None;

  std::uint64_t id = 0;       // unique within a run: stable handle for UIs and events
  // Idle timeout chosen by a later stage that knows the application (DPI: a QUIC peer's
  // max_idle_timeout, a DNS exchange...). Zero: the protocol/state table decides.
  core::Duration timeoutHint;

  core::Timestamp firstSeen;
  core::Timestamp lastSeen;
  DirectionCounters sent;      // local → remote
  DirectionCounters received;  // remote → local
  RateMeter rateOut;
  RateMeter rateIn;
  TcpInfo tcp;

  // Deep packet inspection (SPEC §3). The inspector exists from the first payload until
  // its facts are final; then only the facts stay, in `published` (null when DPI found
  // nothing), shared by every record made afterwards. While it runs, records share the
  // inspector's facts (copy on write, see dpi::Inspector::shareFacts), so there is one
  // copy per connection, not one per record: connections that DPI still watches (DNS,
  // QUIC) are many, and every one is in a record when a file ends.
  std::unique_ptr<dpi::Inspector> inspector;
  std::shared_ptr<const dpi::Facts> published;

  [[nodiscard]] std::uint8_t proto() const { return key.proto; }
  // What DPI knows now (nullptr when nothing was inspected).
  [[nodiscard]] const dpi::Facts* facts() const {
    return inspector ? &inspector->facts() : published.get();
  }
  [[nodiscard]] const core::Endpoint& local() const { return localIsA ? key.a : key.b; }
  [[nodiscard]] const core::Endpoint& remote() const { return localIsA ? key.b : key.a; }
  [[nodiscard]] std::uint64_t totalPackets() const { return sent.packets + received.packets; }
};

// The readable name of an ICMP (proto 1) or ICMPv6 (proto 58) message type, upper case
// like the states ("DEST_UNREACHABLE", "NEIGHBOR_SOLICITATION"); empty when unknown.
// The table's memory per connection is this plus 8 bytes of LRU links and ~16 bytes of
// index (track/connection_table.h). Growing it costs every tracked connection: keep the
// one-byte fields in the key's tail and the rest free of padding.
static_assert(sizeof(Connection) <= 248, "Connection grew: see the field-order note above");

std::string_view icmpTypeName(std::uint8_t proto, std::uint8_t type);
// The label to show for `c` in `state` (usually Tracker::displayState): the state name,
// except for ICMP rows that are not echo, which show the message type's name, and for
// connections whose application state DPI knows (QUIC_*, DNS_*, the SSH states), which
// show that while the transport is open (UDP, or TCP ESTABLISHED).
std::string_view stateLabel(const Connection& c, State state);
// c.facts() for records, immutable to their holders: the kept facts once inspection ended,
// the inspector's shared ones while it runs (it copies before changing shared facts);
// nullptr when DPI found nothing. Worker thread only.
std::shared_ptr<const dpi::Facts> publishedFacts(const Connection& c);

}  // namespace rustnet::track
