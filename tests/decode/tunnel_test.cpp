// Tunnels with a carrying flow: GTP-U, VXLAN, Teredo, GRE and ERSPAN; their nesting cap,
// and what stays plain UDP/GRE.
#include <gtest/gtest.h>

#include "decode/packet.h"
#include "frames.h"

namespace rustnet::decode::testing {
namespace {

const Frame kHello = bytesOf("hello, world");
const Frame kTcp4 = ipv4(kA4, kB4, kTcp, tcp(40000, 443, 0x18, kHello));
const Frame kUdp6 = ipv6(kA6, kB6, kUdp, udp(5353, 53, kHello));

// The inner packet is kTcp4 (or, with v6, kUdp6) and the carrying flow is as given.
void expectInner(const PacketView& p, Tunnel kind, bool v6 = false) {
  EXPECT_EQ(p.tunnel, kind);
  EXPECT_EQ(p.tunnelDepth, 1);
  EXPECT_FALSE(p.tunnelCapped);
  EXPECT_EQ(p.network, v6 ? Network::Ipv6 : Network::Ipv4);
  EXPECT_EQ(p.src, v6 ? addr(kA6) : addr(kA4));
  EXPECT_EQ(p.dst, v6 ? addr(kB6) : addr(kB4));
  EXPECT_EQ(p.proto, v6 ? kUdp : kTcp);
  EXPECT_EQ(p.sport, v6 ? 5353 : 40000);
  EXPECT_EQ(p.dport, v6 ? 53 : 443);
  EXPECT_EQ(text(p.payload), "hello, world");
}

void expectOuter(const PacketView& p, std::uint8_t proto, std::uint16_t sport,
                 std::uint16_t dport, bool v6 = false) {
  EXPECT_EQ(p.outer.proto, proto);
  EXPECT_EQ(p.outer.src, v6 ? addr(kC6) : addr(kC4));
  EXPECT_EQ(p.outer.dst, v6 ? addr(kD6) : addr(kD4));
  EXPECT_EQ(p.outer.network, v6 ? Network::Ipv6 : Network::Ipv4);
  EXPECT_EQ(p.outer.sport, sport);
  EXPECT_EQ(p.outer.dport, dport);
}

TEST(DecodeTunnel, GtpUCarriesIpv4AndIpv6) {
  PacketView p;
  const Frame f = ipv4(kC4, kD4, kUdp, udp(2152, 2152, gtpU(kTcp4)));
  ASSERT_EQ(decodeFrame(LinkType::RawIpv4, f, p), Status::Ok);
  expectInner(p, Tunnel::GtpU);
  expectOuter(p, kUdp, 2152, 2152);
  EXPECT_EQ(p.wireLen, f.size());  // the frame's length, on both flows

  GtpOpts seq;
  seq.sequence = true;
  const Frame g = ipv6(kC6, kD6, kUdp, udp(33000, 2152, gtpU(kUdp6, seq)));
  ASSERT_EQ(decodeFrame(LinkType::RawIpv6, g, p), Status::Ok);
  expectInner(p, Tunnel::GtpU, true);
  expectOuter(p, kUdp, 33000, 2152, true);
}

TEST(DecodeTunnel, GtpUExtensionChainIsWalkedAndBounded) {
  GtpOpts o;
  o.extensions = {Frame{0x00, 0x09}, Frame(10, 0x33), Frame{}};
  PacketView p;
  // The view aliases the frame: keep it alive while the view is read.
  const Frame chained = ipv4(kC4, kD4, kUdp, udp(2152, 2152, gtpU(kTcp4, o)));
  ASSERT_EQ(decodeFrame(LinkType::RawIpv4, chained, p), Status::Ok);
  expectInner(p, Tunnel::GtpU);

  GtpOpts tooMany;
  tooMany.extensions.assign(9, Frame{0x00, 0x01});
  const Frame f = udp(2152, 2152, gtpU(kTcp4, tooMany));
  const Frame capped = ipv4(kC4, kD4, kUdp, f);
  ASSERT_EQ(decodeFrame(LinkType::RawIpv4, capped, p), Status::Ok);
  EXPECT_EQ(p.tunnel, Tunnel::None);
  EXPECT_EQ(p.src, addr(kC4));
  EXPECT_EQ(p.payload.size(), f.size() - 8);
}

TEST(DecodeTunnel, GtpULengthClipsAndMustFit) {
  // Padding after the G-PDU is not part of the inner packet.
  Frame padded = gtpU(kTcp4);
  padded.insert(padded.end(), 6, 0);
  PacketView p;
  const Frame paddedFrame = ipv4(kC4, kD4, kUdp, udp(2152, 2152, padded));
  ASSERT_EQ(decodeFrame(LinkType::RawIpv4, paddedFrame, p), Status::Ok);
  expectInner(p, Tunnel::GtpU);

  GtpOpts tooLong;
  tooLong.lengthField = static_cast<int>(kTcp4.size() + 1);
  const Frame tooLongFrame = ipv4(kC4, kD4, kUdp, udp(2152, 2152, gtpU(kTcp4, tooLong)));
  ASSERT_EQ(decodeFrame(LinkType::RawIpv4, tooLongFrame, p), Status::Ok);
  EXPECT_EQ(p.tunnel, Tunnel::None);
  EXPECT_EQ(p.sport, 2152);
}

TEST(DecodeTunnel, VxlanCarriesEthernet) {
  const Frame f = ipv4(kC4, kD4, kUdp, udp(51000, 4789, vxlan(ethernet(0x0800, kTcp4, {{0x8100, 7}}))));
  PacketView p;
  ASSERT_EQ(decodeFrame(LinkType::RawIpv4, f, p), Status::Ok);
  expectInner(p, Tunnel::Vxlan);
  expectOuter(p, kUdp, 51000, 4789);
  EXPECT_EQ(p.vlan, 7);

  // ARP inside is tracked as ARP.
  const std::array<std::uint8_t, 6> mac{2, 0, 0, 0, 0, 9};
  const Frame a = ipv4(kC4, kD4, kUdp, udp(51000, 4789, vxlan(ethernet(0x0806, arp(1, mac, kA4, kB4)))));
  ASSERT_EQ(decodeFrame(LinkType::RawIpv4, a, p), Status::Ok);
  EXPECT_EQ(p.network, Network::Arp);
  EXPECT_EQ(p.tunnel, Tunnel::Vxlan);
}

TEST(DecodeTunnel, TeredoWithAndWithoutItsHeaders) {
  for (const bool auth : {false, true}) {
    for (const bool origin : {false, true}) {
      const Frame f = ipv4(kC4, kD4, kUdp, udp(3544, 50000, teredo(kUdp6, auth, origin)));
      PacketView p;
      ASSERT_EQ(decodeFrame(LinkType::RawIpv4, f, p), Status::Ok) << auth << origin;
      expectInner(p, Tunnel::Teredo, true);
      expectOuter(p, kUdp, 3544, 50000);
    }
  }
}

TEST(DecodeTunnel, GreCarriesIpAndEthernet) {
  const GreOpts all{.checksum = true, .key = true, .sequence = true};
  struct Case {
    const char* name;
    Frame gre;
    Tunnel kind;
  };
  const Frame eth = ethernet(0x0800, kTcp4);
  const std::vector<Case> cases = {
      {"ipv4", gre(0x0800, kTcp4), Tunnel::Gre},
      {"ipv4-all-fields", gre(0x0800, kTcp4, all), Tunnel::Gre},
      {"ipv4-key", gre(0x0800, kTcp4, {.key = true}), Tunnel::Gre},
      {"ethernet", gre(0x6558, eth, {.key = true}), Tunnel::Gre},
      {"erspan-1", gre(0x88be, eth), Tunnel::Erspan},
      {"erspan-2", gre(0x88be, erspan2(eth), {.sequence = true}), Tunnel::Erspan},
      {"erspan-3", gre(0x22eb, erspan3(eth, false), {.sequence = true}), Tunnel::Erspan},
      {"erspan-3-platform", gre(0x22eb, erspan3(eth, true), {.sequence = true}), Tunnel::Erspan},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    PacketView p;
    const Frame f = ipv4(kC4, kD4, kGre, c.gre);
    ASSERT_EQ(decodeFrame(LinkType::RawIpv4, f, p), Status::Ok);
    expectInner(p, c.kind);
    expectOuter(p, kGre, 0, 0);
  }
  PacketView p;
  const Frame v6 = ipv6(kC6, kD6, kGre, gre(0x86dd, kUdp6));
  ASSERT_EQ(decodeFrame(LinkType::RawIpv6, v6, p), Status::Ok);
  expectInner(p, Tunnel::Gre, true);
  expectOuter(p, kGre, 0, 0, true);
}

TEST(DecodeTunnel, WhatIsNotATunnelStaysPlain) {
  struct Case {
    const char* name;
    Frame packet;  // IPv4 from kC4 to kD4
  };
  Frame routing = gre(0x0800, kTcp4);
  routing[0] |= 0x40;
  GtpOpts echo;
  echo.type = 1;
  GtpOpts v2;
  v2.version = 2;
  const std::vector<Case> cases = {
      {"text-on-2152", ipv4(kC4, kD4, kUdp, udp(2152, 40000, kHello))},
      {"gtp-echo", ipv4(kC4, kD4, kUdp, udp(2152, 2152, gtpU(kTcp4, echo)))},
      {"gtp-version-2", ipv4(kC4, kD4, kUdp, udp(2152, 2152, gtpU(kTcp4, v2)))},
      {"gtp-not-ip", ipv4(kC4, kD4, kUdp, udp(2152, 2152, gtpU(kHello)))},
      {"gtp-bad-inner", ipv4(kC4, kD4, kUdp, udp(2152, 2152, gtpU(Frame(kTcp4.begin(), kTcp4.begin() + 22))))},
      {"text-on-4789", ipv4(kC4, kD4, kUdp, udp(4789, 40000, kHello))},
      {"vxlan-no-vni-flag", ipv4(kC4, kD4, kUdp, udp(1, 4789, vxlan(ethernet(0x0800, kTcp4), 0)))},
      {"vxlan-lldp", ipv4(kC4, kD4, kUdp, udp(1, 4789, vxlan(ethernet(0x88cc, Frame(30, 0)))))},
      {"text-on-3544", ipv4(kC4, kD4, kUdp, udp(3544, 40000, kHello))},
      {"teredo-ipv4-inside", ipv4(kC4, kD4, kUdp, udp(3544, 40000, kTcp4))},
      {"empty-on-3544", ipv4(kC4, kD4, kUdp, udp(3544, 40000, {}))},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    PacketView p;
    ASSERT_EQ(decodeFrame(LinkType::RawIpv4, c.packet, p), Status::Ok);
    EXPECT_EQ(p.tunnel, Tunnel::None);
    EXPECT_EQ(p.outer.proto, 0);
    EXPECT_EQ(p.tunnelDepth, 0);
    EXPECT_EQ(p.src, addr(kC4));
    EXPECT_EQ(p.proto, kUdp);
    EXPECT_EQ(p.payload.size(), c.packet.size() - 28);  // the whole UDP payload
    EXPECT_FALSE(hasOuterFlow(Status::Ok, p));
  }
  for (const Frame& g : {routing, gre(0x880b, kHello, {.key = true, .version = 1}), gre(0x0800, kHello)}) {
    PacketView p;
    ASSERT_EQ(decodeFrame(LinkType::RawIpv4, ipv4(kC4, kD4, kGre, g), p), Status::Ok);
    EXPECT_EQ(p.tunnel, Tunnel::None);
    EXPECT_EQ(p.proto, kGre);
    EXPECT_EQ(p.payload.size(), g.size());
  }
}

TEST(DecodeTunnel, InnerFragmentKeepsTheCarryingFlow) {
  Ipv4Opts later;
  later.fragField = 100;
  const Frame f = ipv4(kC4, kD4, kUdp, udp(2152, 2152, gtpU(ipv4(kA4, kB4, kUdp, kHello, later))));
  PacketView p;
  ASSERT_EQ(decodeFrame(LinkType::RawIpv4, f, p), Status::Fragment);
  EXPECT_EQ(p.tunnel, Tunnel::GtpU);
  EXPECT_EQ(p.src, addr(kA4));
  EXPECT_TRUE(hasOuterFlow(Status::Fragment, p));
  EXPECT_FALSE(hasOuterFlow(Status::Malformed, p));
}

TEST(DecodeTunnel, OuterViewIsTheCarryingFlow) {
  const Frame f = ethernet(0x0800, ipv4(kC4, kD4, kUdp, udp(2152, 2153, gtpU(kTcp4))), {{0x8100, 3}});
  PacketView inner;
  ASSERT_EQ(decodeFrame(LinkType::Ethernet, f, inner, 1500), Status::Ok);
  ASSERT_TRUE(hasOuterFlow(Status::Ok, inner));
  PacketView o;
  o.sport = 999;  // dirty: everything is reset
  outerView(inner, o);
  EXPECT_TRUE(o.tunnelOuter);
  EXPECT_EQ(o.tunnel, Tunnel::None);
  EXPECT_EQ(o.network, Network::Ipv4);
  EXPECT_EQ(o.src, addr(kC4));
  EXPECT_EQ(o.dst, addr(kD4));
  EXPECT_EQ(o.proto, kUdp);
  EXPECT_EQ(o.sport, 2152);
  EXPECT_EQ(o.dport, 2153);
  EXPECT_EQ(o.ttl, 64);
  EXPECT_EQ(o.wireLen, 1500u);
  EXPECT_EQ(o.capLen, f.size());
  EXPECT_EQ(o.vlan, 3);
  EXPECT_EQ(o.ts, inner.ts);
  EXPECT_TRUE(o.payload.empty());
  EXPECT_EQ(o.outer.proto, 0);
}

TEST(DecodeTunnel, NestedUpToTheCapAndBeyond) {
  // GRE inside GTP-U: the outermost carrying flow names the tunnel.
  const Frame greInGtp = ipv4(kC4, kD4, kUdp, udp(2152, 2152, gtpU(ipv4(kA4, kD4, kGre, gre(0x0800, kTcp4)))));
  PacketView p;
  ASSERT_EQ(decodeFrame(LinkType::RawIpv4, greInGtp, p), Status::Ok);
  EXPECT_EQ(p.tunnel, Tunnel::GtpU);
  EXPECT_EQ(p.tunnelDepth, 2);
  EXPECT_EQ(p.src, addr(kA4));
  EXPECT_EQ(p.sport, 40000);
  expectOuter(p, kUdp, 2152, 2152);

  // kMaxTunnelDepth levels open; one more is left as the payload of the last one opened.
  Frame f = kTcp4;
  for (int i = 0; i < kMaxTunnelDepth; ++i) {
    f = i % 2 == 0 ? ipv4(kC4, kD4, kUdp, udp(2152, 2152, gtpU(f))) : ipv4(kC4, kD4, kGre, gre(0x0800, f));
  }
  ASSERT_EQ(decodeFrame(LinkType::RawIpv4, f, p), Status::Ok);
  EXPECT_EQ(p.tunnelDepth, kMaxTunnelDepth);
  EXPECT_FALSE(p.tunnelCapped);
  EXPECT_EQ(p.sport, 40000);
  EXPECT_EQ(text(p.payload), "hello, world");

  const Frame deeper = ipv4(kC4, kD4, kGre, gre(0x0800, f));
  ASSERT_EQ(decodeFrame(LinkType::RawIpv4, deeper, p), Status::Ok);
  EXPECT_EQ(p.tunnelDepth, kMaxTunnelDepth);
  EXPECT_TRUE(p.tunnelCapped);
  EXPECT_EQ(p.tunnel, Tunnel::Gre);
  EXPECT_EQ(p.src, addr(kC4));  // the unopened tunnel's carrier
  EXPECT_EQ(p.dport, 2152);

  // IP-in-IP outside a GTP-U tunnel: the GTP-U flow (inside IP-in-IP) carries the packet.
  const Frame inIpip = ipv6(kC6, kD6, kIpip, ipv4(kC4, kD4, kUdp, udp(2152, 2152, gtpU(kTcp4))));
  ASSERT_EQ(decodeFrame(LinkType::RawIpv6, inIpip, p), Status::Ok);
  EXPECT_EQ(p.tunnel, Tunnel::GtpU);
  EXPECT_EQ(p.tunnelDepth, 2);
  expectOuter(p, kUdp, 2152, 2152);
}

TEST(DecodeTunnel, NamesAreTheDisplayNames) {
  EXPECT_STREQ(tunnelName(Tunnel::None), "");
  EXPECT_STREQ(tunnelName(Tunnel::GtpU), "GTP-U");
  EXPECT_STREQ(tunnelName(Tunnel::Vxlan), "VXLAN");
  EXPECT_STREQ(tunnelName(Tunnel::Teredo), "Teredo");
  EXPECT_STREQ(tunnelName(Tunnel::Gre), "GRE");
  EXPECT_STREQ(tunnelName(Tunnel::Erspan), "ERSPAN");
  EXPECT_STREQ(tunnelName(Tunnel::IpInIp), "IP-in-IP");
}

}  // namespace
}  // namespace rustnet::decode::testing
