#pragma once
// The contract between the per-connection Inspector and one protocol analyzer. An analyzer
// sees the payloads of one connection in arrival order (both directions), writes what it
// learns into the connection's Facts and answers with a Verdict. It never throws and never
// allocates per packet once its state exists; every buffer it keeps has a named cap that is
// counted in Counters when hit.
#include <cstdint>
#include <memory>

#include "core/cursor.h"
#include "core/time.h"

namespace rustnet::dpi {

class Facts;
struct Counters;

enum class Direction : std::uint8_t {
  Outbound,  // local → remote
  Inbound,   // remote → local
};

enum class Transport : std::uint8_t { Tcp, Udp };

// What an analyzer may know about the connection besides its payloads. Ports decide only
// for port-bound protocols (DNS, mDNS, LLMNR); everything else is recognised by content.
struct FlowInfo {
  Transport transport = Transport::Tcp;
  std::uint16_t localPort = 0;
  std::uint16_t remotePort = 0;
  // Whether the local side opened the connection (sent the first SYN or datagram). Where the
  // tracker cannot tell, the side with the higher (ephemeral) port is taken as the client.
  // SSH uses it to tell the client's banner and KEXINIT from the server's.
  bool localIsClient = true;
  // The addresses are IPv6 (NTP's reference id is then a hash, not an address).
  bool ipv6 = false;

  [[nodiscard]] constexpr Direction clientToServer() const {
    return localIsClient ? Direction::Outbound : Direction::Inbound;
  }
  [[nodiscard]] constexpr bool eitherPort(std::uint16_t p) const {
    return localPort == p || remotePort == p;
  }
};

// One transport payload. `data` aliases the captured frame: valid only during feed().
struct Segment {
  core::Bytes data;
  Direction dir = Direction::Outbound;
  // TCP: sequence number of data[0], for analyzers that drop retransmissions or reorder
  // (see stream.h). Meaningless for UDP.
  std::uint32_t tcpSeq = 0;
  // The datagram goes on beyond `data` on the wire (cut by the snaplen, or clipped to the
  // frame): running off its end is expected there, not a sign of a malformed message.
  bool cut = false;
};

struct Context {
  Facts& facts;
  Counters& counters;
  const FlowInfo& flow;
  core::Timestamp now;  // packet time: offline runs are deterministic
};

enum class Verdict : std::uint8_t {
  NeedMore,   // keep feeding (subject to kMaxInspectedPackets, inspector.h)
  Monitor,    // identity facts are final; keep feeding only to follow state changes. Not
              // limited by kMaxInspectedPackets, so the analyzer must then do O(1) work per
              // packet without allocating (QUIC watching for CONNECTION_CLOSE).
  Done,       // facts are final: stop inspecting this connection
  NotMine,    // not this protocol after all (the analyzer set no facts): try another
  Malformed,  // this protocol, but the input is broken: counted, inspection stops, the
              // facts found so far are kept
  Tunnel,     // this analyzer is finished and the following payloads carry another
              // protocol (HTTP CONNECT → TLS): the Inspector probes again, and the protocol
              // found inside replaces proto() once (Facts::openTunnel)
};

class Analyzer {
public:
  virtual ~Analyzer() = default;
  virtual Verdict feed(const Segment& seg, Context& ctx) = 0;
};

}  // namespace rustnet::dpi
