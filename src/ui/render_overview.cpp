// The Overview tab: the connection table.
#include <fmt/format.h>

#include "core/text.h"
#include "ui/columns.h"
#include "ui/format.h"
#include "ui/render_parts.h"
#include "ui/tabs.h"
#include "ui/text.h"
#include "ui/view.h"

namespace rustnet::ui {

namespace {

void renderEmpty(Frame& f, const View& v, const UiState& s, int top, int rows) {
  if (rows <= 0) return;
  std::string why;
  if (v.totalRows == 0 && s.showEnded) {
    why = "No connection has ended yet (t: back to the open ones).";
  } else if (v.totalRows == 0 && v.header.endedRows > 0) {
    why = fmt::format("No open connection: {} ended (t lists them).", formatCount(v.header.endedRows));
  } else if (v.totalRows == 0) {
    why = v.header.sourceDone ? "No connections were seen." : "No connections yet: waiting for traffic...";
  } else {
    why = fmt::format("No connection matches the filter '{}' ({} hidden). Esc clears it.",
                      core::escapeControl(s.filterText), v.totalRows);
  }
  f.put(1, top + std::min(rows - 1, 1), why, Style::Status, f.width() - 2);
}

bool isFigure(Column c) {
  return c == Column::Down || c == Column::Up || c == Column::Recv || c == Column::Sent || c == Column::Rtt;
}

// A process group's line: what it is across the text columns, its sums under the figures.
void renderGroupLine(Frame& f, int y, const RowRef& row, const std::vector<PlacedColumn>& cols, const UiState& s,
                     Style style, const RenderOptions& o) {
  const ProcessGroup& g = *row.group;
  int textEnd = f.width();
  for (const PlacedColumn& c : cols) {
    if (isFigure(c.column)) {
      textEnd = c.x - 1;
      break;
    }
  }
  std::string what = g.expanded ? (o.unicode ? "\u25be " : "- ") : (o.unicode ? "\u25b8 " : "+ ");
  if (g.known) {
    what += core::escapeControl(g.sums.process->name);
    what += g.pids == 1 ? fmt::format(" ({})", g.sums.process->pid) : fmt::format(" ({} pids)", g.pids);
  } else {
    what += "- (unknown process)";
  }
  what += fmt::format(" {} {} connection{}", o.unicode ? "\u00b7" : "-", formatCount(g.connections),
                      g.connections == 1 ? "" : "s");
  f.put(0, y, fitEnd(what, std::max(0, textEnd), glyphs(o.unicode).ellipsis), style, std::max(0, textEnd));
  for (const PlacedColumn& c : cols) {
    if (!isFigure(c.column) || c.column == Column::Rtt) continue;
    f.put(c.x, y, cellText(c.column, row, s, c.width, o.unicode), style, c.width);
  }
}

}  // namespace

bool overviewKey(UiState& s, const Key& k, const View& v, Action& a) {
  const RowRef* sel = s.selectedIndex < v.rows.size() ? &v.rows[s.selectedIndex] : nullptr;
  auto say = [&s](std::string text) {
    s.message = std::move(text);
    s.messageStyle = Style::Message;
  };
  // Folding: Enter or Space toggles a group line, → unfolds it, ← folds it (on one of its
  // rows, ← folds its group and selects the group line).
  auto fold = [&](std::uint64_t id, bool open) {
    if (open) {
      s.expandedGroups.insert(id);
    } else {
      s.expandedGroups.erase(id);
    }
    s.selectedId = id;
    a.rowsChanged = true;
    a.redraw = true;
  };
  const bool onGroup = sel != nullptr && sel->group != nullptr;
  if (k.code == KeyCode::Char && k.ch == U'a') {
    s.grouped = !s.grouped;
    say(s.grouped ? "Grouped by process (Enter/Space or \u2190\u2192 fold a group, a ungroups)" : "Ungrouped");
    if (!s.grouped && s.selectedId && (*s.selectedId & kGroupIdBit) != 0) s.selectedIndex = 0;
    a.rowsChanged = true;
    a.redraw = true;
    return true;
  }
  if (k.code == KeyCode::Char && k.ch == U't') {
    s.showEnded = !s.showEnded;
    say(s.showEnded ? "Ended connections (t: back to the live ones)" : "Live connections");
    s.selectedIndex = 0;
    s.scroll = 0;
    s.selectedId.reset();
    a.rowsChanged = true;
    a.redraw = true;
    return true;
  }
  if (onGroup && (k.code == KeyCode::Enter || (k.code == KeyCode::Char && k.ch == U' '))) {
    fold(sel->rec->id, !sel->group->expanded);
    return true;
  }
  if (onGroup && (k.code == KeyCode::Left || k.code == KeyCode::Right)) {
    fold(sel->rec->id, k.code == KeyCode::Right);
    return true;
  }
  if (s.grouped && sel != nullptr && k.code == KeyCode::Left) {
    fold(groupIdOf(*sel->rec), false);
    return true;
  }
  if (onGroup && k.code == KeyCode::Char && k.ch == U'c') {
    s.message = "A process group: select one of its connections to copy its address";
    s.messageStyle = Style::Error;
    a.redraw = true;
    return true;
  }
  if (k.code != KeyCode::Enter) return false;
  constexpr TabIndex kDetails = tabIndex("Details");
  if (!v.rows.empty()) s.tab = kDetails;
  a.redraw = true;
  return true;
}

void renderOverview(Frame& f, const View& v, const UiState& s, int top, int rows, const RenderOptions& o) {
  if (rows <= 0) return;
  const Glyphs& g = glyphs(o.unicode);
  // Widths follow the rows on screen (where the selection may move to them next).
  const std::size_t onScreen = static_cast<std::size_t>(std::max(0, rows - 1));
  const std::size_t first = std::min(s.scroll, v.rows.size());
  const std::span<const RowRef> shown(v.rows.data() + first, std::min(onScreen, v.rows.size() - first));
  const auto cols = layoutColumns(f.width(), s.widthDelta, measureColumns(shown, s));

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
    if (row.group != nullptr) {
      renderGroupLine(f, y, row, cols, s, selected ? Style::Selected : Style::Section, o);
      continue;
    }
    for (const PlacedColumn& c : cols) {
      f.put(c.x, y,
            c.column == Column::Trend ? trendCell(row, v, c.width, o.unicode)
                                      : cellText(c.column, row, s, c.width, o.unicode),
            style, c.width);
    }
  }
}

}  // namespace rustnet::ui
