#pragma once
// The whole screen as a pure function of the view and the UI state: no terminal, no clock,
// no I/O. The terminal backend only flushes the Frame this returns.
#include "ui/frame.h"
#include "ui/state.h"

namespace rustnet::ui {

// Line 0 is the header, line 1 the tabs, the last line the status bar; the tab's content
// fills the lines between.
Frame render(const View& view, const UiState& state, int width, int height, const RenderOptions& options);

}  // namespace rustnet::ui
