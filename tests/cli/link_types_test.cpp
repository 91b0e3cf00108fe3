// Link types end to end, from hand-written capture files: NFLOG records become connections
// with the log's prefix/uid/gid, and a link type rustnet cannot decode is named once on
// stderr (the run still succeeds).
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

#include "support/test_support.h"

namespace rustnet::test {
namespace {

namespace fs = std::filesystem;
using Bytes = std::vector<std::uint8_t>;

class LinkTypes : public ::testing::Test {
protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("rustnet-link-" + std::to_string(::getpid()) + "-" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  // A classic little-endian pcap (as an x86 host writes it: NFLOG TLV headers follow the
  // file's byte order, and libpcap converts both together) with one record per frame, a
  // second apart.
  fs::path writePcap(const std::string& name, std::uint32_t linkType, const std::vector<Bytes>& frames) {
    Bytes w;
    auto le32 = [&](std::uint32_t v) {
      for (int i = 0; i < 4; ++i) w.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
    };
    le32(0xa1b2c3d4);
    le32(0x00040002);  // version 2.4: major then minor, each 16-bit little-endian
    le32(0);
    le32(0);
    le32(65535);
    le32(linkType);
    std::uint32_t sec = 1'700'000'000;
    for (const Bytes& f : frames) {
      const auto len = static_cast<std::uint32_t>(f.size());
      le32(sec++);
      le32(0);
      le32(len);
      le32(len);
      w.insert(w.end(), f.begin(), f.end());
    }
    const fs::path p = dir_ / name;
    std::ofstream(p, std::ios::binary)
        .write(reinterpret_cast<const char*>(w.data()), static_cast<std::streamsize>(w.size()));
    return p;
  }

  struct Run {
    int status = -1;
    std::string out;
    std::string err;
    std::vector<nlohmann::json> events;
  };
  Run run(const fs::path& file) {
    const fs::path err = dir_ / "stderr";
    const auto r = runCommand(rustnetBinary().string() + " --read " + file.string() + " --json 2> " + err.string());
    Run o{r.status, r.out, {}, {}};
    std::ifstream e(err);
    o.err.assign(std::istreambuf_iterator<char>(e), {});
    std::istringstream in(o.out);
    std::string line;
    while (std::getline(in, line)) o.events.push_back(nlohmann::json::parse(line));
    return o;
  }

  fs::path dir_;
};

Bytes udpIpv4(std::array<std::uint8_t, 4> src, std::array<std::uint8_t, 4> dst, std::uint16_t sport,
              std::uint16_t dport, const std::string& payload) {
  ByteWriter w;
  const auto udpLen = static_cast<std::uint16_t>(8 + payload.size());
  w.u8(0x45).u8(0).be16(static_cast<std::uint16_t>(20 + udpLen)).be16(1).be16(0x4000).u8(64).u8(17).be16(0);
  w.bytes({src[0], src[1], src[2], src[3]}).bytes({dst[0], dst[1], dst[2], dst[3]});
  w.be16(sport).be16(dport).be16(udpLen).be16(0).str(payload);
  return w.data();
}

// An NFLOG record with little-endian TLV headers (what an x86 host writes).
Bytes nflogRecord(const Bytes& packet, const std::string& prefix, std::int64_t uid, std::int64_t gid) {
  Bytes r{2, 0, 0, 7};  // AF_INET, version 0, group 7
  auto tlv = [&](std::uint16_t type, const Bytes& value) {
    const auto len = static_cast<std::uint16_t>(value.size() + 4);
    r.insert(r.end(), {static_cast<std::uint8_t>(len), static_cast<std::uint8_t>(len >> 8),
                       static_cast<std::uint8_t>(type), static_cast<std::uint8_t>(type >> 8)});
    r.insert(r.end(), value.begin(), value.end());
    while (r.size() % 4 != 0) r.push_back(0);
  };
  auto be32 = [](std::int64_t v) {
    const auto u = static_cast<std::uint32_t>(v);
    return Bytes{static_cast<std::uint8_t>(u >> 24), static_cast<std::uint8_t>(u >> 16),
                 static_cast<std::uint8_t>(u >> 8), static_cast<std::uint8_t>(u)};
  };
  tlv(1, {0x08, 0x00, 0x01, 0x00});  // NFULA_PACKET_HDR: hw protocol, hook
  if (!prefix.empty()) {
    Bytes p(prefix.begin(), prefix.end());
    p.push_back(0);
    tlv(10, p);
  }
  if (uid >= 0) tlv(11, be32(uid));
  if (gid >= 0) tlv(14, be32(gid));
  tlv(9, packet);
  return r;
}

TEST_F(LinkTypes, NflogFileBecomesConnectionsWithPrefixUidAndGid) {
  const std::array<std::uint8_t, 4> host{198, 18, 0, 1};
  const std::array<std::uint8_t, 4> peer{198, 18, 0, 2};
  std::vector<Bytes> frames;
  for (int i = 0; i < 2; ++i) {
    // The reply is logged first (no socket owner on it), then the local send with its uid.
    frames.push_back(nflogRecord(udpIpv4(peer, host, 9000, 41000, "pong"), "", -1, -1));
    frames.push_back(nflogRecord(udpIpv4(host, peer, 41000, 9000, "ping"), "out\x1b[31m", 1000, 1001));
  }
  const Run r = run(writePcap("nflog.pcap", 239, frames));
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_TRUE(r.err.empty()) << r.err;
  ASSERT_EQ(r.events.size(), 3u) << r.out;  // new, closed, summary
  const nlohmann::json& closed = r.events[1];
  EXPECT_EQ(closed.at("event"), "connection_closed");
  EXPECT_EQ(closed.at("protocol"), "UDP");
  EXPECT_EQ(closed.at("packets_sent").get<int>() + closed.at("packets_received").get<int>(), 4);
  EXPECT_EQ(closed.at("nflog_prefix"), "out\\x1b[31m");  // escaped before it is written
  EXPECT_EQ(closed.at("uid"), 1000);
  EXPECT_EQ(closed.at("gid"), 1001);
  // The first packet carried nothing to show: the new_connection line has no such fields.
  EXPECT_FALSE(r.events[0].contains("nflog_prefix")) << r.events[0];
  EXPECT_EQ(r.events[2].at("packets_decoded"), 4);
  EXPECT_EQ(r.events[2].at("packets_unsupported_link"), 0);
}

TEST_F(LinkTypes, UnsupportedLinkTypeIsNamedOnceOnStderr) {
  // DLT 107 (frame relay): three frames rustnet cannot read.
  const std::vector<Bytes> frames(3, Bytes{0x18, 0x41, 0x03, 0xcc, 0x45, 0x00});
  const Run r = run(writePcap("frelay.pcap", 107, frames));
  EXPECT_EQ(r.status, 0) << r.err;  // nothing went wrong with the run: it saw nothing it knows
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  EXPECT_EQ(r.err.rfind("rustnet: warning: 3 frames skipped: link type ", 0), 0u) << r.err;
  EXPECT_NE(r.err.find("DLT 107"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("FRELAY"), std::string::npos) << r.err;
  ASSERT_EQ(r.events.size(), 1u) << r.out;
  EXPECT_EQ(r.events[0].at("event"), "summary");
  EXPECT_EQ(r.events[0].at("packets_unsupported_link"), 3);
}

TEST_F(LinkTypes, SupportedFilesSayNothingOnStderr) {
  const std::vector<Bytes> frames{udpIpv4({198, 18, 0, 1}, {198, 18, 0, 2}, 1, 2, "x")};
  const Run r = run(writePcap("raw.pcap", 101, frames));
  EXPECT_EQ(r.status, 0);
  EXPECT_TRUE(r.err.empty()) << r.err;
}

}  // namespace
}  // namespace rustnet::test
