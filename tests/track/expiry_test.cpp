// Idle timeouts per protocol and state, the activity grace, the sweep, eviction at the
// bound and the end of a run.
#include <gtest/gtest.h>

#include "track/tracker.h"
#include "track_test_util.h"

namespace rustnet::track {
namespace {

using decode::tcpflag::kAck;
using decode::tcpflag::kFin;
using decode::tcpflag::kPsh;
using decode::tcpflag::kRst;
using decode::tcpflag::kSyn;
using test::secs;

struct Fixture : test::TrackerFixture {
  using TrackerFixture::TrackerFixture;

  // Expects the single connection, last active at `last`, to survive a sweep at
  // last + timeout and to be gone (with `why`) after a sweep at last + timeout + 1 s.
  void expectExpiresAfter(core::Timestamp last, core::Duration timeout, EndReason why) {
    ASSERT_EQ(tracker.size(), 1u);
    EXPECT_EQ(tracker.idleTimeout(test::only(tracker)), timeout);
    const std::size_t before = sink.events.size();
    tracker.expire(last + timeout);
    EXPECT_EQ(tracker.size(), 1u) << "expired too early";
    tracker.expire(last + timeout + core::Duration::seconds(1));
    EXPECT_EQ(tracker.size(), 0u) << "did not expire";
    ASSERT_EQ(sink.events.size(), before + 1);
    EXPECT_FALSE(sink.events.back().isNew);
    EXPECT_EQ(sink.events.back().reason, why) << endReasonName(sink.events.back().reason);
    EXPECT_EQ(sink.events.back().when, last + timeout + core::Duration::seconds(1));
  }

