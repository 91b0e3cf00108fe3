#pragma once
// Vocabulary of process attribution: the socket tuple a connection is looked up by, what is
// known about a process, how a match was made, and the stage's counters.
#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "core/counter_table.h"
#include "core/flow_key.h"

namespace rustnet::process {

// Named caps. Sockets and processes are created by local users, so the tables that mirror
// them are bounded; what is cut off is counted (Counters::socketsTruncated ...).
inline constexpr std::size_t kMaxSockets = std::size_t{1} << 20;
inline constexpr std::size_t kMaxProcesses = std::size_t{1} << 18;
inline constexpr std::size_t kMaxFdsPerProcess = std::size_t{1} << 20;
inline constexpr std::size_t kMaxProcessName = 256;     // comm is 15, exe basenames can be long
inline constexpr std::size_t kMaxExecutablePath = 4096;  // PATH_MAX

// Normalises an address as the kernel reports it: an IPv4-mapped IPv6 address
// (::ffff:a.b.c.d, from a dual-stack socket) becomes the IPv4 address the packets carry.
core::IpAddr canonicalAddr(const core::IpAddr& a);

// What a connection is looked up by: protocol and the connection's two endpoints as seen
// from this host ("local" is this host's side, SPEC §2).
struct SocketTuple {
  std::uint8_t proto = 0;  // core::proto::kTcp or kUdp
  core::Endpoint local;
  core::Endpoint remote;

  // From a tracked connection's canonical key and its orientation. Addresses are
  // canonicalised so v4-mapped and plain IPv4 compare equal.
  static SocketTuple fromFlow(const core::FlowKey& key, bool localIsA);
  static SocketTuple make(std::uint8_t proto, core::Endpoint local, core::Endpoint remote);

  [[nodiscard]] SocketTuple reversed() const { return {proto, remote, local}; }
  [[nodiscard]] std::uint64_t hash() const;
  friend bool operator==(const SocketTuple&, const SocketTuple&) = default;
};

struct SocketTupleHash {
  std::size_t operator()(const SocketTuple& t) const { return static_cast<std::size_t>(t.hash()); }
};

// One process as it was when its fd table was last read. Shared (immutable) between every
// connection attributed to it, so a process that exits keeps its last known name there.
struct ProcessInfo {
  std::int32_t pid = 0;
  std::string name;        // comm, extended from the executable when comm was truncated
  std::string executable;  // readlink of /proc/<pid>/exe; empty when unreadable
};

enum class MatchKind : std::uint8_t {
  None,           // nothing owns this tuple (or nothing that we could see)
  Exact,          // a socket with exactly this local and remote endpoint
  ExactReversed,  // exact, but with local and remote swapped (the row's orientation was a guess)
  Listener,       // a listening TCP socket on the local address (or a wildcard) and port
  UnconnectedUdp, // an unconnected UDP socket bound to the local address (or a wildcard) and port
  Ambiguous,      // more than one process could own it: deliberately left unknown
};
inline constexpr std::size_t kMatchKindCount = 6;
std::string_view matchKindName(MatchKind k);  // "none", "exact", "exact_reversed", ...

struct Attribution {
  std::shared_ptr<const ProcessInfo> process;  // null for None and Ambiguous
  MatchKind kind = MatchKind::None;
  std::uint32_t uid = 0;  // the socket's owner uid as the kernel reports it
  bool hasUid = false;

  [[nodiscard]] bool known() const { return process != nullptr; }
};

// Which mechanism supplies socket ownership.
enum class Method : std::uint8_t { Ebpf, SockDiag, Procfs };
std::string_view methodName(Method m);  // "ebpf", "sock_diag", "procfs"

struct Counters {
  // Per-connection resolutions (one per requested connection, not per snapshot row).
  std::uint64_t lookups = 0;
  std::array<std::uint64_t, kMatchKindCount> hits{};  // indexed by MatchKind (Exact..UnconnectedUdp)
  std::uint64_t misses = 0;     // requested, never matched while it was pending
  std::uint64_t ambiguous = 0;  // requested, more than one possible owner

  std::uint64_t requestsDropped = 0;  // a worker's request queue was full (periodic refresh covers it)
  std::uint64_t refreshes = 0;
  std::uint64_t fullScans = 0;        // every pid's fd table re-read
  std::uint64_t pidsRescanned = 0;    // fd tables read (new or changed processes)
  std::uint64_t pidsVanished = 0;     // disappeared between listing and reading
  std::uint64_t sharedInodes = 0;     // socket inodes held by more than one pid (last refresh)
  std::uint64_t sockets = 0;          // sockets in the last refresh
  std::uint64_t processes = 0;        // processes known after the last refresh
  std::uint64_t socketsTruncated = 0; // cut off at kMaxSockets
  std::uint64_t processesTruncated = 0;
  std::uint64_t socketSourceErrors = 0;
  std::uint64_t cacheEvictions = 0;   // per-connection results dropped at the cap
  std::uint64_t cachedResults = 0;
  std::uint64_t resolvedFromEbpf = 0;  // requested connections answered by eBPF records alone
  std::uint64_t ebpfEventsLost = 0;    // ring buffer full in the kernel

