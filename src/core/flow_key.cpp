#include "core/flow_key.h"

namespace rustnet::core {

const char* protoName(std::uint8_t p) {
  switch (p) {
    case proto::kTcp: return "TCP";
    case proto::kUdp: return "UDP";
    case proto::kIcmp: return "ICMP";
    case proto::kIcmpv6: return "ICMPv6";
    case proto::kIgmp: return "IGMP";
    case proto::kArp: return "ARP";
    default: return "IP";
  }
}

}  // namespace rustnet::core
