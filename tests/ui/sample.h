#pragma once
// A fixed set of connections covering every protocol, DPI kind and column, for the golden
// screens and the controller tests.
#include <memory>
#include <string>

#include "dpi/http/http_facts.h"
#include "dpi/dns/dns_facts.h"
#include "dpi/quic/quic_facts.h"
#include "engine/engine.h"
#include "filter/test_records.h"
#include "ui/controller.h"

namespace rustnet::test {

inline constexpr std::int64_t kSampleNow = 1'714'564'800;  // 2024-05-01 12:00:00 UTC

inline std::shared_ptr<engine::Snapshot> sampleSnapshot() {
  namespace proto = core::proto;
  using track::State;
  auto snap = std::make_shared<engine::Snapshot>();
  snap->asOf = core::Timestamp::fromNanos(kSampleNow * 1'000'000'000);
  auto& rows = snap->rows;
  const std::int64_t t = kSampleNow;

  rows.push_back(RecordBuilder(1, proto::kTcp, ep("192.168.1.20", 51234), ep("140.82.121.4", 443))
                     .service("https")
                     .times(t - 192, t - 1)
                     .traffic(1200, 90'000, 2400, 3'400'000)
                     .rates(30'500, 1'250'000)
                     .tcpHealth(3, 12'345'000)
                     .tls("github.com")
                     .process(4242, "firefox-esr", "/usr/lib/firefox-esr/firefox-esr"));
  rows.push_back(RecordBuilder(2, proto::kTcp, ep("192.168.1.20", 40022), ep("203.0.113.5", 22))
                     .service("ssh")
                     .times(t - 3600, t - 2)
                     .traffic(500, 60'000, 480, 75'000)
                     .rates(120, 340)
                     .ssh("OpenSSH_9.2p1", "OpenSSH_8.4p1")
                     .process(5120, "ssh", "/usr/bin/ssh"));
  rows.push_back(RecordBuilder(3, proto::kUdp, ep("2001:db8::10", 53001), ep("2001:db8::53", 53))
                     .service("domain")
                     .tunnel("GTP-U")  // the Details tab shows it
                     .times(t - 3, t - 3)
                     .traffic(1, 90, 1, 150)
                     .dpi(&dpi::dns::kDns,
                          [](dpi::Facts& f) {
                            f.get<dpi::DnsFacts>().qname = "example.org";
                            f.get<dpi::DnsFacts>().qtype = 28;
                            f.get<dpi::DnsFacts>().querySeen = true;
                            f.get<dpi::DnsFacts>().responseSeen = true;
                            f.get<dpi::DnsFacts>().rcode = 3;
                            f.advanceState(&dpi::dns::kResponse);
                          })
                     .process(611, "systemd-resolve"));
  rows.push_back(RecordBuilder(4, proto::kUdp, ep("192.168.1.20", 44321), ep("142.250.74.110", 443))
                     .service("https")
                     .times(t - 40, t)
                     .traffic(800, 120'000, 1500, 2'000'000)
                     .rates(8'000, 420'000)
                     .dpi(&dpi::quic::kQuic,
                          [](dpi::Facts& f) {
                            f.get<dpi::QuicFacts>().version = 1;
                            f.get<dpi::QuicFacts>().sni = "www.google.com";
                            f.get<dpi::QuicFacts>().alpn = {"h3"};
                            f.get<dpi::QuicFacts>().dcid.len = 8;
                            f.get<dpi::QuicFacts>().dcid.bytes = {0x83, 0x94, 0xc8, 0xf0, 0x3e, 0x51, 0x57, 0x08};
                            f.get<dpi::QuicFacts>().maxIdleTimeoutMs = 30'000;
                            f.advanceState(&dpi::quic::kConnected);
                          })
                     .process(7001, "chrome"));
  rows.push_back(RecordBuilder(5, proto::kTcp, ep("192.168.1.20", 443), ep("198.51.100.7", 51000))
                     .state(State::SynRecv)
                     .service("https")
                     .times(t - 2, t - 2)
                     .traffic(1, 60, 1, 60)
                     .process(900, "nginx"));
  rows.push_back(RecordBuilder(6, proto::kIcmp, ep("192.168.1.20", 7), ep("192.168.1.1", 7))
                     .state(State::EchoReply)
                     .times(t - 5, t - 1)
                     .traffic(5, 490, 5, 490)
                     .rates(98, 98));
  rows.push_back(RecordBuilder(7, proto::kTcp, ep("192.168.1.20", 38000), ep("93.184.216.34", 80))
                     .state(State::TimeWait)
                     .service("http")
                     .times(t - 20, t - 15)
                     .traffic(6, 800, 5, 1'600)
                     .dpi(&dpi::http::kHttp,
                          [](dpi::Facts& f) {
                            f.get<dpi::HttpFacts>().method = "GET";
                            f.get<dpi::HttpFacts>().host = "example.com";
                            f.get<dpi::HttpFacts>().path = "/index.html";
                            f.get<dpi::HttpFacts>().userAgent = "curl/7.88.1";
                            f.get<dpi::HttpFacts>().status = 200;
                          })
                     .process(3333, "curl"));
  rows.push_back(RecordBuilder(8, proto::kArp, ep("192.168.1.20"), ep("192.168.1.1"))
                     .state(State::ArpReply)
                     .times(t - 30, t - 30)
                     .traffic(1, 42, 1, 60));
  rows.push_back(RecordBuilder(9, proto::kUdp, ep("192.168.1.20", 5353), ep("224.0.0.251", 5353))
                     .service("mdns")
                     .times(t - 10, t - 4)
                     .traffic(3, 300, 0, 0)
                     .dpi(&dpi::dns::kMdns, [](dpi::Facts& f) { f.get<dpi::DnsFacts>().qname = "_ipp._tcp.local"; }));
  // A hostile server name: it must reach the screen escaped.
  rows.push_back(RecordBuilder(10, proto::kTcp, ep("192.168.1.20", 51300), ep("198.18.0.66", 443))
                     .service("https")
                     .times(t - 8, t - 7)
                     .traffic(4, 700, 3, 5'000)
                     .tls("evil\x1b[31m.example\x07"));
  rows.push_back(RecordBuilder(12, proto::kIcmpv6, ep("fe80::1"), ep("ff02::1:ff00:2"))
                     .label("NEIGHBOR_SOLICITATION")
                     .times(t - 1, t - 1)
                     .traffic(1, 86, 0, 0));
  rows.push_back(RecordBuilder(13, proto::kTcp, ep("192.168.1.20", 40001), ep("10.0.0.5", 9999))
                     .times(t - 100, t - 50)
                     .traffic(10, 1'000, 10, 1'000));
  rows.push_back(
      RecordBuilder(14, proto::kTcp, ep("2001:db8:1234:5678:9abc:def0:1234:5678", 50000),
                    ep("2a00:1450:4001:82b::200e", 443))
          .service("https")
          .times(t - 60, t - 1)
          .traffic(50, 9'000, 80, 250'000)
          .rates(1'000, 64'000)
          .tls("accounts.google.com")
          .process(7001, "chrome"));
  snap->stats.capture.seen = 123'456;
  snap->stats.capture.kernelDropped = 0;
  snap->stats.liveConnections = rows.size();
  return snap;
}

// A connection closed by the protocol a few seconds ago (shown dimmed).
inline engine::ConnectionEvent sampleClosed() {
  engine::ConnectionEvent e;
  e.kind = engine::ConnectionEvent::Kind::Closed;
  e.reason = track::EndReason::Closed;
  e.when = core::Timestamp::fromNanos((kSampleNow - 4) * 1'000'000'000);
  e.record = RecordBuilder(11, core::proto::kTcp, ep("192.168.1.20", 39000), ep("151.101.1.69", 443))
                 .state(track::State::Closed)
                 .service("https")
                 .times(kSampleNow - 30, kSampleNow - 4)
                 .traffic(30, 4'000, 40, 48'000)
                 .tls("stackoverflow.com")
                 .process(4242, "firefox-esr");
  return e;
}

// The same connections `secondsBefore` the sample's time, with the bytes they had then: the
// busy ones moved unevenly (the Trend sparkline and the Activity tab's minute have a shape).
inline std::shared_ptr<engine::Snapshot> sampleEarlierSnapshot(int secondsBefore) {
  // Seconds of each row's rate still to come at that moment.
  const double behind = secondsBefore >= 8 ? 2.4 : secondsBefore >= 6 ? 1.6 : secondsBefore >= 4 ? 1.2 : 0.5;
  auto snap = sampleSnapshot();
  snap->asOf = snap->asOf - core::Duration::seconds(secondsBefore);
  for (auto& r : snap->rows) {
    r.received.bytes -= static_cast<std::uint64_t>(r.rateInBps * behind);
    r.sent.bytes -= static_cast<std::uint64_t>(r.rateOutBps * behind);
  }
  return snap;
}

inline ui::Controller sampleController(std::string filter = {}) {
  ui::Controller c(ui::SourceInfo{"eth0", true}, ui::StoreConfig{}, std::move(filter));
  for (int before : {8, 6, 4, 2}) c.setSnapshot(sampleEarlierSnapshot(before));
  c.setSnapshot(sampleSnapshot());
  c.onEvent(sampleClosed());
  c.rebuild();
  return c;
}

}  // namespace rustnet::test
