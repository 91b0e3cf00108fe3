// Tunnels with a flow of their own: GRE (and ERSPAN over it), and GTP-U, VXLAN and Teredo
// over UDP. The packet inside is decoded as if it had been captured on its own; the
// carrying flow is remembered in PacketView::outer (the outermost one only).
#include <algorithm>
#include <cstdint>
#include <optional>

#include "decode/layers.h"

namespace rustnet::decode::detail {
namespace {

constexpr std::uint16_t kPortGtpU = 2152;
constexpr std::uint16_t kPortVxlan = 4789;
constexpr std::uint16_t kPortTeredo = 3544;

// GRE (RFC 2784/2890): flag bits of the first word, and the protocols opened.
constexpr std::uint16_t kGreChecksum = 0x8000;
constexpr std::uint16_t kGreRouting = 0x4000;
constexpr std::uint16_t kGreKey = 0x2000;
constexpr std::uint16_t kGreSequence = 0x1000;
constexpr std::uint16_t kGreVersionMask = 0x0007;
constexpr std::uint16_t kGreTransparentEthernet = 0x6558;
constexpr std::uint16_t kGreErspan2 = 0x88be;  // type I without a sequence number
constexpr std::uint16_t kGreErspan3 = 0x22eb;
constexpr std::uint32_t kErspan2Header = 8;
constexpr std::uint32_t kErspan3Header = 12;
constexpr std::uint32_t kErspan3PlatformHeader = 8;

// GTP-U (3GPP TS 29.281): version 1, protocol type GTP, and the message carrying user data.
constexpr std::uint32_t kGtpHeader = 8;
constexpr std::uint32_t kGtpOptional = 4;  // sequence, N-PDU number, next extension type
constexpr std::uint8_t kGtpFlagExtension = 0x04;
constexpr std::uint8_t kGtpOptionalFlags = 0x07;  // E, S, PN: any one adds the 4 bytes
constexpr std::uint8_t kGtpGpdu = 0xff;
constexpr int kMaxGtpExtensions = 8;

constexpr std::uint32_t kVxlanHeader = 8;
constexpr std::uint8_t kVxlanVniValid = 0x08;

// Teredo (RFC 4380): optional authentication and origin indication before the IPv6 packet.
constexpr std::uint16_t kTeredoAuth = 0x0001;
constexpr std::uint16_t kTeredoOrigin = 0x0000;
constexpr std::uint32_t kTeredoAuthFixed = 4 + 8 + 1;  // type, lengths; nonce; confirmation
constexpr std::uint32_t kTeredoOriginHeader = 8;

enum class Inner : std::uint8_t { Ipv4, Ipv6, IpByVersion, Ethernet };

// Decodes what a tunnel header carries into `out`, keeping the frame-wide fields. Gives
// up (nullopt, `out` untouched) when the depth cap is reached or the inside is not a
// packet we track, so that the carrying flow is tracked as the plain packet it also is.
std::optional<Status> enter(Tunnel kind, Inner inner, const Layer& l, PacketView& out) {
  if (out.tunnelDepth >= kMaxTunnelDepth) {
    out.tunnelCapped = true;
    return std::nullopt;
  }
  if (inner == Inner::IpByVersion) {
    const auto first = core::Cursor(l.bytes).peekU8();
    if (!first) return std::nullopt;
    if ((*first >> 4) == 4) {
      inner = Inner::Ipv4;
    } else if ((*first >> 4) == 6) {
      inner = Inner::Ipv6;
    } else {
      return std::nullopt;
    }
  }

  const PacketView saved = out;  // ~200 bytes on the stack: no allocation
  PacketView fresh;
  fresh.ts = out.ts;
  fresh.wireLen = out.wireLen;
  fresh.capLen = out.capLen;
  fresh.vlan = out.vlan;
  fresh.vlanDepth = out.vlanDepth;
  fresh.tunnelDepth = static_cast<std::uint8_t>(out.tunnelDepth + 1);
  fresh.tunnel = out.tunnel;
  fresh.outer = out.outer;
  if (fresh.outer.proto == 0) {
    // The outermost carrying flow names the tunnel, even inside IP-in-IP.
    fresh.tunnel = kind;
    fresh.outer = OuterFlow{out.src, out.dst, out.sport, out.dport, out.proto, out.network, out.ttl};
  }
  out = fresh;

  Status s = Status::Malformed;
  switch (inner) {
    case Inner::Ipv4: s = decodeIpv4(l, out.tunnelDepth, out); break;
    case Inner::Ipv6: s = decodeIpv6(l, out.tunnelDepth, out); break;
    case Inner::Ethernet: s = decodeLink(LinkType::Ethernet, l, out); break;
    case Inner::IpByVersion: break;
  }
  if (s == Status::Ok || s == Status::Fragment) return s;
  out = saved;
  return std::nullopt;
}

std::optional<Status> erspan3(const Layer& l, PacketView& out) {
  core::Cursor c(l.bytes);
  const auto version = c.peekU8(0);
  const auto word = c.peekBe16(10);  // P, frame type, hardware id, D, granularity, O
  if (!version || !word || (*version >> 4) != 2) return std::nullopt;
  if (((*word >> 10) & 0x1f) != 0) return std::nullopt;  // frame type 0: Ethernet
  std::uint32_t size = kErspan3Header;
  if ((*word & 1) != 0) size += kErspan3PlatformHeader;
  if (size > l.wireLen) return std::nullopt;
  return enter(Tunnel::Erspan, Inner::Ethernet, after(l, size), out);
}

std::optional<Status> gtpU(const Layer& l, PacketView& out) {
  core::Cursor head(l.bytes);
  const auto flags = head.peekU8(0);
  const auto type = head.peekU8(1);
  const auto length = head.peekBe16(2);  // bytes after the mandatory 8
  if (!flags || !type || !length || l.bytes.size() < kGtpHeader) return std::nullopt;
  if ((*flags >> 5) != 1 || (*flags & 0x10) == 0 || *type != kGtpGpdu) return std::nullopt;
  const std::uint32_t total = kGtpHeader + *length;
  if (total > l.wireLen && !l.partial) return std::nullopt;
  const Layer msg = clip(l, std::min(total, l.wireLen));

  core::Cursor c(msg.bytes);
  std::uint32_t size = kGtpHeader;
  if (!c.skip(kGtpHeader)) return std::nullopt;
  if ((*flags & kGtpOptionalFlags) != 0) {
    const bool seqAndNpdu = c.skip(3);
    const auto next = c.u8();
    if (!seqAndNpdu || !next) return std::nullopt;
    size += kGtpOptional;
    // Each extension header gives its length in 4-byte units and ends with the next type.
    int walked = 0;
    for (std::uint8_t ext = (*flags & kGtpFlagExtension) != 0 ? *next : 0; ext != 0;) {
      if (++walked > kMaxGtpExtensions) return std::nullopt;
      const auto units = c.peekU8();
      if (!units || *units == 0) return std::nullopt;
      const std::uint32_t extLen = std::uint32_t{*units} * 4;
      const auto last = c.peekU8(extLen - 1);
      if (!last || !c.skip(extLen)) return std::nullopt;
      size += extLen;
      ext = *last;
    }
  }
  if (size > msg.wireLen) return std::nullopt;
  return enter(Tunnel::GtpU, Inner::IpByVersion, after(msg, size), out);
}

std::optional<Status> vxlan(const Layer& l, PacketView& out) {
  const auto flags = core::Cursor(l.bytes).peekU8();
  if (!flags || (*flags & kVxlanVniValid) == 0 || l.wireLen < kVxlanHeader) return std::nullopt;
  return enter(Tunnel::Vxlan, Inner::Ethernet, after(l, kVxlanHeader), out);
}

std::optional<Status> teredo(const Layer& l, PacketView& out) {
  core::Cursor c(l.bytes);
  std::uint32_t size = 0;
  if (c.peekBe16() == kTeredoAuth) {
    const auto idLen = c.peekU8(2);
    const auto authLen = c.peekU8(3);
    if (!idLen || !authLen) return std::nullopt;
    size = kTeredoAuthFixed + *idLen + *authLen;
    if (!c.skip(size)) return std::nullopt;
  }
  if (c.peekBe16() == kTeredoOrigin) {
    if (!c.skip(kTeredoOriginHeader)) return std::nullopt;
    size += kTeredoOriginHeader;
  }
  if (size > l.wireLen) return std::nullopt;
  return enter(Tunnel::Teredo, Inner::Ipv6, after(l, size), out);
}

}  // namespace

std::optional<Status> decodeGre(const Layer& l, PacketView& out) {
  core::Cursor c(l.bytes);
  const auto flags = c.be16();
  const auto proto = c.be16();
  if (!flags || !proto) return std::nullopt;
  // Version 1 is PPTP's enhanced GRE (PPP inside); source routing is long obsolete.
  if ((*flags & kGreVersionMask) != 0 || (*flags & kGreRouting) != 0) return std::nullopt;
  std::uint32_t size = 4;
  if ((*flags & kGreChecksum) != 0) size += 4;
  if ((*flags & kGreKey) != 0) size += 4;
  if ((*flags & kGreSequence) != 0) size += 4;
  if (size > l.wireLen) return std::nullopt;
  const Layer inner = after(l, size);
  switch (*proto) {
    case kEtherIpv4: return enter(Tunnel::Gre, Inner::Ipv4, inner, out);
    case kEtherIpv6: return enter(Tunnel::Gre, Inner::Ipv6, inner, out);
    case kGreTransparentEthernet: return enter(Tunnel::Gre, Inner::Ethernet, inner, out);
    case kGreErspan2: {
      // Type II has a sequence number and an 8-byte header of version 1; type I neither.
      if ((*flags & kGreSequence) == 0) return enter(Tunnel::Erspan, Inner::Ethernet, inner, out);
      const auto version = core::Cursor(inner.bytes).peekU8();
      if (!version || (*version >> 4) != 1 || inner.wireLen < kErspan2Header) return std::nullopt;
      return enter(Tunnel::Erspan, Inner::Ethernet, after(inner, kErspan2Header), out);
    }
    case kGreErspan3: return erspan3(inner, out);
    default: return std::nullopt;
  }
}

std::optional<Status> decodeUdpTunnel(const Layer& l, PacketView& out) {
  auto on = [&](std::uint16_t port) { return out.sport == port || out.dport == port; };
  if (on(kPortGtpU)) return gtpU(l, out);
  if (on(kPortVxlan)) return vxlan(l, out);
  if (on(kPortTeredo)) return teredo(l, out);
  return std::nullopt;
}

}  // namespace rustnet::decode::detail
