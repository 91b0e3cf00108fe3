// Every TCP state path of SPEC §2, packet by packet, with the events they produce.
#include <gtest/gtest.h>

#include <optional>

#include "track/tcp_state.h"
#include "track/tracker.h"
#include "track_test_util.h"

namespace rustnet::track {
namespace {

using decode::tcpflag::kAck;
using decode::tcpflag::kFin;
using decode::tcpflag::kPsh;
using decode::tcpflag::kRst;
using decode::tcpflag::kSyn;
using test::Event;

constexpr const char* kLocalIp = "10.0.0.1";
constexpr const char* kRemoteIp = "93.184.216.34";
constexpr std::uint16_t kLocalPort = 40000;
constexpr std::uint16_t kRemotePort = 443;

TrackerConfig liveConfig() {
  TrackerConfig cfg;
  cfg.localAddresses = {test::ip(kLocalIp)};
  return cfg;
}

// One conversation between a fixed local and remote endpoint. Each side keeps its next
// sequence number; a segment with ACK acknowledges everything the other side sent unless
// told otherwise. Packets are 10 ms apart.
class TcpScript {
public:
  explicit TcpScript(TrackerConfig cfg = liveConfig()) : tracker(std::move(cfg), sink) {}

  void local(std::uint8_t flags, std::uint32_t len = 0, std::optional<std::uint32_t> ack = {}) {
    send(true, flags, len, ack);
  }
  void remote(std::uint8_t flags, std::uint32_t len = 0, std::optional<std::uint32_t> ack = {}) {
    send(false, flags, len, ack);
  }
  [[nodiscard]] State state() const { return test::only(tracker).state; }
  [[nodiscard]] const Connection& conn() const { return test::only(tracker); }

