#pragma once
// One screenful: a grid of cells, each a code point and a style role. Rendering produces a
// Frame; the terminal backend maps roles to colours or attributes and flushes it once.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace rustnet::ui {

// What a cell is, not how it looks: the backend decides (colour, or bold/reverse/dim when
// colour is off).
enum class Style : std::uint8_t {
  Normal,
  Title,         // the header line
  TitleAlert,    // a header figure that needs attention (drops, errors)
  TabActive,
  TabInactive,
  TableHeader,
  TableHeaderActive,  // sorted or focused column
  Selected,
  Ended,         // a connection that has left the live table
  SelectedEnded,
  StatusKey,     // a key name in the status line
  Status,
  Message,       // a confirmation ("copied ...")
  Error,
  Label,         // "Remote:" in Details and Help
  Section,       // a heading in Details and Help
  FilterInput,
  ChartIn,       // the Graph tab's received traffic
  ChartOut,      // and its sent traffic
  Count,         // keep last
};

struct Cell {
  char32_t ch = U' ';  // 0: the right half of a wide character to its left
  Style style = Style::Normal;
  friend bool operator==(const Cell&, const Cell&) = default;
};

class Frame {
public:
  Frame(int width, int height);

  [[nodiscard]] int width() const { return width_; }
  [[nodiscard]] int height() const { return height_; }
  [[nodiscard]] const Cell& at(int x, int y) const { return cells_[index(x, y)]; }

  // Writes UTF-8 text from column x of line y, clipped to `maxWidth` columns and to the
  // frame; returns the columns written. Controls and zero-width characters are drawn as
  // '?' (text from the wire is escaped before it gets here; this is the last guard).
  int put(int x, int y, std::string_view text, Style style, int maxWidth = 1 << 30);
  // Sets the style of `count` cells from (x, y) (the rest of the line by default).
  void paint(int x, int y, Style style, int count = 1 << 30);
  // Styles and blanks a whole line.
  void clearLine(int y, Style style);

  // The text of a line (wide characters once, trailing spaces dropped) and of the frame
  // (lines joined with '\n'): what golden tests compare.
  [[nodiscard]] std::string lineText(int y) const;
  [[nodiscard]] std::string toText() const;

private:
  [[nodiscard]] std::size_t index(int x, int y) const {
    return static_cast<std::size_t>(y) * static_cast<std::size_t>(width_) + static_cast<std::size_t>(x);
  }
  int width_;
  int height_;
  std::vector<Cell> cells_;
};

}  // namespace rustnet::ui
