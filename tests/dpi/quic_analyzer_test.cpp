// The QUIC analyzer behind the Inspector: the RFC packets, ClientHellos split over Initial
// packets and datagrams in every order, coalesced packets, states, closes, Version
// Negotiation, Retry, caps, and the shared captures against truth.tsv.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <numeric>
#include <set>
#include <string>

#include "dpi/quic/quic_facts.h"
#include "dpi/inspector.h"
#include "dpi/quic/quic_analyzer.h"
#include "flow_replay.h"
#include "quic_builders.h"
#include "quic_vectors.h"
#include "support/test_support.h"
#include "tls_builders.h"
#include "truth_table.h"

namespace rustnet::dpi::quic {
namespace {

using test::ByteVec;
using test::fromHex;
namespace vec = test::vectors;

const ByteVec kDcid = fromHex("0123456789abcdef");
const ByteVec kScid = fromHex("c0ffee00");
const ByteVec kServerCid = fromHex("5e5e5e5e5e5e5e5e");

struct Session {
  explicit Session(FlowInfo flow = FlowInfo{Transport::Udp, 50000, 4433}) : in(flow) {}
  Inspector in;
  Counters counters;
  core::Timestamp t = core::Timestamp::fromNanos(1'000'000'000);
  bool client(const ByteVec& d) { return feed(d, Direction::Outbound); }
  bool server(const ByteVec& d) { return feed(d, Direction::Inbound); }
  bool feed(const ByteVec& d, Direction dir) {
    t = t + core::Duration::millis(10);
    return in.feed(core::Bytes(d), dir, 0, t, counters);
  }
  const QuicFacts& quic() const { return *in.facts().find<dpi::QuicFacts>(); }
};

InitialKeys keysFor(const ByteVec& dcid, std::uint32_t version = 1) {
  InitialKeys k;
  EXPECT_TRUE(deriveInitialKeys(*versionInfo(version), core::Bytes(dcid), k));
  return k;
}

// The client's CRYPTO stream: a ClientHello with SNI, ALPN and max_idle_timeout 10 s.
ByteVec clientHelloStream(const std::string& sni) {
  test::ClientHelloSpec spec;
  spec.sni = sni;
  spec.alpn = {"h3"};
  spec.quicTransportParameters = {0x01, 0x02, 0x67, 0x10};  // max_idle_timeout = 10000 ms
  spec.paddingExtension = 300;                              // longer than one tiny packet
  return test::buildClientHello(spec);
}

ByteVec slice(const ByteVec& v, std::size_t from, std::size_t to) {
  return ByteVec(v.begin() + static_cast<std::ptrdiff_t>(from), v.begin() + static_cast<std::ptrdiff_t>(to));
}

// A client Initial carrying the given CRYPTO fragments, padded like a real one.
ByteVec clientInitial(const InitialKeys& k, const ByteVec& frames, std::uint64_t pn, const ByteVec& dcid = kDcid,
                      std::uint32_t version = 1) {
  test::LongPacketSpec spec;
  spec.version = version;
  spec.dcid = dcid;
  spec.scid = kScid;
  spec.packetNumber = pn;
  spec.v2 = version == 0x6b3343cf;
  ByteVec payload = frames;
  if (payload.size() < 1100) payload.resize(1100, 0);
  return test::sealLongPacket(k.client, spec, payload);
}

ByteVec serverPacket(const InitialKeys& k, PacketType type, const ByteVec& frames, std::uint64_t pn) {
  test::LongPacketSpec spec;
  spec.type = type;
  spec.dcid = kScid;
  spec.scid = kServerCid;
  spec.packetNumber = pn;
  ByteVec payload = frames;
  if (payload.size() < 32) payload.resize(32, 0);
  return test::sealLongPacket(k.server, spec, payload);
}

void expectHello(const Session& s, const std::string& sni) {
  ASSERT_EQ(s.in.facts().proto(), &dpi::quic::kQuic);
  EXPECT_EQ(s.quic().sni, sni);
  EXPECT_EQ(s.quic().alpn, std::vector<std::string>{"h3"});
  EXPECT_EQ(s.quic().maxIdleTimeoutMs, 10000u);
  EXPECT_EQ(s.in.facts().idleTimeoutHint(), core::Duration::seconds(10));
}

TEST(QuicAnalyzer, RfcClientInitials) {
  for (const auto* packet : {vec::kV1ClientPacket, vec::kV2ClientPacket}) {
    Session s;
    EXPECT_TRUE(s.client(fromHex(packet)));
    ASSERT_EQ(s.in.facts().proto(), &dpi::quic::kQuic);
    EXPECT_EQ(s.in.facts().state(), &dpi::quic::kInitial);
    EXPECT_EQ(s.quic().sni, "example.com");
    EXPECT_EQ(s.quic().alpn, std::vector<std::string>{"alpn"});
    EXPECT_EQ(s.quic().maxIdleTimeoutMs, 30000u);
    EXPECT_EQ(s.in.facts().idleTimeoutHint(), core::Duration::seconds(30));
    EXPECT_EQ(s.quic().dcid.len, 8);
    EXPECT_EQ(s.in.facts().summary(), "QUIC (example.com)");
  }
}

TEST(QuicAnalyzer, RfcServerInitialAfterClientInitial) {
  Session s;
  s.client(fromHex(vec::kV1ClientPacket));
  s.server(fromHex(vec::kV1ServerPacket));
  EXPECT_EQ(s.in.facts().state(), &dpi::quic::kInitial);
  EXPECT_FALSE(s.quic().closed);
}

TEST(QuicAnalyzer, ClientHelloSplitOverTwoInitialsAtEveryOffset) {
  const auto k = keysFor(kDcid);
  const ByteVec ch = clientHelloStream("split.example");
  for (std::size_t at = 1; at < ch.size(); ++at) {
    const ByteVec first = clientInitial(k, test::cryptoFrame(0, slice(ch, 0, at)), 0);
    const ByteVec second = clientInitial(k, test::cryptoFrame(at, slice(ch, at, ch.size())), 1);
    for (bool reversed : {false, true}) {
      SCOPED_TRACE(testing::Message() << "split at " << at << (reversed ? " reversed" : ""));
      Session s;
      s.client(reversed ? second : first);
      s.client(reversed ? first : second);
      expectHello(s, "split.example");
    }
  }
}

TEST(QuicAnalyzer, ThreeInitialsInEveryOrderWithDuplicates) {
  const auto k = keysFor(kDcid);
  const ByteVec ch = clientHelloStream("order.example");
  const std::size_t a = ch.size() / 3;
  const std::size_t b = 2 * ch.size() / 3;
  std::vector<ByteVec> packets{
      clientInitial(k, test::cryptoFrame(0, slice(ch, 0, a)), 0),
      clientInitial(k, test::cryptoFrame(a, slice(ch, a, b)), 1),
      clientInitial(k, test::cryptoFrame(b, slice(ch, b, ch.size())), 2)};
  std::vector<int> order{0, 1, 2};
  do {
    Session s;
    s.client(packets[static_cast<std::size_t>(order[1])]);  // a duplicate first
    for (int i : order) s.client(packets[static_cast<std::size_t>(i)]);
    expectHello(s, "order.example");
  } while (std::next_permutation(order.begin(), order.end()));
}

TEST(QuicAnalyzer, OutOfOrderFramesInOnePacketAndCoalescedPackets) {
  const auto k = keysFor(kDcid);
  const ByteVec ch = clientHelloStream("coalesced.example");
  const std::size_t mid = ch.size() / 2;
  // Chrome-style: one packet with the second half before the first, PING and PADDING around.
  {
    Session s;
    s.client(clientInitial(k, test::concat({ByteVec{0x01}, test::cryptoFrame(mid, slice(ch, mid, ch.size())),
                                            ByteVec(7, 0), test::cryptoFrame(0, slice(ch, 0, mid))}), 0));
    expectHello(s, "coalesced.example");
  }
  // Two Initials coalesced in one datagram, later fragment first, then a 1-RTT packet.
  {
    test::LongPacketSpec spec;
    spec.dcid = kDcid;
    spec.scid = kScid;
    spec.packetNumber = 1;
    const ByteVec second = test::sealLongPacket(k.client, spec, test::cryptoFrame(mid, slice(ch, mid, ch.size())));
    spec.packetNumber = 0;
    const ByteVec first = test::sealLongPacket(k.client, spec, test::cryptoFrame(0, slice(ch, 0, mid)));
    Session s;
    s.client(test::concat({second, first, test::shortPacket(kServerCid, 40)}));
    expectHello(s, "coalesced.example");
  }
}

TEST(QuicAnalyzer, StatesGoForwardToConnected) {
  const auto k = keysFor(kDcid);
  Session s;
  s.client(clientInitial(k, test::cryptoFrame(0, clientHelloStream("state.example")), 0));
  EXPECT_EQ(s.in.facts().state(), &dpi::quic::kInitial);
  // Server: Initial (ACK) coalesced with a Handshake packet.
  s.server(test::concat({serverPacket(k, PacketType::Initial, test::ackFrame(0), 0),
                         serverPacket(k, PacketType::Handshake, ByteVec(40, 0), 0)}));
  EXPECT_EQ(s.in.facts().state(), &dpi::quic::kHandshake);
  s.client(test::shortPacket(kServerCid, 50));
  EXPECT_EQ(s.in.facts().state(), &dpi::quic::kHandshake);
  EXPECT_FALSE(s.in.finished());
  s.server(test::shortPacket(kScid, 50));
  EXPECT_EQ(s.in.facts().state(), &dpi::quic::kConnected);
  EXPECT_TRUE(s.in.finished());  // nothing more to learn from encrypted packets
  // A client Initial arriving late cannot move the state back.
  EXPECT_FALSE(s.client(clientInitial(k, ByteVec{0x01}, 3)));
  EXPECT_EQ(s.in.facts().state(), &dpi::quic::kConnected);
}

TEST(QuicAnalyzer, ClientHelloTailAfterTheServerAnsweredKeepsTheFirstKeys) {
  const auto k = keysFor(kDcid);
  const ByteVec ch = clientHelloStream("tail.example");
  const std::size_t mid = ch.size() / 2;
  Session s;
  s.client(clientInitial(k, test::cryptoFrame(0, slice(ch, 0, mid)), 0));
  s.server(serverPacket(k, PacketType::Initial, test::ackFrame(0), 0));
  // The rest goes to the server's connection ID: same keys, not keys from the new ID.
  s.client(clientInitial(k, test::cryptoFrame(mid, slice(ch, mid, ch.size())), 1, kServerCid));
  expectHello(s, "tail.example");
  s.server(serverPacket(k, PacketType::Initial, test::connectionCloseFrame(0x0a), 1));
  EXPECT_EQ(s.in.facts().state(), &dpi::quic::kDraining);
}

TEST(QuicAnalyzer, ConnectionCloseInServerInitialThenClient) {
  const auto k = keysFor(kDcid);
  Session s;
  s.client(clientInitial(k, test::cryptoFrame(0, clientHelloStream("close.example")), 0));
  EXPECT_EQ(s.in.facts().idleTimeoutHint(), core::Duration::seconds(10));
  s.server(serverPacket(k, PacketType::Initial, test::connectionCloseFrame(0x0a), 0));
  EXPECT_EQ(s.in.facts().state(), &dpi::quic::kDraining);
  EXPECT_TRUE(s.quic().closed);
  // 10 ms round trip: the linger time is the 1 s floor.
  EXPECT_EQ(s.in.facts().idleTimeoutHint(), core::Duration::seconds(1));
  EXPECT_FALSE(s.in.finished());
  // The client now addresses the server's chosen connection ID, still under the first keys.
  s.client(clientInitial(k, test::connectionCloseFrame(0), 1, kServerCid));
  EXPECT_EQ(s.in.facts().state(), &dpi::quic::kClosed);
  EXPECT_TRUE(s.in.finished());
}

TEST(QuicAnalyzer, VersionNegotiationThenV1) {
  Session s;
  // A client tries a greased version; the server answers with Version Negotiation.
  const auto kGrease = keysFor(kDcid, 1);  // any keys: the greased version cannot be opened
  test::LongPacketSpec spec;
  spec.version = 0x1a2a3a4a;
  spec.dcid = kDcid;
  spec.scid = kScid;
  s.client(test::sealLongPacket(kGrease.client, spec, ByteVec(1100, 0)));
  EXPECT_EQ(s.in.facts().proto(), &dpi::quic::kQuic);
  s.server(test::concat({fromHex("80 00000000 04 c0ffee00 08 0123456789abcdef 00000001 6b3343cf")}));
  EXPECT_TRUE(s.quic().versionNegotiation);
  const auto k = keysFor(kDcid, 0x6b3343cf);
  s.client(clientInitial(k, test::cryptoFrame(0, clientHelloStream("vn.example")), 0, kDcid, 0x6b3343cf));
  expectHello(s, "vn.example");
  EXPECT_EQ(s.quic().version, 0x6b3343cfu);
}

TEST(QuicAnalyzer, RetryThenInitialWithNewDcid) {
  Session s;
  const auto k1 = keysFor(kDcid);
  s.client(clientInitial(k1, ByteVec{0x01}, 0));
  // Retry: type 3, version, DCID = client SCID, SCID = new server CID, token, 16-byte tag.
  ByteVec retry = fromHex("f0 00000001 04 c0ffee00 08 5e5e5e5e5e5e5e5e");
  retry.insert(retry.end(), 24, 0x77);
  s.server(retry);
  EXPECT_TRUE(s.quic().retry);
  const auto k2 = keysFor(kServerCid);
  s.client(clientInitial(k2, test::cryptoFrame(0, clientHelloStream("retry.example")), 1, kServerCid));
  expectHello(s, "retry.example");
}

TEST(QuicAnalyzer, OtherUdpIsNotQuic) {
  Session s;
  const ByteVec dns = fromHex("12340100000100000000000003777777076578616d706c6503636f6d0000010001");
  s.client(dns);
  EXPECT_NE(s.in.facts().proto(), &dpi::quic::kQuic);
  // Long-header-looking garbage with an unknown version.
  Session t;
  t.client(fromHex("c0 12345678 08 0102030405060708 00 00 4010 00000000"));
  EXPECT_EQ(t.in.facts().proto(), nullptr);
  // An LLMNR query shaped like Version Negotiation (id 0x8000, flags 0, qdcount 1): a VN
  // packet opens no flow.
  Session u{FlowInfo{Transport::Udp, 61603, 5355}};
  u.client(fromHex("80000000000100000000000006697361746170000001 0001"));
  EXPECT_NE(u.in.facts().proto(), &dpi::quic::kQuic);
  // A DNS-shaped "v1 Initial" with an empty DCID in a small datagram is not a client Initial.
  Session v;
  v.client(fromHex("80 00000001 00 00 00 0c 0102030405060708090a0b0c"));
  EXPECT_NE(v.in.facts().proto(), &dpi::quic::kQuic);
}

TEST(QuicAnalyzer, CapsAreCounted) {
  const auto k = keysFor(kDcid);
  Session s;
  // Initials that never open (wrong keys for their DCID): decryption attempts are capped.
  const auto wrong = keysFor(fromHex("ffffffffffffffff"));
  for (int i = 0; i < 40; ++i) s.client(clientInitial(wrong, ByteVec{0x01}, static_cast<std::uint64_t>(i)));
  EXPECT_EQ(s.counters.capHits(Cap::QuicDecryptions), 1u);
  EXPECT_EQ(s.in.facts().proto(), &dpi::quic::kQuic);  // still recognised by its header
  // Too many coalesced packets in one datagram.
  Session t;
  t.client(clientInitial(k, ByteVec{0x01}, 0));
  ByteVec many;
  for (int i = 0; i < 12; ++i) {
    const auto p = serverPacket(k, PacketType::Handshake, ByteVec(20, 0), static_cast<std::uint64_t>(i));
    many.insert(many.end(), p.begin(), p.end());
  }
  t.server(many);
  EXPECT_EQ(t.counters.capHits(Cap::QuicPacketsPerDatagram), 1u);
}

TEST(QuicAnalyzer, TruncatedAndMutatedDatagramsAreHarmless) {
  const auto k = keysFor(kDcid);
  const ByteVec d = test::concat({clientInitial(k, test::cryptoFrame(0, clientHelloStream("fuzz.example")), 0),
                                  test::shortPacket(kServerCid, 20)});
  for (std::size_t n = 1; n < d.size(); n += 13) {
    Session s;
    s.client(ByteVec(d.begin(), d.begin() + static_cast<std::ptrdiff_t>(n)));
  }
  for (std::size_t i = 0; i < 64; ++i) {
    ByteVec m = d;
    m[i] ^= 0xff;
    Session s;
    s.client(m);
  }
  SUCCEED();  // no crash, no sanitizer report
}

// ---- the shared captures -----------------------------------------------------------------

std::set<std::string> quicSnis(const test::Replay& r) {
  std::set<std::string> out;
  for (const auto& f : r.flows) {
    const auto* q = f.inspector->facts().find<dpi::QuicFacts>();
    if (q != nullptr && !q->sni.empty()) out.insert(q->sni);
  }
  return out;
}

TEST(QuicCaptures, NamedFiles) {
  const auto dir = test::pcapDir();
  if (dir.empty()) GTEST_SKIP() << "shared captures absent";
  const std::map<std::string, std::string> cases{
      {"suricata-verify__quic-frag-unordered__input.pcap", "mastodon.social"},
      {"ndpi__quic-v2.pcapng", "test"},
      {"ndpi__quic-23.pcap", "quic.aiortc.org"},
      {"ndpi__quic-27.pcap", "play.google.com"},
      {"ndpi__quic-mvfst-27.pcapng", "graph.facebook.com"},
      {"ndpi__quic_t51.pcap", "www.google.com"},
      {"ndpi__quic_q50.pcap", "www.googletagmanager.com"},
      {"wireshark__many_interfaces.pcapng.1", "clients6.google.com"},
      {"ndpi__dlt_ppp.pcap", "server4"},
      {"suricata-verify__quic-retry__input.pcap", "www.gravatar.com"},
  };
  for (const auto& [file, sni] : cases) {
    SCOPED_TRACE(file);
    const auto snis = quicSnis(test::replayCapture(dir / file));
    EXPECT_EQ(snis.count(sni), 1u) << testing::PrintToString(snis);
  }
}

TEST(QuicCaptures, HandshakeReachesConnected) {
  const auto dir = test::pcapDir();
  if (dir.empty()) GTEST_SKIP() << "shared captures absent";
  const auto r = test::replayCapture(dir / "tcpdump__quic_handshake.pcap");
  ASSERT_EQ(r.flows.size(), 1u);
  const auto& f = r.flows[0].inspector->facts();
  EXPECT_EQ(f.state(), &dpi::quic::kConnected);
  EXPECT_EQ(f.find<dpi::QuicFacts>()->sni, "localhost");
  const auto vn = test::replayCapture(dir / "tcpdump__quic_vn.pcap");
  bool sawVn = false;
  for (const auto& fl : vn.flows) {
    const auto* q = fl.inspector->facts().find<dpi::QuicFacts>();
    sawVn = sawVn || (q != nullptr && q->versionNegotiation);
  }
  EXPECT_TRUE(sawVn);
}

// Every QUIC SNI tshark found (and gQUIC SNIs) comes out; in particular every file with
// ClientHellos spread over several packets.
TEST(QuicCaptures, SniSetsMatchTruth) {
  const auto dir = test::pcapDir();
  if (dir.empty()) GTEST_SKIP() << "shared captures absent";
  int files = 0;
  int multi = 0;
  for (const auto& row : test::readTruth(dir / "truth.tsv")) {
    auto expected = test::namesOf(row.at("quic_sni"));
    const auto g = test::namesOf(row.at("gquic_sni"));
    expected.insert(g.begin(), g.end());
    if (expected.empty()) continue;
    ++files;
    if (row.at("quic_ch_multi_packet") != "0") ++multi;
    const auto got = quicSnis(test::replayCapture(dir / row.at("file")));
    std::set<std::string> missing;
    std::set_difference(expected.begin(), expected.end(), got.begin(), got.end(),
                        std::inserter(missing, missing.begin()));
    EXPECT_TRUE(missing.empty()) << row.at("file") << ": missing " << testing::PrintToString(missing);
  }
  EXPECT_GE(files, 15);
  EXPECT_GE(multi, 5);
}

}  // namespace
}  // namespace rustnet::dpi::quic
