#pragma once
// Which row a decoded packet belongs to (SPEC §2 keys) and, for a row that does not exist
// yet, which of its two sides is local.
#include <optional>
#include <span>

#include "core/flow_key.h"
#include "core/ip_addr.h"
#include "decode/packet.h"

namespace rustnet::track {

enum class KeyKind : std::uint8_t {
  Tcp,        // addresses + ports
  Udp,        // addresses + ports
  IcmpEcho,   // ICMP/ICMPv6 echo: addresses + the echo identifier in both port fields
  IcmpOther,  // any other ICMP message: the address pair, ports 0
  Arp,        // (sender IP, target IP), ports 0, proto core::proto::kArp
  OtherIp,    // IGMP, GRE, ...: the address pair, ports 0
};

struct KeyedPacket {
  core::FlowKey key;
  bool srcIsA = true;  // the packet's sender is key.a
  KeyKind kind = KeyKind::OtherIp;
};

// nullopt when the packet belongs to no row (not IP or ARP, an ARP opcode other than
// request/reply).
std::optional<KeyedPacket> keyPacket(const decode::PacketView& p);

// For the first packet of a row: is its sender the local side? `localAddresses` decide
// when exactly one side is in them; otherwise the protocol's rules (SPEC §2): the SYN
// sender, the SYN-ACK receiver, the echo requester, the ARP requester, the receiver of an
// ICMP error, then the higher port, then the sender.
bool senderIsLocal(const decode::PacketView& p, const KeyedPacket& k,
                   std::span<const core::IpAddr> localAddresses);

// An ICMP or ICMPv6 echo request (as opposed to a reply).
bool isIcmpEchoRequest(const decode::PacketView& p);
// An ARP request (as opposed to a reply).
bool isArpRequest(const decode::PacketView& p);

// The addresses a packet is from and to (the ARP sender and target for ARP).
const core::IpAddr& packetSource(const decode::PacketView& p);
const core::IpAddr& packetDestination(const decode::PacketView& p);

}  // namespace rustnet::track
