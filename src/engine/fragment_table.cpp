#include "engine/fragment_table.h"

#include <algorithm>

#include "core/flow_key.h"

namespace rustnet::engine {

namespace {

// Bytes of the transport header that make the tracker's key (0: addresses and protocol do).
std::uint32_t keyBytes(std::uint8_t proto) {
  switch (proto) {
    case core::proto::kTcp:
    case core::proto::kUdp: return 4;
    case core::proto::kIcmp:
    case core::proto::kIcmpv6: return 8;
    default: return 0;
  }
}

// FNV-1a: the key is attacker-chosen, but a collision only costs a probe or a counted miss.
std::uint64_t hashKey(const core::IpAddr& src, const core::IpAddr& dst, std::uint32_t id,
                      std::uint8_t proto) {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  auto mix = [&h](std::uint8_t b) {
    h ^= b;
    h *= 0x100000001b3ULL;
  };
  for (const auto b : src.bytes()) mix(b);
  for (const auto b : dst.bytes()) mix(b);
  for (int i = 0; i < 4; ++i) mix(static_cast<std::uint8_t>(id >> (8 * i)));
  mix(proto);
  return h;
}

void copyIdentity(const decode::PacketView& from, decode::PacketView& to) {
  to.sport = from.sport;
  to.dport = from.dport;
  to.icmpType = from.icmpType;
  to.icmpCode = from.icmpCode;
  to.icmpId = from.icmpId;
  to.icmpSeq = from.icmpSeq;
}

std::int64_t secondOf(core::Timestamp t) { return t.ns / 1'000'000'000; }

}  // namespace

FragmentTable::FragmentTable() : slots_(std::make_unique<std::array<Datagram, kFragmentSlots>>()) {}

FragmentTable::Key FragmentTable::keyOf(const decode::PacketView& v) {
  return Key{v.src, v.dst, v.fragId, v.proto};
}

FragmentTable::Datagram* FragmentTable::find(const Key& k, core::Timestamp now, bool insert) {
  const std::uint64_t h = hashKey(k.src, k.dst, k.id, k.proto);
  Datagram* free = nullptr;
  for (std::size_t i = 0; i < kFragmentProbe; ++i) {
    Datagram& d = (*slots_)[(h + i) % kFragmentSlots];
    const bool live = d.used && now <= d.expires;
    if (live && d.key == k) return &d;
    if (!live && free == nullptr) free = &d;
  }
  if (!insert || free == nullptr) return nullptr;
  *free = Datagram{};
  free->used = true;
  free->key = k;
  free->expires = now + kFragmentTimeout;
  return free;
}

std::span<const FragmentTable::Late> FragmentTable::observe(decode::Status st,
                                                             decode::PacketView& v) {
  lateCount_ = 0;
  if (!v.fragmented || v.fragLate) return {};
  if (st != decode::Status::Ok && st != decode::Status::Fragment) return {};
  const Key k = keyOf(v);

  if (v.fragFirst) {
    ++counters_.first;
    Datagram* d = find(k, v.ts, true);
    if (d == nullptr) {
      ++counters_.tableFull;
      return {};
    }
    if (d->haveFirst) {
      // A duplicate or overlapping first fragment: the first one's ports stand. A tiny one
      // arriving again is a fragment of the known connection like any other.
      if (st == decode::Status::Fragment && d->keyed) {
        copyIdentity(d->identity, v);
        v.fragMatched = true;
        ++counters_.credited;
      }
      return std::span<const Late>(late_.data(), lateCount_);
    }
    d->haveFirst = true;
    d->identity = v;
    d->identity.payload = {};
    if (st == decode::Status::Ok) {
      d->keyed = true;
      if (creditPending(*d)) d->haveLast = true;
    } else {
      // Tiny: the transport header goes on in the next fragments. This frame opens the
      // connection later, as a Late record, once the ports are known.
      d->base = v.fragOffset;
      gather(*d, v.fragOffset, v.payload);
      for (const Pending& p : pending_) {
        if (p.used && p.key == k) gather(*d, p.offset, core::Bytes(p.bytes.data(), p.len));
      }
      if (completeHead(*d)) {
        addLate(decode::Status::Ok, *d, v.ts, v.wireLen);
        if (creditPending(*d)) d->haveLast = true;
      }
    }
    if (d->haveLast && d->keyed) d->used = false;  // reverse order: the first came last
    return std::span<const Late>(late_.data(), lateCount_);
  }

  if (st != decode::Status::Fragment) return {};
  Datagram* d = find(k, v.ts, false);
  if (d != nullptr && !v.fragMore) d->haveLast = true;
  if (d != nullptr && d->keyed) {
    copyIdentity(d->identity, v);
    v.fragMatched = true;
    ++counters_.credited;
    // In order, the last fragment ends the datagram; a straggler after it waits and is
    // counted unmatched.
    if (!v.fragMore) d->used = false;
    return {};
  }
  hold(k, v);
  if (d != nullptr && d->haveFirst) {
    gather(*d, v.fragOffset, v.payload);
    if (completeHead(*d)) {
      addLate(decode::Status::Ok, *d, d->identity.ts, d->identity.wireLen);
      creditPending(*d);
    }
  }
  return std::span<const Late>(late_.data(), lateCount_);
}

void FragmentTable::hold(const Key& k, const decode::PacketView& v) {
  if (pendingUsed_ == pending_.size()) {
    ++counters_.unmatched;
    return;
  }
  for (Pending& p : pending_) {
    if (p.used) continue;
    p.used = true;
    p.key = k;
    p.ts = v.ts;
    p.wireLen = v.wireLen;
    p.last = !v.fragMore;
    p.offset = v.fragOffset;
    p.len = static_cast<std::uint8_t>(std::min<std::size_t>(v.payload.size(), p.bytes.size()));
    std::copy_n(v.payload.begin(), p.len, p.bytes.begin());
    ++pendingUsed_;
    return;
  }
}

void FragmentTable::gather(Datagram& d, std::uint32_t offset, core::Bytes data) {
  // Overlaps simply overwrite: the bytes only serve to find the ports.
  for (std::size_t i = 0; i < data.size(); ++i) {
    const std::uint64_t at = std::uint64_t{offset} + i;
    if (at < d.base) continue;
    if (at - d.base >= kFragmentHeadBytes) break;
    const auto pos = static_cast<std::uint32_t>(at - d.base);
    d.head[pos] = data[i];
    d.headMask |= 1u << pos;
  }
}

bool FragmentTable::completeHead(Datagram& d) {
  if (d.keyed) return false;
  const std::uint32_t need = keyBytes(d.key.proto);
  const std::uint32_t mask = (1u << need) - 1;
  if ((d.headMask & mask) != mask) return false;
  decode::PacketView& id = d.identity;
  if (d.key.proto == core::proto::kTcp || d.key.proto == core::proto::kUdp) {
    id.sport = static_cast<std::uint16_t>(d.head[0] << 8 | d.head[1]);
    id.dport = static_cast<std::uint16_t>(d.head[2] << 8 | d.head[3]);
  } else {
    id.icmpType = d.head[0];
    id.icmpCode = d.head[1];
    // Read as echo fields whatever the type: the tracker looks at them for echoes only.
    id.icmpId = static_cast<std::uint16_t>(d.head[4] << 8 | d.head[5]);
    id.icmpSeq = static_cast<std::uint16_t>(d.head[6] << 8 | d.head[7]);
  }
  // Flags, sequence numbers and lengths stay unknown, as for a frame the snaplen cut.
  id.transportTruncated = true;
  d.keyed = true;
  ++counters_.reassembled;
  return true;
}

void FragmentTable::addLate(decode::Status st, const Datagram& d, core::Timestamp ts,
                            std::uint32_t wireLen) {
  if (lateCount_ == late_.size()) return;  // cannot happen: one per pending plus one
  Late& l = late_[lateCount_++];
  l.status = st;
  l.view = d.identity;
  l.view.ts = ts;
  l.view.wireLen = wireLen;
  l.view.payload = {};
  l.view.payloadWireLen = 0;
  l.view.fragLate = true;
  l.view.fragMatched = st == decode::Status::Fragment;
  l.view.fragFirst = st == decode::Status::Ok;
}

bool FragmentTable::creditPending(const Datagram& d) {
  bool last = false;
  for (Pending& p : pending_) {
    if (!p.used || !(p.key == d.key)) continue;
    last = last || p.last;
    addLate(decode::Status::Fragment, d, p.ts, p.wireLen);
    ++counters_.credited;
    p.used = false;
    --pendingUsed_;
  }
  return last;
}

void FragmentTable::expire(core::Timestamp now) {
  const std::int64_t second = secondOf(now);
  if (second == lastSweepSecond_ || pendingUsed_ == 0) {
    lastSweepSecond_ = second;
    return;
  }
  lastSweepSecond_ = second;
  for (Pending& p : pending_) {
    if (!p.used || now - p.ts <= kFragmentTimeout) continue;
    p.used = false;
    --pendingUsed_;
    ++counters_.unmatched;
  }
}

void FragmentTable::finish() {
  for (Pending& p : pending_) {
    if (!p.used) continue;
    p.used = false;
    ++counters_.unmatched;
  }
  pendingUsed_ = 0;
}

}  // namespace rustnet::engine
