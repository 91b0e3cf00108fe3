#pragma once
// Internal to the decode stage: the hand-off between the link, network and transport
// decoders. Other stages use decode/packet.h only.
#include <cstdint>
#include <optional>

#include "core/cursor.h"
#include "decode/packet.h"

namespace rustnet::decode::detail {

// One layer's bytes as captured (already clipped to what the enclosing header allows) and
// its length on the wire according to the enclosing headers. wireLen >= bytes.size().
struct Layer {
  core::Bytes bytes;
  std::uint32_t wireLen = 0;
  // The enclosing IP packet is the first fragment of a larger datagram, so wireLen is only
  // this fragment's share and length fields of inner headers may legitimately exceed it.
  bool partial = false;
};

inline constexpr std::uint16_t kEtherIpv4 = 0x0800;
inline constexpr std::uint16_t kEtherArp = 0x0806;
inline constexpr std::uint16_t kEtherIpv6 = 0x86dd;

// Link layer: strips the link header (and any VLAN tags) and dispatches on the protocol.
Status decodeLink(LinkType link, Layer frame, PacketView& out);

// Network layer, dispatched on an ethertype. Anything but IPv4, IPv6 and ARP is NotIp.
Status decodeEthertype(std::uint16_t etherType, Layer rest, PacketView& out);
Status decodeIpv4(Layer l, int depth, PacketView& out);
Status decodeIpv6(Layer l, int depth, PacketView& out);
Status decodeArp(Layer l, PacketView& out);

// What follows an IP header (after IPv6 extension headers): IP-in-IP is unwrapped while
// `depth` allows, everything else goes to the transport decoder.
Status decodeIpPayload(std::uint8_t proto, Layer l, int depth, PacketView& out);

// Transport layer; `l` is the IP payload.
Status decodeTransport(std::uint8_t proto, Layer l, PacketView& out);

// Tunnels (tunnel.cpp). Each returns nullopt when `l` is not that tunnel, or carries
// nothing trackable, or kMaxTunnelDepth is reached: `out` is then as it was, and the
// caller goes on with the plain packet. Otherwise `out` describes the inner packet.
// `l` is the GRE header onwards / the UDP payload (ports already in `out`).
std::optional<Status> decodeGre(const Layer& l, PacketView& out);
std::optional<Status> decodeUdpTunnel(const Layer& l, PacketView& out);

// The part of `l` after the first `n` bytes, on the wire and as captured. Callers check
// n <= l.wireLen; the wire length saturates all the same rather than wrap.
inline Layer after(const Layer& l, std::uint32_t n) {
  core::Cursor c(l.bytes);
  Layer r;
  r.bytes = c.skip(n) ? c.rest() : core::Bytes{};
  r.wireLen = n <= l.wireLen ? l.wireLen - n : 0;
  r.partial = l.partial;
  return r;
}

// `l` cut to `n` bytes on the wire (a length field that is smaller than what encloses it,
// such as Ethernet padding after an IP packet); n <= l.wireLen.
inline Layer clip(const Layer& l, std::uint32_t n) {
  Layer r = l;
  if (r.bytes.size() > n) r.bytes = r.bytes.first(n);
  r.wireLen = n;
  return r;
}

}  // namespace rustnet::decode::detail
