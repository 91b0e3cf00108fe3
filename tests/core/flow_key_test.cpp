#include "core/flow_key.h"

#include <gtest/gtest.h>

#include <set>

namespace rustnet::core {
namespace {

Endpoint ep(const char* ip, std::uint16_t port) { return {*IpAddr::parse(ip), port}; }

TEST(FlowKey, BothDirectionsGiveTheSameKeyAndHash) {
  bool aFwd = false;
  bool aRev = false;
  auto fwd = FlowKey::make(proto::kTcp, ep("10.0.0.2", 50000), ep("10.0.0.1", 443), aFwd);
  auto rev = FlowKey::make(proto::kTcp, ep("10.0.0.1", 443), ep("10.0.0.2", 50000), aRev);
  EXPECT_EQ(fwd, rev);
  EXPECT_EQ(fwd.hash(), rev.hash());
  EXPECT_NE(aFwd, aRev);
  EXPECT_EQ(fwd.a, ep("10.0.0.1", 443));
}

TEST(FlowKey, ProtocolAndPortsMatter) {
  bool d = false;
  auto tcp = FlowKey::make(proto::kTcp, ep("10.0.0.2", 1), ep("10.0.0.1", 2), d);
  auto udp = FlowKey::make(proto::kUdp, ep("10.0.0.2", 1), ep("10.0.0.1", 2), d);
  auto swapped = FlowKey::make(proto::kTcp, ep("10.0.0.2", 2), ep("10.0.0.1", 1), d);
  EXPECT_NE(tcp, udp);
  EXPECT_NE(tcp.hash(), udp.hash());
  EXPECT_NE(tcp, swapped);
  EXPECT_NE(tcp.hash(), swapped.hash());
}

TEST(FlowKey, HashSpreadsLowBits) {
  // Sequential ports must not collide in the low bits used for shard and bucket selection.
  std::set<std::uint64_t> buckets;
  bool d = false;
  for (std::uint16_t p = 1000; p < 1256; ++p) {
    buckets.insert(FlowKey::make(proto::kUdp, ep("10.0.0.2", p), ep("10.0.0.1", 53), d).hash() & 1023);
  }
  EXPECT_GT(buckets.size(), 200u);
}

TEST(FlowKey, ProtoNames) {
  EXPECT_STREQ(protoName(proto::kTcp), "TCP");
  EXPECT_STREQ(protoName(proto::kIcmpv6), "ICMPv6");
  EXPECT_STREQ(protoName(proto::kArp), "ARP");
  EXPECT_STREQ(protoName(47), "IP");
}

}  // namespace
}  // namespace rustnet::core
