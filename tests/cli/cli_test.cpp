// The binary as a user meets it: flags, errors (one line, non-zero exit), files it writes,
// signals. Each error case asserts the exact shape: a single "rustnet: error: " line.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "support/test_support.h"

namespace rustnet::test {
namespace {

namespace fs = std::filesystem;

struct Outcome {
  int status = -1;
  std::string out;
  std::string err;
};

class Cli : public ::testing::Test {
protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("rustnet-cli-" + std::to_string(::getpid()) + "-" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  Outcome run(const std::string& args, const std::string& prefix = "") {
    const fs::path err = dir_ / "stderr";
    const auto r = runCommand("cd " + dir_.string() + " && " + prefix + rustnetBinary().string() + " " + args +
                              " 2> " + err.string());
    Outcome o{r.status, r.out, {}};
    std::ifstream e(err);
    o.err.assign(std::istreambuf_iterator<char>(e), {});
    return o;
  }
  static void expectOneErrorLine(const Outcome& o, const std::string& mentions) {
    EXPECT_NE(o.status, 0);
    EXPECT_EQ(std::count(o.err.begin(), o.err.end(), '\n'), 1) << o.err;
    EXPECT_EQ(o.err.rfind("rustnet: error: ", 0), 0u) << o.err;
    EXPECT_NE(o.err.find(mentions), std::string::npos) << o.err;
  }
  static std::string pcap(const char* name) {
    const auto d = pcapDir();
    return d.empty() ? std::string() : (d / name).string();
  }

  fs::path dir_;
};

TEST_F(Cli, HelpAndVersion) {
  const Outcome h = run("--help");
  EXPECT_EQ(h.status, 0);
  EXPECT_TRUE(h.err.empty()) << h.err;
  const Outcome v = run("--version");
  EXPECT_EQ(v.status, 0);
  EXPECT_EQ(v.out.rfind("rustnet ", 0), 0u) << v.out;
}

// Every flag, each under the heading it belongs to, with a placeholder that says what to
// give; none of CLI11's type and range notation; examples and keys; 80 columns at most.
TEST_F(Cli, HelpReadsLikeAManPage) {
  const Outcome h = run("--help");
  ASSERT_EQ(h.status, 0);
  const std::string& t = h.out;
  const std::vector<std::pair<std::string, std::vector<std::string>>> groups = {
      {"Capture:", {"-i, --interface IFACE", "--read FILE"}},
      {"Filtering:", {"-f, --bpf-filter EXPR", "--filter QUERY", "--no-localhost"}},
      {"Processing:", {"--no-dpi", "--workers N", "--max-connections N"}},
      {"Output:", {"--json ", "--json-log FILE", "-l, --log-level LEVEL"}},
      {"Terminal UI:", {"-r, --refresh-interval MS", "--no-color", "--no-mouse"}},
      {"Other:", {"-h, --help", "-V, --version"}},
      {"Examples:", {"rustnet --read"}},
      {"Keys", {"quit", "Overview, Details, Activity, Graph, Host", "filter as you type"}},
  };
  std::size_t previous = 0;
  for (std::size_t g = 0; g < groups.size(); ++g) {
    const auto& [heading, entries] = groups[g];
    const std::size_t at = t.find("\n" + heading);
    ASSERT_NE(at, std::string::npos) << heading << "\n" << t;
    EXPECT_GT(at, previous) << heading << " out of order";
    previous = at;
    const std::size_t end = g + 1 < groups.size() ? t.find("\n" + groups[g + 1].first) : t.size();
    for (const std::string& e : entries) {
      const std::size_t pos = t.find(e, at);
      EXPECT_TRUE(pos != std::string::npos && pos < end) << e << " not under " << heading;
    }
  }
  for (const char* noise : {"TEXT", "INT", "UINT", "FLOAT", " in [", "Excludes", "=1000", "=262144"}) {
    EXPECT_EQ(t.find(noise), std::string::npos) << noise << " in\n" << t;
  }
  std::istringstream lines(t);
  std::string line;
  int count = 0;
  while (std::getline(lines, line)) {
    ++count;
    EXPECT_LE(line.size(), 80u) << line;
    EXPECT_EQ(line.find('\t'), std::string::npos) << line;
    EXPECT_TRUE(line.empty() || line.back() != ' ') << "trailing space: '" << line << "'";
  }
  EXPECT_GT(count, 40);
}

// Every flag rustnet accepts is listed, and nothing else: the list is taken from the option
// lines of the help text. A new flag is added here as well as to main.cpp.
TEST_F(Cli, HelpListsEveryOptionTheParserKnows) {
  const Outcome h = run("--help");
  ASSERT_EQ(h.status, 0);
  std::set<std::string> listed;
  std::istringstream lines(h.out);
  std::string line;
  while (std::getline(lines, line)) {
    // An option line: two spaces, then "-x, --name" or "    --name".
    if (line.rfind("  -", 0) != 0 && line.rfind("      --", 0) != 0) continue;
    std::istringstream words(line);
    std::string w;
    while (words >> w) {
      if (w.back() == ',') w.pop_back();
      if (w.rfind("-", 0) == 0) listed.insert(w);
      else break;
    }
  }
  const std::set<std::string> expected = {
      "-h", "--help", "-V", "--version", "-i", "--interface", "--read", "-f", "--bpf-filter",
      "--filter", "--no-localhost", "--no-dpi", "--workers", "--max-connections", "--json",
      "--json-log", "-l", "--log-level", "-r", "--refresh-interval", "--no-color", "--no-mouse"};
  EXPECT_EQ(listed, expected);
}

// README's usage block is the --help text itself, so neither can drift from the other.
TEST_F(Cli, ReadmeUsageIsTheHelpText) {
  std::ifstream f(RUSTNET_README);
  ASSERT_TRUE(f) << RUSTNET_README;
  const std::string readme((std::istreambuf_iterator<char>(f)), {});
  const std::size_t section = readme.find("## Usage\n");
  ASSERT_NE(section, std::string::npos);
  const std::size_t open = readme.find("```\n", section);
  ASSERT_NE(open, std::string::npos);
  const std::size_t close = readme.find("```\n", open + 4);
  ASSERT_NE(close, std::string::npos);
  const Outcome h = run("--help");
  EXPECT_EQ(readme.substr(open + 4, close - open - 4), h.out)
      << "regenerate README.md's usage block from `rustnet --help`";
}

TEST_F(Cli, BadFlagsGiveOneLine) {
  expectOneErrorLine(run("--no-such-flag"), "--no-such-flag");
  expectOneErrorLine(run("-r 5 --json"), "refresh-interval");
  expectOneErrorLine(run("-i lo --read x.pcap"), "excludes");
  expectOneErrorLine(run("--log-level loud --read x.pcap"), "loud");
  EXPECT_EQ(run("--no-such-flag").status, 2);
}

TEST_F(Cli, UnreadableOrForeignFiles) {
  expectOneErrorLine(run("--read /nonexistent.pcap --json"), "/nonexistent.pcap");
  std::ofstream(dir_ / "notes.txt") << "this is not a capture\n";
  expectOneErrorLine(run("--read notes.txt --json"), "notes.txt");
}

TEST_F(Cli, TruncatedFileReportsEverythingThenOneError) {
  const std::string src = pcap("ndpi__443-curl.pcap");
  if (src.empty()) GTEST_SKIP() << "shared captures absent";
  fs::copy_file(src, dir_ / "cut.pcap");
  fs::resize_file(dir_ / "cut.pcap", 40'000);
  const Outcome o = run("--read cut.pcap --json");
  expectOneErrorLine(o, "cut.pcap");
  EXPECT_EQ(o.status, 1);
  std::istringstream in(o.out);
  std::string line;
  std::vector<nlohmann::json> events;
  while (std::getline(in, line)) events.push_back(nlohmann::json::parse(line));
  ASSERT_EQ(events.size(), 3u) << o.out;  // new, closed (forced_end), summary
  EXPECT_EQ(events[1].at("end_reason"), "forced_end");
  EXPECT_EQ(events[2].at("event"), "summary");
  EXPECT_GT(events[2].at("packets_seen").get<int>(), 10);
  EXPECT_TRUE(events[2].contains("source_error"));
}

TEST_F(Cli, JsonLogIsPrivateAndRefusesSymlinks) {
  const std::string src = pcap("tcpdump__dns_udp.pcap");
  if (src.empty()) GTEST_SKIP() << "shared captures absent";
  const Outcome o = run("--read " + src + " --json --json-log events.ndjson");
  ASSERT_EQ(o.status, 0) << o.err;
  std::ifstream f(dir_ / "events.ndjson");
  const std::string logged((std::istreambuf_iterator<char>(f)), {});
  EXPECT_EQ(logged, o.out);
  struct stat st {};
  ASSERT_EQ(::stat((dir_ / "events.ndjson").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);

  fs::create_symlink(dir_ / "elsewhere", dir_ / "link.ndjson");
  expectOneErrorLine(run("--read " + src + " --json --json-log link.ndjson"), "symbolic link");
  EXPECT_FALSE(fs::exists(dir_ / "elsewhere"));
}

TEST_F(Cli, LogFileIsPrivate) {
  const std::string src = pcap("tcpdump__dns_udp.pcap");
  if (src.empty()) GTEST_SKIP() << "shared captures absent";
  const Outcome o = run("--read " + src + " --json -l debug");
  ASSERT_EQ(o.status, 0) << o.err;
  struct stat st {};
  ASSERT_EQ(::lstat((dir_ / "logs").c_str(), &st), 0);
  EXPECT_TRUE(S_ISDIR(st.st_mode));
  EXPECT_EQ(st.st_mode & 0777, 0700u);
  int files = 0;
  for (const auto& e : fs::directory_iterator(dir_ / "logs")) {
    ++files;
    const std::string name = e.path().filename().string();
    EXPECT_EQ(name.rfind("rustnet_", 0), 0u) << name;
    EXPECT_EQ(name.size(), std::string("rustnet_YYYY-MM-DD_HH-MM-SS.log").size()) << name;
    ASSERT_EQ(::stat(e.path().c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u);
    std::ifstream f(e.path());
    const std::string text((std::istreambuf_iterator<char>(f)), {});
    EXPECT_NE(text.find("started"), std::string::npos) << text;
  }
  EXPECT_EQ(files, 1);
  // A symlinked logs directory is refused.
  fs::remove_all(dir_ / "logs");
  fs::create_directories(dir_ / "real");
  fs::create_directory_symlink(dir_ / "real", dir_ / "logs");
  expectOneErrorLine(run("--read " + src + " --json -l info"), "symbolic link");
}

TEST_F(Cli, NoLocalhostIgnoresLoopbackTraffic) {
  const std::string src = pcap("tcpdump__quic_handshake.pcap");
  if (src.empty()) GTEST_SKIP() << "shared captures absent";
  const Outcome with = run("--read " + src + " --json");
  const Outcome without = run("--read " + src + " --json --no-localhost");
  ASSERT_EQ(with.status, 0);
  ASSERT_EQ(without.status, 0);
  EXPECT_NE(with.out.find("new_connection"), std::string::npos);
  EXPECT_EQ(without.out.find("new_connection"), std::string::npos) << without.out;
  EXPECT_NE(without.out.find("\"packets_ignored_loopback\":18"), std::string::npos) << without.out;
}

TEST_F(Cli, BpfFilterOnAFileAndABadOne) {
  const std::string src = pcap("ndpi__iphone.pcap");
  if (src.empty()) GTEST_SKIP() << "shared captures absent";
  const Outcome o = run("--read " + src + " --json -f 'arp'");
  ASSERT_EQ(o.status, 0) << o.err;
  EXPECT_EQ(o.out.find("\"protocol\":\"TCP\""), std::string::npos);
  EXPECT_NE(o.out.find("\"protocol\":\"ARP\""), std::string::npos);
  expectOneErrorLine(run("--read " + src + " --json -f 'tcp port banana'"), "banana");
}

TEST_F(Cli, FilterSelectsWhatJsonWritesAndTheSummaryCountsTheRest) {
  const std::string src = pcap("ndpi__iphone.pcap");
  if (src.empty()) GTEST_SKIP() << "shared captures absent";
  const Outcome all = run("--read " + src + " --json --json-log all.ndjson");
  const Outcome udp = run("--read " + src + " --json --filter proto:udp --json-log log.ndjson");
  ASSERT_EQ(all.status, 0) << all.err;
  ASSERT_EQ(udp.status, 0) << udp.err;
  auto lines = [](const std::string& text) {
    std::vector<nlohmann::json> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) out.push_back(nlohmann::json::parse(line));
    return out;
  };
  int tcpClosed = 0;
  int udpClosed = 0;
  int allClosed = 0;
  for (const auto& j : lines(all.out)) {
    if (j["event"] != "connection_closed") continue;
    ++allClosed;
    tcpClosed += j["protocol"] == "TCP" ? 1 : 0;
    udpClosed += j["protocol"] == "UDP" ? 1 : 0;
  }
  ASSERT_GT(tcpClosed, 0);
  ASSERT_GT(udpClosed, 0);
  const auto filtered = lines(udp.out);
  ASSERT_FALSE(filtered.empty());
  int closed = 0;
  for (const auto& j : filtered) {
    if (j["event"] == "summary") continue;
    EXPECT_EQ(j["protocol"], "UDP") << j.dump();
    closed += j["event"] == "connection_closed" ? 1 : 0;
  }
  EXPECT_EQ(closed, udpClosed);
  const auto& summary = filtered.back();
  ASSERT_EQ(summary["event"], "summary");
  // The counters still count every connection; the filtered-out count is every closed
  // connection that was not written.
  const auto allLines = lines(all.out);
  const auto& full = allLines.back();
  EXPECT_EQ(summary["connections_created"], full["connections_created"]);
  EXPECT_EQ(summary["connections_filtered_out"], allClosed - udpClosed);
  EXPECT_FALSE(full.contains("connections_filtered_out"));
  // --json-log logs everything, whatever --filter says: the same lines as without it.
  std::ifstream a(dir_ / "all.ndjson");
  std::ifstream b(dir_ / "log.ndjson");
  const auto la = lines(std::string(std::istreambuf_iterator<char>(a), {}));
  const auto lb = lines(std::string(std::istreambuf_iterator<char>(b), {}));
  ASSERT_EQ(la.size(), lb.size());
  ASSERT_EQ(la.size(), lines(all.out).size());
  for (std::size_t k = 0; k + 1 < la.size(); ++k) EXPECT_EQ(la[k], lb[k]) << k;
  EXPECT_FALSE(lb.back().contains("connections_filtered_out"));
}

TEST_F(Cli, ABadFilterWithJsonIsOneLineAndExit2) {
  const std::string src = pcap("ndpi__iphone.pcap");
  if (src.empty()) GTEST_SKIP() << "shared captures absent";
  for (const char* bad : {"prot:udp", "port:abc", "proto:", "src:10.0.0.0/99", "/(/", "sni:/a{2,1}/"}) {
    const Outcome o = run("--read " + src + " --json --filter '" + bad + "'");
    EXPECT_EQ(o.status, 2) << bad;
    expectOneErrorLine(o, "--filter");
    EXPECT_TRUE(o.out.empty()) << bad << ": " << o.out;
  }
}

TEST_F(Cli, UnknownInterfaceListsTheAvailableOnes) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root to open interfaces";
  expectOneErrorLine(run("-i nosuchif0 --json"), "lo");
}

TEST_F(Cli, MissingPrivilegesSayHowToGrantThem) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root to drop to an unprivileged user";
  if (runCommand("command -v setpriv >/dev/null").status != 0) GTEST_SKIP() << "needs setpriv";
  const Outcome o = run("-i lo --json", "setpriv --reuid=65534 --regid=65534 --clear-groups ");
  expectOneErrorLine(o, "setcap cap_net_raw,cap_net_admin=eip");
  EXPECT_NE(o.err.find("sudo"), std::string::npos) << o.err;
}

TEST_F(Cli, SigtermEndsALiveRunWithASummary) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root for live capture";
  const Outcome o = run("-i lo --json & pid=$!; sleep 1; kill -TERM $pid; wait $pid; echo exit=$?", "");
  EXPECT_NE(o.out.find("\"event\":\"summary\""), std::string::npos) << o.out << o.err;
  EXPECT_NE(o.out.find("exit=0"), std::string::npos) << o.out << o.err;
}

}  // namespace
}  // namespace rustnet::test
