#include "core/time.h"

#include <fmt/format.h>

#include <chrono>
#include <ctime>

namespace rustnet::core {

namespace {
struct Split {
  std::time_t sec;
  std::int64_t subNs;
};
Split split(Timestamp t) {
  std::int64_t sec = t.ns / 1'000'000'000;
  std::int64_t sub = t.ns % 1'000'000'000;
  if (sub < 0) {
    sub += 1'000'000'000;
    --sec;
  }
  return {static_cast<std::time_t>(sec), sub};
}
}  // namespace

std::string toRfc3339(Timestamp t) {
  auto [sec, sub] = split(t);
  std::tm tm{};
  gmtime_r(&sec, &tm);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:06}Z", tm.tm_year + 1900, tm.tm_mon + 1,
                     tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, sub / 1000);
}

std::string toFileStamp(Timestamp t) {
  auto [sec, sub] = split(t);
  (void)sub;
  std::tm tm{};
  localtime_r(&sec, &tm);
  return fmt::format("{:04}-{:02}-{:02}_{:02}-{:02}-{:02}", tm.tm_year + 1900, tm.tm_mon + 1,
                     tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

Timestamp SystemClock::now() const {
  auto d = std::chrono::system_clock::now().time_since_epoch();
  return Timestamp::fromNanos(std::chrono::duration_cast<std::chrono::nanoseconds>(d).count());
}

}  // namespace rustnet::core
