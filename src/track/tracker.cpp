#include "track/tracker.h"

#include <algorithm>
#include <memory>

#include "track/connection_table.h"
#include "track/packet_key.h"
#include "track/tcp_state.h"

namespace rustnet::track {

namespace {

std::int64_t floorSecond(core::Timestamp t) {
  std::int64_t s = t.ns / 1'000'000'000;
  if (t.ns % 1'000'000'000 < 0) --s;
  return s;
}

// Who opened the conversation (Connection::localInitiated), from its first packet.
bool localInitiated(const Connection& c, const decode::PacketView& p, KeyKind kind, bool fromLocal) {
  if (kind != KeyKind::Tcp) return fromLocal;
  switch (tcpSenderIsLocal(p.tcpFlags)) {
    case 1: return fromLocal;   // a SYN: its sender opened
    case 0: return !fromLocal;  // a SYN-ACK: its receiver opened
    default: return c.local().port >= c.remote().port;  // mid-stream: the ephemeral port
  }
}

// A TCP reset (without SYN) opens nothing: it belongs to the conversation it ends.
bool lateReset(KeyKind kind, const decode::PacketView& p) {
  return kind == KeyKind::Tcp && (p.tcpFlags & decode::tcpflag::kRst) != 0 &&
         (p.tcpFlags & decode::tcpflag::kSyn) == 0;
}

State icmpState(const decode::PacketView& p, KeyKind kind) {
  if (kind != KeyKind::IcmpEcho) return State::IcmpOther;
  return isIcmpEchoRequest(p) ? State::EchoRequest : State::EchoReply;
}

}  // namespace

Tracker::Tracker(TrackerConfig config, EventSink& sink)
    : config_(std::move(config)),
      sink_(sink),
      table_(std::make_unique<ConnectionTable>(config_.maxConnections)),
      nextId_(config_.idBase),
      sweepHorizon_(minIdleTimeout(config_.timeouts)) {}

Tracker::~Tracker() = default;

std::size_t Tracker::size() const { return table_->size(); }
std::size_t Tracker::slotCount() const { return table_->slotCount(); }
const Connection* Tracker::connectionAt(std::size_t slot) const { return table_->get(slot); }

const Connection* Tracker::find(const core::FlowKey& key) const {
  const auto slot = table_->find(key, table_->hashOf(key));
  return slot == ConnectionTable::kNoSlot ? nullptr : &table_->at(slot);
}

core::Duration Tracker::idleTimeout(const Connection& c) const {
  return track::idleTimeout(config_.timeouts, c);
}

bool Tracker::expiredAt(const Connection& c, core::Timestamp now) const {
  return now - c.lastSeen > idleTimeout(c);
}

State Tracker::displayState(const Connection& c, core::Timestamp now) const {
  switch (c.state) {
    case State::UdpActive:
    case State::UdpIdle:
    case State::UdpStale: {
      const core::Duration idle = now - c.lastSeen;
      if (idle < config_.timeouts.udpActiveFor) return State::UdpActive;
      if (idle < config_.timeouts.udpIdleFor) return State::UdpIdle;
      return State::UdpStale;
    }
    default:
      return c.state;
  }
}

void Tracker::end(std::uint32_t slot, EndReason why, core::Timestamp when) {
  sink_.onClosed(table_->at(slot), why, when);
  if (!nflog_.empty()) nflog_.erase(table_->at(slot).id);
  switch (why) {
    case EndReason::Closed: ++counters_.closed; break;
    case EndReason::IdleTimeout: ++counters_.expired; break;
    case EndReason::Evicted: ++counters_.evicted; break;
    case EndReason::ForcedEnd: ++counters_.forcedEnd; break;
  }
  table_->erase(slot);
}

void Tracker::onPacket(const decode::PacketView& p, decode::Status status) {
  if (status == decode::Status::Ok) {
    onPacket(p);
    return;
  }
  ++counters_.packets;
  if (status == decode::Status::Fragment) ++counters_.untracked;
}

void Tracker::onPacket(const decode::PacketView& p) {
  ++counters_.packets;
  if (config_.ignoreLoopback && p.network != decode::Network::Arp && p.src.isLoopback() &&
      p.dst.isLoopback()) {
    ++counters_.ignoredLoopback;
    return;
  }
  const std::optional<KeyedPacket> keyed = keyPacket(p);
  if (!keyed) {
    ++counters_.untracked;
    return;
  }
  const std::uint64_t hash = table_->hashOf(keyed->key);
  auto slot = table_->find(keyed->key, hash);
  if (slot != ConnectionTable::kNoSlot) {
    const Connection& old = table_->at(slot);
    // The sweep runs at most once a second; a packet must not revive what already expired.
    // Except a reset that arrives late for a connection still in the table: it cannot
    // open a conversation, and this is the one it ends (docs/connection-lifecycle.md).
    if (expiredAt(old, p.ts) && !lateReset(keyed->kind, p)) {
      end(slot, protocolEnded(old.state) ? EndReason::Closed : EndReason::IdleTimeout, p.ts);
      slot = ConnectionTable::kNoSlot;
    } else if (keyed->kind == KeyKind::Tcp && tcpStartsNewConnection(old, p.tcpFlags)) {
      end(slot, EndReason::Closed, p.ts);
      ++counters_.tcpReused;
      slot = ConnectionTable::kNoSlot;
    }
  }

  const bool created = slot == ConnectionTable::kNoSlot;
  bool fromLocal = true;
  if (created) {
    if (table_->full()) end(table_->oldest(), EndReason::Evicted, p.ts);
    slot = table_->insert(keyed->key, hash);
    Connection& c = table_->at(slot);
    fromLocal = senderIsLocal(p, *keyed, config_.localAddresses);
    c.localIsA = fromLocal == keyed->srcIsA;
    c.id = nextId_;
    nextId_ += config_.idStride;
    c.firstSeen = p.ts;
    c.lastSeen = p.ts;
    c.localInitiated = localInitiated(c, p, keyed->kind, fromLocal);
    switch (keyed->kind) {
      case KeyKind::Tcp: tcpStart(c, p.tcpFlags, fromLocal); break;
      case KeyKind::Udp: c.state = State::UdpActive; break;
      default: c.state = State::Active; break;  // the first packet sets the real state below
    }
  } else {
    table_->touch(slot);
  }

  Connection& c = table_->at(slot);
  fromLocal = keyed->srcIsA == c.localIsA;
  count(c, p, fromLocal);
  if (p.nflog.hasPrefix || p.nflog.hasUid || p.nflog.hasGid) noteNflog(c, p.nflog);
  if (p.tunnel != decode::Tunnel::None) c.tunnel = p.tunnel;

  switch (keyed->kind) {
    case KeyKind::Tcp:
      if (tcpOnSegment(c, p, fromLocal).retransmission) {
        ++c.tcp.retransmissions;
        ++counters_.retransmissions;
      }
      inspect(c, p, fromLocal);
      break;
    case KeyKind::Udp:
      inspect(c, p, fromLocal);
      break;  // activity states are derived from lastSeen at display time
    case KeyKind::IcmpEcho:
    case KeyKind::IcmpOther:
      c.icmpType = p.icmpType;
      c.state = icmpState(p, keyed->kind);
      break;
    case KeyKind::Arp:
      c.state = isArpRequest(p) ? State::ArpRequest : State::ArpReply;
      break;
    case KeyKind::OtherIp:
      c.state = State::Active;
      break;
  }

  ++counters_.tracked;
  if (created) {
    ++counters_.created;
    sink_.onNew(c);
  }
}

// Merges what an NFLOG record said into the connection's info: the first prefix seen, and
// the uid/gid once known. Allocates only when something new is learned (a few times per
// connection at most), never for packets that repeat what is known.
void Tracker::noteNflog(const Connection& c, const decode::NflogMeta& m) {
  auto& slot = nflog_[c.id];
  const NflogInfo* old = slot.get();
  const bool newPrefix = m.hasPrefix && (old == nullptr || old->prefix.empty());
  const bool newUid = m.hasUid && (old == nullptr || old->uid < 0);
  const bool newGid = m.hasGid && (old == nullptr || old->gid < 0);
  if (!newPrefix && !newUid && !newGid) return;
  auto next = old != nullptr ? std::make_shared<NflogInfo>(*old) : std::make_shared<NflogInfo>();
  if (newPrefix) next->prefix.assign(m.prefix.data(), m.prefixLen);
  if (newUid) next->uid = m.uid;
  if (newGid) next->gid = m.gid;
  slot = std::move(next);
}

std::shared_ptr<const NflogInfo> Tracker::nflogOf(const Connection& c) const {
  if (nflog_.empty()) return nullptr;
  const auto it = nflog_.find(c.id);
  return it == nflog_.end() ? nullptr : it->second;
}

bool Tracker::creditFragment(const decode::PacketView& p) {
  ++counters_.packets;
  const std::optional<KeyedPacket> keyed = keyPacket(p);
  auto slot = ConnectionTable::kNoSlot;
  if (keyed) slot = table_->find(keyed->key, table_->hashOf(keyed->key));
  // An expired connection is not revived by a fragment: its first fragment would have
  // opened a new one.
  if (slot == ConnectionTable::kNoSlot || expiredAt(table_->at(slot), p.ts)) {
    ++counters_.untracked;
    return false;
  }
  table_->touch(slot);
  Connection& c = table_->at(slot);
  count(c, p, keyed->srcIsA == c.localIsA);
  ++counters_.tracked;
  return true;
}

void Tracker::count(Connection& c, const decode::PacketView& p, bool fromLocal) {
  DirectionCounters& dir = fromLocal ? c.sent : c.received;
  ++dir.packets;
  dir.bytes += p.wireLen;
  (fromLocal ? c.rateOut : c.rateIn).add(p.ts, p.wireLen);
  c.lastSeen = std::max(c.lastSeen, p.ts);
}

void Tracker::inspect(Connection& c, const decode::PacketView& p, bool fromLocal) {
  if (!config_.dpi || c.dpiDone || p.payload.empty()) return;
  if (!c.inspector) {
    // Allocated on the first payload only: connections without one never cost DPI memory.
    const dpi::FlowInfo flow{
        c.proto() == core::proto::kTcp ? dpi::Transport::Tcp : dpi::Transport::Udp,
        c.local().port, c.remote().port, c.localInitiated, !c.local().addr.isV4()};
    c.inspector = std::make_unique<dpi::Inspector>(flow);
  }
  c.inspector->feed(p.payload, fromLocal ? dpi::Direction::Outbound : dpi::Direction::Inbound,
                    p.seq, p.ts, dpiCounters_, p.clipped || p.payload.size() < p.payloadWireLen);
  if (c.inspector->finished()) {
    // Keep only the facts (shared with any record made meanwhile); the analyzer is gone.
    if (c.inspector->facts().proto() != nullptr) c.published = c.inspector->shareFacts();
    c.inspector.reset();
    c.dpiDone = true;
  }
}

void Tracker::expire(core::Timestamp now) {
  const std::int64_t second = floorSecond(now);
  if (second == lastSweepSecond_) return;
  lastSweepSecond_ = second;
  // Oldest activity first; stop where nothing can have expired yet. (A connection with a
  // timeoutHint below the horizon is caught by a later sweep, at most the horizon late.)
  auto slot = table_->oldest();
  while (slot != ConnectionTable::kNoSlot) {
    const auto next = table_->newer(slot);
    const Connection& c = table_->at(slot);
    if (now - c.lastSeen <= sweepHorizon_) break;
    if (expiredAt(c, now)) {
      end(slot, protocolEnded(c.state) ? EndReason::Closed : EndReason::IdleTimeout, now);
    }
    slot = next;
  }
}

void Tracker::endAll(core::Timestamp now) {
  while (table_->size() > 0) {
    const auto slot = table_->oldest();
    const Connection& c = table_->at(slot);
    // What a sweep at `now` would have removed anyway ends for that reason, not the run's.
    EndReason why = EndReason::ForcedEnd;
    if (protocolEnded(c.state)) {
      why = EndReason::Closed;
    } else if (expiredAt(c, now)) {
      why = EndReason::IdleTimeout;
    }
    end(slot, why, now);
  }
}

}  // namespace rustnet::track
