#pragma once
// Bytes per second over a sliding window: a small ring of time buckets, advanced lazily by
// the timestamps passed in (packet time offline, wall time live). Fixed size, no allocation.
//
// Every connection holds two of these, so the size matters (issue 6: a million connections
// within ~300 bytes each): the head bucket number is kept in 31 bits plus a "started" bit
// instead of an int64. The full number is recovered relative to the time passed in, which
// is exact while that time lies within 2^30 buckets (17 years) of the head.
#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>

#include "core/time.h"

namespace rustnet::track {

class RateMeter {
public:
  static constexpr int kBuckets = 8;
  static constexpr std::int64_t kBucketNs = 500'000'000;  // 8 × 0.5 s = a 4 s window
  static constexpr std::int64_t kWindowNs = kBuckets * kBucketNs;

  void add(core::Timestamp t, std::uint32_t bytes) {
    const std::int64_t head = roll(t.ns / kBucketNs);
    buckets_[slot(head)] += bytes;
  }

  // Average over the window ending at `now`; the current, partly filled bucket counts in full,
  // so that a burst shows at once rather than after the window has passed.
  [[nodiscard]] double bytesPerSecond(core::Timestamp now) const {
    if (!started()) return 0.0;
    const std::int64_t nowBucket = now.ns / kBucketNs;
    const std::int64_t head = headNear(nowBucket);
    if (nowBucket - head >= kBuckets) return 0.0;
    std::uint64_t sum = 0;
    for (std::int64_t b = std::max(nowBucket, head) - kBuckets + 1; b <= head; ++b) sum += buckets_[slot(b)];
    return static_cast<double>(sum) * 1e9 / static_cast<double>(kWindowNs);
  }

private:
  static constexpr std::uint32_t kStarted = 0x8000'0000u;
  static constexpr std::uint32_t kLowMask = 0x7fff'ffffu;

  // Bucket numbers modulo 8 (also for negative numbers: two's complement keeps the residue).
  static std::size_t slot(std::int64_t bucket) { return static_cast<std::size_t>(bucket & (kBuckets - 1)); }
  [[nodiscard]] bool started() const { return (head_ & kStarted) != 0; }
  // The head's full bucket number: the one congruent to its low 31 bits nearest `ref`.
  [[nodiscard]] std::int64_t headNear(std::int64_t ref) const {
    const std::uint32_t diff = ((head_ & kLowMask) - static_cast<std::uint32_t>(ref)) & kLowMask;
    const std::int64_t d = diff >= 0x4000'0000u ? std::int64_t{diff} - 0x8000'0000 : std::int64_t{diff};
    return ref + d;
  }
  void setHead(std::int64_t bucket) { head_ = kStarted | (static_cast<std::uint32_t>(bucket) & kLowMask); }

  // Moves the head forward to `bucket` (clearing the buckets it passes) and returns the head.
  std::int64_t roll(std::int64_t bucket) {
    if (!started() || bucket - headNear(bucket) >= kBuckets) {
      buckets_.fill(0);
      setHead(bucket);
      return bucket;
    }
    std::int64_t head = headNear(bucket);
    if (head >= bucket) return head;  // a timestamp going backwards is credited to the head bucket
    while (head < bucket) buckets_[slot(++head)] = 0;
    setHead(head);
    return head;
  }

  std::array<std::uint32_t, kBuckets> buckets_{};
  std::uint32_t head_ = 0;  // kStarted | (head bucket number mod 2^31); 0 before the first add
};

}  // namespace rustnet::track
