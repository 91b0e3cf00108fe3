// Link layers and ARP.
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "decode/packet.h"
#include "frames.h"

namespace rustnet::decode::testing {
namespace {

const Frame kHello = bytesOf("hello, world");

Frame udp4() { return ipv4(kA4, kB4, kUdp, udp(5353, 53, kHello)); }
Frame tcp6() { return ipv6(kA6, kB6, kTcp, tcp(40000, 443, tcpflag::kSyn, kHello)); }

void expectUdp4(Status st, const PacketView& p) {
  ASSERT_EQ(st, Status::Ok);
  EXPECT_EQ(p.network, Network::Ipv4);
  EXPECT_EQ(p.src, addr(kA4));
  EXPECT_EQ(p.dst, addr(kB4));
  EXPECT_EQ(p.proto, kUdp);
  EXPECT_EQ(p.sport, 5353);
  EXPECT_EQ(p.dport, 53);
  EXPECT_EQ(text(p.payload), "hello, world");
}

void expectTcp6(Status st, const PacketView& p) {
  ASSERT_EQ(st, Status::Ok);
  EXPECT_EQ(p.network, Network::Ipv6);
  EXPECT_EQ(p.src, addr(kA6));
  EXPECT_EQ(p.dst, addr(kB6));
  EXPECT_EQ(p.proto, kTcp);
  EXPECT_EQ(p.sport, 40000);
  EXPECT_EQ(p.dport, 443);
  EXPECT_EQ(p.tcpFlags, tcpflag::kSyn);
  EXPECT_EQ(text(p.payload), "hello, world");
}

TEST(DecodeLink, EthernetIpv4TcpFillsEveryField) {
  TcpOpts o;
  o.seq = 0x01020304;
  o.ack = 0xa0b0c0d0;
  o.window = 29200;
  Ipv4Opts ip;
  ip.ttl = 57;
  const Frame f = ethernet(0x0800, ipv4(kA4, kB4, kTcp,
                                         tcp(40000, 443, tcpflag::kPsh | tcpflag::kAck, kHello, o),
                                         ip));
  PacketView p;
  ASSERT_EQ(decode(LinkType::Ethernet, core::Bytes(f), 1500, core::Timestamp::fromNanos(42), p),
            Status::Ok);
  EXPECT_EQ(p.ts.ns, 42);
  EXPECT_EQ(p.wireLen, 1500u);
  EXPECT_EQ(p.capLen, f.size());
  EXPECT_EQ(p.network, Network::Ipv4);
  EXPECT_EQ(p.vlan, 0);
  EXPECT_EQ(p.vlanDepth, 0);
  EXPECT_EQ(p.src, addr(kA4));
  EXPECT_EQ(p.dst, addr(kB4));
  EXPECT_EQ(p.proto, kTcp);
  EXPECT_EQ(p.ttl, 57);
  EXPECT_FALSE(p.fragmented);
  EXPECT_EQ(p.tunnelDepth, 0);
  EXPECT_EQ(p.sport, 40000);
  EXPECT_EQ(p.dport, 443);
  EXPECT_EQ(p.tcpFlags, tcpflag::kPsh | tcpflag::kAck);
  EXPECT_EQ(p.seq, 0x01020304u);
  EXPECT_EQ(p.ack, 0xa0b0c0d0u);
  EXPECT_EQ(p.window, 29200);
  EXPECT_FALSE(p.transportTruncated);
  EXPECT_EQ(text(p.payload), "hello, world");
  EXPECT_EQ(p.payloadWireLen, 12u);
  EXPECT_EQ(p.payload.data(), f.data() + 14 + 20 + 20);
}

TEST(DecodeLink, ResetsTheViewBetweenCalls) {
  const Frame a = ethernet(0x0800, udp4(), {{0x8100, 12}});
  const Frame b = ethernet(0x88cc, Frame(30, 0));
  PacketView p;
  ASSERT_EQ(decodeFrame(LinkType::Ethernet, a, p), Status::Ok);
  ASSERT_EQ(decodeFrame(LinkType::Ethernet, b, p), Status::NotIp);
  EXPECT_EQ(p.vlan, 0);
  EXPECT_EQ(p.sport, 0);
  EXPECT_EQ(p.network, Network::None);
  EXPECT_TRUE(p.payload.empty());
}

TEST(DecodeLink, WireLengthNeverBelowCapturedLength) {
  const Frame f = ethernet(0x0800, udp4());
  PacketView p;
  ASSERT_EQ(decodeFrame(LinkType::Ethernet, f, p, 10), Status::Ok);
  EXPECT_EQ(p.wireLen, f.size());
}

TEST(DecodeLink, EthernetPaddingIsNotPayload) {
  const Frame f = ethernet(0x0800, ipv4(kA4, kB4, kUdp, udp(1, 2, bytesOf("ab"))), {}, 60);
  PacketView p;
  ASSERT_EQ(decodeFrame(LinkType::Ethernet, f, p), Status::Ok);
  EXPECT_EQ(text(p.payload), "ab");
  EXPECT_EQ(p.payloadWireLen, 2u);
}

TEST(DecodeLink, SingleVlanTag) {
  const Frame f = ethernet(0x0800, udp4(), {{0x8100, 100}});
  PacketView p;
  expectUdp4(decodeFrame(LinkType::Ethernet, f, p), p);
  EXPECT_EQ(p.vlan, 100);
  EXPECT_EQ(p.vlanDepth, 1);
}

TEST(DecodeLink, QinqReportsTheInnermostTag) {
  for (const std::uint16_t outer : {0x88a8, 0x9100, 0x8100}) {
    const Frame f = ethernet(0x86dd, tcp6(), {{outer, 2001}, {0x8100, 42}});
    PacketView p;
    expectTcp6(decodeFrame(LinkType::Ethernet, f, p), p);
    EXPECT_EQ(p.vlan, 42) << std::hex << outer;
    EXPECT_EQ(p.vlanDepth, 2);
  }
}

TEST(DecodeLink, VlanTagsAreCapped) {
  std::vector<VlanTag> tags;
  for (int i = 0; i < kMaxVlanTags; ++i) tags.push_back({0x8100, static_cast<std::uint16_t>(i + 1)});
  const Frame atCap = ethernet(0x0800, udp4(), tags);
  PacketView p;
  expectUdp4(decodeFrame(LinkType::Ethernet, atCap, p), p);
  EXPECT_EQ(p.vlanDepth, kMaxVlanTags);
  EXPECT_EQ(p.vlan, kMaxVlanTags);
  tags.push_back({0x8100, 99});
  const Frame overCap = ethernet(0x0800, udp4(), tags);
  EXPECT_EQ(decodeFrame(LinkType::Ethernet, overCap, p), Status::Malformed);
}

TEST(DecodeLink, NonIpEthertypesAreNotIp) {
  for (const std::uint16_t type : {0x88cc, 0x9000, 0x8863, 0x0026, 0x0000}) {
    const Frame f = ethernet(type, Frame(46, 0x42));
    PacketView p;
    EXPECT_EQ(decodeFrame(LinkType::Ethernet, f, p), Status::NotIp) << std::hex << type;
  }
  const Frame tagged = ethernet(0x88cc, Frame(46, 0), {{0x8100, 3}});
  PacketView p;
  EXPECT_EQ(decodeFrame(LinkType::Ethernet, tagged, p), Status::NotIp);
  EXPECT_EQ(p.vlan, 3);
}

TEST(DecodeLink, ShortEthernetIsMalformed) {
  PacketView p;
  EXPECT_EQ(decodeFrame(LinkType::Ethernet, Frame(13, 0), p), Status::Malformed);
  EXPECT_EQ(decodeFrame(LinkType::Ethernet, Frame{}, p), Status::Malformed);
  // Right ethertype, nothing after it.
  EXPECT_EQ(decodeFrame(LinkType::Ethernet, ethernet(0x0800, {}), p), Status::Malformed);
}

TEST(DecodeLink, LinuxCookedV1) {
  const Frame f = sll(0x0800, udp4());
  PacketView p;
  expectUdp4(decodeFrame(LinkType::LinuxSll, f, p), p);
  EXPECT_EQ(p.payload.data(), f.data() + 16 + 20 + 8);

  Frame tagged{0x00, 0x07, 0x86, 0xdd};
  const Frame inner = tcp6();
  tagged.insert(tagged.end(), inner.begin(), inner.end());
  const Frame v = sll(0x8100, tagged);
  expectTcp6(decodeFrame(LinkType::LinuxSll, v, p), p);
  EXPECT_EQ(p.vlan, 7);

  const Frame netlink = sll(0x0800, udp4(), 824);
  EXPECT_EQ(decodeFrame(LinkType::LinuxSll, netlink, p), Status::NotIp);
  const Frame llc = sll(0x0004, Frame(20, 0));
  EXPECT_EQ(decodeFrame(LinkType::LinuxSll, llc, p), Status::NotIp);
}

TEST(DecodeLink, LinuxCookedV2) {
  const Frame f = sll2(0x86dd, tcp6());
  PacketView p;
  expectTcp6(decodeFrame(LinkType::LinuxSll2, f, p), p);
  EXPECT_EQ(p.payload.data(), f.data() + 20 + 40 + 20);
  const Frame a = sll2(0x0806, arp(1, {1, 2, 3, 4, 5, 6}, kA4, kB4));
  EXPECT_EQ(decodeFrame(LinkType::LinuxSll2, a, p), Status::Ok);
  EXPECT_EQ(p.network, Network::Arp);
}

TEST(DecodeLink, RawIpByVersionNibble) {
  PacketView p;
  const Frame v4 = udp4();
  expectUdp4(decodeFrame(LinkType::RawIp, v4, p), p);
  const Frame v6 = tcp6();
  expectTcp6(decodeFrame(LinkType::RawIp, v6, p), p);
  Frame v5 = v4;
  v5[0] = 0x55;
  EXPECT_EQ(decodeFrame(LinkType::RawIp, v5, p), Status::Malformed);
  EXPECT_EQ(decodeFrame(LinkType::RawIp, Frame{}, p), Status::Malformed);
}

TEST(DecodeLink, RawIpv4AndIpv6InsistOnTheirVersion) {
  PacketView p;
  const Frame v4 = udp4();
  const Frame v6 = tcp6();
  expectUdp4(decodeFrame(LinkType::RawIpv4, v4, p), p);
  expectTcp6(decodeFrame(LinkType::RawIpv6, v6, p), p);
  EXPECT_EQ(decodeFrame(LinkType::RawIpv4, v6, p), Status::Malformed);
  EXPECT_EQ(decodeFrame(LinkType::RawIpv6, v4, p), Status::Malformed);
}

TEST(DecodeLink, BsdNullInEitherByteOrder) {
  for (const bool le : {true, false}) {
    PacketView p;
    const Frame v4 = nullLink(2, le, udp4());
    expectUdp4(decodeFrame(LinkType::Null, v4, p), p);
    for (const std::uint32_t af6 : {24u, 28u, 30u}) {
      const Frame v6 = nullLink(af6, le, tcp6());
      expectTcp6(decodeFrame(LinkType::Null, v6, p), p);
    }
    const Frame other = nullLink(7, le, udp4());
    EXPECT_EQ(decodeFrame(LinkType::Null, other, p), Status::NotIp);
  }
  PacketView p;
  EXPECT_EQ(decodeFrame(LinkType::Null, Frame{2, 0, 0}, p), Status::Malformed);
}

TEST(DecodeLink, LoopIsNetworkOrderOnly) {
  PacketView p;
  const Frame v4 = nullLink(2, false, udp4());
  expectUdp4(decodeFrame(LinkType::Loop, v4, p), p);
  const Frame v6 = nullLink(24, false, tcp6());
  expectTcp6(decodeFrame(LinkType::Loop, v6, p), p);
  const Frame hostOrder = nullLink(2, true, udp4());
  EXPECT_EQ(decodeFrame(LinkType::Loop, hostOrder, p), Status::NotIp);
}

TEST(DecodeLink, PppWithAndWithoutAddressControlAndCompression) {
  PacketView p;
  for (const bool ac : {true, false}) {
    for (const bool pfc : {true, false}) {
      const Frame v4 = ppp(0x0021, udp4(), ac, pfc);
      expectUdp4(decodeFrame(LinkType::Ppp, v4, p), p);
      const Frame v6 = ppp(0x0057, tcp6(), ac, pfc);
      expectTcp6(decodeFrame(LinkType::Ppp, v6, p), p);
    }
  }
  const Frame lcp = ppp(0xc021, Frame(10, 1), true, false);
  EXPECT_EQ(decodeFrame(LinkType::Ppp, lcp, p), Status::NotIp);
  EXPECT_EQ(decodeFrame(LinkType::Ppp, Frame{0xff, 0x03}, p), Status::Malformed);
}

TEST(DecodeLink, UnsupportedLinkType) {
  PacketView p;
  const Frame f = udp4();
  EXPECT_EQ(decodeFrame(LinkType::Unsupported, f, p), Status::Unsupported);
  EXPECT_EQ(p.capLen, f.size());
}

TEST(DecodeLink, NamesAreDistinct) {
  std::set<std::string> links;
  for (int i = 0; i <= static_cast<int>(LinkType::Unsupported); ++i)
    links.insert(linkTypeName(static_cast<LinkType>(i)));
  EXPECT_EQ(links.size(), static_cast<std::size_t>(LinkType::Unsupported) + 1);
  std::set<std::string> statuses;
  for (int i = 0; i <= static_cast<int>(Status::Malformed); ++i)
    statuses.insert(statusName(static_cast<Status>(i)));
  EXPECT_EQ(statuses.size(), static_cast<std::size_t>(Status::Malformed) + 1);
  EXPECT_STREQ(linkTypeName(LinkType::LinuxSll2), "linux-sll2");
  EXPECT_STREQ(statusName(Status::NotIp), "not-ip");
}

TEST(DecodeArp, RequestAndReplyOverEthernet) {
  const std::array<std::uint8_t, 6> mac{0x00, 0x11, 0x22, 0x33, 0x44, 0x55};
  const Frame req = ethernet(0x0806, arp(1, mac, kA4, kB4), {}, 60);
  PacketView p;
  ASSERT_EQ(decodeFrame(LinkType::Ethernet, req, p), Status::Ok);
  EXPECT_EQ(p.network, Network::Arp);
  EXPECT_EQ(p.arpOp, 1);
  EXPECT_EQ(p.arpSenderMac, mac);
  EXPECT_EQ(p.src, addr(kA4));
  EXPECT_EQ(p.dst, addr(kB4));
  EXPECT_EQ(p.sport, 0);

  const Frame rep = ethernet(0x0806, arp(2, mac, kB4, kA4), {{0x88a8, 2001}, {0x8100, 5}});
  ASSERT_EQ(decodeFrame(LinkType::Ethernet, rep, p), Status::Ok);
  EXPECT_EQ(p.arpOp, 2);
  EXPECT_EQ(p.src, addr(kB4));
  EXPECT_EQ(p.dst, addr(kA4));
  EXPECT_EQ(p.vlan, 5);
}

TEST(DecodeArp, OddSizesAreMalformedOtherProtocolsNotIp) {
  const std::array<std::uint8_t, 6> mac{};
  PacketView p;
  ArpOpts longHw;
  longHw.hlen = 14;
  const Frame a = ethernet(0x0806, arp(1, mac, kA4, kB4, longHw));
  EXPECT_EQ(decodeFrame(LinkType::Ethernet, a, p), Status::Malformed);
  ArpOpts longProto;
  longProto.plen = 16;
  const Frame b = ethernet(0x0806, arp(1, mac, kA4, kB4, longProto));
  EXPECT_EQ(decodeFrame(LinkType::Ethernet, b, p), Status::Malformed);
  ArpOpts otherProto;
  otherProto.ptype = 0x86dd;
  const Frame c = ethernet(0x0806, arp(1, mac, kA4, kB4, otherProto));
  EXPECT_EQ(decodeFrame(LinkType::Ethernet, c, p), Status::NotIp);
  ArpOpts otherHw;
  otherHw.htype = 15;  // Frame Relay DLCI
  const Frame d = ethernet(0x0806, arp(1, mac, kA4, kB4, otherHw));
  EXPECT_EQ(decodeFrame(LinkType::Ethernet, d, p), Status::NotIp);
  ArpOpts ieee802;
  ieee802.htype = 6;
  const Frame e = ethernet(0x0806, arp(1, mac, kA4, kB4, ieee802));
  EXPECT_EQ(decodeFrame(LinkType::Ethernet, e, p), Status::Ok);
  Frame cut = ethernet(0x0806, arp(1, mac, kA4, kB4));
  cut.pop_back();
  EXPECT_EQ(decodeFrame(LinkType::Ethernet, cut, p), Status::Malformed);
}

}  // namespace
}  // namespace rustnet::decode::testing
