// The attribution thread over a fixture tree: requests from a worker handle reach the
// resolver and the published map, and stop() leaves the last map readable.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "proc_fixture.h"
#include "process/attributor.h"

namespace rustnet::process {
namespace {

using test::ProcFixture;

core::IpAddr ip(const char* s) { return *core::IpAddr::parse(s); }

// Polls the published map until `pred` holds; bounded so a broken thread fails the test
// instead of hanging it (not a timing assertion: the bound is generous).
template <typename Pred>
bool waitFor(Pred pred) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (std::chrono::steady_clock::now() < deadline) {
    if (pred()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return pred();
}

TEST(Attributor, RequestsFromAWorkerAreResolvedAndPublished) {
  ProcFixture fx;
  AttributionConfig cfg;
  cfg.procRoot = fx.root();
  cfg.backend = SocketBackend::Procfs;
  cfg.refreshInterval = core::Duration::seconds(3600);  // only requests drive refreshes here
  cfg.forgetDelay = core::Duration{};  // forget() takes effect at the next refresh
  Attributor attr(cfg);
  Requester& worker = attr.addRequester();
  attr.start();
  EXPECT_EQ(attr.activeMethod(), Method::Procfs);
  EXPECT_EQ(attr.activeMethodName(), "procfs");
  EXPECT_EQ(attr.fallbackReason(), "");
  EXPECT_EQ(attr.counters().refreshes, 1u);  // start() refreshes once before returning

  fx.addProcess(4321, "fixture-app", "/bin/fixture-app", {555});
  fx.addSocket("tcp", "198.18.0.1", 40000, "198.18.0.2", 443, kTcpEstablished, 555);
  const auto t = SocketTuple::make(core::proto::kTcp, {ip("198.18.0.1"), 40000},
                                   {ip("198.18.0.2"), 443});
  ASSERT_TRUE(worker.requestLookup(t));
  ASSERT_TRUE(waitFor([&] { return attr.find(t).known(); }));
  auto a = attr.find(t);
  EXPECT_EQ(a.process->pid, 4321);
  EXPECT_EQ(a.process->name, "fixture-app");
  EXPECT_EQ(a.kind, MatchKind::Exact);
  ASSERT_TRUE(waitFor([&] { return attr.counters().lookups == 1; }));
  EXPECT_EQ(attr.counters().hits[static_cast<std::size_t>(MatchKind::Exact)], 1u);

  // The process exits; the connection keeps its name until the worker forgets it.
  fx.removeProcess(4321);
  fx.clearSockets();
  const auto other = SocketTuple::make(core::proto::kUdp, {ip("198.18.0.1"), 1},
                                       {ip("198.18.0.2"), 2});
  ASSERT_TRUE(worker.requestLookup(other));  // forces another refresh
  ASSERT_TRUE(waitFor([&] { return attr.counters().lookups == 2; }));
  EXPECT_EQ(attr.find(t).process->name, "fixture-app");
  ASSERT_TRUE(worker.forget(t));
  ASSERT_TRUE(worker.requestLookup(SocketTuple::make(core::proto::kUdp, {ip("198.18.0.1"), 3},
                                                     {ip("198.18.0.2"), 4})));
  ASSERT_TRUE(waitFor([&] { return !attr.find(t).known(); }));

  attr.stop();
  EXPECT_GE(attr.counters().refreshes, 3u);
  EXPECT_EQ(attr.snapshot()->method(), Method::Procfs);
}

TEST(Attributor, AFullRequestQueueDropsAndCountsWithoutBlocking) {
  ProcFixture fx;
  AttributionConfig cfg;
  cfg.procRoot = fx.root();
  cfg.backend = SocketBackend::Procfs;
  cfg.requestQueueCapacity = 4;
  Attributor attr(cfg);
  Requester& worker = attr.addRequester();
  // Not started: nothing drains the queue.
  int accepted = 0;
  for (std::uint16_t i = 0; i < 10; ++i) {
    if (worker.requestLookup(SocketTuple::make(core::proto::kUdp, {ip("198.18.0.1"), i},
                                               {ip("198.18.0.2"), 9})))
      ++accepted;
  }
  EXPECT_EQ(accepted, 4);
  EXPECT_EQ(attr.counters().requestsDropped, 6u);
  EXPECT_FALSE(attr.snapshot()->find(SocketTuple{}).known());  // empty map before start()
}

}  // namespace
}  // namespace rustnet::process
