// Lengths that claim more than the frame holds (clipped, as tshark does), absurd record
// lengths (capped), and the fragmentation fields the engine's fragment table reads.
#include <gtest/gtest.h>

#include "decode/packet.h"
#include "frames.h"

namespace rustnet::decode::testing {
namespace {

const Frame kHello = bytesOf("hello, world");

TEST(DecodeClipped, Ipv4TotalLengthBeyondTheFrame) {
  Ipv4Opts o;
  o.totalLen = 1500;  // the frame holds 20 + 8 + 12
  const Frame f = ethernet(0x0800, ipv4(kA4, kB4, kUdp, udp(1000, 53, kHello), o));
  PacketView p;
  ASSERT_EQ(decodeFrame(LinkType::Ethernet, f, p), Status::Ok);
  EXPECT_TRUE(p.clipped);
  EXPECT_EQ(p.sport, 1000);
  EXPECT_EQ(p.dport, 53);
  EXPECT_EQ(text(p.payload), "hello, world");
  EXPECT_EQ(p.payloadWireLen, 12u);
  EXPECT_EQ(p.wireLen, f.size());  // bytes counted are the record's, not the header's claim
}

TEST(DecodeClipped, SnaplenCutIsNotClipped) {
  Ipv4Opts o;
  const Frame f = ipv4(kA4, kB4, kUdp, udp(1000, 53, kHello), o);
  PacketView p;
  // The record says 1000 bytes were on the wire: the IP length fits, the snaplen cut it.
  ASSERT_EQ(decodeFrame(LinkType::RawIpv4, f, p, 1000), Status::Ok);
  EXPECT_FALSE(p.clipped);
}

TEST(DecodeClipped, RealCorruptionStaysMalformed) {
  PacketView p;
  Ipv4Opts shortTotal;
  shortTotal.totalLen = 19;  // below its own header
  EXPECT_EQ(decodeFrame(LinkType::RawIpv4, ipv4(kA4, kB4, kUdp, udp(1, 2, kHello), shortTotal), p),
            Status::Malformed);
  Ipv4Opts shortIhl;
  shortIhl.ihlWords = 4;
  EXPECT_EQ(decodeFrame(LinkType::RawIpv4, ipv4(kA4, kB4, kUdp, udp(1, 2, kHello), shortIhl), p),
            Status::Malformed);
  // A UDP length below the UDP header.
  EXPECT_EQ(decodeFrame(LinkType::RawIpv4, ipv4(kA4, kB4, kUdp, udp(1, 2, kHello, 7)), p),
            Status::Malformed);
}

TEST(DecodeClipped, Ipv6PayloadLengthBeyondTheFrame) {
  Ipv6Opts o;
  o.payloadLen = 4000;
  const Frame f = ipv6(kA6, kB6, kTcp, tcp(443, 50000, tcpflag::kAck, kHello), o);
  PacketView p;
  ASSERT_EQ(decodeFrame(LinkType::RawIpv6, f, p), Status::Ok);
  EXPECT_TRUE(p.clipped);
  EXPECT_EQ(p.sport, 443);
  EXPECT_EQ(text(p.payload), "hello, world");
}

TEST(DecodeClipped, UdpLengthBeyondThePacket) {
  const Frame f = ipv4(kA4, kB4, kUdp, udp(5353, 5353, kHello, 200));
  PacketView p;
  ASSERT_EQ(decodeFrame(LinkType::RawIpv4, f, p), Status::Ok);
  EXPECT_TRUE(p.clipped);
  EXPECT_EQ(p.sport, 5353);
  EXPECT_EQ(text(p.payload), "hello, world");
  // A consistent one is not.
  const Frame g = ipv4(kA4, kB4, kUdp, udp(5353, 5353, kHello));
  ASSERT_EQ(decodeFrame(LinkType::RawIpv4, g, p), Status::Ok);
  EXPECT_FALSE(p.clipped);
}

TEST(DecodeLengthCap, AbsurdRecordLengthTakesTheIpLength) {
  const Frame f = ethernet(0x0800, ipv4(kA4, kB4, kUdp, udp(1, 2, kHello)));
  PacketView p;
  ASSERT_EQ(decodeFrame(LinkType::Ethernet, f, p, 2'147'483'647u), Status::Ok);
  EXPECT_TRUE(p.lengthCapped);
  EXPECT_EQ(p.wireLen, f.size());  // 14 + the IP total length
  // Without an IP header the bound itself stands.
  const Frame arpLike = ethernet(0x88cc, Frame(40, 1));
  EXPECT_EQ(decodeFrame(LinkType::Ethernet, arpLike, p, 4'000'000'000u), Status::NotIp);
  EXPECT_TRUE(p.lengthCapped);
  EXPECT_EQ(p.wireLen, kMaxRecordWireLen);
  // At the bound nothing changes.
  ASSERT_EQ(decodeFrame(LinkType::Ethernet, f, p, kMaxRecordWireLen), Status::Ok);
  EXPECT_FALSE(p.lengthCapped);
  EXPECT_EQ(p.wireLen, kMaxRecordWireLen);
}

TEST(DecodeFragments, Ipv4FieldsForTheFragmentTable) {
  Ipv4Opts first;
  first.fragField = kMf;
  const Frame a = ipv4(kA4, kB4, kUdp, udp(4000, 53, Frame(16, 7), 3000), first);
  PacketView p;
  ASSERT_EQ(decodeFrame(LinkType::RawIpv4, a, p), Status::Ok);
  EXPECT_TRUE(p.fragFirst);
  EXPECT_TRUE(p.fragMore);
  EXPECT_EQ(p.fragId, 0x1234u);
  EXPECT_EQ(p.fragOffset, 0u);
  Ipv4Opts later;
  later.fragField = 3;  // offset 24 bytes, last fragment
  const Frame b = ipv4(kA4, kB4, kUdp, Frame(30, 1), later);
  ASSERT_EQ(decodeFrame(LinkType::RawIpv4, b, p), Status::Fragment);
  EXPECT_FALSE(p.fragFirst);
  EXPECT_FALSE(p.fragMore);
  EXPECT_EQ(p.fragOffset, 24u);
  EXPECT_EQ(p.payload.size(), 30u);
}

TEST(DecodeFragments, TinyFirstFragmentIsAFragment) {
  Ipv4Opts first;
  first.fragField = kMf;
  // Two bytes of UDP: the source port only.
  const Frame f = ipv4(kA4, kB4, kUdp, Frame{0x0f, 0xa0}, first);
  PacketView p;
  ASSERT_EQ(decodeFrame(LinkType::RawIpv4, f, p), Status::Fragment);
  EXPECT_TRUE(p.fragFirst);
  EXPECT_EQ(p.fragOffset, 0u);
  EXPECT_EQ(p.payload.size(), 2u);
  // The snaplen cutting a longer first fragment before its ports is not a tiny fragment.
  Frame cut = ipv4(kA4, kB4, kUdp, udp(4000, 53, kHello, 3000), first);
  const auto whole = static_cast<std::uint32_t>(cut.size());
  cut.resize(22);
  EXPECT_EQ(decodeFrame(LinkType::RawIpv4, cut, p, whole), Status::Malformed);
  // Eight bytes of TCP hold the ports but not the header: malformed, as tshark has it
  // without reassembly (ndpi__ip_fragmented_garbage.pcap).
  const Frame t = ipv4(kA4, kB4, kTcp, Frame{0x01, 0xbb, 0xc3, 0x50, 0, 0, 0, 1}, first);
  EXPECT_EQ(decodeFrame(LinkType::RawIpv4, t, p), Status::Malformed);
  // Three bytes of TCP: a tiny fragment, for the fragment table to complete.
  const Frame t3 = ipv4(kA4, kB4, kTcp, Frame{0x01, 0xbb, 0xc3}, first);
  EXPECT_EQ(decodeFrame(LinkType::RawIpv4, t3, p), Status::Fragment);
}

TEST(DecodeFragments, Ipv6IdentificationAndExtensionHeaderOffset) {
  // Destination options (8 bytes) after the fragment header belong to the fragmentable part.
  const Frame f = ipv6(kA6, kB6, kFragment,
                       fragmentHeader(kDstOpts, 0, true, ext(kUdp, Frame(6, 0), udp(9, 10, kHello))));
  PacketView p;
  ASSERT_EQ(decodeFrame(LinkType::RawIpv6, f, p), Status::Ok);
  EXPECT_TRUE(p.fragFirst);
  EXPECT_EQ(p.fragId, 0xabcdef01u);
  EXPECT_EQ(p.fragOffset, 8u);
  EXPECT_EQ(p.sport, 9);
}

}  // namespace
}  // namespace rustnet::decode::testing
