// RateMeter keeps its head bucket in 31 bits (to save memory per connection); it must give
// exactly what a plain int64-headed ring gives, for ordered, reordered and sparse times.
#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <random>

#include "track/rate.h"

namespace rustnet::track {
namespace {

// The straightforward meter: the same window semantics with a full 64-bit head.
class ReferenceMeter {
public:
  void add(core::Timestamp t, std::uint32_t bytes) {
    const std::int64_t bucket = t.ns / RateMeter::kBucketNs;
    if (head_ < 0 || bucket - head_ >= RateMeter::kBuckets) {
      buckets_.fill(0);
      head_ = bucket;
    }
    while (head_ < bucket) buckets_[static_cast<std::size_t>(++head_ % RateMeter::kBuckets)] = 0;
    buckets_[static_cast<std::size_t>(head_ % RateMeter::kBuckets)] += bytes;
  }
  [[nodiscard]] double bytesPerSecond(core::Timestamp now) const {
    const std::int64_t nowBucket = now.ns / RateMeter::kBucketNs;
    if (head_ < 0 || nowBucket - head_ >= RateMeter::kBuckets) return 0.0;
    std::uint64_t sum = 0;
    for (std::int64_t b = nowBucket - RateMeter::kBuckets + 1; b <= head_; ++b) {
      if (b < head_ - RateMeter::kBuckets + 1) continue;
      sum += buckets_[static_cast<std::size_t>(((b % RateMeter::kBuckets) + RateMeter::kBuckets) % RateMeter::kBuckets)];
    }
    return static_cast<double>(sum) * 1e9 / static_cast<double>(RateMeter::kWindowNs);
  }

private:
  std::array<std::uint32_t, RateMeter::kBuckets> buckets_{};
  std::int64_t head_ = -1;
};

core::Timestamp at(std::int64_t ns) { return core::Timestamp::fromNanos(ns); }

TEST(RateMeter, EmptyIsZero) {
  const RateMeter m;
  EXPECT_EQ(m.bytesPerSecond(at(0)), 0.0);
  EXPECT_EQ(m.bytesPerSecond(at(1'700'000'000'000'000'000)), 0.0);
}

TEST(RateMeter, WindowOfFourSeconds) {
  RateMeter m;
  const std::int64_t t0 = 1'700'000'000'000'000'000;
  m.add(at(t0), 4000);
  EXPECT_DOUBLE_EQ(m.bytesPerSecond(at(t0)), 1000.0);  // the current bucket counts in full
  EXPECT_DOUBLE_EQ(m.bytesPerSecond(at(t0 + 3'400'000'000)), 1000.0);
  EXPECT_EQ(m.bytesPerSecond(at(t0 + 4'000'000'000)), 0.0);  // the bucket has left the window
}

TEST(RateMeter, BackwardsTimeIsCreditedToTheHead) {
  RateMeter m;
  const std::int64_t t0 = 1'700'000'000'000'000'000;
  m.add(at(t0 + 2'000'000'000), 100);
  m.add(at(t0), 300);  // reordered: lands in the head bucket
  EXPECT_DOUBLE_EQ(m.bytesPerSecond(at(t0 + 5'900'000'000)), 100.0);
}

// Random walks around several epochs (including around 2^31 buckets, where the stored low
// bits wrap) against the reference, with reordering, gaps and reads at earlier times.
TEST(RateMeter, MatchesTheReferenceOnRandomWalks) {
  const std::int64_t bases[] = {0, 1'700'000'000'000'000'000,
                                (std::int64_t{1} << 31) * RateMeter::kBucketNs - 3'000'000'000,
                                (std::int64_t{1} << 32) * RateMeter::kBucketNs - 1'000'000'000};
  std::mt19937_64 rng(2026);
  for (const std::int64_t base : bases) {
    for (int run = 0; run < 200; ++run) {
      RateMeter m;
      ReferenceMeter ref;
      std::int64_t t = base;
      for (int step = 0; step < 200; ++step) {
        switch (rng() % 6) {
          case 0: t += static_cast<std::int64_t>(rng() % 20'000'000'000); break;  // a gap up to 20 s
          case 1: t -= static_cast<std::int64_t>(rng() % 3'000'000'000); break;   // reordered
          default: t += static_cast<std::int64_t>(rng() % 300'000'000); break;
        }
        if (t < 0) t = 0;
        const auto bytes = static_cast<std::uint32_t>(rng() % 100'000);
        m.add(at(t), bytes);
        ref.add(at(t), bytes);
        const std::int64_t now = t + static_cast<std::int64_t>(rng() % 6'000'000'000) - 1'000'000'000;
        if (now >= 0) {
          ASSERT_EQ(m.bytesPerSecond(at(now)), ref.bytesPerSecond(at(now))) << base << " " << step;
        }
      }
    }
  }
}

}  // namespace
}  // namespace rustnet::track
