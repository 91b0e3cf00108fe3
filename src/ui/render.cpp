#include "ui/render.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>

#include "core/text.h"
#include "filter/filter.h"
#include "ui/format.h"
#include "ui/input.h"
#include "ui/render_parts.h"
#include "ui/tabs.h"
#include "ui/text.h"

namespace rustnet::ui {

namespace {

constexpr int kMinWidth = 20;
constexpr int kMinHeight = 4;

struct Segment {
  Segment(std::string t, Style st, int r, std::string b = {}, int minW = 0)
      : text(std::move(t)), style(st), rank(r), brief(std::move(b)), minWidth(minW) {}
  std::string text;
  Style style;
  int rank = 0;  // 0 = most important; the highest ranks give way first on narrow screens
  std::string brief;  // a shorter form, used before anything important is left out
  int minWidth = 0;   // when not 0, the text may be cut (in its middle) down to this
};

// Puts segments left to right with a separator. When they do not fit: the least important
// (rank 5 and up) go first, then segments take their brief forms, then the cuttable ones
// are cut, and only then do the others go by rank; the last one is cut with an ellipsis if
// even that is too wide. So the figures (rates, packets, drops) outlast a long file name.
void putSegments(Frame& f, int y, std::vector<Segment> segs, std::string_view sep, Style sepStyle,
                 std::string_view ell) {
  auto total = [&] {
    int w = 0;
    for (const auto& sg : segs) w += textWidth(sg.text);
    return w + textWidth(sep) * std::max(0, static_cast<int>(segs.size()) - 1);
  };
  auto dropWorst = [&](int fromRank) {
    auto worst = std::max_element(segs.begin(), segs.end(),
                                  [](const Segment& a, const Segment& b) { return a.rank < b.rank; });
    if (worst == segs.end() || worst->rank < fromRank) return false;
    segs.erase(worst);
    return true;
  };
  constexpr int kMinorRank = 5;
  while (segs.size() > 1 && total() > f.width() && dropWorst(kMinorRank)) {
  }
  for (auto it = segs.rbegin(); it != segs.rend() && total() > f.width(); ++it) {
    if (!it->brief.empty()) it->text = std::move(it->brief);
  }
  for (auto& sg : segs) {
    const int over = total() - f.width();
    if (over <= 0) break;
    if (sg.minWidth > 0) sg.text = fitMiddle(sg.text, std::max(sg.minWidth, textWidth(sg.text) - over), ell);
  }
  while (segs.size() > 1 && total() > f.width() && dropWorst(0)) {
  }
  int x = 0;
  for (std::size_t i = 0; i < segs.size() && x < f.width(); ++i) {
    if (i != 0) x += f.put(x, y, sep, sepStyle, f.width() - x);
    x += f.put(x, y, fitEnd(segs[i].text, f.width() - x, ell), segs[i].style, f.width() - x);
  }
}

void renderHeader(Frame& f, const View& v, const RenderOptions& o) {
  const HeaderInfo& h = v.header;
  const Glyphs& g = glyphs(o.unicode);
  f.clearLine(0, Style::Title);
  // A file by its name: the directories would crowd out the figures.
  std::string source = core::escapeControl(h.live ? h.source : std::filesystem::path(h.source).filename().string());
  if (h.live) {
    source += h.sourceDone ? " (live, stopped)" : " (live)";
  } else {
    source += h.sourceDone ? " (file, at its end)" : " (file, reading)";
  }
  const std::uint64_t kernel = h.stats.capture.kernelDropped + h.stats.capture.ifaceDropped;
  const std::uint64_t ours = h.stats.capture.ourDropped + h.stats.capture.oversize;
  const bool dropped = kernel + ours > 0;
  std::string conns = fmt::format("{} conns", formatCount(h.liveRows));
  if (h.endedRows > 0) conns += fmt::format(", {} ended", formatCount(h.endedRows));

  std::vector<Segment> segs;
  segs.push_back({"rustnet", Style::Title, 9});
  segs.push_back({source, Style::Title, 0, {}, 16});
  segs.push_back({conns, Style::Title, 1, fmt::format("{} conns", formatCount(h.liveRows))});
  segs.push_back({fmt::format("{}{} {}{}", g.arrowDown, formatRate(h.rateInBps), g.arrowUp, formatRate(h.rateOutBps)),
                  Style::Title, 2});
  segs.push_back({formatCount(h.stats.capture.seen) + " pkts", Style::Title, 3});
  segs.push_back({dropped ? fmt::format("dropped: kernel {}, ours {}", formatCount(kernel), formatCount(ours))
                          : std::string("no drops"),
                  dropped ? Style::TitleAlert : Style::Title, dropped ? 1 : 4,
                  dropped ? fmt::format("drops {}/{}", formatCount(kernel), formatCount(ours)) : std::string()});
  if (!h.processMethod.empty() && h.processMethod != "off") {
    segs.push_back({fmt::format("processes: {}", h.processMethod), Style::Title, 6});
  }
  if (h.stats.tracker.evicted > 0) {
    segs.push_back({fmt::format("evicted {}", formatCount(h.stats.tracker.evicted)), Style::TitleAlert, 4});
  }
  if (h.historyDropped > 0) {
    segs.push_back({fmt::format("history full: {} forgotten", formatCount(h.historyDropped)), Style::TitleAlert, 5});
  }
  if (h.stats.decode.unsupported > 0) {
    segs.push_back({fmt::format("{} frames skipped: link type {} unsupported", formatCount(h.stats.decode.unsupported),
                                h.unsupportedLink.empty() ? std::string("?") : h.unsupportedLink),
                    Style::TitleAlert, 1});
  }
  if (!h.sourceError.empty()) {
    segs.push_back({fmt::format("error: {}", core::escapeControl(h.sourceError)), Style::TitleAlert, 1});
  }
  putSegments(f, 0, std::move(segs), fmt::format(" {} ", g.vline), Style::Title, g.ellipsis);
}

void renderTabs(Frame& f, const View& v, const UiState& s, const RenderOptions& o) {
  f.clearLine(kTabLine, Style::Normal);
  int x = 0;
  const TabSpec* const active = &currentTab(s);
  for (TabIndex i = 0; i < kTabs.size(); ++i) {
    const TabLabel label = tabLabel(i);  // where a click finds it
    x = label.x;
    x += f.put(x, kTabLine, fmt::format(" {} ", kTabs[i].name), &kTabs[i] == active ? Style::TabActive : Style::TabInactive);
    x += f.put(x, kTabLine, " ", Style::Normal);
  }
  // Right side: the active filter and where in the list the tab is.
  std::string info;
  if (!v.rows.empty()) {
    const std::size_t first = s.scroll + 1;
    const std::size_t last = std::min(v.rows.size(), s.scroll + static_cast<std::size_t>(tableRows(f.height())));
    switch (active->position) {
      case Position::None: break;
      case Position::Range: info = fmt::format("{}-{} of {}", first, last, formatCount(v.rows.size())); break;
      case Position::Selected: info = fmt::format("{} of {}", s.selectedIndex + 1, formatCount(v.rows.size())); break;
    }
  }
  if (!s.filterText.empty()) {
    info = fmt::format("filter: {}  {} of {}", core::escapeControl(s.filterText), formatCount(v.rows.size()),
                       formatCount(v.totalRows));
  }
  if (s.showEnded && active->position != Position::None) {
    // The history is bounded: say how full it is and what it had to forget.
    std::string ended = fmt::format("ended: {} (cap {})", formatCount(v.totalRows), formatCount(v.header.historyCap));
    if (v.header.historyDropped > 0) ended += fmt::format(", {} forgotten", formatCount(v.header.historyDropped));
    info = info.empty() ? ended : ended + "  " + info;
  }
  const int room = f.width() - x - 1;
  if (room <= 0 || info.empty()) return;
  const std::string fitted = fitEnd(info, room, glyphs(o.unicode).ellipsis);
  f.put(f.width() - textWidth(fitted), kTabLine, fitted, s.filterText.empty() ? Style::Normal : Style::FilterInput);
}

void putHints(Frame& f, int y, int x, std::span<const Hint> hints, bool unicode) {
  for (auto [key, what] : hints) {
    if (key == kArrowKeys && !unicode) key = "j/k";
    const int need = textWidth(key) + 1 + textWidth(what);
    if (x + need > f.width()) return;
    x += f.put(x, y, key, Style::StatusKey);
    x += f.put(x, y, " ", Style::Status);
    x += f.put(x, y, what, Style::Status);
    x += f.put(x, y, "  ", Style::Status);
  }
}

void renderStatus(Frame& f, const View& v, const UiState& s, const RenderOptions& o) {
  const int y = f.height() - 1;
  const Glyphs& g = glyphs(o.unicode);
  f.clearLine(y, Style::Status);
  if (s.filterEditing) {
    // The tail of a long filter stays visible: that is where the typing happens.
    int x = f.put(0, y, "/", Style::StatusKey);
    std::string text = core::escapeControl(s.filterText);
    const int room = std::max(1, f.width() / 2 - 2);
    if (textWidth(text) > room) text = fitMiddle(text, room, g.ellipsis);
    x += f.put(x, y, text, Style::FilterInput);
    x += f.put(x, y, g.cursor, Style::FilterInput);
    x += 2;
    if (!v.filterNotices.empty()) {
      f.put(x, y, v.filterNotices.front(), Style::Error, f.width() - x);
      return;
    }
    const std::array<Hint, 3> editing{
        {{"Enter", "keep"}, {"Esc", "clear"}, {o.unicode ? kArrowKeys : "Up/Down", "move"}}};
    putHints(f, y, x, editing, o.unicode);
    return;
  }
  if (!s.message.empty()) {
    f.put(0, y, fitEnd(s.message, f.width(), g.ellipsis), s.messageStyle);
    return;
  }
  if (!v.filterNotices.empty()) {
    f.put(0, y, fitEnd(fmt::format("filter: {}", v.filterNotices.front()), f.width(), g.ellipsis), Style::Error);
    return;
  }
  putHints(f, y, 0, currentTab(s).hints, o.unicode);
}

// Draws text that may be longer than the screen; the last line then says how much more
// there is and which key shows it.
void drawScrolled(Frame& f, const std::vector<Line>& lines, int scroll, int top, int rows, std::string_view key,
                  const RenderOptions& o) {
  const int n = static_cast<int>(lines.size());
  const int first = std::clamp(scroll, 0, std::max(0, n - rows));
  const int below = n - first - rows;
  if (below <= 0) {
    drawLines(f, lines, first, top, rows, 1);
    return;
  }
  drawLines(f, lines, first, top, rows - 1, 1);
  f.put(1, top + rows - 1,
        fmt::format("{} {} more line{} ({})", glyphs(o.unicode).arrowDown, below + 1, below + 1 == 1 ? "" : "s", key),
        Style::Status);
}

}  // namespace

void drawLines(Frame& f, const std::vector<Line>& lines, int first, int top, int rows, int left) {
  for (int i = 0; i < rows; ++i) {
    const std::size_t idx = static_cast<std::size_t>(first + i);
    if (first + i < 0 || idx >= lines.size()) break;
    int x = left;
    for (const Span& sp : lines[idx]) x += f.put(x, top + i, sp.text, sp.style);
  }
}

Frame render(const View& v, const UiState& s, int width, int height, const RenderOptions& o) {
  Frame f(width, height);
  if (width < kMinWidth || height < kMinHeight) {
    f.put(0, 0, "terminal too small", Style::Error);
    if (height > 1) f.put(0, 1, "q q or Ctrl+C quits", Style::Status);
    return f;
  }
  renderHeader(f, v, o);
  renderTabs(f, v, s, o);
  const int top = kTabTop;
  const int rows = height - 3;
  const TabSpec& tab = currentTab(s);
  if (tab.draw != nullptr) {
    tab.draw(f, v, s, top, rows, o);
  } else {
    // The last line names the key that scrolls on: an arrow where they scroll, else PgDn.
    const std::string_view more = tab.lineKeys == Moves::Text ? (o.unicode ? "\u2193" : "j") : "PgDn";
    drawScrolled(f, tab.lines(v, s, width, o), s.textScroll[currentTabIndex(s)], top, rows, more, o);
  }
  renderStatus(f, v, s, o);
  return f;
}

}  // namespace rustnet::ui
