#pragma once
// Keys → changes of UiState, as a pure function so that every binding is testable without
// a terminal. Side effects (quitting, the clipboard) come back as an Action for the caller.
#include <optional>
#include <string>

#include "ui/state.h"

namespace rustnet::ui {

enum class KeyCode : std::uint8_t {
  None,
  Char,  // `ch` holds the code point
  Up, Down, Left, Right, PageUp, PageDown, Home, End,
  Enter, Escape, Tab, BackTab, Backspace,
  CtrlC, CtrlU, CtrlW,
  Resize,
  Mouse,  // `mouse` says what, at cell (x, y)
};

// What the mouse did. The terminal tells a double click from two clicks (it knows the time).
enum class MouseKind : std::uint8_t { Click, DoubleClick, WheelUp, WheelDown };

struct Key {
  KeyCode code = KeyCode::None;
  char32_t ch = 0;
  MouseKind mouse = MouseKind::Click;
  int x = 0;
  int y = 0;
  static Key character(char32_t c) { return Key{KeyCode::Char, c}; }
  static Key of(KeyCode k) { return Key{k, 0}; }
  static Key mouseAt(MouseKind m, int x, int y) { return Key{KeyCode::Mouse, 0, m, x, y}; }
};

struct Action {
  bool quit = false;
  bool redraw = false;       // the screen changed
  bool rowsChanged = false;  // filter, sort or port display changed: rebuild the rows
  std::optional<std::string> copy;  // text for the clipboard
};

// How many rows the Overview table shows in a terminal `height` lines high, and how many
// lines a tab of text (Details, Help) shows.
int tableRows(int height);
int textRows(int height);
// The screen lines: the header, the tab line, then the tab's area (a table's column titles
// on its first line, its rows below).
inline constexpr int kTabLine = 1;
inline constexpr int kTabTop = 2;
inline constexpr int kTableFirstRow = kTabTop + 1;

// `view` holds the current (filtered, sorted) rows; width and height are the terminal's.
Action handleKey(UiState& state, const Key& key, const View& view, int width, int height);

}  // namespace rustnet::ui
