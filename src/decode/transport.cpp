// Transport headers: TCP, UDP, ICMP/ICMPv6 (echo identifiers), and the payload view.
#include <cstdint>

#include "decode/layers.h"

namespace rustnet::decode::detail {
namespace {

constexpr std::uint8_t kProtoIcmp = 1;
constexpr std::uint8_t kProtoTcp = 6;
constexpr std::uint8_t kProtoUdp = 17;
constexpr std::uint8_t kProtoIcmpv6 = 58;

constexpr std::uint32_t kTcpMinHeader = 20;
constexpr std::uint32_t kUdpHeader = 8;
constexpr std::uint32_t kIcmpHeader = 8;  // type, code, checksum, 4 type-specific bytes

constexpr std::uint8_t kIcmpEchoReply = 0;
constexpr std::uint8_t kIcmpEchoRequest = 8;
constexpr std::uint8_t kIcmpv6EchoRequest = 128;
constexpr std::uint8_t kIcmpv6EchoReply = 129;

void setPayload(const Layer& l, std::uint32_t headerLen, PacketView& out) {
  const Layer p = after(l, headerLen);
  out.payload = p.bytes;
  out.payloadWireLen = p.wireLen;
}

Status decodeTcp(const Layer& l, PacketView& out) {
  core::Cursor c(l.bytes);
  const auto sport = c.be16();
  const auto dport = c.be16();
  if (!sport || !dport) return Status::Malformed;
  // A first fragment that ends inside the header (ports readable) is malformed, as tshark
  // has it without reassembly; one too short for the ports is a tiny fragment (above).
  if (l.wireLen < kTcpMinHeader) return Status::Malformed;
  out.sport = *sport;
  out.dport = *dport;
  // Fixed offsets from just after the ports: a failed read does not move the cursor, so
  // reading on after one would take later fields from the wrong bytes.
  const auto seq = c.peekBe32(0);
  const auto ack = c.peekBe32(4);
  const auto dataOffset = c.peekU8(8);
  const auto flags = c.peekU8(9);
  const auto window = c.peekBe16(10);
  std::uint32_t headerLen = 0;
  if (dataOffset) {
    headerLen = (*dataOffset >> 4) * 4u;
    if (headerLen < kTcpMinHeader || headerLen > l.wireLen) return Status::Malformed;
  }
  if (!seq || !ack || !dataOffset || !flags || !window) {
    out.transportTruncated = true;
    return Status::Ok;
  }
  out.seq = *seq;
  out.ack = *ack;
  out.tcpFlags = *flags;
  out.window = *window;
  setPayload(l, headerLen, out);
  return Status::Ok;
}

Status decodeUdp(const Layer& l, PacketView& out) {
  core::Cursor c(l.bytes);
  const auto sport = c.be16();
  const auto dport = c.be16();
  if (!sport || !dport) return Status::Malformed;
  if (l.wireLen < kUdpHeader) return Status::Malformed;
  out.sport = *sport;
  out.dport = *dport;
  const auto length = c.be16();
  if (!length) {
    out.transportTruncated = true;
    return Status::Ok;
  }
  // In a first fragment the length covers the whole datagram, beyond this packet. Length 0
  // is how IPv6 jumbograms say "see the IP length".
  std::uint32_t udpWire = l.wireLen;
  if (!l.partial && *length != 0) {
    if (*length < kUdpHeader) return Status::Malformed;
    if (*length > l.wireLen) {
      out.clipped = true;  // cut upstream: what is there is still the datagram's start
    } else {
      udpWire = *length;
    }
  }
  setPayload(clip(l, udpWire), kUdpHeader, out);
  return Status::Ok;
}

Status decodeIcmp(const Layer& l, bool v6, PacketView& out) {
  core::Cursor c(l.bytes);
  const auto type = c.u8();
  const auto code = c.u8();
  if (!type || !code || l.wireLen < kIcmpHeader) return Status::Malformed;
  out.icmpType = *type;
  out.icmpCode = *code;
  const bool echo = v6 ? (*type == kIcmpv6EchoRequest || *type == kIcmpv6EchoReply)
                       : (*type == kIcmpEchoRequest || *type == kIcmpEchoReply);
  if (echo) {
    // Echo conversations are keyed by the identifier, so it plays the part of the ports.
    const bool haveChecksum = c.skip(2);
    const auto id = c.be16();
    const auto seq = c.be16();
    if (!haveChecksum || !id || !seq) return Status::Malformed;
    out.icmpId = *id;
    out.icmpSeq = *seq;
  }
  setPayload(l, kIcmpHeader, out);
  return Status::Ok;
}

// Bytes a first fragment must hold for the tracker's key: the ports, or ICMP's type, code,
// checksum and echo identifier/sequence.
std::uint32_t keyBytes(std::uint8_t proto) {
  switch (proto) {
    case kProtoTcp:
    case kProtoUdp: return 4;
    case kProtoIcmp:
    case kProtoIcmpv6: return kIcmpHeader;
    default: return 0;
  }
}

}  // namespace

Status decodeTransport(std::uint8_t proto, Layer l, PacketView& out) {
  // A tiny first fragment (shorter on the wire than the ports: the transport header goes on
  // in the next fragment) is a fragment like the others: the engine's fragment table
  // reassembles enough of it to find the ports.
  if (l.partial && l.wireLen < keyBytes(proto)) {
    out.proto = proto;
    out.payload = l.bytes;
    out.payloadWireLen = l.wireLen;
    return Status::Fragment;
  }
  switch (proto) {
    case kProtoTcp: return decodeTcp(l, out);
    case kProtoUdp: {
      const Status s = decodeUdp(l, out);
      if (s != Status::Ok || out.transportTruncated) return s;
      const auto inner = decodeUdpTunnel(Layer{out.payload, out.payloadWireLen, l.partial}, out);
      return inner ? *inner : s;
    }
    case kProtoIcmp: return decodeIcmp(l, false, out);
    case kProtoIcmpv6: return decodeIcmp(l, true, out);
    default:
      // IGMP, ESP, GRE, SCTP, "no next header" ...: tracked by protocol and addresses only.
      setPayload(l, 0, out);
      return Status::Ok;
  }
}

}  // namespace rustnet::decode::detail
