#include "ui/columns.h"

#include <algorithm>

#include "core/flow_key.h"
#include "filter/fields.h"
#include "ui/format.h"
#include "ui/text.h"

namespace rustnet::ui {

namespace {

// Widths: an IPv4 endpoint is at most 21 columns, rates at most 7, the longest common
// states (QUIC_HANDSHAKE) 14. Minimums keep a column readable: below them it hides instead.
constexpr std::array<ColumnSpec, kColumnCount> kSpecs{{
    {Column::Proto, "Proto", 6, 6, false},
    {Column::Local, "Local", 21, 15, false},
    {Column::Remote, "Remote", 21, 19, false},
    {Column::State, "State", 14, 11, false},
    {Column::Service, "Service", 8, 7, false},
    {Column::App, "Application", 24, 16, false},
    {Column::Process, "Process", 16, 12, false},
    {Column::Rtt, "RTT", 5, 5, true},  // formatRtt: at most 5
    {Column::Down, "Down", 7, 7, true},
    {Column::Up, "Up", 7, 7, true},
    {Column::Recv, "Recv", 5, 5, true},  // formatTotal: at most 5, as is "Recv▼"
    {Column::Sent, "Sent", 5, 5, true},
    {Column::Trend, "Trend", 8, 8, false},  // kTrendSlots merged two by two
}};

// The local address is mostly this host's own: it gives way first (its port stays visible).
constexpr std::array<Column, 6> kShrinkOrder{Column::Local,   Column::App,   Column::Process,
                                             Column::Service, Column::State, Column::Remote};
// On very narrow screens what a connection is matters more than its rate. The totals go
// early (the rates say what is busy now), but after Service: every column fits in 120.
// The Trend goes first of all (the rates say the same in figures), then RTT, the least
// needed; Process goes early when no row on screen has one (it would be a column of
// dashes), else at its place further on.
constexpr std::array<Column, 13> kHideOrder{Column::Trend, Column::Rtt,   Column::Process, Column::Service, Column::Sent,
                                            Column::Recv,  Column::Local, Column::Up,      Column::Process,
                                            Column::State, Column::Proto, Column::Down,    Column::App};
constexpr std::size_t kProcessWhenEmpty = 2;  // the index of that early Process in kHideOrder
// Blank space is given back first, from the columns whose text is often short.
constexpr std::array<Column, 8> kSlackOrder{Column::Process, Column::Service, Column::App,   Column::State,
                                            Column::Rtt,     Column::Proto,   Column::Remote, Column::Local};
// Columns that make sense only together: the one hides with the other.
Column partner(Column c) {
  if (c == Column::Sent) return Column::Recv;
  if (c == Column::Recv) return Column::Sent;
  return c;
}
// Spare width: Application up to this, then each address up to kAddressGrow, then Application.
constexpr int kAppComfort = 48;
constexpr int kIpv4Endpoint = 21;  // "192.168.100.200:65535"
constexpr int kAddressGrow = 41;  // "[2001:db8:1234:5678:9abc:def0:1234:5678]:443" mostly fits

}  // namespace

const ColumnSpec& columnSpec(Column c) { return kSpecs[columnIndex(c)]; }
bool sortable(Column c) { return c != Column::Trend; }

ColumnNeeds measureColumns(std::span<const RowRef> rows, const UiState& state) {
  ColumnNeeds n;
  n.anyProcess = false;
  auto need = [&](Column c, std::string_view text) {
    int& w = n.width[columnIndex(c)];
    w = std::max(w, textWidth(text));
  };
  for (const RowRef& row : rows) {
    if (row.group != nullptr) continue;
    const engine::ConnectionRecord& r = *row.rec;
    n.known = true;
    n.anyProcess = n.anyProcess || r.process.has_value();
    need(Column::Local, filter::endpointText(r.local, r.proto));
    need(Column::Remote, filter::endpointText(r.remote, r.proto));
    need(Column::State, displayState(r));
    need(Column::Service, serviceText(r, state.showPorts));
    need(Column::App, appText(r));
    need(Column::Process, processText(r));
  }
  if (!n.known) n.anyProcess = true;
  return n;
}

std::vector<PlacedColumn> layoutColumns(int width, const std::array<int, kColumnCount>& delta,
                                        const ColumnNeeds& needs) {
  std::array<bool, kColumnCount> visible{};
  visible.fill(true);
  std::array<int, kColumnCount> pref{};
  std::array<int, kColumnCount> mins{};
  // The narrowest a column is with nothing cut: its widest text, or its title and the sort
  // arrow. Only measured columns have one below their preferred width.
  std::array<int, kColumnCount> floor{};
  for (const auto& s : kSpecs) {
    const std::size_t i = columnIndex(s.column);
    pref[i] = std::max(1, s.preferred + delta[i]);
    floor[i] = pref[i];
    if (needs.known && needs.width[i] > 0) {
      floor[i] = std::min(pref[i], std::max(needs.width[i], textWidth(s.title) + 1));
    }
    mins[i] = std::min({s.minimum, pref[i], floor[i]});
    if (needs.known && (s.column == Column::Local || s.column == Column::Remote)) {
      // An IPv4 address and port stays whole: other columns are cut or hidden first.
      mins[i] = std::min(pref[i], std::max(s.minimum, std::min(needs.width[i], kIpv4Endpoint)));
    }
  }
  auto sumOf = [&](const std::array<int, kColumnCount>& w) {
    int total = 0;
    int shown = 0;
    for (std::size_t i = 0; i < kColumnCount; ++i) {
      if (!visible[i]) continue;
      total += w[i];
      ++shown;
    }
    return total + std::max(0, shown - 1);  // one space between columns
  };

  std::array<int, kColumnCount> w = pref;
  std::size_t hidden = 0;
  while (sumOf(mins) > width && hidden < kHideOrder.size()) {
    const Column c = kHideOrder[hidden++];
    if (c == Column::Process && hidden == kProcessWhenEmpty + 1 && needs.anyProcess) continue;
    visible[columnIndex(c)] = false;
    visible[columnIndex(partner(c))] = false;
  }

  int excess = sumOf(w) - width;
  auto shrink = [&](Column c, const std::array<int, kColumnCount>& to) {
    const std::size_t i = columnIndex(c);
    if (excess <= 0 || !visible[i]) return;
    const int take = std::clamp(w[i] - to[i], 0, excess);
    w[i] -= take;
    excess -= take;
  };
  for (Column c : kSlackOrder) shrink(c, floor);
  for (Column c : kShrinkOrder) shrink(c, mins);
  if (excess > 0) {
    // Only Remote is left and even its minimum is too wide.
    const std::size_t r = columnIndex(Column::Remote);
    w[r] = std::max(1, w[r] - excess);
  }

  int spare = width - sumOf(w);
  auto grow = [&](Column c, int upTo) {
    const std::size_t i = columnIndex(c);
    if (!visible[i] || spare <= 0) return;
    const int add = std::clamp(upTo - w[i], 0, spare);
    w[i] += add;
    spare -= add;
  };
  const int appPref = pref[columnIndex(Column::App)];
  if (needs.known) {
    // An IPv4 address cut while there is room is the one thing the table must not do; then
    // the texts, up to what they need; then the longer (IPv6) addresses.
    auto needOf = [&](Column c) { return needs.width[columnIndex(c)]; };
    for (Column c : {Column::Remote, Column::Local}) grow(c, std::min(needOf(c), kIpv4Endpoint));
    grow(Column::App, std::min(std::max(needOf(Column::App), appPref), kAppComfort));
    grow(Column::Process, needOf(Column::Process));
    grow(Column::State, needOf(Column::State));
    for (Column c : {Column::Remote, Column::Local}) grow(c, std::min(needOf(c), kAddressGrow));
    grow(Column::App, w[columnIndex(Column::App)] + spare);
  } else {
    grow(Column::App, std::max(kAppComfort, appPref));
    grow(Column::Remote, std::max(kAddressGrow, pref[columnIndex(Column::Remote)]));
    grow(Column::Local, std::max(kAddressGrow, pref[columnIndex(Column::Local)]));
    grow(Column::App, w[columnIndex(Column::App)] + spare);
  }
  if (spare > 0 && !visible[columnIndex(Column::App)]) grow(Column::Remote, w[columnIndex(Column::Remote)] + spare);

  std::vector<PlacedColumn> out;
  int x = 0;
  for (const auto& s : kSpecs) {
    const std::size_t i = columnIndex(s.column);
    if (!visible[i]) continue;
    out.push_back(PlacedColumn{s.column, x, w[i]});
    x += w[i] + 1;
  }
  return out;
}

std::string cellText(Column c, const RowRef& row, const UiState& state, int width, bool unicode) {
  const engine::ConnectionRecord& r = *row.rec;
  const std::string_view ell = glyphs(unicode).ellipsis;
  const bool right = columnSpec(c).alignRight;
  std::string text;
  switch (c) {
    case Column::Proto: text = core::protoName(r.proto); break;
    case Column::Local:
      return padRight(fitMiddle(filter::endpointText(r.local, r.proto), width, ell), width, ell);
    case Column::Remote:
      return padRight(fitMiddle(filter::endpointText(r.remote, r.proto), width, ell), width, ell);
    case Column::State: text = displayState(r); break;
    case Column::Service: text = serviceText(r, state.showPorts); break;
    case Column::App: text = appText(r); break;
    case Column::Process: text = processText(r); break;
    case Column::Down: text = formatRate(r.rateInBps); break;
    case Column::Up: text = formatRate(r.rateOutBps); break;
    case Column::Recv: text = formatTotal(r.received.bytes); break;
    case Column::Sent: text = formatTotal(r.sent.bytes); break;
    case Column::Rtt: text = r.handshakeRttNs > 0 ? formatRtt(r.handshakeRttNs) : std::string("-"); break;
    case Column::Trend: break;  // drawn from the history: trendCell
    case Column::Count: break;
  }
  return right ? padLeft(text, width, ell) : padRight(text, width, ell);
}

std::string trendCell(const RowRef& row, const View& v, int width, bool unicode) {
  if (v.history == nullptr) return std::string(static_cast<std::size_t>(std::max(0, width)), ' ');
  return padRight(sparkline(v.history->trend(row.rec->id), width, unicode), width, glyphs(unicode).ellipsis);
}

}  // namespace rustnet::ui
