// The counter tables as the summary line and the docs see them: each JSON form, names unique
// across the program, and docs/counters.md listing every counter as its table declares it.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <array>
#include <cctype>
#include <cstdlib>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "dpi/quic/quic_facts.h"
#include "output/counters_json.h"

namespace rustnet::output {
namespace {

using json = nlohmann::json;

struct Toy {
  std::uint64_t frames = 0;
  std::array<std::uint64_t, 3> byColour{};
  std::uint64_t full = 0;
  std::uint64_t oversize = 0;
  std::uint64_t scanNs = 0;
  std::uint64_t hidden = 0;
  std::array<std::uint64_t, 3> shades{};
};

constexpr std::array<std::string_view, 3> kColours = {"", "red", "blue"};  // 0: left out
constexpr std::array<std::string_view, 2> kReasons = {"full", "oversize"};
std::string_view colour(std::size_t i) { return kColours[i]; }

constexpr auto kToyCounters = std::to_array<core::CounterDef<Toy>>({
    {.name = "colours", .json = core::JsonForm::Keys, .slots = core::counterSlots<&Toy::byColour>(),
     .label = "colour", .labelOf = colour},
    {.name = "frames", .slots = core::counterSlots<&Toy::frames>()},
    {.name = "colours", .slots = core::counterSlots<&Toy::byColour>(), .label = "colour",
     .labelOf = colour, .repeat = true},
    {.name = "dropped", .slots = core::counterSlots<&Toy::full, &Toy::oversize>(),
     .label = "reason", .labelOf = [](std::size_t i) { return kReasons[i]; }},
    {.name = "shades", .json = core::JsonForm::Object,
     .slots = core::counterSlots<&Toy::shades>(), .label = "colour", .labelOf = colour},
    {.name = "scan_ms", .unit = core::CounterUnit::Nanoseconds,
     .slots = core::counterSlots<&Toy::scanNs>()},
    {.name = "hidden", .json = core::JsonForm::Omit, .slots = core::counterSlots<&Toy::hidden>()},
});
static_assert(core::countsEveryMember<Toy>(kToyCounters));

TEST(CountersJson, EachFormInTableOrder) {
  Toy t;
  t.frames = 1;
  t.byColour = {100, 2, 3};
  t.full = 4;
  t.oversize = 5;
  t.scanNs = 1'500'000;
  t.hidden = 6;
  t.shades = {200, 7, 8};
  JsonLine j;
  appendCounters(j, t, kToyCounters);
  EXPECT_EQ(j.finish(),
            R"({"colours_red":2,"colours_blue":3,"frames":1,"colours":5,"dropped":9,)"
            R"("shades":{"red":7,"blue":8},"scan_ms":1.5})"
            "\n");
}

// Every (non-repeat) counter of the program, by name.
std::map<std::string, std::string> programCounters(std::vector<std::string>* duplicates) {
  std::map<std::string, std::string> rows;
  forEachCounterTable(engine::EngineStats{}, process::Counters{}, [&](const auto&, auto table) {
    for (const auto& d : table) {
      if (d.repeat) continue;
      std::ostringstream row;
      row << "| `" << d.name << "` | " << core::counterKindName(d.kind) << " | ";
      if (d.family()) {
        row << "`" << d.label << "`:";
        const char* sep = " ";
        for (std::size_t i = 0; i < d.slots.count; ++i) {
          if (!d.seriesShown(i)) continue;
          row << sep << "`" << d.seriesLabel(i) << "`";
          sep = ", ";
        }
      }
      row << " | ";
      // Every form the summary line writes this counter in (its repeats included).
      const char* sep = "";
      for (const auto& e : table) {
        if (e.name != d.name || e.json == core::JsonForm::Omit) continue;
        row << sep;
        sep = ", then ";
        switch (e.json) {
          case core::JsonForm::Omit: break;
          case core::JsonForm::Total:
            row << "`" << e.name << "`" << (e.family() ? " (sum)" : "");
            break;
          case core::JsonForm::Object: row << "`" << e.name << "` (object by label)"; break;
          case core::JsonForm::Keys: row << "`" << e.name << "_<" << e.label << ">`"; break;
        }
        if (e.unit == core::CounterUnit::Nanoseconds) row << " in ms";
      }
      if (*sep == '\0') row << "—";
      row << " | " << d.help << " |";
      if (rows.count(std::string(d.name))) duplicates->push_back(std::string(d.name));
      rows[std::string(d.name)] = row.str();
    }
  });
  return rows;
}

TEST(CountersJson, NamesAreUniqueSnakeCaseWithHelp) {
  std::vector<std::string> duplicates;
  const auto rows = programCounters(&duplicates);
  EXPECT_EQ(duplicates, std::vector<std::string>{});
  EXPECT_GT(rows.size(), 50u);
  forEachCounterTable(engine::EngineStats{}, process::Counters{}, [&](const auto&, auto table) {
    for (const auto& d : table) {
      EXPECT_FALSE(d.help.empty()) << d.name;
      for (const char c : d.name) {
        EXPECT_TRUE(std::islower(static_cast<unsigned char>(c)) || c == '_' ||
                    std::isdigit(static_cast<unsigned char>(c)))
            << d.name;
      }
      if (d.repeat) {
        bool declared = false;
        for (const auto& e : table) declared = declared || (!e.repeat && e.name == d.name);
        EXPECT_TRUE(declared) << d.name << " repeats a counter its table does not declare";
      }
    }
  });
}

// What a metrics writer would see: each series reads its own member, and the indexes kept
// only for arithmetic (nullptr, MatchKind::None) are no series at all.
TEST(CountersJson, EverySeriesReadsItsMember) {
  engine::EngineStats s;
  s.capture.ourDropped = 3;
  s.capture.oversize = 4;
  s.dpi.hit(&dpi::quic::kQuic);
  s.liveConnections = 9;
  process::Counters p;
  p.hits[static_cast<std::size_t>(process::MatchKind::Listener)] = 5;
  p.hits[static_cast<std::size_t>(process::MatchKind::None)] = 77;
  p.lastScanNs = 6;
  std::map<std::string, std::uint64_t> series;
  forEachCounterTable(s, p, [&](const auto& values, auto table) {
    core::forEachSeries(values, table, [&](const auto& d, std::string_view label, std::uint64_t v) {
      const std::string key = std::string(d.name) + "{" + std::string(label) + "}";
      EXPECT_EQ(series.count(key), 0u) << key;
      series[key] = v;
    });
  });
  EXPECT_EQ(series.at("packets_dropped_ours{ring_full}"), 3u);
  EXPECT_EQ(series.at("packets_dropped_ours{oversize}"), 4u);
  EXPECT_EQ(series.at("dpi_hits{QUIC}"), 1u);
  EXPECT_EQ(series.at("connections_live{}"), 9u);
  EXPECT_EQ(series.at("process_hits{listener}"), 5u);
  EXPECT_EQ(series.at("process_scan_ms_last{}"), 6u);
  EXPECT_EQ(series.count("dpi_hits{}"), 0u);
  EXPECT_EQ(series.count("process_hits{none}"), 0u);
  EXPECT_EQ(series.count("process_hits{}"), 0u);  // the repeat is no series of its own
}

// docs/counters.md holds the list made from the tables between two markers; with
// RUSTNET_UPDATE_DOCS=1 this test rewrites it.
TEST(CountersJson, DocsListEveryCounterAsDeclared) {
  std::vector<std::string> duplicates;
  const auto rows = programCounters(&duplicates);
  std::string list =
      "| Name | Kind | Labels | In the summary line | Help |\n|---|---|---|---|---|\n";
  forEachCounterTable(engine::EngineStats{}, process::Counters{}, [&](const auto&, auto table) {
    for (const auto& d : table) {
      if (!d.repeat) list += rows.at(std::string(d.name)) + "\n";
    }
  });
  const std::string path = std::string(RUSTNET_DOCS_DIR) + "/counters.md";
  std::ifstream in(path, std::ios::binary);
  ASSERT_TRUE(in) << path;
  std::stringstream text;
  text << in.rdbuf();
  std::string doc = text.str();
  constexpr std::string_view kBegin =
      "<!-- counters:begin (made from the tables by tests/output/counters_json_test.cpp) -->\n";
  constexpr std::string_view kEnd = "<!-- counters:end -->";
  const auto b = doc.find(kBegin);
  const auto e = doc.find(kEnd);
  ASSERT_NE(b, std::string::npos) << path;
  ASSERT_NE(e, std::string::npos) << path;
  ASSERT_LT(b, e);
  const std::string current = doc.substr(b + kBegin.size(), e - b - kBegin.size());
  if (std::getenv("RUSTNET_UPDATE_DOCS") != nullptr && current != list) {
    doc.replace(b + kBegin.size(), e - b - kBegin.size(), list);
    std::ofstream(path, std::ios::binary) << doc;
    return;
  }
  EXPECT_EQ(current, list) << "docs/counters.md is out of date: rerun with RUSTNET_UPDATE_DOCS=1";
}

}  // namespace
}  // namespace rustnet::output
