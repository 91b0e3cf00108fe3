#pragma once
// Counters in the summary line, written from their tables (core/counter_table.h): each
// entry in its table's order and in the form its table gives (JsonForm). Nothing here knows
// a counter by name.
#include <cstddef>
#include <cstdint>
#include <string>
#include <type_traits>

#include "core/counter_table.h"
#include "engine/stats.h"
#include "output/json_line.h"
#include "process/types.h"

namespace rustnet::output {

// "key": value, in the unit's JSON form (nanoseconds as milliseconds).
void appendCounterValue(JsonLine& j, JsonKey key, std::uint64_t value, core::CounterUnit unit);

template <typename S>
void appendCounters(JsonLine& j, const S& s, std::type_identity_t<core::CounterTable<S>> table) {
  for (const core::CounterDef<S>& d : table) {
    switch (d.json) {
      case core::JsonForm::Omit: break;
      case core::JsonForm::Total: appendCounterValue(j, d.name, d.total(s), d.unit); break;
      case core::JsonForm::Keys:
        for (std::size_t i = 0; i < d.slots.count; ++i) {
          if (!d.seriesShown(i)) continue;
          std::string key;
          key.append(d.name).append("_").append(d.seriesLabel(i));
          appendCounterValue(j, std::string_view(key), d.value(s, i), d.unit);
        }
        break;
      case core::JsonForm::Object: {
        JsonLine object;
        for (std::size_t i = 0; i < d.slots.count; ++i) {
          if (d.seriesShown(i)) appendCounterValue(object, d.seriesLabel(i), d.value(s, i), d.unit);
        }
        std::string text = object.finish();
        text.pop_back();  // finish() ends the line
        j.raw(d.name, text);
        break;
      }
    }
  }
}

// Every counter table of the program with the values it reads: f(values, table) once per
// table, stages in data-flow order. For writers that list every counter (metrics, docs).
template <typename F>
void forEachCounterTable(const engine::EngineStats& s, const process::Counters& p, F&& f) {
  f(s.capture, core::CounterTable<engine::CaptureCounters>(engine::kCaptureCounters));
  f(s.decode, core::CounterTable<engine::DecodeCounters>(engine::kDecodeCounters));
  f(s.tracker, core::CounterTable<track::TrackerCounters>(track::kTrackerCounters));
  f(s.dpi, core::CounterTable<dpi::Counters>(dpi::kCounters));
  f(s, core::CounterTable<engine::EngineStats>(engine::kEngineCounters));
  f(p, core::CounterTable<process::Counters>(process::kCounters));
}

}  // namespace rustnet::output