  test::RecordingSink sink;
  Tracker tracker;
  std::uint32_t nextLocal = 1000;
  std::uint32_t nextRemote = 70000;
  core::Timestamp now = test::secs(1000);

private:
  void send(bool fromLocal, std::uint8_t flags, std::uint32_t len,
            std::optional<std::uint32_t> ack) {
    std::uint32_t& mine = fromLocal ? nextLocal : nextRemote;
    const std::uint32_t theirs = fromLocal ? nextRemote : nextLocal;
    const std::uint32_t ackNo = (flags & kAck) != 0 ? ack.value_or(theirs) : 0;
    now = now + core::Duration::millis(10);
    auto p = fromLocal ? test::tcp(now, kLocalIp, kLocalPort, kRemoteIp, kRemotePort, flags, mine,
                                   ackNo, len)
                       : test::tcp(now, kRemoteIp, kRemotePort, kLocalIp, kLocalPort, flags, mine,
                                   ackNo, len);
    tracker.onPacket(p);
    mine += len + ((flags & kSyn) != 0 ? 1 : 0) + ((flags & kFin) != 0 ? 1 : 0);
  }
};


void expectNew(const Event& e, State s) {
  EXPECT_TRUE(e.isNew);
  EXPECT_EQ(e.state, s) << stateName(e.state);
}

void expectClosed(const Event& e, State s, EndReason why) {
  EXPECT_FALSE(e.isNew);
  EXPECT_EQ(e.state, s) << stateName(e.state);
  EXPECT_EQ(e.reason, why) << endReasonName(e.reason);
}

TEST(TcpState, ActiveOpenLocalSynIsSynSentThenFinalAckEstablishes) {
  TcpScript t;
  t.local(kSyn);
  EXPECT_EQ(t.state(), State::SynSent);
  ASSERT_EQ(t.sink.events.size(), 1u);
  expectNew(t.sink.events[0], State::SynSent);
  t.remote(kSyn | kAck);
  EXPECT_EQ(t.state(), State::SynSent);  // waiting for the handshake's final ACK
  t.local(kAck);
  EXPECT_EQ(t.state(), State::Established);
  EXPECT_EQ(t.conn().tcp.handshakeRttNs, core::Duration::millis(20).ns);  // SYN → final ACK
  EXPECT_EQ(t.sink.events.size(), 1u);
}

TEST(TcpState, PassiveOpenRemoteSynIsSynRecvThenRemoteAckEstablishes) {
  TcpScript t;
  t.remote(kSyn);
  EXPECT_EQ(t.state(), State::SynRecv);
  expectNew(t.sink.events.at(0), State::SynRecv);
  t.local(kSyn | kAck);
  EXPECT_EQ(t.state(), State::SynRecv);
  t.remote(kAck);
  EXPECT_EQ(t.state(), State::Established);
  EXPECT_EQ(t.conn().tcp.handshakeRttNs, core::Duration::millis(20).ns);
}

TEST(TcpState, SynAckWithoutFinalAckGivesProvisionalRtt) {
  TcpScript t;
  t.local(kSyn);
  t.remote(kSyn | kAck);
  EXPECT_EQ(t.conn().tcp.handshakeRttNs, core::Duration::millis(10).ns);
  t.local(kRst);
  EXPECT_EQ(t.state(), State::Closed);
  EXPECT_EQ(t.conn().tcp.handshakeRttNs, core::Duration::millis(10).ns);
}

TEST(TcpState, FirstSeenMidStreamIsEstablished) {
  TcpScript t;
  t.remote(kAck | kPsh, 500);
  EXPECT_EQ(t.state(), State::Established);
  expectNew(t.sink.events.at(0), State::Established);
  EXPECT_NE(t.conn().tcp.flags & tcpseen::kMidStream, 0);
  EXPECT_EQ(t.conn().tcp.handshakeRttNs, 0);
}

TEST(TcpState, SimultaneousOpenGoesToSynRecv) {
  TcpScript t;
  t.local(kSyn);
  EXPECT_EQ(t.state(), State::SynSent);
  t.remote(kSyn);
  EXPECT_EQ(t.state(), State::SynRecv);
}

TEST(TcpState, DataFromServerAfterMissedFinalAckEstablishes) {
  TcpScript t;
  t.local(kSyn);
  t.remote(kSyn | kAck);
  t.remote(kAck | kPsh, 100);  // the client's ACK was not captured
  EXPECT_EQ(t.state(), State::Established);
}

// Brings a script to ESTABLISHED through a full handshake.
void establish(TcpScript& t) {
  t.local(kSyn);
  t.remote(kSyn | kAck);
  t.local(kAck);
  t.local(kAck | kPsh, 100);
  t.remote(kAck | kPsh, 1000);
  ASSERT_EQ(t.state(), State::Established);
}

TEST(TcpState, LocalCloseFinWait1FinWait2TimeWait) {
  TcpScript t;
  establish(t);
  t.local(kFin | kAck);
  EXPECT_EQ(t.state(), State::FinWait1);
  t.remote(kAck, 0, t.nextLocal - 1);  // acknowledges the data but not the FIN
  EXPECT_EQ(t.state(), State::FinWait1);
  t.remote(kAck);  // acknowledges the FIN
  EXPECT_EQ(t.state(), State::FinWait2);
  t.remote(kAck | kPsh, 200);  // the remote may still send
  EXPECT_EQ(t.state(), State::FinWait2);
  t.remote(kFin | kAck);
  EXPECT_EQ(t.state(), State::TimeWait);
  t.local(kAck);
  EXPECT_EQ(t.state(), State::TimeWait);
  EXPECT_EQ(t.sink.events.size(), 1u);  // no close event until it expires
}

TEST(TcpState, FinWait1StraightToTimeWaitOnFinThatAcksOurs) {
  TcpScript t;
  establish(t);
  t.local(kFin | kAck);
  t.remote(kFin | kAck);
  EXPECT_EQ(t.state(), State::TimeWait);
}

TEST(TcpState, BothFinsBeforeEitherAckedIsClosingThenTimeWait) {
  TcpScript t;
  establish(t);
  const std::uint32_t beforeLocalFin = t.nextLocal;
  t.local(kFin | kAck);
  EXPECT_EQ(t.state(), State::FinWait1);
  t.remote(kFin | kAck, 0, beforeLocalFin);  // crossed: does not cover the local FIN
  EXPECT_EQ(t.state(), State::Closing);
  t.local(kAck);  // acknowledging the remote FIN does not end CLOSING
  EXPECT_EQ(t.state(), State::Closing);
  t.remote(kAck);
  EXPECT_EQ(t.state(), State::TimeWait);
}

TEST(TcpState, CrossedFinsSeenRemoteFirstAlsoGoThroughClosing) {
  TcpScript t;
  establish(t);
  const std::uint32_t beforeRemoteFin = t.nextRemote;
  t.remote(kFin | kAck);
  EXPECT_EQ(t.state(), State::CloseWait);
  t.local(kFin | kAck, 0, beforeRemoteFin);
  EXPECT_EQ(t.state(), State::Closing);
  t.remote(kAck);
  EXPECT_EQ(t.state(), State::TimeWait);
}

TEST(TcpState, RemoteCloseCloseWaitLastAckClosed) {
  TcpScript t;
  establish(t);
  t.remote(kFin | kAck);
  EXPECT_EQ(t.state(), State::CloseWait);
  t.local(kAck);
  EXPECT_EQ(t.state(), State::CloseWait);
  t.local(kAck | kPsh, 300);  // the local side may still send
  EXPECT_EQ(t.state(), State::CloseWait);
  t.local(kFin | kAck);
  EXPECT_EQ(t.state(), State::LastAck);
  t.remote(kAck, 0, t.nextLocal - 1);
  EXPECT_EQ(t.state(), State::LastAck);
  t.remote(kAck);
  EXPECT_EQ(t.state(), State::Closed);
  EXPECT_EQ(t.sink.events.size(), 1u);
}

TEST(TcpState, LocalResetCloses) {
  TcpScript t;
  establish(t);
  t.local(kRst | kAck);
  EXPECT_EQ(t.state(), State::Closed);
}

TEST(TcpState, RemoteResetCloses) {
  TcpScript t;
  establish(t);
  t.remote(kRst);
  EXPECT_EQ(t.state(), State::Closed);
}

TEST(TcpState, ResetDuringHandshakeCloses) {
  TcpScript t;
  t.local(kSyn);
  t.remote(kRst | kAck);  // port closed
  EXPECT_EQ(t.state(), State::Closed);
}

TEST(TcpState, SegmentsAfterCloseKeepTheConnection) {
  TcpScript t;
  establish(t);
  t.local(kFin | kAck);
  t.remote(kFin | kAck);
  ASSERT_EQ(t.state(), State::TimeWait);
  t.remote(kFin | kAck);  // a retransmitted FIN: same connection, same state
  t.local(kAck);
  EXPECT_EQ(t.state(), State::TimeWait);
  EXPECT_EQ(t.tracker.counters().created, 1u);
  EXPECT_EQ(t.tracker.counters().tcpReused, 0u);
}

TEST(TcpState, SynOnTimeWaitTupleEndsItAndStartsANewConnection) {
  TcpScript t;
  establish(t);
  t.local(kFin | kAck);
  t.remote(kFin | kAck);
  t.local(kAck);
  ASSERT_EQ(t.state(), State::TimeWait);
  const std::uint64_t oldId = t.conn().id;
  t.nextLocal += 100000;  // a fresh initial sequence number
  t.local(kSyn);
  EXPECT_EQ(t.state(), State::SynSent);
  EXPECT_NE(t.conn().id, oldId);
  EXPECT_EQ(t.conn().totalPackets(), 1u);
  ASSERT_EQ(t.sink.events.size(), 3u);
  expectClosed(t.sink.events[1], State::TimeWait, EndReason::Closed);
  EXPECT_EQ(t.sink.events[1].id, oldId);
  expectNew(t.sink.events[2], State::SynSent);
  EXPECT_EQ(t.tracker.counters().tcpReused, 1u);
  EXPECT_EQ(t.tracker.counters().closed, 1u);
  EXPECT_EQ(t.tracker.size(), 1u);
}

TEST(TcpState, SynAfterResetStartsANewConnection) {
  TcpScript t;
  t.local(kSyn);
  t.remote(kRst | kAck);
  t.local(kSyn);  // the client retries
  EXPECT_EQ(t.state(), State::SynSent);
  ASSERT_EQ(t.sink.events.size(), 3u);
  expectClosed(t.sink.events[1], State::Closed, EndReason::Closed);
  EXPECT_EQ(t.tracker.counters().tcpReused, 1u);
}

TEST(TcpState, RetransmittedSynDoesNotStartANewConnection) {
  TcpScript t;
  t.local(kSyn);
  t.nextLocal -= 1;
  t.local(kSyn);
  EXPECT_EQ(t.state(), State::SynSent);
  EXPECT_EQ(t.tracker.counters().created, 1u);
  EXPECT_EQ(t.conn().sent.packets, 2u);
}

TEST(TcpState, CountsRetransmissionsButNotKeepAlives) {
  TcpScript t;
  establish(t);
  t.local(kAck | kPsh, 500);
  t.nextLocal -= 500;
  t.local(kAck | kPsh, 500);  // the same bytes again
  EXPECT_EQ(t.conn().tcp.retransmissions, 1u);
  t.local(kAck | kPsh, 500);  // new data
  EXPECT_EQ(t.conn().tcp.retransmissions, 1u);
  t.nextLocal -= 1;
  t.local(kAck, 1);  // keep-alive probe: one byte just below what was sent
  t.nextLocal -= 1;
  t.local(kAck, 0);  // and the zero-length kind
  EXPECT_EQ(t.conn().tcp.retransmissions, 1u);
  t.remote(kAck | kPsh, 100);
  t.nextRemote -= 100;
  t.remote(kAck | kPsh, 100);
  EXPECT_EQ(t.conn().tcp.retransmissions, 2u);
  EXPECT_EQ(t.tracker.counters().retransmissions, 2u);
}

TEST(TcpState, RetransmissionCheckSurvivesSequenceWrap) {
  TcpScript t;
  t.nextLocal = 0xffffff00u;
  establish(t);
  t.local(kAck | kPsh, 0x200);  // crosses 2^32
  EXPECT_LT(t.nextLocal, 0x1000u);
  t.local(kAck | kPsh, 100);
  EXPECT_EQ(t.conn().tcp.retransmissions, 0u);
  t.nextLocal -= 100;
  t.local(kAck | kPsh, 100);
  EXPECT_EQ(t.conn().tcp.retransmissions, 1u);
}

TEST(TcpState, FinAcknowledgementUsesSerialArithmetic) {
  TcpScript t;
  t.nextLocal = 0xfffffff0u;
  establish(t);  // local sent SYN and 100 bytes: the next sequence number has wrapped
  t.local(kFin | kAck);
  t.remote(kAck);
  EXPECT_EQ(t.state(), State::FinWait2);
}

TEST(TcpState, SerialComparisons) {
  EXPECT_TRUE(seqLess(1, 2));
  EXPECT_TRUE(seqLess(0xfffffff0u, 5));
  EXPECT_FALSE(seqLess(5, 0xfffffff0u));
  EXPECT_TRUE(seqLessEq(7, 7));
}

TEST(TcpState, OfflineSynSenderIsLocalEvenFromALowPort) {
  TcpScript t(TrackerConfig{});  // no local addresses
  t.remote(kSyn);                // "remote" here is only the script's name for 443
  const Connection& c = t.conn();
  EXPECT_EQ(c.state, State::SynSent);
  EXPECT_EQ(c.local().port, kRemotePort);
}

}  // namespace
}  // namespace rustnet::track
