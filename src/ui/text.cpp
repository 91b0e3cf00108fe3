#include "ui/text.h"

#include <array>
#include <cstdint>
#include <vector>

namespace rustnet::ui {

namespace {

struct Range {
  char32_t lo;
  char32_t hi;
};

// Combining marks and invisible format characters (soft hyphen, zero-width space and
// joiners, bidi marks, word joiner, BOM, variation selectors, tags). Combining marks of
// scripts not listed count as one column: a slight misalignment, never a hidden character.
constexpr std::array<Range, 16> kZeroWidth{{
    {0x00ad, 0x00ad}, {0x0300, 0x036f}, {0x0483, 0x0489}, {0x1ab0, 0x1aff},
    {0x1dc0, 0x1dff}, {0x200b, 0x200f}, {0x2028, 0x202e}, {0x2060, 0x206f},
    {0x20d0, 0x20ff}, {0xfe00, 0xfe0f}, {0xfe20, 0xfe2f}, {0xfeff, 0xfeff},
    {0xfff9, 0xfffb}, {0xe0000, 0xe007f}, {0xe0100, 0xe01ef}, {0xd800, 0xdfff},
}};

// East Asian wide and fullwidth blocks, and the emoji blocks terminals draw two columns wide.
constexpr std::array<Range, 16> kWide{{
    {0x1100, 0x115f}, {0x2e80, 0x303e}, {0x3041, 0x33ff}, {0x3400, 0x4dbf},
    {0x4e00, 0x9fff}, {0xa000, 0xa4cf}, {0xac00, 0xd7a3}, {0xf900, 0xfaff},
    {0xfe30, 0xfe4f}, {0xff00, 0xff60}, {0xffe0, 0xffe6}, {0x1f300, 0x1f64f},
    {0x1f900, 0x1f9ff}, {0x1f680, 0x1f6ff}, {0x20000, 0x2fffd}, {0x30000, 0x3fffd},
}};

template <std::size_t N>
bool inRanges(const std::array<Range, N>& table, char32_t c) {
  for (const Range& r : table) {
    if (c >= r.lo && c <= r.hi) return true;
  }
  return false;
}

constexpr Glyphs kUnicode{"\u2026", "\u25b2", "\u25bc", "\u2502", "\u2193", "\u2191", "\u2588"};
constexpr Glyphs kAscii{"~", "^", "v", "|", "v", "^", "_"};

}  // namespace

void appendUtf8(std::string& out, char32_t c) {
  if (c < 0x80) {
    out += static_cast<char>(c);
  } else if (c < 0x800) {
    out += static_cast<char>(0xc0 | (c >> 6));
    out += static_cast<char>(0x80 | (c & 0x3f));
  } else if (c < 0x10000) {
    out += static_cast<char>(0xe0 | (c >> 12));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3f));
    out += static_cast<char>(0x80 | (c & 0x3f));
  } else {
    out += static_cast<char>(0xf0 | (c >> 18));
    out += static_cast<char>(0x80 | ((c >> 12) & 0x3f));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3f));
    out += static_cast<char>(0x80 | (c & 0x3f));
  }
}

int charWidth(char32_t c) {
  if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) return -1;
  if (c < 0x300) return c == 0xad ? 0 : 1;
  if (inRanges(kZeroWidth, c)) return 0;
  if (inRanges(kWide, c)) return 2;
  return 1;
}

int textWidth(std::string_view s) {
  int w = 0;
  for (std::size_t i = 0; i < s.size();) {
    const int cw = charWidth(decodeUtf8(s, i));
    w += cw == 2 ? 2 : 1;
  }
  return w;
}

const Glyphs& glyphs(bool unicode) { return unicode ? kUnicode : kAscii; }

