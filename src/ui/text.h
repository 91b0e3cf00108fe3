#pragma once
// Display width of UTF-8 text, decided here rather than by the C library's wcwidth() so that
// a frame looks the same in every locale and in tests.
#include <string>
#include <string_view>
#include <vector>

#include "core/text.h"

namespace rustnet::ui {

using core::decodeUtf8;  // one UTF-8 decoder for the whole project (core/text.h)
void appendUtf8(std::string& out, char32_t c);

// Columns a code point takes: 2 for East Asian wide and emoji, 0 for combining marks and
// invisible format characters, -1 for controls, else 1.
int charWidth(char32_t c);
// Columns of a string, counting what would be drawn (controls and zero-width as 1: the
// frame shows them as a placeholder).
int textWidth(std::string_view s);

// Glyphs that depend on whether the terminal speaks UTF-8.
struct Glyphs {
  std::string_view ellipsis;
  std::string_view sortUp;
  std::string_view sortDown;
  std::string_view vline;
  std::string_view arrowDown;  // "rate down" marker
  std::string_view arrowUp;
  std::string_view cursor;
};
const Glyphs& glyphs(bool unicode);

// `s` cut to at most `width` columns; when cut, the last column shows `ellipsis`.
std::string fitEnd(std::string_view s, int width, std::string_view ellipsis);
// As fitEnd, but keeps both ends and drops the middle (addresses: the port stays visible).
std::string fitMiddle(std::string_view s, int width, std::string_view ellipsis);
// `s` broken into lines of at most `width` columns: after a space, `/`, `,`, `;`, `&` or
// `?` where one falls in the second half of the line, else at the width. At most
// `maxLines` lines; the last ends in `ellipsis` when text is left over.
std::vector<std::string> wrapText(std::string_view s, int width, int maxLines, std::string_view ellipsis);
// Pads with spaces (left- or right-aligned) after fitting.
std::string padRight(std::string_view s, int width, std::string_view ellipsis);
std::string padLeft(std::string_view s, int width, std::string_view ellipsis);

}  // namespace rustnet::ui
