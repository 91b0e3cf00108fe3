#include "dpi/http/http_facts.h"
#include "dpi/tls/tls_facts.h"
#include "dpi/dns/dns_facts.h"
#include "dpi/ssh/ssh_facts.h"
#include "dpi/quic/quic_facts.h"
#include "dpi/inspector.h"

#include <gtest/gtest.h>

#include <memory>
#include <utility>

#include "dpi/facts.h"
#include "dpi/registry.h"
#include "dpi/stream.h"
#include "dpi_test_util.h"

namespace rustnet::test {
namespace {

using dpi::AppProto;
using dpi::AppState;
using dpi::Cap;

TEST(Inspector, UnknownTrafficIsGivenUpAfterTheProbeBound) {
  Conversation c(tcpFlow(40000, 7777));
  for (std::uint32_t i = 0; i < dpi::kMaxProbePackets; ++i) {
    EXPECT_FALSE(c.inspector().finished());
    c.send(i % 2 == 0 ? out(bytesOf("\x01\x02 opaque")) : in(bytesOf("\x03 opaque")));
  }
  EXPECT_TRUE(c.inspector().finished());
  EXPECT_EQ(c.facts().proto(), nullptr);
  EXPECT_EQ(c.counters().capHits(Cap::ProbePackets), 1u);
  EXPECT_EQ(c.counters().unidentified, 1u);
  EXPECT_EQ(c.counters().inspectors, 1u);
  // Finished inspectors ignore further payloads.
  c.send(out(bytesOf("GET / HTTP/1.1\r\n\r\n")));
  EXPECT_EQ(c.counters().packetsInspected, dpi::kMaxProbePackets);
}

TEST(Inspector, UnfinishedAnalyzerStopsAfterTheInspectedPacketBound) {
  Conversation c(tcpFlow());
  c.send(out(bytesOf("POST /upload HTTP/1.1\r\nHost: up.example\r\n\r\n")));
  for (std::uint32_t i = 1; i < dpi::kMaxInspectedPackets; ++i) {
    EXPECT_FALSE(c.inspector().finished());
    c.send(out(bytesOf("body body body")));  // the response never comes
  }
  EXPECT_TRUE(c.inspector().finished());
  EXPECT_EQ(c.counters().capHits(Cap::InspectedPackets), 1u);
  ASSERT_NE(c.facts().find<dpi::HttpFacts>(), nullptr);
  EXPECT_EQ(c.facts().find<dpi::HttpFacts>()->host, "up.example");
}

TEST(Inspector, FeedReportsChangesOfProtocolAndState) {
  Conversation c(udpFlow());
  const Payload q = {0x00, 0x01, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0, 1, 'a', 0, 0, 1, 0, 1};
  EXPECT_TRUE(c.send(dpi::Direction::Outbound, q));
  EXPECT_EQ(c.facts().state(), &dpi::dns::kQuery);
  // The same query again changes nothing.
  EXPECT_FALSE(c.send(dpi::Direction::Outbound, q));
  EXPECT_EQ(c.counters().hitsFor(&dpi::dns::kDns), 1u);
}

TEST(Inspector, SharedFactsAreCopiedBeforeTheyChange) {
  Conversation c(udpFlow());
  const Payload query = {0x00, 0x01, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0, 1, 'a', 0, 0, 1, 0, 1};
  Payload response = query;
  response[2] = 0x81;  // QR, RD
  response[3] = 0x80;  // RA, NOERROR
  c.send(dpi::Direction::Outbound, query);
  // A record made now shares the inspector's facts: no copy.
  const std::shared_ptr<const dpi::Facts> early = c.inspector().shareFacts();
  EXPECT_EQ(early.get(), &c.facts());
  // The response changes the facts: the record keeps what it was given.
  c.send(dpi::Direction::Inbound, response);
  EXPECT_NE(early.get(), &c.facts());
  EXPECT_EQ(early->state(), &dpi::dns::kQuery);
  ASSERT_NE(early->find<dpi::DnsFacts>(), nullptr);
  EXPECT_FALSE(early->find<dpi::DnsFacts>()->responseSeen);
  EXPECT_EQ(c.facts().state(), &dpi::dns::kResponse);
  ASSERT_NE(c.facts().find<dpi::DnsFacts>(), nullptr);
  EXPECT_TRUE(c.facts().find<dpi::DnsFacts>()->responseSeen);
  // Held by the inspector alone, they are written in place.
  if (dpi::kFactsCopiedOnEveryFeed) GTEST_SKIP() << "ThreadSanitizer build: every feed copies";
  const dpi::Facts* sole = &c.facts();
  c.send(dpi::Direction::Outbound, query);
  EXPECT_EQ(&c.facts(), sole);
}

TEST(Inspector, ContentBeatsPort) {
  // An HTTP request on port 53 over TCP is HTTP.
  Conversation c(tcpFlow(40000, 53));
  c.send(out(bytesOf("GET / HTTP/1.1\r\nHost: h\r\n\r\n")));
  EXPECT_EQ(c.facts().proto(), &dpi::http::kHttp);
}

TEST(Inspector, RegistryEntriesAreNamedAndUnique) {
  const auto all = dpi::analyzers();
  ASSERT_FALSE(all.empty());
  ASSERT_LE(all.size(), dpi::kMaxAnalyzers);
  for (std::size_t i = 0; i < all.size(); ++i) {
    EXPECT_FALSE(all[i]->name.empty());
    EXPECT_NE(all[i]->probe, nullptr);
    EXPECT_NE(all[i]->create, nullptr);
    for (std::size_t j = i + 1; j < all.size(); ++j) EXPECT_NE(all[i]->name, all[j]->name);
  }
}

TEST(Facts, ProtocolIsKeptOnceKnown) {
  dpi::Facts f;
  EXPECT_TRUE(f.setProto(&dpi::http::kHttp));
  EXPECT_FALSE(f.setProto(&dpi::ssh::kSsh));
  EXPECT_EQ(f.proto(), &dpi::http::kHttp);
  f.openTunnel();
  EXPECT_TRUE(f.setProto(&dpi::tls::kTls));
  EXPECT_FALSE(f.setProto(&dpi::ssh::kSsh));  // a tunnel is replaced once
}

TEST(Facts, StatesMoveForwardWithinTheirProtocol) {
  dpi::Facts f;
  EXPECT_FALSE(f.advanceState(nullptr));
  EXPECT_TRUE(f.advanceState(&dpi::quic::kInitial));
  EXPECT_TRUE(f.advanceState(&dpi::quic::kConnected));
  EXPECT_FALSE(f.advanceState(&dpi::quic::kHandshake));
  EXPECT_FALSE(f.advanceState(&dpi::dns::kQuery));
  EXPECT_TRUE(f.advanceState(&dpi::quic::kClosed));
  EXPECT_EQ(dpi::appStateName(f.state()), "QUIC_CLOSED");
}

TEST(Facts, CopiesAreDeep) {
  dpi::Facts f;
  f.setProto(&dpi::tls::kTls);
  f.get<dpi::TlsFacts>().sni = "a.example";
  f.setIdleTimeoutHint(core::Duration::seconds(30));
  dpi::Facts g = f;
  f.get<dpi::TlsFacts>().sni = "b.example";
  const dpi::Facts& cg = g;  // the const accessors read; the others create
  ASSERT_NE(cg.find<dpi::TlsFacts>(), nullptr);
  EXPECT_EQ(cg.find<dpi::TlsFacts>()->sni, "a.example");
  EXPECT_EQ(g.idleTimeoutHint(), core::Duration::seconds(30));
  EXPECT_EQ(g.summary(), "HTTPS (a.example)");
  dpi::Facts h;
  h = g;
  EXPECT_EQ(h.domain(), "a.example");
  EXPECT_EQ(std::as_const(h).find<dpi::HttpFacts>(), nullptr);
}

TEST(Facts, NamesForDisplay) {
  EXPECT_EQ(dpi::appProtoName(&dpi::tls::kTls), "HTTPS");
  EXPECT_EQ(dpi::appProtoName(nullptr), "");
  EXPECT_EQ(dpi::appStateName(&dpi::ssh::kKeyExchange), "KEYEXCHANGE");
  EXPECT_EQ(dpi::tlsVersionName(0x0304), "TLS1.3");
  EXPECT_EQ(dpi::tlsVersionName(0x7f1c), "0x7f1c");
  EXPECT_EQ(dpi::dnsTypeName(28), "AAAA");
  EXPECT_EQ(dpi::dnsTypeName(999), "999");
  dpi::Facts none;
  EXPECT_EQ(none.summary(), "");
  dpi::Facts quic;
  quic.setProto(&dpi::quic::kQuic);
  EXPECT_EQ(quic.summary(), "QUIC");
}

TEST(Counters, SumAcrossWorkers) {
  dpi::Counters a;
  dpi::Counters b;
  a.hit(&dpi::dns::kDns);
  b.hit(&dpi::dns::kDns);
  b.capHit(Cap::DnsPointerHops);
  b.malformed = 2;
  a += b;
  EXPECT_EQ(a.hitsFor(&dpi::dns::kDns), 2u);
  EXPECT_EQ(a.capHits(Cap::DnsPointerHops), 1u);
  EXPECT_EQ(a.malformed, 2u);
  EXPECT_EQ(dpi::capName(Cap::DnsPointerHops), "dns_pointer_hops");
  for (std::size_t i = 0; i < dpi::kCapCount; ++i) EXPECT_FALSE(dpi::kCapNames[i].empty());
}

TEST(StreamOrder, TrimsRetransmissionsAndReportsGaps) {
  dpi::StreamOrder s;
  const Payload p = bytesOf("abcdef");
  auto r = s.accept(0xfffffffd, p);  // wraps past zero
  EXPECT_EQ(r.data.size(), 6u);
  EXPECT_FALSE(r.gap);
  r = s.accept(0xfffffffd, p);  // a whole retransmission
  EXPECT_TRUE(r.data.empty());
  r = s.accept(1, p);  // overlaps the last two bytes
  ASSERT_EQ(r.data.size(), 4u);
  EXPECT_EQ(r.data[0], 'c');
  r = s.accept(100, p);  // bytes 7..99 never seen
  EXPECT_TRUE(r.gap);
  EXPECT_EQ(r.data.size(), 6u);
  r = s.accept(106, p);
  EXPECT_FALSE(r.gap);
}

}  // namespace
}  // namespace rustnet::test
