#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "output/events.h"
#include "output/json_line.h"

namespace rustnet::output {
namespace {

using nlohmann::json;

TEST(JsonLine, EscapesWireStringsTwice) {
  // Control characters from a packet become visible text, and the line stays valid JSON.
  const std::string line = JsonLine().wire("sni", "evil\x1b]0;owned\x07.com\"\\").str("ok", "yes").finish();
  ASSERT_EQ(line.back(), '\n');
  const json j = json::parse(line);
  EXPECT_EQ(j.at("sni"), "evil\\x1b]0;owned\\x07.com\"\\\\");
  EXPECT_EQ(line.find('\x1b'), std::string::npos);
  EXPECT_EQ(j.at("ok"), "yes");
}

TEST(JsonLine, InvalidUtf8IsEscapedSoTheLineParses) {
  const std::string line = JsonLine().wire("name", "\xff\xfe ok \xe5\xb0\x8f").finish();
  const json j = json::parse(line);
  EXPECT_EQ(j.at("name"), "\\xff\\xfe ok \xe5\xb0\x8f");
}

TEST(JsonLine, Numbers) {
  const std::string line = JsonLine()
                               .num("u", std::uint64_t{18446744073709551615ull})
                               .num("i", std::int64_t{-5})
                               .num("d", 0.25)
                               .num("nan", std::nan(""))
                               .boolean("b", true)
                               .null("n")
                               .finish();
  const json j = json::parse(line);
  EXPECT_EQ(j.at("u").get<std::uint64_t>(), 18446744073709551615ull);
  EXPECT_EQ(j.at("i"), -5);
  EXPECT_DOUBLE_EQ(j.at("d").get<double>(), 0.25);
  EXPECT_TRUE(j.at("nan").is_null());
  EXPECT_TRUE(j.at("n").is_null());
}

engine::ConnectionEvent sampleClosed() {
  engine::ConnectionEvent e;
  e.kind = engine::ConnectionEvent::Kind::Closed;
  e.reason = track::EndReason::IdleTimeout;
  e.when = core::Timestamp::fromMicros(1714564800, 5);
  auto& r = e.record;
  r.id = 7;
  r.proto = core::proto::kTcp;
  r.local = {*core::IpAddr::parse("198.18.0.1"), 40000};
  r.remote = {*core::IpAddr::parse("2001:db8::2"), 443};
  r.stateLabel = "ESTABLISHED";
  r.service = "https";
  r.firstSeen = core::Timestamp::fromMicros(1714564790, 0);
  r.lastSeen = core::Timestamp::fromMicros(1714564792, 500000);
  r.sent = {3, 300};
  r.received = {4, 4000};
  r.handshakeRttNs = 1'500'000;
  return e;
}

TEST(Events, ClosedEventCarriesRustnetFieldNames) {
  const json j = json::parse(formatEvent(sampleClosed()));
  EXPECT_EQ(j.at("timestamp"), "2024-05-01T12:00:00.000005Z");
  EXPECT_EQ(j.at("event"), "connection_closed");
  EXPECT_EQ(j.at("protocol"), "TCP");
  EXPECT_EQ(j.at("source_ip"), "198.18.0.1");
  EXPECT_EQ(j.at("source_port"), 40000);
  EXPECT_EQ(j.at("destination_ip"), "2001:db8::2");
  EXPECT_EQ(j.at("destination_port"), 443);
  EXPECT_EQ(j.at("state"), "ESTABLISHED");
  EXPECT_EQ(j.at("service_name"), "https");
  EXPECT_EQ(j.at("end_reason"), "idle_timeout");
  EXPECT_EQ(j.at("bytes_sent"), 300);
  EXPECT_EQ(j.at("bytes_received"), 4000);
  EXPECT_EQ(j.at("packets_sent"), 3);
  EXPECT_EQ(j.at("packets_received"), 4);
  EXPECT_DOUBLE_EQ(j.at("duration_secs").get<double>(), 2.5);
  EXPECT_DOUBLE_EQ(j.at("tcp_handshake_rtt_ms").get<double>(), 1.5);
}

TEST(Events, NewEventHasNoTotalsAndIcmpHasNoPorts) {
  auto e = sampleClosed();
  e.kind = engine::ConnectionEvent::Kind::New;
  e.record.proto = core::proto::kIcmp;
  e.record.local.port = 0x4242;
  e.record.remote.port = 0x4242;
  e.record.service = {};
  const json j = json::parse(formatEvent(e));
  EXPECT_EQ(j.at("event"), "new_connection");
  EXPECT_FALSE(j.contains("bytes_sent"));
  EXPECT_FALSE(j.contains("source_port"));
  EXPECT_EQ(j.at("icmp_id"), 0x4242);
  EXPECT_TRUE(j.at("service_name").is_null());
  EXPECT_FALSE(j.contains("pid"));  // ICMP has no owning socket
}

TEST(Events, ProcessFieldsWhenKnownAndNullWhenNot) {
  auto e = sampleClosed();
  json j = json::parse(formatEvent(e));
  EXPECT_TRUE(j.at("pid").is_null());
  EXPECT_TRUE(j.at("process_name").is_null());
  engine::ProcessInfo p;
  p.pid = 4242;
  p.name = "curl\x1b";
  p.executable = "/usr/bin/curl";
  p.uid = 1000;
  p.match = "exact";
  e.record.process = p;
  j = json::parse(formatEvent(e));
  EXPECT_EQ(j.at("pid"), 4242);
  EXPECT_EQ(j.at("process_name"), "curl\\x1b");
  EXPECT_EQ(j.at("process_executable"), "/usr/bin/curl");
  EXPECT_EQ(j.at("process_uid"), 1000);
  EXPECT_EQ(j.at("process_match"), "exact");
}

TEST(Events, SummaryCounters) {
  engine::EngineStats s;
  s.capture.seen = 10;
  s.capture.kernelDropped = 2;
  s.capture.ourDropped = 1;
  s.decode.ok = 8;
  s.decode.malformed = 2;
  s.tracker.created = 5;
  s.tracker.evicted = 1;
  RunInfo run;
  run.source = "eth0";
  run.live = true;
  run.ended = core::Timestamp::fromMicros(1, 0);
  run.error = "boom";
  run.processMethod = "sock_diag";
  process::Counters pc;
  pc.lookups = 4;
  pc.hits[static_cast<std::size_t>(process::MatchKind::Exact)] = 3;
  pc.misses = 1;
  run.process = pc;
  const json j = json::parse(formatSummary(s, run));
  EXPECT_EQ(j.at("event"), "summary");
  EXPECT_EQ(j.at("interface"), "eth0");
  EXPECT_EQ(j.at("packets_seen"), 10);
  EXPECT_EQ(j.at("packets_decoded"), 8);
  EXPECT_EQ(j.at("packets_malformed"), 2);
  EXPECT_EQ(j.at("packets_dropped_kernel"), 2);
  EXPECT_EQ(j.at("packets_dropped_ours"), 1);
  EXPECT_EQ(j.at("connections_created"), 5);
  EXPECT_EQ(j.at("connections_evicted"), 1);
  EXPECT_EQ(j.at("source_error"), "boom");
  EXPECT_EQ(j.at("process_method"), "sock_diag");
  EXPECT_EQ(j.at("process_lookups"), 4);
  EXPECT_EQ(j.at("process_hits"), 3);
  EXPECT_EQ(j.at("process_hits_exact"), 3);
  EXPECT_EQ(j.at("process_misses"), 1);
}

}  // namespace
}  // namespace rustnet::output
