// The Graph tab: traffic received and sent over the last minutes (two charts sharing a
// time axis), and beside or below them the run's health, the application mix and the TCP
// states. Narrow screens keep the charts and drop panels, TCP states first.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "ui/format.h"
#include "ui/render_parts.h"
#include "ui/series.h"
#include "ui/text.h"

namespace rustnet::ui {

namespace {

constexpr int kLabelWidth = 7;      // "999K/s" and friends, right-aligned
constexpr int kWindowSeconds = 300;  // what the chart aims to show: five minutes
constexpr int kWidePanel = 110;      // from this width the panels stand beside the charts

// Puts a line's spans from x, clipped to `width` columns.
void putLine(Frame& f, int x, int y, const Line& line, int width) {
  int used = 0;
  for (const Span& sp : line) {
    if (used >= width) break;
    used += f.put(x + used, y, sp.text, sp.style, width - used);
  }
}

// "label ........ value": the value right-aligned at `width`.
Line figure(std::string_view label, const std::string& value, int width, Style valueStyle) {
  const int pad = std::max(1, width - textWidth(label) - textWidth(value));
  return Line{{std::string(label), Style::Label}, {std::string(static_cast<std::size_t>(pad), ' '), Style::Normal},
              {value, valueStyle}};
}

std::vector<Line> healthLines(const View& v, int width) {
  const engine::EngineStats& st = v.header.stats;
  auto alert = [](std::uint64_t n) { return n > 0 ? Style::Error : Style::Normal; };
  std::vector<Line> out;
  out.push_back({{"Health", Style::Section}});
  out.push_back(figure("retransmissions", formatCount(st.tracker.retransmissions), width, Style::Normal));
  out.push_back(figure("dropped by kernel", formatCount(st.capture.kernelDropped), width, alert(st.capture.kernelDropped)));
  out.push_back(
      figure("dropped by interface", formatCount(st.capture.ifaceDropped), width, alert(st.capture.ifaceDropped)));
  const std::uint64_t ours = st.capture.ourDropped + st.capture.oversize;
  out.push_back(figure("dropped by us", formatCount(ours), width, alert(ours)));
  out.push_back(figure("table evictions", formatCount(st.tracker.evicted), width, alert(st.tracker.evicted)));
  std::uint64_t caps = 0;
  std::size_t top = 0;
  for (std::size_t i = 0; i < st.dpi.capsHit.size(); ++i) {
    caps += st.dpi.capsHit[i];
    if (st.dpi.capsHit[i] > st.dpi.capsHit[top]) top = i;
  }
  out.push_back(figure("DPI caps hit", formatCount(caps), width, alert(caps)));
  if (caps > 0) {
    out.push_back({{fmt::format("  most: {} {}", dpi::kCapNames[top], formatCount(st.dpi.capsHit[top])),
                    Style::Status}});
  }
  return out;
}

// "name  conns  bytes  ████": one line per entry, the bar relative to the largest.
template <typename Entry, typename Name, typename Count, typename Size>
std::vector<Line> barLines(std::string_view title, std::string_view heading, const std::vector<Entry>& entries,
                           int width, int maxLines, Name name, Count count, Size size, const RenderOptions& o) {
  std::vector<Line> out;
  out.push_back({{std::string(title), Style::Section}, {std::string(heading), Style::Label}});
  if (entries.empty()) {
    out.push_back({{"none yet", Style::Status}});
    return out;
  }
  const Glyphs& g = glyphs(o.unicode);
  const std::string_view block = o.unicode ? "\u2588" : "#";
  double largest = 0;
  for (const Entry& e : entries) largest = std::max(largest, static_cast<double>(size(e)));
  const int room = std::max(0, maxLines - 1);
  const bool cut = static_cast<int>(entries.size()) > room;
  const int shown = cut ? std::max(0, room - 1) : static_cast<int>(entries.size());
  for (int i = 0; i < shown; ++i) {
    const Entry& e = entries[static_cast<std::size_t>(i)];
    std::string text = padRight(name(e), 12, g.ellipsis) + count(e);
    const int barRoom = width - textWidth(text) - 1;
    Line line{{text, Style::Normal}};
    if (barRoom > 0 && largest > 0) {
      const int n = std::max(1, static_cast<int>(std::lround(static_cast<double>(size(e)) / largest * barRoom)));
      std::string bar;
      for (int k = 0; k < n; ++k) bar += block;
      line.push_back({" ", Style::Normal});
      line.push_back({bar, Style::ChartIn});
    }
    out.push_back(std::move(line));
  }
  if (cut) out.push_back({{fmt::format("+{} more", entries.size() - static_cast<std::size_t>(shown)), Style::Status}});
  return out;
}

std::vector<Line> appLines(const View& v, int width, int maxLines, const RenderOptions& o) {
  return barLines(
      "Applications", "   conns  bytes", v.graph.apps, width, maxLines, [](const AppShare& a) { return a.name; },
      [](const AppShare& a) { return fmt::format("{:>6} {:>6}", formatCount(a.connections), formatTotal(a.bytes)); },
      [](const AppShare& a) { return a.bytes; }, o);
}

std::vector<Line> stateLines(const View& v, int width, int maxLines, const RenderOptions& o) {
  return barLines(
      "TCP states", "     open", v.graph.tcpStates, width, maxLines,
      [](const StateCount& c) { return std::string(c.name); },
      [](const StateCount& c) { return fmt::format("{:>6}", formatCount(c.count)); },
      [](const StateCount& c) { return c.count; }, o);
}

// One chart: a title line, then `plotRows` lines with the rate axis on the left.
void drawChart(Frame& f, int x, int y, int width, int plotRows, std::string_view title, std::string_view arrow,
               const std::vector<double>& values, Style style, int secondsPerValue, const RenderOptions& o) {
  const int cells = width - kLabelWidth - 1;
  double peak = 0;
  for (const double d : values) peak = std::max(peak, d);
  const double scale = niceScale(peak);
  const double now = values.empty() ? 0 : values.back();
  std::string info = fmt::format("  now {}  peak {}", formatRate(now), formatRate(peak));
  if (secondsPerValue > 1) info += fmt::format("  ({} s averages)", secondsPerValue);
  putLine(f, x, y, Line{{fmt::format("{} {}", arrow, title), style}, {info, Style::Status}}, width);
  const std::string_view tick = o.unicode ? "\u2524" : "|";
  const std::string_view bar = o.unicode ? "\u2502" : "|";
  const auto rows = chartRows(values, scale, cells, plotRows, o.unicode);
  // The middle label sits on the line whose top is half the scale (plotRows is even then).
  const int mid = plotRows >= 4 ? plotRows / 2 : -1;
  for (int r = 0; r < plotRows; ++r) {
    std::string label;
    if (r == 0) label = formatRate(scale);
    if (r == mid) label = formatRate(scale * (plotRows - r) / plotRows);
    if (r == plotRows - 1 && plotRows > 1) label = "0";
    f.put(x, y + 1 + r, padLeft(label, kLabelWidth, "~"), Style::Label);
    f.put(x + kLabelWidth, y + 1 + r, label.empty() ? bar : tick, Style::Label);
    f.put(x + kLabelWidth + 1, y + 1 + r, rows[static_cast<std::size_t>(r)], style, cells);
  }
}

// Both charts and the time axis in the region; false when it is too small for them.
bool drawCharts(Frame& f, const View& v, int x, int y, int width, int height, const RenderOptions& o) {
  const int cells = width - kLabelWidth - 1;
  int plotRows = (height - 3) / 2;
  if (cells < 10 || plotRows < 1) return false;
  if (plotRows >= 5 && plotRows % 2 == 1) --plotRows;  // even: the middle label is half the scale
  const int per = valuesPerCell(o.unicode);
  const int count = cells * per;
  // Five minutes when the columns allow, never more than the ring holds.
  int spv = std::max(1, (kWindowSeconds + count - 1) / count);
  while (spv > 1 && count * spv > static_cast<int>(TrafficSeries::kCapacity)) --spv;
  std::vector<double> in(static_cast<std::size_t>(count));
  std::vector<double> out(static_cast<std::size_t>(count));
  const TrafficSeries& series = v.graph.series;
  if (!series.empty()) {
    const std::int64_t newest = series.newest().second;
    for (int i = 0; i < count; ++i) {
      const TrafficPoint p = series.average(newest - static_cast<std::int64_t>(count - 1 - i) * spv, spv);
      in[static_cast<std::size_t>(i)] = p.in;
      out[static_cast<std::size_t>(i)] = p.out;
    }
  }
  const Glyphs& g = glyphs(o.unicode);
  drawChart(f, x, y, width, plotRows, "Received", g.arrowDown, in, Style::ChartIn, spv, o);
  drawChart(f, x, y + 1 + plotRows, width, plotRows, "Sent", g.arrowUp, out, Style::ChartOut, spv, o);
  const int axisY = y + 2 + 2 * plotRows;
  f.put(x + kLabelWidth + 1, axisY, timeAxis(cells, per, spv), Style::Label, cells);
  if (series.empty()) {
    f.put(x + kLabelWidth + 2, y + 1, "no traffic counted yet", Style::Status, cells - 1);
  }
  return true;
}

}  // namespace

void renderGraph(Frame& f, const View& v, const UiState& /*s*/, int top, int rows, const RenderOptions& o) {
  if (rows <= 0) return;
  const int w = f.width();
  if (w >= kWidePanel && rows >= 12) {
    // Panels in a column on the right, in order of importance; what does not fit is cut.
    const int panel = std::clamp(w / 3, 36, 56);
    const int chartWidth = w - panel - 2;
    drawCharts(f, v, 0, top, chartWidth, rows, o);
    const int x = chartWidth + 2;
    int y = top;
    const int end = top + rows;
    auto place = [&](const std::vector<Line>& lines) {
      for (const Line& l : lines) {
        if (y >= end) return;
        putLine(f, x, y++, l, panel);
      }
      ++y;
    };
    place(healthLines(v, panel));
    place(appLines(v, panel, std::min(10, end - y), o));
    place(stateLines(v, panel, end - y, o));
    return;
  }
  // Below the charts: Health and Applications side by side, when there is room for them
  // and for charts of at least two lines each.
  const int panelRows = rows >= 15 ? std::min(9, rows - 11) : 0;
  if (!drawCharts(f, v, 0, top, w, rows - panelRows - (panelRows > 0 ? 1 : 0), o)) {
    f.put(1, top, "too small for the chart", Style::Status, w - 2);
    return;
  }
  if (panelRows <= 0) return;
  const int y = top + rows - panelRows;
  const int half = w >= 60 ? (w - 2) / 2 : w;
  const auto health = healthLines(v, half);
  for (int i = 0; i < panelRows && i < static_cast<int>(health.size()); ++i) {
    putLine(f, 0, y + i, health[static_cast<std::size_t>(i)], half);
  }
  if (half == w) return;
  const auto apps = appLines(v, w - half - 2, panelRows, o);
  for (int i = 0; i < panelRows && i < static_cast<int>(apps.size()); ++i) {
    putLine(f, half + 2, y + i, apps[static_cast<std::size_t>(i)], w - half - 2);
  }
}

}  // namespace rustnet::ui
