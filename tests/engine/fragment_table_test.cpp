// The capture thread's fragment table: later fragments take their first fragment's ports,
// in order or not, within its caps.
#include "engine/fragment_table.h"

#include <gtest/gtest.h>

#include <vector>

#include "core/flow_key.h"

namespace rustnet::engine {
namespace {

using decode::PacketView;
using decode::Status;

const core::IpAddr kSrc = core::IpAddr::v4(0xc0000201);
const core::IpAddr kDst = core::IpAddr::v4(0xc6336402);

core::Timestamp at(std::int64_t ms) { return core::Timestamp{ms * 1'000'000}; }

// A first fragment with its ports.
PacketView first(std::uint32_t id, std::int64_t ms = 0) {
  PacketView v;
  v.ts = at(ms);
  v.src = kSrc;
  v.dst = kDst;
  v.network = decode::Network::Ipv4;
  v.proto = core::proto::kUdp;
  v.fragmented = v.fragFirst = v.fragMore = true;
  v.fragId = id;
  v.sport = 4000;
  v.dport = 53;
  v.wireLen = 1514;
  return v;
}

// A later fragment: addresses only. `data` aliases the caller's bytes.
PacketView later(std::uint32_t id, std::uint32_t offset, bool more, std::int64_t ms = 0,
                 core::Bytes data = {}) {
  PacketView v;
  v.ts = at(ms);
  v.src = kSrc;
  v.dst = kDst;
  v.network = decode::Network::Ipv4;
  v.proto = core::proto::kUdp;
  v.fragmented = true;
  v.fragMore = more;
  v.fragId = id;
  v.fragOffset = offset;
  v.payload = data;
  v.wireLen = more ? 1514 : 600;
  return v;
}

TEST(FragmentTable, InOrderFragmentsTakeThePorts) {
  FragmentTable t;
  PacketView a = first(7);
  EXPECT_TRUE(t.observe(Status::Ok, a).empty());
  PacketView b = later(7, 1480, true);
  EXPECT_TRUE(t.observe(Status::Fragment, b).empty());
  EXPECT_TRUE(b.fragMatched);
  EXPECT_EQ(b.sport, 4000);
  EXPECT_EQ(b.dport, 53);
  PacketView c = later(7, 2960, false);
  EXPECT_TRUE(t.observe(Status::Fragment, c).empty());
  EXPECT_TRUE(c.fragMatched);
  // Another datagram (another id) is not matched to this one.
  PacketView other = later(8, 1480, false);
  t.observe(Status::Fragment, other);
  EXPECT_FALSE(other.fragMatched);
  EXPECT_EQ(other.sport, 0);
  t.finish();
  EXPECT_EQ(t.counters().first, 1u);
  EXPECT_EQ(t.counters().credited, 2u);
  EXPECT_EQ(t.counters().unmatched, 1u);
}

TEST(FragmentTable, OutOfOrderFragmentsAreCreditedWhenTheFirstComes) {
  FragmentTable t;
  PacketView c = later(9, 2960, false, 1);
  EXPECT_TRUE(t.observe(Status::Fragment, c).empty());
  EXPECT_FALSE(c.fragMatched);
  PacketView b = later(9, 1480, true, 2);
  EXPECT_TRUE(t.observe(Status::Fragment, b).empty());
  PacketView a = first(9, 3);
  const auto late = t.observe(Status::Ok, a);
  ASSERT_EQ(late.size(), 2u);
  std::uint32_t bytes = 0;
  for (const auto& l : late) {
    EXPECT_EQ(l.status, Status::Fragment);
    EXPECT_TRUE(l.view.fragLate);
    EXPECT_TRUE(l.view.fragMatched);
    EXPECT_EQ(l.view.sport, 4000);
    EXPECT_EQ(l.view.dport, 53);
    EXPECT_TRUE(l.view.payload.empty());
    bytes += l.view.wireLen;
  }
  EXPECT_EQ(bytes, 600u + 1514u);  // each keeps its own length and time
  EXPECT_EQ(late[0].view.ts, at(1));
  EXPECT_EQ(t.counters().credited, 2u);
  t.finish();
  EXPECT_EQ(t.counters().unmatched, 0u);
}

TEST(FragmentTable, DuplicateAndOverlappingFragmentsDoNotReopen) {
  FragmentTable t;
  PacketView a = first(11);
  t.observe(Status::Ok, a);
  // The same first fragment again (a retransmission, or an overlap with other ports): the
  // first one's ports stand, and it returns nothing to open.
  PacketView dup = first(11);
  dup.sport = 1;
  EXPECT_TRUE(t.observe(Status::Ok, dup).empty());
  PacketView b1 = later(11, 1480, true);
  PacketView b2 = later(11, 1000, true);  // overlaps the first fragment's data
  t.observe(Status::Fragment, b1);
  t.observe(Status::Fragment, b2);
  EXPECT_EQ(b1.sport, 4000);
  EXPECT_EQ(b2.sport, 4000);
  EXPECT_EQ(t.counters().first, 2u);
  EXPECT_EQ(t.counters().credited, 2u);
}

TEST(FragmentTable, PendingOverTheCapIsCountedUnmatched) {
  FragmentTable t;
  for (std::uint32_t i = 0; i < kFragmentPending + 5; ++i) {
    PacketView v = later(100 + i, 1480, false);
    EXPECT_TRUE(t.observe(Status::Fragment, v).empty());
  }
  EXPECT_EQ(t.counters().unmatched, 5u);  // the ones with no room to wait
  t.finish();
  EXPECT_EQ(t.counters().unmatched, kFragmentPending + 5);
}

TEST(FragmentTable, FullTableIsCounted) {
  FragmentTable t;
  // Distinct datagrams until some probe window is full: the table never grows.
  std::uint64_t inserted = 0;
  for (std::uint32_t i = 0; i < kFragmentSlots + 100; ++i) {
    PacketView v = first(i);
    t.observe(Status::Ok, v);
    ++inserted;
  }
  EXPECT_EQ(t.counters().first, inserted);
  EXPECT_GE(t.counters().tableFull, 100u);
  EXPECT_LE(t.counters().tableFull, inserted);
}

TEST(FragmentTable, EntriesExpireAfterTheReassemblyTimeout) {
  FragmentTable t;
  PacketView a = first(21, 0);
  t.observe(Status::Ok, a);
  const std::int64_t after = kFragmentTimeout.ns / 1'000'000 + 1000;
  PacketView b = later(21, 1480, false, after);
  t.expire(b.ts);
  t.observe(Status::Fragment, b);
  EXPECT_FALSE(b.fragMatched);  // too late: the datagram was given up
  // A waiting fragment whose first never comes is counted when its time is up.
  t.expire(at(after + kFragmentTimeout.ns / 1'000'000 + 2000));
  EXPECT_EQ(t.counters().unmatched, 1u);
  EXPECT_EQ(t.counters().credited, 0u);
}

TEST(FragmentTable, TinyFirstFragmentIsReassembledForThePorts) {
  FragmentTable t;
  // UDP header split: the first fragment holds the source port only (2 bytes). Fragment
  // offsets are multiples of 8 on the wire; the table does not rely on it.
  const std::vector<std::uint8_t> head{0x0f, 0xa0};
  const std::vector<std::uint8_t> rest{0x00, 0x35, 0x00, 0x20, 0x00, 0x00, 'x', 'y'};
  PacketView a = later(31, 0, true, 1, core::Bytes(head));
  a.fragFirst = true;
  EXPECT_TRUE(t.observe(Status::Fragment, a).empty());
  EXPECT_FALSE(a.fragMatched);
  PacketView b = later(31, 2, false, 2, core::Bytes(rest));
  const auto late = t.observe(Status::Fragment, b);
  ASSERT_EQ(late.size(), 2u);
  // First the record that opens the connection (the first fragment's time and length) ...
  EXPECT_EQ(late[0].status, Status::Ok);
  EXPECT_EQ(late[0].view.sport, 4000);
  EXPECT_EQ(late[0].view.dport, 53);
  EXPECT_EQ(late[0].view.ts, at(1));
  EXPECT_TRUE(late[0].view.transportTruncated);
  EXPECT_TRUE(late[0].view.fragLate);
  // ... then the fragment that completed the ports, credited.
  EXPECT_EQ(late[1].status, Status::Fragment);
  EXPECT_EQ(late[1].view.ts, at(2));
  EXPECT_EQ(late[1].view.sport, 4000);
  EXPECT_EQ(t.counters().reassembled, 1u);
  EXPECT_EQ(t.counters().credited, 1u);
}

TEST(FragmentTable, TinyFirstFragmentAfterItsContinuation) {
  FragmentTable t;
  const std::vector<std::uint8_t> head{0x0f, 0xa0};
  const std::vector<std::uint8_t> rest{0x00, 0x35, 0x00, 0x20, 0x00, 0x00, 'x', 'y'};
  PacketView b = later(41, 2, false, 1, core::Bytes(rest));
  EXPECT_TRUE(t.observe(Status::Fragment, b).empty());
  PacketView a = later(41, 0, true, 2, core::Bytes(head));
  a.fragFirst = true;
  const auto late = t.observe(Status::Fragment, a);
  ASSERT_EQ(late.size(), 2u);
  EXPECT_EQ(late[0].status, Status::Ok);
  EXPECT_EQ(late[0].view.dport, 53);
  EXPECT_EQ(late[1].status, Status::Fragment);
}

TEST(FragmentTable, TinyFirstFragmentNeverCompletedStaysUnkeyed) {
  FragmentTable t;
  const std::vector<std::uint8_t> head{0x0f};
  PacketView a = later(51, 0, true, 1, core::Bytes(head));
  a.fragFirst = true;
  EXPECT_TRUE(t.observe(Status::Fragment, a).empty());
  // Data far beyond the gathered header does not complete it.
  const std::vector<std::uint8_t> far(8, 0xee);
  PacketView b = later(51, 64, false, 2, core::Bytes(far));
  EXPECT_TRUE(t.observe(Status::Fragment, b).empty());
  EXPECT_FALSE(b.fragMatched);
  t.finish();
  EXPECT_EQ(t.counters().reassembled, 0u);
  EXPECT_EQ(t.counters().unmatched, 1u);
}

}  // namespace
}  // namespace rustnet::engine
