// Our pcapng reader: per-interface link types and timestamp resolutions, both byte orders,
// every packet block kind, and damage at every offset.
#include <gtest/gtest.h>

#include <cstring>

#include "capture/source.h"
#include "capture_test_util.h"

namespace rustnet::capture {
namespace {

// Builds pcapng blocks in either byte order.
class Pcapng {
public:
  explicit Pcapng(bool bigEndian = false) : be_(bigEndian) {}

  Pcapng& section() {
    std::vector<std::uint8_t> body;
    put32(body, 0x1A2B3C4D);
    put16(body, 1);
    put16(body, 0);
    put32(body, 0xffffffff);  // section length unknown
    put32(body, 0xffffffff);
    return block(0x0A0D0D0A, body);
  }
  // tsresol < 0: no option (microseconds); tsoffset 0: no option.
  Pcapng& interface(std::uint16_t linkType, int tsresol = -1, std::uint32_t snaplen = 0,
                    std::int64_t tsoffset = 0) {
    std::vector<std::uint8_t> body;
    put16(body, linkType);
    put16(body, 0);
    put32(body, snaplen);
    if (tsresol >= 0) {
      put16(body, 9);
      put16(body, 1);
      body.push_back(static_cast<std::uint8_t>(tsresol));
      body.insert(body.end(), 3, 0);
    }
    if (tsoffset != 0) {
      put16(body, 14);
      put16(body, 8);
      const auto u = static_cast<std::uint64_t>(tsoffset);
      if (be_) {
        put32(body, static_cast<std::uint32_t>(u >> 32));
        put32(body, static_cast<std::uint32_t>(u));
      } else {
        put32(body, static_cast<std::uint32_t>(u));
        put32(body, static_cast<std::uint32_t>(u >> 32));
      }
    }
    if (tsresol >= 0 || tsoffset != 0) {
      put16(body, 0);
      put16(body, 0);
    }
    return block(1, body);
  }
  Pcapng& packet(std::uint32_t iface, std::uint64_t ts, const std::vector<std::uint8_t>& data,
                 std::uint32_t wireLen = 0) {
    std::vector<std::uint8_t> body;
    put32(body, iface);
    put32(body, static_cast<std::uint32_t>(ts >> 32));
    put32(body, static_cast<std::uint32_t>(ts));
    put32(body, static_cast<std::uint32_t>(data.size()));
    put32(body, wireLen != 0 ? wireLen : static_cast<std::uint32_t>(data.size()));
    body.insert(body.end(), data.begin(), data.end());
    body.resize((body.size() + 3) & ~std::size_t{3}, 0);
    return block(6, body);
  }
  Pcapng& simplePacket(const std::vector<std::uint8_t>& data) {
    std::vector<std::uint8_t> body;
    put32(body, static_cast<std::uint32_t>(data.size()));
    body.insert(body.end(), data.begin(), data.end());
    body.resize((body.size() + 3) & ~std::size_t{3}, 0);
    return block(3, body);
  }
  Pcapng& other(std::uint32_t type, std::size_t n) { return block(type, std::vector<std::uint8_t>(n, 0x55)); }
  Pcapng& raw(std::uint32_t type, std::uint32_t len, std::uint32_t trailer) {
    put32(out_, type);
    put32(out_, len);
    put32(out_, trailer);
    return *this;
  }
  [[nodiscard]] const std::vector<std::uint8_t>& bytes() const { return out_; }

private:
  Pcapng& block(std::uint32_t type, const std::vector<std::uint8_t>& body) {
    const auto len = static_cast<std::uint32_t>(12 + body.size());
    put32(out_, type);
    put32(out_, len);
    out_.insert(out_.end(), body.begin(), body.end());
    put32(out_, len);
    return *this;
  }
  void put16(std::vector<std::uint8_t>& v, std::uint16_t x) const {
    if (be_) {
      v.push_back(static_cast<std::uint8_t>(x >> 8));
      v.push_back(static_cast<std::uint8_t>(x));
    } else {
      v.push_back(static_cast<std::uint8_t>(x));
      v.push_back(static_cast<std::uint8_t>(x >> 8));
    }
  }
  void put32(std::vector<std::uint8_t>& v, std::uint32_t x) const {
    if (be_) {
      put16(v, static_cast<std::uint16_t>(x >> 16));
      put16(v, static_cast<std::uint16_t>(x));
    } else {
      put16(v, static_cast<std::uint16_t>(x));
      put16(v, static_cast<std::uint16_t>(x >> 16));
    }
  }
  bool be_;
  std::vector<std::uint8_t> out_;
};

std::vector<std::uint8_t> frameBytes(std::uint8_t fill, std::size_t n) { return std::vector<std::uint8_t>(n, fill); }

test::ReadResult readFile(const std::vector<std::uint8_t>& bytes, const std::string& filter = {}) {
  test::TempDir dir;
  const auto path = dir.file("x.pcapng");
  test::writeBytes(path, bytes);
  auto src = openFile(path.string(), filter);
  return test::readAll(*src, 3);
}

TEST(Pcapng, InterfacesKeepTheirOwnLinkTypeAndClock) {
  for (bool be : {false, true}) {
    SCOPED_TRACE(be ? "big endian" : "little endian");
    Pcapng f(be);
    f.section().interface(1).interface(0, 9).other(4, 20);  // name resolution block skipped
    f.packet(0, 1'700'000'000'123'456ull, frameBytes(1, 60));
    f.packet(1, 1'700'000'000'123'456'789ull, frameBytes(2, 33), 1500);
    f.simplePacket(frameBytes(3, 42));
    const auto r = readFile(f.bytes());
    ASSERT_EQ(r.status, ReadStatus::EndOfFile) << r.error;
    ASSERT_EQ(r.frames.size(), 3u);
    EXPECT_EQ(r.frames[0].linkType, decode::LinkType::Ethernet);
    EXPECT_EQ(r.frames[0].ts.ns, 1'700'000'000'123'456'000);
    EXPECT_EQ(r.frames[1].linkType, decode::LinkType::Null);
    EXPECT_EQ(r.frames[1].ts.ns, 1'700'000'000'123'456'789);
    EXPECT_EQ(r.frames[1].wireLen, 1500u);
    EXPECT_EQ(r.frames[1].data.size(), 33u);
    EXPECT_EQ(r.frames[2].linkType, decode::LinkType::Ethernet);  // SPBs belong to interface 0
    EXPECT_EQ(r.frames[2].data, frameBytes(3, 42));
  }
}

TEST(Pcapng, BinaryTimestampResolution) {
  Pcapng f;
  f.section().interface(1, 0x80 | 10);  // 2^-10 s units
  f.packet(0, 3 * 1024 + 512, frameBytes(1, 60));
  const auto r = readFile(f.bytes());
  ASSERT_EQ(r.frames.size(), 1u);
  EXPECT_EQ(r.frames[0].ts.ns, 3'500'000'000);
}

// Found by the pcapng fuzz target: a timestamp, resolution and offset whose product does
// not fit 64-bit nanoseconds overflowed (undefined behaviour). Times are pinned to the range
// of classic pcap, 1970 to 2^32 seconds.
TEST(Pcapng, TimestampsOutOfRangeArePinned) {
  constexpr std::int64_t kMax = (std::int64_t{1} << 32) * 1'000'000'000;
  for (bool be : {false, true}) {
    SCOPED_TRACE(be ? "big endian" : "little endian");
    Pcapng f(be);
    f.section();
    f.interface(1, 0);                                      // 0: whole seconds
    f.interface(1, 0x80);                                   // 1: 2^0 s units
    f.interface(1, 9, 0, -2'000'000'000);                   // 2: offset before 1970
    f.interface(1, 9, 0, std::int64_t{1} << 62);            // 3: offset beyond int64 ns
    f.interface(1, 6, 0, 100);                              // 4: in range, offset applied
    f.packet(0, std::uint64_t{1} << 40, frameBytes(1, 60));
    f.packet(1, ~std::uint64_t{0}, frameBytes(1, 60));
    f.packet(2, 5, frameBytes(1, 60));
    f.packet(3, 5, frameBytes(1, 60));
    f.packet(4, 1'700'000'000'000'001ull, frameBytes(1, 60));
    f.packet(0, 1'700'000'000ull, frameBytes(1, 60));
    const auto r = readFile(f.bytes());
    ASSERT_EQ(r.status, ReadStatus::EndOfFile) << r.error;
    ASSERT_EQ(r.frames.size(), 6u);
    EXPECT_EQ(r.frames[0].ts.ns, kMax);
    EXPECT_EQ(r.frames[1].ts.ns, kMax);
    EXPECT_EQ(r.frames[2].ts.ns, 0);
    EXPECT_EQ(r.frames[3].ts.ns, kMax);
    EXPECT_EQ(r.frames[4].ts.ns, 1'700'000'100'000'001'000);
    EXPECT_EQ(r.frames[5].ts.ns, 1'700'000'000'000'000'000);
  }
}

// A block length is believed only as far as the file backs it: a short file that claims a
// block near the size cap is reported as truncated, with what it did hold.
TEST(Pcapng, BlockLongerThanTheFileIsTruncated) {
  Pcapng f;
  f.section().interface(1).packet(0, 1, frameBytes(1, 60));
  auto bytes = f.bytes();
  const std::uint8_t head[] = {6, 0, 0, 0, 0, 0, 0xf0, 0};  // EPB of 15 MiB
  bytes.insert(bytes.end(), std::begin(head), std::end(head));
  bytes.insert(bytes.end(), 100, 0x55);
  const auto r = readFile(bytes);
  EXPECT_EQ(r.status, ReadStatus::Error);
  ASSERT_EQ(r.frames.size(), 1u);
  EXPECT_NE(r.error.find("tried to read 15728640 bytes, only got 108"), std::string::npos) << r.error;
}

TEST(Pcapng, ANewSectionReplacesTheInterfaces) {
  Pcapng f;
  f.section().interface(1).packet(0, 1, frameBytes(1, 60));
  f.section().interface(101).packet(0, 2, frameBytes(0x45, 40));
  const auto r = readFile(f.bytes());
  ASSERT_EQ(r.status, ReadStatus::EndOfFile) << r.error;
  ASSERT_EQ(r.frames.size(), 2u);
  EXPECT_EQ(r.frames[1].linkType, decode::LinkType::RawIp);
}

TEST(Pcapng, DamageIsReportedAfterTheGoodFrames) {
  {
    Pcapng f;
    f.section().interface(1).packet(0, 1, frameBytes(1, 60)).packet(7, 2, frameBytes(1, 60));
    const auto r = readFile(f.bytes());
    EXPECT_EQ(r.status, ReadStatus::Error);
    EXPECT_EQ(r.frames.size(), 1u);
    EXPECT_NE(r.error.find("undeclared interface"), std::string::npos) << r.error;
  }
  {
    Pcapng f;
    f.section().interface(1).packet(0, 1, frameBytes(1, 60)).raw(6, 1u << 30, 0);
    const auto r = readFile(f.bytes());
    EXPECT_EQ(r.status, ReadStatus::Error);
    EXPECT_EQ(r.frames.size(), 1u);
    EXPECT_NE(r.error.find("exceeds the limit"), std::string::npos) << r.error;
  }
  {
    Pcapng f;
    f.section().interface(1).raw(6, 13, 13);
    const auto r = readFile(f.bytes());
    EXPECT_EQ(r.status, ReadStatus::Error);
    EXPECT_NE(r.error.find("invalid"), std::string::npos) << r.error;
  }
}

TEST(Pcapng, CutAtEveryOffset) {
  Pcapng f;
  f.section().interface(1).interface(113, 9).packet(0, 1, frameBytes(1, 61)).packet(1, 2, frameBytes(2, 17));
  f.simplePacket(frameBytes(3, 5));
  const auto& whole = f.bytes();
  test::TempDir dir;
  for (std::size_t n = 1; n < whole.size(); ++n) {
    const auto path = dir.file("cut.pcapng");
    test::writeBytes(path, std::vector<std::uint8_t>(whole.begin(), whole.begin() + static_cast<std::ptrdiff_t>(n)));
    std::unique_ptr<Source> src;
    try {
      src = openFile(path.string());
    } catch (const CaptureError& e) {
      EXPECT_NE(std::string(e.what()).find("cut.pcapng"), std::string::npos);
      continue;  // cut inside the first blocks: a clear open error
    }
    const auto r = test::readAll(*src, 2);
    EXPECT_LE(r.frames.size(), 3u);
    if (r.status == ReadStatus::Error) {
      EXPECT_NE(r.error.find("truncated"), std::string::npos) << n << ": " << r.error;
    } else {
      EXPECT_EQ(r.status, ReadStatus::EndOfFile);
    }
  }
}

TEST(Pcapng, FilterAppliesPerInterface) {
  // An IPv4/UDP frame on Ethernet and the same packet on a raw-IP interface.
  std::vector<std::uint8_t> ip = {0x45, 0, 0, 28, 0, 0, 0, 0, 64, 17, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2,
                                  0x12, 0x34, 0, 53, 0, 8, 0, 0};
  std::vector<std::uint8_t> eth(12, 0);
  eth.push_back(0x08);
  eth.push_back(0x00);
  eth.insert(eth.end(), ip.begin(), ip.end());
  Pcapng f;
  f.section().interface(1).interface(101).packet(0, 1, eth).packet(1, 2, ip).packet(0, 3, frameBytes(0, 60));
  const auto r = readFile(f.bytes(), "udp port 53");
  ASSERT_EQ(r.status, ReadStatus::EndOfFile) << r.error;
  ASSERT_EQ(r.frames.size(), 2u);
  EXPECT_EQ(r.frames[0].linkType, decode::LinkType::Ethernet);
  EXPECT_EQ(r.frames[1].linkType, decode::LinkType::RawIp);
  EXPECT_THROW(readFile(f.bytes(), "udp port banana"), CaptureError);
}

}  // namespace
}  // namespace rustnet::capture
