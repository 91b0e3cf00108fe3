#pragma once
// Stateless decoding of one captured frame: link layer → IP → transport. The result is a
// PacketView of plain fields plus a view of the transport payload that aliases the frame
// (valid only while the frame is). No allocation, no exceptions.
#include <array>
#include <cstddef>
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
  Nflog,      // LINKTYPE_NFLOG (Linux netfilter log): a 4-byte header, then TLVs
  Unsupported,
};
const char* linkTypeName(LinkType t);

enum class Status : std::uint8_t {
  Ok,           // fields below are valid; payload may be shorter than payloadWireLen
  Fragment,     // an IP fragment without a transport header: a non-first one, or a first
                // one too short to hold the ports (addresses and frag* fields valid)
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
inline constexpr int kMaxNflogTlvs = 32;      // NFLOG TLVs walked (the kernel writes ~10)
// NFLOG prefix bytes kept (iptables allows 64 with the NUL; longer nft prefixes are cut).
inline constexpr std::size_t kMaxNflogPrefix = 63;

// What an NFLOG record says about the packet besides the packet itself (LinkType::Nflog).
// Fixed size: a PacketView is copied into the worker rings as bytes.
struct NflogMeta {
  std::array<char, kMaxNflogPrefix> prefix{};  // raw bytes from the wire: escape to show
  std::uint8_t prefixLen = 0;
  bool hasPrefix = false;
  bool hasUid = false;
  bool hasGid = false;
  std::uint32_t uid = 0;  // the socket owner, when the logged packet had a local socket
  std::uint32_t gid = 0;
};

// A record's original length above this (libpcap's largest snaplen) is taken as damage:
// the frame is counted as lengthCapped and its wire length becomes the end of its outermost
// IP packet when that header was captured, else this bound (never less than capLen).
inline constexpr std::uint32_t kMaxRecordWireLen = 262'144;

struct PacketView {
  core::Timestamp ts;
  // Length on the wire (pcap len); byte counts use this. Never less than capLen: a record
  // that claims fewer wire bytes than it captured is taken at its captured size.
  std::uint32_t wireLen = 0;
  std::uint32_t capLen = 0;   // bytes captured
  // The record's original length was absurd (above kMaxRecordWireLen) and was capped.
  bool lengthCapped = false;
  // An IP total/payload length or a UDP length claimed more than the frame holds (damaged
  // or cut upstream): the layer was clipped to the frame and decoded as far as it goes, as
  // tshark does. Real inconsistencies (a length below its own header) stay Malformed.
  bool clipped = false;
  // Wire length of the frame up to the end of its outermost IP packet by that packet's
  // header (0 without IP); how a capped record's length is estimated.
  std::uint32_t ipWireEnd = 0;

  Network network = Network::None;
  std::uint16_t vlan = 0;  // innermost 802.1Q VLAN id, 0 when untagged
  std::uint8_t vlanDepth = 0;

  // IP (innermost when tunnelled)
  core::IpAddr src;
  core::IpAddr dst;
  std::uint8_t proto = 0;  // transport protocol after IPv6 extension headers
  std::uint8_t ttl = 0;
  bool fragmented = false;  // part of a fragmented datagram (first fragments keep ports)
  // Fragmentation (fragmented only). fragId is the IPv4 identification or the IPv6
  // fragment header's 32-bit one; fragOffset is where `payload` starts within the
  // datagram's fragmentable part, in bytes (a first fragment's IPv6 extension headers or
  // IPv4 AH come before it); fragMore is the more-fragments flag.
  std::uint32_t fragId = 0;
  std::uint32_t fragOffset = 0;
  bool fragMore = false;
  bool fragFirst = false;  // the datagram's first fragment (offset 0, more to come)
  // Set by the engine's fragment table (engine/fragment_table.h), never by the decoder:
  // fragMatched, a fragment given its first fragment's ports (and ICMP identity); fragLate,
  // a record the table made after the fact for a frame already handed on (it counts
  // against its connection only, not again in the decode counters).
  bool fragMatched = false;
  bool fragLate = false;
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

  NflogMeta nflog;  // LinkType::Nflog only; all empty otherwise

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
