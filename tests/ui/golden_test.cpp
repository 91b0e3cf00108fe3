// Golden screens: the sample connections rendered at several sizes, on each tab, with and
// without a filter, compared with tests/golden/ui/<name>.txt.
//
// To accept new screens after a deliberate change, run the tests with UPDATE_GOLDEN=1
// (e.g. `UPDATE_GOLDEN=1 ctest -R UiGolden`), then review `git diff tests/golden`.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>

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

std::vector<Case> cases() {
  std::vector<Case> out;
  const std::vector<std::pair<int, int>> sizes{{80, 24}, {120, 40}, {160, 48}, {200, 60}, {40, 20}};
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
  out.push_back({"overview_ports_sorted_140x30", 140, 30, "", [](ui::Controller& c, int w, int h) {
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
                   typeKeys(c, "{{{>>>>}}}<<<<<", w, h);
                   c.clearMessage();
                 }});
  out.push_back({"overview_ascii_80x24", 80, 24, "", [](ui::Controller&, int, int) {}, false});
  out.push_back({"details_ascii_80x24", 80, 24, "", [](ui::Controller& c, int w, int h) {
                   press(c, KeyCode::Enter, w, h);
                 }, false});
  // The Activity tab: owners ranked by the last minute (the sample has earlier snapshots).
  for (const auto& [w, h] : std::vector<std::pair<int, int>>{{80, 24}, {120, 40}, {200, 60}}) {
    out.push_back({"activity_" + std::to_string(w) + "x" + std::to_string(h), w, h, "",
                   [](ui::Controller& c, int cw, int ch) { typeKeys(c, "3", cw, ch); }});
  }
  out.push_back({"activity_ascii_80x24", 80, 24, "", [](ui::Controller& c, int w, int h) {
                   typeKeys(c, "3", w, h);
                   press(c, KeyCode::Down, w, h);
                 }, false});
  out.push_back({"overview_nomatch_80x24", 80, 24, "nothing-matches-this prot:x", [](ui::Controller&, int, int) {}});
  out.push_back({"quit_hint_80x24", 80, 24, "", [](ui::Controller& c, int w, int h) { typeKeys(c, "q", w, h); }});
  out.push_back({"tiny_18x3", 18, 3, "", [](ui::Controller&, int, int) {}});
  for (const auto& [w, h] : std::vector<std::pair<int, int>>{{80, 24}, {120, 40}, {200, 60}}) {
    const std::string size = std::to_string(w) + "x" + std::to_string(h);
    // Grouped by process: the busiest group unfolded, the selection on its second row.
    out.push_back({"grouped_" + size, w, h, "", [](ui::Controller& c, int cw, int ch) {
                     typeKeys(c, "a", cw, ch);
                     press(c, KeyCode::Enter, cw, ch);
                     typeKeys(c, "jj", cw, ch);
                     c.clearMessage();
                   }});
    // The ended connections, apart from the live ones.
    out.push_back({"ended_" + size, w, h, "", [](ui::Controller& c, int cw, int ch) {
                     typeKeys(c, "t", cw, ch);
                     c.clearMessage();
                   }});
    // Sorted by handshake round trip (Down, then 11 columns on: RTT).
    out.push_back({"rtt_sorted_" + size, w, h, "", [](ui::Controller& c, int cw, int ch) {
                     typeKeys(c, "sssssssssss", cw, ch);
                   }});
  }
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
