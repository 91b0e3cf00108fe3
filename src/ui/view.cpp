#include "ui/view.h"

#include <algorithm>
#include <functional>
#include <span>
#include <string>
#include <unordered_map>
#include <unordered_set>

#include "filter/fields.h"
#include "ui/format.h"

namespace rustnet::ui {

namespace {

std::uint64_t totalBytes(const engine::ConnectionRecord& r) { return r.sent.bytes + r.received.bytes; }

// Rows sorted through a contiguous array of their keys: comparing keys in one array is far
// cheaper than chasing two record pointers per comparison (100,000 rows: see ui_bench).
// `missing` rows (no process, no DPI result, no service name) go last in both directions.
template <typename Key, typename KeyOf>
void sortBy(std::span<RowRef> rows, bool desc, KeyOf&& keyOf) {
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

std::vector<RowRef> filterRows(const std::vector<RowRef>& rows, const filter::Filter& f, const UiState& state) {
  std::vector<RowRef> out;
  // The live rows, or with `t` the ended ones, in the same pass as the filter.
  const bool ended = state.showEnded;
  if (f.empty()) {
    out.reserve(ended ? rows.size() / 8 : rows.size());
    for (const RowRef& r : rows) {
      if (r.gone() == ended) out.push_back(r);
    }
  } else {
    out.reserve(rows.size() / 4);
    for (const RowRef& r : rows) {
      if (r.gone() == ended && f.matches(*r.rec)) out.push_back(r);
    }
  }
  return out;
}

std::vector<RowRef> filterAndSort(const std::vector<RowRef>& rows, const filter::Filter& f,
                                  const UiState& state) {
  std::vector<RowRef> out = filterRows(rows, f, state);
  sortRows(out, state);
  return out;
}

void sortRows(std::span<RowRef> out, const UiState& state) {
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
    case Column::Rtt:
      sortBy<std::int64_t>(out, desc, [](const Rec& r, bool& missing) {
        missing = r.handshakeRttNs <= 0;
        return r.handshakeRttNs;
      });
      break;
    case Column::Trend: break;  // not a sort key
    case Column::Count: break;
  }
}

std::uint64_t groupIdOf(const engine::ConnectionRecord& r) {
  if (!r.process) return kGroupIdBit;
  // Never kGroupIdBit itself, which is the group without a process.
  return kGroupIdBit | std::hash<std::string_view>{}(r.process->name) | 1U;
}

std::vector<RowRef> groupByProcess(const std::vector<RowRef>& rows, const UiState& state,
                                   std::shared_ptr<const std::vector<ProcessGroup>>& groupsOut) {
  auto groups = std::make_shared<std::vector<ProcessGroup>>();
  struct Acc {
    std::size_t first = 0;  // position of its first row in `rows`
    std::int32_t firstPid = 0;
    std::unordered_set<std::int32_t> otherPids;
  };
  std::vector<Acc> acc;
  std::unordered_map<std::string_view, std::uint32_t> byName;
  std::vector<std::uint32_t> groupOf(rows.size());
  constexpr std::uint32_t kNone = ~std::uint32_t{0};
  std::uint32_t unknown = kNone;
  std::string_view lastName;
  std::uint32_t last = kNone;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const engine::ConnectionRecord& r = *rows[i].rec;
    std::uint32_t g = 0;
    if (!r.process) {
      if (unknown == kNone) {
        unknown = static_cast<std::uint32_t>(groups->size());
        groups->emplace_back().known = false;
        groups->back().sums.id = kGroupIdBit;
        acc.push_back(Acc{i, 0, {}});
      }
      g = unknown;
    } else {
      const std::string_view name = r.process->name;
      // Rows often come in runs of one process: skip the lookup for those.
      if (last != kNone && name == lastName) {
        g = last;
      } else {
        auto [it, fresh] = byName.try_emplace(name, static_cast<std::uint32_t>(groups->size()));
        g = it->second;
        if (fresh) {
          ProcessGroup& pg = groups->emplace_back();
          pg.sums.id = groupIdOf(r);
          pg.sums.process = engine::ProcessInfo{r.process->pid, r.process->uid, r.process->name, {}, {}};
          acc.push_back(Acc{i, r.process->pid, {}});
        }
        last = g;
        lastName = name;
      }
      if (r.process->pid != acc[g].firstPid) acc[g].otherPids.insert(r.process->pid);
    }
    groupOf[i] = g;
    ProcessGroup& pg = (*groups)[g];
    ++pg.connections;
    pg.sums.rateInBps += r.rateInBps;
    pg.sums.rateOutBps += r.rateOutBps;
    pg.sums.received.bytes += r.received.bytes;
    pg.sums.received.packets += r.received.packets;
    pg.sums.sent.bytes += r.sent.bytes;
    pg.sums.sent.packets += r.sent.packets;
  }
  for (std::size_t g = 0; g < groups->size(); ++g) {
    ProcessGroup& pg = (*groups)[g];
    pg.pids = pg.known ? 1 + acc[g].otherPids.size() : 0;
    pg.expanded = state.expandedGroups.count(pg.sums.id) != 0;
  }

