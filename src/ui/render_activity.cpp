// The Activity tab: who the traffic is for (processes, or for rows without one the local
// service), ranked by the last minute's bytes; Enter narrows the Overview to one of them.
#include <fmt/format.h>

#include <algorithm>
#include <tuple>

#include "ui/format.h"
#include "ui/render_parts.h"
#include "ui/tabs.h"
#include "ui/text.h"

namespace rustnet::ui {

namespace {

constexpr std::size_t kActivityColumns = static_cast<std::size_t>(ActivityColumn::Count);

struct ActivitySpec {
  ActivityColumn column;
  std::string_view title;
  int width;  // the elastic ones (Owner, Peer): their minimum
  bool alignRight;
};
constexpr std::array<ActivitySpec, kActivityColumns> kSpecs{{
    {ActivityColumn::Owner, "Process/Service", 12, false},
    {ActivityColumn::Pid, "PID", 7, true},
    {ActivityColumn::Conns, "Conns", 5, true},
    {ActivityColumn::Down60, "Down 60s", 9, true},  // room for the sort arrow
    {ActivityColumn::Up60, "Up 60s", 7, true},
    {ActivityColumn::Recv, "Recv", 6, true},  // since the start
    {ActivityColumn::Sent, "Sent", 6, true},
    {ActivityColumn::Peer, "Top peer", 15, false},
}};
// On narrow screens: the peer goes first, then the totals, Up, PID and the count.
constexpr std::array<ActivityColumn, 6> kHideOrder{ActivityColumn::Peer, ActivityColumn::Sent, ActivityColumn::Recv,
                                                   ActivityColumn::Up60, ActivityColumn::Pid,  ActivityColumn::Conns};
constexpr int kOwnerComfort = 24;

const ActivitySpec& spec(ActivityColumn c) { return kSpecs[static_cast<std::size_t>(c)]; }

struct Placed {
  ActivityColumn column;
  int x;
  int width;
};

std::vector<Placed> layout(int width) {
  std::array<bool, kActivityColumns> shown{};
  shown.fill(true);
  auto need = [&] {
    int total = -1;
    for (const auto& s : kSpecs) total += shown[static_cast<std::size_t>(s.column)] ? s.width + 1 : 0;
    return total;
  };
  for (ActivityColumn c : kHideOrder) {
    if (need() <= width) break;
    shown[static_cast<std::size_t>(c)] = false;
  }
  // Spare width: the owner's name up to a comfortable width, then the peer, then the name.
  int spare = std::max(0, width - need());
  std::array<int, kActivityColumns> w{};
  for (const auto& s : kSpecs) w[static_cast<std::size_t>(s.column)] = s.width;
  auto grow = [&](ActivityColumn c, int upTo) {
    const auto i = static_cast<std::size_t>(c);
    if (!shown[i]) return;
    const int add = std::clamp(upTo - w[i], 0, spare);
    w[i] += add;
    spare -= add;
  };
  grow(ActivityColumn::Owner, kOwnerComfort);
  grow(ActivityColumn::Peer, static_cast<int>(core::IpAddr::kMaxText));
  grow(ActivityColumn::Owner, w[0] + spare);
  std::vector<Placed> out;
  int x = 0;
  for (const auto& s : kSpecs) {
    const auto i = static_cast<std::size_t>(s.column);
    if (!shown[i]) continue;
    out.push_back(Placed{s.column, x, std::min(w[i], std::max(1, width - x))});
    x += w[i] + 1;
  }
  return out;
}

std::string cell(ActivityColumn c, const OwnerRow& o) {
  switch (c) {
    case ActivityColumn::Owner: return ownerLabel(o.id);
    case ActivityColumn::Pid: return o.id.kind == OwnerId::Kind::Process ? std::to_string(o.id.pid) : "-";
    case ActivityColumn::Conns: return formatCount(o.liveConns);
    case ActivityColumn::Down60: return formatTotal(o.down60);
    case ActivityColumn::Up60: return formatTotal(o.up60);
    case ActivityColumn::Recv: return formatTotal(o.recvTotal);
    case ActivityColumn::Sent: return formatTotal(o.sentTotal);
    case ActivityColumn::Peer: return o.hasPeer ? o.topPeer.toString() : "-";
    case ActivityColumn::Count: break;
  }
  return {};
}

void moveTo(UiState& s, const View& v, long long index) {
  if (v.owners.empty()) return;
  const long long last = static_cast<long long>(v.owners.size()) - 1;
  s.activitySelected = static_cast<std::size_t>(std::clamp(index, 0LL, last));
  s.activityFollow = ownerFilter(v.owners[s.activitySelected].id);
}

}  // namespace

void rankOwners(std::vector<OwnerRow>& owners, UiState& s) {
  const ActivityColumn by = s.activitySort;
  const bool desc = s.activityDescending;
  auto label = [](const OwnerRow& o) { return std::tie(o.id.kind, o.id.name, o.id.pid, o.id.port); };
  std::sort(owners.begin(), owners.end(), [&](const OwnerRow& a, const OwnerRow& b) {
    auto less = [&](const auto& x, const auto& y) -> std::optional<bool> {
      if (x < y) return !desc;
      if (y < x) return desc;
      return std::nullopt;
    };
    std::optional<bool> r;
    switch (by) {
      case ActivityColumn::Owner: r = less(label(a), label(b)); break;
      case ActivityColumn::Pid: r = less(a.id.pid, b.id.pid); break;
      case ActivityColumn::Conns: r = less(a.liveConns, b.liveConns); break;
      case ActivityColumn::Down60: r = less(a.down60, b.down60); break;
      case ActivityColumn::Up60: r = less(a.up60, b.up60); break;
      case ActivityColumn::Recv: r = less(a.recvTotal, b.recvTotal); break;
      case ActivityColumn::Sent: r = less(a.sentTotal, b.sentTotal); break;
      case ActivityColumn::Peer: r = less(std::pair(!a.hasPeer, a.topPeer), std::pair(!b.hasPeer, b.topPeer)); break;
      case ActivityColumn::Count: break;
    }
    if (r) return *r;
    // Ties: the busiest minute, then the busiest since the start, then by name.
    if (a.down60 + a.up60 != b.down60 + b.up60) return a.down60 + a.up60 > b.down60 + b.up60;
    if (a.recvTotal + a.sentTotal != b.recvTotal + b.sentTotal) return a.recvTotal + a.sentTotal > b.recvTotal + b.sentTotal;
    return label(a) < label(b);
  });
  // The selection follows its owner through the new ranking.
  if (owners.empty()) {
    s.activitySelected = 0;
    return;
  }
  const auto it = std::find_if(owners.begin(), owners.end(),
                               [&](const OwnerRow& o) { return !s.activityFollow.empty() && ownerFilter(o.id) == s.activityFollow; });
  if (it != owners.end()) {
    s.activitySelected = static_cast<std::size_t>(it - owners.begin());
  } else {
    s.activitySelected = std::min(s.activitySelected, owners.size() - 1);
  }
}

bool activityKey(UiState& s, const Key& k, const View& v, Action& a) {
  constexpr long long kFar = 1LL << 40;
  constexpr long long kPage = 10;
  const auto at = static_cast<long long>(s.activitySelected);
  a.redraw = true;  // handleKey's default too: left as it is for keys passed on
  switch (k.code) {
    case KeyCode::Up: moveTo(s, v, at - 1); return true;
    case KeyCode::Down: moveTo(s, v, at + 1); return true;
    case KeyCode::PageUp: moveTo(s, v, at - kPage); return true;
    case KeyCode::PageDown: moveTo(s, v, at + kPage); return true;
    case KeyCode::Home: moveTo(s, v, 0); return true;
    case KeyCode::End: moveTo(s, v, kFar); return true;
    case KeyCode::Enter: {
      if (s.activitySelected >= v.owners.size()) return true;
      const OwnerRow& o = v.owners[s.activitySelected];
      const std::string f = ownerFilter(o.id);
      if (f.empty()) {
        s.message = "Owners past the cap are not told apart: no filter for them";
        s.messageStyle = Style::Error;
        return true;
      }
      s.filterText = f;
      s.tab = 0;  // the filter is about the Overview's table
      s.selectedIndex = 0;
      s.scroll = 0;
      // An owner whose connections have all ended is found in the ended list.
      s.showEnded = o.liveConns == 0;
      s.message = fmt::format("Filter: {} ({}){}", f, ownerLabel(o.id),
                              s.showEnded ? ", ended connections (t: live ones)" : "");
      s.messageStyle = Style::Message;
      a.rowsChanged = true;
      return true;
    }
    case KeyCode::Char: break;
    default: return false;  // the common bindings (which redraw) take it
  }
  switch (k.ch) {
    case U'k': moveTo(s, v, at - 1); return true;
    case U'j': moveTo(s, v, at + 1); return true;
    case U'g': moveTo(s, v, 0); return true;
    case U'G': moveTo(s, v, kFar); return true;
    case U's':
      s.activitySort = static_cast<ActivityColumn>((static_cast<std::size_t>(s.activitySort) + 1) % kActivityColumns);
      // Figures read best largest first, names in order.
      s.activityDescending = spec(s.activitySort).alignRight;
      a.rowsChanged = true;
      return true;
    case U'S':
      s.activityDescending = !s.activityDescending;
      a.rowsChanged = true;
      return true;
    default: return false;  // the common bindings (which redraw) take it
  }
}

void renderActivity(Frame& f, const View& v, const UiState& s, int top, int rows, const RenderOptions& o) {
  if (rows <= 0) return;
  const Glyphs& g = glyphs(o.unicode);
  const auto cols = layout(f.width());
  f.clearLine(top, Style::TableHeader);
  for (const Placed& c : cols) {
    std::string title(spec(c.column).title);
    Style style = Style::TableHeader;
    if (c.column == s.activitySort) {
      title += s.activityDescending ? g.sortDown : g.sortUp;
      style = Style::TableHeaderActive;
    }
    f.put(c.x, top, spec(c.column).alignRight ? padLeft(title, c.width, g.ellipsis) : padRight(title, c.width, g.ellipsis),
          style, c.width);
  }
  int bodyRows = rows - 1;
  const HistoryStats& hs = v.historyStats;
  if (hs.ownersOverflow + hs.ownersEvicted > 0 && bodyRows > 1) {
    // Say what the cap did, on the last line.
    --bodyRows;
    f.put(1, top + rows - 1,
          fmt::format("Owners over the cap of {}: {} idle forgotten, {} counted under (other owners)", kMaxOwners,
                      formatCount(hs.ownersEvicted), formatCount(hs.ownersOverflow)),
          Style::Status, f.width() - 2);
  }
  if (v.owners.empty()) {
    if (bodyRows > 0) {
      const char* why = v.header.sourceDone ? "No traffic was seen." : "Nothing yet: waiting for traffic...";
      f.put(1, top + 1 + std::min(bodyRows - 1, 1), why, Style::Status, f.width() - 2);
    }
    return;
  }
  const std::size_t page = static_cast<std::size_t>(std::max(1, bodyRows));
  const std::size_t sel = std::min(s.activitySelected, v.owners.size() - 1);
  const std::size_t first = sel >= page ? sel + 1 - page : 0;
  for (int i = 0; i < bodyRows; ++i) {
    const std::size_t idx = first + static_cast<std::size_t>(i);
    if (idx >= v.owners.size()) break;
    const OwnerRow& row = v.owners[idx];
    const Style style = idx == sel ? Style::Selected : (row.liveConns == 0 ? Style::Ended : Style::Normal);
    const int y = top + 1 + i;
    f.clearLine(y, style);
    for (const Placed& c : cols) {
      const std::string text = cell(c.column, row);
      f.put(c.x, y, spec(c.column).alignRight ? padLeft(text, c.width, g.ellipsis) : padRight(text, c.width, g.ellipsis),
            style, c.width);
    }
  }
}

}  // namespace rustnet::ui
