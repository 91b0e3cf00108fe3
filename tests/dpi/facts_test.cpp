// The self-describing facts (dpi/fields.h) and the registry's tables: what JSON, Details
// and the filter rely on without naming any protocol.
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "dpi/dns/dns_facts.h"
#include "dpi/facts.h"
#include "dpi/http/http_facts.h"
#include "dpi/quic/quic_facts.h"
#include "dpi/registry.h"
#include "dpi/ssh/ssh_facts.h"
#include "dpi/tls/tls_facts.h"

namespace rustnet::dpi {
namespace {

struct Recorded {
  FieldInfo info;
  FieldKind kind;
  std::string text;
};

class Recorder final : public FieldSink {
public:
  void field(const FieldInfo& info, const FieldValue& v) override {
    out.push_back({info, v.kind, std::string(v.str)});
  }
  std::vector<Recorded> out;
};

std::vector<Recorded> describe(const FactsBlock& b) {
  Recorder r;
  b.describe(r);
  return r.out;
}

// One of each block with every member set, so that every field is described.
Facts everything() {
  Facts f;
  auto& h = f.get<HttpFacts>();
  h = {};
  h.method = "CONNECT";
  h.host = "proxy.example";
  h.path = "example.com:443";
  h.userAgent = "curl/8";
  h.status = 200;
  auto& t = f.get<TlsFacts>();
  t.sni = "example.com";
  t.alpn = {"h2"};
  t.maxOfferedVersion = 0x0304;
  t.negotiatedVersion = 0x0304;
  t.cipher = 0x1301;
  t.ech = true;
  t.serverHelloSeen = true;
  auto& d = f.get<DnsFacts>();
  d.qname = "a.example";
  d.names = {"a.example", "b.example"};
  d.querySeen = d.responseSeen = true;
  d.answers.push_back({dns::kTypeCname, {}, "c.example"});
  auto& s = f.get<SshFacts>();
  s.client = {true, "2.0", "OpenSSH_9.2", "Debian"};
  s.server = {true, "2.0", "OpenSSH_9.6", "x"};
  s.negotiated = {"kex", "hk", "c1", "c2", "m1", "m2", "none", "none"};
  auto& q = f.get<QuicFacts>();
  q.version = 1;
  q.sni = "q.example";
  q.alpn = {"h3"};
  q.dcid.len = 2;
  q.scid.len = 1;
  q.maxIdleTimeoutMs = 30000;
  q.closed = q.versionNegotiation = q.retry = true;
  return f;
}

TEST(DescribedFacts, FieldsCarryTheirProtocolsPrefixAndShortLabels) {
  const Facts f = everything();
  ASSERT_EQ(f.blocks().size(), 5u);
  std::set<std::string> keys;
  for (const auto& b : f.blocks()) {
    const auto fields = describe(*b);
    EXPECT_FALSE(fields.empty()) << b->kind().title;
    for (const auto& r : fields) {
      const std::string key(r.info.key);
      EXPECT_EQ(key.rfind(std::string(b->kind().keyword) + "_", 0), 0u) << key;
      EXPECT_TRUE(keys.insert(key).second) << key << " described twice";
      EXPECT_FALSE(r.info.label.empty()) << key;
      EXPECT_LE(r.info.label.size(), 16u) << key << ": the Details column is 16 wide";
      for (char c : key) EXPECT_TRUE((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_') << key;
    }
  }
}

TEST(DescribedFacts, OneCipherTableNamesTheCode) {
  Facts f;
  auto& t = f.get<TlsFacts>();
  t.serverHelloSeen = true;
  t.cipher = 0x1302;
  bool seen = false;
  for (const auto& r : describe(t)) {
    if (r.info.key == "tls_cipher") {
      seen = true;
      EXPECT_EQ(r.kind, FieldKind::Code);
      EXPECT_EQ(r.text, "TLS_AES_256_GCM_SHA384");
    }
  }
  EXPECT_TRUE(seen);
}

TEST(DescribedFacts, DomainAndDetailComeFromTheInnermostProtocol) {
  Facts f;
  f.setProto(&http::kHttp);
  f.get<HttpFacts>().host = "proxy.example";
  EXPECT_EQ(f.domain(), "proxy.example");
  f.openTunnel();
  f.setProto(&tls::kTls);
  f.get<TlsFacts>();  // no SNI (yet): the tunnel's own name is not the server's
  EXPECT_EQ(f.domain(), "");
  f.get<TlsFacts>().sni = "inner.example";
  EXPECT_EQ(f.summary(), "HTTPS (inner.example)");

  Facts s;
  s.setProto(&ssh::kSsh);
  s.get<SshFacts>().client = {true, "2.0", "PuTTY", ""};
  EXPECT_EQ(s.domain(), "");  // SSH has no domain
  EXPECT_EQ(s.summary(), "SSH (PuTTY)");
  s.get<SshFacts>().server = {true, "2.0", "OpenSSH_9.2", ""};
  EXPECT_EQ(s.summary(), "SSH (OpenSSH_9.2)");
}

TEST(DescribedFacts, CopiesAreDeep) {
  Facts a = everything();
  Facts b = a;
  b.get<HttpFacts>().host = "changed";
  EXPECT_EQ(a.find<HttpFacts>()->host, "proxy.example");
  EXPECT_EQ(b.blocks().size(), a.blocks().size());
}

TEST(DescribedFacts, StatesMoveForwardWithinTheirFamily) {
  Facts f;
  EXPECT_TRUE(f.advanceState(&quic::kInitial));
  EXPECT_TRUE(f.advanceState(&quic::kConnected));
  EXPECT_FALSE(f.advanceState(&quic::kHandshake));  // backwards
  EXPECT_FALSE(f.advanceState(&dns::kResponse));    // another family
  EXPECT_FALSE(f.advanceState(nullptr));
  EXPECT_EQ(appStateName(f.state()), "QUIC_CONNECTED");
}

TEST(Registry, ProtocolsAreListedOnceInRegistryOrder) {
  std::vector<std::string> names;
  for (AppProto p : protocols()) names.emplace_back(p->name);
  ASSERT_GE(names.size(), 8u);
  // The first ones keep the order of the JSON summary's dpi_hits from before the registry.
  const std::vector<std::string> first{"HTTP", "HTTPS", "QUIC", "DNS", "mDNS", "LLMNR", "SSH", "SSDP"};
  EXPECT_EQ(std::vector<std::string>(names.begin(), names.begin() + 8), first);
  EXPECT_EQ(std::set<std::string>(names.begin(), names.end()).size(), names.size());
  EXPECT_LE(names.size(), kMaxProtocols);
  for (std::size_t i = 0; i < protocols().size(); ++i) EXPECT_EQ(protocolIndex(protocols()[i]), i);
  EXPECT_EQ(protocolIndex(nullptr), kMaxProtocols);
}

TEST(Registry, FactsKindsHaveUniqueKeywords) {
  std::set<std::string_view> keywords;
  for (const FactsKind* k : factsKinds()) {
    EXPECT_TRUE(keywords.insert(k->keyword).second) << k->keyword;
    EXPECT_EQ(factsKindByKeyword(k->keyword), k);
    EXPECT_FALSE(k->help.empty());
  }
  EXPECT_EQ(factsKindByKeyword("tls"), &TlsFacts::kKind);
  EXPECT_EQ(factsKindByKeyword("nope"), nullptr);
}

}  // namespace
}  // namespace rustnet::dpi
