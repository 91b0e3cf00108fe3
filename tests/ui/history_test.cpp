// The traffic history (ui/history.h) and the Activity tab built on it: deltas between
// snapshots, the sliding minute, forgetting ended connections, the caps, file time, the
// Trend sparkline, and the tab's ranking, sort keys and Enter narrowing the Overview.
#include <gtest/gtest.h>

#include <algorithm>

#include "filter/filter.h"
#include "ui/columns.h"
#include "ui/history.h"
#include "ui/sample.h"
#include "ui/tabs.h"

namespace rustnet::test {
namespace {

using ui::History;
using ui::Key;
using ui::KeyCode;
using ui::OwnerId;
using ui::OwnerRow;

// File time, far from the wall clock: the history only ever sees the snapshots' own.
constexpr std::int64_t kT0 = 1'600'000'000;

core::Timestamp at(std::int64_t sec) { return core::Timestamp::fromNanos(sec * 1'000'000'000); }

engine::ConnectionRecord conn(std::uint64_t id, std::uint64_t recv, std::uint64_t sent, std::int64_t first,
                              std::int32_t pid = 100, std::string name = "app", const char* peer = "10.0.0.1") {
  return RecordBuilder(id, core::proto::kTcp, ep("192.168.1.2", static_cast<std::uint16_t>(40000 + id)), ep(peer, 443))
      .service("https")
      .times(first, first)
      .traffic(1, sent, 1, recv)
      .process(pid, std::move(name));
}

engine::Snapshot snapAt(std::int64_t sec, std::vector<engine::ConnectionRecord> rows) {
  engine::Snapshot s;
  s.asOf = at(sec);
  s.rows = std::move(rows);
  for (auto& r : s.rows) r.lastSeen = s.asOf;  // live: each had a packet just now
  return s;
}

const OwnerRow* find(const std::vector<OwnerRow>& owners, std::string_view label) {
  const auto it = std::find_if(owners.begin(), owners.end(), [&](const OwnerRow& o) { return ui::ownerLabel(o.id) == label; });
  return it == owners.end() ? nullptr : &*it;
}

TEST(UiHistory, DeltasBetweenSnapshotsAreTheMinuteAndTheTrend) {
  History h;
  h.update(snapAt(kT0, {conn(1, 1000, 100, kT0)}));
  h.update(snapAt(kT0 + 1, {conn(1, 3000, 300, kT0)}));
  const auto owners = h.owners();
  ASSERT_EQ(owners.size(), 1U);
  EXPECT_EQ(ui::ownerLabel(owners[0].id), "app");
  EXPECT_EQ(owners[0].down60, 3000U);
  EXPECT_EQ(owners[0].up60, 300U);
  EXPECT_EQ(owners[0].recvTotal, 3000U);
  EXPECT_EQ(owners[0].sentTotal, 300U);
  EXPECT_EQ(owners[0].liveConns, 1U);
  ASSERT_TRUE(owners[0].hasPeer);
  EXPECT_EQ(owners[0].topPeer.toString(), "10.0.0.1");
  const auto trend = h.trend(1);
  EXPECT_FLOAT_EQ(trend[ui::kTrendSlots - 1], 2200.0F);  // down + up in the newest second
  EXPECT_FLOAT_EQ(trend[ui::kTrendSlots - 2], 1100.0F);  // what the first sight found
  EXPECT_FLOAT_EQ(trend[0], 0.0F);
  // Counters that go back (a stale copy) credit nothing.
  h.update(snapAt(kT0 + 2, {conn(1, 2000, 300, kT0)}));
  EXPECT_EQ(h.owners()[0].recvTotal, 3000U);
}

TEST(UiHistory, TheMinuteSlidesWithTheSnapshotsTime) {
  History h;
  h.update(snapAt(kT0, {conn(1, 1000, 0, kT0)}));
  h.update(snapAt(kT0 + 1, {conn(1, 3000, 0, kT0)}));
  h.update(snapAt(kT0 + 60, {conn(1, 3000, 0, kT0)}));
  // The window is (now - 60 s, now]: the first second's 1000 bytes have left it.
  EXPECT_EQ(h.owners()[0].down60, 2000U);
  h.update(snapAt(kT0 + 61, {conn(1, 3000, 0, kT0)}));
  EXPECT_EQ(h.owners()[0].down60, 0U);
  EXPECT_EQ(h.owners()[0].recvTotal, 3000U);  // totals stay
  // The trend is 16 s: long gone too.
  const auto trend = h.trend(1);
  EXPECT_TRUE(std::all_of(trend.begin(), trend.end(), [](float v) { return v == 0; }));
}

TEST(UiHistory, AGapBetweenSnapshotsIsSpreadOverItsSeconds) {
  // Reading a file quickly, snapshots are many file seconds apart: the bytes are spread
  // over the seconds between, not piled into the last one.
  History h;
  h.update(snapAt(kT0, {conn(1, 0, 0, kT0)}));
  h.update(snapAt(kT0 + 10, {conn(1, 10'000, 0, kT0)}));
  const auto trend = h.trend(1);
  for (std::size_t i = 0; i < ui::kTrendSlots; ++i) {
    EXPECT_FLOAT_EQ(trend[i], i >= ui::kTrendSlots - 10 ? 1000.0F : 0.0F) << i;
  }
  EXPECT_EQ(h.owners()[0].down60, 10'000U);
  // A gap longer than the minute: only its last 60 s are in the window, the total is whole.
  h.update(snapAt(kT0 + 130, {conn(1, 130'000, 0, kT0)}));
  EXPECT_EQ(h.owners()[0].down60, 60'000U);
  EXPECT_EQ(h.owners()[0].recvTotal, 130'000U);
}

TEST(UiHistory, ConnectionsGoneFromTheSnapshotAreForgottenTheirBytesKept) {
  History h;
  h.update(snapAt(kT0, {conn(1, 500, 0, kT0), conn(2, 700, 0, kT0)}));
  EXPECT_EQ(h.stats().connections, 2U);
  h.update(snapAt(kT0 + 1, {conn(2, 700, 0, kT0)}));
  EXPECT_EQ(h.stats().connections, 1U);
  const auto trend = h.trend(1);
  EXPECT_TRUE(std::all_of(trend.begin(), trend.end(), [](float v) { return v == 0; }));
  const auto owners = h.owners();
  ASSERT_EQ(owners.size(), 1U);
  EXPECT_EQ(owners[0].liveConns, 1U);
  EXPECT_EQ(owners[0].recvTotal, 1200U);
}

TEST(UiHistory, ClosedEventsCountOnceEvenBeforeAnySnapshotSawThem) {
  History h;
  h.update(snapAt(kT0, {conn(1, 500, 0, kT0)}));
  h.closed(conn(1, 900, 0, kT0), at(kT0 + 1));
  h.closed(conn(1, 900, 0, kT0), at(kT0 + 1));  // twice: ignored
  h.closed(conn(7, 4000, 40, kT0, 200, "short"), at(kT0 + 1));  // never in a snapshot
  // A snapshot taken before the close still holds connection 1: not counted again.
  h.update(snapAt(kT0 + 1, {conn(1, 800, 0, kT0)}));
  const auto owners = h.owners();
  ASSERT_NE(find(owners, "app"), nullptr);
  EXPECT_EQ(find(owners, "app")->recvTotal, 900U);
  EXPECT_EQ(find(owners, "app")->liveConns, 0U);
  ASSERT_NE(find(owners, "short"), nullptr);
  EXPECT_EQ(find(owners, "short")->recvTotal, 4000U);
  EXPECT_EQ(find(owners, "short")->sentTotal, 40U);
  h.update(snapAt(kT0 + 2, {}));
  EXPECT_EQ(h.stats().connections, 0U);
  // At the end of a file every connection still open is closed "by force": it counts on.
  h.closed(conn(8, 10, 0, kT0 + 2, 300, "open"), at(kT0 + 3), true);
  h.update(snapAt(kT0 + 4, {}));
  ASSERT_NE(find(h.owners(), "open"), nullptr);
  EXPECT_EQ(find(h.owners(), "open")->liveConns, 1U);
}

TEST(UiHistory, OwnersPastTheCapGoUnderOneEntryThenIdleOnesGiveWay) {
  History h;
  std::vector<engine::ConnectionRecord> rows;
  const std::size_t n = ui::kMaxOwners + 5;
  for (std::size_t i = 0; i < n; ++i) rows.push_back(conn(i + 1, 10, 0, kT0, static_cast<std::int32_t>(1000 + i)));
  h.update(snapAt(kT0, rows));
  auto owners = h.owners();
  EXPECT_EQ(owners.size(), ui::kMaxOwners + 1);  // every slot, and "(other owners)"
  const OwnerRow* other = find(owners, "(other owners)");
  ASSERT_NE(other, nullptr);
  EXPECT_EQ(other->liveConns, 5U);
  EXPECT_EQ(other->recvTotal, 50U);
  EXPECT_EQ(ui::ownerFilter(other->id), "");
  EXPECT_EQ(h.stats().ownersOverflow, 5U);
  // Every connection ends; after a quiet minute new owners take the idle owners' places.
  h.update(snapAt(kT0 + 1, {}));
  h.update(snapAt(kT0 + 70, {}));
  h.update(snapAt(kT0 + 71, {conn(90'001, 10, 0, kT0 + 71, 99'999, "newcomer")}));
  EXPECT_EQ(h.stats().ownersEvicted, 1U);
  owners = h.owners();
  ASSERT_NE(find(owners, "newcomer"), nullptr);
  EXPECT_EQ(find(owners, "newcomer")->liveConns, 1U);
  EXPECT_LE(owners.size(), ui::kMaxOwners + 1);
}

TEST(UiHistory, TopPeerIsTheBusiestEvenPastThePeerCap) {
  History h;
  std::vector<engine::ConnectionRecord> rows;
  std::vector<std::string> peers;
  for (std::size_t i = 0; i < ui::kMaxPeersPerOwner + 8; ++i) peers.push_back("10.1.0." + std::to_string(i + 1));
  for (std::size_t i = 0; i < peers.size(); ++i) {
    // The busiest peer comes last, when the owner's peer table is already full.
    const std::uint64_t bytes = i + 1 == peers.size() ? 1'000'000 : 100 + i;
    rows.push_back(conn(i + 1, bytes, 0, kT0, 100, "app", peers[i].c_str()));
  }
  h.update(snapAt(kT0, rows));
  const auto owners = h.owners();
  ASSERT_EQ(owners.size(), 1U);
  ASSERT_TRUE(owners[0].hasPeer);
  EXPECT_EQ(owners[0].topPeer.toString(), peers.back());
}

TEST(UiHistory, RowsWithoutAProcessBelongToTheirServicePortOrProtocol) {
  const auto snap = sampleSnapshot();
  std::vector<std::string> labels;
  for (const auto& r : snap->rows) labels.push_back(ui::ownerLabel(ui::ownerOf(r)));
  EXPECT_EQ(labels[0], "firefox-esr");
  EXPECT_EQ(labels[5], "proto ICMP");     // no process, no ports
  EXPECT_EQ(labels[8], "service mdns");   // no process, a service name
  EXPECT_EQ(labels[11], "port 9999");     // neither: the service port
  EXPECT_EQ(ui::ownerFilter(ui::ownerOf(snap->rows[0])), "process:4242");
  EXPECT_EQ(ui::ownerFilter(ui::ownerOf(snap->rows[8])), "service:/^mdns$/ !process:/^/");
}

TEST(UiHistory, EachOwnersFilterNarrowsTheTableToExactlyItsRows) {
  ui::Controller c = sampleController();
  const auto rows = c.store().rows();
  ASSERT_FALSE(c.view().owners.empty());
  for (const OwnerRow& o : c.view().owners) {
    const std::string text = ui::ownerFilter(o.id);
    ASSERT_FALSE(text.empty()) << ui::ownerLabel(o.id);
    const filter::Filter f = filter::Filter::parse(text);
    EXPECT_TRUE(f.notices().empty()) << text;
    for (const ui::RowRef& r : rows) {
      EXPECT_EQ(f.matches(*r.rec), ui::ownerOf(*r.rec) == o.id) << text << " row " << r.rec->id;
    }
  }
}

TEST(UiHistory, SparklineIsScaledToItsOwnPeak) {
  std::array<float, ui::kTrendSlots> v{};
  EXPECT_EQ(ui::sparkline(v, 8, true), "        ");  // nothing: blank
  for (std::size_t i = 0; i < v.size(); ++i) v[i] = static_cast<float>(i / 2);  // cells 0..7
  EXPECT_EQ(ui::sparkline(v, 8, true), " \u2582\u2583\u2584\u2585\u2586\u2587\u2588");
  EXPECT_EQ(ui::sparkline(v, 8, false), " .:-=+*#");
  v.fill(0);
  v[ui::kTrendSlots - 1] = 1'000'000;
  v[0] = 1;  // tiny but not nothing: the lowest bar
  EXPECT_EQ(ui::sparkline(v, 8, true), "\u2581      \u2588");
  EXPECT_EQ(ui::sparkline(v, 4, false), ".  #");
}

// ---- the Activity tab and the Trend column ----------------------------------------------

constexpr int kW = 120;
constexpr int kH = 30;
constexpr ui::TabIndex kActivity = ui::tabIndex("Activity");

void typeKeys(ui::Controller& c, std::string_view keys) {
  for (char ch : keys) c.key(Key::character(static_cast<unsigned char>(ch)), kW, kH);
}

std::vector<std::string> ranked(const ui::Controller& c) {
  std::vector<std::string> out;
  for (const OwnerRow& o : c.view().owners) out.push_back(ui::ownerLabel(o.id));
  return out;
}

TEST(UiActivity, OwnersRankedByTheMinuteSortedAndReversed) {
  ui::Controller c = sampleController();
  typeKeys(c, "3");
  EXPECT_EQ(c.state().tab, kActivity);
  // Down 60 s: firefox's busy download, then chrome's two connections.
  const auto byDown = ranked(c);
  ASSERT_GE(byDown.size(), 3U);
  EXPECT_EQ(byDown[0], "firefox-esr");
  EXPECT_EQ(byDown[1], "chrome");
  for (std::size_t i = 1; i < c.view().owners.size(); ++i) {
    EXPECT_GE(c.view().owners[i - 1].down60, c.view().owners[i].down60);
  }
  const OwnerRow& chrome = c.view().owners[1];
  EXPECT_EQ(chrome.liveConns, 2U);
  EXPECT_EQ(chrome.recvTotal, 2'250'000U);  // both connections' totals
  EXPECT_EQ(chrome.topPeer.toString(), "142.250.74.110");
  // The ended stackoverflow connection counts in firefox's totals.
  EXPECT_EQ(c.view().owners[0].recvTotal, 3'448'000U);

  typeKeys(c, "s");  // Up 60 s
  EXPECT_EQ(c.state().activitySort, ui::ActivityColumn::Up60);
  for (std::size_t i = 1; i < c.view().owners.size(); ++i) {
    EXPECT_GE(c.view().owners[i - 1].up60, c.view().owners[i].up60);
  }
  typeKeys(c, "S");
  for (std::size_t i = 1; i < c.view().owners.size(); ++i) {
    EXPECT_LE(c.view().owners[i - 1].up60, c.view().owners[i].up60);
  }
  EXPECT_EQ(c.state().sortColumn, ui::Column::Down);  // the Overview's sort is untouched
  // Around to the name column: alphabetical.
  typeKeys(c, "ssss");  // Recv, Sent, Top peer, Process/Service
  EXPECT_EQ(c.state().activitySort, ui::ActivityColumn::Owner);
  EXPECT_FALSE(c.state().activityDescending);
  const auto byName = ranked(c);
  EXPECT_EQ(byName.front(), "chrome");
  const ui::Frame f = c.render(kW, kH, ui::RenderOptions{});
  EXPECT_NE(f.lineText(2).find("Process/Service"), std::string::npos) << f.toText();
  EXPECT_NE(f.toText().find("142.250.74.110"), std::string::npos) << f.toText();
}

TEST(UiActivity, EnterNarrowsTheOverviewToTheSelectedOwner) {
  ui::Controller c = sampleController();
  const std::size_t all = c.view().rows.size();
  typeKeys(c, "3");
  c.key(Key::of(KeyCode::Down), kW, kH);  // chrome
  ASSERT_EQ(c.state().activitySelected, 1U);
  c.key(Key::of(KeyCode::Enter), kW, kH);
  EXPECT_EQ(c.state().tab, ui::tabIndex("Overview"));
  EXPECT_EQ(c.state().filterText, "process:7001");
  ASSERT_EQ(c.view().rows.size(), 2U);
  for (const ui::RowRef& r : c.view().rows) EXPECT_EQ(r.rec->process->name, "chrome");
  EXPECT_LT(c.view().rows.size(), all);
  // A service owner (no process): an anchored name, so https does not take http's rows.
  typeKeys(c, "3");
  while (c.state().activitySelected + 1 < c.view().owners.size() &&
         ui::ownerLabel(c.view().owners[c.state().activitySelected].id) != "service mdns") {
    c.key(Key::of(KeyCode::Down), kW, kH);
  }
  c.key(Key::of(KeyCode::Enter), kW, kH);
  EXPECT_EQ(c.state().filterText, "service:/^mdns$/ !process:/^/");
  ASSERT_EQ(c.view().rows.size(), 1U);
  EXPECT_EQ(c.view().rows[0].rec->id, 9U);
}

TEST(UiActivity, EmptyStateSaysSo) {
  ui::Controller c(ui::SourceInfo{"eth0", true}, ui::StoreConfig{});
  c.rebuild();
  typeKeys(c, "3");
  c.key(Key::of(KeyCode::Enter), kW, kH);  // nothing to filter by: stays
  EXPECT_EQ(c.state().tab, kActivity);
  EXPECT_NE(c.render(kW, kH, ui::RenderOptions{}).toText().find("Nothing yet"), std::string::npos);
}

TEST(UiTrend, TheColumnShowsEachRowsShapeAndIsNoSortKey) {
  ui::Controller c = sampleController();
  const ui::Frame f = c.render(200, 30, ui::RenderOptions{});
  const std::string header = f.lineText(2);
  ASSERT_NE(header.find("Trend"), std::string::npos) << f.toText();
  // The busiest row (firefox, sorted first) has bars; the idle ARP row none.
  EXPECT_NE(f.lineText(3).find("\u2588"), std::string::npos) << f.toText();
  // Narrow screens drop it first.
  const auto narrow = ui::layoutColumns(120, {});
  EXPECT_TRUE(std::none_of(narrow.begin(), narrow.end(), [](const ui::PlacedColumn& p) { return p.column == ui::Column::Trend; }));
  // Sorting cycles past it: Sent is followed by Proto.
  typeKeys(c, "sss");
  EXPECT_EQ(c.state().sortColumn, ui::Column::Sent);
  typeKeys(c, "s");
  EXPECT_EQ(c.state().sortColumn, ui::Column::Proto);
  EXPECT_FALSE(ui::sortable(ui::Column::Trend));
}

}  // namespace
}  // namespace rustnet::test
