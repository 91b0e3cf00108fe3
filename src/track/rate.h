#pragma once
// Bytes per second over a sliding window: a small ring of time buckets, advanced lazily by
// the timestamps passed in (packet time offline, wall time live). Fixed size, no allocation.
#include <array>
#include <cstdint>

#include "core/time.h"

namespace rustnet::track {

class RateMeter {
public:
  static constexpr int kBuckets = 8;
  static constexpr std::int64_t kBucketNs = 500'000'000;  // 8 × 0.5 s = a 4 s window
  static constexpr std::int64_t kWindowNs = kBuckets * kBucketNs;

  void add(core::Timestamp t, std::uint32_t bytes) {
    roll(t.ns / kBucketNs);
    buckets_[static_cast<std::size_t>(head_ % kBuckets)] += bytes;
  }

  // Average over the window ending at `now`; the current, partly filled bucket counts in full,
  // so that a burst shows at once rather than after the window has passed.
  [[nodiscard]] double bytesPerSecond(core::Timestamp now) const {
    const std::int64_t nowBucket = now.ns / kBucketNs;
    if (nowBucket - head_ >= kBuckets || head_ < 0) return 0.0;
    std::uint64_t sum = 0;
    for (std::int64_t b = nowBucket - kBuckets + 1; b <= head_; ++b) {
      if (b < head_ - kBuckets + 1) continue;
      sum += buckets_[static_cast<std::size_t>(((b % kBuckets) + kBuckets) % kBuckets)];
    }
    return static_cast<double>(sum) * 1e9 / static_cast<double>(kWindowNs);
  }

private:
  void roll(std::int64_t bucket) {
    if (head_ < 0 || bucket - head_ >= kBuckets) {
      buckets_.fill(0);
      head_ = bucket;
      return;
    }
    while (head_ < bucket) {
      ++head_;
      buckets_[static_cast<std::size_t>(head_ % kBuckets)] = 0;
    }
    // A timestamp going backwards (reordered capture) is credited to the current bucket.
  }

  std::array<std::uint32_t, kBuckets> buckets_{};
  std::int64_t head_ = -1;
};

}  // namespace rustnet::track
