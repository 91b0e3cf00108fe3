// `rustnet --read F --json` over every shared capture: it must never crash or trip a
// sanitizer, every line must be valid JSON ending in a summary, its distinct TCP and UDP
// endpoint pairs and their frame counts must equal tshark's conversations (defragmentation
// off), and per direction its packets and bytes must equal tshark's frames and frame.len
// sums. Every file agrees, or its difference is explained in a table below.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "conformance/conversations.h"
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

// Files whose TCP/UDP endpoint pairs (or their frame counts) legitimately differ from
// tshark's conversations, and why.
const std::map<std::string, std::string>& knownPairDifferences() {
  static const std::map<std::string, std::string> k = {
      {"ndpi__fuzz-2021-06-07-c6c72a0a56.pcap",
       "its one record claims 2147483647 bytes for 48 captured and an invalid timestamp: tshark "
       "lists no conversation for it, we track the UDP flow (its length capped)"},
  };
  return k;
}

// Files whose per-direction packets/bytes differ from tshark's per-frame fields, and why.
const std::map<std::string, std::string>& knownCountDifferences() {
  static const std::map<std::string, std::string> k = {
      {"ndpi__fuzz-2021-06-07-c6c72a0a56.pcap", "see knownPairDifferences"},
  };
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
  for (const auto& e : out.events) {
    const std::string ev = e.value("event", "");
    if (ev == "new_connection") ++opened[e.value("protocol", "")];
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
  if (const auto row = truth.find(name); row != truth.end() && out.status == 0) {
    EXPECT_EQ(summary.value("packets_seen", 0), std::stoi(row->second.at("packets")));
  }

  const auto theirs = tsharkPairs(file);
  if (!theirs) GTEST_SKIP() << "no tshark (scripts/install-deps.sh installs it)";
  const PairFrames ours = ourPairs(out.events);
  RecordProperty("pairs", std::to_string(ours.size()) + "/" + std::to_string(theirs->size()));
  if (knownPairDifferences().count(name) != 0) return;
  // tshark's conversations (defragmentation off) count a fragmented datagram's first
  // fragment only, so frames are compared per direction below, where fragments are credited.
  std::set<std::string> ourKeys, theirKeys;
  for (const auto& [k, frames] : ours) ourKeys.insert(k);
  for (const auto& [k, frames] : *theirs) theirKeys.insert(k);
  EXPECT_TRUE(ourKeys == theirKeys) << name << ": endpoint pairs differ from tshark's conversations"
                                    << keyDifference(ours, *theirs, "ours", "tshark");

  const auto theirCounts = tsharkDirected(file);
  ASSERT_TRUE(theirCounts);
  if (knownCountDifferences().count(name) != 0) return;
  const DirectedCounts ourCounts = ourDirected(out.events);
  EXPECT_EQ(ourCounts.size(), theirCounts->size()) << name << ": directions differ" << keyDifference(ourCounts, *theirCounts, "ours", "tshark");
  for (const auto& [k, c] : ourCounts) {
    const auto it = theirCounts->find(k);
    if (it == theirCounts->end()) continue;
    EXPECT_EQ(c.packets, it->second.packets) << name << " " << k;
    EXPECT_EQ(c.bytes, it->second.bytes) << name << " " << k;
  }
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
