#pragma once
// Hand-built frames for the decoder tests. Each builder wraps a payload in one header and
// fills in the lengths, so a frame reads inside out: ethernet(ipv4(tcp(...))).
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "decode/packet.h"

namespace rustnet::decode::testing {

using Frame = std::vector<std::uint8_t>;
using Ip4 = std::array<std::uint8_t, 4>;
using Ip6 = std::array<std::uint8_t, 16>;

inline constexpr Ip4 kA4{192, 0, 2, 1};
inline constexpr Ip4 kB4{198, 51, 100, 2};
inline constexpr Ip4 kC4{203, 0, 113, 3};
inline constexpr Ip4 kD4{203, 0, 113, 4};
inline constexpr Ip6 kA6{0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01};
inline constexpr Ip6 kB6{0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x02};
inline constexpr Ip6 kC6{0x20, 0x01, 0x0d, 0xb8, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x03};
inline constexpr Ip6 kD6{0x20, 0x01, 0x0d, 0xb8, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x04};

core::IpAddr addr(const Ip4& a);
core::IpAddr addr(const Ip6& a);
Frame bytesOf(const std::string& s);

// ---- transport
struct TcpOpts {
  std::uint32_t seq = 1000;
  std::uint32_t ack = 2000;
  std::uint16_t window = 512;
  Frame options;             // padded to 4 bytes with NOPs
  int dataOffsetWords = -1;  // overrides the computed data offset when >= 0
};
Frame tcp(std::uint16_t sport, std::uint16_t dport, std::uint8_t flags, const Frame& payload,
          const TcpOpts& o = {});
// `lengthField` < 0: the true length.
Frame udp(std::uint16_t sport, std::uint16_t dport, const Frame& payload, int lengthField = -1);
Frame icmp(std::uint8_t type, std::uint8_t code, std::uint16_t id, std::uint16_t seq,
           const Frame& payload);

// ---- network
inline constexpr std::uint8_t kIcmp = 1, kIgmp = 2, kIpip = 4, kTcp = 6, kUdp = 17,
                              kIpv6 = 41, kGre = 47, kEsp = 50, kAh = 51, kIcmp6 = 58,
                              kNoNext = 59, kHopByHop = 0, kRouting = 43, kFragment = 44,
                              kDstOpts = 60;
inline constexpr std::uint16_t kMf = 0x2000;  // IPv4 more-fragments flag

struct Ipv4Opts {
  std::uint8_t ttl = 64;
  std::uint16_t fragField = 0x4000;  // DF
  Frame options;                      // padded to 4 bytes with zeros (end of list)
  int totalLen = -1;                  // overrides the computed total length when >= 0
  int ihlWords = -1;                  // overrides the computed header length when >= 0
  std::uint8_t version = 4;
};
Frame ipv4(const Ip4& src, const Ip4& dst, std::uint8_t proto, const Frame& payload,
           const Ipv4Opts& o = {});
struct Ipv6Opts {
  std::uint8_t hopLimit = 64;
  int payloadLen = -1;  // overrides the computed payload length when >= 0
  std::uint8_t version = 6;
};
Frame ipv6(const Ip6& src, const Ip6& dst, std::uint8_t next, const Frame& payload,
           const Ipv6Opts& o = {});
// Extension headers: `body` after the two first bytes, padded to the header's unit.
Frame ext(std::uint8_t next, const Frame& body, const Frame& rest);  // HBH, routing, dst opts
Frame fragmentHeader(std::uint8_t next, std::uint16_t offsetUnits, bool more,
                     const Frame& rest);
Frame ah(std::uint8_t next, std::size_t icvBytes, const Frame& rest);
Frame jumboOption(std::uint32_t length);  // a hop-by-hop body holding a jumbo payload option

struct ArpOpts {
  std::uint16_t htype = 1;
  std::uint16_t ptype = 0x0800;
  std::uint8_t hlen = 6;
  std::uint8_t plen = 4;
};
Frame arp(std::uint16_t op, const std::array<std::uint8_t, 6>& senderMac, const Ip4& senderIp,
          const Ip4& targetIp, const ArpOpts& o = {});

// ---- tunnels
struct GreOpts {
  bool checksum = false;
  bool key = false;
  bool sequence = false;
  std::uint16_t version = 0;
};
Frame gre(std::uint16_t proto, const Frame& payload, const GreOpts& o = {});
Frame erspan2(const Frame& ethernetFrame);                    // the 8-byte type II header
Frame erspan3(const Frame& ethernetFrame, bool platform);    // 12 bytes (+8 platform)
struct GtpOpts {
  std::uint8_t type = 0xff;         // G-PDU
  std::uint8_t version = 1;
  bool sequence = false;            // S flag: adds the 4 optional bytes
  std::vector<Frame> extensions;    // each padded to 4n bytes with its length and next type
  int lengthField = -1;             // overrides the computed length when >= 0
};
Frame gtpU(const Frame& payload, const GtpOpts& o = {});
Frame vxlan(const Frame& ethernetFrame, std::uint8_t flags = 0x08);
// Teredo: optional authentication (id and auth lengths) and origin indication first.
Frame teredo(const Frame& ipv6Packet, bool auth = false, bool origin = false);

// ---- link
struct VlanTag {
  std::uint16_t tpid;
  std::uint16_t vid;
};
Frame ethernet(std::uint16_t etherType, const Frame& payload,
               const std::vector<VlanTag>& tags = {}, std::size_t padTo = 0);
Frame sll(std::uint16_t proto, const Frame& payload, std::uint16_t hatype = 1);
Frame sll2(std::uint16_t proto, const Frame& payload, std::uint16_t hatype = 1);
Frame nullLink(std::uint32_t af, bool littleEndian, const Frame& payload);
Frame ppp(std::uint16_t proto, const Frame& payload, bool addressControl, bool compressed);

// Decodes `f` as a whole capture; `wireLen` 0 means "as long as the frame". `out` aliases `f`.
Status decodeFrame(LinkType link, const Frame& f, PacketView& out, std::uint32_t wireLen = 0);
// The payload view as text, for comparisons.
std::string text(core::Bytes b);

// A named frame with the status it must decode to, for the table-driven tests.
struct Sample {
  std::string name;
  LinkType link;
  Frame bytes;
  Status expected;
};
// Every hand-built frame the suite knows, one or more per feature.
std::vector<Sample> allSamples();

}  // namespace rustnet::decode::testing
