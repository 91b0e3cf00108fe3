// The DPI fields of the NDJSON events and the DPI counters of the summary line.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <memory>

#include "dpi/http/http_facts.h"
#include "dpi/tls/tls_facts.h"
#include "dpi/dns/dns_facts.h"
#include "dpi/ssh/ssh_facts.h"
#include "dpi/quic/quic_facts.h"
#include "output/dpi_json.h"
#include "output/events.h"

namespace rustnet::output {
namespace {

using nlohmann::json;

json eventWith(std::shared_ptr<const dpi::Facts> facts) {
  engine::ConnectionEvent e;
  e.kind = engine::ConnectionEvent::Kind::New;
  e.record.proto = core::proto::kTcp;
  e.record.stateLabel = "ESTABLISHED";
  e.record.dpi = std::move(facts);
  return json::parse(formatEvent(e));
}

TEST(DpiJson, TlsFields) {
  auto f = std::make_shared<dpi::Facts>();
  f->setProto(&dpi::tls::kTls);
  auto& t = f->get<dpi::TlsFacts>();
  t.sni = "github.com";
  t.alpn = {"h2", "http/1.1"};
  t.maxOfferedVersion = 0x0304;
  t.negotiatedVersion = 0x0304;
  t.cipher = 0x1301;
  t.serverHelloSeen = true;
  const json j = eventWith(f);
  EXPECT_EQ(j.at("dpi_protocol"), "HTTPS");
  EXPECT_EQ(j.at("dpi_domain"), "github.com");
  EXPECT_EQ(j.at("tls_sni"), "github.com");
  EXPECT_EQ(j.at("tls_alpn"), json::array({"h2", "http/1.1"}));
  EXPECT_EQ(j.at("tls_version"), "TLS1.3");
  EXPECT_EQ(j.at("tls_cipher"), "0x1301");
  EXPECT_FALSE(j.contains("tls_ech"));
}

TEST(DpiJson, DnsAnswersAndEscapedNames) {
  auto f = std::make_shared<dpi::Facts>();
  f->setProto(&dpi::dns::kDns);
  auto& d = f->get<dpi::DnsFacts>();
  d.qname = std::string("bad\x1b[31m.example");
  d.qtype = 28;
  d.querySeen = true;
  d.responseSeen = true;
  d.rcode = 3;
  d.answers.push_back({5, {}, "cdn.example"});
  d.answers.push_back({1, core::IpAddr::v4(0x0a000001), ""});
  d.names = {d.qname, "second.example"};
  const json j = eventWith(f);
  EXPECT_EQ(j.at("dns_query"), "bad\\x1b[31m.example");
  EXPECT_EQ(j.at("dns_qtype"), "AAAA");
  EXPECT_EQ(j.at("dns_rcode"), "NXDOMAIN");
  EXPECT_EQ(j.at("dns_answers"), json::array({"cdn.example", "10.0.0.1"}));
  EXPECT_EQ(j.at("dns_queries"), json::array({"bad\\x1b[31m.example", "second.example"}));
}

TEST(DpiJson, SshAndHttpFields) {
  auto s = std::make_shared<dpi::Facts>();
  s->setProto(&dpi::ssh::kSsh);
  s->get<dpi::SshFacts>().client = {true, "2.0", "OpenSSH_9.2p1", "Debian-2"};
  s->get<dpi::SshFacts>().negotiated.kex = "curve25519-sha256";
  json j = eventWith(s);
  EXPECT_EQ(j.at("ssh_client_software"), "OpenSSH_9.2p1");
  EXPECT_EQ(j.at("ssh_client_comment"), "Debian-2");
  EXPECT_EQ(j.at("ssh_kex"), "curve25519-sha256");
  EXPECT_FALSE(j.contains("ssh_server_software"));
  EXPECT_FALSE(j.contains("dpi_domain"));

  auto h = std::make_shared<dpi::Facts>();
  h->setProto(&dpi::http::kHttp);
  h->get<dpi::HttpFacts>().method = "GET";
  h->get<dpi::HttpFacts>().host = "example.com";
  h->get<dpi::HttpFacts>().status = 200;
  j = eventWith(h);
  EXPECT_EQ(j.at("http_method"), "GET");
  EXPECT_EQ(j.at("http_status"), 200);
  EXPECT_EQ(j.at("dpi_domain"), "example.com");
}

TEST(DpiJson, NothingWithoutFacts) {
  const json j = eventWith(nullptr);
  EXPECT_FALSE(j.contains("dpi_protocol"));
}

TEST(DpiJson, CountersInTheSummary) {
  dpi::Counters c;
  c.packetsInspected = 12;
  c.hit(&dpi::quic::kQuic);
  c.capHit(dpi::Cap::DnsPointerHops);
  JsonLine line;
  appendDpiCounters(line, c);
  const json j = json::parse(line.finish());
  EXPECT_EQ(j.at("dpi_packets_inspected"), 12);
  EXPECT_EQ(j.at("dpi_hits").at("QUIC"), 1);
  EXPECT_EQ(j.at("dpi_hits").at("HTTP"), 0);
  EXPECT_EQ(j.at("dpi_caps_hit").at("dns_pointer_hops"), 1);
}

}  // namespace
}  // namespace rustnet::output
