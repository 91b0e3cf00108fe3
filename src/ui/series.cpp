#include "ui/series.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>

#include "ui/text.h"

namespace rustnet::ui {

namespace {

std::int64_t floorSeconds(core::Timestamp t) {
  constexpr std::int64_t kNs = 1'000'000'000;
  return t.ns >= 0 ? t.ns / kNs : -((-t.ns + kNs - 1) / kNs);
}

// Braille dots filled from the bottom, per column of the cell (Unicode's dot numbering:
// 7 3 2 1 up the left column, 8 6 5 4 up the right one).
constexpr std::array<std::uint8_t, 4> kLeftDots{0x40, 0x04, 0x02, 0x01};
constexpr std::array<std::uint8_t, 4> kRightDots{0x80, 0x20, 0x10, 0x08};

// How many of a line's `levels` a value fills, counting whole lines from the bottom.
int fillIn(double v, double scale, int rows, int levels, int rowFromBottom) {
  if (!(v > 0) || !(scale > 0)) return 0;
  const int total = std::max(1, static_cast<int>(std::lround(std::min(v / scale, 1.0) * rows * levels)));
  return std::clamp(total - rowFromBottom * levels, 0, levels);
}

}  // namespace

void TrafficSeries::push(std::int64_t second, double in, double out) {
  ring_[head_] = TrafficPoint{second, in, out};
  head_ = (head_ + 1) % kCapacity;
  count_ = std::min(count_ + 1, kCapacity);
}

void TrafficSeries::observe(core::Timestamp t, std::uint64_t totalIn, std::uint64_t totalOut, core::Timestamp since) {
  const std::int64_t sec = floorSeconds(t);
  const double dIn = totalIn >= lastIn_ ? static_cast<double>(totalIn - lastIn_) : 0.0;
  const double dOut = totalOut >= lastOut_ ? static_cast<double>(totalOut - lastOut_) : 0.0;
  lastIn_ = totalIn;
  lastOut_ = totalOut;
  std::int64_t from = sec;  // the last second already accounted for
  if (count_ == 0) {
    const std::int64_t start = since.isZero() ? sec : std::min(sec, floorSeconds(since));
    if (start == sec) {
      push(sec, dIn, dOut);
      return;
    }
    from = start - 1;
  } else {
    TrafficPoint& last = ring_[(head_ + kCapacity - 1) % kCapacity];
    if (sec <= last.second) {
      last.in += dIn;
      last.out += dOut;
      return;
    }
    from = last.second;
  }
  // Every second since the last point gets its share, so the ring holds consecutive seconds.
  const std::int64_t gap = sec - from;
  const std::int64_t kept = std::min<std::int64_t>(gap, static_cast<std::int64_t>(kCapacity));
  const double share = 1.0 / static_cast<double>(gap);
  for (std::int64_t s = sec - kept + 1; s <= sec; ++s) push(s, dIn * share, dOut * share);
}

TrafficPoint TrafficSeries::average(std::int64_t last, int seconds) const {
  TrafficPoint avg{last, 0, 0};
  if (count_ == 0 || seconds <= 0) return avg;
  const std::int64_t newest = this->newest().second;
  for (std::int64_t s = last - seconds + 1; s <= last; ++s) {
    const std::int64_t back = newest - s;
    if (back < 0 || back >= static_cast<std::int64_t>(count_)) continue;
    const TrafficPoint& p = at(count_ - 1 - static_cast<std::size_t>(back));
    avg.in += p.in;
    avg.out += p.out;
  }
  avg.in /= seconds;
  avg.out /= seconds;
  return avg;
}

double niceScale(double peak) {
  if (!(peak > 0)) return 1000;
  double p = 1;
  while (p * 10 <= peak) p *= 10;
  for (const double m : {1.0, 2.0, 5.0}) {
    if (m * p >= peak) return m * p;
  }
  return 10 * p;
}

std::vector<std::string> chartRows(std::span<const double> values, double scale, int cells, int rows,
                                   bool unicode) {
  std::vector<std::string> out(static_cast<std::size_t>(std::max(0, rows)));
  const int per = valuesPerCell(unicode);
  const int n = static_cast<int>(values.size());
  // The newest value sits at the right edge; columns before the oldest stay empty.
  auto valueAt = [&](int slot) {  // slot 0 is the leftmost value position
    const int i = n - cells * per + slot;
    return i >= 0 && i < n ? values[static_cast<std::size_t>(i)] : 0.0;
  };
  for (int r = 0; r < rows; ++r) {
    const int fromBottom = rows - 1 - r;
    std::string& line = out[static_cast<std::size_t>(r)];
    for (int c = 0; c < cells; ++c) {
      if (unicode) {
        const int left = fillIn(valueAt(c * 2), scale, rows, 4, fromBottom);
        const int right = fillIn(valueAt(c * 2 + 1), scale, rows, 4, fromBottom);
        std::uint8_t bits = 0;
        for (int d = 0; d < left; ++d) bits |= kLeftDots[static_cast<std::size_t>(d)];
        for (int d = 0; d < right; ++d) bits |= kRightDots[static_cast<std::size_t>(d)];
        if (bits == 0) {
          line += ' ';
        } else {
          appendUtf8(line, static_cast<char32_t>(0x2800 + bits));
        }
      } else {
        const int fill = fillIn(valueAt(c), scale, rows, 2, fromBottom);
        line += fill == 2 ? '#' : fill == 1 ? '.' : ' ';
      }
    }
  }
  return out;
}

std::string timeAxis(int cells, int valuesPerCell, int secondsPerValue) {
  if (cells <= 0) return {};
  std::string axis(static_cast<std::size_t>(cells), ' ');
  const int secondsPerCell = std::max(1, valuesPerCell * secondsPerValue);
  int end = cells;  // labels to the right start here or later
  if (cells >= 3) {
    axis.replace(static_cast<std::size_t>(cells - 3), 3, "now");
    end = cells - 3;
  }
  // The smallest step whose ticks are at least 8 columns apart.
  int step = 30;
  for (const int s : {30, 60, 120, 300, 600}) {
    step = s;
    if (s / secondsPerCell >= 8) break;
  }
  for (int k = 1;; ++k) {
    const int ago = k * step;
    const int cell = cells - 1 - ago / secondsPerCell;
    if (cell < 0) break;
    const std::string label = ago % 60 == 0 ? fmt::format("-{}m", ago / 60) : fmt::format("-{}s", ago);
    const int len = static_cast<int>(label.size());
    const int start = cell - len / 2;
    if (start < 0) break;
    if (start + len + 1 > end) continue;
    axis.replace(static_cast<std::size_t>(start), static_cast<std::size_t>(len), label);
    end = start;
  }
  return axis;
}

}  // namespace rustnet::ui
