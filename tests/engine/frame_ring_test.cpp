#include "engine/frame_ring.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>
#include <thread>
#include <vector>

namespace rustnet::engine {
namespace {

std::vector<std::uint8_t> payload(std::size_t n, std::uint8_t seed) {
  std::vector<std::uint8_t> v(n);
  std::iota(v.begin(), v.end(), seed);
  return v;
}

TEST(FrameRing, RecordsArriveIntactAndInOrderAcrossWraps) {
  FrameRing ring(4096);
  std::size_t next = 0;
  std::size_t got = 0;
  // Odd sizes force the writer to wrap at every possible distance from the end.
  for (std::size_t round = 0; round < 2000; ++round) {
    const std::size_t n = (round * 37) % 700;
    auto data = payload(n, static_cast<std::uint8_t>(round));
    ASSERT_TRUE(ring.tryWrite(RecordKind::Packet, core::Timestamp{static_cast<std::int64_t>(round)},
                              static_cast<std::uint32_t>(n + 4), core::Bytes(data)));
    ring.publish();
    ring.consume(
        [&](const RecordView& r) {
          EXPECT_EQ(r.kind, RecordKind::Packet);
          EXPECT_EQ(r.ts.ns, static_cast<std::int64_t>(next));
          const std::size_t len = (next * 37) % 700;
          ASSERT_EQ(r.data.size(), len);
          EXPECT_EQ(r.wireLen, len + 4);
          auto expect = payload(len, static_cast<std::uint8_t>(next));
          EXPECT_TRUE(std::equal(r.data.begin(), r.data.end(), expect.begin()));
          ++next;
          ++got;
        },
        1000);
  }
  EXPECT_EQ(got, 2000u);
}

TEST(FrameRing, FullRingRefusesUntilConsumed) {
  FrameRing ring(4096);
  auto data = payload(1000, 1);
  int written = 0;
  while (ring.tryWrite(RecordKind::Packet, {}, 1000, core::Bytes(data))) ++written;
  EXPECT_EQ(written, 4);  // 4 × (24 + 1000) = 4096
  EXPECT_FALSE(ring.tryWrite(RecordKind::Tick, {}, 0, {}));
  ring.publish();
  EXPECT_EQ(ring.consume([](const RecordView&) {}, 1), 1u);
  EXPECT_TRUE(ring.tryWrite(RecordKind::Packet, {}, 1000, core::Bytes(data)));
  EXPECT_FALSE(ring.tryWrite(RecordKind::Packet, {}, 5000, core::Bytes(payload(5000, 0))));
}

TEST(FrameRing, UnpublishedRecordsAreInvisible) {
  FrameRing ring(4096);
  ASSERT_TRUE(ring.tryWrite(RecordKind::Tick, core::Timestamp{5}, 0, {}));
  EXPECT_TRUE(ring.hasUnpublished());
  EXPECT_EQ(ring.consume([](const RecordView&) {}, 10), 0u);
  ring.publish();
  EXPECT_EQ(ring.consume([](const RecordView& r) { EXPECT_EQ(r.kind, RecordKind::Tick); }, 10), 1u);
  EXPECT_TRUE(ring.emptyApprox());
}

TEST(FrameRing, ProducerAndConsumerThreads) {
  FrameRing ring(1 << 16);
  constexpr std::uint32_t kN = 100'000;
  std::thread producer([&] {
    for (std::uint32_t i = 0; i < kN;) {
      std::uint8_t b[64];
      const std::size_t n = i % 64;
      for (std::size_t k = 0; k < n; ++k) b[k] = static_cast<std::uint8_t>(i + k);
      // Written in two parts split at varying points: the record is their concatenation.
      const std::size_t cut = std::min<std::size_t>(n, i % 7);
      if (ring.tryWrite(RecordKind::Packet, core::Timestamp{i}, i, core::Bytes(b, cut), core::Bytes(b + cut, n - cut))) {
        ++i;
        if (i % 16 == 0) ring.publish();
      } else {
        ring.publish();
      }
    }
    ring.publish();
  });
  std::uint32_t expected = 0;
  while (expected < kN) {
    ring.consume(
        [&](const RecordView& r) {
          ASSERT_EQ(r.wireLen, expected);
          ASSERT_EQ(r.data.size(), expected % 64);
          for (std::size_t k = 0; k < r.data.size(); ++k) ASSERT_EQ(r.data[k], static_cast<std::uint8_t>(expected + k));
          ++expected;
        },
        512);
  }
  producer.join();
}

}  // namespace
}  // namespace rustnet::engine
