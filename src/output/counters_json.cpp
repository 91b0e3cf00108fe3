#include "output/counters_json.h"

namespace rustnet::output {

void appendCounterValue(JsonLine& j, JsonKey key, std::uint64_t value, core::CounterUnit unit) {
  switch (unit) {
    case core::CounterUnit::Count: j.num(key, value); return;
    case core::CounterUnit::Nanoseconds: j.num(key, static_cast<double>(value) / 1e6); return;
  }
}

}  // namespace rustnet::output
