// NDJSON event formatting: the per-event cost of the --json output for typical events (a
// closed HTTPS and HTTP connection with DPI facts and a process, a DNS exchange with
// answers, a plain UDP flow). "formatEvent" returns a fresh string per event (tests, the
// UI's log path); "appendEvent" appends to one reused buffer, as EventWriter does.
// Figures are printed by Google Benchmark (per_event); nothing here asserts on time.
#include <benchmark/benchmark.h>

#include <memory>
#include <string>

#include "dpi/http/http_facts.h"
#include "dpi/tls/tls_facts.h"
#include "dpi/dns/dns_facts.h"
#include "output/events.h"

namespace {

using namespace rustnet;

engine::ConnectionEvent baseEvent(std::uint8_t proto, engine::ConnectionEvent::Kind kind) {
  engine::ConnectionEvent e;
  e.kind = kind;
  e.reason = track::EndReason::Closed;
  e.when = core::Timestamp::fromMicros(1763812345, 654321);
  auto& r = e.record;
  r.id = 123456;
  r.proto = proto;
  r.local = {*core::IpAddr::parse("192.168.1.23"), 51234};
  r.remote = {*core::IpAddr::parse("140.82.121.4"), 443};
  r.stateLabel = "CLOSED";
  r.firstSeen = core::Timestamp::fromMicros(1763812300, 120000);
  r.lastSeen = core::Timestamp::fromMicros(1763812345, 654321);
  r.sent = {42, 6123};
  r.received = {87, 104857};
  return e;
}

engine::ConnectionEvent tlsClose() {
  auto e = baseEvent(core::proto::kTcp, engine::ConnectionEvent::Kind::Closed);
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
  r.dpi = std::move(f);
  return e;
}

engine::ConnectionEvent httpClose() {
  auto e = baseEvent(core::proto::kTcp, engine::ConnectionEvent::Kind::Closed);
  auto& r = e.record;
  r.remote.port = 80;
  r.service = "http";
  r.handshakeRttNs = 1'250'000;
  auto f = std::make_shared<dpi::Facts>();
  f->setProto(&dpi::http::kHttp);
  auto& h = f->get<dpi::HttpFacts>();
  h.method = "GET";
  h.host = "deb.debian.org";
  h.path = "/debian/dists/bookworm/InRelease";
  h.userAgent = "Debian APT-HTTP/1.3 (2.6.1)";
  h.status = 200;
  r.dpi = std::move(f);
  return e;
}

engine::ConnectionEvent dnsClose() {
  auto e = baseEvent(core::proto::kUdp, engine::ConnectionEvent::Kind::Closed);
  auto& r = e.record;
  r.remote = {*core::IpAddr::parse("192.168.1.1"), 53};
  r.stateLabel = "ACTIVE";
  r.service = "domain";
  r.sent = {1, 71};
  r.received = {1, 183};
  auto f = std::make_shared<dpi::Facts>();
  f->setProto(&dpi::dns::kDns);
  auto& d = f->get<dpi::DnsFacts>();
  d.id = 0x5a17;
  d.qname = "www.wikipedia.org";
  d.qtype = 1;
  d.querySeen = true;
  d.responseSeen = true;
  d.answers.push_back({5, {}, "dyna.wikimedia.org"});
  d.answers.push_back({1, core::IpAddr::v4(0xd050990e), ""});
  d.answers.push_back({1, core::IpAddr::v4(0xd050990f), ""});
  d.names = {d.qname};
  r.dpi = std::move(f);
  return e;
}

engine::ConnectionEvent plainUdpNew() {
  auto e = baseEvent(core::proto::kUdp, engine::ConnectionEvent::Kind::New);
  e.record.remote = {*core::IpAddr::parse("10.20.30.40"), 5004};
  e.record.stateLabel = "ACTIVE";
  return e;
}

void perEvent(benchmark::State& state, std::size_t bytes) {
  // CPU seconds per event, printed with an SI prefix ("412.3ns").
  state.counters["per_event"] =
      benchmark::Counter(1, benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
  state.counters["line_bytes"] = static_cast<double>(bytes);
}

template <engine::ConnectionEvent (*Make)()>
void formatEventFresh(benchmark::State& state) {
  const engine::ConnectionEvent e = Make();
  std::size_t bytes = 0;
  for (auto _ : state) {
    std::string line = output::formatEvent(e);
    bytes = line.size();
    benchmark::DoNotOptimize(line);
  }
  perEvent(state, bytes);
}

template <engine::ConnectionEvent (*Make)()>
void appendEventReused(benchmark::State& state) {
  const engine::ConnectionEvent e = Make();
  std::string buf;
  buf.reserve(64 * 1024);
  std::size_t bytes = 0;
  for (auto _ : state) {
    // Like EventWriter: lines accumulate, the batch is written and cleared when it is full.
    const std::size_t before = buf.size();
    output::appendEvent(buf, e);
    bytes = buf.size() - before;
    if (buf.size() >= 60 * 1024) {
      benchmark::DoNotOptimize(buf.data());
      buf.clear();
    }
  }
  perEvent(state, bytes);
}

BENCHMARK(formatEventFresh<tlsClose>)->Name("formatEvent/tcp_close_tls");
BENCHMARK(formatEventFresh<httpClose>)->Name("formatEvent/tcp_close_http");
BENCHMARK(formatEventFresh<dnsClose>)->Name("formatEvent/dns_answers");
BENCHMARK(formatEventFresh<plainUdpNew>)->Name("formatEvent/udp_new");
BENCHMARK(appendEventReused<tlsClose>)->Name("appendEvent/tcp_close_tls");
BENCHMARK(appendEventReused<httpClose>)->Name("appendEvent/tcp_close_http");
BENCHMARK(appendEventReused<dnsClose>)->Name("appendEvent/dns_answers");
BENCHMARK(appendEventReused<plainUdpNew>)->Name("appendEvent/udp_new");

}  // namespace

BENCHMARK_MAIN();
