#include "ui/frame.h"

#include <algorithm>

#include "ui/text.h"

namespace rustnet::ui {

Frame::Frame(int width, int height)
    : width_(std::max(0, width)),
      height_(std::max(0, height)),
      cells_(static_cast<std::size_t>(width_) * static_cast<std::size_t>(height_)) {}

int Frame::put(int x, int y, std::string_view text, Style style, int maxWidth) {
  if (y < 0 || y >= height_ || x >= width_ || maxWidth <= 0) return 0;
  const int limit = std::min(width_, x + maxWidth);
  int col = x;
  for (std::size_t i = 0; i < text.size() && col < limit;) {
    char32_t c = decodeUtf8(text, i);
    int w = charWidth(c);
    if (w <= 0) {
      c = U'?';
      w = 1;
    }
    if (col + w > limit) {
      // A wide character that does not fit: leave the column blank rather than split it.
      if (col >= 0) cells_[index(col, y)] = Cell{U' ', style};
      ++col;
      break;
    }
    if (col >= 0) {
      // Overwriting half of an earlier wide character blanks its other half.
      Cell& cell = cells_[index(col, y)];
      if (cell.ch == 0 && col > 0) cells_[index(col - 1, y)].ch = U' ';
      cell = Cell{c, style};
      if (w == 2) cells_[index(col + 1, y)] = Cell{0, style};
      if (col + w < width_ && cells_[index(col + w, y)].ch == 0) cells_[index(col + w, y)].ch = U' ';
    }
    col += w;
  }
  return col - x;
}

void Frame::paint(int x, int y, Style style, int count) {
  if (y < 0 || y >= height_) return;
  const int end = static_cast<int>(std::min<long long>(width_, static_cast<long long>(x) + count));
  for (int c = std::max(0, x); c < end; ++c) cells_[index(c, y)].style = style;
}

void Frame::clearLine(int y, Style style) {
  if (y < 0 || y >= height_) return;
  for (int c = 0; c < width_; ++c) cells_[index(c, y)] = Cell{U' ', style};
}

std::string Frame::lineText(int y) const {
  std::string out;
  for (int c = 0; c < width_; ++c) {
    const char32_t ch = cells_[index(c, y)].ch;
    if (ch != 0) appendUtf8(out, ch);
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

std::string Frame::toText() const {
  std::string out;
  for (int y = 0; y < height_; ++y) {
    out += lineText(y);
    out += '\n';
  }
  return out;
}

}  // namespace rustnet::ui
