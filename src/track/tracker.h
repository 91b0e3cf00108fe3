#pragma once
// The per-shard connection tracker: turns decoded packets into connections, runs the
// per-protocol state machines, expires idle connections and enforces the table bound.
// One Tracker belongs to one worker thread; nothing here is shared or locked.
#include <array>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <memory>
#include <unordered_map>
#include <vector>

#include "core/counter_table.h"
#include "core/ip_addr.h"
#include "core/time.h"
#include "decode/packet.h"
#include "dpi/counters.h"
#include "track/connection.h"
#include "track/timeouts.h"

namespace rustnet::track {

struct TrackerConfig {
  // Table bound for this shard. At the bound the least recently active connection is
  // evicted (and counted) to make room.
  std::size_t maxConnections = 262'144;
  // This host's addresses. Empty (offline files) → orientation by SYN, then by port.
  std::vector<core::IpAddr> localAddresses;
  // --no-localhost: traffic whose both ends are loopback is counted and not tracked.
  bool ignoreLoopback = false;
  // Deep packet inspection of TCP/UDP payloads (SPEC §3); --no-dpi turns it off, and then
  // no inspector is ever created.
  bool dpi = true;
  Timeouts timeouts;
  // Connection ids are `idBase + n * idStride` so that shards never hand out the same id.
  std::uint64_t idBase = 1;
  std::uint64_t idStride = 1;
};

struct TrackerCounters {
  std::uint64_t packets = 0;        // packets given to onPacket
  std::uint64_t tracked = 0;        // packets that updated a connection
  std::uint64_t ignoredLoopback = 0;
  std::uint64_t untracked = 0;      // decoded but not trackable (non-first fragments, ...)
  std::uint64_t created = 0;
  std::uint64_t closed = 0;         // left the table with EndReason::Closed
  std::uint64_t expired = 0;        // EndReason::IdleTimeout
  std::uint64_t evicted = 0;        // EndReason::Evicted
  std::uint64_t forcedEnd = 0;      // EndReason::ForcedEnd
  std::uint64_t tcpReused = 0;      // a SYN on a closed tuple started a new connection
  std::uint64_t retransmissions = 0;
};

inline constexpr auto kTrackerCounters = std::to_array<core::CounterDef<TrackerCounters>>({
    {.name = "tracker_packets",
     .help = "Packets given to the connection tracker, whatever their decode status.",
     .json = core::JsonForm::Omit,
     .slots = core::counterSlots<&TrackerCounters::packets>()},
    {.name = "packets_tracked",
     .help = "Packets that updated a connection.",
     .json = core::JsonForm::Omit,
     .slots = core::counterSlots<&TrackerCounters::tracked>()},
    {.name = "packets_ignored_loopback",
     .help = "Packets with both ends on loopback, counted and not tracked (--no-localhost).",
     .slots = core::counterSlots<&TrackerCounters::ignoredLoopback>()},
    {.name = "packets_untracked",
     .help = "Decoded packets that cannot be tracked (non-first fragments, ...).",
     .json = core::JsonForm::Omit,
     .slots = core::counterSlots<&TrackerCounters::untracked>()},
    {.name = "connections_created",
     .help = "Connections that entered the table.",
     .slots = core::counterSlots<&TrackerCounters::created>()},
    {.name = "connections_closed",
     .help = "Connections that left the table closed by their protocol.",
     .slots = core::counterSlots<&TrackerCounters::closed>()},
    {.name = "connections_expired",
     .help = "Connections that left the table after their idle timeout.",
     .slots = core::counterSlots<&TrackerCounters::expired>()},
    {.name = "connections_evicted",
     .help = "Connections evicted (least recently active) to make room at the table bound.",
     .slots = core::counterSlots<&TrackerCounters::evicted>()},
    {.name = "connections_forced_end",
     .help = "Connections still open when the run ended.",
     .slots = core::counterSlots<&TrackerCounters::forcedEnd>()},
    {.name = "connections_reused",
     .help = "SYNs on a closed TCP tuple that started a new connection.",
     .slots = core::counterSlots<&TrackerCounters::tcpReused>()},
    {.name = "tcp_retransmissions",
     .help = "TCP segments seen again (sequence numbers already covered).",
     .slots = core::counterSlots<&TrackerCounters::retransmissions>()},
});
static_assert(core::countsEveryMember<TrackerCounters>(kTrackerCounters));

// Sums shards.
inline TrackerCounters& operator+=(TrackerCounters& a, const TrackerCounters& b) {
  core::addCounters(a, b, kTrackerCounters);
  return a;
}

// Receives connection events. Called synchronously on the worker thread; the Connection
// reference is valid only during the call.
class EventSink {
public:
  virtual ~EventSink() = default;
  virtual void onNew(const Connection& c) = 0;
  virtual void onClosed(const Connection& c, EndReason why, core::Timestamp when) = 0;
};

class ConnectionTable;

class Tracker {
public:
  Tracker(TrackerConfig config, EventSink& sink);
  ~Tracker();
  Tracker(const Tracker&) = delete;
  Tracker& operator=(const Tracker&) = delete;

