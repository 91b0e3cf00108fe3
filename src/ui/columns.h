#pragma once
// The Overview table's columns: their titles and widths, how they shrink and then hide on
// narrow terminals, and the text of each cell.
#include <array>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "ui/state.h"

namespace rustnet::ui {

struct ColumnSpec {
  Column column;
  std::string_view title;
  int preferred;
  int minimum;
  bool alignRight;
};
const ColumnSpec& columnSpec(Column c);
// Whether `s` sorts by the column (the Trend does not).
bool sortable(Column c);

struct PlacedColumn {
  Column column;
  int x;
  int width;
};

// What the rows on screen hold: the widest text of each column (0 where unknown), and
// whether any of them has a process.
struct ColumnNeeds {
  bool known = false;  // false: lay out by the preferred widths alone
  bool anyProcess = true;
  std::array<int, kColumnCount> width{};
};
// Measured over `rows` (group lines are left out: their text spans the columns).
ColumnNeeds measureColumns(std::span<const RowRef> rows, const UiState& state);

// Fits the columns into `width`: each starts at its preferred width (plus the user's
// adjustment). When the sum is too wide, blank space goes first: columns wider than their
// widest text (and title) give it back, Process, Service, Application and State before the
// rest; then the elastic ones cut text (Local first, then Application, Process, Service,
// State, Remote) down to their minimum; when even the minimums do not fit, whole columns
// hide (RTT, Process when no row has one, Service, Recv and Sent together, Local, Up,
// Process, State, Proto, Down, Application; Remote always stays). Spare width goes to the
// addresses up to their text, then to Application (without `needs`: Application, then the
// addresses).
std::vector<PlacedColumn> layoutColumns(int width, const std::array<int, kColumnCount>& widthDelta,
                                        const ColumnNeeds& needs = {});

// The text of one cell, fitted to `width` and aligned.
std::string cellText(Column c, const RowRef& row, const UiState& state, int width, bool unicode);
// The Trend cell: the row's recent traffic as a sparkline (blank when not followed).
std::string trendCell(const RowRef& row, const View& v, int width, bool unicode);

}  // namespace rustnet::ui
