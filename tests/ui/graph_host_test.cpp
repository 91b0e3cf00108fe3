// The Graph tab's series, scale, chart text and layout, and the Host tab's listing: from a
// real sock_diag (and /proc/net) dump of sockets this test opens, and counted against the
// table's rows.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>

#include "process/host_sockets.h"
#include "ui/sample.h"
#include "ui/series.h"
#include "ui/tabs.h"

namespace rustnet::test {
namespace {

using ui::TrafficSeries;

core::Timestamp at(std::int64_t sec, std::int64_t ms = 0) {
  return core::Timestamp::fromNanos(sec * 1'000'000'000 + ms * 1'000'000);
}

TEST(TrafficSeries, PointsAreTheTotalsGrowthPerSecond) {
  TrafficSeries s;
  s.observe(at(100, 200), 1000, 10);  // the first call counts from zero
  s.observe(at(101, 250), 1500, 30);
  s.observe(at(101, 900), 1600, 30);  // same second: added to it
  s.observe(at(103, 100), 2600, 50);  // two seconds: shared between them
  ASSERT_EQ(s.size(), 4u);
  EXPECT_EQ(s.at(0).second, 100);
  EXPECT_DOUBLE_EQ(s.at(0).in, 1000);
  EXPECT_DOUBLE_EQ(s.at(1).in, 600);
  EXPECT_DOUBLE_EQ(s.at(1).out, 20);
  EXPECT_EQ(s.at(2).second, 102);
  EXPECT_DOUBLE_EQ(s.at(2).in, 500);
  EXPECT_DOUBLE_EQ(s.at(3).in, 500);
  EXPECT_DOUBLE_EQ(s.at(3).out, 10);
  // A time that went back adds to the newest point; a total that went down starts over.
  s.observe(at(90), 2700, 50);
  EXPECT_EQ(s.size(), 4u);
  EXPECT_DOUBLE_EQ(s.newest().in, 600);
  s.observe(at(104), 100, 0);
  EXPECT_DOUBLE_EQ(s.newest().in, 0);
  s.observe(at(105), 400, 0);
  EXPECT_DOUBLE_EQ(s.newest().in, 300);
  // Averages over seconds, missing ones counting as nothing.
  EXPECT_DOUBLE_EQ(s.average(103, 2).in, 550);
  EXPECT_DOUBLE_EQ(s.average(100, 4).in, 250);
}

TEST(TrafficSeries, TheFirstTotalsAreSpreadFromTheFirstPacket) {
  TrafficSeries s;
  s.observe(at(200, 500), 4000, 400, at(197, 900));  // a file read at once: 197..200
  ASSERT_EQ(s.size(), 4u);
  EXPECT_EQ(s.at(0).second, 197);
  EXPECT_DOUBLE_EQ(s.at(0).in, 1000);
  EXPECT_DOUBLE_EQ(s.newest().out, 100);
  TrafficSeries later;
  later.observe(at(200), 10, 0, at(300));  // a "first packet" after the snapshot changes nothing
  EXPECT_EQ(later.size(), 1u);
}

TEST(TrafficSeries, TheRingKeepsTheLastTenMinutes) {
  TrafficSeries s;
  for (std::int64_t i = 0; i < 700; ++i) s.observe(at(1000 + i), static_cast<std::uint64_t>(i * (i + 1) / 2), 0);
  ASSERT_EQ(s.size(), TrafficSeries::kCapacity);
  EXPECT_EQ(s.at(0).second, 1100);
  EXPECT_DOUBLE_EQ(s.at(0).in, 100);  // the total grew by i at second 1000 + i
  EXPECT_EQ(s.newest().second, 1699);
  EXPECT_DOUBLE_EQ(s.newest().in, 699);
  // A gap longer than the ring keeps only the ring's worth of its seconds.
  s.observe(at(5000), 699 * 700 / 2 + 4001, 0);
  EXPECT_EQ(s.size(), TrafficSeries::kCapacity);
  EXPECT_EQ(s.at(0).second, 5000 - 599);
  EXPECT_DOUBLE_EQ(s.newest().in, 4001.0 / 3301.0);
}

TEST(TrafficSeries, ScaleIsOneTwoOrFiveTimesAPowerOfTen) {
  EXPECT_EQ(ui::niceScale(0), 1000);
  EXPECT_EQ(ui::niceScale(1), 1);
  EXPECT_EQ(ui::niceScale(1.5), 2);
  EXPECT_EQ(ui::niceScale(3), 5);
  EXPECT_EQ(ui::niceScale(7), 10);
  EXPECT_EQ(ui::niceScale(1000), 1000);
  EXPECT_EQ(ui::niceScale(1001), 2000);
  EXPECT_EQ(ui::niceScale(45'000), 50'000);
  EXPECT_EQ(ui::niceScale(2.2e9), 5e9);
}

TEST(TrafficSeries, ChartRowsInBrailleAndAscii) {
  // Right column full, left empty: dots 4 5 6 8.
  EXPECT_EQ(ui::chartRows(std::vector<double>{0, 10}, 10, 1, 1, true), std::vector<std::string>{"\u28b8"});
  // A quarter and a full value over two lines: the quarter fills two of eight dots.
  EXPECT_EQ(ui::chartRows(std::vector<double>{2.5, 10}, 10, 1, 2, true),
            (std::vector<std::string>{"\u28b8", "\u28fc"}));
  EXPECT_EQ(ui::chartRows(std::vector<double>{2.5, 10}, 10, 2, 2, false), (std::vector<std::string>{" #", ".#"}));
  // Newest at the right edge; a value above the scale is clipped; a tiny one still shows.
  EXPECT_EQ(ui::chartRows(std::vector<double>{50, 0.001}, 10, 4, 1, false), std::vector<std::string>{"  #."});
}

TEST(TrafficSeries, TimeAxisLabelsMinutesAndNow) {
  const std::string axis = ui::timeAxis(72, 2, 3);  // 6 s per column
  ASSERT_EQ(axis.size(), 72u);
  EXPECT_EQ(axis.substr(69), "now");
  // One minute back is 10 columns left of the last one.
  EXPECT_EQ(axis.substr(60, 3), "-1m");
  EXPECT_NE(axis.find("-7m"), std::string::npos);
  EXPECT_EQ(axis.find("-8m"), std::string::npos);  // beyond the left edge
  EXPECT_NE(ui::timeAxis(40, 1, 1).find("-30s"), std::string::npos);
}

std::shared_ptr<engine::Snapshot> oneRow(std::int64_t sec, std::uint64_t in, std::uint64_t out) {
  auto snap = std::make_shared<engine::Snapshot>();
  snap->asOf = at(sec);
  snap->rows.push_back(RecordBuilder(1, core::proto::kTcp, ep("192.0.2.1", 40000), ep("198.51.100.2", 443))
                           .times(sec - 1, sec)
                           .traffic(1, out, 1, in));
  return snap;
}

TEST(GraphTab, SeriesFollowsSnapshotsInTheirTimeAndCountsEndedConnections) {
  ui::Controller c(ui::SourceInfo{"trace.pcap", false}, ui::StoreConfig{});
  constexpr std::int64_t kFileTime = 1'500'000'000;  // 2017, a file's own time
  c.setSnapshot(oneRow(kFileTime, 1000, 100));
  c.setSnapshot(oneRow(kFileTime + 1, 3000, 300));
  // The connection ends with 3500 bytes in; the next snapshot no longer has it.
  engine::ConnectionEvent e;
  e.kind = engine::ConnectionEvent::Kind::Closed;
  e.reason = track::EndReason::Closed;
  e.when = at(kFileTime + 2);
  e.record = oneRow(kFileTime + 2, 3500, 300)->rows[0];
  c.onEvent(std::move(e));
  auto empty = std::make_shared<engine::Snapshot>();
  empty->asOf = at(kFileTime + 2);
  c.setSnapshot(empty);
  const TrafficSeries& s = c.view().graph.series;
  ASSERT_EQ(s.size(), 4u);  // the first totals spread from the first packet, a second earlier
  EXPECT_EQ(s.at(0).second, kFileTime - 1);
  EXPECT_DOUBLE_EQ(s.at(0).in, 500);
  EXPECT_EQ(s.newest().second, kFileTime + 2);
  EXPECT_DOUBLE_EQ(s.at(2).in, 2000);
  EXPECT_DOUBLE_EQ(s.newest().in, 500);
  EXPECT_DOUBLE_EQ(s.newest().out, 0);
}

// Any braille cell with a dot (U+2801..U+28FF).
bool hasBraille(const std::string& s) {
  for (std::size_t i = 0; i + 2 < s.size(); ++i) {
    const auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[i + k]); };
    if (b(0) == 0xe2 && (b(1) & 0xfc) == 0xa0 && !(b(1) == 0xa0 && b(2) == 0x80)) return true;
  }
  return false;
}

std::string graphScreen(int w, int h, bool unicode) {
  ui::Controller c = sampleController();
  c.key(ui::Key::character('4'), w, h);
  EXPECT_EQ(ui::currentTab(c.state()).name, "Graph");
  return c.render(w, h, ui::RenderOptions{unicode}).toText();
}

TEST(GraphTab, LayoutKeepsTheChartsAndDropsPanelsAsTheScreenShrinks) {
  const std::string wide = graphScreen(200, 60, true);
  for (const char* part : {"\u2193 Received", "\u2191 Sent", "now", "Health", "retransmissions", "dropped by us",
                           "DPI caps hit", "table evictions", "Applications", "HTTPS", "TCP states", "ESTABLISHED"}) {
    EXPECT_NE(wide.find(part), std::string::npos) << part;
  }
  EXPECT_TRUE(hasBraille(wide)) << wide;  // the sample's traffic
  const std::string small = graphScreen(80, 24, false);
  for (const char* part : {"v Received", "^ Sent", "now", "Health", "Applications", "#"}) {
    EXPECT_NE(small.find(part), std::string::npos) << part;
  }
  EXPECT_EQ(small.find("TCP states"), std::string::npos);
  for (unsigned char ch : small) EXPECT_LT(ch, 0x80);
  const std::string tiny = graphScreen(60, 14, true);
  EXPECT_NE(tiny.find("Received"), std::string::npos);
  EXPECT_EQ(tiny.find("Health"), std::string::npos);
}

// A bound socket on 127.0.0.1, port chosen by the kernel.
struct OwnSocket {
  int fd = -1;
  std::uint16_t port = 0;
  OwnSocket(int type) {
    fd = ::socket(AF_INET, type, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) return;
    if (type == SOCK_STREAM && ::listen(fd, 4) != 0) return;
    socklen_t len = sizeof a;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
    port = ntohs(a.sin_port);
  }
  ~OwnSocket() {
    if (fd >= 0) ::close(fd);
  }
};

const process::HostSocket* findSocket(const process::HostSockets& h, std::uint8_t proto, std::uint16_t port) {
  for (const auto& s : h.sockets) {
    if (s.proto == proto && s.local.port == port && s.local.addr == *core::IpAddr::parse("127.0.0.1")) return &s;
  }
  return nullptr;
}

void expectOwnSockets(process::SocketSource& source) {
  OwnSocket tcp(SOCK_STREAM);
  OwnSocket udp(SOCK_DGRAM);
  ASSERT_NE(tcp.port, 0);
  ASSERT_NE(udp.port, 0);
  process::ProcScanner scanner("/proc");
  const process::HostSockets h = process::listHostSockets(source, scanner, true);
  ASSERT_TRUE(h.ok) << h.error;
  for (const auto& [proto, port] : {std::pair{core::proto::kTcp, tcp.port}, std::pair{core::proto::kUdp, udp.port}}) {
    const process::HostSocket* s = findSocket(h, proto, port);
    ASSERT_NE(s, nullptr) << int(proto) << " port " << port;
    EXPECT_EQ(s->pid, ::getpid());
    EXPECT_FALSE(s->process.empty());
    EXPECT_EQ(s->uid, ::getuid());
  }
  EXPECT_TRUE(std::is_sorted(h.sockets.begin(), h.sockets.end(), [](const auto& a, const auto& b) {
    return std::pair(a.proto, a.local.port) < std::pair(b.proto, b.local.port);
  }));
  // Capped, and the rest counted.
  const process::HostSockets one = process::listHostSockets(source, scanner, false, 1);
  EXPECT_EQ(one.sockets.size(), 1u);
  EXPECT_GE(one.leftOut, 1u);
}

TEST(HostSockets, ListsOwnListenerAndUdpSocketFromSockDiag) {
  process::SockDiagSource diag;
  std::string error;
  ASSERT_TRUE(diag.open(error)) << error;
  expectOwnSockets(diag);
}

TEST(HostSockets, ListsThemFromProcNetToo) {
  process::ProcNetSource procNet("/proc");
  expectOwnSockets(procNet);
}

TEST(HostSockets, WatcherPublishesListingsAndSaysWhyItCannotList) {
  OwnSocket tcp(SOCK_STREAM);
  process::HostWatcher w("/proc", std::chrono::milliseconds(50));
  EXPECT_EQ(w.snapshot(), nullptr);
  w.start();
  auto first = w.snapshot();
  ASSERT_NE(first, nullptr);
  EXPECT_NE(findSocket(*first, core::proto::kTcp, tcp.port), nullptr);
  for (int i = 0; i < 100 && w.snapshot() == first; ++i) ::usleep(10'000);
  EXPECT_NE(w.snapshot(), first);  // refreshed on its own thread
  w.stop();

  // No /proc/net to fall back to when sock_diag is refused: listed as failing, with why.
  process::ProcNetSource missing("/nonexistent-proc");
  process::ProcScanner scanner("/nonexistent-proc");
  const process::HostSockets failed = process::listHostSockets(missing, scanner, false);
  EXPECT_FALSE(failed.ok);
  EXPECT_FALSE(failed.error.empty());
}

TEST(HostTab, CountsTheRowsOnEachSocketAndShowsThem) {
  ui::Controller c = sampleController();
  auto h = std::make_shared<process::HostSockets>();
  h->ok = true;
  auto add = [&](std::uint8_t proto, const char* addr, std::uint16_t port, bool dual = false) {
    process::HostSocket s;
    s.proto = proto;
    s.local = ep(addr, port);
    s.dualStack = dual;
    s.pid = 900;
    s.process = "nginx\x1b[2J";
    h->sockets.push_back(s);
  };
  add(core::proto::kTcp, "::", 443, true);        // dual stack: the IPv4 row on :443
  add(core::proto::kTcp, "::", 443, false);       // IPv6 only: not it
  add(core::proto::kTcp, "192.168.1.20", 443);    // the exact address
  add(core::proto::kTcp, "127.0.0.1", 443);       // another address
  add(core::proto::kUdp, "0.0.0.0", 5353);        // the mDNS row
  add(core::proto::kTcp, "0.0.0.0", 5353);        // the wrong protocol
  c.setHostSockets(h);
  EXPECT_EQ(c.view().hostConnections, (std::vector<std::uint32_t>{1, 0, 1, 0, 1, 0}));
  c.key(ui::Key::character('5'), 100, 30);
  EXPECT_EQ(ui::currentTab(c.state()).name, "Host");
  const std::string screen = c.render(100, 30, ui::RenderOptions{true}).toText();
  EXPECT_NE(screen.find("[::]:443"), std::string::npos);
  EXPECT_NE(screen.find("nginx\\x1b[2J"), std::string::npos);  // escaped
  EXPECT_NE(screen.find("5 TCP listening, 1 UDP bound"), std::string::npos);
}

}  // namespace
}  // namespace rustnet::test
