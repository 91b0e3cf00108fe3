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
};

inline constexpr std::array kOverviewHints{
    Hint{"q", "quit"},      Hint{kArrowKeys, "move"}, Hint{"Enter", "details"}, Hint{"/", "filter"},
    Hint{"s/S", "sort"},    Hint{"p", "ports"},       Hint{"c", "copy"},        Hint{"h", "help"},
    Hint{"Tab", "tabs"},
};
inline constexpr std::array kDetailsHints{
    Hint{"q", "quit"},      Hint{"Esc", "back"}, Hint{kArrowKeys, "prev/next"}, Hint{"PgUp/PgDn", "scroll"},
    Hint{"c", "copy"},      Hint{"h", "help"},
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
            .onKey = overviewKey},
    TabSpec{.name = "Details",
            .keys = U"2",
            .lines = detailsLines,
            .hints = kDetailsHints,
            .pageKeys = Moves::Text,  // the arrows flip through connections
            .aboutSelection = true},
    TabSpec{.name = "Graph", .keys = U"4", .draw = renderGraph, .hints = kGraphHints, .position = Position::None},
    TabSpec{.name = "Host",
            .keys = U"5",
            .lines = hostLines,
            .hints = kHostHints,
            .lineKeys = Moves::Text,
            .pageKeys = Moves::Text,
            .position = Position::None},
    TabSpec{.name = "Help",
            .keys = U"h",
            .lines = helpLines,
            .hints = kHelpHints,
            .lineKeys = Moves::Text,
            .pageKeys = Moves::Text,
            .overlay = true},
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
static_assert(detail::everyTabHasItsOwnKeys(), "every tab has a name and keys that no other tab uses");

}  // namespace rustnet::ui
