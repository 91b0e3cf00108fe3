#pragma once
// Which worker owns a frame: a hash that is the same for both directions of a conversation
// and agrees with how the tracker keys it (ports only for TCP/UDP, ARP by its addresses).
#include <cstdint>

#include "core/flow_key.h"
#include "decode/packet.h"

namespace rustnet::engine {

inline std::uint64_t shardHash(decode::Status st, const decode::PacketView& v) {
  if (st != decode::Status::Ok && st != decode::Status::Fragment) return 0;
  core::Endpoint s{v.src, 0};  // for ARP: the sender and target protocol addresses
  core::Endpoint d{v.dst, 0};
  std::uint8_t proto = v.proto;
  if (v.network == decode::Network::Arp) {
    proto = core::proto::kArp;
  } else if ((st == decode::Status::Ok || v.fragMatched) &&
             (v.proto == core::proto::kTcp || v.proto == core::proto::kUdp)) {
    // A later fragment given its first fragment's ports goes where that one went.
    s.port = v.sport;
    d.port = v.dport;
  }
  bool srcIsA = false;
  return core::FlowKey::make(proto, s, d, srcIsA).hash();
}

}  // namespace rustnet::engine
