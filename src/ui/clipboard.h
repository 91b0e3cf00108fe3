#pragma once
// Copying to the clipboard: the OSC 52 escape sequence (handled by the terminal itself, so
// it works over SSH and inside tmux with set-clipboard on), plus the desktop's own tool
// when one is installed and its display is reachable.
#include <string>
#include <string_view>

namespace rustnet::ui {

// ESC ] 52 ; c ; <base64 of text> BEL
std::string osc52(std::string_view text);

// Pipes `text` into wl-copy (with WAYLAND_DISPLAY), or xclip / xsel (with DISPLAY), the
// first found on PATH. Returns the tool's name, or empty when none was usable. Never waits
// long: the tools fork to keep serving the selection.
std::string copyWithTool(std::string_view text);

}  // namespace rustnet::ui
