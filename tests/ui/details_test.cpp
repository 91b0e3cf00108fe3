// Ended connections as the UI shows them (state, rate, Details' end and idle lines) and long
// Details values wrapped under their value column, asserted on the rendered text.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "ui/format.h"
#include "ui/sample.h"
#include "ui/tabs.h"
#include "ui/text.h"

namespace rustnet::test {
namespace {

using ui::Key;
using ui::KeyCode;

constexpr ui::TabIndex kDetails = ui::tabIndex("Details");
constexpr std::int64_t kDay = 86'400;

core::Timestamp at(std::int64_t sec) { return core::Timestamp::fromNanos(sec * 1'000'000'000); }

// A QUIC connection (the application has a state of its own) with traffic and a rate.
engine::ConnectionRecord quicRecord(std::uint64_t id) {
  engine::ConnectionRecord r =
      RecordBuilder(id, core::proto::kUdp, ep("192.168.1.20", 44321), ep("142.250.74.110", 443))
          .service("https")
          .times(kSampleNow - 40, kSampleNow - 30)
          .traffic(800, 120'000, 1500, 2'000'000)
          .rates(8'000, 420'000)
          .dpi(&dpi::quic::kQuic, [](dpi::Facts& f) {
            f.get<dpi::QuicFacts>().sni = "www.google.com";
            f.advanceState(&dpi::quic::kConnected);
          });
  r.idleTimeout = core::Duration::seconds(60);
  return r;
}

engine::ConnectionEvent ended(engine::ConnectionRecord r, track::EndReason why, core::Timestamp when) {
  engine::ConnectionEvent e;
  e.kind = engine::ConnectionEvent::Kind::Closed;
  e.reason = why;
  e.when = when;
  e.record = std::move(r);
  return e;
}

std::string bodyText(const ui::Frame& f) {
  std::string out;
  for (int y = 2; y < f.height() - 1; ++y) out += f.lineText(y) + "\n";
  return out;
}

// The Details screen of the only connection of a file run (or a live one).
std::string detailsOf(engine::ConnectionEvent e, bool live, int width = 100, int height = 40) {
  ui::Controller c(ui::SourceInfo{live ? "eth0" : "capture.pcap", live}, ui::StoreConfig{10, core::Duration{}});
  const bool gone = e.kind == engine::ConnectionEvent::Kind::Closed && e.reason != track::EndReason::ForcedEnd;
  c.onEvent(std::move(e));
  c.rebuild();
  if (gone) c.key(Key::character(U't'), width, height);  // the ended ones are listed apart
  c.key(Key::of(KeyCode::Enter), width, height);
  EXPECT_EQ(c.state().tab, kDetails);
  return bodyText(c.render(width, height, {}));
}

bool has(const std::string& text, std::string_view part) { return text.find(part) != std::string::npos; }

// ---- ended rows ---------------------------------------------------------------------------

TEST(UiEnded, AnEndedRowSaysHowAndHasNoRate) {
  ui::ConnectionStore store;
  store.onEvent(ended(quicRecord(1), track::EndReason::IdleTimeout, at(kSampleNow)));
  store.onEvent(ended(quicRecord(2), track::EndReason::Evicted, at(kSampleNow)));
  engine::ConnectionRecord tcp = RecordBuilder(3, core::proto::kTcp, ep("10.0.0.1", 1000), ep("10.0.0.2", 80))
                                     .state(track::State::TimeWait)
                                     .rates(10, 10);
  store.onEvent(ended(tcp, track::EndReason::Closed, at(kSampleNow)));
  const auto rows = store.rows();
  ASSERT_EQ(rows.size(), 3u);
  const std::vector<std::string_view> want{"TIMED_OUT", "EVICTED", "CLOSED"};
  for (std::size_t i = 0; i < rows.size(); ++i) {
    EXPECT_EQ(ui::displayState(*rows[i].rec), want[i]);  // not QUIC_CONNECTED any more
    EXPECT_EQ(rows[i].rec->rateInBps, 0.0);
    EXPECT_EQ(rows[i].rec->rateOutBps, 0.0);
  }
  EXPECT_EQ(rows[2].end->lastState, "TIME_WAIT");
}

TEST(UiEnded, StillOpenAtTheEndIsShownAsItWas) {
  ui::ConnectionStore store;
  store.onEvent(ended(quicRecord(1), track::EndReason::ForcedEnd, at(kSampleNow)));
  const auto rows = store.rows();
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(ui::displayState(*rows[0].rec), "QUIC_CONNECTED");
  EXPECT_EQ(rows[0].rec->rateInBps, 420'000.0);
}

TEST(UiEnded, TheOverviewRowShowsTheEndAndZeroRates) {
  ui::Controller c(ui::SourceInfo{"capture.pcap", false}, ui::StoreConfig{10, core::Duration{}});
  c.onEvent(ended(quicRecord(1), track::EndReason::IdleTimeout, at(kSampleNow)));
  c.rebuild();
  EXPECT_TRUE(has(bodyText(c.render(120, 20, {})), "No open connection: 1 ended (t lists them)."));
  c.key(Key::character(U't'), 120, 20);
  const ui::Frame f = c.render(120, 20, {});
  std::string row;
  for (int y = 0; y < f.height(); ++y) {
    if (has(f.lineText(y), "142.250.74.110")) row = f.lineText(y);
  }
  EXPECT_TRUE(has(row, "TIMED_OUT")) << row;
  EXPECT_FALSE(has(row, "420")) << row;
  EXPECT_TRUE(has(row, "0B/s")) << row;
}

// The ndpi__dtls.pcap case: packets years apart, so a timeout is only seen 67 days on.
TEST(UiEnded, DetailsOfATimeoutSeenMuchLaterInAFile) {
  const std::string body = detailsOf(
      ended(quicRecord(1), track::EndReason::IdleTimeout, at(kSampleNow + 67 * kDay)), false);
  EXPECT_TRUE(has(body, "State           TIMED_OUT  (was UDP_ACTIVE, application: QUIC_CONNECTED)")) << body;
  // It ended when its minute ran out, not when that was noticed.
  EXPECT_TRUE(has(body, "Ended           idle timeout at 2024-05-01 12:00:30.000 UTC")) << body;
  EXPECT_TRUE(has(body, "Idle            1m 00s from its last packet to its end")) << body;
  EXPECT_TRUE(has(body, "Rate            down 0B/s, up 0B/s")) << body;
  EXPECT_FALSE(has(body, "67d")) << body;
  EXPECT_FALSE(has(body, " of a ")) << body;
}

TEST(UiEnded, DetailsOfAClosedConnection) {
  engine::ConnectionRecord r = RecordBuilder(5, core::proto::kTcp, ep("10.0.0.1", 1000), ep("10.0.0.2", 80))
                                   .state(track::State::TimeWait)
                                   .times(kSampleNow - 20, kSampleNow - 12);
  r.idleTimeout = core::Duration::seconds(5);
  const std::string body = detailsOf(ended(r, track::EndReason::Closed, at(kSampleNow)), true);
  EXPECT_TRUE(has(body, "State           CLOSED  (was TIME_WAIT)")) << body;
  EXPECT_TRUE(has(body, "Ended           closed by the protocol at 2024-05-01 12:00:00.000 UTC")) << body;
  EXPECT_TRUE(has(body, "Idle            12.0s from its last packet to its end")) << body;
  EXPECT_FALSE(has(body, "of a 5.0s timeout")) << body;
}

TEST(UiEnded, DetailsOfAConnectionOpenAtTheEndOfTheFile) {
  const std::string body = detailsOf(ended(quicRecord(1), track::EndReason::ForcedEnd, at(kSampleNow)), false);
  EXPECT_TRUE(has(body, "State           UDP_ACTIVE  (application: QUIC_CONNECTED)")) << body;
  EXPECT_TRUE(has(body, "Ended           still open at the end of the file at 2024-05-01 12:00:00.000 UTC")) << body;
  EXPECT_TRUE(has(body, "Idle            30.0s from its last packet to its end")) << body;
}

TEST(UiEnded, ALiveRowPastItsTimeoutSaysSo) {
  auto snap = std::make_shared<engine::Snapshot>();
  snap->asOf = at(kSampleNow);
  engine::ConnectionRecord r = quicRecord(1);
  r.idleTimeout = core::Duration::seconds(5);
  r.lastSeen = at(kSampleNow - 12);
  snap->rows.push_back(r);
  engine::ConnectionRecord fresh = quicRecord(2);
  fresh.lastSeen = at(kSampleNow - 2);
  ui::Controller c(ui::SourceInfo{"eth0", true}, ui::StoreConfig{});
  c.setSnapshot(snap);
  c.rebuild();
  c.key(Key::of(KeyCode::Enter), 100, 40);
  std::string body = bodyText(c.render(100, 40, {}));
  EXPECT_TRUE(has(body, "Idle            12.0s, past its 5.0s timeout (ending)")) << body;

  snap = std::make_shared<engine::Snapshot>(*snap);
  snap->rows = {fresh};
  c.setSnapshot(snap);
  c.rebuild();
  body = bodyText(c.render(100, 40, {}));
  EXPECT_TRUE(has(body, "Idle            2.0s of a 1m 00s timeout")) << body;
}

// ---- long values wrap ---------------------------------------------------------------------

TEST(UiWrap, BreaksAtSpacesAndSeparatorsWithinTheWidth) {
  const auto lines = ui::wrapText("alpha beta gamma delta epsilon", 12, 6, "~");
  ASSERT_EQ(lines, (std::vector<std::string>{"alpha beta", "gamma delta", "epsilon"}));
  const auto path = ui::wrapText("/usr/share/doc/packages/readme.txt", 16, 6, "~");
  ASSERT_EQ(path, (std::vector<std::string>{"/usr/share/doc/", "packages/", "readme.txt"}));
  // Nothing to break at: cut at the width.
  EXPECT_EQ(ui::wrapText("abcdefghij", 4, 6, "~"), (std::vector<std::string>{"abcd", "efgh", "ij"}));
}

TEST(UiWrap, IsBoundedAndEndsInAnEllipsis) {
  const std::string longText(1000, 'x');
  const auto lines = ui::wrapText(longText, 10, 6, "…");
  ASSERT_EQ(lines.size(), 6u);
  for (std::size_t i = 0; i + 1 < lines.size(); ++i) EXPECT_EQ(lines[i], std::string(10, 'x'));
  EXPECT_EQ(lines.back(), std::string(9, 'x') + "…");
}

TEST(UiWrap, WideCharactersNeverOverflowAndNothingLoops) {
  const auto lines = ui::wrapText("日本語のテキスト", 5, 10, "~");
  for (const auto& l : lines) EXPECT_LE(ui::textWidth(l), 5) << l;
  std::string joined;
  for (const auto& l : lines) joined += l;
  EXPECT_EQ(joined, "日本語のテキスト");
  EXPECT_EQ(ui::wrapText("日本", 1, 3, "~").size(), 2u);  // wider than the line: one a line
  EXPECT_TRUE(ui::wrapText("abc", 0, 3, "~").empty());
}

engine::ConnectionEvent httpEvent(std::string userAgent, std::string path) {
  engine::ConnectionRecord r =
      RecordBuilder(7, core::proto::kTcp, ep("192.168.1.20", 38000), ep("93.184.216.34", 80))
          .service("http")
          .times(kSampleNow - 20, kSampleNow - 15)
          .dpi(&dpi::http::kHttp, [&](dpi::Facts& f) {
            f.get<dpi::HttpFacts>().method = "GET";
            f.get<dpi::HttpFacts>().host = "example.com";
            f.get<dpi::HttpFacts>().path = path;
            f.get<dpi::HttpFacts>().userAgent = userAgent;
          });
  return ended(r, track::EndReason::ForcedEnd, at(kSampleNow));
}

// The lines of `body` from the one holding `label` to the last indented under its value.
std::vector<std::string> valueLines(const std::string& body, std::string_view label) {
  std::vector<std::string> lines;
  std::size_t pos = 0;
  while (pos < body.size()) {
    const std::size_t nl = body.find('\n', pos);
    lines.push_back(body.substr(pos, nl - pos));
    pos = nl + 1;
  }
  std::vector<std::string> out;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (lines[i].find(label) == std::string::npos) continue;
    out.push_back(lines[i].substr(19));
    const std::string indent(19, ' ');
    for (std::size_t j = i + 1; j < lines.size() && lines[j].starts_with(indent) && lines[j].size() > 19 &&
                                lines[j][19] != ' ';
         ++j) {
      out.push_back(lines[j].substr(19));
    }
    break;
  }
  for (auto& l : out) l.erase(l.find_last_not_of(' ') + 1);
  return out;
}

TEST(UiWrap, ALongUserAgentWrapsUnderItsValueColumn) {
  const std::string ua =
      "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 "
      "Edg/124.0.2478.80";
  const std::string body = detailsOf(httpEvent(ua, "/"), false, 80, 60);
  const auto lines = valueLines(body, "User-Agent");
  ASSERT_GE(lines.size(), 2u) << body;
  std::string joined;
  for (const auto& l : lines) {
    EXPECT_LE(static_cast<int>(l.size()), 80 - 2 - 18) << l;  // the body's margin and the label
    joined += l;
  }
  // Every character is there, in order (a line break may take the place of a space).
  std::string compact = ua;
  std::erase(compact, ' ');
  std::erase(joined, ' ');
  EXPECT_EQ(joined, compact) << body;
  EXPECT_FALSE(has(body, "…")) << body;
}

TEST(UiWrap, AVeryLongPathStopsAfterSixLines) {
  const std::string path = "/" + std::string(2000, 'a');
  const std::string body = detailsOf(httpEvent("curl/8.0", path), false, 80, 60);
  const auto lines = valueLines(body, "Path");
  ASSERT_EQ(lines.size(), 6u) << body;
  EXPECT_TRUE(lines.back().ends_with("…")) << body;
}

TEST(UiWrap, TwoColumnsWrapEachSideAndScrollingReachesTheEnd) {
  const std::string path = "/" + std::string(2000, 'b') + "END";
  ui::Controller c(ui::SourceInfo{"capture.pcap", false}, ui::StoreConfig{10, core::Duration{}});
  c.onEvent(httpEvent("curl/8.0", path));
  c.rebuild();
  const int w = 160;
  const int h = 12;
  c.resize(h);
  c.key(Key::of(KeyCode::Enter), w, h);
  const std::string first = bodyText(c.render(w, h, {}));
  EXPECT_FALSE(has(first, "curl/8.0")) << first;  // below the wrapped path
  std::string all = first;
  for (int i = 0; i < 10; ++i) {
    c.key(Key::of(KeyCode::PageDown), w, h);
    all += bodyText(c.render(w, h, {}));
  }
  EXPECT_TRUE(has(all, "curl/8.0")) << all;
  const std::string whole = bodyText(c.render(w, 60, {}));
  int pathLines = 0;
  for (std::size_t p = whole.find("bbbb"); p != std::string::npos; p = whole.find("bbbb", whole.find('\n', p))) {
    ++pathLines;
  }
  EXPECT_EQ(pathLines, 6) << whole;
  EXPECT_TRUE(has(whole, "b…")) << whole;
}

}  // namespace
}  // namespace rustnet::test
