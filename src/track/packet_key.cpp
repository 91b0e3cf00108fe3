#include "track/packet_key.h"

#include <algorithm>

#include "track/tcp_state.h"

namespace rustnet::track {

namespace {

namespace proto = core::proto;

constexpr std::uint8_t kIcmpEchoReply = 0;
constexpr std::uint8_t kIcmpEchoRequest = 8;
constexpr std::uint8_t kIcmpv6EchoRequest = 128;
constexpr std::uint8_t kIcmpv6EchoReply = 129;
constexpr std::uint16_t kArpRequest = 1;
constexpr std::uint16_t kArpReply = 2;

bool isEcho(std::uint8_t ipProto, std::uint8_t type) {
  if (ipProto == proto::kIcmp) return type == kIcmpEchoRequest || type == kIcmpEchoReply;
  return type == kIcmpv6EchoRequest || type == kIcmpv6EchoReply;
}

bool isEchoRequest(std::uint8_t ipProto, std::uint8_t type) {
  return type == (ipProto == proto::kIcmp ? kIcmpEchoRequest : kIcmpv6EchoRequest);
}

// Error messages go back to the host that sent the offending packet.
bool isIcmpError(std::uint8_t ipProto, std::uint8_t type) {
  if (ipProto == proto::kIcmp) {
    return type == 3 || type == 4 || type == 5 || type == 11 || type == 12;
  }
  return type >= 1 && type <= 4;
}

bool contains(std::span<const core::IpAddr> set, const core::IpAddr& a) {
  return std::find(set.begin(), set.end(), a) != set.end();
}

}  // namespace

bool isIcmpEchoRequest(const decode::PacketView& p) { return isEchoRequest(p.proto, p.icmpType); }
bool isArpRequest(const decode::PacketView& p) { return p.arpOp == kArpRequest; }

// For ARP the decoder puts the sender and target protocol addresses in src and dst.
const core::IpAddr& packetSource(const decode::PacketView& p) { return p.src; }

const core::IpAddr& packetDestination(const decode::PacketView& p) { return p.dst; }

std::optional<KeyedPacket> keyPacket(const decode::PacketView& p) {
  KeyedPacket k;
  core::Endpoint src{packetSource(p), 0};
  core::Endpoint dst{packetDestination(p), 0};
  std::uint8_t keyProto = p.proto;
  switch (p.network) {
    case decode::Network::Arp:
      if (p.arpOp != kArpRequest && p.arpOp != kArpReply) return std::nullopt;
      keyProto = proto::kArp;
      k.kind = KeyKind::Arp;
      break;
    case decode::Network::Ipv4:
    case decode::Network::Ipv6:
      if (p.proto == proto::kTcp || p.proto == proto::kUdp) {
        src.port = p.sport;
        dst.port = p.dport;
        k.kind = p.proto == proto::kTcp ? KeyKind::Tcp : KeyKind::Udp;
      } else if (p.proto == proto::kIcmp || p.proto == proto::kIcmpv6) {
        if (isEcho(p.proto, p.icmpType)) {
          src.port = dst.port = p.icmpId;
          k.kind = KeyKind::IcmpEcho;
        } else {
          k.kind = KeyKind::IcmpOther;
        }
      } else {
        k.kind = KeyKind::OtherIp;
      }
      break;
    case decode::Network::None:
      return std::nullopt;
  }
  k.key = core::FlowKey::make(keyProto, src, dst, k.srcIsA);
  return k;
}

bool senderIsLocal(const decode::PacketView& p, const KeyedPacket& k,
                   std::span<const core::IpAddr> localAddresses) {
  if (!localAddresses.empty()) {
    const bool srcLocal = contains(localAddresses, packetSource(p));
    const bool dstLocal = contains(localAddresses, packetDestination(p));
    if (srcLocal != dstLocal) return srcLocal;
  }
  switch (k.kind) {
    case KeyKind::Tcp:
      if (const int byFlags = tcpSenderIsLocal(p.tcpFlags); byFlags >= 0) return byFlags == 1;
      break;
    case KeyKind::IcmpEcho:
      return isIcmpEchoRequest(p);
    case KeyKind::IcmpOther:
      return !isIcmpError(p.proto, p.icmpType);
    case KeyKind::Arp:
      return isArpRequest(p);
    case KeyKind::Udp:
    case KeyKind::OtherIp:
      break;
  }
  // Clients usually talk from an ephemeral (high) port to a well-known (low) one.
  if (p.sport != p.dport && (k.kind == KeyKind::Tcp || k.kind == KeyKind::Udp)) {
    return p.sport > p.dport;
  }
  return true;
}

}  // namespace rustnet::track
