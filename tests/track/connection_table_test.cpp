// The table against a std::map model under random inserts, deletes and touches, with the
// real flow hash and with hashes made to collide (long probe runs, wrap-around).
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <random>
#include <vector>

#include "track/connection_table.h"
#include "track_test_util.h"

namespace rustnet::track {
namespace {

enum class HashMode { Real, FewHomes, AllAtTheEnd };

std::vector<core::FlowKey> makeKeys(int n) {
  std::vector<core::FlowKey> keys;
  for (int i = 0; i < n; ++i) {
    bool srcIsA = false;
    const core::IpAddr a = core::IpAddr::v4(0x0a000000u + static_cast<std::uint32_t>(i % 251));
    const core::IpAddr b = core::IpAddr::v4(0xc0a80000u + static_cast<std::uint32_t>(i / 251));
    keys.push_back(core::FlowKey::make(core::proto::kUdp, {a, static_cast<std::uint16_t>(1000 + i)},
                                       {b, 53}, srcIsA));
  }
  return keys;
}

std::uint64_t hashOf(const core::FlowKey& k, int index, HashMode mode) {
  switch (mode) {
    case HashMode::Real: return k.hash();
    // Only four distinct homes at any index size: runs hundreds of entries long.
    case HashMode::FewHomes: return (std::uint64_t(index % 4) << 62) | std::uint64_t(index);
    // Every home is the last index position, so every probe wraps to the start.
    case HashMode::AllAtTheEnd: return 0xffffffff00000000ull | std::uint64_t(index);
  }
  return 0;
}

// The key's index in makeKeys (its canonical first endpoint has port 1000 + index): lets the
// table recompute the forced hashes from the key alone, as erase() does.
template <HashMode Mode>
std::uint64_t hashFromKey(const core::FlowKey& k) {
  return hashOf(k, k.a.port - 1000, Mode);
}

ConnectionTable::Hasher hasherFor(HashMode mode) {
  switch (mode) {
    case HashMode::Real: return &hashFromKey<HashMode::Real>;
    case HashMode::FewHomes: return &hashFromKey<HashMode::FewHomes>;
    case HashMode::AllAtTheEnd: return &hashFromKey<HashMode::AllAtTheEnd>;
  }
  return nullptr;
}

struct ModelEntry {
  ConnectionTable::Slot slot;
  std::uint64_t lastTouch;
};

class TableModelTest : public ::testing::TestWithParam<HashMode> {};

TEST_P(TableModelTest, MatchesAMapUnderRandomOperations) {
  const HashMode mode = GetParam();
  const int universe = mode == HashMode::Real ? 6000 : 1500;
  const std::size_t bound = mode == HashMode::Real ? 4000 : 1000;
  const auto keys = makeKeys(universe);
  ConnectionTable table(bound, hasherFor(mode));
  std::map<int, ModelEntry> model;
  std::mt19937 rng(12345);
  std::uint64_t clock = 0;

  auto pickPresent = [&]() {
    auto it = model.begin();
    std::advance(it, std::uniform_int_distribution<std::size_t>(0, model.size() - 1)(rng));
    return it->first;
  };
  auto check = [&]() {
    ASSERT_EQ(table.size(), model.size());
    // Every key: found exactly when the model has it, in the slot it was given.
    for (int i = 0; i < universe; ++i) {
      const auto slot = table.find(keys[i], hashOf(keys[i], i, mode));
      auto it = model.find(i);
      if (it == model.end()) {
        ASSERT_EQ(slot, ConnectionTable::kNoSlot) << "key " << i;
      } else {
        ASSERT_EQ(slot, it->second.slot) << "key " << i;
        ASSERT_EQ(table.at(slot).id, static_cast<std::uint64_t>(i));
      }
    }
    // The slot walk sees exactly the live connections.
    std::vector<int> walked;
    for (std::size_t s = 0; s < table.slotCount(); ++s) {
      if (const Connection* c = table.get(s)) walked.push_back(static_cast<int>(c->id));
    }
    std::sort(walked.begin(), walked.end());
    std::vector<int> expected;
    for (const auto& [k, e] : model) expected.push_back(k);
    ASSERT_EQ(walked, expected);
    // The activity list runs from the least to the most recently touched.
    std::vector<std::pair<std::uint64_t, int>> byTouch;
    for (const auto& [k, e] : model) byTouch.emplace_back(e.lastTouch, k);
    std::sort(byTouch.begin(), byTouch.end());
    std::size_t n = 0;
    for (auto s = table.oldest(); s != ConnectionTable::kNoSlot; s = table.newer(s), ++n) {
      ASSERT_LT(n, byTouch.size());
      ASSERT_EQ(table.at(s).id, static_cast<std::uint64_t>(byTouch[n].second));
    }
    ASSERT_EQ(n, byTouch.size());
  };

  std::uniform_int_distribution<int> anyKey(0, universe - 1);
  std::uniform_int_distribution<int> op(0, 99);
  for (int step = 0; step < 40000; ++step) {
    const int o = op(rng);
    if (o < 45) {  // insert, evicting the least recently touched at the bound
      const int k = anyKey(rng);
      if (model.count(k)) continue;
      if (table.full()) {
        const auto victim = table.oldest();
        const int vk = static_cast<int>(table.at(victim).id);
        ASSERT_EQ(model.at(vk).slot, victim);
        table.erase(victim);
        model.erase(vk);
      }
      const auto slot = table.insert(keys[k], hashOf(keys[k], k, mode));
      table.at(slot).id = static_cast<std::uint64_t>(k);
      model[k] = {slot, ++clock};
    } else if (o < 75 && !model.empty()) {  // erase
      const int k = pickPresent();
      table.erase(model.at(k).slot);
      model.erase(k);
    } else if (!model.empty()) {  // touch
      const int k = pickPresent();
      table.touch(model.at(k).slot);
      model[k].lastTouch = ++clock;
    }
    if (step % 2000 == 0) check();
  }
  check();
  EXPECT_LE(table.size(), bound);
  // Slots are reused: the pool never grew beyond what the bound needs.
  EXPECT_LE(table.slotCount(), bound + ConnectionTable::kChunkSlots);
  EXPECT_LE(table.indexSize(), 4 * bound);

  // Emptying it leaves nothing behind.
  while (!model.empty()) {
    table.erase(model.begin()->second.slot);
    model.erase(model.begin());
  }
  check();
  EXPECT_EQ(table.oldest(), ConnectionTable::kNoSlot);
  EXPECT_EQ(table.newest(), ConnectionTable::kNoSlot);
}

INSTANTIATE_TEST_SUITE_P(Hashes, TableModelTest,
                         ::testing::Values(HashMode::Real, HashMode::FewHomes,
                                           HashMode::AllAtTheEnd));

TEST(ConnectionTable, BoundIsAtLeastOne) {
  ConnectionTable t(0);
  EXPECT_EQ(t.bound(), 1u);
  EXPECT_FALSE(t.full());
  const auto k = test::key(core::proto::kTcp, "10.0.0.1", 1, "10.0.0.2", 2);
  t.insert(k, t.hashOf(k));
  EXPECT_TRUE(t.full());
}

TEST(ConnectionTable, AddressesStayPutWhileThePoolGrows) {
  // Past kHugeAfterChunks chunks the slots come from 2 MiB blocks: grow well into those,
  // erase and refill some, and every connection must stay where it was and be found.
  constexpr int kCount = 40000;
  static_assert(kCount > static_cast<int>(ConnectionTable::kHugeAfterChunks * ConnectionTable::kChunkSlots * 3));
  ConnectionTable t(100000);
  const auto keys = makeKeys(kCount);
  std::vector<const Connection*> addr(kCount);
  for (int i = 0; i < kCount; ++i) {
    const auto s = t.insert(keys[i], t.hashOf(keys[i]));
    t.at(s).id = static_cast<std::uint64_t>(i);
    addr[i] = &t.at(s);
  }
  for (int i = 0; i < kCount; i += 3) t.erase(t.find(keys[i], t.hashOf(keys[i])));
  for (int i = 0; i < kCount; i += 3) {
    const auto s = t.insert(keys[i], t.hashOf(keys[i]));
    t.at(s).id = static_cast<std::uint64_t>(i);
    addr[i] = &t.at(s);
  }
  EXPECT_EQ(t.size(), static_cast<std::size_t>(kCount));
  EXPECT_GE(t.slotCount(), static_cast<std::size_t>(kCount));
  for (int i = 0; i < kCount; ++i) {
    const auto s = t.find(keys[i], t.hashOf(keys[i]));
    ASSERT_NE(s, ConnectionTable::kNoSlot) << i;
    ASSERT_EQ(&t.at(s), addr[i]) << i;
    ASSERT_EQ(t.at(s).id, static_cast<std::uint64_t>(i));
  }
}

}  // namespace
}  // namespace rustnet::track

namespace rustnet::track {
namespace {

TEST(ConnectionTable, EachTableHashesWithItsOwnSeed) {
  const ConnectionTable a(10);
  const ConnectionTable b(10);
  const auto k = test::key(core::proto::kUdp, "10.0.0.1", 1, "10.0.0.2", 2);
  EXPECT_NE(a.hashOf(k), b.hashOf(k));  // equal only if both drew the same 64-bit seed
  EXPECT_NE(a.hashOf(k), k.hash());
  EXPECT_EQ(a.hashOf(k), a.hashOf(k));
}

}  // namespace
}  // namespace rustnet::track
