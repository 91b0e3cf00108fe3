// End to end: rustnet captures live between two namespaces while a script makes known
// traffic; its JSON must describe exactly that traffic. The byte and packet counts are
// checked against an independent capture of the same interface made with dumpcap and read
// back with tshark.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <thread>

#include "e2e/netns.h"
#include "support/test_support.h"

namespace rustnet::test {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

struct DirCount {
  std::uint64_t packets = 0;
  std::uint64_t bytes = 0;
};
// Per conversation (protocol + local port + remote port, as a readable key): out / in.
struct Oracle {
  std::map<std::string, std::pair<DirCount, DirCount>> rows;
  std::uint64_t frames = 0;
};

std::string key(const std::string& proto, std::uint64_t lport, std::uint64_t rport) {
  return proto + ":" + std::to_string(lport) + ">" + std::to_string(rport);
}

// Reads the dumpcap file with tshark: one line per frame, IP fragments left as they are on
// the wire. A later fragment (no ports) belongs to the conversation of the first fragment
// with the same addresses and IP ID.
Oracle readOracle(const fs::path& pcap) {
  const auto r = runCommand(
      "tshark -n -o ip.defragment:FALSE -r " + pcap.string() +
      " -T fields -E separator=, -e frame.len -e ip.src -e ip.proto -e tcp.srcport -e tcp.dstport"
      " -e udp.srcport -e udp.dstport -e icmp.ident -e arp.src.proto_ipv4 -e arp.dst.proto_ipv4"
      " -e ip.dst -e ip.id -e ip.frag_offset 2>/dev/null");
  Oracle o;
  std::map<std::string, std::pair<std::string, bool>> fragmentOwner;  // src,dst,id → row, outbound
  std::istringstream in(r.out);
  std::string line;
  while (std::getline(in, line)) {
    std::vector<std::string> f;
    std::stringstream ss(line);
    std::string cell;
    while (std::getline(ss, cell, ',')) f.push_back(cell);
    f.resize(13);
    ++o.frames;
    const std::uint64_t len = std::stoull(f[0]);
    std::string k;
    bool outbound = false;
    const std::string fragmentId = f[1] + ">" + f[10] + "#" + f[11];
    if (!f[12].empty() && f[12] != "0") {
      const auto owner = fragmentOwner.find(fragmentId);
      k = owner != fragmentOwner.end() ? owner->second.first : "fragment without its first:" + line;
      outbound = owner != fragmentOwner.end() && owner->second.second;
    } else if (!f[8].empty()) {  // ARP: one row for the address pair
      k = "ARP";
      outbound = f[8] == NetnsPair::kAddrA;
    } else if (f[2] == "6" || f[2] == "17") {
      outbound = f[1] == NetnsPair::kAddrA;
      const std::string& sp = f[2] == "6" ? f[3] : f[5];
      const std::string& dp = f[2] == "6" ? f[4] : f[6];
      k = outbound ? key(f[2] == "6" ? "TCP" : "UDP", std::stoull(sp), std::stoull(dp))
                   : key(f[2] == "6" ? "TCP" : "UDP", std::stoull(dp), std::stoull(sp));
    } else if (f[2] == "1") {
      outbound = f[1] == NetnsPair::kAddrA;
      k = "ICMP:" + std::to_string(std::stoul(f[7], nullptr, 0));
    } else {
      k = "other:" + line;
    }
    if (f[12] == "0") fragmentOwner[fragmentId] = {k, outbound};
    auto& row = o.rows[k];
    DirCount& d = outbound ? row.first : row.second;
    ++d.packets;
    d.bytes += len;
  }
  return o;
}

std::string rowKey(const json& e) {
  const std::string proto = e.at("protocol");
  if (proto == "ARP") return "ARP";
  if (proto == "ICMP") return "ICMP:" + std::to_string(e.value("icmp_id", 0));
  return key(proto, e.at("source_port"), e.at("destination_port"));
}

bool waitFor(const std::function<bool()>& ok, std::chrono::milliseconds limit) {
  const auto end = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < end) {
    if (ok()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return ok();
}

TEST(NetnsCapture, ReportsExactlyTheTrafficMade) {
  NetnsPair net;
  if (!net.reason().empty()) GTEST_SKIP() << net.reason();
  if (runCommand("command -v dumpcap >/dev/null && command -v tshark >/dev/null && command -v python3 >/dev/null").status != 0) {
    GTEST_SKIP() << "needs dumpcap, tshark and python3 (scripts/install-deps.sh installs them)";
  }
  const fs::path dir = fs::temp_directory_path() / ("rustnet-e2e-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const fs::path oraclePcap = dir / "oracle.pcap";
  const fs::path jsonOut = dir / "events.json";
  const fs::path traffic = fs::path(RUSTNET_E2E_DIR) / "traffic.py";

  // Both captures start before any traffic and stop after it.
  runCommand(net.execA("dumpcap -q -P -i " + net.vethA() + " -w " + oraclePcap.string()) +
             " >/dev/null 2>&1 & echo $! > " + (dir / "dumpcap.pid").string());
  runCommand(net.execA(rustnetBinary().string() + " -i " + net.vethA() + " --json --workers 1") + " > " +
             jsonOut.string() + " 2> " + (dir / "stderr").string() + " & echo $! > " + (dir / "rustnet.pid").string());
  ASSERT_TRUE(waitFor([&] { return fs::exists(oraclePcap); }, std::chrono::seconds(10)));
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));  // rustnet's capture is open by now

  runCommand(net.execB("timeout 30 python3 " + traffic.string() + " serve " + NetnsPair::kAddrB) + " > " +
             (dir / "server.out").string() + " 2>&1 &");
  ASSERT_TRUE(waitFor([&] {
    std::ifstream f(dir / "server.out");
    std::string s;
    return std::getline(f, s) && s == "ready";
  }, std::chrono::seconds(10)));
  const auto clients = runCommand(net.execA("timeout 30 python3 " + traffic.string() + " clients " + NetnsPair::kAddrB) + " 2>&1");
  ASSERT_EQ(clients.status, 0) << clients.out;
  std::this_thread::sleep_for(std::chrono::milliseconds(700));

  runCommand("kill -INT $(cat " + (dir / "rustnet.pid").string() + ") $(cat " + (dir / "dumpcap.pid").string() + ")");
  // The monitor's pid file holds `ip netns exec`, which execs rustnet: same pid.
  ASSERT_TRUE(waitFor([&] {
    return runCommand("kill -0 $(cat " + (dir / "rustnet.pid").string() + ") 2>/dev/null").status != 0;
  }, std::chrono::seconds(10)));
  std::this_thread::sleep_for(std::chrono::milliseconds(300));

  const Oracle oracle = readOracle(oraclePcap);
  ASSERT_GT(oracle.frames, 0u);

  std::ifstream in(jsonOut);
  std::string line;
  std::map<std::string, json> closed;
  std::map<std::string, json> opened;
  json summary;
  while (std::getline(in, line)) {
    json e = json::parse(line);  // throws (fails the test) on invalid JSON
    const std::string ev = e.at("event");
    if (ev == "summary") {
      summary = e;
      continue;
    }
    EXPECT_EQ(e.at("source_ip"), e.at("protocol") == "ARP" ? e.at("source_ip") : json(NetnsPair::kAddrA)) << line;
    (ev == "new_connection" ? opened : closed)[rowKey(e)] = e;
  }
  ASSERT_FALSE(summary.is_null()) << "no summary line";

  // Every conversation on the wire is a row, and there is no other row.
  for (const auto& [k, counts] : oracle.rows) EXPECT_TRUE(closed.count(k)) << "missing row " << k;
  for (const auto& [k, e] : closed) EXPECT_TRUE(oracle.rows.count(k)) << "unexpected row " << e.dump();
  EXPECT_EQ(opened.size(), closed.size());

  for (const auto& [k, e] : closed) {
    auto it = oracle.rows.find(k);
    if (it == oracle.rows.end()) continue;
    const auto& [out, inb] = it->second;
    EXPECT_EQ(e.at("packets_sent"), out.packets) << k;
    EXPECT_EQ(e.at("bytes_sent"), out.bytes) << k;
    EXPECT_EQ(e.at("packets_received"), inb.packets) << k;
    EXPECT_EQ(e.at("bytes_received"), inb.bytes) << k;
  }

  // The client port is ephemeral: find the rows by destination port.
  auto byDport = [&](std::uint64_t port) -> json {
    for (const auto& [k, e] : closed) {
      if (e.value("destination_port", std::uint64_t{0}) == port) return e;
    }
    return {};
  };
  const json tcpClean = byDport(5001);
  ASSERT_FALSE(tcpClean.is_null());
  EXPECT_EQ(tcpClean.at("state"), "TIME_WAIT");
  EXPECT_EQ(tcpClean.at("end_reason"), "closed");
  EXPECT_EQ(tcpClean.at("destination_ip"), NetnsPair::kAddrB);
  const json tcpReset = byDport(5002);
  ASSERT_FALSE(tcpReset.is_null());
  EXPECT_EQ(tcpReset.at("state"), "CLOSED");
  EXPECT_EQ(tcpReset.at("end_reason"), "closed");
  const json udp = byDport(5003);
  ASSERT_FALSE(udp.is_null());
  EXPECT_EQ(udp.at("protocol"), "UDP");
  EXPECT_EQ(udp.at("packets_sent"), 5);
  EXPECT_EQ(udp.at("packets_received"), 5);
  EXPECT_EQ(udp.at("bytes_sent"), 5 * (14 + 20 + 8 + 100));
  EXPECT_EQ(udp.at("bytes_received"), 5 * (14 + 20 + 8 + 200));
  EXPECT_EQ(udp.at("state"), "UDP_ACTIVE");
  EXPECT_EQ(udp.at("end_reason"), "forced_end");
  // IP fragments: every fragment is counted in its datagram's connection.
  const json fragmented = byDport(5004);
  ASSERT_FALSE(fragmented.is_null());
  EXPECT_EQ(fragmented.at("packets_sent"), 2 * 3);
  EXPECT_EQ(fragmented.at("packets_received"), 3);
  EXPECT_EQ(fragmented.at("bytes_sent"), 2 * (3 * (14 + 20) + 8 + 4000));
  EXPECT_EQ(fragmented.at("bytes_received"), 3 * (14 + 20) + 8 + 3200);
  ASSERT_TRUE(closed.count("ICMP:16962"));
  const json& icmp = closed["ICMP:16962"];
  EXPECT_EQ(icmp.at("packets_sent"), 3);
  EXPECT_EQ(icmp.at("packets_received"), 3);
  EXPECT_EQ(icmp.at("bytes_sent"), 3 * (14 + 20 + 8 + 56));
  EXPECT_EQ(icmp.at("state"), "ECHO_REPLY");

  EXPECT_EQ(summary.at("packets_seen"), oracle.frames);
  EXPECT_EQ(summary.at("packets_dropped_kernel"), 0);
  EXPECT_EQ(summary.at("packets_dropped_ours"), 0);
  EXPECT_EQ(summary.at("connections_created"), closed.size());

  fs::remove_all(dir);
}

}  // namespace
}  // namespace rustnet::test
