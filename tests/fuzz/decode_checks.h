#pragma once
// What must hold after decode() of any frame, whatever its bytes: the result describes the
// frame it was given, the payload view lies inside that frame and is consistent with the
// lengths, caps on tags and tunnels held, and a second decode into a dirty view gives the
// same answer. Shared by the decode and capture_file targets.
#include <cstdint>
#include <cstdlib>

#include "decode/packet.h"

namespace rustnet::fuzz {

inline void requireDecode(bool ok) {
  if (!ok) std::abort();
}

inline bool sameView(const decode::PacketView& a, const decode::PacketView& b) {
  return a.ts == b.ts && a.wireLen == b.wireLen && a.capLen == b.capLen && a.network == b.network &&
         a.vlan == b.vlan && a.vlanDepth == b.vlanDepth && a.src == b.src && a.dst == b.dst &&
         a.proto == b.proto && a.ttl == b.ttl && a.fragmented == b.fragmented &&
         a.tunnelDepth == b.tunnelDepth && a.tunnel == b.tunnel && a.tunnelCapped == b.tunnelCapped &&
         a.outer.src == b.outer.src && a.outer.dst == b.outer.dst && a.outer.proto == b.outer.proto &&
         a.outer.sport == b.outer.sport && a.outer.dport == b.outer.dport && a.sport == b.sport && a.dport == b.dport &&
         a.tcpFlags == b.tcpFlags && a.seq == b.seq && a.ack == b.ack && a.window == b.window &&
         a.icmpType == b.icmpType && a.icmpCode == b.icmpCode && a.icmpId == b.icmpId &&
         a.icmpSeq == b.icmpSeq && a.transportTruncated == b.transportTruncated &&
         a.arpOp == b.arpOp && a.arpSenderMac == b.arpSenderMac &&
         a.payload.data() == b.payload.data() && a.payload.size() == b.payload.size() &&
         a.payloadWireLen == b.payloadWireLen && a.lengthCapped == b.lengthCapped &&
         a.clipped == b.clipped && a.ipWireEnd == b.ipWireEnd && a.fragId == b.fragId &&
         a.fragOffset == b.fragOffset && a.fragMore == b.fragMore && a.fragFirst == b.fragFirst &&
         !a.fragMatched && !a.fragLate && !b.fragMatched && !b.fragLate;
}

// Decodes `frame` and checks the invariants; returns the status.
inline decode::Status decodeAndCheck(decode::LinkType link, core::Bytes frame, std::uint32_t wireLen,
                                     core::Timestamp ts) {
  using decode::Network;
  using decode::Status;
  decode::PacketView v;
  const Status s = decode::decode(link, frame, wireLen, ts, v);

  requireDecode(s == Status::Ok || s == Status::Fragment || s == Status::NotIp ||
                s == Status::Unsupported || s == Status::Malformed);
  requireDecode(v.ts == ts);
  requireDecode(v.capLen == frame.size());
  // An absurd record length is capped (decode::kMaxRecordWireLen) and only then.
  const std::uint32_t claimed = wireLen > v.capLen ? wireLen : v.capLen;
  requireDecode(v.lengthCapped == (claimed > decode::kMaxRecordWireLen && claimed > v.capLen));
  if (v.lengthCapped) {
    requireDecode(v.wireLen >= v.capLen && v.wireLen < claimed);
    requireDecode(v.wireLen <= decode::kMaxRecordWireLen || v.wireLen == v.capLen);
  } else {
    requireDecode(v.wireLen == claimed);
  }
  requireDecode(v.vlanDepth <= decode::kMaxVlanTags);
  requireDecode(v.vlan <= 0x0fff && (v.vlanDepth != 0 || v.vlan == 0));
  requireDecode(v.tunnelDepth <= decode::kMaxTunnelDepth);
  // A carrying flow belongs to a tunnel other than IP-in-IP, and a tunnel means a level opened.
  requireDecode(v.outer.proto == 0 || (v.tunnel != decode::Tunnel::None && v.tunnel != decode::Tunnel::IpInIp));
  requireDecode((v.tunnel == decode::Tunnel::None) == (v.tunnelDepth == 0));
  requireDecode(!v.tunnelOuter);
  if (link == decode::LinkType::Unsupported) requireDecode(s == Status::Unsupported);

  if (s == Status::Ok || s == Status::Fragment) {
    requireDecode(v.network != Network::None);
    if (v.network == Network::Ipv4 || v.network == Network::Arp) {
      requireDecode(v.src.isV4() && v.dst.isV4());
    } else {
      requireDecode(!v.src.isV4() && !v.dst.isV4());
    }
  }
  if (s == Status::Fragment) requireDecode(v.fragmented && v.network != Network::Arp);
  if (v.network == Network::Arp) {
    requireDecode(v.proto == 0 && v.payload.empty() && v.payloadWireLen == 0);
  }

  // The payload is a view into the frame; what the headers say it holds on the wire is at
  // least what was captured and no more than what the frame leaves after it.
  requireDecode(v.payload.size() <= v.payloadWireLen);
  requireDecode(v.payloadWireLen <= v.wireLen);
  std::size_t offset = 0;
  if (!v.payload.empty()) {
    const std::uint8_t* begin = frame.data();
    const std::uint8_t* end = begin + frame.size();
    requireDecode(v.payload.data() >= begin && v.payload.data() + v.payload.size() <= end);
    offset = static_cast<std::size_t>(v.payload.data() - begin);
    requireDecode(offset + v.payloadWireLen <= v.wireLen);
    // Reading every byte lets ASan see a view that points outside the frame's buffer.
    unsigned sum = 0;
    for (const std::uint8_t b : v.payload) sum += b;
    requireDecode(sum <= 255u * v.payload.size());
  }
  if (v.transportTruncated) {
    requireDecode(s == Status::Ok && v.payload.empty() && v.payloadWireLen == 0);
    requireDecode(v.tcpFlags == 0 && v.seq == 0 && v.ack == 0 && v.window == 0);
  }

  // The view is fully reset: a second decode into a used one gives the same result.
  decode::PacketView again = v;
  again.vlanDepth = 3;
  again.sport = 1;
  again.transportTruncated = !again.transportTruncated;
  again.arpSenderMac[0] ^= 0xff;
  requireDecode(decode::decode(link, frame, wireLen, ts, again) == s && sameView(v, again));

  // The decoder reads nothing past the start of the payload: cutting the capture there (as
  // a snaplen would) keeps every header field and only drops the captured payload.
  if (!v.payload.empty() && (s == Status::Ok || s == Status::Fragment)) {
    decode::PacketView cut;
    const Status cs = decode::decode(link, frame.first(offset), v.wireLen, ts, cut);
    requireDecode(cs == s && cut.payload.empty() && cut.payloadWireLen == v.payloadWireLen);
    cut.payload = v.payload;
    cut.capLen = v.capLen;
    cut.lengthCapped = v.lengthCapped;  // the cut frame was given the capped length
    requireDecode(sameView(v, cut));
  }
  return s;
}

}  // namespace rustnet::fuzz
