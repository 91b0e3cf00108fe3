#include "dpi/dns/dns_facts.h"
#include "dpi/dns/dns_analyzer.h"

#include <gtest/gtest.h>

#include <utility>

#include "dpi/dns/dns_message.h"
#include "dpi/facts.h"
#include "dpi_test_util.h"
#include "support/test_support.h"

namespace rustnet::test {
namespace {

using dpi::AppProto;
using dpi::AppState;
using dpi::Cap;

void name(ByteWriter& w, const std::string& dotted) {
  std::size_t start = 0;
  while (start < dotted.size()) {
    auto dot = dotted.find('.', start);
    if (dot == std::string::npos) dot = dotted.size();
    w.u8(static_cast<std::uint8_t>(dot - start)).str(dotted.substr(start, dot - start));
    start = dot + 1;
  }
  w.u8(0);
}

void header(ByteWriter& w, std::uint16_t id, std::uint16_t flags, std::uint16_t qd,
            std::uint16_t an, std::uint16_t ns = 0, std::uint16_t ar = 0) {
  w.be16(id).be16(flags).be16(qd).be16(an).be16(ns).be16(ar);
}

Payload query(std::uint16_t id, const std::string& qname, std::uint16_t qtype = 1) {
  ByteWriter w;
  header(w, id, 0x0100, 1, 0);
  name(w, qname);
  w.be16(qtype).be16(1);
  return w.data();
}

// Response: question at offset 12; CNAME qname → "cdn." + pointer to qname's second label;
// then A and AAAA records owned by a pointer to the CNAME target.
Payload response(std::uint16_t id, const std::string& qname, std::uint8_t rcode = 0) {
  ByteWriter w;
  header(w, id, static_cast<std::uint16_t>(0x8180 | rcode), 1, 3);
  name(w, qname);
  w.be16(1).be16(1);
  // CNAME record, owner = pointer to the question name.
  w.be16(0xc00c).be16(5).be16(1).be32(300);
  const std::size_t rdlenAt = w.size();
  w.be16(0);
  const std::size_t target = w.size();
  w.u8(3).str("cdn").be16(static_cast<std::uint16_t>(0xc000 | (12 + 1 + qname.find('.'))));
  w.patch16(rdlenAt, static_cast<std::uint16_t>(w.size() - target));
  const auto ptrTarget = static_cast<std::uint16_t>(0xc000 | target);
  w.be16(ptrTarget).be16(1).be16(1).be32(60).be16(4).bytes({93, 184, 216, 34});
  w.be16(ptrTarget).be16(28).be16(1).be32(60).be16(16);
  w.bytes({0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1});
  return w.data();
}

Payload tcpFramed(const Payload& msg) {
  ByteWriter w;
  w.be16(static_cast<std::uint16_t>(msg.size())).bytes(msg);
  return w.data();
}

void expectExchange(const dpi::Facts& f, AppProto proto = &dpi::dns::kDns) {
  ASSERT_EQ(f.proto(), proto);
  ASSERT_NE(f.find<dpi::DnsFacts>(), nullptr);
  const auto& d = *f.find<dpi::DnsFacts>();
  EXPECT_EQ(d.id, 0x1234);
  EXPECT_EQ(d.qname, "www.example.com");
  EXPECT_EQ(d.qtype, 1);
  EXPECT_TRUE(d.querySeen);
  EXPECT_TRUE(d.responseSeen);
  EXPECT_EQ(d.rcode, 0);
  EXPECT_EQ(d.answerCount, 3);
  ASSERT_EQ(d.answers.size(), 3u);
  EXPECT_EQ(d.answers[0].type, 5);
  EXPECT_EQ(d.answers[0].name, "cdn.example.com");
  EXPECT_EQ(d.answers[1].addr.toString(), "93.184.216.34");
  EXPECT_EQ(d.answers[2].addr.toString(), "2001:db8::1");
  EXPECT_EQ(f.state(), &dpi::dns::kResponse);
}

TEST(DnsAnalyzer, UdpQueryThenResponse) {
  Conversation c(udpFlow());
  c.send(out(query(0x1234, "www.example.com")));
  EXPECT_EQ(c.facts().state(), &dpi::dns::kQuery);
  EXPECT_FALSE(c.inspector().finished());
  c.send(in(response(0x1234, "www.example.com")));
  expectExchange(c.facts());
  EXPECT_EQ(c.facts().summary(), "DNS (www.example.com)");
  EXPECT_EQ(dpi::dnsTypeName(c.facts().find<dpi::DnsFacts>()->qtype), "A");
}

TEST(DnsAnalyzer, LaterQuestionNamesAreCollectedUpToTheCap) {
  Conversation c(udpFlow(5353, 5353));
  c.send(out(query(1, "_ipp._tcp.local", 12)));
  c.send(in(response(1, "_ipp._tcp.local")));
  c.send(out(query(2, "_scanner._tcp.local", 12)));
  c.send(out(query(3, "_ipp._tcp.local", 12)));  // already known
  ASSERT_NE(std::as_const(c.facts()).find<dpi::DnsFacts>(), nullptr);
  const auto& d = *c.facts().find<dpi::DnsFacts>();
  EXPECT_EQ(d.qname, "_ipp._tcp.local");  // the first exchange stays the connection's
  EXPECT_EQ(d.names, (std::vector<std::string>{"_ipp._tcp.local", "_scanner._tcp.local"}));
  EXPECT_EQ(c.facts().state(), &dpi::dns::kResponse);
  EXPECT_FALSE(c.inspector().finished());
  for (std::size_t i = 0; i < dpi::kMaxDnsNames + 2; ++i) {
    c.send(out(query(static_cast<std::uint16_t>(10 + i), "n" + std::to_string(i) + ".local")));
  }
  EXPECT_EQ(c.facts().find<dpi::DnsFacts>()->names.size(), dpi::kMaxDnsNames);
  EXPECT_EQ(c.counters().capHits(Cap::DnsNames), 1u);
  EXPECT_TRUE(c.inspector().finished());
  // Far more packets than kMaxInspectedPackets were watched: names are not an unfinished
  // analyzer's doing.
  EXPECT_EQ(c.counters().capHits(Cap::InspectedPackets), 0u);
}

TEST(DnsAnalyzer, MdnsAndLlmnrAreNamedByPort) {
  Conversation m(udpFlow(5353, 5353));
  m.send(out(query(0x1234, "www.example.com")));
  EXPECT_EQ(m.facts().proto(), &dpi::dns::kMdns);
  Conversation l(udpFlow(50000, 5355));
  l.send(out(query(7, "wpad")));
  EXPECT_EQ(l.facts().proto(), &dpi::dns::kLlmnr);
  EXPECT_EQ(l.facts().summary(), "LLMNR (wpad)");
}

TEST(DnsAnalyzer, ResponseWithoutItsQueryStillNamesTheQuestion) {
  Conversation c(udpFlow());
  c.send(in(response(0x1234, "www.example.com", 3)));
  ASSERT_NE(c.facts().find<dpi::DnsFacts>(), nullptr);
  EXPECT_EQ(c.facts().find<dpi::DnsFacts>()->qname, "www.example.com");
  EXPECT_EQ(dpi::dnsRcodeName(c.facts().find<dpi::DnsFacts>()->rcode), "NXDOMAIN");
  EXPECT_EQ(c.facts().state(), &dpi::dns::kResponse);
}

TEST(DnsAnalyzer, ResponseToAnotherQueryIsNotTaken) {
  Conversation c(udpFlow());
  c.send(out(query(0x1234, "www.example.com")));
  c.send(in(response(0x9999, "www.example.com", 2)));
  EXPECT_FALSE(c.facts().find<dpi::DnsFacts>()->responseSeen);
  EXPECT_EQ(c.facts().state(), &dpi::dns::kQuery);
  c.send(in(response(0x1234, "www.example.com")));
  expectExchange(c.facts());
}

TEST(DnsAnalyzer, TcpMessagesSplitAtEveryOffset) {
  const std::vector<Msg> msgs = {out(tcpFramed(query(0x1234, "www.example.com"))),
                                 in(tcpFramed(response(0x1234, "www.example.com")))};
  for (std::size_t which = 0; which < msgs.size(); ++which) {
    for (std::size_t at = 1; at < msgs[which].bytes.size(); ++at) {
      SCOPED_TRACE(testing::Message() << "message " << which << " split at " << at);
      Conversation c(tcpFlow(40000, 53));
      c.sendAllSplitting(msgs, which, at);
      expectExchange(c.facts());
      EXPECT_EQ(c.counters().malformed, 0u);
    }
  }
}

TEST(DnsAnalyzer, TcpSeveralMessagesInOneSegment) {
  Conversation c(tcpFlow(40000, 53));
  c.send(out(concat(tcpFramed(query(0x1234, "www.example.com")),
                    tcpFramed(query(0x5678, "other.example")))));
  // The first response in the segment answers the second query; the one after it is ours.
  c.send(in(concat(tcpFramed(response(0x5678, "other.example")),
                   tcpFramed(response(0x1234, "www.example.com")))));
  expectExchange(c.facts());
}

TEST(DnsAnalyzer, TcpOversizedMessageIsCutAndTheNextOneStillFramed) {
  // A response padded past the reassembly cap with a record the parser skips.
  ByteWriter w;
  header(w, 0x1111, 0x8180, 1, 1);
  name(w, "big.example");
  w.be16(16).be16(1);
  w.be16(0xc00c).be16(16).be16(1).be32(1).be16(6000).bytes(Payload(6000, 'x'));
  Conversation c(tcpFlow(40000, 53));
  c.send(out(tcpFramed(query(0x1234, "www.example.com"))));
  const Payload big = tcpFramed(w.data());
  c.send(in(concat(big, tcpFramed(response(0x1234, "www.example.com")))));
  EXPECT_EQ(c.counters().capHits(Cap::DnsTcpBytes), 1u);
  expectExchange(c.facts());
}

TEST(DnsAnalyzer, CompressionLoopIsMalformedNotAHang) {
  ByteWriter w;
  header(w, 0x1234, 0x8180, 1, 1);
  name(w, "loop.example");
  w.be16(1).be16(1);
  // CNAME whose target points at itself.
  w.be16(0xc00c).be16(5).be16(1).be32(1).be16(2);
  const auto self = static_cast<std::uint16_t>(0xc000 | w.size());
  w.be16(self);
  Conversation c(udpFlow());
  c.send(in(w.data()));
  EXPECT_EQ(c.counters().malformed, 1u);
  ASSERT_NE(c.facts().find<dpi::DnsFacts>(), nullptr);
  EXPECT_EQ(c.facts().find<dpi::DnsFacts>()->qname, "loop.example");
  EXPECT_TRUE(c.inspector().finished());
}

TEST(DnsAnalyzer, PointerChainLongerThanTheHopCapIsCounted) {
  ByteWriter w;
  header(w, 0x1234, 0x8180, 1, 2);
  name(w, "a.example");
  w.be16(1).be16(1);
  // A TXT record whose data is a chain of pointers, each to the one before it.
  constexpr std::size_t kChain = dpi::dns::kMaxDnsPointerHops + 4;
  w.be16(0xc00c).be16(16).be16(1).be32(1).be16(static_cast<std::uint16_t>(2 * kChain));
  const std::size_t base = w.size();
  w.be16(0xc00c);
  for (std::size_t i = 1; i < kChain; ++i) {
    w.be16(static_cast<std::uint16_t>(0xc000 | (base + 2 * (i - 1))));
  }
  // A CNAME whose target enters the chain at its end.
  w.be16(0xc00c).be16(5).be16(1).be32(1).be16(2);
  w.be16(static_cast<std::uint16_t>(0xc000 | (base + 2 * (kChain - 1))));
  Conversation c(udpFlow());
  c.send(in(w.data()));
  EXPECT_EQ(c.counters().capHits(Cap::DnsPointerHops), 1u);
  EXPECT_EQ(c.counters().malformed, 1u);
}

TEST(DnsAnalyzer, ShortPointerChainIsFollowed) {
  std::string out;
  std::size_t next = 0;
  ByteWriter w;
  header(w, 1, 0, 1, 0);
  name(w, "b.example");  // at 12
  const auto p1 = w.size();
  w.u8(1).str("a").be16(0xc00c);  // "a." + pointer
  const auto p2 = w.size();
  w.be16(static_cast<std::uint16_t>(0xc000 | p1));
  ASSERT_EQ(dpi::dns::readName(w.data(), p2, &out, next), dpi::dns::NameStatus::Ok);
  EXPECT_EQ(out, "a.b.example");
  EXPECT_EQ(next, p2 + 2);
}

TEST(DnsAnalyzer, NamesKeepOddBytesRawAndAreEscapedWhenShown) {
  Conversation c(udpFlow());
  c.send(out(query(1, std::string("www.all\x04\x05yours.cn"))));
  ASSERT_NE(c.facts().find<dpi::DnsFacts>(), nullptr);
  EXPECT_EQ(c.facts().find<dpi::DnsFacts>()->qname, std::string("www.all\x04\x05yours.cn"));
  EXPECT_EQ(c.facts().summary(), "DNS (www.all\\x04\\x05yours.cn)");
}

TEST(DnsAnalyzer, NameLongerThan255BytesIsCappedAndCounted) {
  std::string longName;
  for (int i = 0; i < 6; ++i) longName += std::string(60, static_cast<char>('a' + i)) + ".";
  longName += "com";
  Conversation c(udpFlow());
  c.send(out(query(1, longName)));
  EXPECT_EQ(c.counters().capHits(Cap::DnsNameBytes), 1u);
  ASSERT_NE(c.facts().find<dpi::DnsFacts>(), nullptr);
  EXPECT_FALSE(c.facts().find<dpi::DnsFacts>()->qname.empty());
  EXPECT_LE(c.facts().find<dpi::DnsFacts>()->qname.size(), dpi::dns::kMaxDnsNameBytes);
}

TEST(DnsAnalyzer, AnswersBeyondTheCapAreCountedNotKept) {
  ByteWriter w;
  const std::uint16_t n = dpi::kMaxDnsAnswers + 3;
  header(w, 5, 0x8180, 1, n);
  name(w, "many.example");
  w.be16(1).be16(1);
  for (std::uint16_t i = 0; i < n; ++i) {
    w.be16(0xc00c).be16(1).be16(1).be32(1).be16(4).bytes({10, 0, 0, static_cast<std::uint8_t>(i)});
  }
  Conversation c(udpFlow());
  c.send(in(w.data()));
  EXPECT_EQ(c.facts().find<dpi::DnsFacts>()->answers.size(), dpi::kMaxDnsAnswers);
  EXPECT_EQ(c.facts().find<dpi::DnsFacts>()->answerCount, n);
  EXPECT_EQ(c.counters().capHits(Cap::DnsAnswers), 1u);
}

TEST(DnsAnalyzer, StandardQueryOnAnOddPortIsRecognised) {
  Conversation c(udpFlow(65282, 65333));
  c.send(out(query(0x2a, "us.pool.ntp.org")));
  EXPECT_EQ(c.facts().proto(), &dpi::dns::kDns);
  Conversation other(udpFlow(40000, 40001));
  other.send(out(bytesOf("hello, this is not a DNS message at all")));
  EXPECT_EQ(other.facts().proto(), nullptr);
}

TEST(DnsAnalyzer, ImplausibleHeaderOnPort53IsNotDns) {
  ByteWriter w;
  header(w, 1, 0x1800, 200, 0);  // opcode 3 and 200 questions in 12 bytes
  Conversation c(udpFlow());
  c.send(out(w.data()));
  EXPECT_EQ(c.facts().proto(), nullptr);
}

TEST(DnsAnalyzer, EveryTruncationOfAResponseIsSafe) {
  const Payload full = response(0x1234, "www.example.com");
  for (std::size_t n = 1; n < full.size(); ++n) {
    Conversation c(udpFlow());
    c.send(in(Payload(full.begin(), full.begin() + static_cast<std::ptrdiff_t>(n))));
    if (c.facts().proto() == &dpi::dns::kDns) {
      EXPECT_TRUE(c.inspector().finished()) << n;
    }
  }
}

// A response whose datagram was cut on the wire (its IP length beyond the captured frame)
// still names its question and keeps the answers that are whole; the same bytes presented
// as a whole datagram are a malformed message.
TEST(DnsAnalyzer, CutResponseKeepsWhatIsThere) {
  const Payload full = response(0x1234, "www.example.com");
  const Payload cut(full.begin(), full.end() - 10);  // into the AAAA record
  {
    Conversation c(udpFlow());
    c.sendCut(dpi::Direction::Inbound, cut);
    ASSERT_EQ(c.facts().proto(), &dpi::dns::kDns);
    const auto& d = *c.facts().find<dpi::DnsFacts>();
    EXPECT_EQ(d.qname, "www.example.com");
    EXPECT_TRUE(d.responseSeen);
    EXPECT_EQ(d.answerCount, 3);
    ASSERT_EQ(d.answers.size(), 2u);
    EXPECT_EQ(d.answers[1].addr.toString(), "93.184.216.34");
    EXPECT_EQ(c.counters().malformed, 0u);
  }
  {
    Conversation c(udpFlow());
    c.send(in(cut));
    EXPECT_EQ(c.counters().malformed, 1u);
  }
}

// A first fragment of a large response holds the question and a few of its many answers:
// the header's counts describe the whole datagram, not this part of it.
TEST(DnsAnalyzer, CutResponseWithManyAnswersIsStillDns) {
  ByteWriter w;
  header(w, 0x4242, 0x8180, 1, 40);
  name(w, "many.example.org");
  w.be16(1).be16(1);
  w.be16(0xc00c).be16(1).be16(1).be32(60).be16(4).bytes({192, 0, 2, 1});
  Conversation c(udpFlow(40000, 53));
  c.sendCut(dpi::Direction::Inbound, w.data());
  ASSERT_EQ(c.facts().proto(), &dpi::dns::kDns);
  EXPECT_EQ(c.facts().find<dpi::DnsFacts>()->qname, "many.example.org");
  Conversation whole(udpFlow(40000, 53));
  whole.send(in(w.data()));
  EXPECT_EQ(whole.facts().proto(), nullptr);
}

TEST(DnsAnalyzer, EmptyPayloadIsIgnored) {
  Conversation c(udpFlow());
  c.send(out(Payload{}));
  EXPECT_EQ(c.counters().packetsInspected, 0u);
  EXPECT_FALSE(c.inspector().finished());
}

}  // namespace
}  // namespace rustnet::test
