// The table of hand-built frames that the truncation test cuts at every offset.
#include "frames.h"

namespace rustnet::decode::testing {

std::vector<Sample> allSamples() {
  const Frame hello = bytesOf("hello, world");
  const Frame tcp4 = ipv4(kA4, kB4, kTcp, tcp(40000, 443, 0x18, hello));
  const Frame udp4 = ipv4(kA4, kB4, kUdp, udp(5353, 53, hello));
  const Frame tcp6 = ipv6(kA6, kB6, kTcp, tcp(40000, 443, 0x02, hello));
  const Frame udp6 = ipv6(kA6, kB6, kUdp, udp(5353, 53, hello));
  const std::array<std::uint8_t, 6> mac{0x02, 0, 0, 0, 0, 0x01};
  const Frame big(70000, 0x5a);
  TcpOpts withOptions;
  withOptions.options = {0x02, 0x04, 0x05, 0xb4, 0x01, 0x03, 0x03, 0x07, 0x04, 0x02};
  Ipv4Opts v4opts;
  v4opts.options = {0x94, 0x04, 0x00, 0x00, 0x01, 0x01, 0x01, 0x00};  // router alert, NOPs
  Ipv4Opts firstFrag;
  firstFrag.fragField = kMf;
  Ipv4Opts laterFrag;
  laterFrag.fragField = 185;  // offset 1480 bytes, last fragment
  Ipv4Opts tso;
  tso.totalLen = 0;
  Ipv6Opts jumbo;
  jumbo.payloadLen = 0;

  std::vector<Sample> s;
  auto add = [&s](std::string name, LinkType link, Frame bytes, Status st) {
    s.push_back({std::move(name), link, std::move(bytes), st});
  };

  // Link layers.
  add("eth-ipv4-tcp", LinkType::Ethernet, ethernet(0x0800, tcp4), Status::Ok);
  add("eth-ipv4-udp-padded", LinkType::Ethernet,
      ethernet(0x0800, ipv4(kA4, kB4, kUdp, udp(1, 2, {})), {}, 60), Status::Ok);
  add("eth-ipv6-udp", LinkType::Ethernet, ethernet(0x86dd, udp6), Status::Ok);
  add("eth-vlan", LinkType::Ethernet, ethernet(0x0800, tcp4, {{0x8100, 100}}), Status::Ok);
  add("eth-qinq", LinkType::Ethernet, ethernet(0x86dd, tcp6, {{0x88a8, 10}, {0x8100, 20}}),
      Status::Ok);
  add("eth-qinq-9100", LinkType::Ethernet, ethernet(0x0800, udp4, {{0x9100, 7}, {0x8100, 8}}),
      Status::Ok);
  add("eth-too-many-tags", LinkType::Ethernet,
      ethernet(0x0800, udp4,
               {{0x88a8, 1}, {0x8100, 2}, {0x8100, 3}, {0x8100, 4}, {0x8100, 5}}),
      Status::Malformed);
  add("eth-lldp", LinkType::Ethernet, ethernet(0x88cc, Frame(30, 0)), Status::NotIp);
  add("eth-loopback-9000", LinkType::Ethernet, ethernet(0x9000, Frame(40, 0)), Status::NotIp);
  add("eth-8023-llc", LinkType::Ethernet, ethernet(0x0026, Frame(38, 0x42)), Status::NotIp);
  add("sll-ipv4-udp", LinkType::LinuxSll, sll(0x0800, udp4), Status::Ok);
  Frame tagged{0x00, 0x05, 0x86, 0xdd};
  tagged.insert(tagged.end(), udp6.begin(), udp6.end());
  add("sll-vlan-ipv6", LinkType::LinuxSll, sll(0x8100, tagged), Status::Ok);
  add("sll2-ipv6-tcp", LinkType::LinuxSll2, sll2(0x86dd, tcp6), Status::Ok);
  add("raw-v4", LinkType::RawIp, udp4, Status::Ok);
  add("raw-v6", LinkType::RawIp, tcp6, Status::Ok);
  add("rawipv4", LinkType::RawIpv4, tcp4, Status::Ok);
  add("rawipv6", LinkType::RawIpv6, udp6, Status::Ok);
  add("null-le-v4", LinkType::Null, nullLink(2, true, udp4), Status::Ok);
  add("null-be-v6-28", LinkType::Null, nullLink(28, false, tcp6), Status::Ok);
  add("null-le-v6-30", LinkType::Null, nullLink(30, true, udp6), Status::Ok);
  add("loop-v6-24", LinkType::Loop, nullLink(24, false, udp6), Status::Ok);
  add("ppp-acfc-v4", LinkType::Ppp, ppp(0x0021, tcp4, true, false), Status::Ok);
  add("ppp-v6", LinkType::Ppp, ppp(0x0057, udp6, false, false), Status::Ok);
  add("ppp-pfc-v4", LinkType::Ppp, ppp(0x0021, udp4, false, true), Status::Ok);
  add("ppp-lcp", LinkType::Ppp, ppp(0xc021, Frame(12, 1), true, false), Status::NotIp);

  // IPv4.
  add("ipv4-options", LinkType::Ethernet,
      ethernet(0x0800, ipv4(kA4, kB4, kTcp, tcp(1, 2, 0x10, hello, withOptions), v4opts)),
      Status::Ok);
  add("ipv4-first-fragment", LinkType::Ethernet,
      ethernet(0x0800, ipv4(kA4, kB4, kUdp, udp(7, 9, hello, 3000), firstFrag)), Status::Ok);
  add("ipv4-later-fragment", LinkType::Ethernet,
      ethernet(0x0800, ipv4(kA4, kB4, kUdp, hello, laterFrag)), Status::Fragment);
  add("ipv4-tso-zero-length", LinkType::Ethernet,
      ethernet(0x0800, ipv4(kA4, kB4, kTcp, tcp(1, 2, 0x10, hello), tso)), Status::Ok);
  add("ipv4-igmp", LinkType::Ethernet,
      ethernet(0x0800, ipv4(kA4, kB4, kIgmp, {0x16, 0, 0, 0, 224, 0, 0, 251})), Status::Ok);
  add("ipv4-gre", LinkType::Ethernet, ethernet(0x0800, ipv4(kA4, kB4, kGre, Frame(8, 0))),
      Status::Ok);
  add("ipv4-ah-icmp", LinkType::Ethernet,
      ethernet(0x0800, ipv4(kA4, kB4, kAh, ah(kIcmp, 12, icmp(8, 0, 77, 1, hello)))),
      Status::Ok);

  // IPv6 extension headers.
  add("ipv6-hbh", LinkType::Ethernet,
      ethernet(0x86dd, ipv6(kA6, kB6, kHopByHop, ext(kTcp, {0x05, 0x02, 0, 0},
                                                     tcp(1, 2, 0x02, hello)))),
      Status::Ok);
  add("ipv6-routing", LinkType::Ethernet,
      ethernet(0x86dd, ipv6(kA6, kB6, kRouting,
                            ext(kUdp, Frame{4, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                                            0, 0, 0, 0, 0, 0},
                                udp(1, 2, hello)))),
      Status::Ok);
  add("ipv6-dstopts", LinkType::Ethernet,
      ethernet(0x86dd, ipv6(kA6, kB6, kDstOpts, ext(kIcmp6, {}, icmp(128, 0, 5, 6, hello)))),
      Status::Ok);
  add("ipv6-first-fragment", LinkType::Ethernet,
      ethernet(0x86dd, ipv6(kA6, kB6, kFragment,
                            fragmentHeader(kTcp, 0, true, tcp(1, 2, 0x18, hello)))),
      Status::Ok);
  add("ipv6-later-fragment", LinkType::Ethernet,
      ethernet(0x86dd, ipv6(kA6, kB6, kFragment, fragmentHeader(kTcp, 58, false, hello))),
      Status::Fragment);
  add("ipv6-ah", LinkType::Ethernet,
      ethernet(0x86dd, ipv6(kA6, kB6, kAh, ah(kUdp, 12, udp(500, 500, hello)))), Status::Ok);
  add("ipv6-no-next", LinkType::Ethernet,
      ethernet(0x86dd, ipv6(kA6, kB6, kDstOpts, ext(kNoNext, {}, {}))), Status::Ok);
  add("ipv6-jumbo", LinkType::Ethernet,
      ethernet(0x86dd, ipv6(kA6, kB6, kHopByHop,
                            ext(kTcp, jumboOption(static_cast<std::uint32_t>(8 + 20 + 70000)),
                                tcp(1, 2, 0x10, big)),
                            jumbo)),
      Status::Ok);

  // IP in IP.
  add("4in4", LinkType::Ethernet, ethernet(0x0800, ipv4(kC4, kD4, kIpip, tcp4)), Status::Ok);
  add("6in4", LinkType::Ethernet, ethernet(0x0800, ipv4(kC4, kD4, kIpv6, udp6)), Status::Ok);
  add("4in6", LinkType::Ethernet, ethernet(0x86dd, ipv6(kC6, kD6, kIpip, udp4)), Status::Ok);
  add("6in6", LinkType::Ethernet, ethernet(0x86dd, ipv6(kC6, kD6, kIpv6, tcp6)), Status::Ok);

  // Tunnels with a carrying flow of their own.
  GtpOpts gtpExt;
  gtpExt.extensions = {Frame{0x00, 0x01}, Frame{1, 2, 3, 4, 5, 6}};
  const Frame eth4 = ethernet(0x0800, tcp4);
  add("gtpu-v4", LinkType::RawIpv4, ipv4(kC4, kD4, kUdp, udp(2152, 2152, gtpU(tcp4))),
      Status::Ok);
  add("gtpu-ext-v6", LinkType::RawIpv6,
      ipv6(kC6, kD6, kUdp, udp(2152, 2152, gtpU(udp6, gtpExt))), Status::Ok);
  add("vxlan", LinkType::Ethernet,
      ethernet(0x0800, ipv4(kC4, kD4, kUdp, udp(40000, 4789, vxlan(eth4)))), Status::Ok);
  add("teredo-auth-origin", LinkType::RawIpv4,
      ipv4(kC4, kD4, kUdp, udp(3544, 50000, teredo(udp6, true, true))), Status::Ok);
  add("gre-key-seq-v4", LinkType::RawIpv4,
      ipv4(kC4, kD4, kGre, gre(0x0800, udp4, {.checksum = true, .key = true, .sequence = true})),
      Status::Ok);
  add("gre-eth", LinkType::RawIpv6, ipv6(kC6, kD6, kGre, gre(0x6558, eth4)), Status::Ok);
  add("erspan2", LinkType::RawIpv4,
      ipv4(kC4, kD4, kGre, gre(0x88be, erspan2(eth4), {.sequence = true})), Status::Ok);
  add("erspan3-platform", LinkType::RawIpv4,
      ipv4(kC4, kD4, kGre, gre(0x22eb, erspan3(eth4, true), {.sequence = true})), Status::Ok);

  // Transport.
  add("tcp-options", LinkType::RawIpv4,
      ipv4(kA4, kB4, kTcp, tcp(80, 40000, 0x12, hello, withOptions)), Status::Ok);
  add("icmp-echo-request", LinkType::RawIpv4, ipv4(kA4, kB4, kIcmp, icmp(8, 0, 1, 2, hello)),
      Status::Ok);
  add("icmp-unreachable", LinkType::RawIpv4,
      ipv4(kA4, kB4, kIcmp, icmp(3, 3, 0, 0, Frame(udp4.begin(), udp4.begin() + 28))),
      Status::Ok);
  add("icmp6-echo-reply", LinkType::RawIpv6, ipv6(kA6, kB6, kIcmp6, icmp(129, 0, 1, 2, hello)),
      Status::Ok);
  add("arp-request", LinkType::Ethernet, ethernet(0x0806, arp(1, mac, kA4, kB4), {}, 60),
      Status::Ok);
  add("arp-reply-vlan", LinkType::Ethernet,
      ethernet(0x0806, arp(2, mac, kB4, kA4), {{0x8100, 5}}), Status::Ok);
  ArpOpts longHw;
  longHw.hlen = 8;
  add("arp-bad-hlen", LinkType::Ethernet, ethernet(0x0806, arp(1, mac, kA4, kB4, longHw)),
      Status::Malformed);
  return s;
}

}  // namespace rustnet::decode::testing
