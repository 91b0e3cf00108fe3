#include "core/time.h"

#include <gtest/gtest.h>

namespace rustnet::core {
namespace {

TEST(Time, Rfc3339InUtcWithMicroseconds) {
  EXPECT_EQ(toRfc3339(Timestamp::fromMicros(0, 0)), "1970-01-01T00:00:00.000000Z");
  EXPECT_EQ(toRfc3339(Timestamp::fromMicros(1714564800, 123456)), "2024-05-01T12:00:00.123456Z");
}

TEST(Time, ArithmeticAndManualClock) {
  ManualClock clock(Timestamp::fromMicros(10, 0));
  clock.advance(Duration::millis(1500));
  EXPECT_EQ(clock.now() - Timestamp::fromMicros(10, 0), Duration::millis(1500));
  EXPECT_DOUBLE_EQ(Duration::millis(1500).secondsF(), 1.5);
  EXPECT_LT(Duration::seconds(1), Duration::seconds(2));
}

}  // namespace
}  // namespace rustnet::core