  std::uint64_t lastScanNs = 0;   // duration of the last refresh (sockets + fd tables)
  std::uint64_t maxScanNs = 0;
  std::uint64_t totalScanNs = 0;
};

// The label of hits[i]: the match kind's name, or empty (left out) for None and Ambiguous,
// which are never hits (misses and ambiguous count them).
std::string_view hitLabel(std::size_t i);

// In the summary line's order; the JSON names (process_scan_ms_*) predate the table.
inline constexpr auto kCounters = std::to_array<core::CounterDef<Counters>>({
    {.name = "process_hits",
     .help = "Connections attributed to a process, by how the socket matched.",
     .json = core::JsonForm::Keys,
     .slots = core::counterSlots<&Counters::hits>(),
     .label = "kind",
     .labelOf = hitLabel},
    {.name = "process_lookups",
     .help = "Connections whose process was asked for.",
     .slots = core::counterSlots<&Counters::lookups>()},
    // The summary line writes the hits' total again after the lookups.
    {.name = "process_hits",
     .help = "Connections attributed to a process.",
     .slots = core::counterSlots<&Counters::hits>(),
     .label = "kind",
     .labelOf = hitLabel,
     .repeat = true},
    {.name = "process_misses",
     .help = "Connections never matched while their lookup was pending.",
     .slots = core::counterSlots<&Counters::misses>()},
    {.name = "process_ambiguous",
     .help = "Connections that more than one process could own (left unknown).",
     .slots = core::counterSlots<&Counters::ambiguous>()},
    {.name = "process_requests_dropped",
     .help = "Lookups dropped because a worker's request queue was full.",
     .slots = core::counterSlots<&Counters::requestsDropped>()},
    {.name = "process_refreshes",
     .help = "Refreshes of the socket to process map.",
     .slots = core::counterSlots<&Counters::refreshes>()},
    {.name = "process_scan_ms_total",
     .help = "Time spent refreshing (socket dump and fd tables).",
     .unit = core::CounterUnit::Nanoseconds,
     .slots = core::counterSlots<&Counters::totalScanNs>()},
    {.name = "process_scan_ms_max",
     .help = "Longest refresh.",
     .kind = core::CounterKind::Gauge,
     .unit = core::CounterUnit::Nanoseconds,
     .slots = core::counterSlots<&Counters::maxScanNs>()},
    {.name = "process_scan_ms_last",
     .help = "Last refresh.",
     .kind = core::CounterKind::Gauge,
     .unit = core::CounterUnit::Nanoseconds,
     .json = core::JsonForm::Omit,
     .slots = core::counterSlots<&Counters::lastScanNs>()},
    {.name = "process_full_scans",
     .help = "Refreshes that re-read every process's fd table.",
     .json = core::JsonForm::Omit,
     .slots = core::counterSlots<&Counters::fullScans>()},
    {.name = "process_pids_rescanned",
     .help = "Fd tables read (new or changed processes).",
     .json = core::JsonForm::Omit,
     .slots = core::counterSlots<&Counters::pidsRescanned>()},
    {.name = "process_pids_vanished",
     .help = "Processes that disappeared between listing and reading.",
     .json = core::JsonForm::Omit,
     .slots = core::counterSlots<&Counters::pidsVanished>()},
    {.name = "process_shared_inodes",
     .help = "Socket inodes held by more than one process (last refresh).",
     .kind = core::CounterKind::Gauge,
     .json = core::JsonForm::Omit,
     .slots = core::counterSlots<&Counters::sharedInodes>()},
    {.name = "process_sockets",
     .help = "Sockets in the last refresh.",
     .kind = core::CounterKind::Gauge,
     .json = core::JsonForm::Omit,
     .slots = core::counterSlots<&Counters::sockets>()},
    {.name = "process_processes",
     .help = "Processes known after the last refresh.",
     .kind = core::CounterKind::Gauge,
     .json = core::JsonForm::Omit,
     .slots = core::counterSlots<&Counters::processes>()},
    {.name = "process_sockets_truncated",
     .help = "Socket dumps cut off at kMaxSockets.",
     .json = core::JsonForm::Omit,
     .slots = core::counterSlots<&Counters::socketsTruncated>()},
    {.name = "process_processes_truncated",
     .help = "Processes left out at kMaxProcesses.",
     .json = core::JsonForm::Omit,
     .slots = core::counterSlots<&Counters::processesTruncated>()},
    {.name = "process_socket_source_errors",
     .help = "Socket dumps that failed.",
     .json = core::JsonForm::Omit,
     .slots = core::counterSlots<&Counters::socketSourceErrors>()},
    {.name = "process_cache_evictions",
     .help = "Per-connection results dropped at the cache's cap.",
     .json = core::JsonForm::Omit,
     .slots = core::counterSlots<&Counters::cacheEvictions>()},
    {.name = "process_cached_results",
     .help = "Per-connection results in the cache.",
     .kind = core::CounterKind::Gauge,
     .json = core::JsonForm::Omit,
     .slots = core::counterSlots<&Counters::cachedResults>()},
    {.name = "process_resolved_from_ebpf",
     .help = "Connections answered by eBPF records alone.",
     .json = core::JsonForm::Omit,
     .slots = core::counterSlots<&Counters::resolvedFromEbpf>()},
    {.name = "process_ebpf_events_lost",
     .help = "eBPF records lost because the kernel's ring buffer was full.",
     .json = core::JsonForm::Omit,
     .slots = core::counterSlots<&Counters::ebpfEventsLost>()},
});
static_assert(core::countsEveryMember<Counters>(kCounters));

}  // namespace rustnet::process
