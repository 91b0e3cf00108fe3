// The Overview tab: the connection table.
#include <fmt/format.h>

#include "core/text.h"
#include "ui/columns.h"
#include "ui/render_parts.h"
#include "ui/tabs.h"
#include "ui/text.h"

namespace rustnet::ui {

namespace {

void renderEmpty(Frame& f, const View& v, const UiState& s, int top, int rows) {
  if (rows <= 0) return;
  std::string why;
  if (v.totalRows == 0) {
    why = v.header.sourceDone ? "No connections were seen." : "No connections yet: waiting for traffic...";
  } else {
    why = fmt::format("No connection matches the filter '{}' ({} hidden). Esc clears it.",
                      core::escapeControl(s.filterText), v.totalRows);
  }
  f.put(1, top + std::min(rows - 1, 1), why, Style::Status, f.width() - 2);
}

}  // namespace

bool overviewKey(UiState& s, const Key& k, const View& v, Action& a) {
  if (k.code != KeyCode::Enter) return false;
  constexpr TabIndex kDetails = tabIndex("Details");
  if (!v.rows.empty()) s.tab = kDetails;
  a.redraw = true;
  return true;
}

void renderOverview(Frame& f, const View& v, const UiState& s, int top, int rows, const RenderOptions& o) {
  if (rows <= 0) return;
  const Glyphs& g = glyphs(o.unicode);
  const auto cols = layoutColumns(f.width(), s.widthDelta);

  f.clearLine(top, Style::TableHeader);
  for (const PlacedColumn& c : cols) {
    const ColumnSpec& spec = columnSpec(c.column);
    std::string title(spec.title);
    if (c.column == Column::Service && s.showPorts) title = "Port";
    Style style = Style::TableHeader;
    if (c.column == s.sortColumn) {
      title += s.sortDescending ? g.sortDown : g.sortUp;
      style = Style::TableHeaderActive;
    }
    const std::string text = spec.alignRight ? padLeft(title, c.width, g.ellipsis) : padRight(title, c.width, g.ellipsis);
    f.put(c.x, top, text, style, c.width);
  }

  const int tableTop = top + 1;
  const int tableRows = rows - 1;
  if (v.rows.empty()) {
    renderEmpty(f, v, s, tableTop, tableRows);
    return;
  }
  for (int i = 0; i < tableRows; ++i) {
    const std::size_t idx = s.scroll + static_cast<std::size_t>(i);
    if (idx >= v.rows.size()) break;
    const RowRef& row = v.rows[idx];
    const bool selected = idx == s.selectedIndex;
    Style style = Style::Normal;
    if (selected) {
      style = row.gone() ? Style::SelectedEnded : Style::Selected;
    } else if (row.gone()) {
      style = Style::Ended;
    }
    const int y = tableTop + i;
    f.clearLine(y, style);
    for (const PlacedColumn& c : cols) {
      f.put(c.x, y,
            c.column == Column::Trend ? trendCell(row, v, c.width, o.unicode)
                                      : cellText(c.column, row, s, c.width, o.unicode),
            style, c.width);
    }
  }
}

}  // namespace rustnet::ui
