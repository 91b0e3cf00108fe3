// `rustnet --read F --json` over every shared capture: it must never crash or trip a
// sanitizer, every line must be valid JSON ending in a summary, and on well-formed files
// the numbers of TCP and UDP conversations must equal tshark's (truth.tsv).
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "support/test_support.h"

namespace rustnet::test {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

struct RunOutput {
  int status = -1;
  std::vector<json> events;
  std::string invalidLine;  // first line that is not JSON
  std::string stderrText;
};

RunOutput runOn(const fs::path& capture) {
  const fs::path err = fs::temp_directory_path() / ("rustnet-conf-" + std::to_string(::getpid()) + ".err");
  const auto r = runCommand(rustnetBinary().string() + " --read '" + capture.string() + "' --json --workers 1 2> " +
                            err.string());
  RunOutput o;
  o.status = r.status;
  std::ifstream e(err);
  o.stderrText.assign(std::istreambuf_iterator<char>(e), {});
  fs::remove(err);
  std::istringstream in(r.out);
  std::string line;
  while (std::getline(in, line)) {
    try {
      o.events.push_back(json::parse(line));
    } catch (const json::exception&) {
      if (o.invalidLine.empty()) o.invalidLine = line;
    }
  }
  return o;
}

// Files where our conversation counts legitimately differ from tshark's, and why.
const std::map<std::string, std::string>& knownDifferences() {
  static const std::map<std::string, std::string> k = {};
  return k;
}

class EveryCapture : public ::testing::TestWithParam<fs::path> {};

TEST_P(EveryCapture, ValidJsonAndConversationCounts) {
  const fs::path file = GetParam();
  const std::string name = file.filename().string();
  const RunOutput out = runOn(file);

  EXPECT_EQ(out.stderrText.find("Sanitizer"), std::string::npos) << out.stderrText;
  EXPECT_EQ(out.stderrText.find("runtime error"), std::string::npos) << out.stderrText;
  ASSERT_TRUE(out.status == 0 || out.status == 1) << "exit " << out.status << "\n" << out.stderrText;
  if (out.status == 1) {
    // A damaged file: exactly one error line after everything read was reported.
    EXPECT_EQ(std::count(out.stderrText.begin(), out.stderrText.end(), '\n'), 1) << out.stderrText;
    EXPECT_EQ(out.stderrText.rfind("rustnet: error: ", 0), 0u) << out.stderrText;
  }
  EXPECT_TRUE(out.invalidLine.empty()) << "invalid JSON: " << out.invalidLine;
  ASSERT_FALSE(out.events.empty());
  const json& summary = out.events.back();
  ASSERT_EQ(summary.value("event", ""), "summary");

  std::map<std::string, int> opened;
  std::map<std::string, int> closedCount;
  std::set<std::string> udpTuples;
  for (const auto& e : out.events) {
    const std::string ev = e.value("event", "");
    if (ev == "new_connection") ++opened[e.value("protocol", "")];
    if (ev == "new_connection" && e.value("protocol", "") == "UDP") {
      udpTuples.insert(e.value("source_ip", "") + "|" + std::to_string(e.value("source_port", 0)) + "|" +
                       e.value("destination_ip", "") + "|" + std::to_string(e.value("destination_port", 0)));
    }
    if (ev == "connection_closed") ++closedCount[e.value("protocol", "")];
  }
  // Nothing is lost: every connection opened is closed (forced at the end if need be).
  EXPECT_EQ(opened, closedCount);
  EXPECT_EQ(summary.value("connections_created", 0), [&] {
    int n = 0;
    for (const auto& [p, c] : opened) n += c;
    return n;
  }());

  static const TruthTable truth = readTruth();
  const auto row = truth.find(name);
  if (row == truth.end()) return;
  const auto& t = row->second;
  const bool clean = t.at("expert_error_pkts") == "0" && t.at("ip_fragment_pkts") == "0" &&
                     t.at("snaplen_truncated_pkts") == "0";
  RecordProperty("tcp", std::to_string(opened["TCP"]) + "/" + t.at("tcp_streams"));
  RecordProperty("udp", std::to_string(opened["UDP"]) + "/" + t.at("udp_streams"));
  if (out.status == 0) {
    EXPECT_EQ(summary.value("packets_seen", 0), std::stoi(t.at("packets")));
  }
  if (!clean || knownDifferences().count(name) != 0) return;
  EXPECT_EQ(opened["TCP"], std::stoi(t.at("tcp_streams"))) << name;
  // tshark's UDP conversation has no timeout; ours ends after 60 s idle and a later
  // datagram starts a new connection. Distinct tuples are what must agree.
  EXPECT_EQ(static_cast<int>(udpTuples.size()), std::stoi(t.at("udp_streams"))) << name;
}

std::string testName(const ::testing::TestParamInfo<fs::path>& info) {
  std::string s = info.param.filename().string();
  for (char& c : s) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return s;
}

INSTANTIATE_TEST_SUITE_P(SharedPcaps, EveryCapture, ::testing::ValuesIn(captureFiles()), testName);
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(EveryCapture);

}  // namespace
}  // namespace rustnet::test
