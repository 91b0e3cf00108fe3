#include "dpi/http/http_facts.h"
#include "dpi/ssh/ssh_facts.h"
#include "dpi/http/http_analyzer.h"

#include <gtest/gtest.h>

#include "core/text.h"
#include "dpi/facts.h"
#include "dpi_test_util.h"

namespace rustnet::test {
namespace {

using dpi::AppProto;
using dpi::Cap;

const std::string kRequest =
    "GET /index.html?q=1 HTTP/1.1\r\n"
    "Host: www.example.com\r\n"
    "User-Agent: curl/8.1.2\r\n"
    "Accept: */*\r\n"
    "\r\n";
const std::string kResponse =
    "HTTP/1.1 404 Not Found\r\n"
    "Content-Length: 5\r\n"
    "\r\n"
    "nope!";

void expectRequestFacts(const dpi::Facts& f) {
  ASSERT_EQ(f.proto(), &dpi::http::kHttp);
  ASSERT_NE(f.find<dpi::HttpFacts>(), nullptr);
  EXPECT_EQ(f.find<dpi::HttpFacts>()->method, "GET");
  EXPECT_EQ(f.find<dpi::HttpFacts>()->host, "www.example.com");
  EXPECT_EQ(f.find<dpi::HttpFacts>()->path, "/index.html?q=1");
  EXPECT_EQ(f.find<dpi::HttpFacts>()->userAgent, "curl/8.1.2");
}

TEST(HttpAnalyzer, RequestAndResponseWhole) {
  Conversation c(tcpFlow());
  c.sendAll({out(bytesOf(kRequest)), in(bytesOf(kResponse))});
  expectRequestFacts(c.facts());
  EXPECT_EQ(c.facts().find<dpi::HttpFacts>()->status, 404);
  EXPECT_EQ(c.facts().domain(), "www.example.com");
  EXPECT_EQ(c.facts().summary(), "HTTP (www.example.com)");
  EXPECT_TRUE(c.inspector().finished());
  EXPECT_EQ(c.counters().hitsFor(&dpi::http::kHttp), 1u);
}

TEST(HttpAnalyzer, RequestSplitAtEveryOffset) {
  const std::vector<Msg> msgs = {out(bytesOf(kRequest)), in(bytesOf(kResponse))};
  for (std::size_t at = 1; at < kRequest.size(); ++at) {
    SCOPED_TRACE(at);
    Conversation c(tcpFlow());
    c.sendAllSplitting(msgs, 0, at);
    expectRequestFacts(c.facts());
    EXPECT_EQ(c.facts().find<dpi::HttpFacts>()->status, 404);
    EXPECT_TRUE(c.inspector().finished());
  }
}

TEST(HttpAnalyzer, ResponseSplitAtEveryOffset) {
  const std::vector<Msg> msgs = {out(bytesOf(kRequest)), in(bytesOf(kResponse))};
  for (std::size_t at = 1; at < kResponse.size(); ++at) {
    SCOPED_TRACE(at);
    Conversation c(tcpFlow());
    c.sendAllSplitting(msgs, 1, at);
    expectRequestFacts(c.facts());
    EXPECT_EQ(c.facts().find<dpi::HttpFacts>()->status, 404);
  }
}

TEST(HttpAnalyzer, CaptureStartingWithTheResponse) {
  Conversation c(tcpFlow());
  c.send(in(bytesOf(kResponse)));
  EXPECT_EQ(c.facts().proto(), &dpi::http::kHttp);
  EXPECT_EQ(c.facts().find<dpi::HttpFacts>()->status, 404);
  EXPECT_TRUE(c.facts().find<dpi::HttpFacts>()->host.empty());
  EXPECT_FALSE(c.inspector().finished());
  // The next request on the kept-alive connection names the host.
  c.send(out(bytesOf(kRequest)));
  expectRequestFacts(c.facts());
  EXPECT_TRUE(c.inspector().finished());
}

TEST(HttpAnalyzer, FirstRequestWinsOnKeepAlive) {
  Conversation c(tcpFlow());
  c.send(out(bytesOf(kRequest)));
  // Body bytes in the other direction do not start a head: ignored.
  c.send(in(bytesOf("...body of an earlier response...")));
  c.send(out(bytesOf("POST /other HTTP/1.1\r\nHost: other.example\r\n\r\n")));
  expectRequestFacts(c.facts());
}

TEST(HttpAnalyzer, RetransmittedSegmentIsNotReadTwice) {
  Conversation c(tcpFlow());
  const Payload first = bytesOf("GET / HTTP/1.1\r\nHo");
  const Payload second = bytesOf("st: a.example\r\nUser-Agent: x\r\n\r\n");
  c.send(dpi::Direction::Outbound, first);
  c.resend(dpi::Direction::Outbound, first, static_cast<std::uint32_t>(first.size()));
  c.send(dpi::Direction::Outbound, second);
  ASSERT_NE(c.facts().find<dpi::HttpFacts>(), nullptr);
  EXPECT_EQ(c.facts().find<dpi::HttpFacts>()->host, "a.example");
}

TEST(HttpAnalyzer, AbsoluteFormTargetGivesTheHostWhenNoHostHeader) {
  Conversation c(tcpFlow(40000, 3128));
  c.send(out(bytesOf("GET http://user@proxied.example:8080/a/b HTTP/1.0\r\n\r\n")));
  ASSERT_NE(c.facts().find<dpi::HttpFacts>(), nullptr);
  EXPECT_EQ(c.facts().find<dpi::HttpFacts>()->host, "proxied.example:8080");
  EXPECT_EQ(c.facts().find<dpi::HttpFacts>()->path, "http://user@proxied.example:8080/a/b");
}

TEST(HttpAnalyzer, HostHeaderWinsOverTheTarget) {
  Conversation c(tcpFlow());
  c.send(out(bytesOf("GET http://a.example/ HTTP/1.1\r\nhOsT:   b.example \r\n\r\n")));
  EXPECT_EQ(c.facts().find<dpi::HttpFacts>()->host, "b.example");
}

TEST(HttpAnalyzer, InterimResponseIsSkippedForTheFinalStatus) {
  Conversation c(tcpFlow());
  c.send(out(bytesOf("POST /up HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\n\r\n")));
  c.send(in(bytesOf("HTTP/1.1 100 Continue\r\n\r\n")));
  EXPECT_EQ(c.facts().find<dpi::HttpFacts>()->status, 0);
  c.send(out(bytesOf("body")));
  c.send(in(bytesOf("HTTP/1.1 201 Created\r\n\r\n")));
  EXPECT_EQ(c.facts().find<dpi::HttpFacts>()->status, 201);
  EXPECT_TRUE(c.inspector().finished());
}

TEST(HttpAnalyzer, HeadLargerThanTheCapKeepsWhatWasReadAndCounts) {
  Conversation c(tcpFlow());
  std::string big = "GET /big HTTP/1.1\r\nHost: big.example\r\nX-Pad: ";
  big += std::string(dpi::http::kMaxHttpHeaderBytes, 'a');
  big += "\r\nUser-Agent: never-read\r\n\r\n";
  c.send(out(bytesOf(big)));
  EXPECT_EQ(c.counters().capHits(Cap::HttpHeaderBytes), 1u);
  ASSERT_NE(c.facts().find<dpi::HttpFacts>(), nullptr);
  EXPECT_EQ(c.facts().find<dpi::HttpFacts>()->host, "big.example");
  EXPECT_TRUE(c.facts().find<dpi::HttpFacts>()->userAgent.empty());
  // The response still completes the exchange.
  c.send(in(bytesOf("HTTP/1.1 200 OK\r\n\r\n")));
  EXPECT_TRUE(c.inspector().finished());
}

TEST(HttpAnalyzer, LongStringsAreCappedAndEscapedWhenShown) {
  Conversation c(tcpFlow());
  c.send(out(bytesOf("GET / HTTP/1.1\r\nHost: evil\x1b[2J" + std::string(400, 'h') + "\r\n\r\n")));
  ASSERT_NE(c.facts().find<dpi::HttpFacts>(), nullptr);
  EXPECT_EQ(c.facts().find<dpi::HttpFacts>()->host.size(), core::kMaxWireString);
  const auto shown = c.facts().summary();
  EXPECT_EQ(shown.find('\x1b'), std::string::npos);
  EXPECT_NE(shown.find("evil\\x1b[2J"), std::string::npos);
}

TEST(HttpAnalyzer, ConnectTunnelHandsOverToTheInnerProtocol) {
  Conversation c(tcpFlow(40000, 3128));
  c.send(out(bytesOf("CONNECT git.example:22 HTTP/1.1\r\nUser-Agent: ua\r\n\r\n")));
  c.send(in(bytesOf("HTTP/1.1 200 Connection established\r\n\r\n")));
  EXPECT_EQ(c.facts().proto(), &dpi::http::kHttp);
  EXPECT_EQ(c.facts().find<dpi::HttpFacts>()->method, "CONNECT");
  EXPECT_EQ(c.facts().find<dpi::HttpFacts>()->host, "git.example:22");
  EXPECT_FALSE(c.inspector().finished());
  // What runs inside the tunnel becomes the connection's protocol; the CONNECT stays known.
  c.send(in(bytesOf("SSH-2.0-OpenSSH_9.2p1\r\n")));
  EXPECT_EQ(c.facts().proto(), &dpi::ssh::kSsh);
  ASSERT_NE(c.facts().find<dpi::HttpFacts>(), nullptr);
  EXPECT_EQ(c.facts().find<dpi::HttpFacts>()->host, "git.example:22");
  EXPECT_EQ(c.counters().hitsFor(&dpi::http::kHttp), 1u);
  EXPECT_EQ(c.counters().hitsFor(&dpi::ssh::kSsh), 0u);  // hits count connections, once
}

TEST(HttpAnalyzer, RefusedConnectIsNotATunnel) {
  Conversation c(tcpFlow(40000, 3128));
  c.send(out(bytesOf("CONNECT x.example:443 HTTP/1.1\r\nHost: x.example:443\r\n\r\n")));
  c.send(in(bytesOf("HTTP/1.1 407 Proxy Authentication Required\r\n\r\n")));
  EXPECT_TRUE(c.inspector().finished());
  EXPECT_EQ(c.facts().find<dpi::HttpFacts>()->status, 407);
}

TEST(HttpAnalyzer, SsdpOverUdp) {
  Conversation c(udpFlow(50000, 1900));
  c.send(out(bytesOf("M-SEARCH * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\nMAN: \"ssdp:discover\"\r\n"
                     "ST: ssdp:all")));  // last line without its line break
  EXPECT_EQ(c.facts().proto(), &dpi::http::kSsdp);
  EXPECT_EQ(c.facts().find<dpi::HttpFacts>()->method, "M-SEARCH");
  EXPECT_EQ(c.facts().find<dpi::HttpFacts>()->host, "239.255.255.250:1900");
  EXPECT_TRUE(c.inspector().finished());
}

TEST(HttpAnalyzer, ProbeWantsAMethodAndASpaceOrAStatusLine) {
  const auto& e = dpi::http::kEntry;
  const auto flow = tcpFlow();
  const auto probe = [&](const std::string& s) {
    const Payload p = bytesOf(s);
    return e.probe(flow, dpi::Segment{p, dpi::Direction::Outbound, 0});
  };
  EXPECT_EQ(probe("GET / HTTP/1.1\r\n"), dpi::Confidence::Content);
  EXPECT_EQ(probe("HTTP/1.0 200 OK\r\n"), dpi::Confidence::Content);
  EXPECT_EQ(probe("GETX / HTTP/1.1\r\n"), dpi::Confidence::None);
  EXPECT_EQ(probe("GET"), dpi::Confidence::None);
  EXPECT_EQ(probe("HTTP/2.0 200"), dpi::Confidence::None);
  const Payload p = bytesOf("GET / HTTP/1.1\r\n\r\n");
  EXPECT_EQ(e.probe(udpFlow(4000, 5000), dpi::Segment{p, dpi::Direction::Outbound, 0}),
            dpi::Confidence::None);
}

TEST(HttpAnalyzer, StartLineThatIsNotHttpIsNotMine) {
  Conversation c(tcpFlow());
  c.send(out(bytesOf("GET something that is not a request line\r\n")));
  EXPECT_EQ(c.facts().proto(), nullptr);
  EXPECT_EQ(c.counters().notMine, 1u);
  Conversation r(tcpFlow());
  r.send(in(bytesOf("HTTP/1.1 2x0 Weird\r\n\r\n")));
  EXPECT_EQ(r.facts().proto(), nullptr);
}

TEST(HttpAnalyzer, EveryPrefixOfAnExchangeIsHandled) {
  const std::string all = kRequest;
  for (std::size_t n = 1; n <= all.size(); ++n) {
    Conversation c(tcpFlow());
    c.send(out(bytesOf(all.substr(0, n))));
    EXPECT_FALSE(c.inspector().finished());
  }
}

}  // namespace
}  // namespace rustnet::test
