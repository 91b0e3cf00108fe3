// The terminal UI end to end: rustnet runs in a tmux pane (a private tmux server per test),
// keys are sent with send-keys and the screen is read with capture-pane. Captures are built
// by the test itself (pcap_writer.h); the live part captures loopback and needs root.
#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sched.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cctype>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>
#include <thread>

#include "../dpi/tls_builders.h"
#include "pcap_writer.h"
#include "support/test_support.h"

namespace rustnet::test {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

std::string shq(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  return out + "'";
}

bool haveTmux() { return runCommand("command -v tmux >/dev/null 2>&1").status == 0; }

// One tmux server with one pane running a plain bash, removed on destruction.
class Tmux {
public:
  Tmux(const fs::path& dir, int width, int height, const std::string& lang = "C.UTF-8") {
    static int counter = 0;
    socket_ = "rustnet-ui-" + std::to_string(::getpid()) + "-" + std::to_string(counter++);
    const fs::path conf = dir / "tmux.conf";
    std::ofstream(conf) << "set -g status off\nset -g set-clipboard on\nset -g history-limit 0\n";
    run("-f " + shq(conf.string()) + " new-session -d -x " + std::to_string(width) + " -y " + std::to_string(height) +
        " " + shq("cd " + shq(dir.string()) + " && LANG=" + lang +
                  " LC_ALL= NO_COLOR= PS1='$ ' exec bash --norc --noprofile"));
    waitForText("$", 5s);  // capture-pane drops trailing spaces
  }
  ~Tmux() { run("kill-server"); }
  Tmux(const Tmux&) = delete;
  Tmux& operator=(const Tmux&) = delete;

