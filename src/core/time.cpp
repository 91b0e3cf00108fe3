#include "core/time.h"

#include <fmt/format.h>

#include <chrono>
#include <cstring>
#include <ctime>
#include <limits>

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

// Days since 1970-01-01 to a proleptic Gregorian date, by the 400-year-era arithmetic
// (an era is 146097 days; years counted from March so the leap day comes last).
struct Civil {
  std::int64_t year;
  unsigned month;
  unsigned day;
};
Civil civilFromDays(std::int64_t days) {
  days += 719468;  // shift the epoch to 0000-03-01
  const std::int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const auto doe = static_cast<unsigned>(days - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned day = doy - (153 * mp + 2) / 5 + 1;
  const unsigned month = mp < 10 ? mp + 3 : mp - 9;
  return {static_cast<std::int64_t>(yoe) + era * 400 + (month <= 2 ? 1 : 0), month, day};
}

void put2(char* p, unsigned v) {
  p[0] = static_cast<char>('0' + v / 10);
  p[1] = static_cast<char>('0' + v % 10);
}

// "YYYY-MM-DDTHH:MM:SS." of one second.
void writeSecondPrefix(char* b, std::int64_t sec) {
  std::int64_t days = sec / 86400;
  std::int64_t secOfDay = sec % 86400;
  if (secOfDay < 0) {
    secOfDay += 86400;
    --days;
  }
  // An int64 of nanoseconds reaches the years 1677 to 2262: always four digits.
  const Civil c = civilFromDays(days);
  const auto y = static_cast<unsigned>(c.year);
  put2(b, y / 100);
  put2(b + 2, y % 100);
  b[4] = '-';
  put2(b + 5, c.month);
  b[7] = '-';
  put2(b + 8, c.day);
  b[10] = 'T';
  const auto s = static_cast<unsigned>(secOfDay);
  put2(b + 11, s / 3600);
  b[13] = ':';
  put2(b + 14, s / 60 % 60);
  b[16] = ':';
  put2(b + 17, s % 60);
  b[19] = '.';
}

constexpr std::size_t kPrefixSize = 20;
}  // namespace

char* writeRfc3339(char* dst, Timestamp t) {
  const auto [sec, sub] = split(t);
  // Events come in bursts within one second, and a closed event carries three times (now,
  // first and last seen; now and last seen usually share their second): the calendar part
  // is cached per thread for a few seconds, indexed by the low bits of the second.
  struct Entry {
    std::int64_t sec = std::numeric_limits<std::int64_t>::min();
    char prefix[kPrefixSize];
  };
  thread_local Entry cache[4];
  Entry& e = cache[static_cast<std::uint64_t>(sec) & 3];
  if (e.sec != sec) {
    writeSecondPrefix(e.prefix, sec);
    e.sec = sec;
  }
  std::memcpy(dst, e.prefix, kPrefixSize);
  const auto us = static_cast<unsigned>(sub / 1000);
  put2(dst + 20, us / 10000);
  put2(dst + 22, us / 100 % 100);
  put2(dst + 24, us % 100);
  dst[26] = 'Z';
  return dst + kRfc3339Size;
}

void appendRfc3339(std::string& out, Timestamp t) {
  char b[kRfc3339Size];
  writeRfc3339(b, t);
  out.append(b, sizeof b);
}

std::string toRfc3339(Timestamp t) {
  std::string out;
  out.reserve(kRfc3339Size);
  appendRfc3339(out, t);
  return out;
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
