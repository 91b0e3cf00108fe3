#pragma once
// The tabs, as one table. Each entry says what the tab is called, which keys open it, how
// it is drawn, what the status line offers there and what the movement keys do on it;
// render.cpp and input.cpp walk the table and know no tab by name. A new view is one entry
// here plus its file (docs/ui.md, "Adding a view").
#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <stdexcept>
#include <string_view>

#include "ui/input.h"
#include "ui/render_parts.h"

namespace rustnet::ui {

// What a group of movement keys does on a tab: move the selected row, or scroll the tab's
// text.
enum class Moves : std::uint8_t { Selection, Text };

// What the right end of the tab line says when no filter is shown there.
enum class Position : std::uint8_t {
  None,
  Range,     // the rows in view: "1-14 of 14"
  Selected,  // the selected row's number: "3 of 14"
};

// A key and what it does, for the status line.
struct Hint {
  std::string_view key;
  std::string_view what;
};
// In a hint, the up and down arrows; drawn as "j/k" on a terminal without UTF-8.
inline constexpr std::string_view kArrowKeys = "\u2191\u2193";

// Draws the tab into lines [top, top + rows) of the frame.
using DrawFn = void (*)(Frame&, const View&, const UiState&, int top, int rows, const RenderOptions&);
// A tab of text: its lines at this width, drawn scrolled by the common code.
using LinesFn = std::vector<Line> (*)(const View&, const UiState&, int width, const RenderOptions&);
// Keys the tab gives a meaning of its own, seen before every other binding except the
// filter input; returns true when it took the key.
using KeyFn = bool (*)(UiState&, const Key&, const View&, Action&);

struct TabSpec {
  std::string_view name;      // on the tab line, and in the Help text
  std::u32string_view keys;   // the keys that open it (Tab/Shift+Tab reach every tab too)
  DrawFn draw = nullptr;      // exactly one of draw and lines
  LinesFn lines = nullptr;
  std::span<const Hint> hints;            // the status line, most useful first
  Moves lineKeys = Moves::Selection;      // ↑↓ j k g G Home End
  Moves pageKeys = Moves::Selection;      // PgUp PgDn
  bool aboutSelection = false;  // its text describes the selected row (scroll resets with it)
  bool overlay = false;         // opened over another tab: its key again, or Esc, goes back there
  Position position = Position::Selected;
  KeyFn onKey = nullptr;
  // What the tab shows and what its own keys do: the first section of Help when Help is
  // opened over it.
  std::string_view about;
  // It draws the view's rows as a table (column titles on its first line, then the rows
  // from UiState::scroll): a click on a row selects it.
  bool rowTable = false;
};

inline constexpr std::array kOverviewHints{
    Hint{"q", "quit"},   Hint{kArrowKeys, "move"}, Hint{"Enter", "details"}, Hint{"/", "filter"},
    Hint{"s/S", "sort"}, Hint{"h", "help"},        Hint{"a", "group"},       Hint{"t", "ended"},
    Hint{"Space", "fold"}, Hint{"c", "copy"},
};
inline constexpr std::array kDetailsHints{
    Hint{"q", "quit"},      Hint{"Esc", "back"}, Hint{kArrowKeys, "prev/next"}, Hint{"PgUp/PgDn", "scroll"},
    Hint{"c", "copy"},      Hint{"h", "help"},
};
inline constexpr std::array kActivityHints{
    Hint{"q", "quit"}, Hint{kArrowKeys, "move"}, Hint{"Enter", "filter Overview"}, Hint{"s/S", "sort"},
    Hint{"h", "help"}, Hint{"Tab", "tabs"},
};
inline constexpr std::array kGraphHints{
    Hint{"q", "quit"}, Hint{"Tab", "tabs"}, Hint{"h", "help"},
};
inline constexpr std::array kHostHints{
    Hint{"q", "quit"}, Hint{kArrowKeys, "scroll"}, Hint{"Tab", "tabs"}, Hint{"h", "help"},
};
inline constexpr std::array kHelpHints{
    Hint{"q", "quit"}, Hint{"Esc", "back"}, Hint{kArrowKeys, "scroll"}, Hint{"Tab", "tabs"},
};

// In tab-line order, which is also the order Tab and Shift+Tab cycle through.
inline constexpr std::array kTabs{
    TabSpec{.name = "Overview",
            .keys = U"1",
            .draw = renderOverview,
            .hints = kOverviewHints,
            .position = Position::Range,
            .onKey = overviewKey,
            .about = "Every connection, one per row, busiest first. Enter (or a double click) "
                     "opens the selected one in Details; / filters the table as you type; s and S "
                     "choose the sort column and its direction; p shows port numbers instead of "
                     "service names; c copies the remote address; a groups the rows by process "
                     "(Space, Left and Right fold and unfold a group); t switches to the "
                     "connections that have ended and back. A click on a row selects it, the "
                     "wheel moves the selection.",
            .rowTable = true},
    TabSpec{.name = "Details",
            .keys = U"2",
            .lines = detailsLines,
            .hints = kDetailsHints,
            .pageKeys = Moves::Text,  // the arrows flip through connections
            .aboutSelection = true,
            .about = "Everything known about the selected connection: addresses, process, "
                     "timing, traffic, TCP health and what deep packet inspection found. The "
                     "arrows flip to the previous or next connection of the table; PgUp and "
                     "PgDn scroll a long text; Esc goes back to the Overview."},
    TabSpec{.name = "Activity",
            .keys = U"3",
            .draw = renderActivity,
            .hints = kActivityHints,
            .position = Position::None,
            .onKey = activityKey,
            .about = "Who is talking: processes (or, for rows with no known process, local "
                     "services) ranked by their traffic over the last 60 seconds, with totals "
                     "since the start, open connections and the busiest peer. s and S change "
                     "the ranking; Enter shows the selected one's connections in the Overview."},
    TabSpec{.name = "Graph",
            .keys = U"4",
            .draw = renderGraph,
            .hints = kGraphHints,
            .position = Position::None,
            .about = "Traffic received and sent over the last minutes (the file's own time when "
                     "reading a capture), the application protocols by bytes, TCP states, and "
                     "the run's health: retransmissions, drops, DPI caps hit and evictions."},
    TabSpec{.name = "Host",
            .keys = U"5",
            .lines = hostLines,
            .hints = kHostHints,
            .lineKeys = Moves::Text,
            .pageKeys = Moves::Text,
            .position = Position::None,
            .about = "This host's listening TCP sockets and bound UDP sockets, with the process "
                     "that holds each and how many connections of the table use it, listed "
                     "every 2 seconds whether or not they carry traffic (also while reading a "
                     "file: they are this machine's). The arrows scroll."},
    TabSpec{.name = "Help",
            .keys = U"h",
            .lines = helpLines,
            .hints = kHelpHints,
            .lineKeys = Moves::Text,
            .pageKeys = Moves::Text,
            .overlay = true,
            .position = Position::None,
            .about = "This text. h or Esc goes back to the tab it was opened over."},
};

// A tab by its name. Used in a constant expression, a name not in the table does not compile.
constexpr TabIndex tabIndex(std::string_view name) {
  for (std::size_t i = 0; i < kTabs.size(); ++i) {
    if (kTabs[i].name == name) return i;
  }
  throw std::invalid_argument("no tab of that name");
}

// The tab a key opens, if any.
constexpr std::optional<TabIndex> tabForKey(char32_t key) {
  for (std::size_t i = 0; i < kTabs.size(); ++i) {
    if (kTabs[i].keys.find(key) != std::u32string_view::npos) return i;
  }
  return std::nullopt;
}

// Where a tab's label sits on the tab line: " Name " and a space after it, left to right.
struct TabLabel {
  int x = 0;
  int width = 0;
};
constexpr TabLabel tabLabel(TabIndex i) {
  int x = 0;
  for (std::size_t t = 0; t < i && t < kTabs.size(); ++t) x += static_cast<int>(kTabs[t].name.size()) + 3;
  return {x, i < kTabs.size() ? static_cast<int>(kTabs[i].name.size()) + 2 : 0};
}
// The tab whose label covers column x of the tab line, if any.
constexpr std::optional<TabIndex> tabAtColumn(int x) {
  for (std::size_t i = 0; i < kTabs.size(); ++i) {
    const TabLabel l = tabLabel(i);
    if (x >= l.x && x < l.x + l.width) return i;
  }
  return std::nullopt;
}

// The state's tab; the first one if the index is out of the table.
inline TabIndex currentTabIndex(const UiState& s) { return s.tab < kTabs.size() ? s.tab : 0; }
inline const TabSpec& currentTab(const UiState& s) { return kTabs[currentTabIndex(s)]; }

namespace detail {

consteval bool everyTabIsDrawnOneWay() {
  for (const TabSpec& t : kTabs) {
    if ((t.draw == nullptr) == (t.lines == nullptr)) return false;
    // Scrolling needs text to scroll.
    if ((t.lineKeys == Moves::Text || t.pageKeys == Moves::Text) && t.lines == nullptr) return false;
  }
  return true;
}

consteval bool everyTabNameIsAscii() {
  // tabLabel counts a name's bytes as its columns.
  for (const TabSpec& t : kTabs) {
    for (char c : t.name) {
      if (static_cast<unsigned char>(c) >= 0x80) return false;
    }
  }
  return true;
}

consteval bool everyTabHasItsOwnKeys() {
  for (std::size_t i = 0; i < kTabs.size(); ++i) {
    if (kTabs[i].keys.empty() || kTabs[i].name.empty()) return false;
    for (char32_t k : kTabs[i].keys) {
      if (k < 0x20 || tabForKey(k) != i) return false;
    }
  }
  return true;
}

}  // namespace detail

static_assert(!kTabs.empty() && kTabs.size() <= kMaxTabs, "UiState keeps per-tab state for kMaxTabs tabs");
static_assert(!kTabs.front().overlay, "the first tab is where a run starts and Esc goes back to");
static_assert(detail::everyTabIsDrawnOneWay(), "a tab has either draw or lines, and only text scrolls");
static_assert(detail::everyTabNameIsAscii(), "tab names are plain ASCII (their width is their length)");
static_assert(detail::everyTabHasItsOwnKeys(), "every tab has a name and keys that no other tab uses");

}  // namespace rustnet::ui
