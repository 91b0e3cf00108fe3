#pragma once
// Counters declared once. Each stage keeps its counters in a plain struct of integers (cheap
// to bump on the packet path, cheap to copy into a snapshot) and lists them beside it in a
// constexpr table: name, help, kind, and where the value lives. Generic code sums one struct
// into another (shards, workers) and writes them (the JSON summary, later /metrics), so a new
// counter is one table line, and a member missing from its table does not compile
// (countsEveryMember).
#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <type_traits>

namespace rustnet::core {

// Counter: a total that only grows during a run. Gauge: a level that may go down (a table's
// size, the last scan's duration, a maximum).
enum class CounterKind : std::uint8_t { Counter, Gauge };
constexpr std::string_view counterKindName(CounterKind k) {
  return k == CounterKind::Gauge ? "gauge" : "counter";
}

enum class CounterUnit : std::uint8_t {
  Count,        // events, packets, bytes: written as integers
  Nanoseconds,  // written in milliseconds (a decimal number) by the JSON summary
};

// How the JSON summary line writes a counter (its key order is the table's order). Other
// writers (metrics) write every counter, labelled families as labelled series.
enum class JsonForm : std::uint8_t {
  Omit,    // not in the summary line
  Total,   // "name": value; a family's is the sum of its series
  Object,  // "name": {"<label>": value, ...}
  Keys,    // "name_<label>": value, one key per series
};

// Where a counter's values live in S: one uint64_t member, one std::array<uint64_t, N>
// member (a family indexed like the array), or several uint64_t members (a family over
// them). Built by counterSlots<&S::member...>().
template <typename S>
struct CounterSlots {
  std::size_t count = 0;
  std::uint64_t& (*ref)(S&, std::size_t) = nullptr;
  const std::uint64_t& (*get)(const S&, std::size_t) = nullptr;
};

template <typename S>
struct CounterDef {
  // snake_case and unique in the program: the JSON key and the metric's name.
  std::string_view name{};
  std::string_view help{};
  CounterKind kind = CounterKind::Counter;
  CounterUnit unit = CounterUnit::Count;
  JsonForm json = JsonForm::Total;
  CounterSlots<S> slots{};
  // A family's label name ("protocol") and each series' label value. An empty value leaves
  // that series out of every output: indexes kept for arithmetic (AppProto::Unknown).
  std::string_view label{};
  std::string_view (*labelOf)(std::size_t) = nullptr;
  // The same values as an earlier entry of the same name, written once more in another
  // form (the summary's process_hits total, after process_lookups). Not summed, not counted
  // as a member, not a metric of its own.
  bool repeat = false;

  [[nodiscard]] constexpr bool family() const { return labelOf != nullptr; }
  // The label value of series i, or empty when the series is left out (see labelOf).
  [[nodiscard]] constexpr std::string_view seriesLabel(std::size_t i) const {
    return labelOf ? labelOf(i) : std::string_view{};
  }
  [[nodiscard]] constexpr bool seriesShown(std::size_t i) const {
    return !family() || !labelOf(i).empty();
  }
  [[nodiscard]] constexpr std::uint64_t value(const S& s, std::size_t i) const {
    return slots.get(s, i);
  }
  // The sum of the series that are shown (the value itself when there is one).
  [[nodiscard]] constexpr std::uint64_t total(const S& s) const {
    std::uint64_t t = 0;
    for (std::size_t i = 0; i < slots.count; ++i) {
      if (seriesShown(i)) t += slots.get(s, i);
    }
    return t;
  }
};

namespace counter_detail {
template <typename M>
struct MemberOf;
template <typename S, typename T>
struct MemberOf<T S::*> {
  using Struct = S;
  using Type = T;
};

template <auto M>
using StructOf = typename MemberOf<decltype(M)>::Struct;

template <auto M>
constexpr std::size_t slotsIn() {
  using T = typename MemberOf<decltype(M)>::Type;
  if constexpr (std::is_same_v<T, std::uint64_t>) {
    return 1;
  } else {
    static_assert(std::is_same_v<typename T::value_type, std::uint64_t>,
                  "a counter is a std::uint64_t or a std::array of them");
    return std::tuple_size_v<T>;
  }
}

template <auto M, typename S>
constexpr auto& slotOf(S& s, std::size_t i) {
  if constexpr (slotsIn<M>() == 1) {
    return s.*M;
  } else {
    return (s.*M)[i];
  }
}

// The i-th slot of the members Ms: the elements of one array member, or one slot per
// scalar member.
template <auto... Ms, typename S>
constexpr auto& slot(S& s, std::size_t i) {
  if constexpr (sizeof...(Ms) == 1) {
    return slotOf<Ms...>(s, i);
  } else {
    static_assert(((slotsIn<Ms>() == 1) && ...), "a family over members takes scalars only");
    constexpr std::array members{Ms...};
    return s.*members[i];
  }
}
}  // namespace counter_detail

template <auto M, auto... More>
constexpr CounterSlots<counter_detail::StructOf<M>> counterSlots() {
  using S = counter_detail::StructOf<M>;
  static_assert((std::is_same_v<S, counter_detail::StructOf<More>> && ...));
  constexpr std::size_t n =
      sizeof...(More) == 0 ? counter_detail::slotsIn<M>() : 1 + sizeof...(More);
  return {
      n,
      [](S& s, std::size_t i) -> std::uint64_t& { return counter_detail::slot<M, More...>(s, i); },
      [](const S& s, std::size_t i) -> const std::uint64_t& {
        return counter_detail::slot<M, More...>(s, i);
      },
  };
}

template <typename S>
using CounterTable = std::span<const CounterDef<S>>;

// dst += src, every slot of every (non-repeat) entry. Gauges add up too: shards' table
// sizes sum to the whole table's.
template <typename S>
constexpr void addCounters(S& dst, const S& src, std::type_identity_t<CounterTable<S>> table) {
  for (const CounterDef<S>& d : table) {
    if (d.repeat) continue;
    for (std::size_t i = 0; i < d.slots.count; ++i) d.slots.ref(dst, i) += d.slots.get(src, i);
  }
}

// True when the table names every uint64_t of S exactly once (each slot is bumped once
// through the table, then every slot must read 1 and the slots must fill sizeof(S); the
// structs hold nothing but std::uint64_t and arrays of them), and every family has labels.
template <typename S>
consteval bool countsEveryMember(CounterTable<S> table) {
  S s{};
  std::size_t slots = 0;
  for (const CounterDef<S>& d : table) {
    if (d.slots.count > 1 && !d.family()) return false;
    if (d.repeat) continue;
    for (std::size_t i = 0; i < d.slots.count; ++i) ++d.slots.ref(s, i);
    slots += d.slots.count;
  }
  for (const CounterDef<S>& d : table) {
    for (std::size_t i = 0; i < d.slots.count; ++i) {
      if (d.slots.get(s, i) != 1) return false;
    }
  }
  return slots * sizeof(std::uint64_t) == sizeof(S);
}

// Calls f(def, label, value) for each shown series of each (non-repeat) entry; label is
// empty for a counter without labels. For writers that list every counter (metrics).
template <typename S, typename F>
void forEachSeries(const S& s, std::type_identity_t<CounterTable<S>> table, F&& f) {
  for (const CounterDef<S>& d : table) {
    if (d.repeat) continue;
    for (std::size_t i = 0; i < d.slots.count; ++i) {
      if (d.seriesShown(i)) f(d, d.seriesLabel(i), d.slots.get(s, i));
    }
  }
}

}  // namespace rustnet::core
