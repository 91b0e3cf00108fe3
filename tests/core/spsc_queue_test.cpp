#include "core/spsc_queue.h"

#include <gtest/gtest.h>

#include <thread>

namespace rustnet::core {
namespace {

TEST(SpscQueue, FullAndEmpty) {
  SpscQueue<int> q(4);
  EXPECT_FALSE(q.tryPop());
  for (int i = 0; i < 4; ++i) EXPECT_TRUE(q.tryPush(int{i}));
  EXPECT_FALSE(q.tryPush(99));
  EXPECT_EQ(q.tryPop(), 0);
  EXPECT_TRUE(q.tryPush(4));
  for (int i = 1; i <= 4; ++i) EXPECT_EQ(q.tryPop(), i);
  EXPECT_FALSE(q.tryPop());
}

TEST(SpscQueue, TransfersInOrderAcrossThreads) {
  SpscQueue<std::uint64_t> q(64);
  constexpr std::uint64_t kN = 200'000;
  std::thread producer([&] {
    for (std::uint64_t i = 0; i < kN;) {
      if (q.tryPush(std::uint64_t{i})) ++i;
    }
  });
  std::uint64_t expected = 0;
  while (expected < kN) {
    if (auto v = q.tryPop()) {
      ASSERT_EQ(*v, expected);
      ++expected;
    }
  }
  producer.join();
}

}  // namespace
}  // namespace rustnet::core
