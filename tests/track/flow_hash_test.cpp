// The flow hash feeds both the connection table's index (its top bits) and shard selection
// (its value modulo the worker count). Structured tuples (sequential ports, one /16 of
// clients, IPv6 neighbours) must spread like random ones: probe runs as linear probing at
// the table's load predicts, and even shards. Also: a seed changes every position, so that
// positions cannot be precomputed by whoever sends the packets.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <random>
#include <vector>

#include "core/flow_key.h"

namespace rustnet::core {
namespace {

struct ProbeStats {
  double mean = 0;
  std::size_t max = 0;
};

// Inserts every hash into a linear-probing index of 2^bits entries homed on the top bits,
// as track::ConnectionTable does, and measures probe lengths of successful lookups.
ProbeStats probe(const std::vector<std::uint64_t>& hashes, unsigned bits) {
  std::vector<std::uint8_t> used(std::size_t{1} << bits);
  const std::size_t mask = used.size() - 1;
  std::uint64_t total = 0;
  ProbeStats s;
  for (const std::uint64_t h : hashes) {
    std::size_t i = static_cast<std::size_t>(h >> (64 - bits));
    std::size_t len = 1;
    while (used[i] != 0) {
      i = (i + 1) & mask;
      ++len;
    }
    used[i] = 1;
    total += len;  // a later lookup of this key probes exactly as far
    s.max = std::max(s.max, len);
  }
  s.mean = static_cast<double>(total) / static_cast<double>(hashes.size());
  return s;
}

// Largest relative deviation of a shard's share from 1/n.
double shardSkew(const std::vector<std::uint64_t>& hashes, std::uint64_t n) {
  std::vector<std::uint64_t> count(n);
  for (const std::uint64_t h : hashes) ++count[h % n];
  const double expected = static_cast<double>(hashes.size()) / static_cast<double>(n);
  double worst = 0;
  for (const auto c : count) worst = std::max(worst, std::abs(static_cast<double>(c) - expected) / expected);
  return worst;
}

FlowKey key(std::uint8_t proto, IpAddr a, std::uint16_t pa, IpAddr b, std::uint16_t pb) {
  bool srcIsA = false;
  return FlowKey::make(proto, {a, pa}, {b, pb}, srcIsA);
}

IpAddr v6(std::uint64_t hi, std::uint64_t lo) {
  std::uint8_t b[16];
  for (int i = 0; i < 8; ++i) {
    b[i] = static_cast<std::uint8_t>(hi >> (56 - 8 * i));
    b[8 + i] = static_cast<std::uint8_t>(lo >> (56 - 8 * i));
  }
  return IpAddr::v6Bytes(Bytes(b, 16));
}

constexpr std::size_t kKeys = 1u << 17;
constexpr unsigned kBits = 18;  // load 0.5, the table's worst case

std::vector<std::vector<FlowKey>> keySets() {
  std::vector<std::vector<FlowKey>> sets(5);
  std::mt19937_64 rng(99);
  for (std::size_t i = 0; i < kKeys; ++i) {
    const auto n = static_cast<std::uint32_t>(i);
    // One client, one server, every source port (and then the next client).
    sets[0].push_back(key(proto::kTcp, IpAddr::v4(0xc0a80001u + n / 60000), static_cast<std::uint16_t>(1024 + n % 60000),
                          IpAddr::v4(0x5db8d822u), 443));
    // A /15 of clients to one DNS server, one port each.
    sets[1].push_back(key(proto::kUdp, IpAddr::v4(0xc6120000u + n), 5353, IpAddr::v4(0x08080808u), 53));
    // IPv6 neighbours differing in the low bits of the interface id.
    sets[2].push_back(key(proto::kUdp, v6(0x20010db800000000ull, n), 40000, v6(0x20010db8ffff0000ull, 1), 443));
    // Both ports sequential, addresses fixed (a port scan).
    sets[3].push_back(key(proto::kTcp, IpAddr::v4(0x0a000001u), static_cast<std::uint16_t>(n & 0xffff),
                          IpAddr::v4(0x0a000002u), static_cast<std::uint16_t>(n >> 16)));
    // Random tuples, for reference.
    const std::uint64_t r = rng();
    sets[4].push_back(key(proto::kUdp, IpAddr::v4(static_cast<std::uint32_t>(r)), static_cast<std::uint16_t>(r >> 32),
                          IpAddr::v4(static_cast<std::uint32_t>(rng())), static_cast<std::uint16_t>(r >> 48)));
  }
  return sets;
}

TEST(FlowHash, StructuredTuplesProbeLikeRandomOnes) {
  // Linear probing at load 1/2 expects 1.5 probes per successful lookup.
  const auto sets = keySets();
  for (std::size_t s = 0; s < sets.size(); ++s) {
    for (const std::uint64_t seed : {std::uint64_t{0}, std::uint64_t{0x1234567890abcdefull}}) {
      std::vector<std::uint64_t> hashes;
      for (const auto& k : sets[s]) hashes.push_back(k.hash(seed));
      const ProbeStats p = probe(hashes, kBits);
      EXPECT_LT(p.mean, 1.6) << "set " << s << " seed " << seed;
      EXPECT_LT(p.max, 80u) << "set " << s << " seed " << seed;
      for (const std::uint64_t n : {2, 3, 7, 16}) EXPECT_LT(shardSkew(hashes, n), 0.05) << "set " << s << " n " << n;
    }
  }
}

TEST(FlowHash, SameForBothDirectionsAndSeedMatters) {
  bool ab = false;
  bool ba = false;
  const Endpoint x{IpAddr::v4(0x0a000001u), 1234};
  const Endpoint y{IpAddr::v4(0x0a000002u), 80};
  const FlowKey k1 = FlowKey::make(proto::kTcp, x, y, ab);
  const FlowKey k2 = FlowKey::make(proto::kTcp, y, x, ba);
  EXPECT_EQ(k1.hash(), k2.hash());
  EXPECT_EQ(k1.hash(7), k2.hash(7));
  EXPECT_EQ(k1.hash(), k1.hash(0));
  // Different seeds put the same keys at unrelated homes.
  const auto sets = keySets();
  std::size_t sameHome = 0;
  for (const auto& k : sets[0]) sameHome += (k.hash(1) >> 46) == (k.hash(2) >> 46) ? 1 : 0;
  EXPECT_LT(sameHome, kKeys / 1000);  // 2^18 homes: about one in 262,144 by chance
}

}  // namespace
}  // namespace rustnet::core
