#include "core/time.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <ctime>
#include <limits>
#include <random>
#include <string>

namespace rustnet::core {
namespace {

TEST(Time, Rfc3339InUtcWithMicroseconds) {
  EXPECT_EQ(toRfc3339(Timestamp::fromMicros(0, 0)), "1970-01-01T00:00:00.000000Z");
  EXPECT_EQ(toRfc3339(Timestamp::fromMicros(1714564800, 123456)), "2024-05-01T12:00:00.123456Z");
}

// What toRfc3339 printed before appendRfc3339 replaced gmtime_r: the oracle for the new code.
std::string gmtimeRfc3339(Timestamp t) {
  std::int64_t sec = t.ns / 1'000'000'000;
  std::int64_t sub = t.ns % 1'000'000'000;
  if (sub < 0) {
    sub += 1'000'000'000;
    --sec;
  }
  const auto tt = static_cast<std::time_t>(sec);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:06}Z", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                     tm.tm_hour, tm.tm_min, tm.tm_sec, sub / 1000);
}

TEST(Time, AppendRfc3339MatchesGmtimeAtEdges) {
  constexpr std::int64_t kDay = 86'400'000'000'000;
  const std::int64_t edges[] = {0, -1, 1, 999, 1000, -1000, kDay - 1, kDay, -kDay, -kDay - 1,
                                951'782'400'000'000'000,       // 2000-02-29
                                951'868'799'999'999'999,       // 2000-02-29T23:59:59.999999
                                4'107'542'400'000'000'000,     // 2100-03-01
                                -2'203'891'200'000'000'000,    // 1900-03-01
                                1'714'564'800'123'456'789,
                                std::numeric_limits<std::int64_t>::min(),
                                std::numeric_limits<std::int64_t>::max()};
  for (const std::int64_t ns : edges) {
    std::string out = "prefix:";
    appendRfc3339(out, Timestamp::fromNanos(ns));
    EXPECT_EQ(out, "prefix:" + gmtimeRfc3339(Timestamp::fromNanos(ns))) << ns;
    EXPECT_EQ(toRfc3339(Timestamp::fromNanos(ns)), gmtimeRfc3339(Timestamp::fromNanos(ns))) << ns;
  }
}

TEST(Time, AppendRfc3339MatchesGmtimeOnRandomTimes) {
  std::mt19937_64 rng(20261122);
  std::uniform_int_distribution<std::int64_t> any(std::numeric_limits<std::int64_t>::min(),
                                                  std::numeric_limits<std::int64_t>::max());
  // Mostly around now, where captures are; some anywhere an int64 of nanoseconds reaches.
  std::uniform_int_distribution<std::int64_t> recent(0, 4'102'444'800'000'000'000);  // 1970..2100
  for (int k = 0; k < 200'000; ++k) {
    const Timestamp t = Timestamp::fromNanos(k % 4 == 0 ? any(rng) : recent(rng));
    std::string out;
    appendRfc3339(out, t);
    ASSERT_EQ(out, gmtimeRfc3339(t)) << t.ns;
  }
}

TEST(Time, AppendRfc3339WithinAndAcrossSeconds) {
  // The calendar part is reused within a second: changing only the fraction, or going back
  // to an earlier second, must still give the full right text.
  const std::int64_t base = 1'763'812'345'000'000'000;
  const std::int64_t offsets[] = {0, 999'999'999, 1, 1'000'000'000, 999'999'999, -1, -86'400'000'000'000, 0};
  for (const std::int64_t off : offsets) {
    const Timestamp t = Timestamp::fromNanos(base + off);
    EXPECT_EQ(toRfc3339(t), gmtimeRfc3339(t)) << off;
  }
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
