// STUN facts where users meet them: the NDJSON event, the filter (app:stun, stun:<text>),
// and the rustnet binary reading a capture with STUN over UDP and TCP.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <unistd.h>

#include "dpi/stun/stun_facts.h"
#include "dpi_test_util.h"
#include "engine/engine.h"
#include "filter/filter.h"
#include "output/events.h"
#include "stun_builders.h"
#include "support/test_support.h"
#include "ui/pcap_writer.h"

namespace rustnet::test {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using stun::Message;

constexpr stun::Txid kTx{0xb7, 0xe7, 0xa7, 0x01, 0xbc, 0x34, 0xd6, 0x86, 0xfa, 0x87, 0xdf, 0xae};

// A record of a UDP connection whose DPI facts come from feeding `msgs` to an Inspector.
engine::ConnectionRecord recordOf(const std::vector<Msg>& msgs) {
  Conversation c(udpFlow(40000, 3478));
  c.sendAll(msgs);
  engine::ConnectionRecord r;
  r.id = 1;
  r.proto = core::proto::kUdp;
  r.local = core::Endpoint{*core::IpAddr::parse("192.168.1.10"), 40000};
  r.remote = core::Endpoint{*core::IpAddr::parse("203.0.113.3"), 3478};
  r.state = track::State::UdpActive;
  r.stateLabel = track::stateName(r.state);
  r.dpi = std::make_shared<dpi::Facts>(c.facts());
  return r;
}

json eventOf(const engine::ConnectionRecord& r) {
  engine::ConnectionEvent e;
  e.kind = engine::ConnectionEvent::Kind::New;
  e.record = r;
  std::string line;
  output::appendEvent(line, e);
  EXPECT_EQ(line.back(), '\n');
  return json::parse(line);
}

std::vector<Msg> rfc5769V6() { return {out(stun::rfc5769Request()), in(stun::rfc5769ResponseV6())}; }

TEST(StunJson, BindingExchangeFields) {
  const json j = eventOf(recordOf(rfc5769V6()));
  EXPECT_EQ(j.at("dpi_protocol"), "STUN");
  EXPECT_FALSE(j.contains("dpi_domain"));  // STUN names no server
  EXPECT_EQ(j.at("stun_type"), "Binding Request");
  EXPECT_EQ(j.at("stun_transaction_id"), "b7e7a701bc34d686fa87dfae");
  EXPECT_EQ(j.at("stun_response"), "Binding Success Response");
  EXPECT_EQ(j.at("stun_xor_mapped_address"), "2001:db8:1234:5678:11:2233:4455:6677");
  EXPECT_EQ(j.at("stun_xor_mapped_port"), 32853);
  EXPECT_EQ(j.at("stun_software"), "STUN test client");
  EXPECT_EQ(j.at("stun_server_software"), "test vector");
  EXPECT_EQ(j.at("stun_username"), "evtj:h6vY");
  for (const char* absent : {"stun_classic", "stun_error_code", "stun_mapped_address", "stun_realm"}) {
    EXPECT_FALSE(j.contains(absent)) << absent;
  }
}

TEST(StunJson, ClassicErrorAndEscapedWireText) {
  const stun::ClassicTxid id{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};
  const auto r = recordOf({
      out(Message(stun::kBindingRequest, id).text(0x0006, "user\x1b[2J").build()),
      in(Message(stun::kBindingError, id)
             .errorCode(420, "Unknown Attribute")
             .address4(0x0001, {198, 51, 100, 7}, 40001)
             .text(0x8022, "srv\"\n")
             .text(0x0014, "realm\\x")
             .build()),
  });
  const json j = eventOf(r);
  EXPECT_EQ(j.at("stun_classic"), true);
  EXPECT_EQ(j.at("stun_transaction_id"), "000102030405060708090a0b0c0d0e0f");
  EXPECT_EQ(j.at("stun_response"), "Binding Error Response");
  EXPECT_EQ(j.at("stun_error_code"), 420);
  EXPECT_EQ(j.at("stun_mapped_address"), "198.51.100.7");
  EXPECT_EQ(j.at("stun_mapped_port"), 40001);
  // Wire text reaches JSON escaped: controls as \xHH, backslashes doubled.
  EXPECT_EQ(j.at("stun_username"), "user\\x1b[2J");
  EXPECT_EQ(j.at("stun_server_software"), "srv\"\\x0a");
  EXPECT_EQ(j.at("stun_realm"), "realm\\\\x");
}

TEST(StunFilter, AppAndKeywordMatch) {
  const auto r = recordOf(rfc5769V6());
  const auto match = [&](const char* q) { return filter::Filter::parse(q).matches(r); };
  EXPECT_TRUE(match("app:stun"));
  EXPECT_TRUE(match("proto:stun"));
  EXPECT_TRUE(match("stun:test"));           // software (client and server)
  EXPECT_TRUE(match("stun:vector"));
  EXPECT_TRUE(match("stun:evtj"));           // user name
  EXPECT_TRUE(match("stun:2001:db8:1234"));  // XOR-mapped address
  EXPECT_TRUE(match("stun:binding"));        // message type
  EXPECT_TRUE(match("vector"));              // bare words search STUN fields too
  EXPECT_FALSE(match("stun:coturn"));
  EXPECT_FALSE(match("app:dns"));
  EXPECT_FALSE(match("!app:stun"));
  EXPECT_FALSE(match("dns:vector"));
}

// --- the binary on a capture ---

class StunBinary : public ::testing::Test {
protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("rustnet-stun-" + std::to_string(::getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
};

TEST_F(StunBinary, JsonOfUdpAndTcpStun) {
  PcapWriter w;
  w.udp("192.168.1.10", 40000, "203.0.113.3", 19302, stun::rfc5769Request());
  w.udp("203.0.113.3", 19302, "192.168.1.10", 40000, stun::rfc5769ResponseV4());
  const auto req = Message(stun::kAllocateRequest, kTx).text(0x8022, "tcp client").build();
  const auto resp = Message(stun::kAllocateSuccess, kTx).xorAddress4({198, 51, 100, 20}, 61000).build();
  w.tcpConversation("192.168.1.10", 40001, "203.0.113.4", 3478, req, resp, true);
  const fs::path file = dir_ / "stun.pcap";
  ASSERT_TRUE(w.save(file.string()));

  const auto r = runCommand(rustnetBinary().string() + " --read " + file.string() + " --json 2>/dev/null");
  ASSERT_EQ(r.status, 0) << r.out;
  // A connection's later events carry what DPI learned since the first: read the last.
  std::istringstream lines(r.out);
  std::string line;
  json udp;
  json tcp;
  json summary;
  while (std::getline(lines, line)) {
    json j = json::parse(line);
    if (j.contains("dpi_hits")) summary = j;
    if (!j.contains("protocol")) continue;
    // Picked before the move: json's operator= takes its argument by value, and C++17
    // evaluates that argument (moving j out) before the left-hand side.
    json& slot = j.at("protocol") == "UDP" ? udp : tcp;
    slot = std::move(j);
  }
  ASSERT_FALSE(udp.is_null()) << r.out;
  EXPECT_EQ(udp.at("dpi_protocol"), "STUN");
  EXPECT_EQ(udp.at("stun_xor_mapped_address"), "192.0.2.1");
  EXPECT_EQ(udp.at("stun_xor_mapped_port"), 32853);
  EXPECT_EQ(udp.at("stun_server_software"), "test vector");
  ASSERT_FALSE(tcp.is_null()) << r.out;
  EXPECT_EQ(tcp.at("dpi_protocol"), "STUN");
  EXPECT_EQ(tcp.at("stun_type"), "Allocate Request");
  EXPECT_EQ(tcp.at("stun_response"), "Allocate Success Response");
  EXPECT_EQ(tcp.at("stun_software"), "tcp client");
  EXPECT_EQ(tcp.at("stun_xor_mapped_address"), "198.51.100.20");
  ASSERT_TRUE(summary.contains("dpi_hits")) << r.out;
  EXPECT_EQ(summary.at("dpi_hits").at("STUN"), 2);
}

}  // namespace
}  // namespace rustnet::test
