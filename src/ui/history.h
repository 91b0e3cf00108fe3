#pragma once
// Recent traffic, remembered between snapshots: per connection a short series of rates (the
// Overview's Trend sparkline), per owner (a process, or for rows without one the local
// service) the bytes of the last minute, the totals since the start, the live connections
// and the busiest peer (the Activity tab). Updated once per snapshot and per Closed event,
// never per frame; time is the snapshot's (file time with --read), so a file's minute is
// its own and not the minute it took to read.
#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/ip_addr.h"
#include "core/time.h"
#include "engine/engine.h"
#include "engine/record.h"

namespace rustnet::ui {

// One-second slots: a connection's trend, and an owner's last minute.
inline constexpr std::size_t kTrendSlots = 16;
inline constexpr std::size_t kWindowSlots = 60;
// Named caps: owners kept (the least busy idle one gives way, else the bytes go to one
// "(other owners)" entry), and peers remembered per owner (the least busy gives way).
inline constexpr std::size_t kMaxOwners = 4096;
inline constexpr std::size_t kMaxPeersPerOwner = 16;

// Who a row's traffic is counted for.
struct OwnerId {
  enum class Kind : std::uint8_t { Process, Service, Port, Proto, Other };
  Kind kind = Kind::Other;
  std::int32_t pid = 0;  // Process
  std::string name;      // process name, service name, or protocol name
  std::uint16_t port = 0;  // Port
  friend bool operator==(const OwnerId&, const OwnerId&) = default;
};
OwnerId ownerOf(const engine::ConnectionRecord& r);
// "firefox", "service https", "port 8443", "proto ICMP", "(other owners)" (escaped).
std::string ownerLabel(const OwnerId& o);
// A filter (filter/filter.h) matching the owner's connections: process:<pid>,
// or for the others service:/^name$/, port:N, proto:name with !process:/^/ (no process);
// empty for the overflow entry.
std::string ownerFilter(const OwnerId& o);

// An owner as the Activity tab shows it.
struct OwnerRow {
  OwnerId id;
  std::size_t liveConns = 0;  // with those still open when the run or file ended
  std::uint64_t down60 = 0;  // bytes received in the last kWindowSlots seconds
  std::uint64_t up60 = 0;
  std::uint64_t recvTotal = 0;  // since the start, ended connections included
  std::uint64_t sentTotal = 0;
  bool hasPeer = false;
  core::IpAddr topPeer;  // the remote address with the most bytes (approximate past the cap)
};

struct HistoryStats {
  std::size_t connections = 0;      // connections followed
  std::uint64_t ownersEvicted = 0;  // idle owners forgotten to make room
  std::uint64_t ownersOverflow = 0; // rows counted under "(other owners)" for want of room
};

class History {
public:
  History();
  // The snapshot's rows: byte deltas since the last sight of each connection, spread over
  // the seconds between; connections absent from it are forgotten.
  void update(const engine::Snapshot& snap);
  // A connection's last bytes (it may never have been in a snapshot). `stillOpen`: it did
  // not end, the run or file did (EndReason::ForcedEnd); it keeps counting as live, as
  // the Overview shows it.
  void closed(const engine::ConnectionRecord& r, core::Timestamp when, bool stillOpen = false);

  // The connection's rate per second over the last kTrendSlots seconds (bytes down + up),
  // oldest first; all zero for one not followed.
  [[nodiscard]] std::array<float, kTrendSlots> trend(std::uint64_t id) const;
  // Every owner with traffic or live connections, unsorted.
  [[nodiscard]] std::vector<OwnerRow> owners() const;
  [[nodiscard]] HistoryStats stats() const;

private:
  struct Peer {
    core::IpAddr addr;
    std::uint64_t bytes = 0;
  };
  struct Owner {
    OwnerId id;
    bool used = false;
    std::size_t liveConns = 0;
    std::size_t openAtEnd = 0;  // still open when the run or file ended
    std::uint32_t seenGen = 0;  // the last update with a live row of it
    std::array<std::uint64_t, kWindowSlots> down{};
    std::array<std::uint64_t, kWindowSlots> up{};
    std::uint64_t recvTotal = 0;
    std::uint64_t sentTotal = 0;
    std::vector<Peer> peers;  // at most kMaxPeersPerOwner
  };
  struct Conn {
    std::uint64_t id = 0;
    std::uint64_t sent = 0;
    std::uint64_t recv = 0;
    std::int64_t lastSec = 0;  // the second its bytes were last credited up to
    std::int64_t headSec = 0;  // the newest second in `trend`
    std::array<float, kTrendSlots> trend{};
    std::uint32_t owner = 0;
    std::uint32_t peer = 0;  // slot in the owner's peers (checked: a slot can be reused)
    std::uint32_t seen = 0;  // the update that last saw it
    bool ended = false;      // a Closed event came: later (older) snapshot copies are ignored
  };

  void advance(std::int64_t sec);
  void credit(Conn& c, const engine::ConnectionRecord& r, std::int64_t sec);
  std::uint32_t ownerSlot(const engine::ConnectionRecord& r, std::uint32_t cached);
  std::uint32_t peerSlot(Owner& o, const core::IpAddr& addr, std::uint32_t cached);
  static void advanceTrend(Conn& c, std::int64_t sec);

  std::unordered_map<std::uint64_t, Conn> conns_;
  // The last snapshot's rows, in its order: snapshots mostly keep their order, so the row
  // at the same place is tried before the map (nodes stay put until they are erased, and
  // only rows missing from the update that fills this are).
  std::vector<Conn*> order_;
  std::vector<Owner> owners_;  // slot 0 is "(other owners)"
  std::unordered_map<std::string, std::uint32_t> ownerIndex_;
  std::int64_t headSec_ = 0;  // the newest second of the owners' windows; 0 before any data
  std::uint32_t generation_ = 1;
  std::uint32_t noVictimGen_ = 0;  // the update in which no owner could be evicted
  std::uint64_t ownersEvicted_ = 0;
  std::uint64_t ownersOverflow_ = 0;
};

// The trend as `cells` characters (▁▂▃▄▅▆▇█, or " .:-=+*#" without UTF-8), scaled to its own
// peak: the shape of one connection's traffic, whose size the Down and Up columns give. The
// slots are merged evenly into the cells; a cell with no traffic is blank.
std::string sparkline(const std::array<float, kTrendSlots>& values, int cells, bool unicode);

}  // namespace rustnet::ui
