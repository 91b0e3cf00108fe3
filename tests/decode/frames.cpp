#include "frames.h"

#include "support/test_support.h"

namespace rustnet::decode::testing {

using rustnet::test::ByteWriter;

core::IpAddr addr(const Ip4& a) { return core::IpAddr::v4Bytes(core::Bytes(a)); }
core::IpAddr addr(const Ip6& a) { return core::IpAddr::v6Bytes(core::Bytes(a)); }
Frame bytesOf(const std::string& s) { return Frame(s.begin(), s.end()); }

Status decodeFrame(LinkType link, const Frame& f, PacketView& out, std::uint32_t wireLen) {
  const auto size = static_cast<std::uint32_t>(f.size());
  return decode(link, core::Bytes(f), wireLen == 0 ? size : wireLen,
                core::Timestamp::fromNanos(1), out);
}

std::string text(core::Bytes b) { return std::string(b.begin(), b.end()); }

namespace {

std::uint16_t u16(std::size_t v) { return static_cast<std::uint16_t>(v); }
std::uint8_t u8(std::size_t v) { return static_cast<std::uint8_t>(v); }

Frame padded(Frame f, std::size_t unit, std::uint8_t fill) {
  while (f.size() % unit != 0) f.push_back(fill);
  return f;
}

}  // namespace

Frame tcp(std::uint16_t sport, std::uint16_t dport, std::uint8_t flags, const Frame& payload,
          const TcpOpts& o) {
  const Frame options = padded(o.options, 4, 0x01);
  const std::size_t words = o.dataOffsetWords >= 0 ? static_cast<std::size_t>(o.dataOffsetWords)
                                                   : 5 + options.size() / 4;
  ByteWriter w;
  w.be16(sport).be16(dport).be32(o.seq).be32(o.ack);
  w.u8(u8(words << 4)).u8(flags).be16(o.window).be16(0).be16(0);
  w.bytes(options).bytes(payload);
  return w.data();
}

Frame udp(std::uint16_t sport, std::uint16_t dport, const Frame& payload, int lengthField) {
  ByteWriter w;
  const std::size_t len = lengthField >= 0 ? static_cast<std::size_t>(lengthField)
                                           : 8 + payload.size();
  w.be16(sport).be16(dport).be16(u16(len)).be16(0).bytes(payload);
  return w.data();
}

Frame icmp(std::uint8_t type, std::uint8_t code, std::uint16_t id, std::uint16_t seq,
           const Frame& payload) {
  ByteWriter w;
  w.u8(type).u8(code).be16(0).be16(id).be16(seq).bytes(payload);
  return w.data();
}

Frame gre(std::uint16_t proto, const Frame& payload, const GreOpts& o) {
  const std::uint16_t flags = u16((o.checksum ? 0x8000u : 0u) | (o.key ? 0x2000u : 0u) |
                                  (o.sequence ? 0x1000u : 0u) | o.version);
  ByteWriter w;
  w.be16(flags).be16(proto);
  if (o.checksum) w.be32(0);
  if (o.key) w.be32(0x0000abcd);
  if (o.sequence) w.be32(7);
  w.bytes(payload);
  return w.data();
}

Frame erspan2(const Frame& ethernetFrame) {
  ByteWriter w;
  w.be16(0x1005).be16(42).be32(3).bytes(ethernetFrame);  // version 1, VLAN 5, session 42
  return w.data();
}

Frame erspan3(const Frame& ethernetFrame, bool platform) {
  ByteWriter w;
  w.be16(0x2005).be16(42).be32(0x01020304);  // ver 2, vlan 5; session 42; timestamp
  w.be16(0).be16(u16(platform ? 1 : 0));               // SGT; frame type 0 (Ethernet), O flag
  if (platform) w.be32(0x08000000).be32(0);
  w.bytes(ethernetFrame);
  return w.data();
}

Frame gtpU(const Frame& payload, const GtpOpts& o) {
  const bool optional = o.sequence || !o.extensions.empty();
  const std::uint8_t flags = u8((o.version << 5) | 0x10u | (o.sequence ? 0x02u : 0u) |
                                (o.extensions.empty() ? 0u : 0x04u));
  ByteWriter body;
  if (optional) {
    body.be16(1).u8(0).u8(o.extensions.empty() ? 0 : 0x85);
    for (std::size_t i = 0; i < o.extensions.size(); ++i) {
      Frame ext = o.extensions[i];
      const std::size_t total = (ext.size() + 2 + 3) / 4 * 4;
      body.u8(u8(total / 4)).bytes(ext);
      for (std::size_t k = ext.size() + 2; k < total; ++k) body.u8(0);
      body.u8(u8(i + 1 < o.extensions.size() ? 0x85u : 0u));
    }
  }
  body.bytes(payload);
  const Frame b = body.data();
  const std::size_t len = o.lengthField >= 0 ? static_cast<std::size_t>(o.lengthField) : b.size();
  ByteWriter w;
  w.u8(flags).u8(o.type).be16(u16(len)).be32(0x11223344).bytes(b);
  return w.data();
}

Frame vxlan(const Frame& ethernetFrame, std::uint8_t flags) {
  ByteWriter w;
  w.u8(flags).u8(0).be16(0).be32(0x00123400).bytes(ethernetFrame);  // VNI 0x1234
  return w.data();
}

Frame teredo(const Frame& ipv6Packet, bool auth, bool origin) {
  ByteWriter w;
  if (auth) {
    w.be16(0x0001).u8(3).u8(2).bytes(Frame{'c', 'i', 'd'}).bytes(Frame{9, 9});
    w.be32(0x01020304).be32(0x05060708).u8(0);  // nonce, confirmation
  }
  if (origin) w.be16(0x0000).be16(0x1234).be32(0xc0000201);
  w.bytes(ipv6Packet);
  return w.data();
}

Frame ipv4(const Ip4& src, const Ip4& dst, std::uint8_t proto, const Frame& payload,
           const Ipv4Opts& o) {
  const Frame options = padded(o.options, 4, 0x00);
  const std::size_t ihl = o.ihlWords >= 0 ? static_cast<std::size_t>(o.ihlWords)
                                          : 5 + options.size() / 4;
  const std::size_t total = o.totalLen >= 0 ? static_cast<std::size_t>(o.totalLen)
                                            : 20 + options.size() + payload.size();
  ByteWriter w;
  w.u8(u8((o.version << 4) | (ihl & 0x0f))).u8(0).be16(u16(total));
  w.be16(0x1234).be16(o.fragField).u8(o.ttl).u8(proto).be16(0);
  w.bytes(Frame(src.begin(), src.end())).bytes(Frame(dst.begin(), dst.end()));
  w.bytes(options).bytes(payload);
  return w.data();
}

Frame ipv6(const Ip6& src, const Ip6& dst, std::uint8_t next, const Frame& payload,
           const Ipv6Opts& o) {
  const std::size_t len = o.payloadLen >= 0 ? static_cast<std::size_t>(o.payloadLen)
                                            : payload.size();
  ByteWriter w;
  w.u8(u8(o.version << 4)).u8(0).be16(0).be16(u16(len)).u8(next).u8(o.hopLimit);
  w.bytes(Frame(src.begin(), src.end())).bytes(Frame(dst.begin(), dst.end()));
  w.bytes(payload);
  return w.data();
}

Frame ext(std::uint8_t next, const Frame& body, const Frame& rest) {
  // Pad options with PadN so that the header is a multiple of 8 bytes.
  Frame b = body;
  const std::size_t total = 2 + b.size();
  const std::size_t pad = (8 - total % 8) % 8;
  if (pad == 1) b.push_back(0x00);  // Pad1
  if (pad >= 2) {
    b.push_back(0x01);
    b.push_back(u8(pad - 2));
    b.insert(b.end(), pad - 2, 0x00);
  }
  ByteWriter w;
  w.u8(next).u8(u8((2 + b.size()) / 8 - 1)).bytes(b).bytes(rest);
  return w.data();
}

Frame fragmentHeader(std::uint8_t next, std::uint16_t offsetUnits, bool more,
                     const Frame& rest) {
  ByteWriter w;
  w.u8(next).u8(0).be16(u16((offsetUnits << 3) | (more ? 1 : 0))).be32(0xabcdef01);
  w.bytes(rest);
  return w.data();
}

Frame ah(std::uint8_t next, std::size_t icvBytes, const Frame& rest) {
  // 12 fixed bytes + ICV, counted in 4-byte units minus 2.
  ByteWriter w;
  w.u8(next).u8(u8((12 + icvBytes) / 4 - 2)).be16(0).be32(0x100).be32(7);
  w.bytes(Frame(icvBytes, 0xaa)).bytes(rest);
  return w.data();
}

Frame jumboOption(std::uint32_t length) {
  ByteWriter w;
  w.u8(0xc2).u8(4).be32(length);
  return w.data();
}

Frame arp(std::uint16_t op, const std::array<std::uint8_t, 6>& senderMac, const Ip4& senderIp,
          const Ip4& targetIp, const ArpOpts& o) {
  ByteWriter w;
  w.be16(o.htype).be16(o.ptype).u8(o.hlen).u8(o.plen).be16(op);
  Frame hw(senderMac.begin(), senderMac.end());
  hw.resize(o.hlen, 0x11);
  Frame sip(senderIp.begin(), senderIp.end());
  sip.resize(o.plen, 0x22);
  Frame tip(targetIp.begin(), targetIp.end());
  tip.resize(o.plen, 0x22);
  w.bytes(hw).bytes(sip).bytes(Frame(o.hlen, 0x00)).bytes(tip);
  return w.data();
}

Frame ethernet(std::uint16_t etherType, const Frame& payload, const std::vector<VlanTag>& tags,
               std::size_t padTo) {
  ByteWriter w;
  w.bytes({0x02, 0, 0, 0, 0, 0x01, 0x02, 0, 0, 0, 0, 0x02});
  for (const VlanTag& t : tags) w.be16(t.tpid).be16(u16(0x2000 | t.vid));  // PCP 1
  w.be16(etherType).bytes(payload);
  Frame f = w.data();
  if (f.size() < padTo) f.resize(padTo, 0x00);
  return f;
}

Frame sll(std::uint16_t proto, const Frame& payload, std::uint16_t hatype) {
  ByteWriter w;
  w.be16(0).be16(hatype).be16(6).bytes({0x02, 0, 0, 0, 0, 0x01, 0, 0}).be16(proto);
  w.bytes(payload);
  return w.data();
}

Frame sll2(std::uint16_t proto, const Frame& payload, std::uint16_t hatype) {
  ByteWriter w;
  w.be16(proto).be16(0).be32(3).be16(hatype).u8(4).u8(6);
  w.bytes({0x02, 0, 0, 0, 0, 0x01, 0, 0}).bytes(payload);
  return w.data();
}

Frame nullLink(std::uint32_t af, bool littleEndian, const Frame& payload) {
  ByteWriter w;
  if (littleEndian) {
    w.u8(u8(af & 0xff)).u8(u8((af >> 8) & 0xff)).u8(u8((af >> 16) & 0xff)).u8(u8(af >> 24));
  } else {
    w.be32(af);
  }
  w.bytes(payload);
  return w.data();
}

Frame ppp(std::uint16_t proto, const Frame& payload, bool addressControl, bool compressed) {
  ByteWriter w;
  if (addressControl) w.u8(0xff).u8(0x03);
  if (compressed) {
    w.u8(u8(proto));
  } else {
    w.be16(proto);
  }
  w.bytes(payload);
  return w.data();
}

}  // namespace rustnet::decode::testing
