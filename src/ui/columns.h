#pragma once
// The Overview table's columns: their titles and widths, how they shrink and then hide on
// narrow terminals, and the text of each cell.
#include <array>
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

// Fits the columns into `width`: each starts at its preferred width (plus the user's
// adjustment); when the sum is too wide, the elastic ones shrink (Local first, then
// Application, Process, Service, State, Remote) down to their minimum, and when even the
// minimums do not fit, whole columns hide (Service, Recv and Sent together, Local, Up,
// Process, State, Proto, Down, Application; Remote always stays). Spare width goes to
// Application, then to the addresses.
std::vector<PlacedColumn> layoutColumns(int width, const std::array<int, kColumnCount>& widthDelta);

// The text of one cell, fitted to `width` and aligned.
std::string cellText(Column c, const RowRef& row, const UiState& state, int width, bool unicode);
// The Trend cell: the row's recent traffic as a sparkline (blank when not followed).
std::string trendCell(const RowRef& row, const View& v, int width, bool unicode);

}  // namespace rustnet::ui
