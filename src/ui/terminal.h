#pragma once
// The ncursesw backend: puts the terminal in full-screen mode, flushes Frames (one update
// per frame; ncurses sends only what changed) and reads keys. Nothing else in the UI
// touches the terminal. The destructor restores it; so do fatal signals (see terminal.cpp).
#include <chrono>
#include <string_view>

#include "ui/frame.h"
#include "ui/input.h"

namespace rustnet::ui {

struct TerminalOptions {
  bool color = true;  // off with --no-color or NO_COLOR
  // Clicks and the wheel come as keys (KeyCode::Mouse); off with --no-mouse, which leaves
  // the terminal's own text selection alone.
  bool mouse = true;
};

class Terminal {
public:
  // Throws std::runtime_error when stdin/stdout is not a terminal ncurses can drive.
  explicit Terminal(TerminalOptions options);
  ~Terminal();
  Terminal(const Terminal&) = delete;
  Terminal& operator=(const Terminal&) = delete;

  [[nodiscard]] int width() const;
  [[nodiscard]] int height() const;
  // Whether the locale is UTF-8 (else the ASCII fallback is drawn).
  [[nodiscard]] bool unicode() const { return unicode_; }

  void draw(const Frame& frame);
  // Waits up to `timeoutMs` (0: do not wait) for a key; KeyCode::None when there is none.
  Key readKey(int timeoutMs);
  // Sends bytes straight to the terminal after the current frame (OSC 52). The caller
  // guarantees they hold no text from the wire.
  void sendRaw(std::string_view bytes);

  // Leaves full-screen mode now (idempotent): for the way out before the engine drains.
  void restore();

private:
  Key mouseKey();

  bool unicode_ = false;
  bool color_ = false;
  bool active_ = false;
  bool mouse_ = false;
  // The last press, to tell a double click (the terminal reports presses only).
  std::chrono::steady_clock::time_point lastPress_{};
  int lastPressX_ = -1;
  int lastPressY_ = -1;
};

// NO_COLOR (https://no-color.org): set and not empty.
bool noColorRequested();

}  // namespace rustnet::ui
