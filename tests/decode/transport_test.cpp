// TCP, UDP, ICMP/ICMPv6, and frames cut by the snaplen.
#include <gtest/gtest.h>

#include "decode/packet.h"
#include "frames.h"

namespace rustnet::decode::testing {
namespace {

const Frame kHello = bytesOf("hello, world");

TEST(DecodeTcp, OptionsAreSkippedAndFlagsKept) {
  TcpOpts o;
  o.options = {0x02, 0x04, 0x05, 0xb4, 0x04, 0x02, 0x08, 0x0a, 0, 0, 0, 1, 0, 0, 0, 0};
  const std::uint8_t flags = tcpflag::kSyn | tcpflag::kAck | 0x40 /*ECE*/;
  const Frame f = ipv4(kA4, kB4, kTcp, tcp(443, 51000, flags, kHello, o));
  PacketView p;
  ASSERT_EQ(decodeFrame(LinkType::RawIpv4, f, p), Status::Ok);
  EXPECT_EQ(p.tcpFlags, flags);
  EXPECT_EQ(text(p.payload), "hello, world");
  EXPECT_EQ(p.payload.data(), f.data() + 20 + 36);
}

TEST(DecodeTcp, BadDataOffsetIsMalformed) {
  PacketView p;
  for (const int words : {0, 4}) {
    TcpOpts o;
    o.dataOffsetWords = words;
    const Frame f = ipv4(kA4, kB4, kTcp, tcp(1, 2, tcpflag::kAck, kHello, o));
    EXPECT_EQ(decodeFrame(LinkType::RawIpv4, f, p), Status::Malformed) << words;
  }
  TcpOpts beyond;
  beyond.dataOffsetWords = 15;  // 60 bytes, the segment has 32
  const Frame f = ipv4(kA4, kB4, kTcp, tcp(1, 2, tcpflag::kAck, kHello, beyond));
  EXPECT_EQ(decodeFrame(LinkType::RawIpv4, f, p), Status::Malformed);
}

TEST(DecodeTcp, SegmentShorterThanAHeaderIsMalformed) {
  // The IP length leaves 12 bytes for a TCP header.
  Ipv4Opts o;
  o.totalLen = 20 + 12;
  const Frame f = ipv4(kA4, kB4, kTcp, tcp(1, 2, tcpflag::kAck, {}), o);
  PacketView p;
  EXPECT_EQ(decodeFrame(LinkType::RawIpv4, f, p), Status::Malformed);
}

TEST(DecodeUdp, LengthFieldClipsThePayload) {
  const Frame f = ipv4(kA4, kB4, kUdp, udp(1, 2, kHello, 8 + 5));
  PacketView p;
  ASSERT_EQ(decodeFrame(LinkType::RawIpv4, f, p), Status::Ok);
  EXPECT_EQ(text(p.payload), "hello");
  EXPECT_EQ(p.payloadWireLen, 5u);
}

TEST(DecodeUdp, ImpossibleLengthsAreMalformed) {
  PacketView p;
  for (const int len : {1, 7}) {
    const Frame f = ipv4(kA4, kB4, kUdp, udp(1, 2, kHello, len));
    EXPECT_EQ(decodeFrame(LinkType::RawIpv4, f, p), Status::Malformed) << len;
  }
  // Longer than the IP payload: clipped, not malformed (clipped_test.cpp).
  const Frame longer = ipv4(kA4, kB4, kUdp, udp(1, 2, kHello, 8 + 12 + 1));
  ASSERT_EQ(decodeFrame(LinkType::RawIpv4, longer, p), Status::Ok);
  EXPECT_TRUE(p.clipped);
  // 0 is what IPv6 jumbograms carry: the IP length rules.
  const Frame zero = ipv6(kA6, kB6, kUdp, udp(1, 2, kHello, 0));
  ASSERT_EQ(decodeFrame(LinkType::RawIpv6, zero, p), Status::Ok);
  EXPECT_EQ(text(p.payload), "hello, world");
}

TEST(DecodeIcmp, EchoCarriesIdAndSequence) {
  PacketView p;
  const Frame req = ipv4(kA4, kB4, kIcmp, icmp(8, 0, 0xbeef, 3, kHello));
  ASSERT_EQ(decodeFrame(LinkType::RawIpv4, req, p), Status::Ok);
  EXPECT_EQ(p.proto, kIcmp);
  EXPECT_EQ(p.icmpType, 8);
  EXPECT_EQ(p.icmpCode, 0);
  EXPECT_EQ(p.icmpId, 0xbeef);
  EXPECT_EQ(p.icmpSeq, 3);
  EXPECT_EQ(p.sport, 0);
  EXPECT_EQ(text(p.payload), "hello, world");
  const Frame rep = ipv4(kB4, kA4, kIcmp, icmp(0, 0, 0xbeef, 3, kHello));
  ASSERT_EQ(decodeFrame(LinkType::RawIpv4, rep, p), Status::Ok);
  EXPECT_EQ(p.icmpType, 0);
  EXPECT_EQ(p.icmpId, 0xbeef);
}

TEST(DecodeIcmp, OtherTypesHaveNoIdentifier) {
  PacketView p;
  const Frame unreachable = ipv4(kA4, kB4, kIcmp, icmp(3, 3, 0x1111, 0x2222, Frame(28, 0)));
  ASSERT_EQ(decodeFrame(LinkType::RawIpv4, unreachable, p), Status::Ok);
  EXPECT_EQ(p.icmpType, 3);
  EXPECT_EQ(p.icmpCode, 3);
  EXPECT_EQ(p.icmpId, 0);
  EXPECT_EQ(p.icmpSeq, 0);
  // ICMPv6 echo numbers mean nothing in ICMPv4.
  const Frame v4type128 = ipv4(kA4, kB4, kIcmp, icmp(128, 0, 5, 6, {}));
  ASSERT_EQ(decodeFrame(LinkType::RawIpv4, v4type128, p), Status::Ok);
  EXPECT_EQ(p.icmpId, 0);
}

TEST(DecodeIcmp, V6EchoAndNeighbourDiscovery) {
  PacketView p;
  const Frame req = ipv6(kA6, kB6, kIcmp6, icmp(128, 0, 77, 1, kHello));
  ASSERT_EQ(decodeFrame(LinkType::RawIpv6, req, p), Status::Ok);
  EXPECT_EQ(p.proto, kIcmp6);
  EXPECT_EQ(p.icmpType, 128);
  EXPECT_EQ(p.icmpId, 77);
  EXPECT_EQ(p.icmpSeq, 1);
  const Frame rep = ipv6(kB6, kA6, kIcmp6, icmp(129, 0, 77, 1, kHello));
  ASSERT_EQ(decodeFrame(LinkType::RawIpv6, rep, p), Status::Ok);
  EXPECT_EQ(p.icmpType, 129);
  EXPECT_EQ(p.icmpId, 77);
  const Frame ns = ipv6(kA6, kB6, kIcmp6, icmp(135, 0, 0, 0, Frame(16, 0)));
  ASSERT_EQ(decodeFrame(LinkType::RawIpv6, ns, p), Status::Ok);
  EXPECT_EQ(p.icmpType, 135);
  EXPECT_EQ(p.icmpId, 0);
  // ICMPv4 echo numbers mean nothing in ICMPv6.
  const Frame v6type8 = ipv6(kA6, kB6, kIcmp6, icmp(8, 0, 5, 6, {}));
  ASSERT_EQ(decodeFrame(LinkType::RawIpv6, v6type8, p), Status::Ok);
  EXPECT_EQ(p.icmpId, 0);
}

TEST(DecodeIcmp, ShorterThanAHeaderIsMalformed) {
  Ipv4Opts o;
  o.totalLen = 20 + 4;
  const Frame f = ipv4(kA4, kB4, kIcmp, icmp(3, 1, 0, 0, {}), o);
  PacketView p;
  EXPECT_EQ(decodeFrame(LinkType::RawIpv4, f, p), Status::Malformed);
}

// ---- snaplen: the frame's wire length is larger than what was captured.

TEST(DecodeSnaplen, PayloadCutAfterTheHeaders) {
  const Frame data(1000, 'd');
  const Frame full = ethernet(0x0800, ipv4(kA4, kB4, kTcp, tcp(1, 2, tcpflag::kAck, data)));
  const Frame cut(full.begin(), full.begin() + 14 + 20 + 20 + 100);
  PacketView p;
  ASSERT_EQ(decodeFrame(LinkType::Ethernet, cut, p, static_cast<std::uint32_t>(full.size())),
            Status::Ok);
  EXPECT_EQ(p.wireLen, full.size());
  EXPECT_EQ(p.capLen, cut.size());
  EXPECT_EQ(p.payload.size(), 100u);
  EXPECT_EQ(p.payloadWireLen, 1000u);
  EXPECT_FALSE(p.transportTruncated);
  EXPECT_EQ(p.tcpFlags, tcpflag::kAck);
}

TEST(DecodeSnaplen, UdpCutAfterThePorts) {
  const Frame full = ipv6(kA6, kB6, kUdp, udp(5353, 53, Frame(500, 0)));
  const Frame cut(full.begin(), full.begin() + 40 + 4);
  PacketView p;
  ASSERT_EQ(decodeFrame(LinkType::RawIpv6, cut, p, static_cast<std::uint32_t>(full.size())),
            Status::Ok);
  EXPECT_EQ(p.sport, 5353);
  EXPECT_EQ(p.dport, 53);
  EXPECT_TRUE(p.transportTruncated);
  EXPECT_TRUE(p.payload.empty());
  EXPECT_EQ(p.payloadWireLen, 0u);
}

TEST(DecodeSnaplen, TcpCutInsideTheHeader) {
  const Frame full = ipv4(kA4, kB4, kTcp, tcp(1, 2, tcpflag::kFin, Frame(300, 0)));
  const Frame cut(full.begin(), full.begin() + 20 + 10);
  PacketView p;
  ASSERT_EQ(decodeFrame(LinkType::RawIpv4, cut, p, static_cast<std::uint32_t>(full.size())),
            Status::Ok);
  EXPECT_EQ(p.sport, 1);
  EXPECT_EQ(p.dport, 2);
  EXPECT_TRUE(p.transportTruncated);
  EXPECT_EQ(p.tcpFlags, 0);
  EXPECT_TRUE(p.payload.empty());
}

TEST(DecodeSnaplen, CutBeforeThePortsIsMalformed) {
  const Frame full = ipv4(kA4, kB4, kTcp, tcp(1, 2, tcpflag::kAck, Frame(300, 0)));
  const Frame cut(full.begin(), full.begin() + 20 + 3);
  PacketView p;
  EXPECT_EQ(decodeFrame(LinkType::RawIpv4, cut, p, static_cast<std::uint32_t>(full.size())),
            Status::Malformed);
  const Frame echo = ipv4(kA4, kB4, kIcmp, icmp(8, 0, 1, 1, Frame(56, 0)));
  const Frame echoCut(echo.begin(), echo.begin() + 20 + 6);
  EXPECT_EQ(decodeFrame(LinkType::RawIpv4, echoCut, p, static_cast<std::uint32_t>(echo.size())),
            Status::Malformed);
}

}  // namespace
}  // namespace rustnet::decode::testing
