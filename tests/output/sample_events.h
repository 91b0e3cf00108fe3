#pragma once
// Events that reach every field and escape of the NDJSON writer: hostile wire strings,
// IPv6, every DPI protocol, odd durations and times. event_bytes_test.cpp pins the exact
// bytes written for them (taken from the writer as it was before the fast path).
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "dpi/http/http_facts.h"
#include "dpi/tls/tls_facts.h"
#include "dpi/dns/dns_facts.h"
#include "dpi/ssh/ssh_facts.h"
#include "dpi/quic/quic_facts.h"
#include "engine/record.h"
#include "engine/stats.h"
#include "output/events.h"

namespace rustnet::output::test {

inline std::vector<engine::ConnectionEvent> sampleEvents() {
  using Kind = engine::ConnectionEvent::Kind;
  std::vector<engine::ConnectionEvent> out;
  auto base = [](Kind kind, std::uint8_t proto, const char* local, std::uint16_t lport, const char* remote,
                 std::uint16_t rport) {
    engine::ConnectionEvent e;
    e.kind = kind;
    e.reason = track::EndReason::Closed;
    e.when = core::Timestamp::fromMicros(1763812345, 654321);
    auto& r = e.record;
    r.id = 1000 + static_cast<std::uint64_t>(lport);
    r.proto = proto;
    r.local = {*core::IpAddr::parse(local), lport};
    r.remote = {*core::IpAddr::parse(remote), rport};
    r.stateLabel = "ESTABLISHED";
    r.firstSeen = core::Timestamp::fromMicros(1763812300, 120000);
    r.lastSeen = core::Timestamp::fromMicros(1763812345, 654321);
    r.sent = {42, 6123};
    r.received = {87, 104857};
    return e;
  };

  {  // HTTPS with a process, closed
    auto e = base(Kind::Closed, core::proto::kTcp, "192.168.1.23", 51234, "140.82.121.4", 443);
    auto& r = e.record;
    r.service = "https";
    r.retransmissions = 2;
    r.handshakeRttNs = 23'456'789;
    r.process = engine::ProcessInfo{4242, 1000, "firefox-esr", "/usr/lib/firefox-esr/firefox-esr", "exact"};
    auto f = std::make_shared<dpi::Facts>();
    f->setProto(&dpi::tls::kTls);
    auto& t = f->get<dpi::TlsFacts>();
    t.sni = "github.com";
    t.alpn = {"h2", "http/1.1"};
    t.maxOfferedVersion = 0x0304;
    t.negotiatedVersion = 0x0304;
    t.cipher = 0x1301;
    t.serverHelloSeen = true;
    t.ech = true;
    r.dpi = std::move(f);
    out.push_back(std::move(e));
  }
  {  // HTTP with hostile header values, over IPv6, with a process whose name is hostile too
    auto e = base(Kind::Closed, core::proto::kTcp, "2001:db8::1", 40000, "2001:db8:0:1::80", 80);
    auto& r = e.record;
    e.reason = track::EndReason::IdleTimeout;
    r.service = "http";
    r.handshakeRttNs = 1;
    r.process = engine::ProcessInfo{-1, -1, std::string("ev\x1bil\"\\", 7), "", "listener"};
    auto f = std::make_shared<dpi::Facts>();
    f->setProto(&dpi::http::kHttp);
    auto& h = f->get<dpi::HttpFacts>();
    h.method = "GET";
    h.host = "deb.debian.org\x7f";
    h.path = "/a\"b\\c\x01\x1f\xff\xc2\x9b\xe2\x80\xae\xe5\xb0\x8f\xf0\x9f\x98\x80\xc0\xaf\xe4\xbd";
    h.userAgent = "Debian APT-HTTP/1.3 (2.6.1)\r\n\t";
    h.status = 404;
    f->openTunnel();
    f->setProto(&dpi::tls::kTls);
    f->get<dpi::TlsFacts>().maxOfferedVersion = 0x0303;
    f->get<dpi::TlsFacts>().clientHelloSeen = true;
    r.dpi = std::move(f);
    out.push_back(std::move(e));
  }
  {  // DNS with answers (CNAME, A, AAAA) and several question names
    auto e = base(Kind::Closed, core::proto::kUdp, "::ffff:10.0.0.2", 53000, "::1", 53);
    auto& r = e.record;
    e.reason = track::EndReason::ForcedEnd;
    r.stateLabel = "ACTIVE";
    r.service = "domain";
    r.firstSeen = r.lastSeen;
    auto f = std::make_shared<dpi::Facts>();
    f->setProto(&dpi::dns::kDns);
    auto& d = f->get<dpi::DnsFacts>();
    d.id = 0x5a17;
    d.qname = "www.wikipedia.org";
    d.qtype = 65;
    d.querySeen = true;
    d.responseSeen = true;
    d.rcode = 3;
    d.answers.push_back({5, {}, "dyna.wikimedia.org\x07"});
    d.answers.push_back({1, core::IpAddr::v4(0xd050990e), ""});
    d.answers.push_back({28, *core::IpAddr::parse("2a02:ec80:300:ed1a::1"), ""});
    d.answers.push_back({28, *core::IpAddr::parse("::"), ""});
    d.names = {d.qname, "b\\ad\".example"};
    r.dpi = std::move(f);
    out.push_back(std::move(e));
  }
  {  // DNS response only, no answers
    auto e = base(Kind::New, core::proto::kUdp, "10.0.0.2", 5353, "224.0.0.251", 5353);
    auto f = std::make_shared<dpi::Facts>();
    f->setProto(&dpi::dns::kMdns);
    f->get<dpi::DnsFacts>().responseSeen = true;
    e.record.dpi = std::move(f);
    out.push_back(std::move(e));
  }
  {  // SSH, both banners and the negotiated algorithms
    auto e = base(Kind::Closed, core::proto::kTcp, "10.1.2.3", 22, "10.9.8.7", 60022);
    auto f = std::make_shared<dpi::Facts>();
    f->setProto(&dpi::ssh::kSsh);
    auto& s = f->get<dpi::SshFacts>();
    s.client = {true, "2.0", "OpenSSH_9.2p1", "Debian-2+deb12u1"};
    s.server = {true, "2.0", "dropbear\x1b[2J", ""};
    s.negotiated.kex = "curve25519-sha256";
    s.negotiated.hostKey = "ssh-ed25519";
    s.negotiated.cipherC2s = "chacha20-poly1305@openssh.com";
    s.negotiated.cipherS2c = "aes128-ctr";
    s.negotiated.macS2c = "hmac-sha2-256";
    s.negotiated.compressionC2s = "none";
    s.negotiated.compressionS2c = "none";
    e.record.dpi = std::move(f);
    e.record.handshakeRttNs = 123'456'789'012;
    out.push_back(std::move(e));
  }
  {  // QUIC with connection ids and flags
    auto e = base(Kind::Closed, core::proto::kUdp, "192.168.1.23", 61000, "142.250.185.78", 443);
    auto f = std::make_shared<dpi::Facts>();
    f->setProto(&dpi::quic::kQuic);
    auto& q = f->get<dpi::QuicFacts>();
    q.version = 0x00000001;
    q.sni = "www.google.com";
    q.alpn = {"h3"};
    q.dcid.len = 8;
    for (std::uint8_t i = 0; i < 8; ++i) q.dcid.bytes[i] = static_cast<std::uint8_t>(i * 37 + 5);
    q.scid.len = 20;
    for (std::uint8_t i = 0; i < 20; ++i) q.scid.bytes[i] = static_cast<std::uint8_t>(255 - i);
    q.maxIdleTimeoutMs = 30000;
    q.closed = true;
    q.versionNegotiation = true;
    q.retry = true;
    e.record.dpi = std::move(f);
    out.push_back(std::move(e));
  }
  {  // QUIC version only (a version negotiation packet), odd version number
    auto e = base(Kind::New, core::proto::kUdp, "192.168.1.23", 61001, "142.250.185.78", 443);
    auto f = std::make_shared<dpi::Facts>();
    f->setProto(&dpi::quic::kQuic);
    f->get<dpi::QuicFacts>().version = 0xff00001d;
    f->get<dpi::QuicFacts>().scid.len = 1;
    e.record.dpi = std::move(f);
    out.push_back(std::move(e));
  }
  {  // ICMP echo with an identifier, and ICMPv6 without one
    auto e = base(Kind::Closed, core::proto::kIcmp, "10.0.0.2", 77, "8.8.8.8", 0);
    e.record.stateLabel = "ECHO_REQUEST";
    out.push_back(std::move(e));
    auto v6 = base(Kind::New, core::proto::kIcmpv6, "fe80::1", 0, "ff02::1", 0);
    v6.record.stateLabel = "NEIGHBOR_SOLICIT";
    out.push_back(std::move(v6));
  }
  {  // plain UDP, new, nothing known; then odd numbers and times
    out.push_back(base(Kind::New, core::proto::kUdp, "0.0.0.0", 0, "255.255.255.255", 65535));
    auto e = base(Kind::Closed, core::proto::kTcp, "100.64.0.1", 1, "100.64.0.2", 2);
    auto& r = e.record;
    r.id = std::numeric_limits<std::uint64_t>::max();
    r.sent = {std::numeric_limits<std::uint64_t>::max(), 0};
    r.received = {0, 1};
    r.firstSeen = core::Timestamp::fromNanos(-1'500'000'001);
    r.lastSeen = core::Timestamp::fromNanos(1);
    e.when = core::Timestamp::fromNanos(951'868'799'999'999'999);
    r.retransmissions = std::numeric_limits<std::uint32_t>::max();
    r.handshakeRttNs = 333'333;
    out.push_back(std::move(e));
    auto later = base(Kind::Closed, core::proto::kUdp, "100.64.0.1", 3, "100.64.0.2", 4);
    later.record.firstSeen = core::Timestamp::fromNanos(1'000'000'000);
    later.record.lastSeen = core::Timestamp::fromNanos(1'100'000'000);  // 0.1 s (not exact in binary)
    later.record.process = engine::ProcessInfo{1, 0, "systemd", "/usr/lib/systemd/systemd", "exact"};
    out.push_back(std::move(later));
    auto nano = base(Kind::Closed, core::proto::kUdp, "100.64.0.1", 5, "100.64.0.2", 6);
    nano.record.lastSeen = nano.record.firstSeen + core::Duration::nanos(1);
    out.push_back(std::move(nano));
  }
  return out;
}

struct SampleSummary {
  engine::EngineStats stats;
  RunInfo run;
};

inline SampleSummary sampleSummary() {
  SampleSummary s;
  s.stats.capture.seen = 985200;
  s.stats.decode.ok = 985000;
  s.stats.decode.bytes = 1'234'567'890;
  s.stats.tracker.created = 74824;
  s.stats.dpi.packetsInspected = 4321;
  s.stats.dpi.hit(&dpi::tls::kTls);
  s.stats.dpi.capHit(dpi::Cap::DnsPointerHops);
  s.run.source = "capture\x1b.pcap";
  s.run.started = core::Timestamp::fromMicros(1763812300, 1);
  s.run.finished = core::Timestamp::fromMicros(1763812301, 580000);
  s.run.ended = core::Timestamp::fromMicros(1700000000, 999999);
  s.run.error = "truncated \"file\"";
  s.run.processMethod = "procfs";
  s.run.processFallback = "ebpf: not root";
  process::Counters p;
  p.lookups = 10;
  p.hits[1] = 7;
  p.misses = 3;
  p.totalScanNs = 12'345'678;
  p.maxScanNs = 999;
  s.run.process = p;
  return s;
}

}  // namespace rustnet::output::test
