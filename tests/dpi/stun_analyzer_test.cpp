// The STUN analyzer driven through an Inspector: RFC 5769's sample messages, classic
// RFC 3489, TURN's Allocate exchange, TCP split and coalesced, hostile lengths, and
// payloads that are not STUN.
#include "dpi/stun/stun_analyzer.h"

#include <gtest/gtest.h>

#include <string>

#include "core/text.h"
#include "dpi/facts.h"
#include "dpi/stun/stun_facts.h"
#include "dpi/stun/stun_message.h"
#include "dpi_test_util.h"
#include "stun_builders.h"

namespace rustnet::test {
namespace {

using stun::Message;
using stun::Txid;

constexpr Txid kTx1{0xb7, 0xe7, 0xa7, 0x01, 0xbc, 0x34, 0xd6, 0x86, 0xfa, 0x87, 0xdf, 0xae};
constexpr Txid kTx2{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
constexpr std::uint16_t kSoftware = 0x8022;
constexpr std::uint16_t kUsername = 0x0006;
constexpr std::uint16_t kRealm = 0x0014;
constexpr std::uint16_t kNonce = 0x0015;

const dpi::StunFacts& stunOf(const Conversation& c) {
  EXPECT_EQ(c.facts().proto(), &dpi::stun::kStun);
  const auto* s = c.facts().find<dpi::StunFacts>();
  if (s == nullptr) {
    ADD_FAILURE() << "no STUN facts";
    static const dpi::StunFacts kNone;
    return kNone;
  }
  return *s;
}

std::string hexOf(const dpi::StunFacts& s) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string h;
  for (std::size_t i = 0; i < s.transactionIdLen; ++i) {
    h += kHex[s.transactionId[i] >> 4];
    h += kHex[s.transactionId[i] & 0xf];
  }
  return h;
}

void expectRfc5769Exchange(const Conversation& c) {
  const auto& s = stunOf(c);
  EXPECT_EQ(dpi::stun::stunTypeName(s.type), "Binding Request");
  EXPECT_EQ(hexOf(s), "b7e7a701bc34d686fa87dfae");
  EXPECT_FALSE(s.classic);
  EXPECT_TRUE(s.responseSeen);
  EXPECT_EQ(dpi::stun::stunTypeName(s.responseType), "Binding Success Response");
  EXPECT_EQ(s.software, "STUN test client");
  EXPECT_EQ(s.serverSoftware, "test vector");
  EXPECT_EQ(s.username, "evtj:h6vY");
  EXPECT_FALSE(s.mapped.seen);
  ASSERT_TRUE(s.xorMapped.seen);
  EXPECT_EQ(s.xorMapped.addr.toString(), "192.0.2.1");
  EXPECT_EQ(s.xorMapped.port, 32853);
  EXPECT_TRUE(c.inspector().finished());  // a success response ends inspection
}

TEST(StunAnalyzer, Rfc5769RequestAndIpv4ResponseOverUdp) {
  Conversation c(udpFlow(40000, 19302));
  c.send(out(stun::rfc5769Request()));
  EXPECT_EQ(c.facts().proto(), &dpi::stun::kStun);
  EXPECT_FALSE(c.inspector().finished());
  EXPECT_FALSE(stunOf(c).responseSeen);
  c.send(in(stun::rfc5769ResponseV4()));
  expectRfc5769Exchange(c);
  EXPECT_EQ(c.facts().summary(), "STUN (test vector)");
  EXPECT_EQ(c.counters().hitsFor(&dpi::stun::kStun), 1u);
  EXPECT_EQ(c.counters().malformed, 0u);
}

TEST(StunAnalyzer, XorMappedIpv6IsUnXoredWithCookieAndTransactionId) {
  Conversation c(udpFlow(40000, 3478));
  c.send(out(stun::rfc5769Request()));
  c.send(in(stun::rfc5769ResponseV6()));
  const auto& s = stunOf(c);
  ASSERT_TRUE(s.xorMapped.seen);
  EXPECT_FALSE(s.xorMapped.addr.isV4());
  EXPECT_EQ(s.xorMapped.addr.toString(), "2001:db8:1234:5678:11:2233:4455:6677");
  EXPECT_EQ(s.xorMapped.port, 32853);
}

TEST(StunAnalyzer, ResponseWithoutItsRequest) {
  Conversation c(udpFlow(3478, 50000));
  c.send(in(stun::rfc5769ResponseV4()));
  const auto& s = stunOf(c);
  EXPECT_EQ(dpi::stun::stunTypeName(s.type), "Binding Success Response");
  EXPECT_TRUE(s.responseSeen);
  EXPECT_EQ(s.xorMapped.addr.toString(), "192.0.2.1");
  EXPECT_TRUE(c.inspector().finished());
}

// RFC 3489: no cookie, a 16-byte transaction ID, MAPPED-ADDRESS in the clear, attribute
// SOURCE-ADDRESS (0x0004) and CHANGED-ADDRESS (0x0005) beside it.
std::vector<Msg> classicExchange() {
  const stun::ClassicTxid id{0xde, 0xad, 0xbe, 0xef, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
  const auto req = Message(stun::kBindingRequest, id).attr(0x0003, {0, 0, 0, 0}).build();
  const auto resp = Message(stun::kBindingSuccess, id)
                        .address4(0x0001, {198, 51, 100, 7}, 40001)
                        .address4(0x0004, {203, 0, 113, 1}, 3478)
                        .address4(0x0005, {203, 0, 113, 2}, 3479)
                        .build();
  return {out(req), in(resp)};
}

TEST(StunAnalyzer, ClassicRfc3489OnPort3478) {
  Conversation c(udpFlow(40000, 3478));
  c.sendAll(classicExchange());
  const auto& s = stunOf(c);
  EXPECT_TRUE(s.classic);
  EXPECT_EQ(hexOf(s), "deadbeef0102030405060708090a0b0c");
  EXPECT_EQ(dpi::stun::stunTypeName(s.responseType), "Binding Success Response");
  ASSERT_TRUE(s.mapped.seen);
  EXPECT_EQ(s.mapped.addr.toString(), "198.51.100.7");
  EXPECT_EQ(s.mapped.port, 40001);
  EXPECT_FALSE(s.xorMapped.seen);
  EXPECT_TRUE(c.inspector().finished());
}

TEST(StunAnalyzer, ClassicWithoutCookieIsNotBelievedOffItsPort) {
  Conversation c(udpFlow(40000, 5000));
  c.sendAll(classicExchange());
  EXPECT_EQ(c.facts().proto(), nullptr);
  EXPECT_EQ(c.facts().find<dpi::StunFacts>(), nullptr);
}

// TURN (RFC 8656): the first Allocate is refused with 401 and a realm and nonce; the second,
// with credentials, succeeds and brings the mapped address.
std::vector<Msg> turnAllocate() {
  const std::vector<std::uint8_t> udpTransport{17, 0, 0, 0};
  return {
      out(Message(stun::kAllocateRequest, kTx1).attr(0x0019, udpTransport).text(kSoftware, "Chrome WebRTC").build()),
      in(Message(stun::kAllocateError, kTx1)
             .errorCode(401, "Unauthorized")
             .text(kRealm, "turn.example.org")
             .text(kNonce, "abcdef0123456789")
             .text(kSoftware, "Coturn-4.6.2 'Gorst'")
             .build()),
      out(Message(stun::kAllocateRequest, kTx2)
              .attr(0x0019, udpTransport)
              .text(kUsername, "1700000000:alice")
              .text(kRealm, "turn.example.org")
              .text(kNonce, "abcdef0123456789")
              .build()),
      in(Message(stun::kAllocateSuccess, kTx2)
             .address4(0x0016, {0xea, 0x12, 0xd5, 0x4b}, 0x7142)  // XOR-RELAYED-ADDRESS: not read
             .xorAddress4({198, 51, 100, 20}, 61000)
             .build()),
  };
}

void expectTurn(const Conversation& c) {
  const auto& s = stunOf(c);
  EXPECT_EQ(dpi::stun::stunTypeName(s.type), "Allocate Request");
  EXPECT_EQ(dpi::stun::stunTypeName(s.responseType), "Allocate Error Response");
  EXPECT_EQ(s.errorCode, 401);
  EXPECT_EQ(s.realm, "turn.example.org");
  EXPECT_EQ(s.username, "1700000000:alice");
  EXPECT_EQ(s.software, "Chrome WebRTC");
  EXPECT_EQ(s.serverSoftware, "Coturn-4.6.2 'Gorst'");
  ASSERT_TRUE(s.xorMapped.seen);
  EXPECT_EQ(s.xorMapped.addr.toString(), "198.51.100.20");
  EXPECT_EQ(s.xorMapped.port, 61000);
  EXPECT_TRUE(c.inspector().finished());
}

TEST(StunAnalyzer, TurnAllocateRefusedThenAccepted) {
  Conversation c(udpFlow(40000, 3478));
  const auto msgs = turnAllocate();
  c.sendAll({msgs[0], msgs[1]});
  EXPECT_FALSE(c.inspector().finished());  // an error response: the retry is awaited
  c.sendAll({msgs[2], msgs[3]});
  expectTurn(c);
  EXPECT_EQ(c.facts().summary(), "STUN (Coturn-4.6.2 'Gorst')");
}

TEST(StunAnalyzer, StopsAfterMaxMessagesWithoutSuccess) {
  Conversation c(udpFlow(40000, 3478));
  for (std::size_t i = 0; i < dpi::stun::kMaxStunMessages; ++i) {
    EXPECT_FALSE(c.inspector().finished()) << i;
    c.send(out(Message(stun::kSendIndication, kTx2).attr(0x0013, {1, 2, 3, 4}).build()));
  }
  EXPECT_TRUE(c.inspector().finished());
  EXPECT_EQ(dpi::stun::stunTypeName(stunOf(c).type), "Send Indication");
  EXPECT_FALSE(stunOf(c).responseSeen);
  EXPECT_EQ(c.counters().capHits(dpi::Cap::InspectedPackets), 0u);
}

TEST(StunAnalyzer, OtherProtocolsOnTheSamePortsArePassedOver) {
  // ICE multiplexes DTLS and RTP with STUN (RFC 7983): they do not end or break it.
  Conversation c(udpFlow(40000, 50000));
  c.send(out(stun::rfc5769Request()));
  c.send(out({0x16, 0xfe, 0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10}));  // DTLS record start
  c.send(in({0x80, 0x60, 0x12, 0x34, 0, 0, 0, 1, 0, 0, 0, 2}));      // RTP header
  EXPECT_FALSE(c.inspector().finished());
  c.send(in(stun::rfc5769ResponseV4()));
  expectRfc5769Exchange(c);
  EXPECT_EQ(c.counters().malformed, 0u);
}

TEST(StunAnalyzer, UnknownMethodIsNamedByNumber) {
  // method bits M11-M0 and class bits C1 C0 interleave: 0x0113 is method 3, class 3.
  EXPECT_EQ(dpi::stun::stunTypeName(0x0113), "Allocate Error Response");
  EXPECT_EQ(dpi::stun::stunTypeName(0x0011), "Binding Indication");
  EXPECT_EQ(dpi::stun::stunTypeName(0x3fef), "0xfff Success Response");
  EXPECT_EQ(dpi::stun::stunTypeName(0x0080), "0x040 Request");
}

// --- TCP ---

TEST(StunAnalyzerTcp, ExchangeSplitAtEveryOffset) {
  const std::vector<Msg> msgs{out(stun::rfc5769Request()), in(stun::rfc5769ResponseV4())};
  for (std::size_t index = 0; index < msgs.size(); ++index) {
    for (std::size_t at = 1; at < msgs[index].bytes.size(); ++at) {
      SCOPED_TRACE("message " + std::to_string(index) + " split at " + std::to_string(at));
      Conversation c(tcpFlow(40000, 3478));
      c.sendAllSplitting(msgs, index, at);
      expectRfc5769Exchange(c);
    }
  }
}

TEST(StunAnalyzerTcp, TwoMessagesCoalescedEachWay) {
  const auto m = turnAllocate();
  Conversation c(tcpFlow(40000, 3478));
  c.send(out(concat(m[0].bytes, m[2].bytes)));
  c.send(in(concat(m[1].bytes, m[3].bytes)));
  expectTurn(c);
}

TEST(StunAnalyzerTcp, CoalescedMessagesSplitAtEveryOffset) {
  const auto m = turnAllocate();
  const Payload both = concat(m[1].bytes, m[3].bytes);
  for (std::size_t at = 1; at < both.size(); ++at) {
    SCOPED_TRACE("split at " + std::to_string(at));
    Conversation c(tcpFlow(40000, 3478));
    c.send(out(concat(m[0].bytes, m[2].bytes)));
    c.sendSplit(in(both), at);
    expectTurn(c);
  }
}

TEST(StunAnalyzerTcp, RetransmissionsAndChannelDataAreSkipped) {
  Conversation c(tcpFlow(40000, 3478));
  const auto req = stun::rfc5769Request();
  c.send(out(req));
  c.resend(dpi::Direction::Outbound, req, static_cast<std::uint32_t>(req.size()));
  // TURN ChannelData on channel 0x4001: 5 bytes of data padded to 8 over TCP.
  c.send(out({0x40, 0x01, 0x00, 0x05, 'h', 'e', 'l', 'l', 'o', 0, 0, 0}));
  c.send(in(stun::rfc5769ResponseV4()));
  expectRfc5769Exchange(c);
  EXPECT_EQ(c.counters().malformed, 0u);
}

TEST(StunAnalyzerTcp, HugeDeclaredLengthIsReadAsFarAsKeptThenInspectionStops) {
  // A 64 KiB message: its SOFTWARE is in the kept part, USERNAME lies beyond it.
  Message big(stun::kBindingRequest, kTx1);
  big.text(kSoftware, "big client").attr(0x8030, std::vector<std::uint8_t>(60000, 'x')).text(kUsername, "late");
  Conversation c(tcpFlow(40000, 3478));
  const auto bytes = big.build();
  for (std::size_t off = 0; off < bytes.size(); off += 1400) {
    c.send(out(Payload(bytes.begin() + static_cast<std::ptrdiff_t>(off),
                       bytes.begin() + static_cast<std::ptrdiff_t>(std::min(off + 1400, bytes.size())))));
    if (c.inspector().finished()) break;
  }
  const auto& s = stunOf(c);
  EXPECT_EQ(s.software, "big client");
  EXPECT_TRUE(s.username.empty());
  EXPECT_TRUE(c.inspector().finished());
  EXPECT_EQ(c.counters().malformed, 0u);
}

TEST(StunAnalyzerTcp, NotStunAfterAMessageBreaksTheStream) {
  Conversation c(tcpFlow(40000, 3478));
  c.send(out(concat(stun::rfc5769Request(), bytesOf("SSH-2.0-OpenSSH_9.2\r\n"))));
  EXPECT_EQ(stunOf(c).software, "STUN test client");
  EXPECT_TRUE(c.inspector().finished());
  EXPECT_EQ(c.counters().malformed, 1u);
}

// --- hostile lengths ---

TEST(StunHostile, AttributeLengthPastTheEnd) {
  // The header's length fits the datagram, but USERNAME claims 256 bytes.
  Message m(stun::kBindingRequest, kTx1);
  m.raw({0x00, 0x06, 0x01, 0x00, 'a', 'b', 'c', 'd'});
  Conversation first(udpFlow(40000, 3478));
  first.send(out(m.build()));
  EXPECT_EQ(first.facts().proto(), nullptr);  // never believed
  EXPECT_EQ(first.counters().notMine, 1u);

  Conversation later(udpFlow(40000, 3478));
  later.send(out(stun::rfc5769Request()));
  later.send(in(Message(stun::kBindingSuccess, kTx1).raw({0x80, 0x22, 0x00, 0x40, 't', 'e', 's', 't'}).build()));
  EXPECT_EQ(stunOf(later).software, "STUN test client");  // kept
  EXPECT_FALSE(stunOf(later).responseSeen);
  EXPECT_TRUE(later.inspector().finished());
  EXPECT_EQ(later.counters().malformed, 1u);
}

TEST(StunHostile, DeclaredLengthMustMatchTheDatagram) {
  const auto req = stun::rfc5769Request();
  Message m(stun::kBindingRequest, kTx1);
  m.text(kSoftware, "abcd");
  for (const std::uint16_t len : {std::uint16_t{0xfffc}, std::uint16_t{4}, std::uint16_t{12}}) {
    Conversation c(udpFlow(40000, 3478));
    c.send(out(m.buildWithLength(len)));
    EXPECT_EQ(c.facts().proto(), nullptr) << len;
  }
  // After recognition, a cookie-bearing datagram whose length does not fit is malformed.
  Conversation c(udpFlow(40000, 3478));
  c.send(out(req));
  c.send(in(Message(stun::kBindingSuccess, kTx1).text(kSoftware, "abcd").buildWithLength(0xfffc)));
  EXPECT_TRUE(c.inspector().finished());
  EXPECT_EQ(c.counters().malformed, 1u);
  EXPECT_FALSE(stunOf(c).responseSeen);
}

TEST(StunHostile, ZeroLengths) {
  // A header-only message (length 0) and a zero-length USERNAME are both valid.
  Conversation c(udpFlow(40000, 50000));
  c.send(out(Message(stun::kBindingRequest, kTx1).build()));
  EXPECT_EQ(c.facts().proto(), &dpi::stun::kStun);
  c.send(in(Message(stun::kBindingSuccess, kTx1).attr(kUsername, {}).xorAddress4({10, 0, 0, 1}, 1).build()));
  const auto& s = stunOf(c);
  EXPECT_TRUE(s.username.empty());
  EXPECT_EQ(s.xorMapped.addr.toString(), "10.0.0.1");
  EXPECT_EQ(s.xorMapped.port, 1);

  // Over TCP a header-only message completes exactly at a segment's end.
  Conversation t(tcpFlow(40000, 3478));
  t.send(out(Message(stun::kBindingRequest, kTx1).build()));
  t.send(in(Message(stun::kBindingSuccess, kTx1).build()));
  EXPECT_TRUE(stunOf(t).responseSeen);
  EXPECT_TRUE(t.inspector().finished());
}

TEST(StunHostile, OddLengthsArePaddedToWholeWords) {
  // SOFTWARE of 5 bytes takes 8; the REALM after it is read from the right place.
  Conversation c(udpFlow(40000, 50000));
  c.send(out(Message(stun::kBindingRequest, kTx1).text(kSoftware, "abcde").text(kRealm, "r.example").build()));
  EXPECT_EQ(stunOf(c).software, "abcde");
  EXPECT_EQ(stunOf(c).realm, "r.example");
  // Without the padding the message length is not a multiple of 4: not STUN.
  Conversation unpadded(udpFlow(40000, 50000));
  unpadded.send(out(Message(stun::kBindingRequest, kTx1).attr(kSoftware, {'a', 'b', 'c', 'd', 'e'}, false).build()));
  EXPECT_EQ(unpadded.facts().proto(), nullptr);
  // Padding that would run past the end (a 5-byte value with length 9 declared in a
  // 12-byte body) is malformed.
  Conversation past(udpFlow(40000, 50000));
  past.send(out(Message(stun::kBindingRequest, kTx1).raw({0x80, 0x22, 0x00, 0x09, 'a', 'b', 'c', 'd', 'e', 0, 0, 0}).build()));
  EXPECT_EQ(past.facts().proto(), nullptr);
}

TEST(StunHostile, AttributesWalkedAndStringsAreCapped) {
  Message many(stun::kBindingRequest, kTx1);
  for (std::size_t i = 0; i < dpi::stun::kMaxAttributesWalked; ++i) many.attr(0x8030, {1, 2, 3, 4});
  many.text(kSoftware, "too late");
  Conversation c(udpFlow(40000, 50000));
  c.send(out(many.build()));
  EXPECT_EQ(c.facts().proto(), &dpi::stun::kStun);
  EXPECT_TRUE(stunOf(c).software.empty());

  Conversation longer(udpFlow(40000, 50000));
  longer.send(out(Message(stun::kBindingRequest, kTx1).text(kSoftware, std::string(1000, 's')).build()));
  EXPECT_EQ(stunOf(longer).software.size(), core::kMaxWireString);
}

TEST(StunHostile, AddressesOfUnknownFamilyOrTooShortAreIgnored) {
  Conversation c(udpFlow(40000, 50000));
  c.send(out(stun::rfc5769Request()));
  c.send(in(Message(stun::kBindingSuccess, kTx1)
                .attr(0x0020, {0, 3, 0x12, 0x34, 1, 2, 3, 4})             // family 3
                .attr(0x0020, {0, 2, 0x12, 0x34, 1, 2, 3, 4})             // IPv6, 4 bytes
                .attr(0x0001, {0, 1, 0x12})                                // cut
                .build()));
  EXPECT_FALSE(stunOf(c).xorMapped.seen);
  EXPECT_FALSE(stunOf(c).mapped.seen);
  EXPECT_TRUE(stunOf(c).responseSeen);
}

// --- not STUN ---

TEST(StunProbe, RejectsOtherPayloads) {
  const auto stunProbe = [](const dpi::FlowInfo& flow, const Payload& p) {
    return dpi::stun::kEntry.probe(flow, dpi::Segment{p, dpi::Direction::Outbound, 0});
  };
  // Off port 3478, where only the cookie is believed.
  const auto udp = udpFlow(40000, 19302);
  const auto tcp = tcpFlow(40000, 443);
  EXPECT_EQ(stunProbe(udp, stun::rfc5769Request()), dpi::Confidence::Content);
  const auto whole = stun::rfc5769Request();
  EXPECT_EQ(stunProbe(tcp, Payload(whole.begin(), whole.begin() + 8)), dpi::Confidence::Content);
  auto topBits = stun::rfc5769Request();
  topBits[0] |= 0x40;
  EXPECT_EQ(stunProbe(udp, topBits), dpi::Confidence::None);
  auto cookie = stun::rfc5769Request();
  cookie[7] ^= 1;
  EXPECT_EQ(stunProbe(udp, cookie), dpi::Confidence::None);
  EXPECT_EQ(stunProbe(tcp, cookie), dpi::Confidence::None);
  auto oddLength = stun::rfc5769Request();
  oddLength[3] = 0x57;
  EXPECT_EQ(stunProbe(tcp, oddLength), dpi::Confidence::None);
  EXPECT_EQ(stunProbe(udp, bytesOf("GET / HTTP/1.1\r\n\r\n")), dpi::Confidence::None);
  EXPECT_EQ(stunProbe(udp, Payload(20, 0)), dpi::Confidence::None);  // classic type 0 unknown
  EXPECT_EQ(stunProbe(udp, {0x00, 0x01, 0x00}), dpi::Confidence::None);
  EXPECT_EQ(stunProbe(udp, {}), dpi::Confidence::None);
  // Classic: only on 3478, and only as a port match (a broken cookie then reads as one).
  const auto classic = classicExchange()[0].bytes;
  const auto stunPort = udpFlow(40000, 3478);
  EXPECT_EQ(stunProbe(stunPort, classic), dpi::Confidence::Port);
  EXPECT_EQ(stunProbe(stunPort, cookie), dpi::Confidence::Port);
  EXPECT_EQ(stunProbe(stunPort, stun::rfc5769Request()), dpi::Confidence::Content);
  EXPECT_EQ(stunProbe(udp, classic), dpi::Confidence::None);
  auto classicOdd = classic;
  classicOdd[3] = 6;
  EXPECT_EQ(stunProbe(stunPort, classicOdd), dpi::Confidence::None);
}

TEST(StunProbe, OtherProtocolsStayTheirs) {
  // A DNS query to port 3478 and an RTP stream are not STUN.
  Conversation dns(udpFlow(40000, 53));
  ByteWriter q;
  q.be16(0x1234).be16(0x0100).be16(1).be16(0).be16(0).be16(0).u8(3).str("www").u8(0).be16(1).be16(1);
  dns.send(out(q.data()));
  EXPECT_NE(dns.facts().proto(), &dpi::stun::kStun);
  Conversation rtp(udpFlow(40000, 3478));
  for (int i = 0; i < 10; ++i) rtp.send(out({0x80, 0x60, 0, static_cast<std::uint8_t>(i), 0, 0, 0, 1, 0, 0, 0, 2}));
  EXPECT_EQ(rtp.facts().proto(), nullptr);
}

}  // namespace
}  // namespace rustnet::test
