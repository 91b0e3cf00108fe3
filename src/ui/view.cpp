#include "ui/view.h"

#include <algorithm>
#include <numeric>
#include <string>

#include "filter/fields.h"
#include "ui/format.h"

namespace rustnet::ui {

namespace {

template <typename T>
int cmp(const T& a, const T& b) {
  return a < b ? -1 : (b < a ? 1 : 0);
}

std::uint64_t totalBytes(const engine::ConnectionRecord& r) { return r.sent.bytes + r.received.bytes; }

// Primary comparison for the columns whose key needs no allocation.
int compareDirect(Column c, const engine::ConnectionRecord& a, const engine::ConnectionRecord& b, bool ports) {
  switch (c) {
    case Column::Proto: return std::string_view(core::protoName(a.proto)).compare(core::protoName(b.proto));
    case Column::Local: return cmp(a.local, b.local);
    case Column::Remote: return cmp(a.remote, b.remote);
    case Column::State: return displayState(a).compare(displayState(b));
    case Column::Service:
      if (!ports) {
        // Named services first, alphabetically; then by port.
        if (a.service.empty() != b.service.empty()) return a.service.empty() ? 1 : -1;
        if (const int s = a.service.compare(b.service); s != 0) return s;
      }
      return cmp(filter::servicePort(a), filter::servicePort(b));
    case Column::Down: return cmp(a.rateInBps, b.rateInBps);
    case Column::Up: return cmp(a.rateOutBps, b.rateOutBps);
    case Column::Process: {
      // Known processes first, by name, then pid.
      if (a.process.has_value() != b.process.has_value()) return a.process ? -1 : 1;
      if (!a.process) return 0;
      if (const int s = a.process->name.compare(b.process->name); s != 0) return s;
      return cmp(a.process->pid, b.process->pid);
    }
    case Column::App:
    case Column::Count: break;
  }
  return 0;
}

}  // namespace

std::vector<RowRef> filterAndSort(const std::vector<RowRef>& rows, const filter::Filter& f,
                                  const UiState& state) {
  std::vector<RowRef> out;
  out.reserve(rows.size());
  if (f.empty()) {
    out = rows;
  } else {
    for (const RowRef& r : rows) {
      if (f.matches(*r.rec)) out.push_back(r);
    }
  }

  const bool desc = state.sortDescending;
  auto tieBreak = [](const engine::ConnectionRecord& a, const engine::ConnectionRecord& b) {
    if (const std::uint64_t ta = totalBytes(a), tb = totalBytes(b); ta != tb) return ta > tb;
    return a.id < b.id;
  };

  if (state.sortColumn == Column::App) {
    // The application text is built once per row, not once per comparison. Rows DPI knows
    // nothing about go last.
    std::vector<std::pair<std::string, RowRef>> keyed;
    keyed.reserve(out.size());
    for (const RowRef& r : out) keyed.emplace_back(r.rec->dpi ? r.rec->dpi->summary() : std::string(), r);
    std::sort(keyed.begin(), keyed.end(), [&](const auto& a, const auto& b) {
      if (a.first.empty() != b.first.empty()) return b.first.empty();
      if (const int c = a.first.compare(b.first); c != 0) return desc ? c > 0 : c < 0;
      return tieBreak(*a.second.rec, *b.second.rec);
    });
    for (std::size_t i = 0; i < keyed.size(); ++i) out[i] = keyed[i].second;
    return out;
  }

  const Column col = state.sortColumn;
  const bool ports = state.showPorts;
  std::sort(out.begin(), out.end(), [&](const RowRef& a, const RowRef& b) {
    if (const int c = compareDirect(col, *a.rec, *b.rec, ports); c != 0) return desc ? c > 0 : c < 0;
    return tieBreak(*a.rec, *b.rec);
  });
  return out;
}

void countRows(const std::vector<RowRef>& rows, HeaderInfo& h) {
  h.liveRows = 0;
  h.endedRows = 0;
  h.rateInBps = 0;
  h.rateOutBps = 0;
  for (const RowRef& r : rows) {
    // Still open when the run or file ended counts as open: the screen shows that moment.
    if (r.gone()) {
      ++h.endedRows;
      continue;
    }
    ++h.liveRows;
    h.rateInBps += r.rec->rateInBps;
    h.rateOutBps += r.rec->rateOutBps;
  }
}

void resolveSelection(UiState& s, const std::vector<RowRef>& rows, int pageRows) {
  if (rows.empty()) {
    s.selectedIndex = 0;
    s.scroll = 0;
    return;  // the id is kept: the connection may come back when the filter is relaxed
  }
  bool found = false;
  if (s.selectedId) {
    // The previous position is the likeliest place: rows mostly keep their order.
    if (s.selectedIndex < rows.size() && rows[s.selectedIndex].rec->id == *s.selectedId) {
      found = true;
    } else {
      for (std::size_t i = 0; i < rows.size(); ++i) {
        if (rows[i].rec->id == *s.selectedId) {
          s.selectedIndex = i;
          found = true;
          break;
        }
      }
    }
  }
  if (!found) {
    s.selectedIndex = std::min(s.selectedIndex, rows.size() - 1);
    s.selectedId = rows[s.selectedIndex].rec->id;
  }
  const std::size_t page = static_cast<std::size_t>(std::max(1, pageRows));
  if (s.selectedIndex < s.scroll) s.scroll = s.selectedIndex;
  if (s.selectedIndex >= s.scroll + page) s.scroll = s.selectedIndex + 1 - page;
  // No empty space below the last row while rows are hidden above.
  if (s.scroll + page > rows.size()) s.scroll = rows.size() > page ? rows.size() - page : 0;
}

}  // namespace rustnet::ui
