#pragma once
// The Graph tab's data: traffic in and out per second over the last minutes (a bounded ring
// fed from the byte totals at each snapshot, in the snapshot's time, so a file is charted
// in its own time), the chart's scale, and the chart itself as rows of text.
#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/time.h"

namespace rustnet::ui {

struct TrafficPoint {
  std::int64_t second = 0;  // Unix seconds (file time when reading a file)
  double in = 0;            // bytes received in that second
  double out = 0;           // bytes sent
};

class TrafficSeries {
public:
  static constexpr std::size_t kCapacity = 600;  // ten minutes of one-second points

  // The run's byte totals as of `t`. What they grew by since the last call is spread evenly
  // over the seconds since then (a 2 s refresh gives two points); the first call counts
  // from zero, spread from `since` (the first packet's time: a file read at once is not one
  // spike) when it is earlier. A total that went down starts over from it; a time that went
  // back adds to the newest point.
  void observe(core::Timestamp t, std::uint64_t totalIn, std::uint64_t totalOut, core::Timestamp since = {});

  [[nodiscard]] std::size_t size() const { return count_; }
  [[nodiscard]] bool empty() const { return count_ == 0; }
  // Oldest first.
  [[nodiscard]] const TrafficPoint& at(std::size_t i) const {
    return ring_[(head_ + kCapacity - count_ + i) % kCapacity];
  }
  [[nodiscard]] const TrafficPoint& newest() const { return at(count_ - 1); }
  // Average in and out rates over the `seconds` seconds ending at `last` (missing seconds
  // count as nothing flowing).
  [[nodiscard]] TrafficPoint average(std::int64_t last, int seconds) const;

private:
  void push(std::int64_t second, double in, double out);

  std::array<TrafficPoint, kCapacity> ring_{};
  std::size_t head_ = 0;  // where the next point goes
  std::size_t count_ = 0;
  std::uint64_t lastIn_ = 0;
  std::uint64_t lastOut_ = 0;
};

// The chart's top: the smallest 1, 2 or 5 times a power of ten at or above `peak`
// (1000 B/s when nothing flowed).
double niceScale(double peak);

// A filled chart of `values` (oldest left, newest at the right edge) scaled to `scale`,
// `rows` lines of `cells` columns: braille (two values per column, four levels per line)
// with UTF-8, else `#` and `.` (one value per column, two levels per line). Empty cells are
// spaces.
std::vector<std::string> chartRows(std::span<const double> values, double scale, int cells, int rows,
                                   bool unicode);
// Values each chart column holds: 2 with braille, 1 in ASCII.
inline int valuesPerCell(bool unicode) { return unicode ? 2 : 1; }

// The time axis under a chart of `cells` columns whose values are `secondsPerValue` apart:
// "-Nm" (or "-Ns" on short spans) under the minutes that fit without crowding, "now" at the
// right end.
std::string timeAxis(int cells, int valuesPerCell, int secondsPerValue);

// What the Graph tab's panels show besides the chart (built with the rows).
struct AppShare {
  std::string name;  // the DPI protocol ("HTTPS"), or "other"
  std::uint64_t connections = 0;
  std::uint64_t bytes = 0;
};
struct StateCount {
  std::string_view name;  // static text
  std::uint64_t count = 0;
};
struct GraphData {
  TrafficSeries series;
  std::vector<AppShare> apps;         // most bytes first
  std::vector<StateCount> tcpStates;  // open TCP connections, most first
};

}  // namespace rustnet::ui
