#include "ui/input.h"

#include <fmt/format.h>

#include <algorithm>

#include "filter/fields.h"
#include "ui/columns.h"
#include "ui/tabs.h"
#include "ui/text.h"
#include "ui/view.h"

namespace rustnet::ui {

namespace {

constexpr std::size_t kMaxFilterInput = 256;  // bytes of filter text typed or pasted
constexpr int kPageStep = 10;
constexpr std::string_view kQuitHint = "Press q again to quit (any other key cancels)";

void moveSelection(UiState& s, const std::vector<RowRef>& rows, long long delta, int height) {
  if (rows.empty()) return;
  const long long last = static_cast<long long>(rows.size()) - 1;
  const long long idx = std::clamp(static_cast<long long>(s.selectedIndex) + delta, 0LL, last);
  if (static_cast<std::size_t>(idx) != s.selectedIndex) {
    for (std::size_t t = 0; t < kTabs.size(); ++t) {
      if (kTabs[t].aboutSelection) s.textScroll[t] = 0;
    }
  }
  s.selectedIndex = static_cast<std::size_t>(idx);
  s.selectedId = rows[s.selectedIndex].rec->id;
  resolveSelection(s, rows, tableRows(height));
}

int lineCount(const TabSpec& t, const View& v, const UiState& s, int width) {
  return static_cast<int>(t.lines(v, s, width, RenderOptions{}).size());
}

int clampScroll(long long want, int lines, int height) {
  const int visible = std::max(1, textRows(height));
  const int maxScroll = std::max(0, lines - visible);
  return static_cast<int>(std::clamp(want, 0LL, static_cast<long long>(maxScroll)));
}

// Up/down style keys: they move the selection or scroll the text, as the tab says.
bool navigate(UiState& s, const Key& k, const View& v, int width, int height) {
  long long delta = 0;
  constexpr long long kFar = 1LL << 40;
  switch (k.code) {
    case KeyCode::Up: delta = -1; break;
    case KeyCode::Down: delta = 1; break;
    case KeyCode::PageUp: delta = -kPageStep; break;
    case KeyCode::PageDown: delta = kPageStep; break;
    case KeyCode::Home: delta = -kFar; break;
    case KeyCode::End: delta = kFar; break;
    default: return false;
  }
  const bool page = k.code == KeyCode::PageUp || k.code == KeyCode::PageDown;
  const TabSpec& tab = currentTab(s);
  if ((page ? tab.pageKeys : tab.lineKeys) == Moves::Text) {
    int& scroll = s.textScroll[currentTabIndex(s)];
    scroll = clampScroll(scroll + delta, lineCount(tab, v, s, width), height);
  } else {
    moveSelection(s, v.rows, delta, height);
  }
  return true;
}

void closeOverlay(UiState& s) {
  s.tab = s.tabUnderOverlay < kTabs.size() && !kTabs[s.tabUnderOverlay].overlay ? s.tabUnderOverlay : 0;
}

// An overlay remembers the tab it opens over; its own key closes it again.
void openTab(UiState& s, TabIndex to) {
  if (to == s.tab) {
    if (kTabs[to].overlay) closeOverlay(s);
    return;
  }
  if (kTabs[to].overlay && !currentTab(s).overlay) s.tabUnderOverlay = s.tab;
  s.tab = to;
}

void cycleTabs(UiState& s, int step) {
  const std::size_t n = kTabs.size();
  openTab(s, (currentTabIndex(s) + (step > 0 ? 1 : n - 1)) % n);
}

std::string keyName(const Key& k) {
  switch (k.code) {
    case KeyCode::Char: {
      std::string out;
      appendUtf8(out, k.ch);
      return out == " " ? std::string("Space") : out;
    }
    case KeyCode::Left: return "Left";
    case KeyCode::Right: return "Right";
    case KeyCode::Enter: return "Enter";
    case KeyCode::Backspace: return "Backspace";
    case KeyCode::CtrlU: return "Ctrl+U";
    case KeyCode::CtrlW: return "Ctrl+W";
    default: return "That key";
  }
}

// A key with no meaning on this tab says so, rather than leaving the user to wonder
// whether it was received.
void saysNothing(UiState& s, const Key& k) {
  s.message = fmt::format("{} does nothing on the {} tab (h: help)", keyName(k), currentTab(s).name);
  s.messageStyle = Style::Message;
}

void popUtf8(std::string& s) {
  while (!s.empty()) {
    const auto c = static_cast<unsigned char>(s.back());
    s.pop_back();
    if ((c & 0xc0) != 0x80) break;  // stop after the lead byte
  }
}

Action editFilter(UiState& s, const Key& k, const View& v, int width, int height) {
  Action a;
  a.redraw = true;
  switch (k.code) {
    case KeyCode::Escape:
      s.filterEditing = false;
      a.rowsChanged = !s.filterText.empty();
      s.filterText.clear();
      return a;
    case KeyCode::Enter:
      s.filterEditing = false;
      return a;
    case KeyCode::Backspace:
      popUtf8(s.filterText);
      a.rowsChanged = true;
      return a;
    case KeyCode::CtrlU:
      s.filterText.clear();
      a.rowsChanged = true;
      return a;
    case KeyCode::CtrlW:
      while (!s.filterText.empty() && s.filterText.back() == ' ') s.filterText.pop_back();
      while (!s.filterText.empty() && s.filterText.back() != ' ') s.filterText.pop_back();
      a.rowsChanged = true;
      return a;
    case KeyCode::Char:
      if (charWidth(k.ch) > 0 && s.filterText.size() < kMaxFilterInput) {
        appendUtf8(s.filterText, k.ch);
        a.rowsChanged = true;
      }
      return a;
    default:
      break;
  }
  if (navigate(s, k, v, width, height)) return a;
  a.redraw = false;
  return a;
}

Column nextColumn(Column c, int step) {
  const int n = static_cast<int>(kColumnCount);
  return static_cast<Column>((static_cast<int>(c) + step + n) % n);
}

// Wheel steps move this many rows or lines.
constexpr int kWheelStep = 3;

Action mouse(UiState& s, const Key& k, const View& v, int width, int height) {
  Action a;
  a.redraw = true;
  if (k.mouse == MouseKind::WheelUp || k.mouse == MouseKind::WheelDown) {
    // As the arrow keys would: the tab decides what they move.
    const Key step = Key::of(k.mouse == MouseKind::WheelUp ? KeyCode::Up : KeyCode::Down);
    for (int i = 0; i < kWheelStep; ++i) {
      const Action b = handleKey(s, step, v, width, height);
      a.rowsChanged = a.rowsChanged || b.rowsChanged;
    }
    return a;
  }
  // A click leaves filter mode as Enter does: the filter stays.
  s.filterEditing = false;
  if (k.y == kTabLine) {
    if (const auto to = tabAtColumn(k.x)) openTab(s, *to);
    return a;
  }
  const TabSpec& tab = currentTab(s);
  if (!tab.rowTable || k.y < kTableFirstRow || k.y >= kTableFirstRow + tableRows(height)) return a;
  const std::size_t idx = s.scroll + static_cast<std::size_t>(k.y - kTableFirstRow);
  if (idx >= v.rows.size()) return a;
  moveSelection(s, v.rows, static_cast<long long>(idx) - static_cast<long long>(s.selectedIndex), height);
  if (k.mouse == MouseKind::DoubleClick) {
    const Action b = handleKey(s, Key::of(KeyCode::Enter), v, width, height);
    a.rowsChanged = b.rowsChanged;
    a.copy = b.copy;
  }
  return a;
}

}  // namespace

int tableRows(int height) { return std::max(0, height - 4); }
int textRows(int height) { return std::max(0, height - 3); }

Action handleKey(UiState& s, const Key& k, const View& v, int width, int height) {
  const std::vector<RowRef>& rows = v.rows;
  Action a;
  if (k.code == KeyCode::CtrlC) {
    a.quit = true;
    return a;
  }
  if (k.code == KeyCode::Resize) {
    resolveSelection(s, rows, tableRows(height));
    for (std::size_t t = 0; t < kTabs.size(); ++t) {
      if (kTabs[t].lines == nullptr) continue;
      s.textScroll[t] = clampScroll(s.textScroll[t], lineCount(kTabs[t], v, s, width), height);
    }
    a.redraw = true;
    return a;
  }
  if (k.code == KeyCode::None) return a;

  const bool wasQuitPending = s.quitPending;
  s.quitPending = false;
  if (wasQuitPending && s.message == kQuitHint) s.message.clear();
  a.redraw = true;

  if (k.code == KeyCode::Mouse) return mouse(s, k, v, width, height);
  if (s.filterEditing) {
    Action e = editFilter(s, k, v, width, height);
    e.redraw = true;
    return e;
  }
  if (const KeyFn own = currentTab(s).onKey; own != nullptr && own(s, k, v, a)) return a;
  if (navigate(s, k, v, width, height)) return a;

  switch (k.code) {
    case KeyCode::Tab:
    case KeyCode::BackTab:
      cycleTabs(s, k.code == KeyCode::Tab ? 1 : -1);
      return a;
    case KeyCode::Escape:
      if (currentTab(s).overlay) {
        closeOverlay(s);
      } else if (s.tab != 0) {
        s.tab = 0;
      } else if (!s.filterText.empty()) {
        s.filterText.clear();
        a.rowsChanged = true;
      } else {
        s.message.clear();
      }
      return a;
    case KeyCode::Char:
      break;
    default:
      saysNothing(s, k);
      return a;
  }

  switch (k.ch) {
    case U'q':
      if (wasQuitPending) {
        a.quit = true;
      } else {
        s.quitPending = true;
        s.message = std::string(kQuitHint);
        s.messageStyle = Style::Message;
      }
      break;
    case U'k': navigate(s, Key::of(KeyCode::Up), v, width, height); break;
    case U'j': navigate(s, Key::of(KeyCode::Down), v, width, height); break;
    case U'g': navigate(s, Key::of(KeyCode::Home), v, width, height); break;
    case U'G': navigate(s, Key::of(KeyCode::End), v, width, height); break;
    case U'/':
      s.tab = 0;  // the filter is about the table, which the first tab shows
      s.filterEditing = true;
      break;
    case U'c':
      if (!rows.empty() && s.selectedIndex < rows.size()) {
        const engine::ConnectionRecord& r = *rows[s.selectedIndex].rec;
        a.copy = filter::endpointText(r.remote, r.proto);
      } else {
        s.message = "Nothing selected to copy";
        s.messageStyle = Style::Error;
      }
      break;
    case U'p':
      s.showPorts = !s.showPorts;
      s.message = s.showPorts ? "Service column: port numbers" : "Service column: service names";
      s.messageStyle = Style::Message;
      a.rowsChanged = s.sortColumn == Column::Service;
      break;
    case U's': {
      do {
        s.sortColumn = nextColumn(s.sortColumn, 1);
      } while (!sortable(s.sortColumn));
      // Figures read best largest first, names alphabetically.
      s.sortDescending = columnSpec(s.sortColumn).alignRight;
      a.rowsChanged = true;
      break;
    }
    case U'S':
      s.sortDescending = !s.sortDescending;
      a.rowsChanged = true;
      break;
    case U'[':
    case U']':
      cycleTabs(s, k.ch == U']' ? 1 : -1);
      break;
    case U'{':
    case U'}':
      s.focusColumn = nextColumn(s.focusColumn, k.ch == U'}' ? 1 : -1);
      s.message = fmt::format("Resize column: {} (< narrower, > wider, = reset)",
                              columnSpec(s.focusColumn).title);
      s.messageStyle = Style::Message;
      break;
    case U'<':
    case U'>': {
      int& d = s.widthDelta[columnIndex(s.focusColumn)];
      d = std::clamp(d + (k.ch == U'>' ? kWidthStep : -kWidthStep), -kMaxWidthDelta, kMaxWidthDelta);
      s.message = fmt::format("{} width {:+}", columnSpec(s.focusColumn).title, d);
      s.messageStyle = Style::Message;
      break;
    }
    case U'=':
      s.widthDelta.fill(0);
      s.message = "Column widths reset";
      s.messageStyle = Style::Message;
      break;
    default:
      // Tabs' keys come after the common ones, so that a tab cannot take one of those
      // unnoticed: the tab test walks the table and presses every tab's keys.
      if (const auto to = tabForKey(k.ch)) {
        openTab(s, *to);
      } else {
        saysNothing(s, k);
      }
      break;
  }
  return a;
}

}  // namespace rustnet::ui
