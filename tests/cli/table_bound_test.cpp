// The table bound holds under a flood of distinct tuples: rustnet reads a synthetic capture
// with far more flows than --max-connections allows, and its events and summary must show
// that no more than the bound were ever live at once and that every connection beyond it
// was evicted and counted.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <map>
#include <sstream>
#include <string>

#include "flow_pcap.h"
#include "support/test_support.h"

namespace rustnet::test {
namespace {

namespace fs = std::filesystem;

struct Tally {
  std::uint64_t newEvents = 0;
  std::map<std::string, std::uint64_t> closedBy;  // end_reason → count
  std::uint64_t maxOpen = 0;
  nlohmann::json summary;
};

class TableBound : public ::testing::Test {
protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("rustnet-scale-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  // Runs rustnet --json over `pcap` and folds its NDJSON into a Tally.
  Tally run(const fs::path& pcap, const std::string& args) {
    const auto r = runCommand(rustnetBinary().string() + " --read " + pcap.string() + " --json " + args +
                              " 2>/dev/null");
    EXPECT_EQ(r.status, 0);
    Tally t;
    std::uint64_t open = 0;
    std::istringstream in(r.out);
    // Only the summary is parsed whole: a full JSON parse of 100,000 event lines would make
    // this test slow in debug and sanitizer builds. Event lines are matched on their fixed
    // prefix fields, which output/events.cpp writes in this order.
    for (std::string line; std::getline(in, line);) {
      if (line.find(R"("event":"new_connection")") != std::string::npos) {
        ++t.newEvents;
        ++open;
        t.maxOpen = std::max(t.maxOpen, open);
      } else if (line.find(R"("event":"connection_closed")") != std::string::npos) {
        const auto at = line.find(R"("end_reason":")");
        EXPECT_NE(at, std::string::npos) << line;
        if (at == std::string::npos) continue;
        const auto from = at + 14;
        ++t.closedBy[line.substr(from, line.find('"', from) - from)];
        EXPECT_GT(open, 0u);
        --open;
      } else if (line.find(R"("event":"summary")") != std::string::npos) {
        t.summary = nlohmann::json::parse(line);
      }
    }
    EXPECT_EQ(open, 0u) << "every connection must be reported closed by the end";
    return t;
  }

  fs::path dir_;
};

constexpr std::uint64_t kFlows = 50'000;
constexpr std::uint64_t kBound = 1'000;

TEST_F(TableBound, DistinctFlowsBeyondTheBoundAreEvictedAndCounted) {
  const fs::path pcap = dir_ / "flows.pcap";
  scale::FlowPcapOptions o;
  o.flows = kFlows;
  ASSERT_TRUE(scale::writeFlowPcap(pcap.string(), o));

  const Tally t = run(pcap, "--workers 0 --max-connections " + std::to_string(kBound));
  ASSERT_FALSE(t.summary.is_null());
  const auto& s = t.summary;
  EXPECT_EQ(s.at("connections_created").get<std::uint64_t>(), kFlows);
  EXPECT_EQ(s.at("connections_evicted").get<std::uint64_t>(), kFlows - kBound);
  // The capture spans two seconds: nothing closes or expires; the last `kBound` remain.
  EXPECT_EQ(s.at("connections_closed").get<std::uint64_t>(), 0u);
  EXPECT_EQ(s.at("connections_expired").get<std::uint64_t>(), 0u);
  EXPECT_EQ(s.at("connections_forced_end").get<std::uint64_t>(), kBound);
  EXPECT_EQ(t.newEvents, kFlows);
  EXPECT_EQ(t.closedBy.at("evicted"), kFlows - kBound);
  EXPECT_EQ(t.closedBy.at("forced_end"), kBound);
  EXPECT_EQ(t.maxOpen, kBound);
}

TEST_F(TableBound, RandomFloodOverTwoWorkersStaysWithinTheBound) {
  const fs::path pcap = dir_ / "flood.pcap";
  scale::FlowPcapOptions o;
  o.flows = kFlows;
  o.random = true;
  o.seed = 6;
  ASSERT_TRUE(scale::writeFlowPcap(pcap.string(), o));

  // Two shards of kBound / 2 each; a random tuple may repeat, so `created` is not known in
  // advance, but every counter must add up.
  const Tally t = run(pcap, "--workers 2 --max-connections " + std::to_string(kBound));
  ASSERT_FALSE(t.summary.is_null());
  const auto& s = t.summary;
  const auto created = s.at("connections_created").get<std::uint64_t>();
  EXPECT_GT(created, kFlows * 99 / 100);
  EXPECT_LE(created, kFlows);
  EXPECT_EQ(s.at("connections_forced_end").get<std::uint64_t>(), kBound);
  EXPECT_EQ(s.at("connections_closed").get<std::uint64_t>() + s.at("connections_expired").get<std::uint64_t>(), 0u);
  EXPECT_EQ(s.at("connections_evicted").get<std::uint64_t>(), created - kBound);
  EXPECT_EQ(t.newEvents, created);
  EXPECT_EQ(t.closedBy.at("evicted"), created - kBound);
  EXPECT_LE(t.maxOpen, kBound);
}

}  // namespace
}  // namespace rustnet::test
