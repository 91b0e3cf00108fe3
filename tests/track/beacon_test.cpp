// Beacons (periodic discovery/sync chatter) stay one connection across their periods, and
// a reset that arrives after its connection's timeout goes to that connection while it is
// still in the table, else to a short record of its own (docs/connection-lifecycle.md).
#include <gtest/gtest.h>

#include "track/timeouts.h"
#include "track/tracker.h"
#include "track_test_util.h"

namespace rustnet::track {
namespace {

using decode::tcpflag::kAck;
using decode::tcpflag::kRst;
using decode::tcpflag::kSyn;
using test::secs;

int newEvents(const test::RecordingSink& s) {
  int n = 0;
  for (const auto& e : s.events) n += e.isNew ? 1 : 0;
  return n;
}

// A 2-packet exchange (query, answer) every `period` seconds, `periods` times, with the
// tracker swept every second in between as a worker does.
void beacon(Tracker& t, const char* a, std::uint16_t ap, const char* b, std::uint16_t bp, double period,
            int periods) {
  for (int i = 0; i < periods; ++i) {
    const double at = 100 + i * period;
    t.onPacket(test::udp(secs(at), a, ap, b, bp));
    t.onPacket(test::udp(secs(at + 0.002), b, bp, a, ap));
    for (int s = 1; s < static_cast<int>(period) + 1; ++s) t.expire(secs(at + s));
  }
}

TEST(Beacons, DiscoveryPortsStayOneConnectionAcrossThirtySecondPeriods) {
  // A period a little over 30 s: the halved 60 s would end every exchange before the next.
  for (const std::uint16_t port : {17500, 57621, 5353, 1900, 137, 138, 5355, 67}) {
    test::TrackerFixture f;
    beacon(f.tracker, "192.168.1.10", port, "192.168.1.20", port, 30.5, 6);
    EXPECT_EQ(newEvents(f.sink), 1) << port;
    ASSERT_EQ(f.tracker.size(), 1u) << port;
    EXPECT_EQ(test::only(f.tracker).totalPackets(), 12u) << port;
  }
}

TEST(Beacons, BroadcastAndMulticastDestinationsAreBeacons) {
  for (const char* dst : {"255.255.255.255", "192.168.1.255", "239.255.255.250", "ff02::fb"}) {
    test::TrackerFixture f;
    const bool v6 = std::string(dst).find(':') != std::string::npos;
    beacon(f.tracker, v6 ? "fe80::1" : "192.168.1.10", 40001, dst, 40002, 30.5, 4);
    EXPECT_EQ(newEvents(f.sink), 1) << dst;
  }
}

TEST(Beacons, OtherSparseUdpIsStillHalved) {
  test::TrackerFixture f;
  beacon(f.tracker, "10.0.0.1", 40000, "10.0.0.2", 9999, 30.5, 3);
  EXPECT_EQ(newEvents(f.sink), 3);  // one row per period: the rule is for beacons only
}

TEST(Beacons, NeverHalvedAndAtLeastTheUdpTimeout) {
  Timeouts t;
  test::TrackerFixture f;
  f.tracker.onPacket(test::udp(secs(1), "192.168.1.10", 5353, "224.0.0.251", 5353));
  const Connection& c = test::only(f.tracker);
  EXPECT_TRUE(isBeacon(c));
  EXPECT_EQ(idleTimeout(t, c), t.udp);  // one packet, yet not halved
  test::TrackerFixture g;
  g.tracker.onPacket(test::udp(secs(1), "10.0.0.1", 40000, "10.0.0.2", 9999));
  EXPECT_FALSE(isBeacon(test::only(g.tracker)));
  EXPECT_EQ(idleTimeout(t, test::only(g.tracker)), t.udp / 2);
  test::TrackerFixture h;
  h.tracker.onPacket(test::tcp(secs(1), "10.0.0.1", 40000, "10.0.0.2", 5353, kSyn));
  EXPECT_FALSE(isBeacon(test::only(h.tracker)));  // UDP only
}

TEST(LateReset, CreditedToItsExpiredConnectionWhileStillInTheTable) {
  test::TrackerFixture f;
  f.tracker.onPacket(test::tcp(secs(10), "10.0.0.1", 40000, "10.0.0.2", 22, kSyn, 1));
  // 30 s (the halved handshake timeout) passes; no sweep has run yet when the reset arrives.
  f.tracker.onPacket(test::tcp(secs(40.5), "10.0.0.2", 22, "10.0.0.1", 40000, kRst | kAck, 0, 2));
  ASSERT_EQ(f.tracker.size(), 1u);
  const Connection& c = test::only(f.tracker);
  EXPECT_EQ(c.totalPackets(), 2u);
  EXPECT_EQ(c.state, State::Closed);
  EXPECT_EQ(newEvents(f.sink), 1);
  f.tracker.expire(secs(46));
  ASSERT_EQ(f.sink.events.size(), 2u);
  EXPECT_EQ(f.sink.events.back().reason, EndReason::Closed);
}

TEST(LateReset, AfterTheSweepItGetsAShortRecordOfItsOwn) {
  test::TrackerFixture f;
  f.tracker.onPacket(test::tcp(secs(10), "10.0.0.1", 40000, "10.0.0.2", 22, kSyn, 1));
  f.tracker.expire(secs(41));
  ASSERT_EQ(f.tracker.size(), 0u);
  f.tracker.onPacket(test::tcp(secs(41.5), "10.0.0.2", 22, "10.0.0.1", 40000, kRst | kAck, 0, 2));
  ASSERT_EQ(f.tracker.size(), 1u);
  const Connection& late = test::only(f.tracker);
  EXPECT_EQ(late.totalPackets(), 1u);
  EXPECT_EQ(late.state, State::Closed);
  EXPECT_EQ(f.tracker.idleTimeout(late), core::Duration::seconds(5));  // the CLOSED linger, no more
  f.tracker.expire(secs(47));
  EXPECT_EQ(f.tracker.size(), 0u);
  EXPECT_EQ(f.sink.events.back().reason, EndReason::Closed);
}

TEST(LateReset, OtherLatePacketsStillStartANewConnection) {
  test::TrackerFixture f;
  f.tracker.onPacket(test::tcp(secs(10), "10.0.0.1", 40000, "10.0.0.2", 22, kSyn, 1));
  f.tracker.onPacket(test::tcp(secs(40.5), "10.0.0.2", 22, "10.0.0.1", 40000, kAck, 5, 2));
  EXPECT_EQ(newEvents(f.sink), 2);
  EXPECT_EQ(test::only(f.tracker).totalPackets(), 1u);
}

}  // namespace
}  // namespace rustnet::track