  std::string run(const std::string& args) const {
    return runCommand("tmux -L " + socket_ + " " + args + " 2>/dev/null").out;
  }
  void type(const std::string& text) const { run("send-keys -l " + shq(text)); }
  void keys(const std::string& names) const { run("send-keys " + names); }
  // Runs a shell command line in the pane.
  void shell(const std::string& line) const {
    type(line);
    keys("Enter");
  }
  [[nodiscard]] std::string screen(bool escapes = false) const {
    return run(std::string("capture-pane -p") + (escapes ? " -e" : ""));
  }
  [[nodiscard]] std::string format(const std::string& f) const {
    std::string out = run("display-message -p " + shq(f));
    while (!out.empty() && out.back() == '\n') out.pop_back();
    return out;
  }
  // Polls the screen until `pred` holds; returns the last screen seen either way.
  std::string waitFor(const std::function<bool(const std::string&)>& pred,
                      std::chrono::milliseconds limit = 10s) const {
    const auto end = std::chrono::steady_clock::now() + limit;
    std::string s;
    for (;;) {
      s = screen();
      if (pred(s) || std::chrono::steady_clock::now() > end) return s;
      std::this_thread::sleep_for(50ms);
    }
  }
  std::string waitForText(const std::string& text, std::chrono::milliseconds limit = 10s) const {
    return waitFor([&](const std::string& s) { return s.find(text) != std::string::npos; }, limit);
  }
  std::string waitForGone(const std::string& text, std::chrono::milliseconds limit = 10s) const {
    return waitFor([&](const std::string& s) { return s.find(text) == std::string::npos; }, limit);
  }

private:
  std::string socket_;
};

bool has(const std::string& screen, const std::string& text) { return screen.find(text) != std::string::npos; }

// The shell's "rc=N" line after rustnet exits ("echo rc=$?" on the command line itself
// has no digit after the '=').
bool exited(const std::string& screen) {
  for (auto at = screen.find("rc="); at != std::string::npos; at = screen.find("rc=", at + 1)) {
    if (at + 3 < screen.size() && std::isdigit(static_cast<unsigned char>(screen[at + 3]))) return true;
  }
  return false;
}

int countLinesWith(const std::string& screen, const std::string& text) {
  std::istringstream in(screen);
  std::string line;
  int n = 0;
  while (std::getline(in, line)) n += line.find(text) != std::string::npos ? 1 : 0;
  return n;
}

std::vector<std::uint8_t> bytes(const std::string& s) { return {s.begin(), s.end()}; }

std::vector<std::uint8_t> clientHello(const std::string& sni) {
  ClientHelloSpec spec;
  spec.sni = sni;
  return wrapInRecords(buildClientHello(spec));
}

class UiE2e : public ::testing::Test {
protected:
  void SetUp() override {
    if (!haveTmux()) GTEST_SKIP() << "tmux is not installed";
    dir_ = fs::temp_directory_path() /
           ("rustnet-ui-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override {
    if (!dir_.empty()) fs::remove_all(dir_);
  }

  // Four conversations a person would recognise: HTTPS with an SNI, SSH, DNS and HTTP.
  std::string sampleCapture() {
    PcapWriter w;
    w.tcpConversation("10.1.0.5", 40000, "198.18.0.10", 443, clientHello("example.test"), {}, true);
    w.tcpConversation("10.1.0.5", 40001, "198.18.0.20", 22, bytes("SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n"),
                      bytes("SSH-2.0-OpenSSH_8.4p1\r\n"), false);
    w.udp("10.1.0.5", 53000, "198.18.0.53", 53, dnsQuery("dns.example", 0x1234));
    w.tcpConversation("10.1.0.5", 40002, "198.18.0.80", 80,
                      bytes("GET /index.html HTTP/1.1\r\nHost: web.example\r\nUser-Agent: e2e\r\n\r\n"),
                      bytes("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"), true);
    const std::string path = (dir_ / "sample.pcap").string();
    EXPECT_TRUE(w.save(path));
    return path;
  }

  std::string rustnet(const std::string& args) const { return shq(rustnetBinary().string()) + " " + args; }

  // Starts rustnet on `pcap` through a shell that records its pid, waits for the UI and
  // returns the pid (empty on failure).
  std::string launchWithPid(const Tmux& t, const std::string& pcap) const {
    const fs::path pidFile = dir_ / "pid";
    fs::remove(pidFile);
    t.shell("clear; sh -c " + shq("echo $$ > " + shq(pidFile.string()) + "; exec " + rustnet("--read " + shq(pcap))) +
            "; echo rc=$?");
    if (!has(t.waitForText("(file, at its end)"), "(file, at its end)")) return {};
    std::string pid;
    std::ifstream(pidFile) >> pid;
    return pid;
  }

  static void expectRestored(const Tmux& t) {
    EXPECT_EQ(t.format("#{alternate_on}"), "0") << "still in the alternate screen";
    EXPECT_EQ(t.format("#{cursor_flag}"), "1") << "cursor left hidden";
  }

  fs::path dir_;
};

TEST_F(UiE2e, BrowseACaptureWithEveryKey) {
  const std::string pcap = sampleCapture();
  Tmux t(dir_, 160, 30);  // wide enough for the Trend column beside whole names
  t.shell(rustnet("--read " + shq(pcap)) + "; echo rc=$?");
  std::string s = t.waitForText("(file, at its end)");
  ASSERT_TRUE(has(s, "(file, at its end)")) << s;
  // The table lists the connections open at the file's end; the two closed by FINs have
  // ended and are listed apart.
  EXPECT_TRUE(has(s, "198.18.0.20:22")) << s;
  EXPECT_TRUE(has(s, "198.18.0.53:53")) << s;
  EXPECT_TRUE(has(s, "SSH (OpenSSH_8.4p1)")) << s;
  EXPECT_FALSE(has(s, "198.18.0.10:443")) << s;
  EXPECT_TRUE(has(s, "2 conns, 2 ended")) << s;

  // t: the ended ones, with the history's size and cap; t again: back.
  t.keys("t");
  s = t.waitForText("ended: 2 (cap ");
  ASSERT_TRUE(has(s, "ended: 2 (cap ")) << s;
  EXPECT_TRUE(has(s, "198.18.0.10:443")) << s;
  EXPECT_TRUE(has(s, "198.18.0.80:80")) << s;
  EXPECT_TRUE(has(s, "HTTPS (example.test)")) << s;
  EXPECT_TRUE(has(s, "CLOSED")) << s;
  EXPECT_FALSE(has(s, "198.18.0.20:22")) << s;
  t.keys("t");
  s = t.waitForText("198.18.0.20:22");
  EXPECT_FALSE(has(s, "198.18.0.10:443")) << s;

  // a: one line per process (a file has none: one group), folded; Enter unfolds it.
  t.keys("a");
  s = t.waitForText("(unknown process)");
  ASSERT_TRUE(has(s, "\u25b8 - (unknown process) \u00b7 2 connections")) << s;
  EXPECT_FALSE(has(s, "198.18.0.20:22")) << s;
  t.keys("Enter");
  s = t.waitForText("198.18.0.20:22");
  EXPECT_TRUE(has(s, "\u25be - (unknown process)")) << s;
  EXPECT_TRUE(has(s, "198.18.0.53:53")) << s;
  t.keys("Space");  // folds it again
  s = t.waitForGone("198.18.0.20:22");
  EXPECT_TRUE(has(s, "\u25b8 - (unknown process)")) << s;
  t.keys("a");
  s = t.waitForGone("(unknown process)");
  EXPECT_TRUE(has(s, "198.18.0.20:22")) << s;

  // Move, then the selected connection's details.
  t.keys("g");
  t.keys("Down");
  t.keys("Enter");
  s = t.waitForText("Connection #");
  ASSERT_TRUE(has(s, "Connection #")) << s;
  EXPECT_TRUE(has(s, "Traffic")) << s;
  EXPECT_TRUE(has(s, "Application (DPI)")) << s;

  // Tab: Activity, the Graph, the Host, Help, then back round to the overview.
  t.keys("Tab");
  s = t.waitForText("Process/Service");
  ASSERT_TRUE(has(s, "Top peer")) << s;
  t.keys("Tab");
  s = t.waitForText("Received");
  EXPECT_TRUE(has(s, "Health")) << s;
  t.keys("Tab");
  s = t.waitForText("TCP listening");
  EXPECT_TRUE(has(s, "Proto Local")) << s;
  t.keys("Tab");
  s = t.waitForText("Ctrl+C");
  EXPECT_TRUE(has(s, "Keys")) << s;
  t.keys("G");  // scrolls the help to its end
  s = t.waitForText("sport:443 state:syn_recv");
  EXPECT_TRUE(has(s, "proto:tcp state:established")) << s;
  EXPECT_FALSE(has(s, "Ctrl+C")) << s;
  t.keys("Tab");
  s = t.waitForText("Proto  Local");
  ASSERT_TRUE(has(s, "Proto  Local")) << s;

  // Number keys, as in RustNet: 2 the details, 1 the overview.
  t.keys("2");
  s = t.waitForText("Connection #");
  ASSERT_TRUE(has(s, "Connection #")) << s;
  EXPECT_FALSE(has(s, "Proto  Local")) << s;
  t.keys("1");
  s = t.waitForText("Proto  Local");
  ASSERT_TRUE(has(s, "Proto  Local")) << s;
  EXPECT_FALSE(has(s, "Connection #")) << s;

  // Filter mode: typing filters at once; Enter keeps it; Esc clears it.
  t.keys("/");
  t.type("dport:22");
  s = t.waitForGone("198.18.0.53:53");
  EXPECT_TRUE(has(s, "198.18.0.20:22")) << s;
  EXPECT_TRUE(has(s, "/dport:22")) << s;
  t.keys("Down");  // arrows still move while typing
  t.keys("Enter");
  s = t.waitForText("filter: dport:22");
  EXPECT_FALSE(has(s, "198.18.0.53:53")) << s;
  t.keys("Escape");
  s = t.waitForText("198.18.0.53:53");
  EXPECT_FALSE(has(s, "filter: dport:22")) << s;

  // A /regex/ term narrows as well; one that does not compile says why.
  t.keys("/");
  t.type("dport:/^2[0-9]$/");
  s = t.waitForGone("198.18.0.53:53");
  EXPECT_TRUE(has(s, "198.18.0.20:22")) << s;
  t.keys("C-u");
  t.type("/(/");
  s = t.waitForText("bad pattern");
  EXPECT_TRUE(has(s, "bad pattern /(/: ")) << s;
  t.keys("Escape");
  s = t.waitForText("198.18.0.53:53");

  // p: ports instead of service names.
  EXPECT_TRUE(has(s, "Service")) << s;
  t.keys("p");
  s = t.waitForText("Port ");
  EXPECT_TRUE(has(s, "Service column: port numbers")) << s;

  // s: the next sort column carries the arrow; S reverses it.
  t.keys("s");
  s = t.waitForText("Up\u25bc");
  EXPECT_TRUE(has(s, "Up\u25bc")) << s;
  t.keys("S");
  s = t.waitForText("Up\u25b2");
  EXPECT_TRUE(has(s, "Up\u25b2")) << s;
  // Then the totals since the start, largest first.
  t.keys("s");
  s = t.waitForText("Recv\u25bc");
  EXPECT_TRUE(has(s, "Sent")) << s;

  // c: the remote address reaches the clipboard (tmux keeps what OSC 52 sends).
  t.keys("g");
  t.keys("c");
  s = t.waitForText("Copied ");
  ASSERT_TRUE(has(s, "Copied ")) << s;
  const std::string buffer = t.run("show-buffer");
  EXPECT_TRUE(buffer.rfind("198.18.0.", 0) == 0) << buffer;
  EXPECT_TRUE(has(s, "Copied " + buffer)) << s;

  // q asks, q quits; the shell is back as it was.
  t.keys("q");
  s = t.waitForText("Press q again");
  EXPECT_TRUE(has(s, "Press q again")) << s;
  t.keys("q");
  s = t.waitFor(exited, 20s);
  EXPECT_TRUE(has(s, "rc=0")) << s;
  EXPECT_TRUE(has(s, "--read")) << "the command line before the UI is visible again:\n" << s;
  expectRestored(t);
}

TEST_F(UiE2e, ActivityRanksTheOwnersAndEnterFiltersTheOverview) {
  // A file has no processes: its traffic is counted by local service. HTTP carries the
  // most (a 3,000-byte answer), so it ranks first; Enter narrows the Overview to it.
  PcapWriter w;
  w.tcpConversation("10.1.0.5", 40000, "198.18.0.10", 443, clientHello("example.test"), {}, true);
  w.tcpConversation("10.1.0.5", 40001, "198.18.0.20", 22, bytes("SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n"),
                    bytes("SSH-2.0-OpenSSH_8.4p1\r\n"), false);
  w.tcpConversation("10.1.0.5", 40002, "198.18.0.80", 80, bytes("GET / HTTP/1.1\r\nHost: web.example\r\n\r\n"),
                    bytes("HTTP/1.1 200 OK\r\nContent-Length: 3000\r\n\r\n" + std::string(3000, 'x')), true);
  const std::string pcap = (dir_ / "activity.pcap").string();
  ASSERT_TRUE(w.save(pcap));
  Tmux t(dir_, 120, 24);
  t.shell(rustnet("--read " + shq(pcap)) + "; echo rc=$?");
  std::string s = t.waitForText("(file, at its end)");
  ASSERT_TRUE(has(s, "(file, at its end)")) << s;
  t.keys("3");
  s = t.waitForText("Process/Service");
  ASSERT_TRUE(has(s, "Down 60s")) << s;
  // Ranked by the minute's bytes down: http first, its peer beside it.
  std::istringstream in(s);
  std::string line;
  std::vector<std::string> owners;
  while (std::getline(in, line)) {
    if (line.rfind("service ", 0) == 0) owners.push_back(line);
  }
  ASSERT_EQ(owners.size(), 3u) << s;
  EXPECT_EQ(owners[0].rfind("service http ", 0), 0u) << s;
  EXPECT_TRUE(has(owners[0], "198.18.0.80")) << s;
  EXPECT_TRUE(has(s, "service https")) << s;
  EXPECT_TRUE(has(s, "service ssh")) << s;
  EXPECT_TRUE(has(s, "Enter filter Overview")) << s;
  t.keys("Enter");
  s = t.waitForGone("198.18.0.20:22");
  EXPECT_TRUE(has(s, "198.18.0.80:80")) << s;
  EXPECT_FALSE(has(s, "198.18.0.10:443")) << s;
  EXPECT_TRUE(has(s, "service:/^http$/")) << s;
  t.keys("q");
  t.keys("q");
  EXPECT_TRUE(has(t.waitFor(exited, 20s), "rc=0"));
  expectRestored(t);
}

TEST_F(UiE2e, ResizesShrinkAndGrowTheTable) {
  const std::string pcap = sampleCapture();
  Tmux t(dir_, 160, 30);
  t.shell(rustnet("--read " + shq(pcap)) + "; echo rc=$?");
  std::string s = t.waitForText("(file, at its end)");
  ASSERT_TRUE(has(s, "Local")) << s;
  EXPECT_TRUE(has(s, "Service")) << s;

  t.run("resize-window -x 50 -y 16");
  // tmux crops the old frame at once; wait for rustnet's own redraw at the new size.
  s = t.waitFor([](const std::string& scr) {
    return !has(scr, "Local") && has(scr, "Remote") && has(scr, "198.18.0.20:22");
  });
  EXPECT_FALSE(has(s, "Service")) << s;
  EXPECT_TRUE(has(s, "Remote")) << s;
  EXPECT_TRUE(has(s, "198.18.0.20:22")) << s;
  std::istringstream in(s);
  std::string line;
  while (std::getline(in, line)) EXPECT_LE(line.size(), 50u * 3) << line;  // UTF-8: bytes, not columns
  EXPECT_EQ(t.format("#{pane_width}"), "50");

  t.run("resize-window -x 160 -y 40");
  s = t.waitFor([](const std::string& scr) { return has(scr, "Local") && has(scr, "Service"); });
  EXPECT_TRUE(has(s, "Service")) << s;
  t.keys("q");
  t.keys("q");
  EXPECT_TRUE(has(t.waitFor(exited, 20s), "rc=0"));
  expectRestored(t);
}

TEST_F(UiE2e, SigtermRestoresTheTerminal) {
  const std::string pcap = sampleCapture();
  Tmux t(dir_, 120, 30);
  const std::string pid = launchWithPid(t, pcap);
  ASSERT_FALSE(pid.empty()) << t.screen();
  EXPECT_EQ(t.format("#{alternate_on}"), "1");
  ASSERT_EQ(runCommand("kill -TERM " + pid).status, 0);
  const std::string s = t.waitFor(exited, 20s);
  EXPECT_TRUE(has(s, "rc=0")) << s;
  expectRestored(t);
}

TEST_F(UiE2e, FatalSignalsRestoreTheTerminal) {
  const std::string pcap = sampleCapture();
  Tmux t(dir_, 120, 30);
  for (const char* sig : {"SEGV", "ABRT"}) {
    const std::string pid = launchWithPid(t, pcap);
    ASSERT_FALSE(pid.empty()) << t.screen();
    ASSERT_EQ(runCommand(std::string("kill -") + sig + " " + pid).status, 0);
    const std::string s = t.waitFor(exited, 20s);
    EXPECT_TRUE(exited(s)) << sig << "\n" << s;
    EXPECT_FALSE(has(s, "rc=0")) << "a fatal signal is still fatal\n" << s;
    expectRestored(t);
  }
}

TEST_F(UiE2e, CtrlCQuitsAtOnce) {
  const std::string pcap = sampleCapture();
  Tmux t(dir_, 120, 30);
  t.shell(rustnet("--read " + shq(pcap)) + "; echo rc=$?");
  ASSERT_TRUE(has(t.waitForText("(file, at its end)"), "(file, at its end)"));
  t.keys("C-c");
  const std::string s = t.waitFor(exited, 20s);
  EXPECT_TRUE(has(s, "rc=0")) << s;
  expectRestored(t);
}

TEST_F(UiE2e, FilterFromTheCommandLineAndJsonLog) {
  const std::string pcap = sampleCapture();
  Tmux t(dir_, 120, 30);
  t.shell(rustnet("--read " + shq(pcap) + " --filter 'dport:22 ssh:openssh' --json-log events.ndjson") +
          "; echo rc=$?");
  std::string s = t.waitForText("(file, at its end)");
  EXPECT_TRUE(has(s, "filter: dport:22 ssh:openssh  1 of 2")) << s;
  EXPECT_EQ(countLinesWith(s, "198.18.0."), 1) << s;
  t.keys("q");
  t.keys("q");
  s = t.waitFor(exited, 20s);
  EXPECT_TRUE(has(s, "rc=0")) << s;
  std::ifstream log(dir_ / "events.ndjson");
  std::string line;
  int news = 0;
  int closed = 0;
  int summaries = 0;
  while (std::getline(log, line)) {
    news += has(line, "\"new_connection\"") ? 1 : 0;
    closed += has(line, "\"connection_closed\"") ? 1 : 0;
    summaries += has(line, "\"summary\"") ? 1 : 0;
  }
  EXPECT_EQ(news, 4);
  EXPECT_EQ(closed, 4);
  EXPECT_EQ(summaries, 1);
  struct stat st {};
  ASSERT_EQ(::stat((dir_ / "events.ndjson").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
}

TEST_F(UiE2e, AsciiOutsideUtf8Locales) {
  const std::string pcap = sampleCapture();
  Tmux t(dir_, 120, 30, "C");
  t.shell(rustnet("--read " + shq(pcap)));
  const std::string s = t.waitForText("(file, at its end)");
  ASSERT_TRUE(has(s, "(file, at its end)")) << s;
  EXPECT_TRUE(has(s, "Downv")) << s;
  for (unsigned char c : s) ASSERT_LT(c, 0x80) << s;
  t.keys("q");
  t.keys("q");
}

TEST_F(UiE2e, NoColorMeansNoColourSequences) {
  const std::string pcap = sampleCapture();
  Tmux t(dir_, 120, 30);
  t.shell("NO_COLOR=1 " + rustnet("--read " + shq(pcap)));
  ASSERT_TRUE(has(t.waitForText("(file, at its end)"), "(file, at its end)"));
  const std::string s = t.screen(true);
  for (const char* sgr : {"[30m", "[31m", "[32m", "[33m", "[36m", "[41m", "[43m", "[46m"}) {
    EXPECT_FALSE(has(s, sgr)) << sgr;
  }
  EXPECT_TRUE(has(s, "[7m")) << "reverse video marks the bars and the selection";
  t.keys("q");
  t.keys("q");
}

TEST_F(UiE2e, EscapeSequencesInAnSniAreShownEscaped) {
  PcapWriter w;
  w.tcpConversation("10.1.0.5", 40100, "198.18.0.66", 443, clientHello("evil\x1b[31m\x1b]0;pwned\x07.test"), {},
                    false);
  const std::string pcap = (dir_ / "evil.pcap").string();
  ASSERT_TRUE(w.save(pcap));
  Tmux t(dir_, 180, 30);  // the escaped name whole in the Application column, beside Recv/Sent
  t.shell(rustnet("--no-color --read " + shq(pcap)));
  std::string s = t.waitForText("(file, at its end)");
  ASSERT_TRUE(has(s, "198.18.0.66:443")) << s;
  if (!has(s, "HTTPS")) GTEST_SKIP() << "DPI found no TLS here: not wired into the tracker in this build";
  EXPECT_TRUE(has(s, "evil\\x1b[31m\\x1b]0;pwned\\x07.test")) << s;
  t.keys("Enter");
  s = t.waitForText("SNI");
  EXPECT_TRUE(has(s, "evil\\x1b[31m\\x1b]0;pwned\\x07.test")) << s;
  const std::string raw = t.screen(true);
  EXPECT_FALSE(has(raw, "\x1b[31m")) << "a colour from the packet reached the terminal";
  EXPECT_NE(t.format("#{pane_title}"), "pwned");
  t.keys("q");
  t.keys("q");
}

// The screen's line `y` (0 = the top).
std::string lineOf(const std::string& screen, int y) {
  std::istringstream in(screen);
  std::string line;
  for (int i = 0; i <= y && std::getline(in, line); ++i) {
  }
  return line;
}

// A press of the left button at the 0-based cell (x, y), as an xterm reports it (SGR 1006).
std::string sgrPress(int x, int y) { return "\x1b[<0;" + std::to_string(x + 1) + ";" + std::to_string(y + 1) + "M"; }

TEST_F(UiE2e, MouseClicksSelectRowsAndOpenTabs) {
  const std::string pcap = sampleCapture();
  Tmux t(dir_, 140, 30);
  // An xterm's terminfo: ncurses asks it for SGR mouse reports (tmux's own asks for X10).
  t.shell("TERM=xterm-256color " + rustnet("--read " + shq(pcap)) + "; echo rc=$?");
  std::string s = t.waitForText("(file, at its end)");
  ASSERT_TRUE(has(s, "(file, at its end)")) << s;
  EXPECT_EQ(t.format("#{mouse_sgr_flag}"), "1") << "mouse reports were not asked for";
  // The second row's remote address, then a click on it and Enter: its details.
  constexpr int kSecondRow = 4;  // header, tabs, column titles, one row (two of the four have ended)
  std::istringstream words(lineOf(s, kSecondRow));
  std::string proto;
  std::string local;
  std::string remote;
  words >> proto >> local >> remote;
  ASSERT_TRUE(has(remote, "198.18.0.")) << lineOf(s, kSecondRow);
  t.type(sgrPress(20, kSecondRow));
  t.keys("Enter");
  s = t.waitForText("Connection #");
  ASSERT_TRUE(has(s, "Connection #")) << s;
  EXPECT_TRUE(has(s, remote)) << "details of another row than the one clicked (" << remote << "):\n" << s;
  // A click on a tab's name opens it: Overview, then a double click on the first row.
  t.type(sgrPress(3, 1));
  s = t.waitForText("Proto");
  ASSERT_TRUE(has(s, "Proto")) << s;
  std::istringstream first(lineOf(s, kSecondRow - 2));
  first >> proto >> local >> remote;
  t.type(sgrPress(20, kSecondRow - 2) + sgrPress(20, kSecondRow - 2));
  s = t.waitForText("Connection #");
  ASSERT_TRUE(has(s, "Connection #")) << s;
  EXPECT_TRUE(has(s, remote)) << remote << "\n" << s;
  t.keys("q");
  t.keys("q");
  s = t.waitFor(exited);
  EXPECT_EQ(t.format("#{mouse_any_flag}#{mouse_standard_flag}#{mouse_sgr_flag}"), "000") << "mouse left on";
}

TEST_F(UiE2e, NoMouseLeavesTheMouseToTheTerminal) {
  const std::string pcap = sampleCapture();
  Tmux t(dir_, 140, 30);
  t.shell("TERM=xterm-256color " + rustnet("--no-mouse --read " + shq(pcap)) + "; echo rc=$?");
  const std::string s = t.waitForText("(file, at its end)");
  ASSERT_TRUE(has(s, "(file, at its end)")) << s;
  EXPECT_EQ(t.format("#{mouse_any_flag}#{mouse_standard_flag}#{mouse_sgr_flag}"), "000");
  t.keys("q");
  t.keys("q");
  t.waitFor(exited);
}

TEST_F(UiE2e, LiveLoopbackTraffic) {
  if (::geteuid() != 0) GTEST_SKIP() << "live capture on lo needs root";
  if (runCommand("command -v python3 >/dev/null 2>&1").status != 0) GTEST_SKIP() << "python3 is not installed";
  Tmux t(dir_, 160, 30);
  t.shell(rustnet("-i lo -r 200 --json-log live.ndjson") + "; echo rc=$?");
  std::string s = t.waitForText("lo (live)");
  ASSERT_TRUE(has(s, "lo (live)")) << s;
  // A short TCP conversation on loopback: a listener, a client, a few lines, bounded time.
  const fs::path script = dir_ / "talk.py";
  std::ofstream(script) << "import socket, threading, time\n"
                           "srv = socket.socket(); srv.bind(('127.0.0.1', 0)); srv.listen(1)\n"
                           "print(srv.getsockname()[1], flush=True)\n"
                           "def serve():\n"
                           "    c, _ = srv.accept()\n"
                           "    while c.recv(1024): pass\n"
                           "threading.Thread(target=serve, daemon=True).start()\n"
                           "cli = socket.create_connection(('127.0.0.1', srv.getsockname()[1]), timeout=5)\n"
                           "for i in range(30):\n"
                           "    cli.sendall(b'x' * 1000); time.sleep(0.1)\n"
                           "time.sleep(2)\n";
  const CommandResult talk = runCommand("timeout 20 python3 " + shq(script.string()));
  std::string port = talk.out;
  while (!port.empty() && (port.back() == '\n' || port.back() == '\r')) port.pop_back();
  ASSERT_FALSE(port.empty()) << "the loopback conversation did not run";
  // Closed by now: it stays listed (dimmed) for a while after it ends.
  s = t.waitForText("127.0.0.1:" + port);
  EXPECT_TRUE(has(s, "127.0.0.1:" + port)) << s;
  t.keys("/");
  t.type("proto:tcp dport:" + port);
  s = t.waitForText("/proto:tcp dport:" + port);
  EXPECT_EQ(countLinesWith(s, "127.0.0.1:" + port), 1) << s;
  t.keys("Escape");
  t.keys("q");
  t.keys("q");
  EXPECT_TRUE(has(t.waitFor(exited, 20s), "rc=0"));
  expectRestored(t);
  // The log's new_connection line waited for the process, as --json does: the python
  // process owned both ends for seconds.
  std::ifstream log(dir_ / "live.ndjson");
  std::string line;
  int named = 0;
  int news = 0;
  while (std::getline(log, line)) {
    if (!has(line, "\"new_connection\"") || !has(line, "\"destination_port\":" + port + ",")) continue;
    ++news;
    named += has(line, "\"process_name\":\"python3\"") ? 1 : 0;
  }
  EXPECT_EQ(news, 1);
  EXPECT_EQ(named, 1);
}

// A network namespace of the test's own (lo, and a veth pair inside it with 198.18.7.1/24), removed
// with everything in it when the object goes.
class OwnNetns {
public:
  OwnNetns() : name_("rn-ui-" + std::to_string(::getpid())) {
    const auto r = runCommand("( set -e; ip netns add " + name_ + "; ip -n " + name_ + " link set lo up; ip -n " +
                              name_ + " link add rn0 type veth peer name rn1; ip -n " + name_ + " addr add " +
                              kAddr + "/24 dev rn0; ip -n " + name_ + " link set rn1 up; ip -n " + name_ +
                              " link set rn0 up ) 2>&1");
    if (r.status != 0) reason_ = "could not create a namespace: " + r.out;
  }
  ~OwnNetns() {
    runCommand("ip netns pids " + name_ + " 2>/dev/null | xargs -r kill -KILL 2>/dev/null");
    runCommand("ip netns del " + name_ + " 2>/dev/null");
  }
  OwnNetns(const OwnNetns&) = delete;
  OwnNetns& operator=(const OwnNetns&) = delete;

  [[nodiscard]] const std::string& reason() const { return reason_; }
  [[nodiscard]] std::string exec(const std::string& cmd) const { return "ip netns exec " + name_ + " " + cmd; }
  // A TCP listener on kAddr, opened by this process from a thread that enters the namespace
  // (the namespace is per thread: the rest of the test stays where it was). Returns its fd
  // and port; fd -1 on failure.
  [[nodiscard]] std::pair<int, std::uint16_t> listen() const {
    std::pair<int, std::uint16_t> out{-1, 0};
    std::thread([&] {
      const int ns = ::open(("/run/netns/" + name_).c_str(), O_RDONLY | O_CLOEXEC);
      if (ns < 0 || ::setns(ns, CLONE_NEWNET) != 0) return;
      ::close(ns);
      const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
      sockaddr_in a{};
      a.sin_family = AF_INET;
      ::inet_pton(AF_INET, kAddr, &a.sin_addr);
      socklen_t len = sizeof a;
      if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 || ::listen(fd, 4) != 0 ||
          ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) != 0) {
        if (fd >= 0) ::close(fd);
        return;
      }
      out = {fd, ntohs(a.sin_port)};
    }).join();
    return out;
  }
  static constexpr const char* kAddr = "198.18.7.1";

private:
  std::string name_;
  std::string reason_;
};

TEST_F(UiE2e, GraphChartsAFileAndHostListsAListenerInItsNamespace) {
  if (::geteuid() != 0) GTEST_SKIP() << "network namespaces need root";
  if (runCommand("command -v ip >/dev/null 2>&1").status != 0) GTEST_SKIP() << "needs iproute2 (ip)";
  const std::string pcap = sampleCapture();
  OwnNetns ns;
  ASSERT_TRUE(ns.reason().empty()) << ns.reason();
  const auto [fd, port] = ns.listen();
  ASSERT_GE(fd, 0) << "could not listen in the namespace";
  Tmux t(dir_, 120, 32);
  // rustnet reads a file, and lists the sockets of the namespace it runs in: no traffic of
  // the listener's is in the file.
  t.shell(ns.exec(rustnet("--read " + shq(pcap))) + "; echo rc=$?");
  std::string s = t.waitForText("(file, at its end)");
  ASSERT_TRUE(has(s, "(file, at its end)")) << s;

  t.keys("4");
  s = t.waitForText("Received");
  for (const char* part : {"\u2193 Received", "\u2191 Sent", "now", "Health", "retransmissions", "Applications",
                           "TCP states"}) {
    EXPECT_TRUE(has(s, part)) << part << "\n" << s;
  }
  // The file's bytes are charted: some braille dots, and a non-zero peak.
  EXPECT_TRUE(has(s, "\xe2\xa2") || has(s, "\xe2\xa3") || has(s, "\xe2\xa1")) << s;
  EXPECT_FALSE(has(s, "peak 0B/s")) << s;

  t.keys("5");
  const std::string listener = std::string(OwnNetns::kAddr) + ":" + std::to_string(port);
  s = t.waitForText(listener);
  ASSERT_TRUE(has(s, listener)) << s;
  std::istringstream lines(s);
  std::string line;
  while (std::getline(lines, line) && !has(line, listener)) {
  }
  EXPECT_TRUE(has(line, "TCP")) << line;
  EXPECT_TRUE(has(line, "ui_tmux_tests")) << line;
  EXPECT_TRUE(has(line, " " + std::to_string(::getpid()) + " ")) << line;
  EXPECT_TRUE(has(s, "TCP listening")) << s;
  t.keys("q");
  t.keys("q");
  EXPECT_TRUE(has(t.waitFor(exited, 20s), "rc=0"));
  expectRestored(t);
  ::close(fd);
}

}  // namespace
}  // namespace rustnet::test