  // Updates (or creates) the connection for a decoded packet with Status::Ok. Events for
  // connections that this packet ends (an idle timeout noticed late, a reused TCP tuple,
  // an eviction at the bound) are delivered before the new connection's onNew.
  void onPacket(const decode::PacketView& p);
  // The same, for any decode status: only Ok packets are tracked; Fragment (non-first
  // fragments carry no ports) is counted as untracked, other statuses only in `packets`.
  void onPacket(const decode::PacketView& p, decode::Status status);
  // Counts a later IP fragment (its ports filled in from its first fragment by the engine's
  // fragment table) in the packets and bytes of its live connection; no TCP state, no DPI.
  // False (and counted untracked) when that connection is not in the table.
  bool creditFragment(const decode::PacketView& p);
  // Removes connections whose idle timeout has passed at `now`. Cheap to call often: it
  // sweeps at most once per second of `now`.
  void expire(core::Timestamp now);
  // Ends every remaining connection (end of file, signal): Closed when its protocol had
  // already ended it, IdleTimeout when its timeout had passed at `now` (the sweep had not
  // come round yet), otherwise ForcedEnd.
  void endAll(core::Timestamp now);

  // The state to show at `now` (UDP activity states depend on the time since the last packet).
  [[nodiscard]] State displayState(const Connection& c, core::Timestamp now) const;
  // Idle timeout for `c` with the activity grace applied (see timeouts.h).
  [[nodiscard]] core::Duration idleTimeout(const Connection& c) const;

  // Visits every live connection (for snapshots). Must not be called re-entrantly.
  template <typename F>
  void forEach(F&& f) const;

  // The live connection with this canonical key, or nullptr. Valid until the next call
  // that may change the table (onPacket, expire, endAll).
  [[nodiscard]] const Connection* find(const core::FlowKey& key) const;

  [[nodiscard]] std::size_t size() const;
  [[nodiscard]] const TrackerCounters& counters() const { return counters_; }
  [[nodiscard]] const dpi::Counters& dpiCounters() const { return dpiCounters_; }
  [[nodiscard]] const TrackerConfig& config() const { return config_; }
  // What NFLOG records said about `c` (null when nothing: every other capture).
  [[nodiscard]] std::shared_ptr<const NflogInfo> nflogOf(const Connection& c) const;

private:
  const Connection* connectionAt(std::size_t slot) const;  // nullptr for free slots
  [[nodiscard]] std::size_t slotCount() const;
  [[nodiscard]] bool expiredAt(const Connection& c, core::Timestamp now) const;
  void end(std::uint32_t slot, EndReason why, core::Timestamp when);
  void inspect(Connection& c, const decode::PacketView& p, bool fromLocal);
  // Adds `p` to the direction's packets, bytes and rate, and to lastSeen: what every packet
  // of a connection does, whole or a later fragment.
  static void count(Connection& c, const decode::PacketView& p, bool fromLocal);
  void noteNflog(const Connection& c, const decode::NflogMeta& m);

  TrackerConfig config_;
  EventSink& sink_;
  std::unique_ptr<ConnectionTable> table_;
  TrackerCounters counters_;
  dpi::Counters dpiCounters_;
  std::uint64_t nextId_;
  std::int64_t lastSweepSecond_ = std::numeric_limits<std::int64_t>::min();
  core::Duration sweepHorizon_;  // connections idle for less than this cannot have expired
  // Connection id → NFLOG info, for the connections that have any (bounded by the table:
  // an entry leaves with its connection).
  std::unordered_map<std::uint64_t, std::shared_ptr<const NflogInfo>> nflog_;
};

template <typename F>
void Tracker::forEach(F&& f) const {
  const std::size_t n = slotCount();
  for (std::size_t i = 0; i < n; ++i) {
    if (const Connection* c = connectionAt(i)) f(*c);
  }
}

}  // namespace rustnet::track
