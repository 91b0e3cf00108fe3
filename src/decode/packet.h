#pragma once
// Stateless decoding of one captured frame: link layer → IP → transport. The result is a
// PacketView of plain fields plus a view of the transport payload that aliases the frame
// (valid only while the frame is). No allocation, no exceptions.
#include <array>
#include <cstdint>

#include "core/cursor.h"
#include "core/ip_addr.h"
#include "core/time.h"

namespace rustnet::decode {

enum class LinkType : std::uint8_t {
  Ethernet,   // DLT_EN10MB, with 802.1Q / 802.1ad (QinQ) tags
  Null,       // DLT_NULL: 4-byte address family in the capturing host's byte order
  Loop,       // DLT_LOOP: 4-byte address family in network byte order
  RawIp,      // DLT_RAW / LINKTYPE_RAW: IPv4 or IPv6 by version nibble
  RawIpv4,    // LINKTYPE_IPV4
  RawIpv6,    // LINKTYPE_IPV6
  LinuxSll,   // LINKTYPE_LINUX_SLL (16-byte cooked header)
  LinuxSll2,  // LINKTYPE_LINUX_SLL2 (20-byte cooked header)
  Ppp,        // DLT_PPP (with or without the ff 03 address/control bytes)
  Pktap,      // LINKTYPE_PKTAP (macOS): a metadata header, then a frame of another DLT
  Unsupported,
};
const char* linkTypeName(LinkType t);

enum class Status : std::uint8_t {
  Ok,           // fields below are valid; payload may be shorter than payloadWireLen
  Fragment,     // a non-first IP fragment: addresses valid, no transport header
  NotIp,        // a well-formed frame we do not track (LLDP, STP, other ethertypes)
  Unsupported,  // link type we cannot decode
  Malformed,    // headers inconsistent or cut before the transport ports
};
const char* statusName(Status s);

enum class Network : std::uint8_t { None, Ipv4, Ipv6, Arp };

namespace tcpflag {
inline constexpr std::uint8_t kFin = 0x01;
inline constexpr std::uint8_t kSyn = 0x02;
inline constexpr std::uint8_t kRst = 0x04;
inline constexpr std::uint8_t kPsh = 0x08;
inline constexpr std::uint8_t kAck = 0x10;
inline constexpr std::uint8_t kUrg = 0x20;
}  // namespace tcpflag

// Caps on attacker-controlled loops in the decoder.
inline constexpr int kMaxVlanTags = 4;        // stacked 802.1Q/802.1ad tags
inline constexpr int kMaxIpv6ExtHeaders = 8;  // extension headers walked
// Tunnels unwrapped, of any kind (IP-in-IP, GRE, GTP-U, ...): what lies deeper stays the
// payload of the last level opened, and the packet says it hit the cap (tunnelCapped).
inline constexpr int kMaxTunnelDepth = 3;

// The outermost tunnel a packet was found in (docs/architecture.md, "Tunnels").
enum class Tunnel : std::uint8_t { None, IpInIp, Gre, Erspan, GtpU, Vxlan, Teredo };
// "GTP-U", "VXLAN", ...; "" for None.
const char* tunnelName(Tunnel t);

// The flow that carries a tunnel on the wire: the outermost UDP (GTP-U, VXLAN, Teredo) or
// GRE (GRE, ERSPAN) conversation, kept as a connection of its own. IP-in-IP has none.
struct OuterFlow {
  core::IpAddr src;
  core::IpAddr dst;
  std::uint16_t sport = 0;
  std::uint16_t dport = 0;
  std::uint8_t proto = 0;  // 0: no outer flow
  Network network = Network::None;
  std::uint8_t ttl = 0;
};

struct PacketView {
  core::Timestamp ts;
  // Length on the wire (pcap len); byte counts use this. Never less than capLen: a record
  // that claims fewer wire bytes than it captured is taken at its captured size.
  std::uint32_t wireLen = 0;
  std::uint32_t capLen = 0;   // bytes captured

  Network network = Network::None;
  std::uint16_t vlan = 0;  // innermost 802.1Q VLAN id, 0 when untagged
  std::uint8_t vlanDepth = 0;

  // IP (innermost when tunnelled)
  core::IpAddr src;
  core::IpAddr dst;
  std::uint8_t proto = 0;  // transport protocol after IPv6 extension headers
  std::uint8_t ttl = 0;
  bool fragmented = false;  // part of a fragmented datagram (first fragments keep ports)
  std::uint8_t tunnelDepth = 0;  // tunnel levels unwrapped to reach the fields above
  Tunnel tunnel = Tunnel::None;  // the outermost one
  bool tunnelCapped = false;     // kMaxTunnelDepth left a further tunnel unopened
  // This view is the outer flow of a tunnelled frame (outerView()): tracked, but the frame
  // is counted in the decode statistics through its inner view only.
  bool tunnelOuter = false;
  OuterFlow outer;  // the carrying flow, when `tunnel` has one

  // Transport
  std::uint16_t sport = 0;
  std::uint16_t dport = 0;
  std::uint8_t tcpFlags = 0;
  std::uint32_t seq = 0;
  std::uint32_t ack = 0;
  std::uint16_t window = 0;
  std::uint8_t icmpType = 0;
  std::uint8_t icmpCode = 0;
  std::uint16_t icmpId = 0;  // echo identifier / sequence (echo messages only)
  std::uint16_t icmpSeq = 0;
  // The snaplen cut the transport header after the ports (or the ICMP type/code): flags,
  // seq, ack, window and the lengths are unknown (zero), and so is the payload.
  bool transportTruncated = false;

  // ARP (Ethernet/IPv4 only): src/dst above are the sender and target protocol addresses.
  std::uint16_t arpOp = 0;  // 1 request, 2 reply
  std::array<std::uint8_t, 6> arpSenderMac{};

  // Transport payload clipped to both the captured bytes and the IP length. For protocols
  // without a decoded transport header (IGMP, ESP, GRE, ...) it is the whole IP payload;
  // for Status::Fragment, the fragment's data.
  core::Bytes payload;
  // Payload length according to the headers (larger than payload.size() when snaplen cut it).
  std::uint32_t payloadWireLen = 0;
};

// Decodes `frame` (captured bytes) into `out`. `out` is fully reset first. A tunnelled
// frame is described by its innermost packet; `out.outer` names the flow that carried it.
Status decode(LinkType link, core::Bytes frame, std::uint32_t wireLen, core::Timestamp ts,
              PacketView& out);

// True when a decoded frame's carrying flow is to be tracked as well (see OuterFlow).
inline bool hasOuterFlow(Status st, const PacketView& v) {
  return v.outer.proto != 0 && (st == Status::Ok || st == Status::Fragment);
}
// The carrying flow of `inner` as a packet of its own, Status::Ok: addresses, ports and
// protocol of the outer headers, the frame's times and lengths, no payload.
void outerView(const PacketView& inner, PacketView& out);

}  // namespace rustnet::decode
