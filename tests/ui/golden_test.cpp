// Golden screens: the sample connections rendered at several sizes, on each tab, with and
// without a filter, compared with tests/golden/ui/<name>.txt.
//
// To accept new screens after a deliberate change, run the tests with UPDATE_GOLDEN=1
// (e.g. `UPDATE_GOLDEN=1 ctest -R UiGolden`), then review `git diff tests/golden`.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>

#include "process/host_sockets.h"
#include "ui/sample.h"

namespace rustnet::test {
namespace {

namespace fs = std::filesystem;
using ui::Key;
using ui::KeyCode;

struct Case {
  std::string name;
  int width;
  int height;
  std::string filter;  // typed through the keys, as a user would
  std::function<void(ui::Controller&, int, int)> setup;
  bool unicode = true;
};

// Names the case in gtest's messages instead of dumping its bytes.
void PrintTo(const Case& c, std::ostream* os) { *os << c.name; }

void typeKeys(ui::Controller& c, std::string_view keys, int w, int h) {
  for (char ch : keys) c.key(Key::character(static_cast<unsigned char>(ch)), w, h);
}

void press(ui::Controller& c, KeyCode k, int w, int h) { c.key(Key::of(k), w, h); }

// The sample with six minutes of traffic before it: received in slow waves, sent in
// bursts, the run's totals growing towards the sample's own (what the Graph tab charts).
ui::Controller graphController() {
  ui::Controller c(ui::SourceInfo{"eth0", true}, ui::StoreConfig{}, {});
  constexpr int kSeconds = 360;
  auto share = [](int i, bool sent) {  // the part of the final totals reached at second i
    double done = 0;
    double all = 0;
    for (int k = 0; k <= kSeconds; ++k) {
      const double w = sent ? ((k / 45) % 2 == 0 ? 3.0 : 0.5) : 1.2 + std::sin(k / 25.0);
      all += w;
      if (k <= i) done += w;
    }
    return done / all;
  };
  for (int i = 0; i < kSeconds; ++i) {
    auto snap = sampleSnapshot();
    snap->asOf = core::Timestamp::fromNanos((kSampleNow - kSeconds + i) * 1'000'000'000);
    for (auto& r : snap->rows) {
      r.received.bytes = static_cast<std::uint64_t>(static_cast<double>(r.received.bytes) * share(i, false));
      r.sent.bytes = static_cast<std::uint64_t>(static_cast<double>(r.sent.bytes) * share(i, true));
    }
    c.setSnapshot(std::move(snap));
  }
  auto last = sampleSnapshot();
  last->stats.tracker.retransmissions = 42;
  last->stats.capture.kernelDropped = 7;
  last->stats.dpi.capsHit[static_cast<std::size_t>(dpi::Cap::TlsHandshakeBytes)] = 3;
  c.setSnapshot(std::move(last));
  c.onEvent(sampleClosed());
  c.rebuild();
  return c;
}

// A fixed list of this host's sockets (the live one would differ on every machine).
std::shared_ptr<const process::HostSockets> sampleHost() {
  auto h = std::make_shared<process::HostSockets>();
  h->ok = true;
  h->method = process::Method::SockDiag;
  auto add = [&](std::uint8_t proto, core::Endpoint local, std::int32_t pid, std::string name, std::string user,
                 std::uint32_t uid, bool dual = false, std::uint32_t owners = 1) {
    process::HostSocket s;
    s.proto = proto;
    s.local = local;
    s.pid = pid;
    s.process = std::move(name);
    s.user = std::move(user);
    s.uid = uid;
    s.dualStack = dual;
    s.owners = owners;
    h->sockets.push_back(std::move(s));
  };
  namespace proto = core::proto;
  add(proto::kTcp, ep("0.0.0.0", 22), 812, "sshd", "root", 0);
  add(proto::kTcp, ep("::", 443), 900, "nginx", "www-data", 33, true);
  add(proto::kTcp, ep("127.0.0.1", 631), 1501, "cupsd", "root", 0);
  add(proto::kTcp, ep("::1", 5432), 0, "", "postgres", 119, false, 0);
  add(proto::kUdp, ep("127.0.0.53", 53), 611, "systemd-resolve", "systemd-resolve", 991);
  add(proto::kUdp, ep("0.0.0.0", 5353), 0, "", "", 4242, false, 2);
  add(proto::kUdp, ep("2001:db8::10", 53001), 611, "systemd-resolve", "systemd-resolve", 991);
  h->leftOut = 3;
  return h;
}

std::vector<Case> cases() {
  std::vector<Case> out;
  const std::vector<std::pair<int, int>> sizes{{80, 24}, {160, 48}, {40, 20}};
  for (const auto& [w, h] : sizes) {
    const std::string size = std::to_string(w) + "x" + std::to_string(h);
    for (const bool filtered : {false, true}) {
      const std::string suffix = (filtered ? "_filter_" : "_") + size;
      const std::string filter = filtered ? "proto:tcp !ssh" : "";
      out.push_back({"overview" + suffix, w, h, filter, [](ui::Controller& c, int cw, int ch) {
                       press(c, KeyCode::Down, cw, ch);
                     }});
      out.push_back({"details" + suffix, w, h, filter, [](ui::Controller& c, int cw, int ch) {
                       press(c, KeyCode::Enter, cw, ch);
                     }});
      out.push_back({"help" + suffix, w, h, filter, [](ui::Controller& c, int cw, int ch) {
                       typeKeys(c, "h", cw, ch);
                     }});
    }
  }
  // The SSH and DNS details, the remaining DPI kinds.
  out.push_back({"details_ssh_80x24", 80, 24, "ssh:openssh",
                 [](ui::Controller& c, int w, int h) { press(c, KeyCode::Enter, w, h); }});
  out.push_back({"details_ssh_scrolled_80x24", 80, 24, "ssh:openssh", [](ui::Controller& c, int w, int h) {
                   press(c, KeyCode::Enter, w, h);
                   press(c, KeyCode::PageDown, w, h);
                 }});
  out.push_back({"details_dns_160x48", 160, 48, "proto:dns",
                 [](ui::Controller& c, int w, int h) { press(c, KeyCode::Enter, w, h); }});
  out.push_back({"details_quic_80x24", 80, 24, "proto:quic",
                 [](ui::Controller& c, int w, int h) { press(c, KeyCode::Enter, w, h); }});
  out.push_back({"details_ended_80x24", 80, 24, "stackoverflow",
                 [](ui::Controller& c, int w, int h) { press(c, KeyCode::Enter, w, h); }});
  // Typing a filter: the status line is the input, the table already filtered.
  out.push_back({"overview_typing_80x24", 80, 24, "", [](ui::Controller& c, int w, int h) {
                   typeKeys(c, "/dport:443 googl", w, h);
                 }});
  // Ports instead of service names, sorted by remote address.
  out.push_back({"overview_ports_sorted_120x30", 120, 30, "", [](ui::Controller& c, int w, int h) {
                   typeKeys(c, "pssssss", w, h);  // Up, Recv, Sent, Proto, Local, Remote
                 }});
  // Sorted by bytes received since the start (what is left to sort by at the end of a file).
  out.push_back({"overview_sorted_recv_160x30", 160, 30, "", [](ui::Controller& c, int w, int h) {
                   typeKeys(c, "ss", w, h);
                 }});
  // A regular expression narrowing the table.
  out.push_back({"overview_regex_160x30", 160, 30, "sni:/^(www|accounts)\\.google\\./", [](ui::Controller&, int, int) {}});
  // A pattern that does not compile: the status line says why, the other term still applies.
  out.push_back({"overview_bad_regex_80x24", 80, 24, "tcp /(/", [](ui::Controller&, int, int) {}});
  // A widened Remote column and a narrowed Application column.
  out.push_back({"overview_resized_160x30", 160, 30, "", [](ui::Controller& c, int w, int h) {
                   typeKeys(c, "[[[>>>>]]]<<<<<", w, h);
                   c.clearMessage();
                 }});
  out.push_back({"overview_ascii_80x24", 80, 24, "", [](ui::Controller&, int, int) {}, false});
  out.push_back({"details_ascii_80x24", 80, 24, "", [](ui::Controller& c, int w, int h) {
                   press(c, KeyCode::Enter, w, h);
                 }, false});
  out.push_back({"overview_nomatch_80x24", 80, 24, "nothing-matches-this prot:x", [](ui::Controller&, int, int) {}});
  out.push_back({"quit_hint_80x24", 80, 24, "", [](ui::Controller& c, int w, int h) { typeKeys(c, "q", w, h); }});
  out.push_back({"tiny_18x3", 18, 3, "", [](ui::Controller&, int, int) {}});
  // The Graph and Host tabs.
  for (const auto& [w, h] : std::vector<std::pair<int, int>>{{80, 24}, {120, 40}, {200, 60}}) {
    const std::string size = std::to_string(w) + "x" + std::to_string(h);
    out.push_back({"graph_" + size, w, h, "", [](ui::Controller& c, int cw, int ch) {
                     c = graphController();
                     c.resize(ch);
                     typeKeys(c, "4", cw, ch);
                   }});
    out.push_back({"host_" + size, w, h, "", [](ui::Controller& c, int cw, int ch) {
                     c.setHostSockets(sampleHost());
                     typeKeys(c, "5", cw, ch);
                   }});
  }
  out.push_back({"graph_ascii_80x24", 80, 24, "", [](ui::Controller& c, int w, int h) {
                   c = graphController();
                   c.resize(h);
                   typeKeys(c, "4", w, h);
                 }, false});
  out.push_back({"host_ascii_80x24", 80, 24, "", [](ui::Controller& c, int w, int h) {
                   c.setHostSockets(sampleHost());
                   typeKeys(c, "5", w, h);
                 }, false});
  // Before the first listing, and when it failed.
  out.push_back({"host_failed_80x24", 80, 24, "", [](ui::Controller& c, int w, int h) {
                   auto failed = std::make_shared<process::HostSockets>();
                   failed->error = "sock_diag: Operation not permitted; /proc/net/tcp: No such file or directory";
                   c.setHostSockets(failed);
                   typeKeys(c, "5", w, h);
                 }});
  return out;
}

std::string render(const Case& tc) {
  ui::Controller c = sampleController();
  c.resize(tc.height);
  if (!tc.filter.empty()) {
    typeKeys(c, "/" + tc.filter, tc.width, tc.height);
    press(c, KeyCode::Enter, tc.width, tc.height);
  }
  tc.setup(c, tc.width, tc.height);
  return c.render(tc.width, tc.height, ui::RenderOptions{tc.unicode}).toText();
}

std::string readFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

class UiGolden : public ::testing::TestWithParam<Case> {};

TEST_P(UiGolden, MatchesFile) {
  const Case& tc = GetParam();
  const std::string text = render(tc);
  const fs::path file = fs::path(RUSTNET_GOLDEN_DIR) / (tc.name + ".txt");
  const char* update = std::getenv("UPDATE_GOLDEN");
  if (update != nullptr && std::string(update) == "1") {
    fs::create_directories(file.parent_path());
    std::ofstream(file, std::ios::binary) << text;
    GTEST_SKIP() << "wrote " << file;
  }
  ASSERT_TRUE(fs::exists(file)) << file << " is missing: run with UPDATE_GOLDEN=1 to create it";
  EXPECT_EQ(text, readFile(file)) << "screen differs from " << file
                                  << " (UPDATE_GOLDEN=1 accepts the new one)\n"
                                  << text;
}

TEST_P(UiGolden, NoControlCharacterReachesTheScreen) {
  const std::string text = render(GetParam());
  for (unsigned char ch : text) {
    ASSERT_TRUE(ch == '\n' || ch >= 0x20) << "control byte " << int(ch);
    ASSERT_NE(ch, 0x7f);
  }
  if (!GetParam().unicode) {
    for (unsigned char ch : text) ASSERT_LT(ch, 0x80) << "non-ASCII in the ASCII fallback";
  }
}

INSTANTIATE_TEST_SUITE_P(Screens, UiGolden, ::testing::ValuesIn(cases()),
                         [](const ::testing::TestParamInfo<Case>& i) { return i.param.name; });

}  // namespace
}  // namespace rustnet::test
