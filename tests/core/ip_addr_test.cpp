#include "core/ip_addr.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <random>

namespace rustnet::core {
namespace {

TEST(IpAddr, ParsesAndPrintsBothFamilies) {
  auto v4 = IpAddr::parse("198.18.0.1");
  ASSERT_TRUE(v4);
  EXPECT_TRUE(v4->isV4());
  EXPECT_EQ(v4->toString(), "198.18.0.1");
  EXPECT_EQ(v4->v4HostOrder(), 0xc6120001u);
  auto v6 = IpAddr::parse("2001:db8::1");
  ASSERT_TRUE(v6);
  EXPECT_FALSE(v6->isV4());
  EXPECT_EQ(v6->toString(), "2001:db8::1");
  EXPECT_FALSE(IpAddr::parse("300.1.1.1"));
  EXPECT_FALSE(IpAddr::parse(""));
  EXPECT_FALSE(IpAddr::parse(std::string(200, '1')));
}

// Our own writer (no allocation, used by the JSON output) against the C library's.
TEST(IpAddr, TextIsWhatInetNtopWrites) {
  std::mt19937 rng(17);
  std::uniform_int_distribution<int> byte(0, 255);
  std::uniform_int_distribution<int> zeroRun(0, 3);
  for (int k = 0; k < 20'000; ++k) {
    std::uint8_t raw[16];
    for (auto& b : raw) b = static_cast<std::uint8_t>(zeroRun(rng) == 0 ? byte(rng) : 0);
    // The forms inet_ntop writes specially: IPv4-mapped and -compatible, ::, ::1, ::x:y.
    switch (k % 8) {
      case 0:
        std::fill(raw, raw + 10, 0);
        raw[10] = 0xff;
        raw[11] = 0xff;
        break;
      case 1: std::fill(raw, raw + 12, 0); break;
      case 2: std::fill(raw, raw + 15, 0); break;
      case 3: std::fill(raw, raw + 14, 0); break;
      case 4: std::fill(raw, raw + 10, 0); break;
      default: break;
    }
    char want6[INET6_ADDRSTRLEN] = {};
    char want4[INET_ADDRSTRLEN] = {};
    ASSERT_NE(inet_ntop(AF_INET6, raw, want6, sizeof want6), nullptr);
    ASSERT_NE(inet_ntop(AF_INET, raw + 12, want4, sizeof want4), nullptr);
    ASSERT_EQ(IpAddr::v6Bytes(Bytes(raw, 16)).toString(), want6);
    ASSERT_EQ(IpAddr::v4Bytes(Bytes(raw + 12, 4)).toString(), want4);
  }
}

TEST(IpAddr, V4MappedTextBecomesV4) {
  auto a = IpAddr::parse("::ffff:10.0.0.1");
  ASSERT_TRUE(a);
  EXPECT_TRUE(a->isV4());
  EXPECT_EQ(*a, IpAddr::v4(0x0a000001));
}

TEST(IpAddr, Classification) {
  EXPECT_TRUE(IpAddr::parse("127.0.0.53")->isLoopback());
  EXPECT_TRUE(IpAddr::parse("::1")->isLoopback());
  EXPECT_FALSE(IpAddr::parse("10.0.0.1")->isLoopback());
  EXPECT_TRUE(IpAddr::parse("0.0.0.0")->isUnspecified());
  EXPECT_TRUE(IpAddr::parse("::")->isUnspecified());
  EXPECT_TRUE(IpAddr::parse("224.0.0.251")->isMulticastOrBroadcast());
  EXPECT_TRUE(IpAddr::parse("255.255.255.255")->isMulticastOrBroadcast());
  EXPECT_TRUE(IpAddr::parse("ff02::fb")->isMulticastOrBroadcast());
  EXPECT_FALSE(IpAddr::parse("198.18.0.1")->isMulticastOrBroadcast());
}

TEST(IpAddr, OrdersByBytes) {
  EXPECT_LT(*IpAddr::parse("10.0.0.1"), *IpAddr::parse("10.0.0.2"));
  EXPECT_LT(*IpAddr::parse("::1"), *IpAddr::parse("10.0.0.1"));  // ::ffff:… sorts after ::1
}

}  // namespace
}  // namespace rustnet::core
