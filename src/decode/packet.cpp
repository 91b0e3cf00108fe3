// Entry point of the decoder and the names of its enums. The layers live in link.cpp,
// ip.cpp, transport.cpp and tunnel.cpp.
#include "decode/packet.h"

#include <algorithm>
#include <cstdint>
#include <limits>

#include "decode/layers.h"

namespace rustnet::decode {

const char* linkTypeName(LinkType t) {
  switch (t) {
    case LinkType::Ethernet: return "ethernet";
    case LinkType::Null: return "null";
    case LinkType::Loop: return "loop";
    case LinkType::RawIp: return "raw";
    case LinkType::RawIpv4: return "ipv4";
    case LinkType::RawIpv6: return "ipv6";
    case LinkType::LinuxSll: return "linux-sll";
    case LinkType::LinuxSll2: return "linux-sll2";
    case LinkType::Ppp: return "ppp";
    case LinkType::Pktap: return "pktap";
    case LinkType::Nflog: return "nflog";
    case LinkType::Unsupported: break;
  }
  return "unsupported";
}

const char* statusName(Status s) {
  switch (s) {
    case Status::Ok: return "ok";
    case Status::Fragment: return "fragment";
    case Status::NotIp: return "not-ip";
    case Status::Unsupported: return "unsupported";
    case Status::Malformed: return "malformed";
  }
  return "unknown";
}

const char* tunnelName(Tunnel t) {
  switch (t) {
    case Tunnel::None: return "";
    case Tunnel::IpInIp: return "IP-in-IP";
    case Tunnel::Gre: return "GRE";
    case Tunnel::Erspan: return "ERSPAN";
    case Tunnel::GtpU: return "GTP-U";
    case Tunnel::Vxlan: return "VXLAN";
    case Tunnel::Teredo: return "Teredo";
  }
  return "";
}

void outerView(const PacketView& inner, PacketView& out) {
  out = PacketView{};
  out.ts = inner.ts;
  out.wireLen = inner.wireLen;
  out.capLen = inner.capLen;
  out.vlan = inner.vlan;
  out.vlanDepth = inner.vlanDepth;
  out.network = inner.outer.network;
  out.src = inner.outer.src;
  out.dst = inner.outer.dst;
  out.proto = inner.outer.proto;
  out.ttl = inner.outer.ttl;
  out.sport = inner.outer.sport;
  out.dport = inner.outer.dport;
  out.tunnelOuter = true;
}

Status decode(LinkType link, core::Bytes frame, std::uint32_t wireLen, core::Timestamp ts,
              PacketView& out) {
  out = PacketView{};
  out.ts = ts;
  // Lengths are 32-bit in every capture format; a larger span is cut rather than wrapped.
  constexpr std::size_t kMaxLen = std::numeric_limits<std::uint32_t>::max();
  if (frame.size() > kMaxLen) frame = frame.first(kMaxLen);
  out.capLen = static_cast<std::uint32_t>(frame.size());
  out.wireLen = std::max(wireLen, out.capLen);
  if (out.wireLen > kMaxRecordWireLen && out.wireLen > out.capLen) {
    out.lengthCapped = true;
    out.wireLen = std::max(kMaxRecordWireLen, out.capLen);
  }
  const Status st = detail::decodeLink(link, detail::Layer{frame, out.wireLen, false}, out);
  if (out.lengthCapped && out.ipWireEnd != 0) {
    out.wireLen = std::max(out.capLen, std::min(out.wireLen, out.ipWireEnd));
  }
  return st;
}

}  // namespace rustnet::decode
