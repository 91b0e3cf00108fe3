// The tracker runs DPI on payloads: facts on the connection, application states in the
// label while the transport is open, application timeouts, counters, and --no-dpi.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "dpi/http/http_facts.h"
#include "dpi/dns/dns_facts.h"
#include "dpi/ssh/ssh_facts.h"
#include "dpi/facts.h"
#include "track/tcp_state.h"
#include "track/tracker.h"
#include "track_test_util.h"

namespace rustnet::track {
namespace {

using test::secs;

std::vector<std::uint8_t> bytesOf(const std::string& s) { return {s.begin(), s.end()}; }

// One DNS query for a.example, id 7.
const std::vector<std::uint8_t> kQuery = {0, 7, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 'a',
                                          7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 0, 0, 1, 0, 1};
std::vector<std::uint8_t> answer() {
  auto r = kQuery;
  r[2] = 0x81;
  r[3] = 0x80;
  return r;
}

decode::PacketView udpWith(core::Timestamp ts, const char* src, std::uint16_t sport, const char* dst,
                           std::uint16_t dport, const std::vector<std::uint8_t>& payload) {
  auto p = test::udp(ts, src, sport, dst, dport, static_cast<std::uint32_t>(42 + payload.size()));
  p.payload = payload;
  return p;
}

decode::PacketView tcpWith(core::Timestamp ts, const char* src, std::uint16_t sport, const char* dst,
                           std::uint16_t dport, std::uint32_t seq, const std::vector<std::uint8_t>& payload) {
  auto p = test::tcp(ts, src, sport, dst, dport, decode::tcpflag::kAck | decode::tcpflag::kPsh, seq, 1,
                     static_cast<std::uint32_t>(payload.size()));
  p.payload = payload;
  return p;
}

TEST(TrackDpi, DnsExchangeGivesFactsStateLabelAndTimeout) {
  test::TrackerFixture f;
  f.tracker.onPacket(udpWith(secs(1), "10.0.0.1", 40000, "10.0.0.53", 53, kQuery));
  const Connection& c = test::only(f.tracker);
  EXPECT_EQ(stateLabel(c, f.tracker.displayState(c, secs(1))), "DNS_QUERY");
  f.tracker.onPacket(udpWith(secs(1.01), "10.0.0.53", 53, "10.0.0.1", 40000, answer()));
  EXPECT_EQ(stateLabel(c, f.tracker.displayState(c, secs(2))), "DNS_RESPONSE");
  const auto facts = publishedFacts(c);
  ASSERT_NE(facts, nullptr);
  ASSERT_NE(facts->find<dpi::DnsFacts>(), nullptr);
  EXPECT_EQ(facts->find<dpi::DnsFacts>()->qname, "a.example");
  EXPECT_EQ(facts->find<dpi::DnsFacts>()->names, std::vector<std::string>{"a.example"});
  // DNS 30 s, halved for a connection of two packets (activity grace).
  EXPECT_EQ(f.tracker.idleTimeout(c), core::Duration::seconds(15));
  EXPECT_EQ(f.tracker.dpiCounters().hitsFor(&dpi::dns::kDns), 1u);
  EXPECT_EQ(f.tracker.dpiCounters().packetsInspected, 2u);
}

TEST(TrackDpi, NoDpiCreatesNoInspector) {
  TrackerConfig cfg;
  cfg.dpi = false;
  test::TrackerFixture f(cfg);
  f.tracker.onPacket(udpWith(secs(1), "10.0.0.1", 40000, "10.0.0.53", 53, kQuery));
  const Connection& c = test::only(f.tracker);
  EXPECT_EQ(c.facts(), nullptr);
  EXPECT_EQ(publishedFacts(c), nullptr);
  EXPECT_EQ(stateLabel(c, f.tracker.displayState(c, secs(1))), "UDP_ACTIVE");
  EXPECT_EQ(f.tracker.dpiCounters().packetsInspected, 0u);
}

TEST(TrackDpi, SshStatesShowWhileEstablishedThenTcpTakesOver) {
  test::TrackerFixture f;
  const char* cli = "10.0.0.1";
  const char* srv = "10.0.0.2";
  f.tracker.onPacket(test::tcp(secs(0), cli, 50000, srv, 22, decode::tcpflag::kSyn, 100));
  f.tracker.onPacket(test::tcp(secs(0.01), srv, 22, cli, 50000,
                               decode::tcpflag::kSyn | decode::tcpflag::kAck, 500, 101));
  f.tracker.onPacket(test::tcp(secs(0.02), cli, 50000, srv, 22, decode::tcpflag::kAck, 101, 501));
  const std::string banner = "SSH-2.0-OpenSSH_9.2\r\n";
  f.tracker.onPacket(tcpWith(secs(0.03), srv, 22, cli, 50000, 501, bytesOf(banner)));
  const Connection& c = test::only(f.tracker);
  EXPECT_TRUE(c.localInitiated);
  EXPECT_EQ(stateLabel(c, f.tracker.displayState(c, secs(1))), "BANNER");
  EXPECT_EQ(f.tracker.idleTimeout(c), core::Duration::seconds(30 * 60));
  const auto facts = publishedFacts(c);
  ASSERT_NE(facts, nullptr);
  EXPECT_EQ(facts->summary(), "SSH (OpenSSH_9.2)");
  // The server's banner is the server's: the client opened the connection.
  EXPECT_TRUE(facts->find<dpi::SshFacts>()->server.seen);
  f.tracker.onPacket(test::tcp(secs(2), cli, 50000, srv, 22,
                               decode::tcpflag::kFin | decode::tcpflag::kAck, 101,
                               static_cast<std::uint32_t>(501 + banner.size())));
  EXPECT_EQ(stateLabel(c, f.tracker.displayState(c, secs(2))), "FIN_WAIT1");
  EXPECT_EQ(f.tracker.idleTimeout(c), f.tracker.config().timeouts.tcpClosing);
}

TEST(TrackDpi, RecordsGetACopyWhileInspectingAndTheKeptFactsAfter) {
  test::TrackerFixture f;
  const std::string req = "GET / HTTP/1.1\r\nHost: h.example\r\n";
  f.tracker.onPacket(tcpWith(secs(0), "10.0.0.1", 50000, "10.0.0.2", 8000, 1, bytesOf(req)));
  const Connection& c = test::only(f.tracker);
  const auto first = publishedFacts(c);
  ASSERT_NE(first, nullptr);
  EXPECT_EQ(first->find<dpi::HttpFacts>()->host, "h.example");
  EXPECT_EQ(c.published, nullptr);  // while inspecting, the facts are held once: by the inspector
  f.tracker.onPacket(tcpWith(secs(0.1), "10.0.0.1", 50000, "10.0.0.2", 8000,
                             static_cast<std::uint32_t>(1 + req.size()), bytesOf("User-Agent: u\r\n\r\n")));
  const auto second = publishedFacts(c);
  EXPECT_NE(second, first);
  EXPECT_EQ(second->find<dpi::HttpFacts>()->userAgent, "u");
  EXPECT_TRUE(first->find<dpi::HttpFacts>()->userAgent.empty());  // earlier copies never change
  // Once the facts are final, the inspector is gone and the facts stay.
  f.tracker.onPacket(tcpWith(secs(0.2), "10.0.0.2", 8000, "10.0.0.1", 50000, 1,
                             bytesOf("HTTP/1.1 200 OK\r\n\r\n")));
  EXPECT_EQ(c.inspector, nullptr);
  EXPECT_TRUE(c.dpiDone);
  const auto kept = publishedFacts(c);
  ASSERT_NE(kept, nullptr);
  EXPECT_EQ(kept->find<dpi::HttpFacts>()->status, 200);
  EXPECT_EQ(kept->find<dpi::HttpFacts>()->userAgent, "u");
  EXPECT_EQ(publishedFacts(c), kept);  // every later record shares the kept facts
}

}  // namespace
}  // namespace rustnet::track
