// The TLS analyzer behind the Inspector: hellos split at every offset, reordered, over
// several records, too large, behind PROXY headers, and replayed from the shared captures.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <numeric>
#include <set>
#include <string>
#include <vector>

#include "dpi/tls/tls_facts.h"
#include "dpi/inspector.h"
#include "dpi/tls/record_layer.h"
#include "dpi/tls/tls_analyzer.h"
#include "flow_replay.h"
#include "support/test_support.h"
#include "tls_builders.h"
#include "truth_table.h"

namespace rustnet::dpi::tls {
namespace {

using test::buildClientHello;
using test::buildServerHello;
using test::ClientHelloSpec;
using test::wrapInRecords;

struct Piece {
  std::uint32_t offset;
  std::vector<std::uint8_t> bytes;
};

// Cuts `stream` at the given offsets into pieces.
std::vector<Piece> cut(const std::vector<std::uint8_t>& stream, std::vector<std::size_t> at) {
  std::vector<Piece> out;
  at.push_back(stream.size());
  std::size_t from = 0;
  for (std::size_t to : at) {
    if (to <= from) continue;
    out.push_back({static_cast<std::uint32_t>(from),
                   std::vector<std::uint8_t>(stream.begin() + static_cast<std::ptrdiff_t>(from),
                                             stream.begin() + static_cast<std::ptrdiff_t>(to))});
    from = to;
  }
  return out;
}

constexpr std::uint32_t kClientIsn = 0xfffffff0;  // wraps inside the hello
constexpr std::uint32_t kServerIsn = 1000;

struct Session {
  Inspector inspector{FlowInfo{Transport::Tcp, 50000, 8443}};
  Counters counters;
  void client(const Piece& p) {
    inspector.feed(core::Bytes(p.bytes), Direction::Outbound, kClientIsn + p.offset, core::Timestamp{}, counters);
  }
  void server(const Piece& p) {
    inspector.feed(core::Bytes(p.bytes), Direction::Inbound, kServerIsn + p.offset, core::Timestamp{}, counters);
  }
};

ClientHelloSpec specFor(const std::string& sni) {
  ClientHelloSpec spec;
  spec.sni = sni;
  spec.alpn = {"h2"};
  return spec;
}

void expectClientFacts(const Inspector& in, const std::string& sni) {
  ASSERT_EQ(in.facts().proto(), &dpi::tls::kTls);
  const auto* t = in.facts().find<dpi::TlsFacts>();
  ASSERT_NE(t, nullptr);
  EXPECT_EQ(t->sni, sni);
  EXPECT_EQ(t->alpn, std::vector<std::string>{"h2"});
  EXPECT_EQ(t->maxOfferedVersion, 0x0304);
  EXPECT_TRUE(t->clientHelloSeen);
}

TEST(TlsAnalyzer, ClientHelloSplitAtEveryOffsetInAndOutOfOrder) {
  const auto stream = wrapInRecords(buildClientHello(specFor("split.example")));
  const auto serverHello = wrapInRecords(buildServerHello({}));
  for (std::size_t at = 1; at < stream.size(); ++at) {
    for (bool reversed : {false, true}) {
      Session s;
      auto pieces = cut(stream, {at});
      if (reversed) std::reverse(pieces.begin(), pieces.end());
      for (const auto& p : pieces) s.client(p);
      s.server({0, serverHello});
      SCOPED_TRACE(testing::Message() << "cut at " << at << (reversed ? " reversed" : ""));
      expectClientFacts(s.inspector, "split.example");
      EXPECT_EQ(s.inspector.facts().find<dpi::TlsFacts>()->cipher, 0x1301);
      EXPECT_EQ(s.inspector.facts().find<dpi::TlsFacts>()->negotiatedVersion, 0x0304);
      EXPECT_TRUE(s.inspector.finished());
    }
  }
}

TEST(TlsAnalyzer, ManyRecordsAndSegmentsInEveryOrder) {
  const auto stream = wrapInRecords(buildClientHello(specFor("perm.example")), 60);
  const std::size_t q = stream.size() / 5;
  auto pieces = cut(stream, {7, q + 1, 2 * q + 3, 3 * q + 5});
  ASSERT_EQ(pieces.size(), 5u);
  std::vector<std::size_t> order(pieces.size());
  std::iota(order.begin(), order.end(), 0);
  int runs = 0;
  do {
    Session s;
    for (std::size_t i : order) s.client(pieces[i]);
    expectClientFacts(s.inspector, "perm.example");
    ++runs;
  } while (std::next_permutation(order.begin(), order.end()));
  EXPECT_EQ(runs, 120);
}

TEST(TlsAnalyzer, RetransmissionsAndOverlapsDoNotConfuse) {
  const auto stream = wrapInRecords(buildClientHello(specFor("retx.example")));
  Session s;
  auto pieces = cut(stream, {40, 90});
  s.client(pieces[0]);
  s.client(pieces[0]);                                   // retransmitted
  s.client(cut(stream, {20, 100})[1]);                   // overlaps both neighbours
  s.client(pieces[2]);
  expectClientFacts(s.inspector, "retx.example");
}

TEST(TlsAnalyzer, ServerHelloFirstThenClientHello) {
  Session s;
  s.server({0, wrapInRecords(buildServerHello({0x0303, 0xc030, 0}))});
  s.client({0, wrapInRecords(buildClientHello(specFor("late.example")))});
  expectClientFacts(s.inspector, "late.example");
  EXPECT_EQ(s.inspector.facts().find<dpi::TlsFacts>()->negotiatedVersion, 0x0303);
  EXPECT_EQ(s.inspector.facts().find<dpi::TlsFacts>()->cipher, 0xc030);
  EXPECT_TRUE(s.inspector.finished());
}

TEST(TlsAnalyzer, OversizedClientHelloKeepsWhatFits) {
  ClientHelloSpec spec = specFor("huge.example");
  spec.paddingExtension = 65400;  // over several 16 KiB records, past the cap
  spec.ech = true;                // ...and ECH sits before the padding
  const auto msg = buildClientHello(spec);
  const std::vector<std::uint8_t> stream = wrapInRecords(msg);
  ASSERT_GT(stream.size(), kMaxClientHelloBytes);
  Session s;
  std::vector<std::size_t> offsets;
  for (std::size_t at = 1400; at < stream.size(); at += 1400) offsets.push_back(at);
  std::size_t fed = 0;
  for (const auto& p : cut(stream, offsets)) {
    s.client(p);
    if (++fed == kMaxInspectedPackets - kMaxProbePackets) break;
  }
  // The Inspector would give up soon: whatever arrived is parsed already.
  ASSERT_EQ(s.inspector.facts().proto(), &dpi::tls::kTls);
  EXPECT_EQ(s.inspector.facts().find<dpi::TlsFacts>()->sni, "huge.example");
  EXPECT_TRUE(s.inspector.facts().find<dpi::TlsFacts>()->ech);

  // Delivered to the end (as if the Inspector had no packet bound) the cap is counted.
  TlsAnalyzer analyzer;
  Facts facts;
  Counters counters;
  const FlowInfo flow{Transport::Tcp, 50000, 443};
  Context ctx{facts, counters, flow, core::Timestamp{}};
  for (const auto& p : cut(stream, offsets)) {
    analyzer.feed(Segment{core::Bytes(p.bytes), Direction::Outbound, kClientIsn + p.offset}, ctx);
  }
  EXPECT_EQ(counters.capHits(Cap::TlsHandshakeBytes), 1u);
  EXPECT_EQ(facts.get<dpi::TlsFacts>().sni, "huge.example");
}

TEST(TlsAnalyzer, ProxyProtocolBeforeClientHello) {
  const std::string line = "PROXY TCP6 2001:db8::1 2001:db8::2 51000 443\r\n";
  std::vector<std::uint8_t> stream(line.begin(), line.end());
  const auto records = wrapInRecords(buildClientHello(specFor("proxied.example")));
  stream.insert(stream.end(), records.begin(), records.end());
  for (std::size_t at = 1; at < stream.size(); at += 7) {
    Session s;
    for (const auto& p : cut(stream, {at})) s.client(p);
    expectClientFacts(s.inspector, "proxied.example");
  }
}

TEST(TlsAnalyzer, OutOfOrderStartOnTlsPortIsClaimedByPort) {
  const auto stream = wrapInRecords(buildClientHello(specFor("port.example")));
  auto pieces = cut(stream, {100});
  Inspector in{FlowInfo{Transport::Tcp, 50000, 443}};
  Counters c;
  in.feed(core::Bytes(pieces[1].bytes), Direction::Outbound, 5000 + pieces[1].offset, {}, c);
  in.feed(core::Bytes(pieces[0].bytes), Direction::Outbound, 5000, {}, c);
  ASSERT_EQ(in.facts().proto(), &dpi::tls::kTls);
  EXPECT_EQ(in.facts().find<dpi::TlsFacts>()->sni, "port.example");
}

TEST(TlsAnalyzer, NonTlsOnTlsPortIsReleased) {
  Inspector in{FlowInfo{Transport::Tcp, 50000, 443}};
  Counters c;
  const std::vector<std::uint8_t> junk(100, 0x41);
  for (std::uint32_t i = 0; i < kMaxTlsStartWaitPackets + 2; ++i) {
    in.feed(core::Bytes(junk), Direction::Outbound, 1 + i * 100, {}, c);
  }
  EXPECT_EQ(in.facts().proto(), nullptr);
  EXPECT_GE(c.notMine, 1u);
}

// ---- the shared captures -----------------------------------------------------------------

std::set<std::string> tlsSnis(const test::Replay& r) {
  std::set<std::string> out;
  for (const auto& f : r.flows) {
    const auto* t = f.inspector->facts().find<dpi::TlsFacts>();
    if (t != nullptr && !t->sni.empty()) out.insert(t->sni);
  }
  return out;
}

TEST(TlsCaptures, KnownFiles) {
  const auto dir = test::pcapDir();
  if (dir.empty()) GTEST_SKIP() << "shared captures absent";
  struct Case {
    const char* file;
    const char* sni;
    std::uint16_t maxVersion;
    bool ech;
  };
  const Case cases[] = {
      {"ndpi__tls_2_reasms.pcapng", "i.instagram.com", 0x0304, false},
      {"ndpi__haproxy.pcap", "aaaaaaaaaaaaaaaa.xx", 0x0304, false},
      {"ndpi__tls_ech.pcapng", "performance.radar.cloudflare.com", 0x0304, true},
      {"ndpi__443-curl.pcap", "www.ntop.org", 0x0303, false},
      {"wireshark__tls12-aes128ccm.pcap", "localhost", 0x0303, false},
      {"suricata-verify__tls__tls13-draft28__tls13_draft28.pcap", "localhost", 0x7f1c, false},
      {"ndpi__tls_1.3_unidirectional_client.pcapng", "www.google.com", 0x0304, false},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.file);
    const auto r = test::replayCapture(dir / c.file);
    bool found = false;
    for (const auto& f : r.flows) {
      const auto* t = f.inspector->facts().find<dpi::TlsFacts>();
      if (t == nullptr || t->sni != c.sni) continue;
      found = true;
      EXPECT_EQ(f.inspector->facts().proto(), &dpi::tls::kTls);
      EXPECT_EQ(t->maxOfferedVersion, c.maxVersion);
      EXPECT_EQ(t->ech, c.ech);
    }
    EXPECT_TRUE(found) << "no TLS flow with SNI " << c.sni;
  }
}

TEST(TlsCaptures, EncryptedSniIsFlagged) {
  const auto dir = test::pcapDir();
  if (dir.empty()) GTEST_SKIP() << "shared captures absent";
  const auto r = test::replayCapture(dir / "ndpi__encrypted_sni.pcap");
  int flagged = 0;
  for (const auto& f : r.flows) {
    const auto* t = f.inspector->facts().find<dpi::TlsFacts>();
    if (t != nullptr && t->ech && t->sni.empty()) ++flagged;
  }
  EXPECT_EQ(flagged, 3);
}

TEST(TlsCaptures, HugeClientHelloYieldsAlpnAndVersion) {
  const auto dir = test::pcapDir();
  if (dir.empty()) GTEST_SKIP() << "shared captures absent";
  const auto r = test::replayCapture(dir / "ndpi__tls_with_huge_ch.pcapng");
  ASSERT_EQ(r.flows.size(), 1u);
  const auto* t = r.flows[0].inspector->facts().find<dpi::TlsFacts>();
  ASSERT_NE(t, nullptr);
  EXPECT_EQ(t->alpn, (std::vector<std::string>{"h2", "http/1.1"}));
  EXPECT_EQ(t->maxOfferedVersion, 0x0304);
  EXPECT_TRUE(t->serverHelloSeen);
}

// Every capture whose truth row lists TLS SNIs yields the same set (tshark's view).
TEST(TlsCaptures, SniSetsMatchTruth) {
  const auto dir = test::pcapDir();
  if (dir.empty()) GTEST_SKIP() << "shared captures absent";
  // Differences explained by layers below DPI.
  const std::map<std::string, std::string> known{
      {"ndpi__tls_invalid_reads.pcap", "the hello with SNI is inside a GTP-U tunnel (UDP 2152), "
                                       "which decode does not open"},
  };
  const auto truth = test::readTruth(dir / "truth.tsv");
  int files = 0;
  for (const auto& row : truth) {
    const auto expected = test::namesOf(row.at("tls_sni"));
    if (expected.empty() || known.count(row.at("file")) != 0) continue;
    ++files;
    const auto got = tlsSnis(test::replayCapture(dir / row.at("file")));
    std::set<std::string> missing;
    std::set_difference(expected.begin(), expected.end(), got.begin(), got.end(),
                        std::inserter(missing, missing.begin()));
    EXPECT_TRUE(missing.empty()) << row.at("file") << ": missing " << testing::PrintToString(missing);
  }
  EXPECT_GT(files, 10);
}

}  // namespace
}  // namespace rustnet::dpi::tls
