#include "ui/view.h"

#include <algorithm>
#include <string>

#include "filter/fields.h"
#include "ui/format.h"

namespace rustnet::ui {

namespace {

std::uint64_t totalBytes(const engine::ConnectionRecord& r) { return r.sent.bytes + r.received.bytes; }

// Rows sorted through a contiguous array of their keys: comparing keys in one array is far
// cheaper than chasing two record pointers per comparison (100,000 rows: see ui_bench).
// `missing` rows (no process, no DPI result, no service name) go last in both directions.
template <typename Key, typename KeyOf>
void sortBy(std::vector<RowRef>& rows, bool desc, KeyOf&& keyOf) {
  struct Item {
    Key key;
    bool missing;
    std::uint64_t bytes;
    std::uint64_t id;
    RowRef row;
  };
  std::vector<Item> items;
  items.reserve(rows.size());
  for (const RowRef& r : rows) {
    bool missing = false;
    Key k = keyOf(*r.rec, missing);
    items.push_back(Item{std::move(k), missing, totalBytes(*r.rec), r.rec->id, r});
  }
  std::sort(items.begin(), items.end(), [desc](const Item& a, const Item& b) {
    if (a.missing != b.missing) return b.missing;
    if (a.key < b.key) return !desc;
    if (b.key < a.key) return desc;
    // Ties: the busiest first, then the oldest id, so that equal rows keep their places.
    if (a.bytes != b.bytes) return a.bytes > b.bytes;
    return a.id < b.id;
  });
  for (std::size_t i = 0; i < items.size(); ++i) rows[i] = items[i].row;
}

// What the Application column shows, as parts that need no formatting: the protocol's
// name, then the detail that follows it in parentheses.
std::pair<std::string_view, std::string_view> appKey(const dpi::Facts& f) {
  return {dpi::appProtoName(f.proto()), f.detail()};
}

}  // namespace

std::vector<RowRef> filterAndSort(const std::vector<RowRef>& rows, const filter::Filter& f,
                                  const UiState& state) {
  std::vector<RowRef> out;
  if (f.empty()) {
    out = rows;
  } else {
    out.reserve(rows.size() / 4);
    for (const RowRef& r : rows) {
      if (f.matches(*r.rec)) out.push_back(r);
    }
  }
  using Rec = engine::ConnectionRecord;
  const bool desc = state.sortDescending;
  switch (state.sortColumn) {
    case Column::Proto:
      sortBy<std::string_view>(out, desc, [](const Rec& r, bool&) { return std::string_view(core::protoName(r.proto)); });
      break;
    case Column::Local: sortBy<core::Endpoint>(out, desc, [](const Rec& r, bool&) { return r.local; }); break;
    case Column::Remote: sortBy<core::Endpoint>(out, desc, [](const Rec& r, bool&) { return r.remote; }); break;
    case Column::State: sortBy<std::string_view>(out, desc, [](const Rec& r, bool&) { return displayState(r); }); break;
    case Column::Service:
      if (state.showPorts) {
        sortBy<std::uint16_t>(out, desc, [](const Rec& r, bool& missing) {
          missing = !filter::hasPorts(r.proto);
          return filter::servicePort(r);
        });
      } else {
        sortBy<std::pair<std::string_view, std::uint16_t>>(out, desc, [](const Rec& r, bool& missing) {
          missing = r.service.empty();
          return std::pair{r.service, filter::servicePort(r)};
        });
      }
      break;
    case Column::App:
      sortBy<std::pair<std::string_view, std::string_view>>(out, desc, [](const Rec& r, bool& missing) {
        missing = !r.dpi || r.dpi->proto() == nullptr;
        return missing ? std::pair<std::string_view, std::string_view>{} : appKey(*r.dpi);
      });
      break;
    case Column::Process:
      sortBy<std::pair<std::string_view, std::int32_t>>(out, desc, [](const Rec& r, bool& missing) {
        missing = !r.process;
        return missing ? std::pair<std::string_view, std::int32_t>{} : std::pair{std::string_view(r.process->name), r.process->pid};
      });
      break;
    case Column::Down: sortBy<double>(out, desc, [](const Rec& r, bool&) { return r.rateInBps; }); break;
    case Column::Up: sortBy<double>(out, desc, [](const Rec& r, bool&) { return r.rateOutBps; }); break;
    case Column::Recv:
      sortBy<std::uint64_t>(out, desc, [](const Rec& r, bool&) { return r.received.bytes; });
      break;
    case Column::Sent: sortBy<std::uint64_t>(out, desc, [](const Rec& r, bool&) { return r.sent.bytes; }); break;
    case Column::Trend:  // not a sort key
    case Column::Count: break;
  }
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
