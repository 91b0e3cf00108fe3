// The live runs' writer queue: bounded, counted, ordered, and a failed writer is cut off.
#include "output/queued_sink.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>
#include <vector>

namespace rustnet::output {
namespace {

using namespace std::chrono_literals;

engine::ConnectionEvent eventWithId(std::uint64_t id) {
  engine::ConnectionEvent e;
  e.record.id = id;
  return e;
}

// Blocks in its first event until released; fails at event `failAt` (1-based; 0 = never).
class Inner final : public Sink {
public:
  explicit Inner(bool block, std::size_t failAt = 0) : block_(block), failAt_(failAt) {}
  [[nodiscard]] std::string_view name() const override { return "inner"; }
  bool event(const engine::ConnectionEvent& e) override {
    entered = true;
    while (block_ && !release) std::this_thread::sleep_for(1ms);
    std::lock_guard lock(m);
    ++calls;
    if (failAt_ != 0 && calls >= failAt_) return false;
    ids.push_back(e.record.id);
    return true;
  }
  bool end(const RunEnd& end) override {
    std::lock_guard lock(m);
    summary = std::string(end.summaryLine);
    return true;
  }
  std::atomic<bool> entered{false};
  std::atomic<bool> release{false};
  std::mutex m;
  std::vector<std::uint64_t> ids;
  std::size_t calls = 0;
  std::string summary;

private:
  bool block_;
  std::size_t failAt_;
};

TEST(QueuedSink, ABlockedWriterCostsOnlyWhatPassesTheBoundAndKeepsTheOrder) {
  Inner inner(true);
  QueuedSink q(inner, 3);
  const auto t0 = std::chrono::steady_clock::now();
  ASSERT_TRUE(q.event(eventWithId(0)));
  while (!inner.entered) std::this_thread::sleep_for(1ms);
  for (std::uint64_t id = 1; id <= 5; ++id) EXPECT_TRUE(q.event(eventWithId(id)));
  // None of this waited for the blocked writer.
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 1s);
  EXPECT_EQ(q.dropped(), 2u);  // 1, 2, 3 queued; 4 and 5 past the bound
  inner.release = true;
  q.waitIdle();
  std::lock_guard lock(inner.m);
  EXPECT_EQ(inner.ids, (std::vector<std::uint64_t>{0, 1, 2, 3}));
  EXPECT_FALSE(q.failed());
}

TEST(QueuedSink, AFailedWriterGetsNothingMoreAndTheRestIsCounted) {
  Inner inner(false, 2);
  QueuedSink q(inner);
  for (std::uint64_t id = 0; id < 5; ++id) q.event(eventWithId(id));
  q.flush();
  q.waitIdle();
  EXPECT_TRUE(q.failed());
  EXPECT_FALSE(q.event(eventWithId(9)));
  EXPECT_EQ(q.discarded(), 4u);  // 2, 3, 4 after the failing one, and 9
  engine::EngineStats stats;
  RunInfo run;
  EXPECT_FALSE(q.end(RunEnd{stats, run, "{}\n"}));
  std::lock_guard lock(inner.m);
  EXPECT_EQ(inner.calls, 2u);
  EXPECT_EQ(inner.ids, (std::vector<std::uint64_t>{0}));
  EXPECT_TRUE(inner.summary.empty());
}

TEST(QueuedSink, TheEndWaitsUntilEverythingIsWritten) {
  Inner inner(false);
  QueuedSink q(inner);
  for (std::uint64_t id = 0; id < 1000; ++id) q.event(eventWithId(id));
  engine::EngineStats stats;
  RunInfo run;
  EXPECT_TRUE(q.end(RunEnd{stats, run, "{\"event\":\"summary\"}\n"}));
  std::lock_guard lock(inner.m);
  ASSERT_EQ(inner.ids.size(), 1000u);
  for (std::uint64_t id = 0; id < 1000; ++id) ASSERT_EQ(inner.ids[id], id);
  EXPECT_EQ(inner.summary, "{\"event\":\"summary\"}\n");
  EXPECT_EQ(q.dropped(), 0u);
}

}  // namespace
}  // namespace rustnet::output
