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
};

struct Key {
  KeyCode code = KeyCode::None;
  char32_t ch = 0;
  static Key character(char32_t c) { return Key{KeyCode::Char, c}; }
  static Key of(KeyCode k) { return Key{k, 0}; }
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

// `view` holds the current (filtered, sorted) rows; width and height are the terminal's.
Action handleKey(UiState& state, const Key& key, const View& view, int width, int height);

}  // namespace rustnet::ui
