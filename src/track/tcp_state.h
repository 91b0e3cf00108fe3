#pragma once
// The TCP state machine as seen from a capture point: states are inferred from the flags,
// sequence and acknowledgement numbers of both directions and named from the local side's
// point of view (SPEC §2). Also the per-connection health figures: retransmissions and the
// handshake round-trip time.
//
// Handshake RTT: the time from the first SYN to the ACK that completes the handshake (what
// Wireshark calls the initial RTT: both legs of the path, wherever the capture point is).
// When that ACK is never seen, the SYN → SYN-ACK time stands in for it; it is only the leg
// beyond the capture point, so it is replaced as soon as the completing ACK arrives.
#include <cstdint>

#include "decode/packet.h"
#include "track/connection.h"

namespace rustnet::track {

// Bits of TcpInfo::flags.
namespace tcpseen {
inline constexpr std::uint16_t kSynLocal = 1u << 0;
inline constexpr std::uint16_t kSynRemote = 1u << 1;
inline constexpr std::uint16_t kFinLocal = 1u << 2;   // finSeqLocal is valid
inline constexpr std::uint16_t kFinRemote = 1u << 3;  // finSeqRemote is valid
inline constexpr std::uint16_t kSeqLocal = 1u << 4;   // nextSeqLocal is valid
inline constexpr std::uint16_t kSeqRemote = 1u << 5;  // nextSeqRemote is valid
inline constexpr std::uint16_t kRst = 1u << 6;
inline constexpr std::uint16_t kSynTimed = 1u << 7;   // synNs is valid
inline constexpr std::uint16_t kRttFinal = 1u << 8;   // handshakeRttNs is SYN → final ACK
inline constexpr std::uint16_t kMidStream = 1u << 9;  // first seen without a SYN
}  // namespace tcpseen

// Serial-number comparisons (RFC 1982) so that sequence numbers may wrap.
constexpr bool seqLess(std::uint32_t a, std::uint32_t b) {
  return static_cast<std::int32_t>(a - b) < 0;
}
constexpr bool seqLessEq(std::uint32_t a, std::uint32_t b) { return !seqLess(b, a); }

// Sets the starting state of a connection from its first segment (before tcpOnSegment
// applies that segment): a SYN starts the handshake, anything else is mid-stream.
void tcpStart(Connection& c, std::uint8_t tcpFlags, bool fromLocal);
// The orientation rule for a connection first seen with this segment when addresses do not
// tell: a pure SYN's sender is local, a SYN-ACK's receiver is. Returns 1 (the sender is
// local), 0 (the receiver is) or -1 (the flags do not tell).
int tcpSenderIsLocal(std::uint8_t tcpFlags);
// True when this segment opens a new connection on a tuple whose connection has ended: a
// SYN without ACK after both FINs or a reset.
bool tcpStartsNewConnection(const Connection& c, std::uint8_t tcpFlags);

struct TcpSegmentResult {
  bool retransmission = false;
};
// Applies one segment (already counted in the connection's totals) to the state machine
// and the health figures. `fromLocal`: the local side sent it.
TcpSegmentResult tcpOnSegment(Connection& c, const decode::PacketView& p, bool fromLocal);

}  // namespace rustnet::track
