// The engine over real captures: any number of workers must report the same connections,
// and nothing may be lost between the capture and the front end.
#include "engine/engine.h"

#include <gtest/gtest.h>

#include <fmt/format.h>

#include <algorithm>
#include <thread>

#include "support/test_support.h"

namespace rustnet::engine {
namespace {

struct RunResult {
  std::vector<std::string> rows;  // one line per closed connection, sorted
  EngineStats stats;
  std::optional<std::string> error;
};

RunResult runEngine(const std::string& file, int workers, std::size_t maxConnections = 262'144) {
  EngineConfig cfg;
  cfg.readFile = file;
  cfg.workers = workers;
  cfg.tracker.maxConnections = maxConnections;
  Engine e(cfg);
  e.start();
  RunResult run;
  std::vector<ConnectionEvent> events;
  for (;;) {
    const bool done = e.finished();
    e.drainEvents(events);
    if (done) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  std::size_t opened = 0;
  for (const auto& ev : events) {
    if (ev.kind == ConnectionEvent::Kind::New) {
      ++opened;
      continue;
    }
    const auto& r = ev.record;
    run.rows.push_back(fmt::format("{} {}:{} {}:{} {} {} {}/{} {}/{}", core::protoName(r.proto),
                                   r.local.addr.toString(), r.local.port, r.remote.addr.toString(),
                                   r.remote.port, r.stateLabel, track::endReasonName(ev.reason),
                                   r.sent.packets, r.sent.bytes, r.received.packets, r.received.bytes));
  }
  EXPECT_EQ(opened, run.rows.size()) << "every new connection is closed by the end";
  std::sort(run.rows.begin(), run.rows.end());
  run.stats = e.stats();
  run.error = e.sourceError();
  return run;
}

std::string capture(const char* name) {
  const auto dir = test::pcapDir();
  if (dir.empty()) return {};
  return (dir / name).string();
}

TEST(Engine, SameConnectionsWithAnyNumberOfWorkers) {
  const std::string file = capture("ndpi__alexa-app.pcapng");
  if (file.empty()) GTEST_SKIP() << "shared captures absent";
  const RunResult inlineRun = runEngine(file, 0);
  ASSERT_GT(inlineRun.rows.size(), 50u);
  for (int workers : {1, 2, 3}) {
    const RunResult r = runEngine(file, workers);
    EXPECT_EQ(r.rows, inlineRun.rows) << workers << " workers";
    EXPECT_EQ(r.stats.capture.seen, 3103u);
    EXPECT_EQ(r.stats.decode.ok + r.stats.decode.notIp + r.stats.decode.malformed + r.stats.decode.fragments +
                  r.stats.decode.unsupported,
              r.stats.capture.seen);
    EXPECT_EQ(r.stats.tracker.created, r.rows.size());
  }
}

TEST(Engine, BoundedTableEvictsAndCounts) {
  const std::string file = capture("ndpi__1kxun.pcap");
  if (file.empty()) GTEST_SKIP() << "shared captures absent";
  const RunResult r = runEngine(file, 1, 16);
  EXPECT_GT(r.stats.tracker.evicted, 0u);
  std::size_t evictedRows = std::count_if(r.rows.begin(), r.rows.end(),
                                          [](const std::string& s) { return s.find(" evicted ") != std::string::npos; });
  EXPECT_EQ(evictedRows, r.stats.tracker.evicted);
}

TEST(Engine, CorruptFileReportsWhatWasReadThenTheError) {
  const std::string file = capture("ndpi__443-curl.pcap");
  if (file.empty()) GTEST_SKIP() << "shared captures absent";
  const auto cut = std::filesystem::temp_directory_path() / ("rustnet-cut-" + std::to_string(::getpid()) + ".pcap");
  std::filesystem::copy_file(file, cut, std::filesystem::copy_options::overwrite_existing);
  std::filesystem::resize_file(cut, 40'000);  // mid-record
  const RunResult r = runEngine(cut.string(), 1);
  std::filesystem::remove(cut);
  ASSERT_TRUE(r.error.has_value());
  EXPECT_FALSE(r.error->empty());
  EXPECT_GT(r.stats.capture.seen, 10u);
  EXPECT_LT(r.stats.capture.seen, 109u);
  ASSERT_EQ(r.rows.size(), 1u);
  EXPECT_NE(r.rows[0].find("forced_end"), std::string::npos) << r.rows[0];
}

TEST(Engine, UnreadableFileThrowsAClearError) {
  EngineConfig cfg;
  cfg.readFile = "/nonexistent/file.pcap";
  try {
    Engine e(cfg);
    FAIL() << "expected CaptureError";
  } catch (const capture::CaptureError& err) {
    EXPECT_NE(std::string(err.what()).find("/nonexistent/file.pcap"), std::string::npos) << err.what();
  }
}

}  // namespace
}  // namespace rustnet::engine
