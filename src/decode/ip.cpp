// IPv4 and IPv6: lengths, fragments, IPv6 extension headers (and AH after IPv4), and
// IP-in-IP unwrapping (other tunnels: tunnel.cpp).
#include <algorithm>
#include <cstdint>
#include <optional>

#include "decode/layers.h"

namespace rustnet::decode::detail {
namespace {

constexpr std::uint8_t kProtoHopByHop = 0;
constexpr std::uint8_t kProtoIpip = 4;
constexpr std::uint8_t kProtoIpv6 = 41;
constexpr std::uint8_t kProtoRouting = 43;
constexpr std::uint8_t kProtoFragment = 44;
constexpr std::uint8_t kProtoGre = 47;
constexpr std::uint8_t kProtoAh = 51;
constexpr std::uint8_t kProtoDstOpts = 60;

constexpr std::uint32_t kIpv4MinHeader = 20;
constexpr std::uint32_t kIpv6Header = 40;
constexpr std::uint16_t kIpv4MoreFragments = 0x2000;
constexpr std::uint16_t kIpv4OffsetMask = 0x1fff;

// Routing header types whose address list names the final destination (RFC 8200 §4.4):
// type 0 (deprecated source route) and type 2 (Mobile IPv6) carry it last, type 4 (segment
// routing, RFC 8754) carries it first. Its 4-byte type-specific field precedes the list.
constexpr std::uint8_t kRoutingSourceRoute = 0;
constexpr std::uint8_t kRoutingMobileIpv6 = 2;
constexpr std::uint8_t kRoutingSegment = 4;
constexpr std::uint32_t kRoutingFixed = 8;

// RFC 2675 jumbo payload option: 4 bytes holding the length after the fixed header.
constexpr std::uint8_t kOptPad1 = 0;
constexpr std::uint8_t kOptJumbo = 0xc2;

// AH (RFC 4302) may follow IPv4 as well as IPv6; the others exist only in IPv6.
constexpr bool isExtensionHeader(std::uint8_t proto, bool ipv6) {
  if (proto == kProtoAh) return true;
  if (!ipv6) return false;
  return proto == kProtoHopByHop || proto == kProtoRouting || proto == kProtoFragment ||
         proto == kProtoDstOpts;
}

// Finds the jumbo payload length among hop-by-hop options; `opts` excludes the first two
// bytes of the header. Every option advances by at least one byte, so the loop is bounded.
std::optional<std::uint32_t> findJumboLength(core::Bytes opts) {
  core::Cursor c(opts);
  while (!c.empty()) {
    const auto type = c.u8();
    if (*type == kOptPad1) continue;
    const auto len = c.u8();
    if (!len) return std::nullopt;
    if (*type == kOptJumbo && *len == 4) return c.be32();
    if (!c.skip(*len)) return std::nullopt;
  }
  return std::nullopt;
}

// While segments remain, the address in the IPv6 header is the next hop, not the peer:
// the transport checksum (and tshark's conversations) use the final destination, which the
// routing header names. `header` is the whole routing header.
void takeFinalDestination(core::Bytes header, PacketView& out) {
  core::Cursor c(header);
  const auto type = c.peekU8(2);
  const auto segmentsLeft = c.peekU8(3);
  if (!type || !segmentsLeft || *segmentsLeft == 0 || header.size() < kRoutingFixed + 16) return;
  const std::size_t addresses = (header.size() - kRoutingFixed) / 16;
  std::size_t index = 0;
  switch (*type) {
    case kRoutingSourceRoute:
    case kRoutingMobileIpv6: index = addresses - 1; break;
    case kRoutingSegment: index = 0; break;
    default: return;
  }
  c.skip(kRoutingFixed + index * 16);
  if (const auto addr = c.take(16)) out.dst = core::IpAddr::v6Bytes(*addr);
}

// Walks the extension headers in front of the upper-layer protocol. On return with Ok,
// `proto` and `rest` describe that protocol; a non-first fragment ends the walk with
// Fragment. `jumbo` says the IPv6 payload length was 0, so a hop-by-hop jumbo option (if
// any) gives the real length; `rest` then still spans everything after the fixed header.
Status walkExtensionHeaders(std::uint8_t& proto, Layer& rest, bool ipv6, bool jumbo,
                            PacketView& out) {
  // In a first fragment, the headers after the fragmentation point (IPv4's header, IPv6's
  // fragment header) belong to the fragmentable part: later fragments' offsets count them.
  bool fragmentable = rest.partial;
  std::uint32_t skipped = 0;
  for (int walked = 0; isExtensionHeader(proto, ipv6); ++walked) {
    if (walked >= kMaxIpv6ExtHeaders) return Status::Malformed;
    core::Cursor c(rest.bytes);
    const auto next = c.u8();
    const auto len = c.u8();
    if (!next || !len) return Status::Malformed;
    std::uint32_t size = 0;
    switch (proto) {
      case kProtoFragment: size = 8; break;
      case kProtoAh: size = (std::uint32_t{*len} + 2) * 4; break;
      default: size = (std::uint32_t{*len} + 1) * 8; break;
    }
    if (size > rest.wireLen || size > rest.bytes.size()) return Status::Malformed;

    if (fragmentable) skipped += size;
    if (proto == kProtoFragment) {
      const auto field = c.be16();
      const auto ident = c.be32();
      if (!field || !ident) return Status::Malformed;
      const auto offset = static_cast<std::uint16_t>(*field >> 3);
      const bool more = (*field & 1) != 0;
      // An "atomic" fragment header (offset 0, no more) is not part of a fragmented datagram.
      if (offset != 0 || more) {
        out.fragmented = true;
        out.fragId = *ident;
        out.fragMore = more;
      }
      if (offset != 0) {
        const Layer data = after(rest, size);
        out.proto = *next;
        out.fragOffset = std::uint32_t{offset} * 8;
        out.payload = data.bytes;
        out.payloadWireLen = data.wireLen;
        return Status::Fragment;
      }
      if (more) {
        rest.partial = true;
        fragmentable = true;
        out.fragFirst = true;
      }
    } else if (proto == kProtoRouting) {
      takeFinalDestination(rest.bytes.first(size), out);
    } else if (proto == kProtoHopByHop && jumbo && walked == 0) {
      const auto options = c.take(size - 2);
      if (!options) return Status::Malformed;
      if (const auto jl = findJumboLength(*options)) {
        if (*jl < size) return Status::Malformed;
        if (*jl > rest.wireLen && !rest.partial) out.clipped = true;
        rest = clip(rest, std::min(*jl, rest.wireLen));
      }
    }
    rest = after(rest, size);
    proto = *next;
  }
  if (fragmentable) out.fragOffset = skipped;
  return Status::Ok;
}

}  // namespace

Status decodeIpv4(Layer l, int depth, PacketView& out) {
  core::Cursor c(l.bytes);
  const auto versionIhl = c.u8();
  if (!versionIhl || (*versionIhl >> 4) != 4) return Status::Malformed;
  const std::uint32_t headerLen = (*versionIhl & 0x0fu) * 4;
  if (headerLen < kIpv4MinHeader || headerLen > l.bytes.size()) return Status::Malformed;
  // The whole header is captured (checked above), so these reads cannot fail; they go
  // through the cursor all the same.
  const bool dscp = c.skip(1);
  const auto totalLen = c.be16();
  const auto ident = c.be16();
  const auto fragField = c.be16();
  const auto ttl = c.u8();
  const auto proto = c.u8();
  const bool checksum = c.skip(2);  // offloading makes it meaningless in captures anyway
  const auto src = c.take(4);
  const auto dst = c.take(4);
  if (!dscp || !totalLen || !ident || !fragField || !ttl || !proto || !checksum || !src || !dst)
    return Status::Malformed;

  // Total length 0 comes from TSO/GSO captures where the stack fills it in later: the
  // enclosing length is then the best we have.
  std::uint32_t ipWire = l.wireLen;
  if (*totalLen != 0) {
    if (*totalLen < headerLen) return Status::Malformed;
    if (*totalLen > l.wireLen && !l.partial) out.clipped = true;
    ipWire = std::min<std::uint32_t>(*totalLen, l.wireLen);
  }
  if (out.ipWireEnd == 0) out.ipWireEnd = out.wireLen - l.wireLen + ipWire;

  out.network = Network::Ipv4;
  out.src = core::IpAddr::v4Bytes(*src);
  out.dst = core::IpAddr::v4Bytes(*dst);
  out.ttl = *ttl;
  out.proto = *proto;

  Layer payload = after(clip(l, ipWire), headerLen);
  const bool more = (*fragField & kIpv4MoreFragments) != 0;
  const auto offset = static_cast<std::uint16_t>(*fragField & kIpv4OffsetMask);
  if (more || offset != 0) {
    out.fragmented = true;
    out.fragId = *ident;
    out.fragMore = more;
  }
  if (offset != 0) {
    out.fragOffset = std::uint32_t{offset} * 8;
    out.payload = payload.bytes;
    out.payloadWireLen = payload.wireLen;
    return Status::Fragment;
  }
  if (more) {
    payload.partial = true;
    out.fragFirst = true;
  }

  std::uint8_t next = *proto;
  if (const Status s = walkExtensionHeaders(next, payload, false, false, out); s != Status::Ok)
    return s;
  return decodeIpPayload(next, payload, depth, out);
}

Status decodeIpv6(Layer l, int depth, PacketView& out) {
  core::Cursor c(l.bytes);
  const auto first = c.peekU8();
  if (!first || (*first >> 4) != 6) return Status::Malformed;
  const bool flow = c.skip(4);  // version, traffic class, flow label
  const auto payloadLen = c.be16();
  const auto next = c.u8();
  const auto hopLimit = c.u8();
  const auto src = c.take(16);
  const auto dst = c.take(16);
  if (!flow || !payloadLen || !next || !hopLimit || !src || !dst) return Status::Malformed;

  // Payload length 0 means a jumbogram (BIG TCP and GSO captures): the hop-by-hop jumbo
  // option, or failing that the enclosing length, says how long it is.
  const bool jumbo = *payloadLen == 0;
  std::uint32_t payloadWire = l.wireLen - kIpv6Header;
  if (!jumbo) {
    if (*payloadLen > payloadWire && !l.partial) out.clipped = true;
    payloadWire = std::min<std::uint32_t>(*payloadLen, payloadWire);
  }
  if (out.ipWireEnd == 0) out.ipWireEnd = out.wireLen - l.wireLen + kIpv6Header + payloadWire;

  out.network = Network::Ipv6;
  out.src = core::IpAddr::v6Bytes(*src);
  out.dst = core::IpAddr::v6Bytes(*dst);
  out.ttl = *hopLimit;
  out.proto = *next;

  Layer payload = clip(after(l, kIpv6Header), payloadWire);
  std::uint8_t proto = *next;
  if (const Status s = walkExtensionHeaders(proto, payload, true, jumbo, out); s != Status::Ok)
    return s;
  return decodeIpPayload(proto, payload, depth, out);
}

Status decodeIpPayload(std::uint8_t proto, Layer l, int depth, PacketView& out) {
  out.proto = proto;
  if (proto == kProtoIpip || proto == kProtoIpv6) {
    if (depth < kMaxTunnelDepth) {
      out.tunnelDepth = static_cast<std::uint8_t>(depth + 1);
      if (out.tunnel == Tunnel::None) out.tunnel = Tunnel::IpInIp;
      return proto == kProtoIpip ? decodeIpv4(l, depth + 1, out) : decodeIpv6(l, depth + 1, out);
    }
    out.tunnelCapped = true;
  }
  if (proto == kProtoGre) {
    if (const auto s = decodeGre(l, out)) return *s;
  }
  return decodeTransport(proto, l, out);
}

}  // namespace rustnet::decode::detail