  // Group order: the sort column's sum for figures, else the process name (the rows without
  // one last), in the sort's direction.
  std::vector<std::uint32_t> order(groups->size());
  for (std::uint32_t g = 0; g < order.size(); ++g) order[g] = g;
  auto figure = [&](std::uint32_t g) -> std::optional<double> {
    const engine::ConnectionRecord& r = (*groups)[g].sums;
    switch (state.sortColumn) {
      case Column::Down: return r.rateInBps;
      case Column::Up: return r.rateOutBps;
      case Column::Recv: return static_cast<double>(r.received.bytes);
      case Column::Sent: return static_cast<double>(r.sent.bytes);
      default: return std::nullopt;
    }
  };
  const bool orderByName = groups->empty() || !figure(0).has_value();
  const bool desc = state.sortDescending;
  std::sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
    const ProcessGroup& ga = (*groups)[a];
    const ProcessGroup& gb = (*groups)[b];
    if (orderByName) {
      if (ga.known != gb.known) return ga.known;
      if (ga.known && ga.sums.process->name != gb.sums.process->name) {
        return desc && state.sortColumn == Column::Process ? ga.sums.process->name > gb.sums.process->name
                                                           : ga.sums.process->name < gb.sums.process->name;
      }
      return false;
    }
    const double fa = *figure(a);
    const double fb = *figure(b);
    if (fa != fb) return desc ? fa > fb : fa < fb;
    // Ties as for rows: the busiest first, then the first seen.
    const std::uint64_t ba = ga.sums.received.bytes + ga.sums.sent.bytes;
    const std::uint64_t bb = gb.sums.received.bytes + gb.sums.sent.bytes;
    if (ba != bb) return ba > bb;
    return acc[a].first < acc[b].first;
  });

  // Each expanded group's rows.
  std::vector<std::size_t> start(groups->size() + 1, 0);
  for (std::size_t i = 0; i < rows.size(); ++i) {
    if ((*groups)[groupOf[i]].expanded) ++start[groupOf[i] + 1];
  }
  for (std::size_t g = 0; g < groups->size(); ++g) start[g + 1] += start[g];
  std::vector<RowRef> members(start.back());
  std::vector<std::size_t> next(start.begin(), start.end() - 1);
  for (std::size_t i = 0; i < rows.size(); ++i) {
    if ((*groups)[groupOf[i]].expanded) members[next[groupOf[i]]++] = rows[i];
  }

  // Only the rows on show are rows: a folded group needs none of that work.
  for (std::size_t g = 0; g < groups->size(); ++g) {
    if (start[g + 1] > start[g]) {
      sortRows(std::span<RowRef>(members).subspan(start[g], start[g + 1] - start[g]), state);
    }
  }
  std::vector<RowRef> out;
  out.reserve(groups->size() + members.size());
  for (const std::uint32_t g : order) {
    const ProcessGroup& pg = (*groups)[g];
    out.push_back(RowRef{&pg.sums, nullptr, &pg});
    out.insert(out.end(), members.begin() + static_cast<std::ptrdiff_t>(start[g]),
               members.begin() + static_cast<std::ptrdiff_t>(start[g + 1]));
  }
  groupsOut = std::move(groups);
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
