// Rows, orientation, counters, rates and the per-protocol states of the Tracker.
#include <gtest/gtest.h>

#include "track/packet_key.h"
#include "track/services.h"
#include "track/tracker.h"
#include "track_test_util.h"

namespace rustnet::track {
namespace {

using decode::tcpflag::kAck;
using decode::tcpflag::kPsh;
using decode::tcpflag::kSyn;
using test::secs;

using Fixture = test::TrackerFixture;

std::vector<const Connection*> all(const Tracker& t) {
  std::vector<const Connection*> out;
  t.forEach([&](const Connection& c) { out.push_back(&c); });
  return out;
}

// --- orientation --------------------------------------------------------------------

TEST(Orientation, LiveLocalAddressDecidesEvenForAServerReplySeenFirst) {
  TrackerConfig cfg;
  cfg.localAddresses = {test::ip("192.168.1.10"), test::ip("fe80::1")};
  Fixture f(cfg);
  f.tracker.onPacket(test::tcp(secs(1), "192.168.1.10", 22, "203.0.113.5", 51000, kAck | kPsh, 1,
                               1, 40));
  const Connection& c = test::only(f.tracker);
  EXPECT_EQ(c.local().addr, test::ip("192.168.1.10"));
  EXPECT_EQ(c.local().port, 22);
  EXPECT_EQ(c.sent.packets, 1u);
}

TEST(Orientation, LiveReceiverIsLocalWhenOnlyTheDestinationIsOurs) {
  TrackerConfig cfg;
  cfg.localAddresses = {test::ip("192.168.1.10")};
  Fixture f(cfg);
  // A SYN from outside: offline rules would make its sender local.
  f.tracker.onPacket(test::tcp(secs(1), "203.0.113.5", 51000, "192.168.1.10", 22, kSyn));
  const Connection& c = test::only(f.tracker);
  EXPECT_EQ(c.local().addr, test::ip("192.168.1.10"));
  EXPECT_EQ(c.state, State::SynRecv);
  EXPECT_EQ(c.received.packets, 1u);
}

TEST(Orientation, BothEndsLocalFallsBackToProtocolRules) {
  TrackerConfig cfg;
  cfg.localAddresses = {test::ip("127.0.0.1")};
  Fixture f(cfg);
  f.tracker.onPacket(test::tcp(secs(1), "127.0.0.1", 8080, "127.0.0.1", 45000, kSyn | kAck));
  const Connection& c = test::only(f.tracker);
  EXPECT_EQ(c.local().port, 45000);  // the SYN-ACK's receiver
  EXPECT_EQ(c.state, State::SynSent);
}

TEST(Orientation, OfflineSynAckReceiverIsLocal) {
  Fixture f;
  f.tracker.onPacket(test::tcp(secs(1), "10.0.0.2", 80, "10.0.0.1", 33000, kSyn | kAck));
  EXPECT_EQ(test::only(f.tracker).local().addr, test::ip("10.0.0.1"));
}

TEST(Orientation, OfflineMidStreamHigherPortIsLocal) {
  Fixture f;
  f.tracker.onPacket(test::tcp(secs(1), "10.0.0.2", 443, "10.0.0.1", 50123, kAck, 5, 5, 100));
  const Connection& c = test::only(f.tracker);
  EXPECT_EQ(c.local().port, 50123);
  EXPECT_EQ(c.received.bytes, 154u);
}

TEST(Orientation, OfflineEqualPortsSenderOfFirstPacketIsLocal) {
  Fixture f;
  f.tracker.onPacket(test::udp(secs(1), "10.0.0.9", 123, "10.0.0.1", 123));
  EXPECT_EQ(test::only(f.tracker).local().addr, test::ip("10.0.0.9"));
}

TEST(Orientation, OfflineUdpHigherPortIsLocal) {
  Fixture f;
  f.tracker.onPacket(test::udp(secs(1), "8.8.8.8", 53, "10.0.0.1", 41000));
  const Connection& c = test::only(f.tracker);
  EXPECT_EQ(c.local().addr, test::ip("10.0.0.1"));
  EXPECT_EQ(c.remote().port, 53);
  EXPECT_EQ(connectionService(c), "domain");
}

TEST(Orientation, EchoRequesterIsLocalAndReplyFirstMakesTheReceiverLocal) {
  Fixture f;
  f.tracker.onPacket(test::icmp(secs(1), "10.0.0.1", "1.1.1.1", 8, 77));
  f.tracker.onPacket(test::icmp(secs(1), "9.9.9.9", "10.0.0.1", 0, 78));  // reply seen first
  const Connection* a = f.tracker.find(test::key(core::proto::kIcmp, "10.0.0.1", 77, "1.1.1.1", 77));
  const Connection* b = f.tracker.find(test::key(core::proto::kIcmp, "10.0.0.1", 78, "9.9.9.9", 78));
  ASSERT_NE(a, nullptr);
  ASSERT_NE(b, nullptr);
  EXPECT_EQ(a->local().addr, test::ip("10.0.0.1"));
  EXPECT_EQ(b->local().addr, test::ip("10.0.0.1"));
}

TEST(Orientation, IcmpErrorReceiverIsLocal) {
  Fixture f;
  f.tracker.onPacket(test::icmp(secs(1), "10.0.0.254", "10.0.0.1", 11));  // time exceeded
  EXPECT_EQ(test::only(f.tracker).local().addr, test::ip("10.0.0.1"));
}

TEST(Orientation, ArpRequesterIsLocalAndReplyFirstMakesTheReceiverLocal) {
  Fixture f;
  f.tracker.onPacket(test::arp(secs(1), 1, "10.0.0.1", "10.0.0.2"));
  f.tracker.onPacket(test::arp(secs(1), 2, "10.0.0.3", "10.0.0.1"));
  const Connection* a = f.tracker.find(test::key(core::proto::kArp, "10.0.0.1", 0, "10.0.0.2", 0));
  const Connection* b = f.tracker.find(test::key(core::proto::kArp, "10.0.0.1", 0, "10.0.0.3", 0));
  ASSERT_NE(a, nullptr);
  ASSERT_NE(b, nullptr);
  EXPECT_EQ(a->local().addr, test::ip("10.0.0.1"));
  EXPECT_EQ(b->local().addr, test::ip("10.0.0.1"));
}

// --- rows and states ----------------------------------------------------------------

TEST(Rows, BothDirectionsShareOneRowWithCountsEachWay) {
  Fixture f;
  f.tracker.onPacket(test::udp(secs(1), "10.0.0.1", 40000, "10.0.0.2", 53, 80));
  f.tracker.onPacket(test::udp(secs(1.1), "10.0.0.2", 53, "10.0.0.1", 40000, 200));
  f.tracker.onPacket(test::udp(secs(1.2), "10.0.0.1", 40000, "10.0.0.2", 53, 90));
  const Connection& c = test::only(f.tracker);
  EXPECT_EQ(c.sent.packets, 2u);
  EXPECT_EQ(c.sent.bytes, 170u);
  EXPECT_EQ(c.received.packets, 1u);
  EXPECT_EQ(c.received.bytes, 200u);
  EXPECT_EQ(c.firstSeen, secs(1));
  EXPECT_EQ(c.lastSeen, secs(1.2));
  EXPECT_EQ(f.tracker.counters().packets, 3u);
  EXPECT_EQ(f.tracker.counters().tracked, 3u);
  EXPECT_EQ(f.tracker.counters().created, 1u);
}

TEST(Rows, RatesEachWayOverTheWindow) {
  Fixture f;
  core::ManualClock clock(secs(100));
  for (int i = 0; i < 10; ++i) {
    f.tracker.onPacket(test::udp(clock.now(), "10.0.0.1", 40000, "10.0.0.2", 9000, 1000));
    clock.advance(core::Duration::millis(100));
  }
  f.tracker.onPacket(test::udp(clock.now(), "10.0.0.2", 9000, "10.0.0.1", 40000, 400));
  const Connection& c = test::only(f.tracker);
  // 10 kB sent and 400 B received within the 4 s window.
  EXPECT_DOUBLE_EQ(c.rateOut.bytesPerSecond(clock.now()), 10000.0 / 4.0);
  EXPECT_DOUBLE_EQ(c.rateIn.bytesPerSecond(clock.now()), 400.0 / 4.0);
  clock.advance(core::Duration::seconds(5));
  EXPECT_DOUBLE_EQ(c.rateOut.bytesPerSecond(clock.now()), 0.0);
  EXPECT_DOUBLE_EQ(c.rateIn.bytesPerSecond(clock.now()), 0.0);
}

TEST(Rows, UdpStateByTimeSinceLastPacket) {
  Fixture f;
  core::ManualClock clock(secs(50));
  f.tracker.onPacket(test::udp(clock.now(), "10.0.0.1", 40000, "10.0.0.2", 5000));
  const Connection& c = test::only(f.tracker);
  EXPECT_EQ(f.tracker.displayState(c, clock.now()), State::UdpActive);
  clock.advance(core::Duration::millis(9999));
  EXPECT_EQ(f.tracker.displayState(c, clock.now()), State::UdpActive);
  clock.advance(core::Duration::millis(1));
  EXPECT_EQ(f.tracker.displayState(c, clock.now()), State::UdpIdle);
  clock.advance(core::Duration::seconds(20));
  EXPECT_EQ(f.tracker.displayState(c, clock.now()), State::UdpStale);
  EXPECT_EQ(stateName(f.tracker.displayState(c, clock.now())), "UDP_STALE");
  f.tracker.onPacket(test::udp(clock.now(), "10.0.0.2", 5000, "10.0.0.1", 40000));
  EXPECT_EQ(f.tracker.displayState(c, clock.now()), State::UdpActive);
}

TEST(Rows, EchoRowsKeyedByIdentifierWithLastMessageAsState) {
  Fixture f;
  f.tracker.onPacket(test::icmp(secs(1), "10.0.0.1", "1.1.1.1", 8, 0x1234));
  const Connection* c = f.tracker.find(test::key(core::proto::kIcmp, "10.0.0.1", 0x1234, "1.1.1.1", 0x1234));
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->state, State::EchoRequest);
  f.tracker.onPacket(test::icmp(secs(1.01), "1.1.1.1", "10.0.0.1", 0, 0x1234));
  EXPECT_EQ(c->state, State::EchoReply);
  EXPECT_EQ(c->sent.packets, 1u);
  EXPECT_EQ(c->received.packets, 1u);
  f.tracker.onPacket(test::icmp(secs(2), "10.0.0.1", "1.1.1.1", 8, 0x9999));  // another ping
  EXPECT_EQ(f.tracker.size(), 2u);
  EXPECT_EQ(connectionService(*c), "");  // identifiers are not ports
}

TEST(Rows, Icmpv6EchoAndOtherTypesWithReadableNames) {
  Fixture f;
  f.tracker.onPacket(test::icmp(secs(1), "2001:db8::1", "2001:db8::2", 128, 5));
  f.tracker.onPacket(test::icmp(secs(1), "2001:db8::2", "2001:db8::1", 129, 5));
  f.tracker.onPacket(test::icmp(secs(1), "fe80::1", "ff02::1:ff00:2", 135));
  ASSERT_EQ(f.tracker.size(), 2u);
  const Connection* echo =
      f.tracker.find(test::key(core::proto::kIcmpv6, "2001:db8::1", 5, "2001:db8::2", 5));
  ASSERT_NE(echo, nullptr);
  EXPECT_EQ(stateLabel(*echo, echo->state), "ECHO_REPLY");
  const Connection* ns =
      f.tracker.find(test::key(core::proto::kIcmpv6, "fe80::1", 0, "ff02::1:ff00:2", 0));
  ASSERT_NE(ns, nullptr);
  EXPECT_EQ(ns->state, State::IcmpOther);
  EXPECT_EQ(stateLabel(*ns, ns->state), "NEIGHBOR_SOLICITATION");
}

TEST(Rows, OtherIcmpKeyedByAddressPairLabelledByLastType) {
  Fixture f;
  f.tracker.onPacket(test::icmp(secs(1), "10.0.0.254", "10.0.0.1", 3, 0, 1));
  f.tracker.onPacket(test::icmp(secs(2), "10.0.0.254", "10.0.0.1", 11));
  const Connection& c = test::only(f.tracker);
  EXPECT_EQ(c.state, State::IcmpOther);
  EXPECT_EQ(c.local().port, 0);
  EXPECT_EQ(c.received.packets, 2u);
  EXPECT_EQ(stateLabel(c, c.state), "TIME_EXCEEDED");
  EXPECT_EQ(icmpTypeName(core::proto::kIcmp, 3), "DEST_UNREACHABLE");
  EXPECT_EQ(icmpTypeName(core::proto::kIcmp, 9), "ROUTER_ADVERTISEMENT");
  EXPECT_EQ(icmpTypeName(core::proto::kIcmp, 200), "");
  Connection unknown;  // Connection is move-only (it may own a DPI inspector)
  unknown.key = c.key;
  unknown.icmpType = 200;
  EXPECT_EQ(stateLabel(unknown, State::IcmpOther), "ICMP");
}

TEST(Rows, ArpRowByAddressPair) {
  Fixture f;
  f.tracker.onPacket(test::arp(secs(1), 1, "10.0.0.1", "10.0.0.2"));
  const Connection& c = test::only(f.tracker);
  EXPECT_EQ(c.proto(), core::proto::kArp);
  EXPECT_EQ(c.state, State::ArpRequest);
  f.tracker.onPacket(test::arp(secs(1.001), 2, "10.0.0.2", "10.0.0.1"));
  EXPECT_EQ(f.tracker.size(), 1u);
  EXPECT_EQ(c.state, State::ArpReply);
  EXPECT_EQ(c.sent.packets, 1u);
  EXPECT_EQ(c.received.packets, 1u);
  EXPECT_EQ(stateName(c.state), "ARP_REPLY");
}

TEST(Rows, ArpWithUnknownOpcodeIsUntracked) {
  Fixture f;
  f.tracker.onPacket(test::arp(secs(1), 3, "10.0.0.1", "10.0.0.2"));
  EXPECT_EQ(f.tracker.size(), 0u);
  EXPECT_EQ(f.tracker.counters().untracked, 1u);
}

TEST(Rows, IgmpAndOtherProtocolsAreActiveAddressPairs) {
  Fixture f;
  f.tracker.onPacket(test::ipPacket(secs(1), "10.0.0.1", "224.0.0.22", core::proto::kIgmp));
  f.tracker.onPacket(test::ipPacket(secs(1), "10.0.0.1", "10.9.9.9", 47));  // GRE
  ASSERT_EQ(f.tracker.size(), 2u);
  for (const Connection* c : all(f.tracker)) {
    EXPECT_EQ(c->state, State::Active);
    EXPECT_EQ(c->local().port, 0);
  }
  EXPECT_NE(f.tracker.find(test::key(core::proto::kIgmp, "10.0.0.1", 0, "224.0.0.22", 0)), nullptr);
}

TEST(Rows, LoopbackIgnoredOnlyWhenAsked) {
  TrackerConfig cfg;
  cfg.ignoreLoopback = true;
  Fixture f(cfg);
  f.tracker.onPacket(test::udp(secs(1), "127.0.0.1", 5000, "127.0.0.53", 53));
  f.tracker.onPacket(test::tcp(secs(1), "::1", 5000, "::1", 6000, kSyn));
  f.tracker.onPacket(test::udp(secs(1), "127.0.0.1", 5000, "10.0.0.1", 53));  // one end only
  EXPECT_EQ(f.tracker.counters().ignoredLoopback, 2u);
  EXPECT_EQ(f.tracker.counters().packets, 3u);
  EXPECT_EQ(f.tracker.size(), 1u);

  Fixture keep;
  keep.tracker.onPacket(test::udp(secs(1), "127.0.0.1", 5000, "127.0.0.53", 53));
  EXPECT_EQ(keep.tracker.size(), 1u);
  EXPECT_EQ(keep.tracker.counters().ignoredLoopback, 0u);
}

TEST(Rows, UntrackedPackets) {
  Fixture f;
  decode::PacketView none;
  f.tracker.onPacket(none);
  auto frag = test::udp(secs(1), "10.0.0.1", 0, "10.0.0.2", 0);
  frag.fragmented = true;
  f.tracker.onPacket(frag, decode::Status::Fragment);
  f.tracker.onPacket(frag, decode::Status::Malformed);
  EXPECT_EQ(f.tracker.size(), 0u);
  EXPECT_EQ(f.tracker.counters().packets, 3u);
  EXPECT_EQ(f.tracker.counters().untracked, 2u);
  EXPECT_EQ(f.tracker.counters().tracked, 0u);
  f.tracker.onPacket(test::udp(secs(1), "10.0.0.1", 1000, "10.0.0.2", 2000), decode::Status::Ok);
  EXPECT_EQ(f.tracker.size(), 1u);
}

TEST(Rows, IdsFollowBaseAndStride) {
  TrackerConfig cfg;
  cfg.idBase = 3;
  cfg.idStride = 4;
  Fixture f(cfg);
  for (std::uint16_t port = 1000; port < 1003; ++port) {
    f.tracker.onPacket(test::udp(secs(1), "10.0.0.1", port, "10.0.0.2", 53));
  }
  ASSERT_EQ(f.sink.events.size(), 3u);
  EXPECT_EQ(f.sink.events[0].id, 3u);
  EXPECT_EQ(f.sink.events[1].id, 7u);
  EXPECT_EQ(f.sink.events[2].id, 11u);
  EXPECT_EQ(f.sink.events[0].packets, 1u);  // onNew comes after the first packet is counted
}

TEST(Names, StatesAndReasons) {
  EXPECT_EQ(stateName(State::SynSent), "SYN_SENT");
  EXPECT_EQ(stateName(State::SynRecv), "SYN_RECV");
  EXPECT_EQ(stateName(State::FinWait1), "FIN_WAIT1");
  EXPECT_EQ(stateName(State::FinWait2), "FIN_WAIT2");
  EXPECT_EQ(stateName(State::TimeWait), "TIME_WAIT");
  EXPECT_EQ(stateName(State::CloseWait), "CLOSE_WAIT");
  EXPECT_EQ(stateName(State::LastAck), "LAST_ACK");
  EXPECT_EQ(stateName(State::Closing), "CLOSING");
  EXPECT_EQ(stateName(State::Closed), "CLOSED");
  EXPECT_EQ(stateName(State::UdpIdle), "UDP_IDLE");
  EXPECT_EQ(stateName(State::EchoRequest), "ECHO_REQUEST");
  EXPECT_EQ(stateName(State::ArpRequest), "ARP_REQUEST");
  EXPECT_EQ(endReasonName(EndReason::IdleTimeout), "idle_timeout");
  EXPECT_EQ(endReasonName(EndReason::Evicted), "evicted");
  EXPECT_EQ(endReasonName(EndReason::ForcedEnd), "forced_end");
  EXPECT_EQ(endReasonName(EndReason::Closed), "closed");
}

// --- services -----------------------------------------------------------------------

TEST(Services, LookupByProtocolAndPort) {
  EXPECT_EQ(serviceName(core::proto::kTcp, 22), "ssh");
  EXPECT_EQ(serviceName(core::proto::kTcp, 443), "https");
  EXPECT_EQ(serviceName(core::proto::kUdp, 443), "https");
  EXPECT_EQ(serviceName(core::proto::kUdp, 53), "domain");
  EXPECT_EQ(serviceName(core::proto::kTcp, 853), "domain-s");
  EXPECT_EQ(serviceName(core::proto::kUdp, 5353), "mdns");
  EXPECT_EQ(serviceName(core::proto::kUdp, 5355), "llmnr");
  EXPECT_EQ(serviceName(core::proto::kUdp, 67), "bootps");
  EXPECT_EQ(serviceName(core::proto::kTcp, 67), "");  // UDP only
  EXPECT_EQ(serviceName(core::proto::kTcp, 0), "");
  EXPECT_EQ(serviceName(core::proto::kTcp, 65535), "");
  EXPECT_EQ(serviceName(core::proto::kIcmp, 80), "");
}

TEST(Services, RemotePortFirstThenLocal) {
  Fixture f;
  f.tracker.onPacket(test::tcp(secs(1), "10.0.0.1", 53, "10.0.0.2", 443, kSyn));
  EXPECT_EQ(connectionService(test::only(f.tracker)), "https");

  TrackerConfig cfg;
  cfg.localAddresses = {test::ip("10.0.0.1")};
  Fixture server(cfg);
  server.tracker.onPacket(test::tcp(secs(1), "10.0.0.9", 50001, "10.0.0.1", 22, kSyn));
  EXPECT_EQ(connectionService(test::only(server.tracker)), "ssh");

  Fixture none;
  none.tracker.onPacket(test::udp(secs(1), "10.0.0.1", 40001, "10.0.0.2", 40002));
  EXPECT_EQ(connectionService(test::only(none.tracker)), "");
}

}  // namespace
}  // namespace rustnet::track
