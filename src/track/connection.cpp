#include "track/connection.h"

namespace rustnet::track {

std::string_view stateName(State s) {
  switch (s) {
    case State::SynSent: return "SYN_SENT";
    case State::SynRecv: return "SYN_RECV";
    case State::Established: return "ESTABLISHED";
    case State::FinWait1: return "FIN_WAIT1";
    case State::FinWait2: return "FIN_WAIT2";
    case State::TimeWait: return "TIME_WAIT";
    case State::CloseWait: return "CLOSE_WAIT";
    case State::LastAck: return "LAST_ACK";
    case State::Closing: return "CLOSING";
    case State::Closed: return "CLOSED";
    case State::UdpActive: return "UDP_ACTIVE";
    case State::UdpIdle: return "UDP_IDLE";
    case State::UdpStale: return "UDP_STALE";
    case State::EchoRequest: return "ECHO_REQUEST";
    case State::EchoReply: return "ECHO_REPLY";
    case State::IcmpOther: return "ICMP";
    case State::ArpRequest: return "ARP_REQUEST";
    case State::ArpReply: return "ARP_REPLY";
    case State::Active: return "ACTIVE";
  }
  return "UNKNOWN";
}

bool protocolEnded(State s) {
  switch (s) {
    case State::Closed:
    case State::TimeWait:
    case State::Closing:
    case State::LastAck:
      return true;
    default:
      return false;
  }
}

std::string_view endReasonName(EndReason r) {
  switch (r) {
    case EndReason::Closed: return "closed";
    case EndReason::IdleTimeout: return "idle_timeout";
    case EndReason::Evicted: return "evicted";
    case EndReason::ForcedEnd: return "forced_end";
  }
  return "unknown";
}

namespace {

std::string_view icmpv4TypeName(std::uint8_t type) {
  switch (type) {
    case 0: return "ECHO_REPLY";
    case 3: return "DEST_UNREACHABLE";
    case 4: return "SOURCE_QUENCH";
    case 5: return "REDIRECT";
    case 8: return "ECHO_REQUEST";
    case 9: return "ROUTER_ADVERTISEMENT";
    case 10: return "ROUTER_SOLICITATION";
    case 11: return "TIME_EXCEEDED";
    case 12: return "PARAMETER_PROBLEM";
    case 13: return "TIMESTAMP_REQUEST";
    case 14: return "TIMESTAMP_REPLY";
    case 42: return "EXTENDED_ECHO_REQUEST";
    case 43: return "EXTENDED_ECHO_REPLY";
    default: return {};
  }
}

std::string_view icmpv6TypeName(std::uint8_t type) {
  switch (type) {
    case 1: return "DEST_UNREACHABLE";
    case 2: return "PACKET_TOO_BIG";
    case 3: return "TIME_EXCEEDED";
    case 4: return "PARAMETER_PROBLEM";
    case 128: return "ECHO_REQUEST";
    case 129: return "ECHO_REPLY";
    case 130: return "MLD_QUERY";
    case 131: return "MLD_REPORT";
    case 132: return "MLD_DONE";
    case 133: return "ROUTER_SOLICITATION";
    case 134: return "ROUTER_ADVERTISEMENT";
    case 135: return "NEIGHBOR_SOLICITATION";
    case 136: return "NEIGHBOR_ADVERTISEMENT";
    case 137: return "REDIRECT";
    case 143: return "MLDV2_REPORT";
    default: return {};
  }
}

}  // namespace

std::string_view icmpTypeName(std::uint8_t proto, std::uint8_t type) {
  if (proto == core::proto::kIcmp) return icmpv4TypeName(type);
  if (proto == core::proto::kIcmpv6) return icmpv6TypeName(type);
  return {};
}

std::string_view stateLabel(const Connection& c, State state) {
  if (const dpi::Facts* f = c.facts(); f != nullptr && f->state() != nullptr) {
    const bool open = c.proto() == core::proto::kUdp ||
                      (c.proto() == core::proto::kTcp && state == State::Established);
    if (open) return dpi::appStateName(f->state());
  }
  if (state == State::IcmpOther) {
    const std::string_view name = icmpTypeName(c.proto(), c.icmpType);
    if (!name.empty()) return name;
  }
  return stateName(state);
}

std::shared_ptr<const dpi::Facts> publishedFacts(const Connection& c) {
  if (!c.inspector) return c.published;
  // Shared, not copied: the inspector copies them before it changes them again.
  if (c.inspector->facts().proto() == nullptr) return nullptr;
  return c.inspector->shareFacts();
}

}  // namespace rustnet::track