std::string fitEnd(std::string_view s, int width, std::string_view ellipsis) {
  if (width <= 0) return {};
  if (textWidth(s) <= width) return std::string(s);
  const int budget = width - textWidth(ellipsis);
  std::string out;
  int w = 0;
  for (std::size_t i = 0; i < s.size();) {
    const std::size_t start = i;
    const int cw = charWidth(decodeUtf8(s, i)) == 2 ? 2 : 1;
    if (w + cw > budget) break;
    out.append(s.substr(start, i - start));
    w += cw;
  }
  if (budget >= 0) out.append(ellipsis);
  return out;
}

std::vector<std::string> wrapText(std::string_view s, int width, int maxLines, std::string_view ellipsis) {
  std::vector<std::string> out;
  if (width <= 0 || maxLines <= 0) return out;
  auto isBreak = [](char c) { return c == ' ' || c == '/' || c == ',' || c == ';' || c == '&' || c == '?'; };
  std::string_view rest = s;
  while (!rest.empty()) {
    if (static_cast<int>(out.size()) + 1 == maxLines || textWidth(rest) <= width) {
      out.push_back(fitEnd(rest, width, ellipsis));
      break;
    }
    std::size_t i = 0;
    std::size_t fit = 0;        // bytes of the longest prefix within the width
    std::size_t lastBreak = 0;  // bytes up to and including the last break character
    int w = 0;
    while (i < rest.size()) {
      const std::size_t start = i;
      const int cw = charWidth(decodeUtf8(rest, i)) == 2 ? 2 : 1;
      if (w + cw > width) {
        i = start;
        break;
      }
      w += cw;
      fit = i;
      if (isBreak(rest[start]) && w * 2 > width) lastBreak = i;
    }
    if (fit == 0) {  // one character wider than the line: take it anyway, never loop
      decodeUtf8(rest, fit);
    }
    // A break just past the fitted part keeps the words whole as well.
    const bool breakFollows = fit < rest.size() && rest[fit] == ' ';
    const std::size_t cut = (lastBreak != 0 && !breakFollows) ? lastBreak : fit;
    std::string_view line = rest.substr(0, cut);
    while (!line.empty() && line.back() == ' ') line.remove_suffix(1);
    out.emplace_back(line);
    rest.remove_prefix(cut);
    while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
  }
  return out;
}

std::string fitMiddle(std::string_view s, int width, std::string_view ellipsis) {
  if (width <= 0) return {};
  if (textWidth(s) <= width) return std::string(s);
  const int budget = width - textWidth(ellipsis);
  if (budget < 2) return fitEnd(s, width, ellipsis);
  struct Cp {
    std::size_t start;
    int width;
  };
  std::vector<Cp> cps;
  for (std::size_t i = 0; i < s.size();) {
    const std::size_t start = i;
    cps.push_back({start, charWidth(decodeUtf8(s, i)) == 2 ? 2 : 1});
  }
  const int tailWant = budget / 2;
  const int headWant = budget - tailWant;
  std::size_t h = 0;
  int w = 0;
  while (h < cps.size() && w + cps[h].width <= headWant) w += cps[h++].width;
  std::size_t t = cps.size();
  w = 0;
  while (t > h && w + cps[t - 1].width <= tailWant) w += cps[--t].width;
  const std::size_t headEnd = h < cps.size() ? cps[h].start : s.size();
  const std::size_t tailStart = t < cps.size() ? cps[t].start : s.size();
  std::string out(s.substr(0, headEnd));
  out.append(ellipsis);
  out.append(s.substr(tailStart));
  return out;
}

std::string padRight(std::string_view s, int width, std::string_view ellipsis) {
  std::string out = fitEnd(s, width, ellipsis);
  const int w = textWidth(out);
  if (w < width) out.append(static_cast<std::size_t>(width - w), ' ');
  return out;
}

std::string padLeft(std::string_view s, int width, std::string_view ellipsis) {
  std::string out = fitEnd(s, width, ellipsis);
  const int w = textWidth(out);
  if (w < width) out.insert(0, static_cast<std::size_t>(width - w), ' ');
  return out;
}

}  // namespace rustnet::ui
