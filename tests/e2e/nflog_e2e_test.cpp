// End to end: live capture on an `nflog:N` device. Inside a namespace of its own, the test
// adds an nftables rule that logs a few UDP datagrams to group N with a prefix, sends them,
// and expects rustnet -i nflog:N to report that conversation with the rule's prefix.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>
#include <thread>

#include "e2e/netns.h"
#include "support/test_support.h"

namespace rustnet::test {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

bool waitUntil(const std::function<bool()>& ok, std::chrono::milliseconds limit) {
  const auto end = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < end) {
    if (ok()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return ok();
}

TEST(NflogLive, LoggedDatagramsBecomeAConnectionWithThePrefix) {
  NetnsPair net;
  if (!net.reason().empty()) GTEST_SKIP() << net.reason();
  if (runCommand("command -v nft >/dev/null && command -v python3 >/dev/null").status != 0) {
    GTEST_SKIP() << "needs nft and python3 (scripts/install-deps.sh installs them)";
  }
  const int group = 40 + static_cast<int>(::getpid() % 1000);  // the namespace is ours: any group
  const std::string rules =
      "add table inet rustnet_test; "
      "add chain inet rustnet_test out { type filter hook output priority 0; policy accept; }; "
      "add rule inet rustnet_test out udp dport 5009 log group " + std::to_string(group) + " prefix \"rn-test\"";
  const auto added = runCommand(net.execA("nft '" + rules + "'") + " 2>&1");
  if (added.status != 0) GTEST_SKIP() << "nft could not add a log rule here: " << added.out;

  const fs::path dir = fs::temp_directory_path() / ("rustnet-nflog-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const fs::path jsonOut = dir / "events.json";
  const fs::path pidFile = dir / "rustnet.pid";
  runCommand(net.execA(rustnetBinary().string() + " -i nflog:" + std::to_string(group) + " --json --workers 1") +
             " > " + jsonOut.string() + " 2> " + (dir / "stderr").string() + " & echo $! > " + pidFile.string());
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));  // the capture is open by now

  // Three datagrams from a fixed port; nothing listens on B (its port-unreachable replies
  // are not logged: the rule matches the datagrams only).
  const auto sent = runCommand(net.execA(
      "timeout 10 python3 -c \"import socket,time\n"
      "s=socket.socket(socket.AF_INET,socket.SOCK_DGRAM)\n"
      "s.bind(('" + std::string(NetnsPair::kAddrA) + "',41009))\n"
      "for i in range(3):\n"
      "    s.sendto(b'x'*64,('" + std::string(NetnsPair::kAddrB) + "',5009)); time.sleep(0.05)\"") + " 2>&1");
  ASSERT_EQ(sent.status, 0) << sent.out;
  // The kernel batches log messages and flushes a group's batch after up to a second.
  std::this_thread::sleep_for(std::chrono::milliseconds(2500));

  runCommand("kill -INT $(cat " + pidFile.string() + ")");
  ASSERT_TRUE(waitUntil([&] {
    return runCommand("kill -0 $(cat " + pidFile.string() + ") 2>/dev/null").status != 0;
  }, std::chrono::seconds(10)));

  std::ifstream errIn(dir / "stderr");
  const std::string err((std::istreambuf_iterator<char>(errIn)), {});
  std::ifstream in(jsonOut);
  std::string line;
  json closed;
  json summary;
  std::string all;
  while (std::getline(in, line)) {
    all += line + "\n";
    json e = json::parse(line);
    if (e.at("event") == "summary") summary = e;
    if (e.at("event") == "connection_closed" && e.value("destination_port", 0) == 5009) closed = e;
  }
  fs::remove_all(dir);
  ASSERT_FALSE(summary.is_null()) << "no summary; stderr: " << err;
  EXPECT_EQ(summary.at("interface"), "nflog:" + std::to_string(group));
  EXPECT_EQ(summary.at("packets_unsupported_link"), 0);
  ASSERT_FALSE(closed.is_null()) << "no row for the logged datagrams; stderr: " << err << "; output: " << all;
  EXPECT_EQ(closed.at("protocol"), "UDP");
  EXPECT_EQ(closed.at("source_port"), 41009);
  EXPECT_EQ(closed.at("destination_ip"), NetnsPair::kAddrB);
  EXPECT_EQ(closed.at("packets_sent").get<int>() + closed.at("packets_received").get<int>(), 3);
  EXPECT_EQ(closed.at("nflog_prefix"), "rn-test");
}

}  // namespace
}  // namespace rustnet::test
