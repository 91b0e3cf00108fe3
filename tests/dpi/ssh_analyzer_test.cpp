#include "dpi/dns/dns_facts.h"
#include "dpi/ssh/ssh_facts.h"
#include "dpi/ssh/ssh_analyzer.h"

#include <gtest/gtest.h>

#include "dpi/facts.h"
#include "dpi/ssh/ssh_kexinit.h"
#include "dpi_test_util.h"
#include "support/test_support.h"

namespace rustnet::test {
namespace {

using dpi::AppProto;
using dpi::AppState;
using dpi::Cap;

// A plaintext binary packet (RFC 4253 §6) with padding to a multiple of 8, at least 4.
Payload packet(const Payload& payload) {
  std::size_t pad = 8 - (5 + payload.size()) % 8;
  if (pad < 4) pad += 8;
  ByteWriter w;
  w.be32(static_cast<std::uint32_t>(1 + payload.size() + pad)).u8(static_cast<std::uint8_t>(pad));
  w.bytes(payload).bytes(Payload(pad, 0));
  return w.data();
}

Payload kexinit(const std::vector<std::string>& lists) {
  ByteWriter w;
  w.u8(20).bytes(Payload(16, 0xab));  // type, cookie
  for (std::size_t i = 0; i < 10; ++i) {
    const std::string l = i < lists.size() ? lists[i] : "";
    w.be32(static_cast<std::uint32_t>(l.size())).str(l);
  }
  w.u8(0).be32(0);
  return packet(w.data());
}

Payload message(std::uint8_t type, std::size_t bodyBytes = 0) {
  Payload p(1 + bodyBytes, 0x5a);
  p[0] = type;
  return packet(p);
}

Payload encrypted(std::size_t n = 52) {
  // Random-looking bytes whose first word is not a plausible packet length.
  Payload p(n);
  for (std::size_t i = 0; i < n; ++i) p[i] = static_cast<std::uint8_t>(0xe1 + i * 37);
  return p;
}

const std::vector<std::string> kClientLists = {
    "curve25519-sha256,ecdh-sha2-nistp256,ext-info-c",
    "ssh-ed25519,rsa-sha2-512",
    "chacha20-poly1305@openssh.com,aes128-ctr",
    "aes256-ctr,aes128-ctr",
    "hmac-sha2-256,hmac-sha1",
    "umac-64@openssh.com,hmac-sha2-512",
    "none,zlib@openssh.com",
    "zlib@openssh.com,none",
};
const std::vector<std::string> kServerLists = {
    "ecdh-sha2-nistp256,curve25519-sha256,kex-strict-s-v00@openssh.com",
    "rsa-sha2-512,ssh-ed25519",
    "aes128-ctr,chacha20-poly1305@openssh.com",
    "aes128-ctr,aes256-ctr",
    "hmac-sha1,hmac-sha2-256",
    "hmac-sha2-512",
    "none",
    "none",
};

const std::string kClientBanner = "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u1\r\n";
const std::string kServerBanner = "SSH-2.0-dropbear_2022.83\r\n";

// Client = Outbound (the local side connected).
std::vector<Msg> handshake() {
  return {
      in(bytesOf(kServerBanner)),
      out(bytesOf(kClientBanner)),
      out(kexinit(kClientLists)),
      in(kexinit(kServerLists)),
      out(message(30, 32)),                                 // KEX_ECDH_INIT
      in(concat(message(31, 300), message(21))),            // KEX_ECDH_REPLY + NEWKEYS
      out(concat(message(21), encrypted())),                // NEWKEYS + SERVICE_REQUEST
  };
}

void expectHandshakeFacts(const dpi::Facts& f) {
  ASSERT_EQ(f.proto(), &dpi::ssh::kSsh);
  ASSERT_NE(f.find<dpi::SshFacts>(), nullptr);
  const auto& s = *f.find<dpi::SshFacts>();
  EXPECT_EQ(s.client.protoVersion, "2.0");
  EXPECT_EQ(s.client.software, "OpenSSH_9.2p1");
  EXPECT_EQ(s.client.comment, "Debian-2+deb12u1");
  EXPECT_EQ(s.server.software, "dropbear_2022.83");
  EXPECT_TRUE(s.server.comment.empty());
  EXPECT_TRUE(s.clientKexinitSeen);
  EXPECT_TRUE(s.serverKexinitSeen);
  // RFC 4253 §7.1: the client's order decides.
  EXPECT_EQ(s.negotiated.kex, "curve25519-sha256");
  EXPECT_EQ(s.negotiated.hostKey, "ssh-ed25519");
  EXPECT_EQ(s.negotiated.cipherC2s, "chacha20-poly1305@openssh.com");
  EXPECT_EQ(s.negotiated.cipherS2c, "aes256-ctr");
  EXPECT_EQ(s.negotiated.macC2s, "");  // AEAD cipher: no MAC
  EXPECT_EQ(s.negotiated.macS2c, "hmac-sha2-512");
  EXPECT_EQ(s.negotiated.compressionC2s, "none");
  EXPECT_EQ(s.negotiated.compressionS2c, "none");
}

TEST(SshAnalyzer, HandshakeStatesAndNegotiation) {
  Conversation c(tcpFlow(40000, 22));
  const auto msgs = handshake();
  const std::vector<AppState> after = {
      &dpi::ssh::kBanner,         &dpi::ssh::kKeyExchange,    &dpi::ssh::kKeyExchange,
      &dpi::ssh::kKeyExchange,    &dpi::ssh::kKeyExchange,    &dpi::ssh::kKeyExchange,
      &dpi::ssh::kAuthentication,
  };
  for (std::size_t i = 0; i < msgs.size(); ++i) {
    c.send(msgs[i]);
    EXPECT_EQ(c.facts().state(), after[i]) << "after message " << i;
  }
  expectHandshakeFacts(c.facts());
  EXPECT_EQ(c.facts().summary(), "SSH (dropbear_2022.83)");
  // Authentication: a few segments each way; the fourth each way means a session.
  for (int i = 0; i < 3; ++i) {
    c.send(in(encrypted()));
    if (i < 2) c.send(out(encrypted()));
  }
  EXPECT_EQ(c.facts().state(), &dpi::ssh::kAuthentication);
  c.send(out(encrypted(300)));
  c.send(in(encrypted(600)));
  EXPECT_EQ(c.facts().state(), &dpi::ssh::kEstablished);
  EXPECT_TRUE(c.inspector().finished());
}

TEST(SshAnalyzer, EveryMessageSplitAtEveryOffset) {
  const auto msgs = handshake();
  for (std::size_t which = 0; which < msgs.size(); ++which) {
    for (std::size_t at = 1; at < msgs[which].bytes.size(); ++at) {
      SCOPED_TRACE(testing::Message() << "message " << which << " split at " << at);
      Conversation c(tcpFlow(40000, 22));
      c.sendAllSplitting(msgs, which, at);
      expectHandshakeFacts(c.facts());
      EXPECT_EQ(c.facts().state(), &dpi::ssh::kAuthentication);
      EXPECT_EQ(c.counters().malformed, 0u);
    }
  }
}

TEST(SshAnalyzer, BannerAndKexinitCoalescedInOneSegment) {
  Conversation c(tcpFlow(40000, 22));
  c.send(in(concat(bytesOf(kServerBanner), kexinit(kServerLists))));
  c.send(out(concat(bytesOf(kClientBanner), kexinit(kClientLists))));
  ASSERT_NE(c.facts().find<dpi::SshFacts>(), nullptr);
  EXPECT_EQ(c.facts().find<dpi::SshFacts>()->negotiated.kex, "curve25519-sha256");
  EXPECT_EQ(c.facts().state(), &dpi::ssh::kKeyExchange);
}

TEST(SshAnalyzer, RemoteClientWhenTheLocalSideIsTheServer) {
  dpi::FlowInfo flow = tcpFlow(22, 51000);
  flow.localIsClient = false;
  Conversation c(flow);
  c.send(out(bytesOf(kServerBanner)));
  c.send(in(bytesOf(kClientBanner)));
  ASSERT_NE(c.facts().find<dpi::SshFacts>(), nullptr);
  EXPECT_EQ(c.facts().find<dpi::SshFacts>()->client.software, "OpenSSH_9.2p1");
  EXPECT_EQ(c.facts().find<dpi::SshFacts>()->server.software, "dropbear_2022.83");
}

TEST(SshAnalyzer, OneDirectionOnlyStillReachesEstablished) {
  Conversation c(tcpFlow(40000, 22));
  c.send(in(bytesOf(kServerBanner)));
  c.send(in(kexinit(kServerLists)));
  c.send(in(concat(message(31, 200), message(21))));
  EXPECT_EQ(c.facts().state(), &dpi::ssh::kKeyExchange);
  c.send(in(encrypted()));
  EXPECT_EQ(c.facts().state(), &dpi::ssh::kAuthentication);
  for (int i = 0; i < 7; ++i) c.send(in(encrypted()));
  EXPECT_EQ(c.facts().state(), &dpi::ssh::kEstablished);
  EXPECT_TRUE(c.facts().find<dpi::SshFacts>()->negotiated.kex.empty());  // needs both KEXINITs
}

TEST(SshAnalyzer, StatesNeverMoveBack) {
  dpi::Facts f;
  ASSERT_TRUE(f.setProto(&dpi::ssh::kSsh));
  EXPECT_TRUE(f.advanceState(&dpi::ssh::kAuthentication));
  EXPECT_FALSE(f.advanceState(&dpi::ssh::kBanner));
  EXPECT_FALSE(f.advanceState(&dpi::dns::kResponse));
  EXPECT_EQ(f.state(), &dpi::ssh::kAuthentication);
}

TEST(SshAnalyzer, ServerLinesBeforeTheBannerAreSkipped) {
  Conversation c(tcpFlow(40000, 22));
  c.send(in(bytesOf("SSH-2.0-X\r\n")));
  EXPECT_EQ(c.facts().find<dpi::SshFacts>()->server.software, "X");
  Conversation pre(tcpFlow(40000, 22));
  // The probe needs "SSH-" first, so the client speaks first here.
  pre.send(out(bytesOf(kClientBanner)));
  pre.send(in(bytesOf("Welcome to the jungle\r\nSSH-1.99-Cisco-1.25\r\n")));
  ASSERT_NE(pre.facts().find<dpi::SshFacts>(), nullptr);
  EXPECT_EQ(pre.facts().find<dpi::SshFacts>()->server.protoVersion, "1.99");
  EXPECT_EQ(pre.facts().find<dpi::SshFacts>()->server.software, "Cisco-1.25");
}

TEST(SshAnalyzer, OverlongBannerIsCappedAndCounted) {
  Conversation c(tcpFlow(40000, 22));
  c.send(out(bytesOf("SSH-2.0-" + std::string(dpi::ssh::kMaxSshBannerBytes, 'x'))));
  EXPECT_EQ(c.counters().capHits(Cap::SshBannerBytes), 1u);
  EXPECT_EQ(c.facts().proto(), nullptr);
}

TEST(SshAnalyzer, KexinitLargerThanTheCapIsSkippedAndCounted) {
  Conversation c(tcpFlow(40000, 22));
  c.send(out(bytesOf(kClientBanner)));
  auto lists = kClientLists;
  lists.resize(10);
  lists[8] = std::string(dpi::ssh::kMaxSshKexinitBytes, 'l');  // a huge language list
  c.send(out(kexinit(lists)));
  c.send(out(message(30, 32)));
  EXPECT_EQ(c.counters().capHits(Cap::SshKexinitBytes), 1u);
  EXPECT_EQ(c.counters().malformed, 0u);
  EXPECT_FALSE(c.facts().find<dpi::SshFacts>()->clientKexinitSeen);
  EXPECT_EQ(c.facts().state(), &dpi::ssh::kKeyExchange);
}

TEST(SshAnalyzer, LongNameListIsCutAtAName) {
  dpi::Counters counters;
  dpi::ssh::KexInit k;
  std::string kex;
  while (kex.size() < dpi::ssh::kMaxSshNameListBytes + 100) kex += "algorithm-name-xyz,";
  kex += "last";
  ByteWriter w;
  w.bytes(Payload(16, 0));
  for (int i = 0; i < 10; ++i) {
    const std::string l = i == 0 ? kex : "a";
    w.be32(static_cast<std::uint32_t>(l.size())).str(l);
  }
  w.u8(0).be32(0);
  ASSERT_TRUE(dpi::ssh::parseKexinit(w.data(), k, counters));
  EXPECT_EQ(counters.capHits(Cap::SshNameList), 1u);
  EXPECT_LE(k.list(dpi::ssh::NameList::Kex).size(), dpi::ssh::kMaxSshNameListBytes);
  EXPECT_TRUE(k.list(dpi::ssh::NameList::Kex).ends_with("algorithm-name-xyz"));
}

TEST(SshAnalyzer, NegotiateFollowsTheClientsOrder) {
  using dpi::ssh::negotiate;
  EXPECT_EQ(negotiate("a,b,c", "c,b"), "b");
  EXPECT_EQ(negotiate("a,b", "x,y"), "");
  EXPECT_EQ(negotiate("", "a"), "");
  EXPECT_EQ(negotiate("ab,a", "a"), "a");  // whole names only
  EXPECT_EQ(negotiate("a,,b", "b,"), "b");
}

TEST(SshAnalyzer, NotSshAfterAll) {
  Conversation c(tcpFlow(40000, 22));
  c.send(out(bytesOf("SSH-nodash\r\n")));
  EXPECT_EQ(c.facts().proto(), nullptr);
  EXPECT_EQ(c.counters().notMine, 1u);
}

TEST(SshAnalyzer, BrokenKexinitIsMalformedAndKeepsTheBanners) {
  Conversation c(tcpFlow(40000, 22));
  c.send(out(bytesOf(kClientBanner)));
  Payload body(30, 0xff);
  body[0] = 20;  // KEXINIT whose first name-list length runs off the end
  c.send(out(packet(body)));
  EXPECT_EQ(c.counters().malformed, 1u);
  EXPECT_TRUE(c.inspector().finished());
  EXPECT_EQ(c.facts().find<dpi::SshFacts>()->client.software, "OpenSSH_9.2p1");
}

TEST(SshAnalyzer, RetransmissionsAreIgnored) {
  Conversation c(tcpFlow(40000, 22));
  const Payload banner = bytesOf(kClientBanner);
  c.send(dpi::Direction::Outbound, banner);
  c.resend(dpi::Direction::Outbound, banner, static_cast<std::uint32_t>(banner.size()));
  const Payload k = kexinit(kClientLists);
  c.send(dpi::Direction::Outbound, k);
  c.resend(dpi::Direction::Outbound, k, static_cast<std::uint32_t>(k.size()));
  EXPECT_EQ(c.counters().malformed, 0u);
  EXPECT_TRUE(c.facts().find<dpi::SshFacts>()->clientKexinitSeen);
  EXPECT_FALSE(c.inspector().finished());
}

}  // namespace
}  // namespace rustnet::test
