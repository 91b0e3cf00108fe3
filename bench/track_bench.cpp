// Connection tracking throughput: packets on existing connections (the steady-state
// path), connection churn at the table bound (eviction), and the expiry sweep.
// Figures are printed by Google Benchmark; nothing here asserts on time.
#include <benchmark/benchmark.h>

#include <vector>

#include "decode/packet.h"
#include "track/tracker.h"

namespace {

using namespace rustnet;

class NullSink final : public track::EventSink {
public:
  void onNew(const track::Connection&) override { ++events; }
  void onClosed(const track::Connection&, track::EndReason, core::Timestamp) override { ++events; }
  std::uint64_t events = 0;
};

// `n` distinct TCP data segments (one per connection) from a /16 of clients to one server.
std::vector<decode::PacketView> segments(std::size_t n) {
  std::vector<decode::PacketView> out(n);
  for (std::size_t i = 0; i < n; ++i) {
    decode::PacketView& p = out[i];
    p.network = decode::Network::Ipv4;
    p.proto = core::proto::kTcp;
    p.src = core::IpAddr::v4(0x0a000000u + static_cast<std::uint32_t>(i / 50000));
    p.dst = core::IpAddr::v4(0xc0a80101u);
    p.sport = static_cast<std::uint16_t>(10000 + i % 50000);
    p.dport = 443;
    p.tcpFlags = decode::tcpflag::kAck | decode::tcpflag::kPsh;
    p.seq = 1000;
    p.ack = 1;
    p.payloadWireLen = 1400;
    p.wireLen = 1454;
  }
  return out;
}

void BM_PacketOnExistingConnection(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  auto pkts = segments(n);
  NullSink sink;
  track::Tracker tracker(track::TrackerConfig{}, sink);
  std::int64_t ns = 1'700'000'000'000'000'000;
  for (auto& p : pkts) {
    p.ts = core::Timestamp::fromNanos(ns);
    tracker.onPacket(p);
  }
  std::size_t i = 0;
  for (auto _ : state) {
    decode::PacketView& p = pkts[i];
    ns += 1000;
    p.ts = core::Timestamp::fromNanos(ns);
    p.seq += 1400;
    tracker.onPacket(p);
    if (++i == n) i = 0;
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["connections"] = static_cast<double>(tracker.size());
}
BENCHMARK(BM_PacketOnExistingConnection)->Arg(1000)->Arg(100000);

void BM_NewConnectionsAtTheBound(benchmark::State& state) {
  auto pkts = segments(200000);
  NullSink sink;
  track::TrackerConfig cfg;
  cfg.maxConnections = static_cast<std::size_t>(state.range(0));
  track::Tracker tracker(cfg, sink);
  std::int64_t ns = 1'700'000'000'000'000'000;
  std::size_t i = 0;
  for (auto _ : state) {
    decode::PacketView& p = pkts[i];
    ns += 1000;
    p.ts = core::Timestamp::fromNanos(ns);
    tracker.onPacket(p);
    if (++i == pkts.size()) i = 0;
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["evicted"] = static_cast<double>(tracker.counters().evicted);
}
BENCHMARK(BM_NewConnectionsAtTheBound)->Arg(10000);

// One sweep over a table where nothing has expired yet but every connection is older than
// the sweep horizon: the worst case for a sweep that removes nothing.
void BM_ExpirySweep(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  auto pkts = segments(n);
  NullSink sink;
  track::Tracker tracker(track::TrackerConfig{}, sink);
  const std::int64_t start = 1'700'000'000'000'000'000;
  for (auto& p : pkts) {
    p.ts = core::Timestamp::fromNanos(start);
    tracker.onPacket(p);
  }
  std::int64_t second = 0;
  for (auto _ : state) {
    // 20..39 s later: past the 5 s horizon, well within the 150 s (sparse) timeout.
    tracker.expire(core::Timestamp::fromNanos(start + (20 + second % 20) * 1'000'000'000));
    ++second;
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(n));
  state.counters["connections"] = static_cast<double>(tracker.size());
}
BENCHMARK(BM_ExpirySweep)->Arg(100000);

}  // namespace

BENCHMARK_MAIN();
