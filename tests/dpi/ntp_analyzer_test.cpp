#include "dpi/ntp/ntp_analyzer.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "dpi/facts.h"
#include "dpi/ntp/ntp_facts.h"
#include "dpi_test_util.h"
#include "ntp_builders.h"
#include "support/test_support.h"

namespace rustnet::test {
namespace {

using dpi::NtpFacts;
namespace mode = dpi::ntp::mode;

dpi::FlowInfo ntpClientFlow() { return udpFlow(40123, 123); }

const NtpFacts& ntpOf(const Conversation& c) {
  const NtpFacts* f = c.facts().find<NtpFacts>();
  if (f == nullptr) throw std::runtime_error("no NTP facts");
  return *f;
}

// Collects what describe() lists, as "key=value" for the kinds NTP uses.
struct Described final : dpi::FieldSink {
  std::vector<std::string> items;
  void field(const dpi::FieldInfo& info, const dpi::FieldValue& v) override {
    std::string value;
    switch (v.kind) {
      case dpi::FieldKind::Number: value = std::to_string(v.number); break;
      case dpi::FieldKind::Address: value = v.addr.toString(); break;
      case dpi::FieldKind::Code: value = fmt::format("0x{:0{}x}", v.number, v.hexDigits); break;
      default: value = std::string(v.str); break;
    }
    items.push_back(std::string(info.key) + "=" + value);
  }
};

std::vector<std::string> describe(const NtpFacts& f) {
  Described d;
  f.describe(d);
  return d.items;
}

TEST(NtpAnalyzer, V4ClientRequestThenServerResponse) {
  Conversation c(ntpClientFlow());
  c.send(out(ntpPacket(4, mode::kClient)));
  EXPECT_EQ(c.facts().proto(), &dpi::ntp::kNtp);
  EXPECT_EQ(c.facts().state(), &dpi::ntp::kRequest);
  EXPECT_FALSE(c.inspector().finished());
  EXPECT_FALSE(ntpOf(c).clockKnown);  // a client's request describes only the client

  c.send(in(ntpPacket(4, mode::kServer, 2, refidAddress(192, 0, 2, 7), 6, -23)));
  EXPECT_EQ(c.facts().state(), &dpi::ntp::kResponse);
  EXPECT_TRUE(c.inspector().finished());
  const NtpFacts& f = ntpOf(c);
  EXPECT_EQ(f.version, 4);
  EXPECT_EQ(f.mode, mode::kClient);
  EXPECT_TRUE(f.requestSeen && f.responseSeen);
  EXPECT_EQ(describe(f), (std::vector<std::string>{
                             "ntp_version=4", "ntp_mode=3", "ntp_mode_name=client", "ntp_stratum=2",
                             "ntp_stratum_name=secondary", "ntp_refid=192.0.2.7", "ntp_poll_s=64",
                             "ntp_precision_ns=119"}));
  EXPECT_EQ(c.facts().summary(), "NTP (client)");
  EXPECT_EQ(c.counters().hitsFor(&dpi::ntp::kNtp), 1u);
}

TEST(NtpAnalyzer, V3ExchangeWithAuthenticator) {
  Conversation c(ntpClientFlow());
  // Version 3 with a key id and a DES checksum (12 bytes) after the header.
  c.send(out(withTrailer(ntpPacket(3, mode::kClient), 12)));
  c.send(in(withTrailer(ntpPacket(3, mode::kServer, 1, refidText("PPS"), 10, -20), 12)));
  const NtpFacts& f = ntpOf(c);
  EXPECT_EQ(f.version, 3);
  EXPECT_EQ(c.facts().state(), &dpi::ntp::kResponse);
  EXPECT_EQ(dpi::ntp::ntpRefidText(f.clock), "PPS");
  EXPECT_EQ(c.facts().summary(), "NTP (PPS)");
}

TEST(NtpAnalyzer, V2AndV1) {
  Conversation v2(ntpClientFlow());
  v2.send(out(ntpPacket(2, mode::kClient)));
  v2.send(in(ntpPacket(2, mode::kServer, 3, refidAddress(10, 1, 2, 3))));
  EXPECT_EQ(ntpOf(v2).version, 2);
  EXPECT_EQ(v2.facts().state(), &dpi::ntp::kResponse);

  // Version 1 names no mode: the first packet asks, the other side's answers.
  Conversation v1(udpFlow(123, 123));
  v1.send(out(ntpPacket(1, mode::kUnspecified)));
  EXPECT_EQ(v1.facts().state(), &dpi::ntp::kRequest);
  v1.send(out(ntpPacket(1, mode::kUnspecified)));  // asking again is not an answer
  EXPECT_EQ(v1.facts().state(), &dpi::ntp::kRequest);
  v1.send(in(ntpPacket(1, mode::kUnspecified, 1, refidText("WWV"))));
  EXPECT_EQ(v1.facts().state(), &dpi::ntp::kResponse);
  EXPECT_EQ(ntpOf(v1).version, 1);
  EXPECT_EQ(ntpOf(v1).mode, mode::kUnspecified);
  EXPECT_EQ(dpi::ntp::ntpRefidText(ntpOf(v1).clock), "WWV");
  // A mode 0 is only version 1's.
  EXPECT_FALSE(dpi::ntp::parseNtpHeader(ntpPacket(2, mode::kUnspecified)));
}

TEST(NtpAnalyzer, SymmetricPeers) {
  Conversation c(udpFlow(123, 123));
  c.send(out(ntpPacket(4, mode::kSymmetricActive, 3, refidAddress(198, 51, 100, 1))));
  EXPECT_EQ(c.facts().state(), &dpi::ntp::kRequest);
  // The active peer's own clock stands until the other side answers.
  EXPECT_EQ(ntpOf(c).clock.stratum, 3);
  c.send(in(ntpPacket(4, mode::kSymmetricPassive, 2, refidAddress(198, 51, 100, 2))));
  EXPECT_EQ(c.facts().state(), &dpi::ntp::kResponse);
  EXPECT_EQ(ntpOf(c).clock.stratum, 2);
  EXPECT_EQ(ntpOf(c).mode, mode::kSymmetricActive);
  EXPECT_EQ(dpi::ntp::ntpModeName(ntpOf(c).mode), "symmetric active");
  EXPECT_TRUE(c.inspector().finished());

  // Two active peers: the second one's packet is the answer.
  Conversation both(udpFlow(123, 123));
  both.send(in(ntpPacket(4, mode::kSymmetricActive, 4, refidAddress(1, 1, 1, 1))));
  both.send(in(ntpPacket(4, mode::kSymmetricActive, 4, refidAddress(1, 1, 1, 1))));
  EXPECT_EQ(both.facts().state(), &dpi::ntp::kRequest);
  both.send(out(ntpPacket(4, mode::kSymmetricActive, 5, refidAddress(2, 2, 2, 2))));
  EXPECT_EQ(both.facts().state(), &dpi::ntp::kResponse);
  EXPECT_EQ(ntpOf(both).clock.stratum, 5);
}

TEST(NtpAnalyzer, Stratum1ReferenceClockIsText) {
  Conversation c(ntpClientFlow());
  c.send(out(ntpPacket(4, mode::kClient)));
  c.send(in(ntpPacket(4, mode::kServer, 1, refidText("GPS"), 4, -29)));
  const NtpFacts& f = ntpOf(c);
  EXPECT_EQ(describe(f), (std::vector<std::string>{
                             "ntp_version=4", "ntp_mode=3", "ntp_mode_name=client", "ntp_stratum=1",
                             "ntp_stratum_name=primary", "ntp_refid=GPS", "ntp_poll_s=16",
                             "ntp_precision_ns=2"}));
  EXPECT_EQ(c.facts().summary(), "NTP (GPS)");
}

TEST(NtpAnalyzer, Stratum2ReferenceIsAnIpv4Address) {
  Conversation c(ntpClientFlow());
  c.send(in(ntpPacket(4, mode::kServer, 2, refidAddress(17, 253, 26, 125))));
  const NtpFacts& f = ntpOf(c);
  // Only the answer was captured: it is then the first message.
  EXPECT_EQ(f.mode, mode::kServer);
  EXPECT_FALSE(f.requestSeen);
  EXPECT_EQ(c.facts().state(), &dpi::ntp::kResponse);
  const auto d = describe(f);
  EXPECT_NE(std::find(d.begin(), d.end(), "ntp_refid=17.253.26.125"), d.end());
  EXPECT_EQ(dpi::ntp::ntpRefidText(f.clock), "");
}

// RFC 5905 §7.3: over IPv6 a stratum 2+ reference id is the start of an MD5 hash of the
// server's address, shown as a number rather than as an IPv4 address it is not.
TEST(NtpAnalyzer, Stratum2ReferenceOverIpv6IsAHash) {
  dpi::FlowInfo flow = ntpClientFlow();
  flow.ipv6 = true;
  Conversation c(flow);
  c.send(in(ntpPacket(4, mode::kServer, 2, refidAddress(0x1a, 0x2b, 0x3c, 0x4d))));
  const auto d = describe(ntpOf(c));
  EXPECT_NE(std::find(d.begin(), d.end(), "ntp_refid=0x1a2b3c4d"), d.end());
  EXPECT_EQ(std::count_if(d.begin(), d.end(), [](const std::string& s) { return s.rfind("ntp_refid=", 0) == 0; }), 1);
}

TEST(NtpAnalyzer, KissOfDeath) {
  Conversation c(ntpClientFlow());
  c.send(out(ntpPacket(4, mode::kClient)));
  c.send(in(ntpPacket(4, mode::kServer, 0, refidText("RATE"))));
  const NtpFacts& f = ntpOf(c);
  EXPECT_EQ(dpi::ntp::ntpStratumName(f.clock), "kiss-o'-death");
  EXPECT_EQ(dpi::ntp::ntpRefidText(f.clock), "RATE");
  EXPECT_EQ(c.facts().summary(), "NTP (RATE)");
  // Stratum 0 without a code is just unspecified, and shows no reference id.
  dpi::ntp::NtpClock zero;
  EXPECT_EQ(dpi::ntp::ntpStratumName(zero), "unspecified");
  EXPECT_EQ(dpi::ntp::ntpRefidText(zero), "");
  // Unsynchronised ntpd says why in a code; other stratum-16 ids are addresses.
  dpi::ntp::NtpClock init{16, 6, -20, {'I', 'N', 'I', 'T'}};
  EXPECT_EQ(dpi::ntp::ntpStratumName(init), "unsynchronised");
  EXPECT_EQ(dpi::ntp::ntpRefidText(init), "INIT");
}

TEST(NtpAnalyzer, ReferenceIdBytesAreEscapedWhereShown) {
  Conversation c(ntpClientFlow());
  c.send(in(ntpPacket(4, mode::kServer, 1, {0x1b, '[', '2', 'J'})));
  EXPECT_EQ(c.facts().summary(), "NTP (\\x1b[2J)");
}

TEST(NtpAnalyzer, ControlAndPrivateMessages) {
  // ntpq: a 12-byte read-variables request, and a response carrying 8 data bytes.
  Conversation q(ntpClientFlow());
  q.send(out(controlMessage(false, 2, {})));
  EXPECT_EQ(q.facts().state(), &dpi::ntp::kRequest);
  q.send(in(controlMessage(true, 2, {'v', 'e', 'r', 's', 'i', 'o', 'n', '='})));
  EXPECT_EQ(q.facts().state(), &dpi::ntp::kResponse);
  EXPECT_EQ(ntpOf(q).mode, mode::kControl);
  EXPECT_FALSE(ntpOf(q).clockKnown);
  EXPECT_TRUE(q.inspector().finished());

  // ntpdc: an 8-byte header and its data area.
  Conversation p(ntpClientFlow());
  p.send(out(privateMessage(false, 0, 0, 48)));
  EXPECT_EQ(p.facts().state(), &dpi::ntp::kRequest);
  p.send(in(privateMessage(true, 2, 16, 40)));
  EXPECT_EQ(p.facts().state(), &dpi::ntp::kResponse);
  EXPECT_EQ(dpi::ntp::ntpModeName(ntpOf(p).mode), "private");

  // A control count past the datagram, a request with the error bit: not NTP.
  auto lying = controlMessage(false, 2, {});
  lying[11] = 40;
  EXPECT_FALSE(dpi::ntp::parseNtpHeader(lying));
  auto erring = controlMessage(false, 2, {});
  erring[1] |= 0x40;
  EXPECT_FALSE(dpi::ntp::parseNtpHeader(erring));
  // ntpdc items that do not fit.
  EXPECT_FALSE(dpi::ntp::parseNtpHeader(privateMessage(true, 4, 16, 40)));
}

TEST(NtpAnalyzer, BroadcastIsAnAnswerByItself) {
  Conversation c(udpFlow(123, 123));
  c.send(in(ntpPacket(4, mode::kBroadcast, 2, refidAddress(10, 0, 0, 1))));
  EXPECT_EQ(c.facts().state(), &dpi::ntp::kResponse);
  EXPECT_TRUE(c.inspector().finished());
  EXPECT_EQ(dpi::ntp::ntpModeName(ntpOf(c).mode), "broadcast");
}

TEST(NtpAnalyzer, TruncatedAndOversizedAreNotNtp) {
  const auto whole = ntpPacket(4, mode::kClient);
  for (std::size_t n = 0; n < whole.size(); ++n) {
    const Payload cut(whole.begin(), whole.begin() + static_cast<std::ptrdiff_t>(n));
    EXPECT_FALSE(dpi::ntp::parseNtpHeader(cut)) << n;
    Conversation c(ntpClientFlow());
    c.send(out(cut));
    EXPECT_EQ(c.facts().proto(), nullptr) << n;
  }
  // Extension fields and MACs come in 4-byte words.
  EXPECT_FALSE(dpi::ntp::parseNtpHeader(withTrailer(whole, 3)));
  EXPECT_TRUE(dpi::ntp::parseNtpHeader(withTrailer(whole, dpi::ntp::kMaxNtpMessageBytes - 48)));
  EXPECT_FALSE(dpi::ntp::parseNtpHeader(withTrailer(whole, dpi::ntp::kMaxNtpMessageBytes - 44)));
  Conversation big(ntpClientFlow());
  big.send(out(withTrailer(whole, 4096)));
  EXPECT_EQ(big.facts().proto(), nullptr);
}

TEST(NtpAnalyzer, GarbageOnPort123IsRejected) {
  Conversation c(ntpClientFlow());
  c.send(out(Payload(48, 0xff)));               // version 7
  c.send(out(bytesOf("GET / HTTP/1.0\r\n\r\n")));  // HTTP, not NTP
  auto badStratum = ntpPacket(4, mode::kServer);
  badStratum[1] = 200;
  c.send(in(badStratum));
  auto v5 = ntpPacket(4, mode::kClient);
  v5[0] = static_cast<std::uint8_t>((5u << 3) | mode::kClient);
  c.send(out(v5));
  EXPECT_NE(c.facts().proto(), &dpi::ntp::kNtp);
  EXPECT_EQ(c.facts().find<NtpFacts>(), nullptr);
  EXPECT_EQ(c.counters().hitsFor(&dpi::ntp::kNtp), 0u);
}

TEST(NtpAnalyzer, GarbageAfterRecognitionIsMalformed) {
  Conversation c(ntpClientFlow());
  c.send(out(ntpPacket(4, mode::kClient)));
  c.send(in(Payload(30, 0x42)));
  EXPECT_TRUE(c.inspector().finished());
  EXPECT_EQ(c.counters().malformed, 1u);
  EXPECT_EQ(c.facts().state(), &dpi::ntp::kRequest);  // what was known stays
}

TEST(NtpAnalyzer, OtherPortsAreIgnored) {
  Conversation c(udpFlow(40000, 5000));
  c.send(out(ntpPacket(4, mode::kClient)));
  c.send(in(ntpPacket(4, mode::kServer, 1, refidText("GPS"))));
  EXPECT_EQ(c.facts().proto(), nullptr);
  const dpi::FlowInfo tcp{dpi::Transport::Tcp, 40000, 123, true};
  EXPECT_FALSE(dpi::ntp::kEntry.appliesTo(tcp.transport));
}

TEST(NtpAnalyzer, AlarmLeapBitsAreNotTakenForQuic) {
  // An unsynchronised ntpd sends LI=3: the first byte 0xe3 has QUIC's long-header bits.
  auto p = ntpPacket(4, mode::kClient);
  p[0] = 0xe3;
  Conversation c(ntpClientFlow());
  c.send(out(p));
  EXPECT_EQ(c.facts().proto(), &dpi::ntp::kNtp);
}

TEST(NtpAnalyzer, RequestsWithoutAnswerAreBounded) {
  Conversation c(ntpClientFlow());
  for (int i = 0; i < 30; ++i) c.send(out(ntpPacket(4, mode::kClient)));
  EXPECT_TRUE(c.inspector().finished());
  EXPECT_EQ(c.counters().capHits(dpi::Cap::InspectedPackets), 1u);
  EXPECT_EQ(c.facts().state(), &dpi::ntp::kRequest);
}

TEST(NtpAnalyzer, CoalescedOrSplitDatagramsAreNotNtp) {
  // UDP keeps message boundaries: two headers in one datagram are 96 bytes of a v4 packet
  // with a 48-byte trailer (acceptable), a header split in two is two short datagrams.
  const auto req = ntpPacket(4, mode::kClient);
  Conversation split(ntpClientFlow());
  split.sendSplit(out(req), 20);
  EXPECT_EQ(split.facts().proto(), nullptr);
  Conversation two(ntpClientFlow());
  two.send(out(concat(req, req)));
  EXPECT_EQ(two.facts().state(), &dpi::ntp::kRequest);
}

}  // namespace
}  // namespace rustnet::test
