// IPv4, IPv6 extension headers, fragments and IP-in-IP.
#include <gtest/gtest.h>

#include "decode/packet.h"
#include "frames.h"

namespace rustnet::decode::testing {
namespace {

const Frame kHello = bytesOf("hello, world");

TEST(DecodeIpv4, OptionsAreSkipped) {
  Ipv4Opts o;
  o.options = {0x94, 0x04, 0x00, 0x00, 0x07, 0x0b, 0x04, 1, 2, 3, 4, 0, 0};  // RA, RR
  const Frame f = ipv4(kA4, kB4, kUdp, udp(1000, 2000, kHello), o);
  ASSERT_EQ(f[0] & 0x0f, 9);
  PacketView p;
  ASSERT_EQ(decodeFrame(LinkType::RawIpv4, f, p), Status::Ok);
  EXPECT_EQ(p.sport, 1000);
  EXPECT_EQ(p.dport, 2000);
  EXPECT_EQ(text(p.payload), "hello, world");
}

TEST(DecodeIpv4, BadHeaderLengthIsMalformed) {
  PacketView p;
  for (const int ihl : {0, 4}) {
    Ipv4Opts o;
    o.ihlWords = ihl;
    const Frame f = ipv4(kA4, kB4, kUdp, udp(1, 2, kHello), o);
    EXPECT_EQ(decodeFrame(LinkType::RawIpv4, f, p), Status::Malformed) << ihl;
  }
  Ipv4Opts o;
  o.ihlWords = 15;  // 60 bytes, more than the 48 there are
  const Frame f = ipv4(kA4, kB4, kUdp, Frame(8, 0), o);
  EXPECT_EQ(decodeFrame(LinkType::RawIpv4, f, p), Status::Malformed);
  Ipv4Opts v6;
  v6.version = 6;
  const Frame wrongVersion = ethernet(0x0800, ipv4(kA4, kB4, kUdp, udp(1, 2, kHello), v6));
  EXPECT_EQ(decodeFrame(LinkType::Ethernet, wrongVersion, p), Status::Malformed);
}

TEST(DecodeIpv4, TotalLengthBounds) {
  const Frame seg = udp(1, 2, kHello);  // 20 bytes
  PacketView p;
  Ipv4Opts tooLong;
  tooLong.totalLen = 20 + 20 + 1;
  const Frame a = ipv4(kA4, kB4, kUdp, seg, tooLong);
  // Beyond the frame: clipped to it and decoded (tshark does the same).
  EXPECT_EQ(decodeFrame(LinkType::RawIpv4, a, p), Status::Ok);
  EXPECT_TRUE(p.clipped);
  // The same length is no damage when the snaplen, not the sender, cut the frame.
  EXPECT_EQ(decodeFrame(LinkType::RawIpv4, a, p, 41), Status::Ok);
  EXPECT_FALSE(p.clipped);
  Ipv4Opts tooShort;
  tooShort.totalLen = 19;
  const Frame b = ipv4(kA4, kB4, kUdp, seg, tooShort);
  EXPECT_EQ(decodeFrame(LinkType::RawIpv4, b, p), Status::Malformed);
  // Shorter than the frame: the tail is not IP payload.
  Ipv4Opts clipped;
  clipped.totalLen = 20 + 8 + 5;
  const Frame c = ipv4(kA4, kB4, kUdp, udp(1, 2, kHello, 8 + 5), clipped);
  ASSERT_EQ(decodeFrame(LinkType::RawIpv4, c, p), Status::Ok);
  EXPECT_EQ(text(p.payload), "hello");
}

TEST(DecodeIpv4, ZeroTotalLengthUsesWhatWasCaptured) {
  Ipv4Opts tso;
  tso.totalLen = 0;
  const Frame big(3000, 'x');
  const Frame f = ethernet(0x0800, ipv4(kA4, kB4, kTcp, tcp(1, 2, tcpflag::kAck, big), tso));
  PacketView p;
  ASSERT_EQ(decodeFrame(LinkType::Ethernet, f, p), Status::Ok);
  EXPECT_EQ(p.payload.size(), 3000u);
  EXPECT_EQ(p.payloadWireLen, 3000u);
}

TEST(DecodeIpv4, FirstFragmentKeepsPorts) {
  Ipv4Opts o;
  o.fragField = kMf;
  // The UDP length covers the whole datagram, well beyond this fragment.
  const Frame f = ipv4(kA4, kB4, kUdp, udp(4000, 53, kHello, 3000), o);
  PacketView p;
  ASSERT_EQ(decodeFrame(LinkType::RawIpv4, f, p), Status::Ok);
  EXPECT_TRUE(p.fragmented);
  EXPECT_EQ(p.sport, 4000);
  EXPECT_EQ(p.dport, 53);
  EXPECT_EQ(text(p.payload), "hello, world");
  EXPECT_EQ(p.payloadWireLen, 12u);  // what this packet carries
}

TEST(DecodeIpv4, LaterFragmentsHaveAddressesOnly) {
  PacketView p;
  for (const std::uint16_t field : {std::uint16_t{kMf | 185}, std::uint16_t{185}}) {
    Ipv4Opts o;
    o.fragField = field;
    o.ttl = 9;
    const Frame f = ipv4(kA4, kB4, kUdp, udp(4000, 53, kHello), o);
    ASSERT_EQ(decodeFrame(LinkType::RawIpv4, f, p), Status::Fragment);
    EXPECT_EQ(p.network, Network::Ipv4);
    EXPECT_EQ(p.src, addr(kA4));
    EXPECT_EQ(p.dst, addr(kB4));
    EXPECT_EQ(p.proto, kUdp);
    EXPECT_EQ(p.ttl, 9);
    EXPECT_TRUE(p.fragmented);
    EXPECT_EQ(p.sport, 0);
    EXPECT_EQ(p.dport, 0);
    EXPECT_EQ(p.payload.size(), 20u);
  }
}

TEST(DecodeIpv4, AuthenticationHeaderIsWalked) {
  const Frame f = ipv4(kA4, kB4, kAh, ah(kIcmp, 12, icmp(8, 0, 0x1234, 7, kHello)));
  PacketView p;
  ASSERT_EQ(decodeFrame(LinkType::RawIpv4, f, p), Status::Ok);
  EXPECT_EQ(p.proto, kIcmp);
  EXPECT_EQ(p.icmpType, 8);
  EXPECT_EQ(p.icmpId, 0x1234);
  EXPECT_EQ(p.icmpSeq, 7);
}

TEST(DecodeIpv4, OtherProtocolsHaveNoPorts) {
  PacketView p;
  const Frame igmp = ipv4(kA4, kB4, kIgmp, {0x16, 0, 0xfa, 0x04, 224, 0, 0, 251});
  ASSERT_EQ(decodeFrame(LinkType::RawIpv4, igmp, p), Status::Ok);
  EXPECT_EQ(p.proto, kIgmp);
  EXPECT_EQ(p.sport, 0);
  EXPECT_EQ(p.payload.size(), 8u);
  const Frame esp = ipv4(kA4, kB4, kEsp, Frame(40, 0x33));
  ASSERT_EQ(decodeFrame(LinkType::RawIpv4, esp, p), Status::Ok);
  EXPECT_EQ(p.proto, kEsp);
  EXPECT_EQ(p.sport, 0);
  EXPECT_EQ(p.payloadWireLen, 40u);
}

TEST(DecodeIpv6, PlainHeader) {
  Ipv6Opts o;
  o.hopLimit = 3;
  const Frame f = ipv6(kA6, kB6, kUdp, udp(1, 2, kHello), o);
  PacketView p;
  ASSERT_EQ(decodeFrame(LinkType::RawIpv6, f, p), Status::Ok);
  EXPECT_EQ(p.network, Network::Ipv6);
  EXPECT_EQ(p.src, addr(kA6));
  EXPECT_EQ(p.dst, addr(kB6));
  EXPECT_EQ(p.ttl, 3);
  EXPECT_EQ(p.proto, kUdp);
  EXPECT_EQ(text(p.payload), "hello, world");
}

TEST(DecodeIpv6, EachExtensionHeaderIsWalked) {
  const Frame seg = tcp(1, 2, tcpflag::kSyn, kHello);
  const std::vector<std::pair<const char*, Frame>> cases = {
      {"hop-by-hop", ipv6(kA6, kB6, kHopByHop, ext(kTcp, {0x05, 0x02, 0, 0}, seg))},
      {"routing", ipv6(kA6, kB6, kRouting, ext(kTcp, {0, 1, 0, 0, 0, 0}, seg))},
      {"destination", ipv6(kA6, kB6, kDstOpts, ext(kTcp, Frame(12, 0), seg))},
      {"fragment", ipv6(kA6, kB6, kFragment, fragmentHeader(kTcp, 0, true, seg))},
      {"ah", ipv6(kA6, kB6, kAh, ah(kTcp, 16, seg))},
      {"all", ipv6(kA6, kB6, kHopByHop,
                   ext(kDstOpts, {},
                       ext(kRouting, {0, 0, 0, 0, 0, 0},
                           fragmentHeader(kAh, 0, true,
                                          ah(kDstOpts, 12, ext(kTcp, Frame(20, 0), seg))))))},
  };
  for (const auto& [name, f] : cases) {
    PacketView p;
    ASSERT_EQ(decodeFrame(LinkType::RawIpv6, f, p), Status::Ok) << name;
    EXPECT_EQ(p.proto, kTcp) << name;
    EXPECT_EQ(p.sport, 1) << name;
    EXPECT_EQ(p.dport, 2) << name;
    EXPECT_EQ(p.tcpFlags, tcpflag::kSyn) << name;
    EXPECT_EQ(text(p.payload), "hello, world") << name;
  }
}

// With segments left, the peer is the routing header's final destination, as in the
// transport checksum and in tshark's conversations; the IPv6 header names the next hop.
TEST(DecodeIpv6, RoutingHeaderNamesTheFinalDestination) {
  auto routing = [](std::uint8_t type, std::uint8_t left, const std::vector<Ip6>& addrs) {
    Frame body{type, left, 0, 0, 0, 0};
    if (type == 4) body[2] = static_cast<std::uint8_t>(addrs.size() - 1);  // last entry
    for (const Ip6& a : addrs) body.insert(body.end(), a.begin(), a.end());
    return ipv6(kA6, kB6, kRouting, ext(kUdp, body, udp(1, 2, kHello)));
  };
  struct Case {
    const char* name;
    Frame frame;
    Ip6 peer;
  };
  const std::vector<Case> cases = {
      {"source route, two left", routing(0, 2, {kC6, kD6}), kD6},
      {"source route, one left", routing(0, 1, {kC6}), kC6},
      {"source route, none left", routing(0, 0, {kC6, kD6}), kB6},
      {"mobile ipv6 home address", routing(2, 1, {kC6}), kC6},
      {"segment routing: the first entry is the last segment", routing(4, 1, {kD6, kC6}), kD6},
      {"unknown type", routing(3, 1, {kC6}), kB6},
  };
  for (const auto& c : cases) {
    PacketView p;
    ASSERT_EQ(decodeFrame(LinkType::RawIpv6, c.frame, p), Status::Ok) << c.name;
    EXPECT_EQ(p.src, addr(kA6)) << c.name;
    EXPECT_EQ(p.dst, addr(c.peer)) << c.name;
    EXPECT_EQ(p.dport, 2) << c.name;
  }
}

TEST(DecodeIpv6, AhLengthCountsFourByteUnitsPlusTwo) {
  // A 24-byte ICV gives a header of 36 bytes: length field 7.
  const Frame f = ipv6(kA6, kB6, kAh, ah(kUdp, 24, udp(500, 4500, kHello)));
  EXPECT_EQ(f[40 + 1], 7);
  PacketView p;
  ASSERT_EQ(decodeFrame(LinkType::RawIpv6, f, p), Status::Ok);
  EXPECT_EQ(p.sport, 500);
  EXPECT_EQ(p.dport, 4500);
}

TEST(DecodeIpv6, Fragments) {
  PacketView p;
  const Frame first = ipv6(kA6, kB6, kFragment,
                           fragmentHeader(kUdp, 0, true, udp(1, 2, kHello, 3000)));
  ASSERT_EQ(decodeFrame(LinkType::RawIpv6, first, p), Status::Ok);
  EXPECT_TRUE(p.fragmented);
  EXPECT_EQ(p.sport, 1);
  EXPECT_EQ(text(p.payload), "hello, world");

  const Frame later = ipv6(kA6, kB6, kFragment, fragmentHeader(kUdp, 10, true, kHello));
  ASSERT_EQ(decodeFrame(LinkType::RawIpv6, later, p), Status::Fragment);
  EXPECT_TRUE(p.fragmented);
  EXPECT_EQ(p.src, addr(kA6));
  EXPECT_EQ(p.dst, addr(kB6));
  EXPECT_EQ(p.proto, kUdp);
  EXPECT_EQ(p.sport, 0);

  // RFC 6946 atomic fragment: a fragment header on an unfragmented packet.
  const Frame atomic = ipv6(kA6, kB6, kFragment, fragmentHeader(kUdp, 0, false,
                                                                udp(1, 2, kHello)));
  ASSERT_EQ(decodeFrame(LinkType::RawIpv6, atomic, p), Status::Ok);
  EXPECT_FALSE(p.fragmented);
  EXPECT_EQ(p.sport, 1);
}

TEST(DecodeIpv6, NoNextHeader) {
  const Frame f = ipv6(kA6, kB6, kDstOpts, ext(kNoNext, {}, {}));
  PacketView p;
  ASSERT_EQ(decodeFrame(LinkType::RawIpv6, f, p), Status::Ok);
  EXPECT_EQ(p.proto, kNoNext);
  EXPECT_EQ(p.sport, 0);
  EXPECT_TRUE(p.payload.empty());
}

TEST(DecodeIpv6, ExtensionHeadersAreCapped) {
  auto chain = [](int n) {
    Frame f = udp(1, 2, kHello);
    std::uint8_t next = kUdp;
    for (int i = 0; i < n; ++i) {
      f = ext(next, {}, f);
      next = kDstOpts;
    }
    return ipv6(kA6, kB6, next, f);
  };
  PacketView p;
  const Frame atCap = chain(kMaxIpv6ExtHeaders);
  EXPECT_EQ(decodeFrame(LinkType::RawIpv6, atCap, p), Status::Ok);
  EXPECT_EQ(p.sport, 1);
  const Frame overCap = chain(kMaxIpv6ExtHeaders + 1);
  EXPECT_EQ(decodeFrame(LinkType::RawIpv6, overCap, p), Status::Malformed);
}

TEST(DecodeIpv6, LengthsMustAgree) {
  PacketView p;
  Ipv6Opts tooLong;
  tooLong.payloadLen = 100;
  const Frame a = ipv6(kA6, kB6, kUdp, udp(1, 2, kHello), tooLong);
  EXPECT_EQ(decodeFrame(LinkType::RawIpv6, a, p), Status::Ok);  // clipped to the frame
  EXPECT_TRUE(p.clipped);
  // An extension header longer than the payload length allows.
  Ipv6Opts shortPayload;
  shortPayload.payloadLen = 8;
  const Frame b = ipv6(kA6, kB6, kDstOpts, ext(kUdp, Frame(14, 0), udp(1, 2, kHello)),
                       shortPayload);
  EXPECT_EQ(decodeFrame(LinkType::RawIpv6, b, p), Status::Malformed);
  Ipv6Opts v4;
  v4.version = 4;
  const Frame c = ipv6(kA6, kB6, kUdp, udp(1, 2, kHello), v4);
  EXPECT_EQ(decodeFrame(LinkType::RawIpv6, c, p), Status::Malformed);
}

TEST(DecodeIpv6, JumbogramWithHopByHopLength) {
  // BIG TCP: payload length 0 and the real length (> 65535) in a jumbo option.
  const Frame data(80000, 'j');
  Ipv6Opts jumbo;
  jumbo.payloadLen = 0;
  const auto len = static_cast<std::uint32_t>(8 + 32 + data.size());
  TcpOpts o;
  o.options = Frame(12, 0x01);
  const Frame f = ethernet(0x86dd, ipv6(kA6, kB6, kHopByHop,
                                         ext(kTcp, jumboOption(len),
                                             tcp(41851, 43913, tcpflag::kAck, data, o)),
                                         jumbo));
  PacketView p;
  ASSERT_EQ(decodeFrame(LinkType::Ethernet, f, p), Status::Ok);
  EXPECT_EQ(p.sport, 41851);
  EXPECT_EQ(p.payload.size(), 80000u);
  EXPECT_EQ(p.payloadWireLen, 80000u);

  // A frame with trailing bytes beyond the jumbo length: they are not payload.
  Frame padded = f;
  padded.resize(f.size() + 10, 0);
  ASSERT_EQ(decodeFrame(LinkType::Ethernet, padded, p), Status::Ok);
  EXPECT_EQ(p.payloadWireLen, 80000u);

  // A jumbo length beyond the frame is clipped like any other.
  const Frame lying = ethernet(0x86dd, ipv6(kA6, kB6, kHopByHop,
                                             ext(kTcp, jumboOption(len + 1),
                                                 tcp(1, 2, tcpflag::kAck, data, o)),
                                             jumbo));
  ASSERT_EQ(decodeFrame(LinkType::Ethernet, lying, p), Status::Ok);
  EXPECT_TRUE(p.clipped);

  // Length 0 without a jumbo option (GSO captures): take what is there.
  const Frame bare = ipv6(kA6, kB6, kTcp, tcp(1, 2, tcpflag::kAck, data), jumbo);
  ASSERT_EQ(decodeFrame(LinkType::RawIpv6, bare, p), Status::Ok);
  EXPECT_EQ(p.payloadWireLen, 80000u);
}

TEST(DecodeIpInIp, AllFourCombinationsReportTheInnermostHeader) {
  const Frame in4 = ipv4(kA4, kB4, kTcp, tcp(1111, 80, tcpflag::kSyn, kHello));
  const Frame in6 = ipv6(kA6, kB6, kUdp, udp(2222, 53, kHello));
  struct Case {
    const char* name;
    Frame frame;
    Network network;
    core::IpAddr src;
    std::uint16_t sport;
  };
  const std::vector<Case> cases = {
      {"4in4", ipv4(kC4, kD4, kIpip, in4), Network::Ipv4, addr(kA4), 1111},
      {"6in4", ipv4(kC4, kD4, kIpv6, in6), Network::Ipv6, addr(kA6), 2222},
      {"4in6", ipv6(kC6, kD6, kIpip, in4), Network::Ipv4, addr(kA4), 1111},
      {"6in6", ipv6(kC6, kD6, kIpv6, in6), Network::Ipv6, addr(kA6), 2222},
  };
  for (const Case& c : cases) {
    PacketView p;
    ASSERT_EQ(decodeFrame(LinkType::RawIp, c.frame, p), Status::Ok) << c.name;
    EXPECT_EQ(p.network, c.network) << c.name;
    EXPECT_EQ(p.src, c.src) << c.name;
    EXPECT_EQ(p.sport, c.sport) << c.name;
    EXPECT_EQ(p.tunnelDepth, 1) << c.name;
    EXPECT_EQ(text(p.payload), "hello, world") << c.name;
  }
}

TEST(DecodeIpInIp, DepthIsCapped) {
  Frame f = ipv4(kA4, kB4, kUdp, udp(1, 2, kHello));
  std::uint8_t proto = kIpip;
  for (int i = 0; i < kMaxTunnelDepth; ++i) f = ipv4(kC4, kD4, kIpip, f);
  PacketView p;
  ASSERT_EQ(decodeFrame(LinkType::RawIpv4, f, p), Status::Ok);
  EXPECT_EQ(p.tunnelDepth, kMaxTunnelDepth);
  EXPECT_EQ(p.tunnel, Tunnel::IpInIp);
  EXPECT_EQ(p.outer.proto, 0);  // IP-in-IP has no carrying flow of its own
  EXPECT_FALSE(p.tunnelCapped);
  EXPECT_EQ(p.src, addr(kA4));
  EXPECT_EQ(p.sport, 1);
  // One level more: the last tunnel is left as an opaque protocol.
  const Frame deeper = ipv6(kC6, kD6, proto, f);
  ASSERT_EQ(decodeFrame(LinkType::RawIpv6, deeper, p), Status::Ok);
  EXPECT_EQ(p.tunnelDepth, kMaxTunnelDepth);
  EXPECT_EQ(p.proto, kIpip);
  EXPECT_EQ(p.src, addr(kC4));
  EXPECT_EQ(p.sport, 0);
  EXPECT_TRUE(p.tunnelCapped);
}

TEST(DecodeIpInIp, MalformedInnerHeaderIsMalformed) {
  const Frame f = ipv4(kC4, kD4, kIpv6, ipv4(kA4, kB4, kUdp, udp(1, 2, kHello)));
  PacketView p;
  EXPECT_EQ(decodeFrame(LinkType::RawIpv4, f, p), Status::Malformed);
}

}  // namespace
}  // namespace rustnet::decode::testing
