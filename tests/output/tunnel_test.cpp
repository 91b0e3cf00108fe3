// A GTP-U tunnel through the whole engine: the carrying flow and the inner connection are
// both reported, each with every frame's packets and bytes, the frame is decoded (and
// counted) once, DPI reads the inner payload, and only the inner connection's JSON says
// "tunnel" -- with one worker and with two (the two flows then may land on either shard).
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <thread>

#include "engine/engine.h"
#include "output/events.h"
#include "support/test_support.h"
#include "ui/pcap_writer.h"

namespace rustnet::output {
namespace {

namespace fs = std::filesystem;
using test::ByteWriter;
using test::PcapWriter;

// IPv4 + UDP from 10.45.0.7:40000 to 8.8.8.8:53 (or back), wrapped in a GTP-U G-PDU.
std::vector<std::uint8_t> gtpDns(bool reply, const std::vector<std::uint8_t>& dns) {
  ByteWriter udp;
  udp.be16(reply ? 53 : 40000).be16(reply ? 40000 : 53).be16(static_cast<std::uint16_t>(8 + dns.size())).be16(0).bytes(dns);
  const std::vector<std::uint8_t> u = udp.data();
  ByteWriter ip;
  ip.u8(0x45).u8(0).be16(static_cast<std::uint16_t>(20 + u.size())).be16(0).be16(0).u8(64).u8(17).be16(0);
  const std::uint32_t ue = 0x0a2d0007;  // 10.45.0.7
  const std::uint32_t dnsServer = 0x08080808;
  ip.be32(reply ? dnsServer : ue).be32(reply ? ue : dnsServer).bytes(u);
  const std::vector<std::uint8_t> inner = ip.data();
  ByteWriter gtp;
  gtp.u8(0x30).u8(0xff).be16(static_cast<std::uint16_t>(inner.size())).be32(0x1234).bytes(inner);
  return gtp.data();
}

struct Row {
  std::uint64_t packets = 0;
  std::uint64_t bytes = 0;
  nlohmann::json json;
};

class TunnelEngineTest : public ::testing::TestWithParam<int> {
protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("rustnet-tunnel-" + std::to_string(::getpid()) + "-" +
                                        std::to_string(GetParam()));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
};

TEST_P(TunnelEngineTest, GtpUGivesTheCarryingFlowAndTheInnerConnection) {
  PcapWriter w;
  std::uint64_t frameBytes = 0;
  const std::vector<std::uint8_t> query = test::dnsQuery("inside.example", 7);
  std::vector<std::uint8_t> answer = query;
  answer[2] |= 0x80;  // QR: a response (with no answers) to the same question
  for (int i = 0; i < 3; ++i) {
    const auto out = gtpDns(false, query);
    const auto back = gtpDns(true, answer);
    w.udp("192.0.2.1", 2152, "192.0.2.2", 2152, out);
    w.udp("192.0.2.2", 2152, "192.0.2.1", 2152, back);
    frameBytes += 2 * (14 + 20 + 8) + out.size() + back.size();
  }
  w.udp("192.0.2.1", 2152, "192.0.2.9", 40000, {'n', 'o', 't', ' ', 'g', 't', 'p'});  // plain UDP
  const std::string path = (dir_ / "gtp.pcap").string();
  ASSERT_TRUE(w.save(path));

  engine::EngineConfig cfg;
  cfg.readFile = path;
  cfg.workers = GetParam();
  engine::Engine e(cfg);
  e.start();
  std::vector<engine::ConnectionEvent> events;
  for (;;) {
    const bool done = e.finished();
    e.drainEvents(events);
    if (done) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }

  std::map<std::string, Row> closed;  // "local remote" -> what its closing event says
  for (const auto& ev : events) {
    if (ev.kind != engine::ConnectionEvent::Kind::Closed) continue;
    const auto& r = ev.record;
    const std::string key = r.local.addr.toString() + ":" + std::to_string(r.local.port) + " " +
                            r.remote.addr.toString() + ":" + std::to_string(r.remote.port);
    closed[key] = Row{r.sent.packets + r.received.packets, r.sent.bytes + r.received.bytes,
                      nlohmann::json::parse(formatEvent(ev))};
  }
  ASSERT_EQ(closed.size(), 3u);
  auto find = [&](const std::string& a, const std::string& b) -> const Row* {
    if (closed.count(a + " " + b) != 0) return &closed[a + " " + b];
    if (closed.count(b + " " + a) != 0) return &closed[b + " " + a];
    return nullptr;
  };
  const Row* outer = find("192.0.2.1:2152", "192.0.2.2:2152");
  const Row* inner = find("10.45.0.7:40000", "8.8.8.8:53");
  const Row* plain = find("192.0.2.1:2152", "192.0.2.9:40000");
  ASSERT_NE(outer, nullptr);
  ASSERT_NE(inner, nullptr);
  ASSERT_NE(plain, nullptr);

  EXPECT_EQ(outer->packets, 6u);
  EXPECT_EQ(outer->bytes, frameBytes);
  EXPECT_EQ(inner->packets, 6u);
  EXPECT_EQ(inner->bytes, frameBytes);
  EXPECT_FALSE(outer->json.contains("tunnel")) << outer->json.dump();
  EXPECT_FALSE(plain->json.contains("tunnel")) << plain->json.dump();
  EXPECT_EQ(inner->json.value("tunnel", ""), "GTP-U") << inner->json.dump();
  EXPECT_EQ(inner->json.value("dpi_domain", ""), "inside.example") << inner->json.dump();
  EXPECT_FALSE(outer->json.contains("dpi_protocol")) << outer->json.dump();

  // Counted once per frame in the decode statistics; both records reached a tracker.
  const engine::EngineStats s = e.stats();
  EXPECT_EQ(s.capture.seen, 7u);
  EXPECT_EQ(s.decode.ok, 7u);
  EXPECT_EQ(s.decode.tunnelled, 6u);
  EXPECT_EQ(s.decode.tunnelCapped, 0u);
  EXPECT_EQ(s.decode.bytes, frameBytes + 14 + 20 + 8 + 7);
  EXPECT_EQ(s.tracker.packets, 13u);
  EXPECT_EQ(s.tracker.created, 3u);
}

INSTANTIATE_TEST_SUITE_P(Workers, TunnelEngineTest, ::testing::Values(0, 1, 2));

}  // namespace
}  // namespace rustnet::output
