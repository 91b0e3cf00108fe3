// The UI's pure parts one by one: text width and fitting, the frame, the column layout,
// the store's history, selection following a connection, every key binding, the clipboard
// sequence.
#include <gtest/gtest.h>

#include <algorithm>

#include "ui/clipboard.h"
#include "ui/columns.h"
#include "ui/format.h"
#include "ui/frame.h"
#include "ui/sample.h"
#include "ui/tabs.h"
#include "ui/text.h"
#include "ui/view.h"

namespace rustnet::test {
namespace {

using ui::Column;
using ui::Key;
using ui::KeyCode;
using ui::kTabs;

constexpr ui::TabIndex kOverview = ui::tabIndex("Overview");
constexpr ui::TabIndex kDetails = ui::tabIndex("Details");
constexpr ui::TabIndex kHelp = ui::tabIndex("Help");

constexpr int kW = 100;
constexpr int kH = 30;

void typeKeys(ui::Controller& c, std::string_view keys) {
  for (char ch : keys) c.key(Key::character(static_cast<unsigned char>(ch)), kW, kH);
}
void press(ui::Controller& c, KeyCode k) { c.key(Key::of(k), kW, kH); }
std::uint64_t selectedId(const ui::Controller& c) { return c.view().rows.at(c.state().selectedIndex).rec->id; }

// ---- text -------------------------------------------------------------------------------

TEST(UiText, Widths) {
  EXPECT_EQ(ui::textWidth("abc"), 3);
  EXPECT_EQ(ui::textWidth("\xe6\x97\xa5\xe6\x9c\xac"), 4);  // two CJK characters
  EXPECT_EQ(ui::charWidth(U'\u0301'), 0);                   // combining acute
  EXPECT_EQ(ui::charWidth(U'\u200b'), 0);                   // zero-width space
  EXPECT_EQ(ui::charWidth(0x1b), -1);
  EXPECT_EQ(ui::charWidth(0x9b), -1);  // C1 CSI
  EXPECT_EQ(ui::textWidth("\xff"), 1);  // invalid byte: one placeholder
}

TEST(UiText, FitEndAndMiddle) {
  EXPECT_EQ(ui::fitEnd("github.com", 20, "~"), "github.com");
  EXPECT_EQ(ui::fitEnd("github.com", 6, "~"), "githu~");
  EXPECT_EQ(ui::fitEnd("\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e", 4, "~"), "\xe6\x97\xa5~");  // no half character
  EXPECT_EQ(ui::fitMiddle("192.168.100.200:54321", 12, "~"), "192.16~54321");
  EXPECT_EQ(ui::textWidth(ui::fitMiddle("[2001:db8::1234:5678]:443", 15, "\u2026")), 15);
  EXPECT_EQ(ui::padLeft("7", 3, "~"), "  7");
  EXPECT_EQ(ui::padRight("7", 3, "~"), "7  ");
  EXPECT_EQ(ui::fitEnd("abc", 0, "~"), "");
}

TEST(UiText, Utf8RoundTrip) {
  std::string s;
  for (char32_t c : {U'a', U'\u00e9', U'\u2193', U'\U0001f600'}) ui::appendUtf8(s, c);
  std::size_t i = 0;
  EXPECT_EQ(ui::decodeUtf8(s, i), U'a');
  EXPECT_EQ(ui::decodeUtf8(s, i), U'\u00e9');
  EXPECT_EQ(ui::decodeUtf8(s, i), U'\u2193');
  EXPECT_EQ(ui::decodeUtf8(s, i), U'\U0001f600');
  EXPECT_EQ(i, s.size());
  std::string bad = "\xe2\x86";  // cut sequence
  i = 0;
  EXPECT_EQ(ui::decodeUtf8(bad, i), 0xfffdU);
}

TEST(UiFormat, Figures) {
  EXPECT_EQ(ui::formatRate(0), "0B/s");
  EXPECT_EQ(ui::formatRate(999), "999B/s");
  EXPECT_EQ(ui::formatRate(1'250'000), "1.2M/s");
  EXPECT_EQ(ui::formatRate(420'000), "420K/s");
  EXPECT_LE(ui::formatRate(999'949).size(), 7u);
  EXPECT_EQ(ui::formatCount(0), "0");
  EXPECT_EQ(ui::formatCount(13), "13");
  EXPECT_EQ(ui::formatCount(1234567), "1,234,567");
  EXPECT_EQ(ui::formatBytes(512), "512 B");
  EXPECT_EQ(ui::formatBytes(1536), "1.5 KiB (1,536)");
  EXPECT_EQ(ui::formatDuration(core::Duration::millis(850)), "850ms");
  EXPECT_EQ(ui::formatDuration(core::Duration::seconds(192)), "3m 12s");
  EXPECT_EQ(ui::formatDuration(core::Duration::seconds(90'000)), "1d 01h");
  EXPECT_EQ(ui::formatTime(core::Timestamp::fromNanos(kSampleNow * 1'000'000'000 + 5'000'000)),
            "2024-05-01 12:00:00.005 UTC");
}

TEST(UiFormat, ProcessNamesAreEscaped) {
  const engine::ConnectionRecord r =
      RecordBuilder(1, core::proto::kTcp, ep("192.0.2.1", 1), ep("192.0.2.2", 2)).process(7, "x\x1b]0;owned\x07");
  EXPECT_EQ(ui::processText(r), "x\\x1b]0;owned\\x07 (7)");
}

// ---- frame ------------------------------------------------------------------------------

TEST(UiFrame, PutClipsAndGuardsControls) {
  ui::Frame f(10, 2);
  EXPECT_EQ(f.put(0, 0, "hello world", ui::Style::Normal), 10);
  EXPECT_EQ(f.lineText(0), "hello worl");
  f.put(0, 1, "a\x1b" "b", ui::Style::Normal);
  EXPECT_EQ(f.lineText(1), "a?b");
  EXPECT_EQ(f.put(5, 5, "x", ui::Style::Normal), 0);  // outside: ignored
}

TEST(UiFrame, WideCharacters) {
  ui::Frame f(5, 1);
  f.put(0, 0, "ab\xe6\x97\xa5\xe6\x9c\xac", ui::Style::Normal);  // 2 + 4 columns into 5
  EXPECT_EQ(f.lineText(0), "ab\xe6\x97\xa5");
  EXPECT_EQ(f.at(3, 0).ch, 0U);  // right half
  f.put(3, 0, "x", ui::Style::Normal);  // overwrite the right half: the left half goes
  EXPECT_EQ(f.lineText(0), "ab x");
}

// ---- columns ----------------------------------------------------------------------------

int totalWidth(const std::vector<ui::PlacedColumn>& cols) {
  return cols.empty() ? 0 : cols.back().x + cols.back().width;
}
bool shows(const std::vector<ui::PlacedColumn>& cols, Column c) {
  return std::any_of(cols.begin(), cols.end(), [&](const auto& p) { return p.column == c; });
}

TEST(UiColumns, FillTheWidthAndHideInOrder) {
  const std::array<int, ui::kColumnCount> none{};
  for (int w : {30, 40, 60, 80, 100, 120, 160, 250}) {
    const auto cols = ui::layoutColumns(w, none);
    EXPECT_EQ(totalWidth(cols), w) << w;
    EXPECT_TRUE(shows(cols, Column::Remote)) << w;
  }
  const auto wide = ui::layoutColumns(160, none);
  EXPECT_EQ(wide.size(), ui::kColumnCount);
  const auto at80 = ui::layoutColumns(80, none);
  EXPECT_FALSE(shows(at80, Column::Service));
  EXPECT_FALSE(shows(at80, Column::Local));
  EXPECT_TRUE(shows(at80, Column::Process));
  EXPECT_TRUE(shows(at80, Column::Down));
  EXPECT_FALSE(shows(at80, Column::Recv));
  // Every column fits in 135; below that the Trend goes first, then RTT (126), then (every
  // other column fits in 120) Service, then the totals, which always show or hide together.
  EXPECT_EQ(ui::layoutColumns(135, none).size(), ui::kColumnCount);
  EXPECT_FALSE(shows(ui::layoutColumns(134, none), Column::Trend));
  EXPECT_EQ(ui::layoutColumns(126, none).size(), ui::kColumnCount - 1);
  EXPECT_FALSE(shows(ui::layoutColumns(125, none), Column::Rtt));
  EXPECT_EQ(ui::layoutColumns(120, none).size(), ui::kColumnCount - 2);
  const auto at119 = ui::layoutColumns(119, none);
  EXPECT_FALSE(shows(at119, Column::Service));
  EXPECT_TRUE(shows(at119, Column::Recv));
  EXPECT_TRUE(shows(at119, Column::Sent));
  EXPECT_FALSE(shows(ui::layoutColumns(105, none), Column::Recv));
  for (int w = 20; w <= 250; ++w) {
    const auto cols = ui::layoutColumns(w, none);
    EXPECT_EQ(shows(cols, Column::Recv), shows(cols, Column::Sent)) << w;
  }
  const auto at40 = ui::layoutColumns(40, none);
  EXPECT_TRUE(shows(at40, Column::App));
  EXPECT_FALSE(shows(at40, Column::State));
}

TEST(UiColumns, AdjustmentsChangeWidths) {
  std::array<int, ui::kColumnCount> d{};
  auto width = [&](Column c) {
    for (const auto& p : ui::layoutColumns(160, d)) {
      if (p.column == c) return p.width;
    }
    return 0;
  };
  const int remote = width(Column::Remote);
  const int state = width(Column::State);
  d[ui::columnIndex(Column::Remote)] = 10;
  EXPECT_GT(width(Column::Remote), remote);
  d[ui::columnIndex(Column::State)] = -6;
  EXPECT_EQ(width(Column::State), state - 6);
}

// ---- store ------------------------------------------------------------------------------

engine::ConnectionEvent closedEvent(std::uint64_t id, std::int64_t whenSec, track::EndReason why) {
  engine::ConnectionEvent e;
  e.kind = engine::ConnectionEvent::Kind::Closed;
  e.reason = why;
  e.when = core::Timestamp::fromNanos(whenSec * 1'000'000'000);
  e.record = RecordBuilder(id, core::proto::kUdp, ep("192.0.2.1", 1000 + static_cast<std::uint16_t>(id)),
                           ep("192.0.2.2", 53));
  return e;
}

TEST(UiStore, EventsWinOverOlderSnapshots) {
  ui::ConnectionStore store(ui::StoreConfig{10, core::Duration{}});
  store.setSnapshot(sampleSnapshot());  // holds id 1 as live
  store.onEvent(closedEvent(1, kSampleNow + 1, track::EndReason::IdleTimeout));
  const auto rows = store.rows();
  EXPECT_EQ(std::count_if(rows.begin(), rows.end(), [](const ui::RowRef& r) { return r.rec->id == 1; }), 1);
  const auto it = std::find_if(rows.begin(), rows.end(), [](const ui::RowRef& r) { return r.rec->id == 1; });
  ASSERT_NE(it->end, nullptr);
  EXPECT_TRUE(it->gone());
}

TEST(UiStore, HistoryIsCappedAndCounted) {
  ui::ConnectionStore store(ui::StoreConfig{3, core::Duration{}});
  for (std::uint64_t id = 1; id <= 5; ++id) store.onEvent(closedEvent(id, kSampleNow, track::EndReason::Closed));
  EXPECT_EQ(store.historySize(), 3u);
  EXPECT_EQ(store.historyDropped(), 2u);
  EXPECT_EQ(store.rows().front().rec->id, 3u);  // the oldest went first
}

TEST(UiStore, LiveHistoryAgesOut) {
  ui::ConnectionStore store(ui::StoreConfig{100, core::Duration::seconds(60)});
  store.onEvent(closedEvent(1, kSampleNow, track::EndReason::Closed));
  store.onEvent(closedEvent(2, kSampleNow + 30, track::EndReason::Closed));
  store.onEvent(closedEvent(3, kSampleNow + 90, track::EndReason::Closed));
  EXPECT_EQ(store.historySize(), 2u);
  EXPECT_EQ(store.historyDropped(), 0u);  // forgetting by age is not a loss
}

TEST(UiStore, ForcedEndIsNotGone) {
  ui::ConnectionStore store;
  store.onEvent(closedEvent(1, kSampleNow, track::EndReason::ForcedEnd));
  EXPECT_FALSE(store.rows().front().gone());
}

// ---- controller: sorting, filtering, selection --------------------------------------------

TEST(UiController, DefaultSortIsDownRateDescending) {
  ui::Controller c = sampleController();
  const auto& rows = c.view().rows;
  ASSERT_EQ(rows.size(), 13u);  // the live ones: the ended one is behind `t`
  for (std::size_t i = 1; i < rows.size(); ++i) EXPECT_GE(rows[i - 1].rec->rateInBps, rows[i].rec->rateInBps);
  EXPECT_EQ(rows.front().rec->id, 1u);
}

TEST(UiController, SelectionFollowsTheConnectionWhenRowsMove) {
  ui::Controller c = sampleController();
  press(c, KeyCode::Down);
  press(c, KeyCode::Down);
  const std::uint64_t id = selectedId(c);
  // The next snapshot: the selected connection got busy and moves to the top.
  auto snap = sampleSnapshot();
  for (auto& r : snap->rows) {
    if (r.id == id) r.rateInBps = 1e9;
  }
  c.setSnapshot(snap);
  c.rebuild();
  EXPECT_EQ(c.state().selectedIndex, 0u);
  EXPECT_EQ(selectedId(c), id);
}

TEST(UiController, SelectionStaysInPlaceWhenItsRowLeaves) {
  ui::Controller c = sampleController();
  press(c, KeyCode::Down);
  press(c, KeyCode::Down);
  const std::uint64_t gone = selectedId(c);
  auto snap = sampleSnapshot();
  std::erase_if(snap->rows, [&](const engine::ConnectionRecord& r) { return r.id == gone; });
  c.setSnapshot(snap);
  c.rebuild();
  EXPECT_EQ(c.state().selectedIndex, 2u);
  EXPECT_NE(selectedId(c), gone);
}

TEST(UiController, FilterModeFiltersLiveAndArrowsStillMove) {
  ui::Controller c = sampleController();
  typeKeys(c, "/proto:tc");
  EXPECT_TRUE(c.state().filterEditing);
  EXPECT_EQ(c.view().rows.size(), 0u);  // protocols match whole: "tc" is none
  typeKeys(c, "p");
  const std::size_t tcp = c.view().rows.size();
  EXPECT_EQ(tcp, 7u);  // live ones
  press(c, KeyCode::Down);
  EXPECT_EQ(c.state().selectedIndex, 1u);
  EXPECT_TRUE(c.state().filterEditing);
  typeKeys(c, "jk");  // letters are text while typing
  EXPECT_EQ(c.state().filterText, "proto:tcpjk");
  press(c, KeyCode::Backspace);
  press(c, KeyCode::Backspace);
  press(c, KeyCode::Enter);
  EXPECT_FALSE(c.state().filterEditing);
  EXPECT_EQ(c.view().rows.size(), tcp);
  press(c, KeyCode::Escape);  // on the overview, Esc clears the filter
  EXPECT_TRUE(c.state().filterText.empty());
  EXPECT_EQ(c.view().rows.size(), 13u);
}

TEST(UiController, EscWhileTypingClearsAndLeaves) {
  ui::Controller c = sampleController();
  typeKeys(c, "/ssh");
  EXPECT_EQ(c.view().rows.size(), 1u);
  press(c, KeyCode::Escape);
  EXPECT_FALSE(c.state().filterEditing);
  EXPECT_EQ(c.view().rows.size(), 13u);
}

TEST(UiController, FilterEditingKeys) {
  ui::Controller c = sampleController();
  typeKeys(c, "/proto:tcp dport:443");
  press(c, KeyCode::CtrlW);
  EXPECT_EQ(c.state().filterText, "proto:tcp ");
  press(c, KeyCode::CtrlU);
  EXPECT_EQ(c.state().filterText, "");
  c.key(Key::character(U'\u00e9'), kW, kH);
  press(c, KeyCode::Backspace);  // removes the whole two-byte character
  EXPECT_EQ(c.state().filterText, "");
}

TEST(UiController, InitialFilterFromTheCommandLine) {
  ui::Controller c = sampleController("dport:22 ssh:openssh");
  ASSERT_EQ(c.view().rows.size(), 1u);
  EXPECT_EQ(c.view().rows[0].rec->id, 2u);
  EXPECT_FALSE(c.state().filterEditing);
}

TEST(UiController, Navigation) {
  ui::Controller c = sampleController();
  press(c, KeyCode::PageDown);
  EXPECT_EQ(c.state().selectedIndex, 10u);
  press(c, KeyCode::PageDown);
  EXPECT_EQ(c.state().selectedIndex, 12u);
  press(c, KeyCode::PageUp);
  EXPECT_EQ(c.state().selectedIndex, 2u);
  typeKeys(c, "G");
  EXPECT_EQ(c.state().selectedIndex, 12u);
  typeKeys(c, "g");
  EXPECT_EQ(c.state().selectedIndex, 0u);
  typeKeys(c, "jjk");
  EXPECT_EQ(c.state().selectedIndex, 1u);
  press(c, KeyCode::Up);
  press(c, KeyCode::Up);
  EXPECT_EQ(c.state().selectedIndex, 0u);
}

TEST(UiController, ScrollKeepsTheSelectionVisible) {
  ui::Controller c = sampleController();
  const int h = 8;  // four table rows
  c.resize(h);
  for (int i = 0; i < 6; ++i) c.key(Key::of(KeyCode::Down), kW, h);
  EXPECT_EQ(c.state().selectedIndex, 6u);
  EXPECT_EQ(c.state().scroll, 3u);
  c.key(Key::character(U'g'), kW, h);
  EXPECT_EQ(c.state().scroll, 0u);
}

TEST(UiController, TabsEnterEscAndHelp) {
  ui::Controller c = sampleController();
  press(c, KeyCode::Enter);
  EXPECT_EQ(c.state().tab, kDetails);
  press(c, KeyCode::Escape);
  EXPECT_EQ(c.state().tab, kOverview);
  press(c, KeyCode::Tab);
  EXPECT_EQ(c.state().tab, kDetails);
  for (ui::TabIndex next = kDetails + 1; next <= kHelp; ++next) {  // every entry, Help last
    press(c, KeyCode::Tab);
    EXPECT_EQ(c.state().tab, next);
  }
  press(c, KeyCode::Tab);
  EXPECT_EQ(c.state().tab, kOverview);
  press(c, KeyCode::BackTab);
  EXPECT_EQ(c.state().tab, kHelp);
  press(c, KeyCode::Enter);  // Enter opens details from the overview only
  EXPECT_EQ(c.state().tab, kHelp);
  typeKeys(c, "h");
  EXPECT_EQ(c.state().tab, kOverview);
  press(c, KeyCode::Enter);
  typeKeys(c, "h");
  EXPECT_EQ(c.state().tab, kHelp);
  press(c, KeyCode::Escape);  // back where help was opened from
  EXPECT_EQ(c.state().tab, kDetails);
  typeKeys(c, "/");  // filtering is about the table
  EXPECT_EQ(c.state().tab, kOverview);
  EXPECT_TRUE(c.state().filterEditing);
}

TEST(UiController, DetailsArrowsMoveAndPagesScroll) {
  ui::Controller c = sampleController();
  const int h = 16;
  c.resize(h);
  c.key(Key::of(KeyCode::Enter), kW, h);
  c.key(Key::of(KeyCode::Down), kW, h);
  EXPECT_EQ(c.state().selectedIndex, 1u);
  c.key(Key::of(KeyCode::PageDown), kW, h);
  EXPECT_EQ(c.state().selectedIndex, 1u);
  EXPECT_GT(c.state().textScroll[kDetails], 0);
  c.key(Key::of(KeyCode::Down), kW, h);  // another connection: back to its top
  EXPECT_EQ(c.state().textScroll[kDetails], 0);
}

// ---- the tab table ----------------------------------------------------------------------

// The body of a screen: everything between the tab line and the status line.
std::string bodyText(const ui::Frame& f) {
  std::string out;
  for (int y = 2; y < f.height() - 1; ++y) out += f.lineText(y) + "\n";
  return out;
}

TEST(UiTabs, NumberKeysSwitchTabs) {
  ui::Controller c = sampleController();
  typeKeys(c, "2");
  EXPECT_EQ(c.state().tab, kDetails);
  typeKeys(c, "2");  // again: stays
  EXPECT_EQ(c.state().tab, kDetails);
  typeKeys(c, "1");
  EXPECT_EQ(c.state().tab, kOverview);
  typeKeys(c, "j2");  // the details of the row moved to
  EXPECT_EQ(c.state().tab, kDetails);
  EXPECT_EQ(c.state().selectedIndex, 1u);
  typeKeys(c, "h1");  // a number leaves Help too
  EXPECT_EQ(c.state().tab, kOverview);
  typeKeys(c, "2h2");
  EXPECT_EQ(c.state().tab, kDetails);
  typeKeys(c, "/2");  // while a filter is typed, a digit is text
  EXPECT_EQ(c.state().tab, kOverview);
  EXPECT_EQ(c.state().filterText, "2");
}

TEST(UiTabs, TabAndShiftTabCycleThroughEveryEntry) {
  ui::Controller c = sampleController();
  std::vector<ui::TabIndex> forward;
  std::vector<ui::TabIndex> backward;
  std::vector<ui::TabIndex> inOrder;
  for (std::size_t i = 0; i < kTabs.size(); ++i) {
    inOrder.push_back(i);
    forward.push_back(c.state().tab);
    press(c, KeyCode::Tab);
  }
  EXPECT_EQ(c.state().tab, kOverview);  // round to the start
  for (std::size_t i = 0; i < kTabs.size(); ++i) {
    press(c, KeyCode::BackTab);
    backward.push_back(c.state().tab);
  }
  EXPECT_EQ(forward, inOrder);
  std::reverse(backward.begin(), backward.end());
  EXPECT_EQ(backward, inOrder);
}

// Every entry of the table: its keys reach it from every other tab, it names itself on the
// tab line, draws a body of its own and offers its keys in the status line.
TEST(UiTabs, EveryEntryIsReachableAndDrawsItsOwnScreen) {
  std::vector<std::string> bodies;
  for (std::size_t i = 0; i < kTabs.size(); ++i) {
    const ui::TabSpec& t = kTabs[i];
    SCOPED_TRACE(std::string(t.name));
    ASSERT_FALSE(t.keys.empty());
    for (const char32_t key : t.keys) {
      for (std::size_t from = 0; from < kTabs.size(); ++from) {
        if (from == i) continue;
        ui::Controller c = sampleController();
        c.state().tab = from;
        c.key(Key::character(key), kW, kH);
        EXPECT_EQ(c.state().tab, i) << "from " << kTabs[from].name;
      }
    }
    ui::Controller c = sampleController();
    c.key(Key::character(t.keys.front()), kW, kH);
    const ui::Frame f = c.render(kW, kH, {});
    const std::string tabLine = f.lineText(1) + " ";  // the line's trailing blanks are cut
    const std::size_t at = tabLine.find(" " + std::string(t.name) + " ");
    ASSERT_NE(at, std::string::npos) << tabLine;
    EXPECT_EQ(f.at(static_cast<int>(at) + 1, 1).style, ui::Style::TabActive);
    const std::string body = bodyText(f);
    EXPECT_NE(body.find_first_not_of(" \n"), std::string::npos) << "an empty body";
    for (const std::string& other : bodies) EXPECT_NE(body, other) << "the same body as another tab";
    bodies.push_back(body);
    ASSERT_FALSE(t.hints.empty());
    EXPECT_NE(f.lineText(kH - 1).find(t.hints.back().what), std::string::npos) << f.lineText(kH - 1);
  }
}

TEST(UiTabs, OverlayGoesBackWhereItWasOpened) {
  ui::Controller c = sampleController();
  typeKeys(c, "2");
  // Tab cycles on from Details until Help opens over the entry before it.
  const ui::TabIndex beforeHelp = kHelp - 1;
  while (c.state().tab != beforeHelp) press(c, KeyCode::Tab);
  press(c, KeyCode::Tab);
  EXPECT_EQ(c.state().tab, kHelp);
  press(c, KeyCode::Escape);
  EXPECT_EQ(c.state().tab, beforeHelp);
  typeKeys(c, "2hh");
  EXPECT_EQ(c.state().tab, kDetails);
  press(c, KeyCode::Escape);  // from any other tab, Esc goes to the first
  EXPECT_EQ(c.state().tab, kOverview);
}

TEST(UiTabs, TextTabsScrollAndTheOverviewMoves) {
  ui::Controller c = sampleController();
  const int h = 12;
  c.resize(h);
  typeKeys(c, "h");
  c.key(Key::of(KeyCode::Down), kW, h);
  c.key(Key::of(KeyCode::PageDown), kW, h);
  EXPECT_EQ(c.state().textScroll[kHelp], 11);
  EXPECT_EQ(c.state().selectedIndex, 0u);
  EXPECT_EQ(c.render(kW, h, {}).lineText(2).find("Keys"), std::string::npos);  // scrolled past the title
  c.key(Key::of(KeyCode::Escape), kW, h);
  c.key(Key::of(KeyCode::PageDown), kW, h);
  EXPECT_EQ(c.state().selectedIndex, 10u);
  EXPECT_EQ(c.state().textScroll[kHelp], 11);  // Help keeps its place
  // A bad index (the state is public) draws the first tab rather than reading past the table.
  c.state().tab = 1000;
  EXPECT_NE(c.render(kW, h, {}).lineText(2).find("Proto"), std::string::npos);
}

TEST(UiTabs, BracketsCycleAsTabAndShiftTab) {
  ui::Controller c = sampleController();
  for (std::size_t i = 1; i <= kTabs.size(); ++i) {
    typeKeys(c, "]");
    EXPECT_EQ(c.state().tab, i % kTabs.size());
  }
  typeKeys(c, "[");
  EXPECT_EQ(c.state().tab, kTabs.size() - 1);
  typeKeys(c, "[");
  EXPECT_EQ(c.state().tab, kTabs.size() - 2);
}

TEST(UiTabs, AKeyWithNoMeaningSaysSo) {
  ui::Controller c = sampleController();
  typeKeys(c, "x");
  EXPECT_EQ(c.state().message, "x does nothing on the Overview tab (h: help)");
  typeKeys(c, "2");
  press(c, KeyCode::Left);
  EXPECT_EQ(c.state().message, "Left does nothing on the Details tab (h: help)");
  EXPECT_NE(c.render(kW, kH, {}).lineText(kH - 1).find("Left does nothing"), std::string::npos);
  typeKeys(c, "1");  // a key that does something leaves the message as it is: it expires
  EXPECT_EQ(c.state().tab, kOverview);
  // While a filter is typed every character is text, never "nothing".
  typeKeys(c, "/x");
  EXPECT_EQ(c.state().filterText, "x");
}

TEST(UiHelp, OpensWithTheSectionOfTheTabItWasOpenedOver) {
  ui::Controller c = sampleController();
  typeKeys(c, "2h");
  const ui::Frame f = c.render(kW, kH, {});
  EXPECT_EQ(f.lineText(2), " This tab: Details");
  const std::string body = bodyText(f);
  EXPECT_NE(body.find("flip to the previous or next"), std::string::npos) << body;
  EXPECT_LT(body.find("This tab: Details"), body.find("Keys"));
  typeKeys(c, "h1h");
  EXPECT_EQ(c.render(kW, kH, {}).lineText(2), " This tab: Overview");
  // Every tab but the overlay has its text.
  for (const ui::TabSpec& t : kTabs) EXPECT_FALSE(t.about.empty()) << t.name;
}

// ---- mouse -------------------------------------------------------------------------------

void mouse(ui::Controller& c, ui::MouseKind m, int x, int y) { c.key(Key::mouseAt(m, x, y), kW, kH); }

TEST(UiMouse, ClickOnATabNameOpensIt) {
  ui::Controller c = sampleController();
  const std::string tabLine = c.render(kW, kH, {}).lineText(ui::kTabLine);
  for (std::size_t i = 0; i < kTabs.size(); ++i) {
    const int x = static_cast<int>(tabLine.find(std::string(kTabs[i].name)));
    ASSERT_GE(x, 0);
    c.state().tab = 0;
    mouse(c, ui::MouseKind::Click, x + 1, ui::kTabLine);
    EXPECT_EQ(c.state().tab, i) << kTabs[i].name;
  }
  c.state().tab = kOverview;
  mouse(c, ui::MouseKind::Click, kW - 2, ui::kTabLine);  // beyond the names: nothing
  EXPECT_EQ(c.state().tab, kOverview);
}

TEST(UiMouse, ClickSelectsTheRowUnderItAndDoubleClickOpensIt) {
  ui::Controller c = sampleController();
  const ui::Frame before = c.render(kW, kH, {});
  mouse(c, ui::MouseKind::Click, 10, ui::kTableFirstRow + 3);
  EXPECT_EQ(c.state().selectedIndex, 3u);
  const ui::Frame after = c.render(kW, kH, {});
  EXPECT_EQ(after.at(0, ui::kTableFirstRow + 3).style, ui::Style::Selected);
  EXPECT_EQ(after.lineText(ui::kTableFirstRow + 3), before.lineText(ui::kTableFirstRow + 3));  // no scroll
  EXPECT_EQ(c.state().tab, kOverview);
  // The column titles and the lines below the last row select nothing.
  mouse(c, ui::MouseKind::Click, 10, ui::kTabTop);
  mouse(c, ui::MouseKind::Click, 10, kH - 2);
  EXPECT_EQ(c.state().selectedIndex, 3u);
  mouse(c, ui::MouseKind::DoubleClick, 10, ui::kTableFirstRow + 1);
  EXPECT_EQ(c.state().tab, kDetails);
  EXPECT_EQ(c.state().selectedIndex, 1u);
  EXPECT_EQ(selectedId(c), c.view().rows.at(1).rec->id);
  // A click while typing a filter keeps the filter and leaves the typing.
  typeKeys(c, "1/tcp");
  mouse(c, ui::MouseKind::Click, 10, ui::kTableFirstRow);
  EXPECT_FALSE(c.state().filterEditing);
  EXPECT_EQ(c.state().filterText, "tcp");
}

TEST(UiMouse, TheWheelMovesTheSelectionOrScrollsText) {
  ui::Controller c = sampleController();
  mouse(c, ui::MouseKind::WheelDown, 5, 5);
  EXPECT_EQ(c.state().selectedIndex, 3u);
  mouse(c, ui::MouseKind::WheelUp, 5, 5);
  EXPECT_EQ(c.state().selectedIndex, 0u);
  typeKeys(c, "h");
  c.resize(12);
  c.key(Key::mouseAt(ui::MouseKind::WheelDown, 5, 5), kW, 12);
  EXPECT_EQ(c.state().textScroll[kHelp], 3);
  EXPECT_EQ(c.state().selectedIndex, 0u);
}

TEST(UiController, QuitNeedsTwoPresses) {
  ui::Controller c = sampleController();
  ui::Action a = c.key(Key::character(U'q'), kW, kH);
  EXPECT_FALSE(a.quit);
  EXPECT_TRUE(c.state().quitPending);
  EXPECT_NE(c.render(kW, kH, {}).lineText(kH - 1).find("q again"), std::string::npos);
  a = c.key(Key::character(U'j'), kW, kH);  // anything else cancels
  EXPECT_FALSE(c.state().quitPending);
  EXPECT_TRUE(c.state().message.empty());
  c.key(Key::character(U'q'), kW, kH);
  a = c.key(Key::character(U'q'), kW, kH);
  EXPECT_TRUE(a.quit);
  EXPECT_TRUE(c.key(Key::of(KeyCode::CtrlC), kW, kH).quit);
}

TEST(UiController, CopyGivesTheRemoteEndpoint) {
  ui::Controller c = sampleController();
  ui::Action a = c.key(Key::character(U'c'), kW, kH);
  ASSERT_TRUE(a.copy);
  EXPECT_EQ(*a.copy, "140.82.121.4:443");
  typeKeys(c, "/nothing-at-all");
  press(c, KeyCode::Enter);
  a = c.key(Key::character(U'c'), kW, kH);
  EXPECT_FALSE(a.copy);
  EXPECT_EQ(c.state().messageStyle, ui::Style::Error);
}

TEST(UiController, PortsToggle) {
  ui::Controller c = sampleController();
  const ui::RowRef& first = c.view().rows.front();
  EXPECT_EQ(ui::cellText(Column::Service, first, c.state(), 8, true), "https   ");
  typeKeys(c, "p");
  EXPECT_TRUE(c.state().showPorts);
  EXPECT_EQ(ui::cellText(Column::Service, first, c.state(), 8, true), "443     ");
}

TEST(UiController, SortKeys) {
  ui::Controller c = sampleController();
  typeKeys(c, "s");  // Up rate, largest first
  EXPECT_EQ(c.state().sortColumn, Column::Up);
  EXPECT_TRUE(c.state().sortDescending);
  EXPECT_EQ(c.view().rows.front().rec->id, 1u);
  typeKeys(c, "sss");  // Recv, Sent: totals, largest first; then Proto
  EXPECT_EQ(c.state().sortColumn, Column::Proto);
  typeKeys(c, "ss");  // Local, Remote: alphabetical / address order
  EXPECT_EQ(c.state().sortColumn, Column::Remote);
  EXPECT_FALSE(c.state().sortDescending);
  const auto& rows = c.view().rows;
  for (std::size_t i = 1; i < rows.size(); ++i) EXPECT_LE(rows[i - 1].rec->remote, rows[i].rec->remote);
  typeKeys(c, "S");
  EXPECT_TRUE(c.state().sortDescending);
  EXPECT_GE(c.view().rows.front().rec->remote, c.view().rows.back().rec->remote);
  typeKeys(c, "sss");  // App: named applications first
  EXPECT_EQ(c.state().sortColumn, Column::App);
  EXPECT_NE(c.view().rows.front().rec->dpi, nullptr);
  EXPECT_EQ(c.view().rows.back().rec->dpi, nullptr);
}

TEST(UiController, TotalsColumnsShowAndSortByBytesSinceStart) {
  ui::Controller c = sampleController();
  typeKeys(c, "ss");  // Recv: bytes received, largest first
  EXPECT_EQ(c.state().sortColumn, Column::Recv);
  EXPECT_TRUE(c.state().sortDescending);
  const auto& recv = c.view().rows;
  EXPECT_EQ(recv.front().rec->id, 1u);  // 3.4 MB received
  for (std::size_t i = 1; i < recv.size(); ++i) EXPECT_GE(recv[i - 1].rec->received.bytes, recv[i].rec->received.bytes);
  EXPECT_EQ(ui::cellText(Column::Recv, recv.front(), c.state(), 5, true), " 3.4M");
  typeKeys(c, "s");  // Sent: the QUIC row's 120 kB beats github's 90 kB
  EXPECT_EQ(c.state().sortColumn, Column::Sent);
  const auto& sent = c.view().rows;
  EXPECT_EQ(sent.front().rec->id, 4u);
  for (std::size_t i = 1; i < sent.size(); ++i) EXPECT_GE(sent[i - 1].rec->sent.bytes, sent[i].rec->sent.bytes);
  EXPECT_EQ(ui::cellText(Column::Sent, sent.front(), c.state(), 5, true), " 120K");
  typeKeys(c, "S");
  EXPECT_LE(c.view().rows.front().rec->sent.bytes, c.view().rows.back().rec->sent.bytes);
  // Wide enough, both titles are on screen and the sorted one carries the arrow.
  const ui::Frame f = c.render(160, 30, {});
  const std::string header = f.lineText(2);
  EXPECT_NE(header.find("Recv"), std::string::npos) << header;
  EXPECT_NE(header.find("Sent\u25b2"), std::string::npos) << header;
}

TEST(UiFormat, TotalsAreCompact) {
  EXPECT_EQ(ui::formatTotal(0), "0B");
  EXPECT_EQ(ui::formatTotal(999), "999B");
  EXPECT_EQ(ui::formatTotal(1'000), "1.0K");
  EXPECT_EQ(ui::formatTotal(12'345), "12.3K");
  EXPECT_EQ(ui::formatTotal(999'499), "999K");
  EXPECT_EQ(ui::formatTotal(3'400'000), "3.4M");
  EXPECT_EQ(ui::formatTotal(~std::uint64_t{0}), "18.4E");  // the column's 5 suffice
}

TEST(UiController, ColumnWidthKeys) {
  ui::Controller c = sampleController();
  typeKeys(c, "}");
  EXPECT_EQ(c.state().focusColumn, Column::Process);
  typeKeys(c, ">>");
  EXPECT_EQ(c.state().widthDelta[ui::columnIndex(Column::Process)], 2 * ui::kWidthStep);
  for (int i = 0; i < 100; ++i) typeKeys(c, "<");
  EXPECT_EQ(c.state().widthDelta[ui::columnIndex(Column::Process)], -ui::kMaxWidthDelta);
  typeKeys(c, "=");
  EXPECT_EQ(c.state().widthDelta[ui::columnIndex(Column::Process)], 0);
}

TEST(UiController, SelectedAndEndedRowsAreStyled) {
  ui::Controller c = sampleController();
  const ui::Frame f = c.render(160, 30, {});
  EXPECT_EQ(f.at(0, 3).style, ui::Style::Selected);  // the first table row
  EXPECT_EQ(f.at(0, 4).style, ui::Style::Normal);
  for (int y = 3; y < 30; ++y) EXPECT_EQ(f.lineText(y).find("151.101.1.69"), std::string::npos) << "ended, behind t";
  typeKeys(c, "t");
  const ui::Frame ended = c.render(160, 30, {});
  EXPECT_NE(ended.lineText(3).find("151.101.1.69"), std::string::npos) << ended.toText();
  EXPECT_EQ(ended.at(0, 3).style, ui::Style::SelectedEnded);
  EXPECT_EQ(ended.lineText(4).find_first_not_of(' '), std::string::npos) << "the only ended row";
}

TEST(UiController, HeaderShowsDropsAsAlert) {
  ui::Controller c = sampleController();
  auto snap = sampleSnapshot();
  snap->stats.capture.kernelDropped = 12;
  snap->stats.capture.ourDropped = 3;
  c.setSnapshot(snap);
  c.rebuild();
  const ui::Frame f = c.render(160, 30, {});
  const std::string header = f.lineText(0);
  const auto at = header.find("dropped: kernel 12, ours 3");
  ASSERT_NE(at, std::string::npos) << header;
}

TEST(UiController, HeaderNamesTheProcessMethodWhenThereIsRoom) {
  ui::Controller c = sampleController();
  c.setProcessMethod("sock_diag");
  EXPECT_NE(c.render(160, 30, {}).lineText(0).find("processes: sock_diag"), std::string::npos);
  EXPECT_EQ(c.render(80, 24, {}).lineText(0).find("processes"), std::string::npos);
  c.setProcessMethod("off");
  EXPECT_EQ(c.render(160, 30, {}).lineText(0).find("processes"), std::string::npos);
}

TEST(UiController, EndOfFileAndErrorsInTheHeader) {
  ui::Controller c(ui::SourceInfo{"capture.pcap", false}, ui::StoreConfig{}, "");
  c.setSourceDone(std::string("truncated record"));
  c.rebuild();
  const std::string header = c.render(160, 30, {}).lineText(0);
  EXPECT_NE(header.find("capture.pcap (file, at its end)"), std::string::npos) << header;
  EXPECT_NE(header.find("error: truncated record"), std::string::npos) << header;
  EXPECT_NE(c.render(160, 30, {}).toText().find("No connections were seen."), std::string::npos);
}

// ---- clipboard --------------------------------------------------------------------------

TEST(UiClipboard, Osc52) {
  EXPECT_EQ(ui::osc52("1.2.3.4:443"), "\x1b]52;c;MS4yLjMuNDo0NDM=\x07");
  EXPECT_EQ(ui::osc52("ab"), "\x1b]52;c;YWI=\x07");
  EXPECT_EQ(ui::osc52("abc"), "\x1b]52;c;YWJj\x07");
  EXPECT_EQ(ui::osc52(""), "\x1b]52;c;\x07");
}

// ---- what the capture could not read, and what NFLOG said ---------------------------------

TEST(UiHeader, NamesAnUnsupportedLinkTypeAndHowManyFramesWereSkipped) {
  ui::Controller c = sampleController();
  const std::string before = c.render(200, kH, {}).lineText(0);
  EXPECT_EQ(before.find("skipped"), std::string::npos) << before;
  auto snap = sampleSnapshot();
  snap->stats.decode.unsupported = 12;
  snap->unsupportedLink = "FRELAY (Frame Relay), DLT 107";
  c.setSnapshot(snap);
  c.rebuild();
  const std::string header = c.render(200, kH, {}).lineText(0);
  EXPECT_NE(header.find("12 frames skipped: link type FRELAY (Frame Relay), DLT 107 unsupported"), std::string::npos)
      << header;
}

TEST(UiDetails, ShowsTheNflogPrefixEscapedWithUidAndGid) {
  auto snap = sampleSnapshot();
  auto info = std::make_shared<track::NflogInfo>();
  info->prefix = "drop\x1b[2J";
  info->uid = 1000;
  info->gid = 100;
  snap->rows.front().nflog = info;
  ui::Controller c = sampleController();
  c.setSnapshot(snap);
  c.rebuild();
  c.key(Key::of(KeyCode::Enter), kW, kH);
  ASSERT_EQ(c.state().tab, kDetails);
  const std::string body = bodyText(c.render(kW, kH, {}));
  EXPECT_NE(body.find("prefix \"drop\\x1b[2J\", uid 1000, gid 100"), std::string::npos) << body;
}

}  // namespace
}  // namespace rustnet::test
