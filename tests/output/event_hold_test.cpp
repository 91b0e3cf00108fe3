#include "output/event_hold.h"

#include <gtest/gtest.h>

#include <vector>

namespace rustnet::output {
namespace {

engine::ConnectionEvent eventWithId(std::uint64_t id) {
  engine::ConnectionEvent e;
  e.record.id = id;
  return e;
}

TEST(EventHold, ReleasesEachEventAfterTheHoldInOrder) {
  EventHold hold;
  const auto t0 = EventHold::Clock::now();
  hold.push(eventWithId(1), t0);
  hold.push(eventWithId(2), t0 + std::chrono::milliseconds(100));
  hold.push(eventWithId(3), t0 + std::chrono::milliseconds(200));
  std::vector<std::uint64_t> written;
  auto write = [&](engine::ConnectionEvent& e) { written.push_back(e.record.id); };

  EXPECT_EQ(hold.release(t0 + kProcessHold - std::chrono::milliseconds(1), false, write), 0u);
  EXPECT_TRUE(written.empty());
  EXPECT_EQ(hold.release(t0 + kProcessHold, false, write), 1u);
  EXPECT_EQ(hold.release(t0 + std::chrono::milliseconds(100) + kProcessHold, false, write), 1u);
  EXPECT_EQ(written, (std::vector<std::uint64_t>{1, 2}));
  EXPECT_FALSE(hold.empty());
  // At the end of a run everything goes, however recent.
  EXPECT_EQ(hold.release(t0 + std::chrono::milliseconds(201), true, write), 1u);
  EXPECT_EQ(written, (std::vector<std::uint64_t>{1, 2, 3}));
  EXPECT_TRUE(hold.empty());
}

}  // namespace
}  // namespace rustnet::output
