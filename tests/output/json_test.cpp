#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <random>

#include "core/text.h"
#include "output/events.h"
#include "output/ndjson_sink.h"
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

TEST(JsonLine, AppendsToACallersBuffer) {
  std::string buf = "{\"before\":1}\n";
  JsonLine(buf).str("a", "x").time("t", core::Timestamp::fromMicros(1, 2)).end();
  JsonLine(buf).ip("ip", core::IpAddr::v4(0x0a000001)).hex("h", 0x1301, 4).hex("v", 0x1, 8).hex("w", 0x12345, 4).end();
  EXPECT_EQ(buf,
            "{\"before\":1}\n"
            "{\"a\":\"x\",\"t\":\"1970-01-01T00:00:01.000002Z\"}\n"
            "{\"ip\":\"10.0.0.1\",\"h\":\"0x1301\",\"v\":\"0x00000001\",\"w\":\"0x12345\"}\n");
}

TEST(JsonLine, LongValuesGrowTheBufferWithoutLosingText) {
  // Every byte value, many times: the line outgrows its first room several times over.
  std::string raw;
  for (int rep = 0; rep < 40; ++rep) {
    for (int b = 0; b < 256; ++b) raw += static_cast<char>(b);
  }
  std::string expectedValue;
  for (const char ch : core::escapeControl(raw)) {
    if (ch == '"' || ch == '\\') expectedValue += '\\';
    expectedValue += ch;
  }
  std::string buf(60000, 'x');
  JsonLine(buf).wire("k", raw).beginArray("a").element(raw).endArray().end();
  EXPECT_EQ(buf, std::string(60000, 'x') + "{\"k\":\"" + expectedValue + "\",\"a\":[\"" + expectedValue + "\"]}\n");
}

TEST(JsonLine, AnUnfinishedLineLeavesOnlyItsText) {
  std::string buf = "x";
  { JsonLine(buf).num("n", std::int64_t{-9223372036854775807 - 1}); }
  EXPECT_EQ(buf, "x{\"n\":-9223372036854775808");
}

TEST(JsonLine, ArraysOfWireStringsAndAddresses) {
  const std::string line = JsonLine()
                               .beginArray("empty")
                               .endArray()
                               .beginArray("a")
                               .element("h2")
                               .element(core::IpAddr::v4(0x7f000001))
                               .element("x\x01\"")
                               .endArray()
                               .num("n", std::uint64_t{1})
                               .finish();
  EXPECT_EQ(line, "{\"empty\":[],\"a\":[\"h2\",\"127.0.0.1\",\"x\\\\x01\\\"\"],\"n\":1}\n");
}

TEST(JsonLine, KeysAreQuotedLikeValues) {
  // Keys are ours, and a literal that would need escaping does not compile (JsonKey); one
  // made at run time with a quote or control still yields valid JSON.
  const std::string line = JsonLine().null(std::string_view("a\"b\n\x01\x7f")).finish();
  EXPECT_EQ(line, "{\"a\\\"b\\n\\u0001\\u007f\":null}\n");
}

TEST(JsonLine, AddressesReadAsIpAddrToString) {
  for (const char* text : {"198.18.0.1", "0.0.0.0", "2001:db8::1", "::ffff:10.0.0.1", "::1", "::"}) {
    const core::IpAddr a = *core::IpAddr::parse(text);
    EXPECT_EQ(JsonLine().ip("a", a).finish(), "{\"a\":\"" + a.toString() + "\"}\n") << text;
  }
}

TEST(JsonLine, IntegersPrintAsToStringDoes) {
  std::mt19937_64 rng(11);
  for (int k = 0; k < 20'000; ++k) {
    // Every magnitude: shift a random value right by 0..63 bits.
    const std::uint64_t u = rng() >> (k % 64);
    const auto i = static_cast<std::int64_t>(rng()) >> (k % 64);
    ASSERT_EQ(JsonLine().num("u", u).num("i", i).finish(),
              "{\"u\":" + std::to_string(u) + ",\"i\":" + std::to_string(i) + "}\n");
  }
  for (const std::uint64_t u : {0ull, 9ull, 10ull, 99ull, 100ull, 9999999999999999999ull, 10000000000000000000ull}) {
    EXPECT_EQ(JsonLine().num("u", u).finish(), "{\"u\":" + std::to_string(u) + "}\n");
  }
}

TEST(JsonLine, DoublesPrintAsFmtDoes) {
  std::mt19937_64 rng(3);
  std::uniform_real_distribution<double> secs(0, 1e6);
  std::uniform_int_distribution<std::int64_t> ns(0, 86'400'000'000'000);
  for (int k = 0; k < 20'000; ++k) {
    const double d = k % 2 == 0 ? secs(rng) : core::Duration::nanos(ns(rng)).secondsF();
    const std::string line = JsonLine().num("d", d).finish();
    ASSERT_EQ(line, fmt::format("{{\"d\":{}}}\n", d));
  }
}

TEST(EventWriter, BatchesEventsAndKeepsTheirOrderWithDirectLines) {
  std::FILE* f = std::tmpfile();
  ASSERT_NE(f, nullptr);
  {
    EventWriter w(f, PrivateFile{});
    engine::ConnectionEvent e;
    e.record.proto = core::proto::kUdp;
    e.record.stateLabel = "ACTIVE";
    std::string expected;
    for (std::uint64_t id = 0; id < 2000; ++id) {  // more than one batch
      e.record.id = id;
      ASSERT_TRUE(w.writeEvent(e));
      expected += formatEvent(e);
    }
    ASSERT_TRUE(w.write("{\"event\":\"summary\"}\n"));
    expected += "{\"event\":\"summary\"}\n";
    e.record.id = 2000;
    ASSERT_TRUE(w.writeEvent(e));
    expected += formatEvent(e);
    ASSERT_TRUE(w.flush());
    std::rewind(f);
    std::string got;
    char buf[4096];
    for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, f)) > 0;) got.append(buf, n);
    EXPECT_EQ(got.size(), expected.size());
    EXPECT_TRUE(got == expected);
  }
  std::fclose(f);
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
