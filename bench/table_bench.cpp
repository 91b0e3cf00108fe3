// The connection table alone at 1k, 100k and 1M connections: lookups that hit (with and
// without the LRU touch a packet does), lookups that miss (a new flow's first packet),
// and churn at a fixed size (insert a new key, erase the oldest). Keys are looked up in a
// random order, so the larger tables measure cache misses rather than cache hits. The
// flow hash is included in each lookup, as on the packet path, and measured on its own.
// Figures are printed by Google Benchmark; nothing here asserts on time.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdint>
#include <random>
#include <vector>

#include "track/connection_table.h"

namespace {

using namespace rustnet;

std::vector<core::FlowKey> randomKeys(std::size_t n, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<core::FlowKey> keys(n);
  for (auto& k : keys) {
    const std::uint64_t r = rng();
    bool srcIsA = false;
    k = core::FlowKey::make(core::proto::kTcp,
                            {core::IpAddr::v4(static_cast<std::uint32_t>(r)), static_cast<std::uint16_t>(r >> 32)},
                            {core::IpAddr::v4(static_cast<std::uint32_t>(rng())), static_cast<std::uint16_t>(r >> 48)},
                            srcIsA);
  }
  return keys;
}

struct Filled {
  explicit Filled(std::size_t n) : table(n + 1), keys(randomKeys(n, 1)) {
    for (const auto& k : keys) table.insert(k, table.hashOf(k));
    order = keys;
    std::shuffle(order.begin(), order.end(), std::mt19937_64(2));
  }
  track::ConnectionTable table;
  std::vector<core::FlowKey> keys;
  std::vector<core::FlowKey> order;  // the same keys, looked up in another order
};

void BM_TableFindHit(benchmark::State& state) {
  Filled f(static_cast<std::size_t>(state.range(0)));
  std::size_t i = 0;
  for (auto _ : state) {
    const core::FlowKey& k = f.order[i];
    benchmark::DoNotOptimize(f.table.find(k, f.table.hashOf(k)));
    if (++i == f.order.size()) i = 0;
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_TableFindHit)->Arg(1000)->Arg(100000)->Arg(1000000);

// What a packet on a known connection costs the table: the lookup and the move to the
// front of the activity list.
void BM_TableFindHitAndTouch(benchmark::State& state) {
  Filled f(static_cast<std::size_t>(state.range(0)));
  std::size_t i = 0;
  for (auto _ : state) {
    const core::FlowKey& k = f.order[i];
    f.table.touch(f.table.find(k, f.table.hashOf(k)));
    if (++i == f.order.size()) i = 0;
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_TableFindHitAndTouch)->Arg(1000)->Arg(100000)->Arg(1000000);

void BM_TableFindMiss(benchmark::State& state) {
  Filled f(static_cast<std::size_t>(state.range(0)));
  const auto absent = randomKeys(1u << 16, 3);
  std::size_t i = 0;
  for (auto _ : state) {
    const core::FlowKey& k = absent[i];
    benchmark::DoNotOptimize(f.table.find(k, f.table.hashOf(k)));
    i = (i + 1) & (absent.size() - 1);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_TableFindMiss)->Arg(1000)->Arg(100000)->Arg(1000000);

// A new connection at a full table: erase the least recently active, insert the new key.
void BM_TableInsertEvict(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  track::ConnectionTable table(n);
  for (const auto& k : randomKeys(n, 1)) table.insert(k, table.hashOf(k));
  const auto fresh = randomKeys(n + (1u << 16), 4);
  std::size_t i = 0;
  for (auto _ : state) {
    table.erase(table.oldest());
    const core::FlowKey& k = fresh[i];
    benchmark::DoNotOptimize(table.insert(k, table.hashOf(k)));
    if (++i == fresh.size()) {
      // Every fresh key is in the table or was evicted; start over with an empty set.
      state.PauseTiming();
      while (table.size() > 0) table.erase(table.oldest());
      for (const auto& key : randomKeys(n, 1)) table.insert(key, table.hashOf(key));
      i = 0;
      state.ResumeTiming();
    }
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_TableInsertEvict)->Arg(1000)->Arg(100000)->Arg(1000000);

void BM_FlowHash(benchmark::State& state) {
  const auto keys = randomKeys(1024, 5);
  std::size_t i = 0;
  std::uint64_t seed = 0x0123456789abcdefull;
  for (auto _ : state) {
    benchmark::DoNotOptimize(keys[i].hash(seed));
    i = (i + 1) & 1023;
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_FlowHash);

}  // namespace

BENCHMARK_MAIN();
