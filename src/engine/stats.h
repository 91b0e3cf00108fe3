#pragma once
// Run counters, summed over the capture thread and every worker. Each struct's table
// (core/counter_table.h) names its counters; its order is the summary line's.
#include <array>
#include <cstdint>

#include "core/counter_table.h"
#include "dpi/counters.h"
#include "track/tracker.h"

namespace rustnet::engine {

struct DecodeCounters {
  std::uint64_t ok = 0;
  std::uint64_t fragments = 0;    // non-first IP fragments (no ports: counted, not tracked)
  std::uint64_t notIp = 0;
  std::uint64_t unsupported = 0;  // link type we cannot decode
  std::uint64_t malformed = 0;
  std::uint64_t bytes = 0;        // wire bytes of every frame seen by the workers
  std::uint64_t truncated = 0;    // an IP/UDP length beyond the frame: clipped, still decoded
  std::uint64_t lengthCapped = 0; // an absurd record length, capped (decode::kMaxRecordWireLen)
  std::uint64_t tunnelled = 0;    // frames decoded to a packet inside a tunnel
  std::uint64_t tunnelCapped = 0; // frames with a tunnel left unopened at kMaxTunnelDepth
};

inline constexpr auto kDecodeCounters = std::to_array<core::CounterDef<DecodeCounters>>({
    {.name = "bytes_seen",
     .help = "Wire bytes of every frame given to the workers.",
     .slots = core::counterSlots<&DecodeCounters::bytes>()},
    {.name = "packets_decoded",
     .help = "Frames decoded down to their transport header.",
     .slots = core::counterSlots<&DecodeCounters::ok>()},
    {.name = "packets_malformed",
     .help = "Frames cut short or inconsistent at some layer.",
     .slots = core::counterSlots<&DecodeCounters::malformed>()},
    {.name = "packets_truncated",
     .help = "Frames whose IP or UDP length claims more than the frame holds (damaged or cut "
             "upstream): clipped to the frame and decoded as far as it goes, as tshark does. "
             "Also counted as decoded.",
     .slots = core::counterSlots<&DecodeCounters::truncated>()},
    {.name = "packets_fragments",
     .help = "IP fragments without a transport header (non-first ones, tiny first ones); "
             "credited to their connection when their first fragment is known "
             "(fragments_credited).",
     .slots = core::counterSlots<&DecodeCounters::fragments>()},
    {.name = "packets_not_ip",
     .help = "Well-formed frames carrying neither IP nor ARP (LLDP, STP, other ethertypes).",
     .slots = core::counterSlots<&DecodeCounters::notIp>()},
    {.name = "packets_unsupported_link",
     .help = "Frames of a link type rustnet cannot decode.",
     .slots = core::counterSlots<&DecodeCounters::unsupported>()},
    {.name = "packets_length_capped",
     .help = "Records whose original length was absurd (over 262144 bytes, libpcap's largest "
             "snaplen): counted at the end of their IP packet, or at that bound.",
     .slots = core::counterSlots<&DecodeCounters::lengthCapped>()},
    {.name = "packets_tunnelled",
     .help = "Frames whose packet was found inside a tunnel (IP-in-IP, GRE, ERSPAN, GTP-U, "
             "VXLAN, Teredo): tracked as the inner connection and, but for IP-in-IP, the "
             "carrying flow.",
     .slots = core::counterSlots<&DecodeCounters::tunnelled>()},
    {.name = "packets_tunnel_depth_capped",
     .help = "Frames with tunnels nested deeper than the decoder opens: the deepest one "
             "opened is tracked with the rest as its payload.",
     .slots = core::counterSlots<&DecodeCounters::tunnelCapped>()},
});
static_assert(core::countsEveryMember<DecodeCounters>(kDecodeCounters));

inline DecodeCounters& operator+=(DecodeCounters& a, const DecodeCounters& b) {
  core::addCounters(a, b, kDecodeCounters);
  return a;
}

struct CaptureCounters {
  std::uint64_t seen = 0;           // frames read from the source
  std::uint64_t kernelDropped = 0;  // the kernel's counters (live)
  std::uint64_t ifaceDropped = 0;
  std::uint64_t ourDropped = 0;     // a worker's ring was full (live only; files wait instead)
  std::uint64_t oversize = 0;       // frames larger than a ring record (dropped, counted)
  // The capture thread's fragment table (engine/fragment_table.h).
  std::uint64_t fragmentsFirst = 0;
  std::uint64_t fragmentsCredited = 0;
  std::uint64_t fragmentsUnmatched = 0;
  std::uint64_t fragmentsTableFull = 0;
  std::uint64_t fragmentsReassembled = 0;
};

// Series of packets_dropped_ours, in the order of its members.
inline constexpr std::array<std::string_view, 2> kOurDropReasons = {"ring_full", "oversize"};

// The summary line writes packets_seen (the first entry) before the decode counters and the
// drops after them (events.cpp).
inline constexpr auto kCaptureCounters = std::to_array<core::CounterDef<CaptureCounters>>({
    {.name = "packets_seen",
     .help = "Frames read from the interface or file.",
     .slots = core::counterSlots<&CaptureCounters::seen>()},
    {.name = "packets_dropped_kernel",
     .help = "Frames the kernel dropped because its capture buffer was full (live).",
     .slots = core::counterSlots<&CaptureCounters::kernelDropped>()},
    {.name = "packets_dropped_interface",
     .help = "Frames the interface or its driver dropped (live).",
     .slots = core::counterSlots<&CaptureCounters::ifaceDropped>()},
    {.name = "packets_dropped_ours",
     .help = "Frames rustnet dropped: a worker's ring was full (live only; a file waits "
             "instead), or a frame was larger than a ring record.",
     .slots = core::counterSlots<&CaptureCounters::ourDropped, &CaptureCounters::oversize>(),
     .label = "reason",
     .labelOf = [](std::size_t i) { return kOurDropReasons[i]; }},
    {.name = "fragments_first",
     .help = "First fragments of fragmented IP datagrams (the ones that carry the ports).",
     .slots = core::counterSlots<&CaptureCounters::fragmentsFirst>()},
    {.name = "fragments_credited",
     .help = "Later IP fragments counted in the packets and bytes of the connection their "
             "first fragment opened.",
     .slots = core::counterSlots<&CaptureCounters::fragmentsCredited>()},
    {.name = "fragments_unmatched",
     .help = "Later IP fragments whose first fragment never came within the reassembly "
             "timeout (30 s), or that found no room to wait for it (64 wait at once).",
     .slots = core::counterSlots<&CaptureCounters::fragmentsUnmatched>()},
    {.name = "fragments_table_full",
     .help = "First fragments not followed because the fragment table (1024 datagrams) had "
             "no free slot; their later fragments are unmatched.",
     .slots = core::counterSlots<&CaptureCounters::fragmentsTableFull>()},
    {.name = "fragments_reassembled",
     .help = "Tiny first fragments whose transport ports were gathered from the fragments "
             "that follow (at most 16 bytes of header).",
     .slots = core::counterSlots<&CaptureCounters::fragmentsReassembled>()},
});
static_assert(core::countsEveryMember<CaptureCounters>(kCaptureCounters));

struct EngineStats {
  CaptureCounters capture;
  DecodeCounters decode;
  track::TrackerCounters tracker;
  dpi::Counters dpi;
  std::uint64_t liveConnections = 0;
};

// EngineStats' own counter (its other members have their tables above and beside their
// structs).
inline constexpr auto kEngineCounters = std::to_array<core::CounterDef<EngineStats>>({
    {.name = "connections_live",
     .help = "Connections in the tables at the snapshot.",
     .kind = core::CounterKind::Gauge,
     .json = core::JsonForm::Omit,
     .slots = core::counterSlots<&EngineStats::liveConnections>()},
});
static_assert(sizeof(EngineStats) == sizeof(CaptureCounters) + sizeof(DecodeCounters) +
                                         sizeof(track::TrackerCounters) + sizeof(dpi::Counters) +
                                         kEngineCounters.size() * sizeof(std::uint64_t),
              "a new EngineStats member needs a table");

}  // namespace rustnet::engine
