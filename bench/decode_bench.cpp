// Decoding cost per frame for the common shapes: Ethernet/IPv4/TCP with data, Ethernet/
// IPv6/UDP, and a VLAN-tagged Ethernet/IPv4/UDP frame. Figures are printed by Google
// Benchmark; nothing here asserts on time.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <initializer_list>
#include <vector>

#include "decode/packet.h"

namespace {

using namespace rustnet;

class Frame {
public:
  Frame& u8(std::uint8_t v) {
    b_.push_back(v);
    return *this;
  }
  Frame& be16(std::uint16_t v) { return u8(static_cast<std::uint8_t>(v >> 8)).u8(static_cast<std::uint8_t>(v)); }
  Frame& be32(std::uint32_t v) { return be16(static_cast<std::uint16_t>(v >> 16)).be16(static_cast<std::uint16_t>(v)); }
  Frame& zeros(std::size_t n) {
    b_.insert(b_.end(), n, 0);
    return *this;
  }
  Frame& ethernet(std::uint16_t type) {
    for (std::uint8_t x : {0x02, 0, 0, 0, 0, 1, 0x02, 0, 0, 0, 0, 2}) u8(x);
    return be16(type);
  }
  Frame& vlan(std::uint16_t tci, std::uint16_t type) { return be16(tci).be16(type); }
  Frame& ipv4(std::uint8_t proto, std::uint16_t payloadLen) {
    return u8(0x45).u8(0).be16(static_cast<std::uint16_t>(20 + payloadLen)).be16(1).be16(0x4000)
        .u8(64).u8(proto).be16(0).be32(0xc0a80102u).be32(0x5db8d822u);
  }
  Frame& ipv6(std::uint8_t next, std::uint16_t payloadLen) {
    be32(0x60000000u).be16(payloadLen).u8(next).u8(64);
    be32(0x20010db8u).be32(0).be32(0).be32(1);
    return be32(0x20010db8u).be32(0xffff0000u).be32(0).be32(2);
  }
  Frame& tcp(std::uint16_t sport, std::uint16_t dport) {
    return be16(sport).be16(dport).be32(1000).be32(2000).u8(5 << 4).u8(0x18).be16(65535).be32(0);
  }
  Frame& udp(std::uint16_t sport, std::uint16_t dport, std::uint16_t payloadLen) {
    return be16(sport).be16(dport).be16(static_cast<std::uint16_t>(8 + payloadLen)).be16(0);
  }
  [[nodiscard]] const std::vector<std::uint8_t>& bytes() const { return b_; }

private:
  std::vector<std::uint8_t> b_;
};

void run(benchmark::State& state, decode::LinkType link, const Frame& f) {
  decode::PacketView view;
  const core::Bytes frame(f.bytes());
  const auto wireLen = static_cast<std::uint32_t>(f.bytes().size());
  std::int64_t ns = 1'700'000'000'000'000'000;
  for (auto _ : state) {
    const decode::Status st = decode::decode(link, frame, wireLen, core::Timestamp::fromNanos(++ns), view);
    benchmark::DoNotOptimize(st);
    benchmark::DoNotOptimize(view.sport);
  }
  if (decode::decode(link, frame, wireLen, core::Timestamp{}, view) != decode::Status::Ok) {
    state.SkipWithError("frame did not decode");
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_DecodeEthernetIpv4Tcp(benchmark::State& state) {
  Frame f;
  f.ethernet(0x0800).ipv4(6, 20 + 1400).tcp(51000, 443).zeros(1400);
  run(state, decode::LinkType::Ethernet, f);
}
BENCHMARK(BM_DecodeEthernetIpv4Tcp);

void BM_DecodeEthernetIpv6Udp(benchmark::State& state) {
  Frame f;
  f.ethernet(0x86dd).ipv6(17, 8 + 1200).udp(51000, 443, 1200).zeros(1200);
  run(state, decode::LinkType::Ethernet, f);
}
BENCHMARK(BM_DecodeEthernetIpv6Udp);

void BM_DecodeVlanIpv4Udp(benchmark::State& state) {
  Frame f;
  f.ethernet(0x8100).vlan(100, 0x0800).ipv4(17, 8 + 64).udp(5353, 53, 64).zeros(64);
  run(state, decode::LinkType::Ethernet, f);
}
BENCHMARK(BM_DecodeVlanIpv4Udp);

}  // namespace

BENCHMARK_MAIN();
