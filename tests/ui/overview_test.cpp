// The Overview's own views and layout: rows grouped by process (`a`), the ended connections
// apart (`t`), the RTT column, the widths given where they are needed, the header at 80.
#include <gtest/gtest.h>

#include <map>
#include <string>

#include "ui/columns.h"
#include "ui/format.h"
#include "ui/sample.h"
#include "ui/tabs.h"
#include "ui/text.h"
#include "ui/view.h"

namespace rustnet::test {
namespace {

using ui::Column;
using ui::Key;
using ui::KeyCode;

constexpr int kW = 120;
constexpr int kH = 40;

void typeKeys(ui::Controller& c, std::string_view keys) {
  for (char ch : keys) c.key(Key::character(static_cast<unsigned char>(ch)), kW, kH);
}
void press(ui::Controller& c, KeyCode k) { c.key(Key::of(k), kW, kH); }
const ui::RowRef& selected(const ui::Controller& c) { return c.view().rows.at(c.state().selectedIndex); }
std::string nameOf(const engine::ConnectionRecord& r) { return r.process ? r.process->name : "-"; }

struct Sums {
  std::size_t conns = 0;
  double down = 0;
  double up = 0;
  std::uint64_t recv = 0;
  std::uint64_t sent = 0;
};

// What each group should hold, from the ungrouped rows.
std::map<std::string, Sums> sumsByProcess(const std::vector<ui::RowRef>& rows) {
  std::map<std::string, Sums> out;
  for (const ui::RowRef& r : rows) {
    Sums& s = out[nameOf(*r.rec)];
    ++s.conns;
    s.down += r.rec->rateInBps;
    s.up += r.rec->rateOutBps;
    s.recv += r.rec->received.bytes;
    s.sent += r.rec->sent.bytes;
  }
  return out;
}

// Moves the selection to the group line of `name`.
void selectGroup(ui::Controller& c, std::string_view name) {
  typeKeys(c, "g");
  for (std::size_t i = 0; i < c.view().rows.size(); ++i) {
    const ui::RowRef& r = selected(c);
    if (r.group != nullptr && nameOf(*r.rec) == name) return;
    press(c, KeyCode::Down);
  }
  FAIL() << "no group line for " << name;
}

// ---- grouping ---------------------------------------------------------------------------

TEST(UiGrouping, OneFoldedLinePerProcessWithItsSums) {
  ui::Controller c = sampleController();
  const auto want = sumsByProcess(c.view().rows);
  typeKeys(c, "a");
  ASSERT_TRUE(c.state().grouped);
  const auto& rows = c.view().rows;
  ASSERT_EQ(rows.size(), want.size());  // folded: group lines only
  double lastDown = 1e300;
  for (const ui::RowRef& r : rows) {
    ASSERT_NE(r.group, nullptr);
    EXPECT_NE(r.rec->id & ui::kGroupIdBit, 0u);
    const std::string name = nameOf(*r.rec);
    SCOPED_TRACE(name);
    const Sums& w = want.at(name);
    EXPECT_EQ(r.group->connections, w.conns);
    EXPECT_DOUBLE_EQ(r.rec->rateInBps, w.down);
    EXPECT_DOUBLE_EQ(r.rec->rateOutBps, w.up);
    EXPECT_EQ(r.rec->received.bytes, w.recv);
    EXPECT_EQ(r.rec->sent.bytes, w.sent);
    EXPECT_EQ(r.group->known, name != "-");
    // Groups follow the sort column's sums (Down, largest first).
    EXPECT_LE(r.rec->rateInBps, lastDown);
    lastDown = r.rec->rateInBps;
  }
  const std::string screen = c.render(kW, kH, {}).toText();
  EXPECT_NE(screen.find("\u25b8 chrome (7001) \u00b7 2 connections"), std::string::npos) << screen;
  EXPECT_NE(screen.find("- (unknown process) \u00b7 6 connections"), std::string::npos) << screen;
  typeKeys(c, "a");
  EXPECT_EQ(c.view().rows.size(), 13u);
  for (const ui::RowRef& r : c.view().rows) EXPECT_EQ(r.group, nullptr);
}

TEST(UiGrouping, FoldingKeysAndTheSelectionAcrossGroups) {
  ui::Controller c = sampleController();
  typeKeys(c, "a");
  const std::size_t groups = c.view().rows.size();
  selectGroup(c, "chrome");
  const std::uint64_t chrome = selected(c).rec->id;
  press(c, KeyCode::Enter);  // unfolds: no Details for a group line
  EXPECT_EQ(c.state().tab, ui::tabIndex("Overview"));
  ASSERT_EQ(c.view().rows.size(), groups + 2);
  EXPECT_EQ(selected(c).rec->id, chrome);
  // Its rows follow it, sorted within the group.
  const auto& rows = c.view().rows;
  const std::size_t at = c.state().selectedIndex;
  ASSERT_LT(at + 2, rows.size());
  EXPECT_EQ(nameOf(*rows[at + 1].rec), "chrome");
  EXPECT_EQ(nameOf(*rows[at + 2].rec), "chrome");
  EXPECT_GE(rows[at + 1].rec->rateInBps, rows[at + 2].rec->rateInBps);
  EXPECT_NE(rows[at + 3].group, nullptr);
  // Down into the group, Enter opens that connection's Details.
  press(c, KeyCode::Down);
  EXPECT_EQ(selected(c).group, nullptr);
  const std::uint64_t member = selected(c).rec->id;
  press(c, KeyCode::Enter);
  EXPECT_EQ(c.state().tab, ui::tabIndex("Details"));
  press(c, KeyCode::Escape);
  // The selection stays on its connection when the rows are rebuilt.
  c.rebuild();
  EXPECT_EQ(selected(c).rec->id, member);
  // Left on a row folds its group and selects the group line.
  press(c, KeyCode::Left);
  EXPECT_EQ(c.view().rows.size(), groups);
  EXPECT_EQ(selected(c).rec->id, chrome);
  press(c, KeyCode::Right);
  EXPECT_EQ(c.view().rows.size(), groups + 2);
  c.key(Key::character(U' '), kW, kH);
  EXPECT_EQ(c.view().rows.size(), groups);
  // The selection moves over every line, group lines included.
  typeKeys(c, "G");
  EXPECT_EQ(c.state().selectedIndex, groups - 1);
  EXPECT_NE(selected(c).group, nullptr);
  // Details of a group line: what it sums, not a connection.
  typeKeys(c, "2");
  const std::string details = c.render(kW, kH, {}).toText();
  EXPECT_NE(details.find("Process group: "), std::string::npos) << details;
  EXPECT_EQ(details.find("Connection #"), std::string::npos) << details;
  typeKeys(c, "1");
  // Copying a group line's "address" would be meaningless.
  typeKeys(c, "c");
  EXPECT_EQ(c.state().messageStyle, ui::Style::Error);
}

TEST(UiGrouping, TheFilterAppliesBeforeGrouping) {
  ui::Controller c = sampleController("proto:tcp");
  const auto want = sumsByProcess(c.view().rows);
  typeKeys(c, "a");
  ASSERT_EQ(c.view().rows.size(), want.size());
  for (const ui::RowRef& r : c.view().rows) {
    EXPECT_EQ(r.group->connections, want.at(nameOf(*r.rec)).conns) << nameOf(*r.rec);
    EXPECT_NE(nameOf(*r.rec), "systemd-resolve");  // its one connection is UDP
  }
  // Sorted by process name, the groups follow the names, the rows without one last.
  ui::Controller byName = sampleController();
  typeKeys(byName, "a");
  while (byName.state().sortColumn != Column::Process) typeKeys(byName, "s");
  const auto& rows = byName.view().rows;
  for (std::size_t i = 1; i + 1 < rows.size(); ++i) EXPECT_LT(nameOf(*rows[i - 1].rec), nameOf(*rows[i].rec));
  EXPECT_FALSE(rows.back().group->known);
}

// ---- ended connections ------------------------------------------------------------------

TEST(UiEndedView, TListsTheEndedRowsApartWithTheHistorysSize) {
  ui::Controller c = sampleController();
  for (const ui::RowRef& r : c.view().rows) EXPECT_FALSE(r.gone());
  typeKeys(c, "t");
  ASSERT_EQ(c.view().rows.size(), 1u);
  EXPECT_TRUE(c.view().rows.front().gone());
  EXPECT_EQ(c.view().rows.front().rec->id, sampleClosed().record.id);
  const std::string tabLine = c.render(kW, kH, {}).lineText(1);
  EXPECT_NE(tabLine.find("ended: 1 (cap 200,000)  1-1 of 1"), std::string::npos) << tabLine;
  typeKeys(c, "t");
  EXPECT_EQ(c.view().rows.size(), 13u);

  // A full history says what it forgot.
  ui::Controller small(ui::SourceInfo{"eth0", true}, ui::StoreConfig{2, core::Duration{}});
  for (std::uint64_t id = 1; id <= 3; ++id) {
    engine::ConnectionEvent e = sampleClosed();
    e.record.id = id;
    small.onEvent(std::move(e));
  }
  small.rebuild();
  small.key(Key::character(U't'), kW, kH);
  EXPECT_EQ(small.view().rows.size(), 2u);
  const std::string line = small.render(kW, kH, {}).lineText(1);
  EXPECT_NE(line.find("ended: 2 (cap 2), 1 forgotten"), std::string::npos) << line;
}

TEST(UiEndedView, OpenAtTheEndOfAFileStaysWithTheLiveRows) {
  ui::Controller c(ui::SourceInfo{"capture.pcap", false}, ui::StoreConfig{10, core::Duration{}});
  engine::ConnectionEvent e = sampleClosed();
  e.reason = track::EndReason::ForcedEnd;
  c.onEvent(std::move(e));
  c.rebuild();
  EXPECT_EQ(c.view().rows.size(), 1u);
  typeKeys(c, "t");
  EXPECT_TRUE(c.view().rows.empty());
  EXPECT_NE(c.render(kW, kH, {}).toText().find("No connection has ended yet"), std::string::npos);
}

// ---- RTT --------------------------------------------------------------------------------

TEST(UiRtt, CellAndSort) {
  EXPECT_EQ(ui::formatRtt(400'000), "0.4ms");
  EXPECT_EQ(ui::formatRtt(85'000'000), "85ms");
  EXPECT_EQ(ui::formatRtt(1'200'000'000), "1.2s");
  ui::Controller c = sampleController();
  while (c.state().sortColumn != Column::Rtt) typeKeys(c, "s");
  const auto& rows = c.view().rows;
  ASSERT_FALSE(rows.empty());
  EXPECT_EQ(rows.front().rec->id, 1u);  // the one with a measured handshake; unknown ones last
  EXPECT_EQ(ui::cellText(Column::Rtt, rows.front(), c.state(), 5, true), " 12ms");
  EXPECT_EQ(ui::cellText(Column::Rtt, rows.back(), c.state(), 5, true), "    -");
}

// ---- layout -----------------------------------------------------------------------------

std::vector<ui::PlacedColumn> layoutFor(const ui::Controller& c, int width) {
  return ui::layoutColumns(width, c.state().widthDelta, ui::measureColumns(c.view().rows, c.state()));
}
const ui::PlacedColumn* find(const std::vector<ui::PlacedColumn>& cols, Column col) {
  for (const auto& p : cols) {
    if (p.column == col) return &p;
  }
  return nullptr;
}

// The sample's rows plus one with the widest IPv4 endpoints: at common widths, no IPv4
// endpoint is cut, and Local (the case of the issue at 120) shows whole when shown.
TEST(UiLayout, AnIpv4EndpointIsNeverCut) {
  auto snap = sampleSnapshot();
  snap->rows.push_back(RecordBuilder(99, core::proto::kTcp, ep("192.168.100.200", 65535), ep("172.31.255.254", 65535))
                           .service("https")
                           .process(1234, "a-rather-long-process-name"));
  ui::Controller c(ui::SourceInfo{"eth0", true}, ui::StoreConfig{});
  c.setSnapshot(snap);
  c.rebuild();
  for (const int w : {80, 100, 120, 160}) {
    SCOPED_TRACE(w);
    const auto cols = layoutFor(c, w);
    int total = 0;
    for (const auto& p : cols) total = p.x + p.width;
    EXPECT_EQ(total, w);
    for (const Column addr : {Column::Local, Column::Remote}) {
      if (const auto* p = find(cols, addr)) {
        EXPECT_GE(p->width, 21);
      }
    }
    EXPECT_NE(find(cols, Column::Remote), nullptr);
    if (w >= 120) {
      EXPECT_NE(find(cols, Column::Local), nullptr);
    }
    const std::string screen = c.render(w, 24, {}).toText();
    EXPECT_NE(screen.find("172.31.255.254:65535"), std::string::npos) << screen;
    if (w >= 120) {
      EXPECT_NE(screen.find("192.168.100.200:65535"), std::string::npos) << screen;
    }
  }
}

// Blank space is given back before any text is cut: a column whose text is short shrinks
// to it (not below its title) while the addresses stay whole.
TEST(UiLayout, BlankSpaceGoesFirstAndProcessHidesEarlyWhenNoRowHasOne) {
  ui::ColumnNeeds needs;
  needs.known = true;
  needs.anyProcess = false;
  auto need = [&](Column c, int w) { needs.width[ui::columnIndex(c)] = w; };
  need(Column::Local, 21);
  need(Column::Remote, 21);
  need(Column::State, 11);
  need(Column::Service, 5);
  need(Column::App, 5);
  need(Column::Process, 1);
  const std::array<int, ui::kColumnCount> none{};
  const auto at120 = ui::layoutColumns(120, none, needs);
  EXPECT_EQ(find(at120, Column::Local)->width, 21);
  EXPECT_EQ(find(at120, Column::Remote)->width, 21);
  // Hiding: RTT first, then Process (a column of dashes), then Service.
  std::vector<Column> hidden;
  for (int w = 160; w >= 40; --w) {
    const auto cols = ui::layoutColumns(w, none, needs);
    for (Column col : {Column::Rtt, Column::Process, Column::Service, Column::App}) {
      if (find(cols, col) == nullptr && std::find(hidden.begin(), hidden.end(), col) == hidden.end()) {
        hidden.push_back(col);
      }
    }
  }
  ASSERT_GE(hidden.size(), 3u);
  EXPECT_EQ(hidden[0], Column::Rtt);
  EXPECT_EQ(hidden[1], Column::Process);
  EXPECT_EQ(hidden[2], Column::Service);
  // With processes, Service goes before Process.
  needs.anyProcess = true;
  need(Column::Process, 14);
  for (int w = 160; w >= 40; --w) {
    const auto cols = ui::layoutColumns(w, none, needs);
    if (find(cols, Column::Process) == nullptr) {
      EXPECT_EQ(find(cols, Column::Service), nullptr) << w;
      break;
    }
  }
}

// ---- header -----------------------------------------------------------------------------

// At 80 columns the header keeps what a glance needs: the rates, the packets and the drops,
// also for a file with a long name, drops, evictions and the process method.
TEST(UiHeader, At80KeepsRatesPacketsAndDrops) {
  for (const bool dropped : {false, true}) {
    ui::Controller c(ui::SourceInfo{"/var/tmp/captures/office-uplink-2024-05-01.pcapng", false}, ui::StoreConfig{});
    auto snap = sampleSnapshot();
    if (dropped) {
      snap->stats.capture.kernelDropped = 12'345;
      snap->stats.capture.ourDropped = 3;
      snap->stats.tracker.evicted = 4'567;
    }
    c.setSnapshot(snap);
    c.onEvent(sampleClosed());
    c.setProcessMethod("procfs");
    c.setSourceDone(std::nullopt);
    c.rebuild();
    const std::string header = c.render(80, 24, {}).lineText(0);
    SCOPED_TRACE(header);
    EXPECT_NE(header.find("\u2193"), std::string::npos);
    EXPECT_NE(header.find("123,456 pkts"), std::string::npos);
    EXPECT_NE(header.find(dropped ? "12,345" : "no drops"), std::string::npos);
    EXPECT_LE(ui::textWidth(header), 80);
  }
}

// The row position is for tabs with rows: not on Help.
TEST(UiHeader, TheRowPositionOnlyOnTabsWithRows) {
  ui::Controller c = sampleController();
  EXPECT_NE(c.render(kW, kH, {}).lineText(1).find("1-13 of 13"), std::string::npos);
  typeKeys(c, "h");
  EXPECT_EQ(c.render(kW, kH, {}).lineText(1).find(" of "), std::string::npos);
}

}  // namespace
}  // namespace rustnet::test
