// PPPoE sessions (seen behind QinQ in ISP captures) and macOS PKTAP headers.
#include <gtest/gtest.h>

#include "decode/packet.h"
#include "frames.h"

namespace rustnet::decode::testing {
namespace {

const Frame kQuery = bytesOf("dns query bytes");

Frame pppoeSession(std::uint16_t pppProto, const Frame& payload, int lengthField = -1) {
  Frame f{0x11, 0x00, 0x55, 0x6a};
  const auto len = static_cast<std::uint16_t>(lengthField >= 0 ? lengthField : payload.size() + 2);
  f.push_back(static_cast<std::uint8_t>(len >> 8));
  f.push_back(static_cast<std::uint8_t>(len));
  f.push_back(static_cast<std::uint8_t>(pppProto >> 8));
  f.push_back(static_cast<std::uint8_t>(pppProto));
  f.insert(f.end(), payload.begin(), payload.end());
  return f;
}

Frame pktap(std::uint32_t innerDlt, const Frame& inner, std::uint32_t headerLen = 108) {
  Frame f(headerLen, 0);
  f[0] = static_cast<std::uint8_t>(headerLen);
  f[1] = static_cast<std::uint8_t>(headerLen >> 8);
  if (headerLen >= 8) f[4] = static_cast<std::uint8_t>(innerDlt);
  f.insert(f.end(), inner.begin(), inner.end());
  return f;
}

TEST(DecodePppoe, SessionCarryingIpv4BehindQinQ) {
  const Frame f = ethernet(0x8864, pppoeSession(0x0021, ipv4(kA4, kB4, kUdp, udp(47255, 53, kQuery))),
                           {{0x8100, 421}, {0x8100, 785}}, 80);
  PacketView p;
  ASSERT_EQ(decodeFrame(LinkType::Ethernet, f, p), Status::Ok);
  EXPECT_EQ(p.vlan, 785);
  EXPECT_EQ(p.src, addr(kA4));
  EXPECT_EQ(p.dport, 53);
  EXPECT_EQ(text(p.payload), "dns query bytes");  // padding after the PPPoE length is cut
}

TEST(DecodePppoe, Ipv6AndOtherPppProtocols) {
  PacketView p;
  const Frame v6 = ethernet(0x8864, pppoeSession(0x0057, ipv6(kA6, kB6, kUdp, udp(1, 2, kQuery))));
  ASSERT_EQ(decodeFrame(LinkType::Ethernet, v6, p), Status::Ok);
  EXPECT_EQ(p.network, Network::Ipv6);
  const Frame lcp = ethernet(0x8864, pppoeSession(0xc021, bytesOf("lcp")));
  EXPECT_EQ(decodeFrame(LinkType::Ethernet, lcp, p), Status::NotIp);
  const Frame discovery = ethernet(0x8863, bytesOf("padi"));
  EXPECT_EQ(decodeFrame(LinkType::Ethernet, discovery, p), Status::NotIp);
}

TEST(DecodePppoe, LengthBeyondTheFrameIsMalformed) {
  PacketView p;
  const Frame f = ethernet(0x8864, pppoeSession(0x0021, ipv4(kA4, kB4, kUdp, udp(1, 2, kQuery)), 1400));
  EXPECT_EQ(decodeFrame(LinkType::Ethernet, f, p), Status::Malformed);
}

TEST(DecodePktap, InnerEthernetAndNull) {
  PacketView p;
  const Frame eth = pktap(1, ethernet(0x0800, ipv4(kA4, kB4, kUdp, udp(5353, 53, kQuery))));
  ASSERT_EQ(decodeFrame(LinkType::Pktap, eth, p), Status::Ok);
  EXPECT_EQ(p.sport, 5353);
  const Frame null = pktap(0, nullLink(2, true, ipv4(kA4, kB4, kTcp, tcp(1, 2, tcpflag::kSyn, {}))));
  ASSERT_EQ(decodeFrame(LinkType::Pktap, null, p), Status::Ok);
  EXPECT_EQ(p.proto, kTcp);
}

TEST(DecodePktap, BadHeadersAndUnknownInnerTypes) {
  PacketView p;
  const Frame inner = ethernet(0x0800, ipv4(kA4, kB4, kUdp, udp(1, 2, kQuery)));
  EXPECT_EQ(decodeFrame(LinkType::Pktap, pktap(1, inner, 4), p), Status::Malformed);
  Frame huge = pktap(1, inner);
  huge[0] = 0xff;
  huge[1] = 0xff;
  EXPECT_EQ(decodeFrame(LinkType::Pktap, huge, p), Status::Malformed);
  EXPECT_EQ(decodeFrame(LinkType::Pktap, pktap(147, inner), p), Status::Unsupported);
  // Truncated at every offset: never out of bounds, never Ok before the ports are there.
  const Frame whole = pktap(1, inner);
  for (std::size_t n = 0; n < whole.size(); ++n) {
    const Frame cut(whole.begin(), whole.begin() + static_cast<std::ptrdiff_t>(n));
    const Status st = decodeFrame(LinkType::Pktap, cut, p, static_cast<std::uint32_t>(whole.size()));
    if (st == Status::Ok) {
      EXPECT_EQ(p.dport, 2);
    }
  }
}

}  // namespace
}  // namespace rustnet::decode::testing
