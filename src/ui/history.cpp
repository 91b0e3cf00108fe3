#include "ui/history.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/text.h"
#include "filter/fields.h"

namespace rustnet::ui {

namespace {

// A filter term matching the rows without a process (a pattern that any process matches).
constexpr std::string_view kNoProcess = "!process:/^/";
constexpr std::uint32_t kNone = std::numeric_limits<std::uint32_t>::max();

std::int64_t secondOf(core::Timestamp t) {
  constexpr std::int64_t kNs = 1'000'000'000;
  return t.ns >= 0 ? t.ns / kNs : (t.ns - kNs + 1) / kNs;
}

std::size_t slotOf(std::int64_t sec, std::size_t n) {
  const auto m = static_cast<std::int64_t>(n);
  return static_cast<std::size_t>(((sec % m) + m) % m);
}

// Whether the row's connection still belongs to the owner it had: its process or service
// may have been found since; its protocol and ports cannot change.
bool sameOwner(const OwnerId& o, const engine::ConnectionRecord& r) {
  switch (o.kind) {
    case OwnerId::Kind::Process: return r.process && r.process->pid == o.pid && r.process->name == o.name;
    case OwnerId::Kind::Service: return !r.process && !r.service.empty() && r.service == o.name;
    case OwnerId::Kind::Port:
    case OwnerId::Kind::Proto: return !r.process && r.service.empty();
    case OwnerId::Kind::Other: return false;
  }
  return false;
}

std::string keyOf(const OwnerId& o) {
  std::string k;
  k.reserve(o.name.size() + 8);
  k.push_back(static_cast<char>('0' + static_cast<int>(o.kind)));
  k += o.name;
  k.push_back('\0');
  k += std::to_string(o.kind == OwnerId::Kind::Port ? o.port : o.pid);
  return k;
}

// `d` bytes that came in the seconds (sec - n, sec], evenly: what falls in the ring's range
// (newer than `oldest`) is added to its slots, the remainder to the newest second.
template <typename T, std::size_t N>
void spread(std::array<T, N>& ring, std::uint64_t d, std::int64_t n, std::int64_t sec, std::int64_t oldest) {
  if (d == 0) return;
  n = std::max<std::int64_t>(1, n);
  const std::int64_t last = std::max(sec - n + 1, oldest);
  if (sec < last) return;
  // Walks back from the newest slot (no division per slot: the first snapshot spreads every
  // row over up to the whole ring).
  const std::size_t newest = slotOf(sec, N);
  auto each = [&](auto per) {
    std::size_t i = newest;
    for (std::int64_t k = sec - last + 1; k > 0; --k) {
      ring[i] += per;
      i = i == 0 ? N - 1 : i - 1;
    }
  };
  if constexpr (std::is_floating_point_v<T>) {
    each(static_cast<T>(static_cast<double>(d) / static_cast<double>(n)));
  } else {
    each(d / static_cast<std::uint64_t>(n));
    ring[newest] += d % static_cast<std::uint64_t>(n);
  }
}

template <typename T, std::size_t N>
void clearAfter(std::array<T, N>& ring, std::int64_t from, std::int64_t to) {
  if (to - from >= static_cast<std::int64_t>(N)) {
    ring.fill(T{});
    return;
  }
  for (std::int64_t s = from + 1; s <= to; ++s) ring[slotOf(s, N)] = T{};
}

template <std::size_t N>
std::uint64_t sum(const std::array<std::uint64_t, N>& a) {
  std::uint64_t t = 0;
  for (std::uint64_t v : a) t += v;
  return t;
}

}  // namespace

OwnerId ownerOf(const engine::ConnectionRecord& r) {
  OwnerId o;
  if (r.process) {
    o.kind = OwnerId::Kind::Process;
    o.pid = r.process->pid;
    o.name = r.process->name;
  } else if (!r.service.empty()) {
    o.kind = OwnerId::Kind::Service;
    o.name = std::string(r.service);
  } else if (filter::hasPorts(r.proto)) {
    o.kind = OwnerId::Kind::Port;
    o.port = filter::servicePort(r);
  } else {
    o.kind = OwnerId::Kind::Proto;
    o.name = core::protoName(r.proto);
  }
  return o;
}

std::string ownerLabel(const OwnerId& o) {
  switch (o.kind) {
    case OwnerId::Kind::Process: return o.name.empty() ? "(unnamed)" : core::escapeControl(o.name);
    case OwnerId::Kind::Service: return fmt::format("service {}", o.name);
    case OwnerId::Kind::Port: return fmt::format("port {}", o.port);
    case OwnerId::Kind::Proto: return fmt::format("proto {}", o.name);
    case OwnerId::Kind::Other: return "(other owners)";
  }
  return {};
}

std::string ownerFilter(const OwnerId& o) {
  switch (o.kind) {
    // The pid alone: a name would match every process whose name contains it.
    case OwnerId::Kind::Process: return fmt::format("process:{}", o.pid);
    // Anchored: service:http would also match https (service names are the static table's).
    // Rows with a process belong to it, not to their service: !process:/^/ leaves them out.
    case OwnerId::Kind::Service: return fmt::format("service:/^{}$/ {}", o.name, kNoProcess);
    case OwnerId::Kind::Port: return fmt::format("port:{} !service:/./ {}", o.port, kNoProcess);
    case OwnerId::Kind::Proto: return fmt::format("proto:{} {}", o.name, kNoProcess);
    case OwnerId::Kind::Other: return {};
  }
  return {};
}

History::History() {
  owners_.emplace_back();
  owners_[0].id.kind = OwnerId::Kind::Other;
  owners_[0].used = true;
}

void History::advance(std::int64_t sec) {
  if (headSec_ == 0) {
    headSec_ = sec;
    return;
  }
  if (sec <= headSec_) return;
  for (Owner& o : owners_) {
    if (!o.used) continue;
    clearAfter(o.down, headSec_, sec);
    clearAfter(o.up, headSec_, sec);
  }
  headSec_ = sec;
}

void History::advanceTrend(Conn& c, std::int64_t sec) {
  if (c.headSec == 0) {
    c.headSec = sec;
    return;
  }
  if (sec <= c.headSec) return;
  clearAfter(c.trend, c.headSec, sec);
  c.headSec = sec;
}

std::uint32_t History::peerSlot(Owner& o, const core::IpAddr& addr, std::uint32_t cached) {
  if (cached < o.peers.size() && o.peers[cached].addr == addr) return cached;
  for (std::uint32_t i = 0; i < o.peers.size(); ++i) {
    if (o.peers[i].addr == addr) return i;
  }
  if (o.peers.size() < kMaxPeersPerOwner) {
    o.peers.push_back(Peer{addr, 0});
    return static_cast<std::uint32_t>(o.peers.size() - 1);
  }
  // Full: the least busy peer gives way, its count kept as the newcomer's floor (so the top
  // peer is never understated, the usual heavy-hitter trade).
  const auto it = std::min_element(o.peers.begin(), o.peers.end(),
                                   [](const Peer& a, const Peer& b) { return a.bytes < b.bytes; });
  it->addr = addr;
  return static_cast<std::uint32_t>(it - o.peers.begin());
}

// `cached` is the owner the same connection had (kNone for a new one).
std::uint32_t History::ownerSlot(const engine::ConnectionRecord& r, std::uint32_t cached) {
  if (cached < owners_.size() && owners_[cached].used && sameOwner(owners_[cached].id, r)) return cached;
  OwnerId id = ownerOf(r);
  std::string key = keyOf(id);
  if (const auto it = ownerIndex_.find(key); it != ownerIndex_.end()) return it->second;

  std::uint32_t slot = kNone;
  if (ownerIndex_.size() < kMaxOwners) {
    // Slots are never freed, only reused by an eviction: a new owner takes a new one.
    owners_.emplace_back();
    slot = static_cast<std::uint32_t>(owners_.size() - 1);
  } else if (noVictimGen_ != generation_) {
    // Full: forget the least busy owner with no live connection and nothing in its minute.
    std::uint32_t victim = kNone;
    for (std::uint32_t i = 1; i < owners_.size(); ++i) {
      const Owner& o = owners_[i];
      if (!o.used || o.liveConns + o.openAtEnd != 0 || o.seenGen + 1 >= generation_ || sum(o.down) + sum(o.up) != 0) continue;
      if (victim == kNone || o.recvTotal + o.sentTotal < owners_[victim].recvTotal + owners_[victim].sentTotal) {
        victim = i;
      }
    }
    if (victim == kNone) {
      noVictimGen_ = generation_;  // none will turn up before the next update: do not look again
      ++ownersOverflow_;
      return 0;
    }
    ownerIndex_.erase(keyOf(owners_[victim].id));
    ++ownersEvicted_;
    slot = victim;
  } else {
    ++ownersOverflow_;
    return 0;
  }
  Owner& o = owners_[slot];
  o = Owner{};
  o.id = std::move(id);
  o.used = true;
  o.seenGen = generation_;
  ownerIndex_.emplace(std::move(key), slot);
  return slot;
}

void History::credit(Conn& c, const engine::ConnectionRecord& r, std::int64_t now) {
  advanceTrend(c, now);
  std::int64_t sec = now;
  const std::uint64_t dRecv = r.received.bytes > c.recv ? r.received.bytes - c.recv : 0;
  const std::uint64_t dSent = r.sent.bytes > c.sent ? r.sent.bytes - c.sent : 0;
  c.recv = std::max(c.recv, r.received.bytes);
  c.sent = std::max(c.sent, r.sent.bytes);
  if (dRecv + dSent != 0) {
    // The bytes came after the last sight and by the connection's last packet.
    if (c.lastSec < sec) sec = std::clamp(secondOf(r.lastSeen), c.lastSec + 1, sec);
    const std::int64_t n = std::max<std::int64_t>(1, sec - c.lastSec);
    Owner& o = owners_[c.owner];
    const std::int64_t oldest = headSec_ - static_cast<std::int64_t>(kWindowSlots) + 1;
    spread(o.down, dRecv, n, sec, oldest);
    spread(o.up, dSent, n, sec, oldest);
    o.recvTotal += dRecv;
    o.sentTotal += dSent;
    c.peer = peerSlot(o, r.remote.addr, c.peer);
    o.peers[c.peer].bytes += dRecv + dSent;
    spread(c.trend, dRecv + dSent, n, sec, c.headSec - static_cast<std::int64_t>(kTrendSlots) + 1);
  }
  c.lastSec = std::max(c.lastSec, now);
}

void History::update(const engine::Snapshot& snap) {
  advance(secondOf(snap.asOf));
  const std::int64_t sec = headSec_;  // a clock that went back counts as now
  ++generation_;
  for (Owner& o : owners_) o.liveConns = 0;
  conns_.reserve(snap.rows.size());
  std::vector<Conn*> order;
  order.reserve(snap.rows.size());
  std::size_t seen = 0;
  for (std::size_t i = 0; i < snap.rows.size(); ++i) {
    const engine::ConnectionRecord& r = snap.rows[i];
    Conn* cp = i < order_.size() && order_[i]->id == r.id ? order_[i] : nullptr;
    bool inserted = false;
    if (cp == nullptr) {
      auto [it, ins] = conns_.try_emplace(r.id);
      cp = &it->second;
      inserted = ins;
      cp->id = r.id;
    }
    Conn& c = *cp;
    order.push_back(cp);
    if (c.seen != generation_) ++seen;  // a snapshot holds each id once, but be sure
    c.seen = generation_;
    if (c.ended) continue;
    if (inserted) {
      // Its bytes came since its first packet, not all in this second.
      c.lastSec = std::min(secondOf(r.firstSeen), sec) - 1;
      c.owner = kNone;
      c.peer = kNone;
    }
    c.owner = ownerSlot(r, c.owner);
    Owner& o = owners_[c.owner];
    ++o.liveConns;
    o.seenGen = generation_;
    credit(c, r, sec);
  }
  order_ = std::move(order);
  // Nothing to forget when every connection followed was in this snapshot.
  if (seen != conns_.size()) std::erase_if(conns_, [g = generation_](const auto& kv) { return kv.second.seen != g; });
}

void History::closed(const engine::ConnectionRecord& r, core::Timestamp when, bool stillOpen) {
  advance(secondOf(when));
  const std::int64_t sec = std::min(secondOf(when), headSec_);
  auto [it, inserted] = conns_.try_emplace(r.id);
  Conn& c = it->second;
  c.id = r.id;
  if (!inserted && c.ended) return;
  if (inserted) {
    c.lastSec = std::min(secondOf(r.firstSeen), sec) - 1;
    c.owner = kNone;
    c.peer = kNone;
    c.seen = generation_;  // forgotten at the next snapshot that does not hold it
  } else if (c.seen == generation_ && c.owner < owners_.size() && owners_[c.owner].liveConns > 0) {
    --owners_[c.owner].liveConns;
  }
  c.owner = ownerSlot(r, c.owner);
  credit(c, r, sec);
  c.ended = true;
  if (stillOpen) ++owners_[c.owner].openAtEnd;
}

std::array<float, kTrendSlots> History::trend(std::uint64_t id) const {
  std::array<float, kTrendSlots> out{};
  const auto it = conns_.find(id);
  if (it == conns_.end()) return out;
  const Conn& c = it->second;
  if (c.ended) return out;  // shown as ended, with nothing more to come
  // Oldest first, ending at the newest second known to any row (a connection that was not
  // in the last snapshot has had nothing since).
  for (std::size_t i = 0; i < kTrendSlots; ++i) {
    const std::int64_t s = headSec_ - static_cast<std::int64_t>(kTrendSlots - 1 - i);
    if (s > c.headSec || s <= c.headSec - static_cast<std::int64_t>(kTrendSlots)) continue;
    out[i] = c.trend[slotOf(s, kTrendSlots)];
  }
  return out;
}

std::vector<OwnerRow> History::owners() const {
  std::vector<OwnerRow> out;
  for (const Owner& o : owners_) {
    if (!o.used) continue;
    OwnerRow row{o.id, o.liveConns + o.openAtEnd, sum(o.down), sum(o.up), o.recvTotal, o.sentTotal, false, {}};
    if (row.liveConns == 0 && row.recvTotal + row.sentTotal == 0) continue;
    const auto top = std::max_element(o.peers.begin(), o.peers.end(),
                                      [](const Peer& a, const Peer& b) { return a.bytes < b.bytes; });
    if (top != o.peers.end() && top->bytes > 0) {
      row.hasPeer = true;
      row.topPeer = top->addr;
    }
    out.push_back(std::move(row));
  }
  return out;
}

HistoryStats History::stats() const { return HistoryStats{conns_.size(), ownersEvicted_, ownersOverflow_}; }

std::string sparkline(const std::array<float, kTrendSlots>& values, int cells, bool unicode) {
  static constexpr std::array<std::string_view, 9> kBars{" ", "\u2581", "\u2582", "\u2583", "\u2584",
                                                         "\u2585", "\u2586", "\u2587", "\u2588"};
  static constexpr std::string_view kAscii = " .:-=+*#";
  if (cells <= 0) return {};
  const int used = std::min<int>(cells, static_cast<int>(kTrendSlots));
  std::vector<double> cell(static_cast<std::size_t>(used), 0.0);
  for (std::size_t i = 0; i < kTrendSlots; ++i) {
    cell[i * static_cast<std::size_t>(used) / kTrendSlots] += values[i];
  }
  const double peak = *std::max_element(cell.begin(), cell.end());
  std::string out(static_cast<std::size_t>(cells - used), ' ');
  const int levels = unicode ? 8 : 7;
  for (double v : cell) {
    int level = 0;
    if (v > 0 && peak > 0) level = std::clamp(static_cast<int>(std::ceil(v / peak * levels)), 1, levels);
    if (unicode) {
      out += kBars[static_cast<std::size_t>(level)];
    } else {
      out += kAscii[static_cast<std::size_t>(level)];
    }
  }
  return out;
}

}  // namespace rustnet::ui
