#pragma once
// Time as nanoseconds since the Unix epoch. Offline runs take it from packet timestamps,
// live runs from the system clock; either way it is passed in, never read ad hoc, so that
// tests and file replays are deterministic.
#include <compare>
#include <cstddef>
#include <cstdint>
#include <string>

namespace rustnet::core {

struct Duration {
  std::int64_t ns = 0;

  static constexpr Duration nanos(std::int64_t v) { return {v}; }
  static constexpr Duration micros(std::int64_t v) { return {v * 1'000}; }
  static constexpr Duration millis(std::int64_t v) { return {v * 1'000'000}; }
  static constexpr Duration seconds(std::int64_t v) { return {v * 1'000'000'000}; }
  [[nodiscard]] constexpr double secondsF() const { return static_cast<double>(ns) / 1e9; }
  [[nodiscard]] constexpr std::int64_t millisI() const { return ns / 1'000'000; }

  friend constexpr auto operator<=>(Duration, Duration) = default;
  friend constexpr Duration operator+(Duration a, Duration b) { return {a.ns + b.ns}; }
  friend constexpr Duration operator-(Duration a, Duration b) { return {a.ns - b.ns}; }
  friend constexpr Duration operator*(Duration a, std::int64_t k) { return {a.ns * k}; }
  friend constexpr Duration operator/(Duration a, std::int64_t k) { return {a.ns / k}; }
};

struct Timestamp {
  std::int64_t ns = 0;

  static constexpr Timestamp fromNanos(std::int64_t v) { return {v}; }
  static constexpr Timestamp fromMicros(std::int64_t sec, std::int64_t usec) {
    return {sec * 1'000'000'000 + usec * 1'000};
  }
  [[nodiscard]] constexpr bool isZero() const { return ns == 0; }

  friend constexpr auto operator<=>(Timestamp, Timestamp) = default;
  friend constexpr Timestamp operator+(Timestamp t, Duration d) { return {t.ns + d.ns}; }
  friend constexpr Timestamp operator-(Timestamp t, Duration d) { return {t.ns - d.ns}; }
  friend constexpr Duration operator-(Timestamp a, Timestamp b) { return {a.ns - b.ns}; }
};

// RFC 3339 in UTC with microseconds, e.g. 2024-05-01T12:00:00.123456Z.
std::string toRfc3339(Timestamp t);
// Appends the same text to `out`, without gmtime or a temporary (the NDJSON hot path).
void appendRfc3339(std::string& out, Timestamp t);
// Writes the same text at `dst` (exactly kRfc3339Size bytes) and returns its end.
inline constexpr std::size_t kRfc3339Size = 27;
char* writeRfc3339(char* dst, Timestamp t);
// Local wall-clock time, for log file names: YYYY-MM-DD_HH-MM-SS.
std::string toFileStamp(Timestamp t);

class Clock {
public:
  virtual ~Clock() = default;
  virtual Timestamp now() const = 0;
};

class SystemClock final : public Clock {
public:
  Timestamp now() const override;
};

// A clock the owner moves by hand: tests, and offline replays driven by packet time.
class ManualClock final : public Clock {
public:
  explicit ManualClock(Timestamp start = {}) : now_(start) {}
  Timestamp now() const override { return now_; }
  void set(Timestamp t) { now_ = t; }
  void advance(Duration d) { now_ = now_ + d; }

private:
  Timestamp now_;
};

}  // namespace rustnet::core
