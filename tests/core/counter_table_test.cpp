#include "core/counter_table.h"

#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace rustnet::core {
namespace {

struct Toy {
  std::uint64_t frames = 0;
  std::array<std::uint64_t, 3> byColour{};
  std::uint64_t full = 0;
  std::uint64_t oversize = 0;
  std::uint64_t level = 0;
};

constexpr std::array<std::string_view, 3> kColours = {"", "red", "blue"};  // 0: left out
constexpr std::array<std::string_view, 2> kReasons = {"full", "oversize"};

constexpr auto kToyCounters = std::to_array<CounterDef<Toy>>({
    {.name = "frames", .help = "Frames.", .slots = counterSlots<&Toy::frames>()},
    {.name = "colours",
     .help = "By colour.",
     .json = JsonForm::Object,
     .slots = counterSlots<&Toy::byColour>(),
     .label = "colour",
     .labelOf = [](std::size_t i) { return kColours[i]; }},
    {.name = "dropped",
     .help = "Dropped.",
     .slots = counterSlots<&Toy::full, &Toy::oversize>(),
     .label = "reason",
     .labelOf = [](std::size_t i) { return kReasons[i]; }},
    {.name = "level",
     .help = "A level.",
     .kind = CounterKind::Gauge,
     .unit = CounterUnit::Nanoseconds,
     .slots = counterSlots<&Toy::level>()},
    {.name = "colours",
     .help = "By colour, again.",
     .slots = counterSlots<&Toy::byColour>(),
     .label = "colour",
     .labelOf = [](std::size_t i) { return kColours[i]; },
     .repeat = true},
});
static_assert(countsEveryMember<Toy>(kToyCounters));

Toy sample(std::uint64_t base) {
  Toy t;
  t.frames = base + 1;
  t.byColour = {base + 2, base + 3, base + 4};
  t.full = base + 5;
  t.oversize = base + 6;
  t.level = base + 7;
  return t;
}

TEST(CounterTable, SlotsReachEachMember) {
  Toy t = sample(0);
  EXPECT_EQ(kToyCounters[0].slots.count, 1u);
  EXPECT_EQ(kToyCounters[1].slots.count, 3u);
  EXPECT_EQ(kToyCounters[2].slots.count, 2u);
  EXPECT_EQ(&kToyCounters[1].slots.ref(t, 2), &t.byColour[2]);
  EXPECT_EQ(&kToyCounters[2].slots.ref(t, 0), &t.full);
  EXPECT_EQ(&kToyCounters[2].slots.ref(t, 1), &t.oversize);
  EXPECT_EQ(kToyCounters[3].value(t, 0), 7u);
}

TEST(CounterTable, SumsEverySlotOnce) {
  Toy a = sample(0);
  const Toy b = sample(100);
  addCounters(a, b, kToyCounters);  // the repeated entry must not add byColour twice
  EXPECT_EQ(a.frames, 1u + 101u);
  EXPECT_EQ(a.byColour, (std::array<std::uint64_t, 3>{2 + 102, 3 + 103, 4 + 104}));
  EXPECT_EQ(a.full, 5u + 105u);
  EXPECT_EQ(a.oversize, 6u + 106u);
  EXPECT_EQ(a.level, 7u + 107u);
}

TEST(CounterTable, TotalLeavesOutUnlabelledSeries) {
  const Toy t = sample(0);
  EXPECT_EQ(kToyCounters[1].total(t), 3u + 4u);  // byColour[0] has no label
  EXPECT_EQ(kToyCounters[2].total(t), 5u + 6u);
  EXPECT_EQ(kToyCounters[0].total(t), 1u);
}

TEST(CounterTable, SeriesInTableOrder) {
  const Toy t = sample(0);
  std::vector<std::string> seen;
  auto record = [&](const CounterDef<Toy>& d, std::string_view label, std::uint64_t v) {
    seen.push_back(std::string(d.name) + "{" + std::string(label) + "}=" + std::to_string(v) + " " +
                   std::string(counterKindName(d.kind)));
  };
  forEachSeries(t, kToyCounters, record);
  EXPECT_EQ(seen, (std::vector<std::string>{"frames{}=1 counter", "colours{red}=3 counter",
                                            "colours{blue}=4 counter", "dropped{full}=5 counter",
                                            "dropped{oversize}=6 counter", "level{}=7 gauge"}));
}

// countsEveryMember must reject a table that forgets a member or names one twice.
constexpr auto kForgets = std::to_array<CounterDef<Toy>>({
    {.name = "frames", .slots = counterSlots<&Toy::frames>()},
    {.name = "colours", .slots = counterSlots<&Toy::byColour>()},
    {.name = "dropped", .slots = counterSlots<&Toy::full, &Toy::oversize>()},
});
constexpr auto kTwice = std::to_array<CounterDef<Toy>>({
    {.name = "frames", .slots = counterSlots<&Toy::frames>()},
    {.name = "colours", .slots = counterSlots<&Toy::byColour>()},
    {.name = "dropped", .slots = counterSlots<&Toy::full, &Toy::oversize>()},
    {.name = "full", .slots = counterSlots<&Toy::full>()},
});

constexpr auto kUnlabelled = std::to_array<CounterDef<Toy>>({
    {.name = "frames", .slots = counterSlots<&Toy::frames>()},
    {.name = "colours", .slots = counterSlots<&Toy::byColour>()},  // a family without labels
    {.name = "dropped", .slots = counterSlots<&Toy::full, &Toy::oversize>(),
     .labelOf = [](std::size_t i) { return kReasons[i]; }},
    {.name = "level", .slots = counterSlots<&Toy::level>()},
});

TEST(CounterTable, CoverageCheckFailsOnAMissingOrDoubledMember) {
  constexpr bool forgets = countsEveryMember<Toy>(kForgets);
  constexpr bool twice = countsEveryMember<Toy>(kTwice);
  constexpr bool unlabelled = countsEveryMember<Toy>(kUnlabelled);
  EXPECT_FALSE(forgets);
  EXPECT_FALSE(twice);
  EXPECT_FALSE(unlabelled);
}

}  // namespace
}  // namespace rustnet::core
