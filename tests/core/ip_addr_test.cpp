#include "core/ip_addr.h"

#include <gtest/gtest.h>

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