  // `n` UDP packets alternating direction, `gap` apart from `start`; returns the last time.
  core::Timestamp udpExchange(core::Timestamp start, int n, core::Duration gap) {
    core::Timestamp t = start;
    for (int i = 0; i < n; ++i) {
      if (i > 0) t = t + gap;
      if (i % 2 == 0) {
        tracker.onPacket(test::udp(t, "10.0.0.1", 40000, "10.0.0.2", 9999));
      } else {
        tracker.onPacket(test::udp(t, "10.0.0.2", 9999, "10.0.0.1", 40000));
      }
    }
    return t;
  }
};

// Handshake and a little data: 5 packets, ESTABLISHED, 10.0.0.1:40000 → 10.0.0.2:port.
core::Timestamp establish(Tracker& t, core::Timestamp at, std::uint16_t port = 80) {
  using core::Duration;
  t.onPacket(test::tcp(at, "10.0.0.1", 40000, "10.0.0.2", port, kSyn, 100));
  t.onPacket(test::tcp(at + Duration::millis(1), "10.0.0.2", port, "10.0.0.1", 40000,
                       kSyn | kAck, 500, 101));
  t.onPacket(test::tcp(at + Duration::millis(2), "10.0.0.1", 40000, "10.0.0.2", port, kAck, 101,
                       501));
  t.onPacket(test::tcp(at + Duration::millis(3), "10.0.0.1", 40000, "10.0.0.2", port,
                       kAck | kPsh, 101, 501, 50));
  const core::Timestamp last = at + Duration::millis(4);
  t.onPacket(test::tcp(last, "10.0.0.2", port, "10.0.0.1", 40000, kAck | kPsh, 501, 151, 700));
  return last;
}

TEST(Expiry, TcpEstablishedFiveMinutes) {
  Fixture f;
  const auto last = establish(f.tracker, secs(1000), 5432);
  f.expectExpiresAfter(last, core::Duration::seconds(300), EndReason::IdleTimeout);
  EXPECT_EQ(f.sink.events.back().state, State::Established);
  EXPECT_EQ(f.tracker.counters().expired, 1u);
}

TEST(Expiry, TcpEstablishedOnWebPortsTenMinutes) {
  for (const std::uint16_t port : {80, 443, 8080, 8443}) {
    Fixture f;
    const auto last = establish(f.tracker, secs(1000), port);
    f.expectExpiresAfter(last, core::Duration::seconds(600), EndReason::IdleTimeout);
  }
}

TEST(Expiry, TcpHalfOpenSinglePacketGetsHalfOfSixtySeconds) {
  Fixture f;
  f.tracker.onPacket(test::tcp(secs(10), "10.0.0.1", 40000, "10.0.0.2", 80, kSyn));
  f.expectExpiresAfter(secs(10), core::Duration::seconds(30), EndReason::IdleTimeout);
}

TEST(Expiry, TcpSynRecvWithRetriesSixtySeconds) {
  Fixture f;
  for (int i = 0; i < 3; ++i) {
    f.tracker.onPacket(test::tcp(secs(10 + i), "10.0.0.9", 40000, "10.0.0.2", 80, kSyn, 7));
  }
  f.expectExpiresAfter(secs(12), core::Duration::seconds(60), EndReason::IdleTimeout);
}

TEST(Expiry, TcpClosedAfterResetFiveSecondsAsClosedWithoutGrace) {
  Fixture f;
  f.tracker.onPacket(test::tcp(secs(10), "10.0.0.1", 40000, "10.0.0.2", 80, kSyn, 1));
  f.tracker.onPacket(test::tcp(secs(10.001), "10.0.0.2", 80, "10.0.0.1", 40000, kRst | kAck, 0, 2));
  // Two packets would halve any other timeout; CLOSED keeps its 5 s.
  f.expectExpiresAfter(secs(10.001), core::Duration::seconds(5), EndReason::Closed);
  EXPECT_EQ(f.tracker.counters().closed, 1u);
}

TEST(Expiry, TcpTimeWaitThirtySecondsEvenWhenBusy) {
  Fixture f;
  auto t = establish(f.tracker, secs(0));
  for (int i = 0; i < 200; ++i) {  // a long, busy transfer
    t = t + core::Duration::millis(500);
    f.tracker.onPacket(test::tcp(t, "10.0.0.2", 80, "10.0.0.1", 40000, kAck | kPsh,
                                 static_cast<std::uint32_t>(1201 + i * 10), 151, 10));
  }
  const std::uint32_t remoteNext = 1201 + 200 * 10;
  t = t + core::Duration::millis(1);
  f.tracker.onPacket(test::tcp(t, "10.0.0.1", 40000, "10.0.0.2", 80, kFin | kAck, 151, remoteNext));
  t = t + core::Duration::millis(1);
  f.tracker.onPacket(test::tcp(t, "10.0.0.2", 80, "10.0.0.1", 40000, kFin | kAck, remoteNext, 152));
  ASSERT_EQ(test::only(f.tracker).state, State::TimeWait);
  f.expectExpiresAfter(t, core::Duration::seconds(30), EndReason::Closed);
}

TEST(Expiry, TcpLastAckSixtySecondsEndsAsClosed) {
  Fixture f;
  auto t = establish(f.tracker, secs(0));
  t = t + core::Duration::millis(1);
  f.tracker.onPacket(test::tcp(t, "10.0.0.2", 80, "10.0.0.1", 40000, kFin | kAck, 1201, 151));
  t = t + core::Duration::millis(1);
  f.tracker.onPacket(test::tcp(t, "10.0.0.1", 40000, "10.0.0.2", 80, kFin | kAck, 151, 1202));
  ASSERT_EQ(test::only(f.tracker).state, State::LastAck);
  // The final ACK never comes: both FINs were sent, so the protocol had ended.
  f.expectExpiresAfter(t, core::Duration::seconds(60), EndReason::Closed);
}

TEST(Expiry, BusyLongLivedConnectionGetsDoubleTimeout) {
  Fixture f;
  const auto last = f.udpExchange(secs(0), 120, core::Duration::millis(600));  // 71.4 s
  f.expectExpiresAfter(last, core::Duration::seconds(120), EndReason::IdleTimeout);
}

TEST(Expiry, ManyPacketsInAShortBurstGetNoGrace) {
  Fixture f;
  const auto last = f.udpExchange(secs(0), 150, core::Duration::millis(100));  // 14.9 s old
  f.expectExpiresAfter(last, core::Duration::seconds(60), EndReason::IdleTimeout);
}

TEST(Expiry, UdpSixtySeconds) {
  Fixture f;
  const auto last = f.udpExchange(secs(5), 3, core::Duration::seconds(1));
  f.expectExpiresAfter(last, core::Duration::seconds(60), EndReason::IdleTimeout);
}

TEST(Expiry, UdpSingleDatagramHalf) {
  Fixture f;
  const auto last = f.udpExchange(secs(5), 1, {});
  f.expectExpiresAfter(last, core::Duration::seconds(30), EndReason::IdleTimeout);
}

TEST(Expiry, IcmpTenSecondsAndPingPairHalf) {
  Fixture f;
  f.tracker.onPacket(test::icmp(secs(1), "10.0.0.1", "10.0.0.2", 8, 1));
  f.tracker.onPacket(test::icmp(secs(1.01), "10.0.0.2", "10.0.0.1", 0, 1));
  f.expectExpiresAfter(secs(1.01), core::Duration::seconds(5), EndReason::IdleTimeout);

  Fixture g;
  for (int i = 0; i < 3; ++i) g.tracker.onPacket(test::icmp(secs(1 + i), "10.0.0.1", "10.0.0.2", 8, 1));
  g.expectExpiresAfter(secs(3), core::Duration::seconds(10), EndReason::IdleTimeout);
}

TEST(Expiry, ArpThirtySeconds) {
  Fixture f;
  f.tracker.onPacket(test::arp(secs(1), 1, "10.0.0.1", "10.0.0.2"));
  f.tracker.onPacket(test::arp(secs(1.1), 2, "10.0.0.2", "10.0.0.1"));
  f.tracker.onPacket(test::arp(secs(2), 1, "10.0.0.1", "10.0.0.2"));
  f.expectExpiresAfter(secs(2), core::Duration::seconds(30), EndReason::IdleTimeout);
}

TEST(Expiry, OtherProtocolsSixtySeconds) {
  Fixture f;
  for (int i = 0; i < 3; ++i) {
    f.tracker.onPacket(test::ipPacket(secs(i), "10.0.0.1", "224.0.0.22", core::proto::kIgmp));
  }
  f.expectExpiresAfter(secs(2), core::Duration::seconds(60), EndReason::IdleTimeout);
}

TEST(Expiry, ConfiguredTimeoutsAndHintAreHonoured) {
  TrackerConfig cfg;
  cfg.timeouts.udp = core::Duration::seconds(20);
  Fixture f(cfg);
  const auto last = f.udpExchange(secs(0), 4, core::Duration::seconds(1));
  EXPECT_EQ(f.tracker.idleTimeout(test::only(f.tracker)), core::Duration::seconds(20));
  // Connection is move-only (it may own a DPI inspector): copy what the timeout reads.
  const Connection& live = test::only(f.tracker);
  Connection hinted;
  hinted.key = live.key;
  hinted.state = live.state;
  hinted.sent = live.sent;
  hinted.received = live.received;
  hinted.firstSeen = live.firstSeen;
  hinted.lastSeen = live.lastSeen;
  hinted.timeoutHint = core::Duration::seconds(45);
  EXPECT_EQ(f.tracker.idleTimeout(hinted), core::Duration::seconds(45));
  f.expectExpiresAfter(last, core::Duration::seconds(20), EndReason::IdleTimeout);
}

TEST(Expiry, SweepRunsAtMostOncePerSecondOfPacketTime) {
  Fixture f;
  f.tracker.onPacket(test::udp(secs(100.5), "10.0.0.1", 40000, "10.0.0.2", 53));  // 30 s timeout
  f.tracker.expire(secs(130.2));  // not yet idle for 30 s: sweeps second 130
  EXPECT_EQ(f.tracker.size(), 1u);
  f.tracker.expire(secs(130.9));  // idle > 30 s, but second 130 was already swept
  EXPECT_EQ(f.tracker.size(), 1u);
  f.tracker.expire(secs(131.0));
  EXPECT_EQ(f.tracker.size(), 0u);
}

TEST(Expiry, SweepOnlyRemovesWhatExpired) {
  Fixture f;
  f.tracker.onPacket(test::udp(secs(0), "10.0.0.1", 1, "10.0.0.2", 53));     // 30 s
  f.tracker.onPacket(test::icmp(secs(20), "10.0.0.1", "10.0.0.3", 8, 9));   // 5 s
  f.tracker.onPacket(test::udp(secs(24), "10.0.0.1", 2, "10.0.0.2", 53));    // 30 s
  f.tracker.expire(secs(26));
  EXPECT_EQ(f.tracker.size(), 2u);  // the ping went
  f.tracker.expire(secs(31));
  EXPECT_EQ(f.tracker.size(), 1u);  // then the first datagram
  EXPECT_NE(f.tracker.find(test::key(core::proto::kUdp, "10.0.0.1", 2, "10.0.0.2", 53)), nullptr);
}

TEST(Expiry, PacketAfterTimeoutStartsANewConnectionEvenBeforeASweep) {
  Fixture f;
  f.tracker.onPacket(test::udp(secs(0), "10.0.0.1", 40000, "10.0.0.2", 53));
  f.tracker.onPacket(test::udp(secs(31), "10.0.0.2", 53, "10.0.0.1", 40000));
  ASSERT_EQ(f.sink.events.size(), 3u);
  EXPECT_FALSE(f.sink.events[1].isNew);
  EXPECT_EQ(f.sink.events[1].reason, EndReason::IdleTimeout);
  EXPECT_EQ(f.sink.events[1].id, f.sink.events[0].id);
  EXPECT_TRUE(f.sink.events[2].isNew);
  EXPECT_EQ(test::only(f.tracker).firstSeen, secs(31));
}

TEST(Expiry, EndAllSaysClosedForEndedProtocolsAndForcedEndOtherwise) {
  Fixture f;
  establish(f.tracker, secs(0));
  f.tracker.onPacket(test::tcp(secs(1), "10.0.0.1", 40001, "10.0.0.2", 80, kSyn, 1));
  f.tracker.onPacket(test::tcp(secs(1), "10.0.0.2", 80, "10.0.0.1", 40001, kRst | kAck, 0, 2));
  f.tracker.onPacket(test::udp(secs(1), "10.0.0.1", 40000, "10.0.0.2", 53));
  f.sink.events.clear();
  f.tracker.endAll(secs(2));
  EXPECT_EQ(f.tracker.size(), 0u);
  ASSERT_EQ(f.sink.events.size(), 3u);
  int closed = 0;
  int forced = 0;
  for (const auto& e : f.sink.events) {
    EXPECT_EQ(e.when, secs(2));
    if (e.reason == EndReason::Closed) {
      ++closed;
      EXPECT_EQ(e.state, State::Closed);
    } else {
      EXPECT_EQ(e.reason, EndReason::ForcedEnd);
      ++forced;
    }
  }
  EXPECT_EQ(closed, 1);
  EXPECT_EQ(forced, 2);
  EXPECT_EQ(f.tracker.counters().forcedEnd, 2u);
  EXPECT_EQ(f.tracker.counters().closed, 1u);
}

TEST(Expiry, EndAllReportsAnOverdueConnectionAsIdle) {
  Fixture f;
  f.tracker.onPacket(test::udp(secs(0), "10.0.0.1", 40000, "10.0.0.2", 53));
  f.tracker.endAll(secs(40));  // 30 s timeout, no sweep ran
  ASSERT_EQ(f.sink.events.size(), 2u);
  EXPECT_EQ(f.sink.events[1].reason, EndReason::IdleTimeout);
  EXPECT_EQ(f.tracker.counters().expired, 1u);
}

TEST(Eviction, LeastRecentlyActiveGoesAtTheBound) {
  TrackerConfig cfg;
  cfg.maxConnections = 3;
  Fixture f(cfg);
  f.tracker.onPacket(test::udp(secs(1), "10.0.0.1", 1001, "10.0.0.2", 53));  // A
  f.tracker.onPacket(test::udp(secs(2), "10.0.0.1", 1002, "10.0.0.2", 53));  // B
  f.tracker.onPacket(test::udp(secs(3), "10.0.0.1", 1003, "10.0.0.2", 53));  // C
  f.tracker.onPacket(test::udp(secs(4), "10.0.0.2", 53, "10.0.0.1", 1001));  // A again
  const std::uint64_t idB = f.tracker.find(test::key(core::proto::kUdp, "10.0.0.1", 1002, "10.0.0.2", 53))->id;
  f.tracker.onPacket(test::udp(secs(5), "10.0.0.1", 1004, "10.0.0.2", 53));  // D
  EXPECT_EQ(f.tracker.size(), 3u);
  EXPECT_EQ(f.tracker.counters().evicted, 1u);
  EXPECT_EQ(f.tracker.find(test::key(core::proto::kUdp, "10.0.0.1", 1002, "10.0.0.2", 53)), nullptr);
  EXPECT_NE(f.tracker.find(test::key(core::proto::kUdp, "10.0.0.1", 1001, "10.0.0.2", 53)), nullptr);
  EXPECT_NE(f.tracker.find(test::key(core::proto::kUdp, "10.0.0.1", 1004, "10.0.0.2", 53)), nullptr);
  ASSERT_EQ(f.sink.events.size(), 5u);  // three new, B evicted, D new
  EXPECT_FALSE(f.sink.events[3].isNew);
  EXPECT_EQ(f.sink.events[3].id, idB);
  EXPECT_EQ(f.sink.events[3].reason, EndReason::Evicted);
  EXPECT_EQ(f.sink.events[3].when, secs(5));
  EXPECT_TRUE(f.sink.events[4].isNew);

  f.tracker.onPacket(test::udp(secs(6), "10.0.0.1", 1005, "10.0.0.2", 53));  // E evicts C
  EXPECT_EQ(f.tracker.find(test::key(core::proto::kUdp, "10.0.0.1", 1003, "10.0.0.2", 53)), nullptr);
  EXPECT_EQ(f.tracker.counters().evicted, 2u);
  EXPECT_EQ(f.tracker.counters().created, 5u);
}

}  // namespace
}  // namespace rustnet::track
