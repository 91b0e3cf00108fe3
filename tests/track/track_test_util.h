#pragma once
// Hand-built PacketViews and a recording EventSink for the track tests (independent of
// the decoder).
#include <stdexcept>
#include <string>
#include <vector>

#include "core/flow_key.h"
#include "core/ip_addr.h"
#include "core/time.h"
#include "decode/packet.h"
#include "track/connection.h"
#include "track/tracker.h"

namespace rustnet::track::test {

inline core::IpAddr ip(const char* text) { return *core::IpAddr::parse(text); }

inline core::Timestamp secs(double s) {
  return core::Timestamp::fromNanos(static_cast<std::int64_t>(s * 1e9));
}

inline decode::PacketView ipPacket(core::Timestamp ts, const char* src, const char* dst,
                                   std::uint8_t proto, std::uint32_t wireLen = 60) {
  decode::PacketView p;
  p.ts = ts;
  p.wireLen = wireLen;
  p.capLen = wireLen;
  p.src = ip(src);
  p.dst = ip(dst);
  p.network = p.src.isV4() ? decode::Network::Ipv4 : decode::Network::Ipv6;
  p.proto = proto;
  return p;
}

inline decode::PacketView tcp(core::Timestamp ts, const char* src, std::uint16_t sport,
                              const char* dst, std::uint16_t dport, std::uint8_t flags,
                              std::uint32_t seq = 0, std::uint32_t ack = 0,
                              std::uint32_t payloadLen = 0) {
  auto p = ipPacket(ts, src, dst, core::proto::kTcp, 54 + payloadLen);
  p.sport = sport;
  p.dport = dport;
  p.tcpFlags = flags;
  p.seq = seq;
  p.ack = ack;
  p.payloadWireLen = payloadLen;
  return p;
}

inline decode::PacketView udp(core::Timestamp ts, const char* src, std::uint16_t sport,
                              const char* dst, std::uint16_t dport, std::uint32_t wireLen = 100) {
  auto p = ipPacket(ts, src, dst, core::proto::kUdp, wireLen);
  p.sport = sport;
  p.dport = dport;
  p.payloadWireLen = wireLen > 42 ? wireLen - 42 : 0;
  return p;
}

inline decode::PacketView icmp(core::Timestamp ts, const char* src, const char* dst,
                               std::uint8_t type, std::uint16_t id = 0, std::uint8_t code = 0) {
  auto p = ipPacket(ts, src, dst, core::IpAddr::parse(src)->isV4() ? core::proto::kIcmp
                                                                    : core::proto::kIcmpv6,
                    98);
  p.icmpType = type;
  p.icmpCode = code;
  p.icmpId = id;
  return p;
}

inline decode::PacketView arp(core::Timestamp ts, std::uint16_t op, const char* senderIp,
                              const char* targetIp) {
  decode::PacketView p;
  p.ts = ts;
  p.wireLen = 60;
  p.capLen = 60;
  p.network = decode::Network::Arp;
  p.arpOp = op;
  p.src = ip(senderIp);  // as the decoder gives them
  p.dst = ip(targetIp);
  return p;
}

inline core::FlowKey key(std::uint8_t proto, const char* a, std::uint16_t ap, const char* b,
                         std::uint16_t bp) {
  bool srcIsA = false;
  return core::FlowKey::make(proto, {ip(a), ap}, {ip(b), bp}, srcIsA);
}

struct Event {
  bool isNew = false;
  std::uint64_t id = 0;
  State state = State::Active;
  EndReason reason = EndReason::Closed;
  core::Timestamp when;
  std::uint64_t packets = 0;
};

class RecordingSink final : public EventSink {
public:
  void onNew(const Connection& c) override {
    events.push_back({true, c.id, c.state, EndReason::Closed, c.firstSeen, c.totalPackets()});
  }
  void onClosed(const Connection& c, EndReason why, core::Timestamp when) override {
    events.push_back({false, c.id, c.state, why, when, c.totalPackets()});
  }
  std::vector<Event> events;
};

// A tracker with a recording sink.
struct TrackerFixture {
  explicit TrackerFixture(TrackerConfig cfg = {}) : tracker(std::move(cfg), sink) {}
  RecordingSink sink;
  Tracker tracker;
};

// The only live connection (tests that expect exactly one).
inline const Connection& only(const Tracker& t) {
  const Connection* found = nullptr;
  int n = 0;
  t.forEach([&](const Connection& c) {
    found = &c;
    ++n;
  });
  if (n != 1 || found == nullptr) throw std::runtime_error("expected exactly one connection");
  return *found;
}

}  // namespace rustnet::track::test
