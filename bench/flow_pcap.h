#pragma once
// Synthetic captures with many distinct flows, written straight to a classic pcap file
// (Ethernet, microsecond timestamps): what the scale benchmark and the table-bound test
// feed rustnet. Each flow is a TCP SYN or a UDP datagram from 198.18.0.0/16 to
// 198.19.0.0/16 (RFC 2544 benchmarking space), optionally answered once, with no payload
// so that the figures measure connection tracking rather than DPI.
//
// Header-only and free of the project's libraries: tests/cli/table_bound_test.cpp and
// bench/gen_flows.cpp both use it.
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <random>
#include <string>

namespace rustnet::scale {

struct FlowPcapOptions {
  std::uint64_t flows = 0;
  // Sequential tuples are distinct by construction; random ones (a flood) may repeat rarely.
  bool random = false;
  std::uint64_t seed = 1;
  // Sequential tuples only: when non-zero, flow i reuses tuple i % distinct, so that a
  // capture of the same length and packet mix has only this many connections (a baseline).
  std::uint64_t distinct = 0;
  // Every `replyEvery`-th flow is answered (a SYN-ACK or a UDP reply); 0: never.
  std::uint32_t replyEvery = 4;
  // Timestamps are spread evenly over this span, so that nothing expires while reading.
  std::int64_t spanUs = 2'000'000;
  std::int64_t startSec = 1'700'000'000;
};

struct FlowPcapStats {
  std::uint64_t packets = 0;
  std::uint64_t flows = 0;
  std::uint64_t tcpFlows = 0;
};

class FlowPcapWriter {
public:
  explicit FlowPcapWriter(const std::string& path) : f_(std::fopen(path.c_str(), "wb")) {
    if (f_ == nullptr) return;
    std::uint8_t h[24] = {};
    put32le(h, 0xa1b2c3d4u);
    put16le(h + 4, 2);
    put16le(h + 6, 4);
    put32le(h + 16, 65535);  // snaplen
    put32le(h + 20, 1);      // LINKTYPE_ETHERNET
    ok_ = std::fwrite(h, 1, sizeof h, f_) == sizeof h;
  }
  ~FlowPcapWriter() {
    if (f_ != nullptr) std::fclose(f_);
  }
  FlowPcapWriter(const FlowPcapWriter&) = delete;
  FlowPcapWriter& operator=(const FlowPcapWriter&) = delete;

  [[nodiscard]] bool ok() const { return f_ != nullptr && ok_; }

  // One IPv4 packet, TCP (flags) or UDP, addresses and ports in host order.
  void packet(std::int64_t tsUs, bool tcp, std::uint32_t src, std::uint32_t dst, std::uint16_t sport,
              std::uint16_t dport, std::uint8_t tcpFlags) {
    std::uint8_t p[64] = {};
    // Ethernet: locally administered MACs, type IPv4.
    p[0] = 0x02;
    p[5] = 0x02;
    p[6] = 0x02;
    p[11] = 0x01;
    p[12] = 0x08;
    const std::size_t l4 = tcp ? 20 : 8;
    const std::size_t ipLen = 20 + l4;
    std::uint8_t* ip = p + 14;
    ip[0] = 0x45;
    put16be(ip + 2, static_cast<std::uint16_t>(ipLen));
    ip[8] = 64;
    ip[9] = tcp ? 6 : 17;
    put32be(ip + 12, src);
    put32be(ip + 16, dst);
    put16be(ip + 10, checksum(ip, 20));
    std::uint8_t* t = ip + 20;
    put16be(t, sport);
    put16be(t + 2, dport);
    if (tcp) {
      put32be(t + 4, 0x10000000u ^ src);  // seq
      if ((tcpFlags & 0x10) != 0) put32be(t + 8, 0x20000001u ^ dst);
      t[12] = 5 << 4;
      t[13] = tcpFlags;
      put16be(t + 14, 65535);
    } else {
      put16be(t + 4, 8);
    }
    const std::size_t len = 14 + ipLen;
    std::uint8_t rec[16];
    put32le(rec, static_cast<std::uint32_t>(tsUs / 1'000'000));
    put32le(rec + 4, static_cast<std::uint32_t>(tsUs % 1'000'000));
    put32le(rec + 8, static_cast<std::uint32_t>(len));
    put32le(rec + 12, static_cast<std::uint32_t>(len));
    ok_ = ok_ && std::fwrite(rec, 1, sizeof rec, f_) == sizeof rec && std::fwrite(p, 1, len, f_) == len;
  }

private:
  static void put16le(std::uint8_t* d, std::uint16_t v) {
    d[0] = static_cast<std::uint8_t>(v);
    d[1] = static_cast<std::uint8_t>(v >> 8);
  }
  static void put32le(std::uint8_t* d, std::uint32_t v) {
    put16le(d, static_cast<std::uint16_t>(v));
    put16le(d + 2, static_cast<std::uint16_t>(v >> 16));
  }
  static void put16be(std::uint8_t* d, std::uint16_t v) {
    d[0] = static_cast<std::uint8_t>(v >> 8);
    d[1] = static_cast<std::uint8_t>(v);
  }
  static void put32be(std::uint8_t* d, std::uint32_t v) {
    put16be(d, static_cast<std::uint16_t>(v >> 16));
    put16be(d + 2, static_cast<std::uint16_t>(v));
  }
  static std::uint16_t checksum(const std::uint8_t* d, std::size_t n) {
    std::uint32_t sum = 0;
    for (std::size_t i = 0; i + 1 < n; i += 2) sum += (std::uint32_t{d[i]} << 8) | d[i + 1];
    while ((sum >> 16) != 0) sum = (sum & 0xffff) + (sum >> 16);
    return static_cast<std::uint16_t>(~sum);
  }

  std::FILE* f_;
  bool ok_ = false;
};

// Writes `o.flows` flows to `path`; false when the file cannot be written.
inline bool writeFlowPcap(const std::string& path, const FlowPcapOptions& o, FlowPcapStats* stats = nullptr) {
  FlowPcapWriter w(path);
  if (!w.ok()) return false;
  std::mt19937_64 rng(o.seed);
  FlowPcapStats s;
  constexpr std::uint32_t kNetA = 0xc6120000u;  // 198.18.0.0/16
  constexpr std::uint32_t kNetB = 0xc6130000u;  // 198.19.0.0/16
  for (std::uint64_t i = 0; i < o.flows; ++i) {
    const std::int64_t ts = o.startSec * 1'000'000 +
                            static_cast<std::int64_t>(i * static_cast<std::uint64_t>(o.spanUs) / (o.flows + 1));
    std::uint32_t src = 0;
    std::uint32_t dst = 0;
    std::uint16_t sport = 0;
    std::uint16_t dport = 0;
    bool tcp = false;
    if (o.random) {
      const std::uint64_t r = rng();
      const std::uint64_t r2 = rng();
      src = kNetA | static_cast<std::uint32_t>(r & 0x1ffff);  // anywhere in 198.18.0.0/15
      dst = kNetA | static_cast<std::uint32_t>((r >> 17) & 0x1ffff);
      sport = static_cast<std::uint16_t>(1024 + (r >> 34) % 64512);
      dport = static_cast<std::uint16_t>(1 + (r2 & 0xfffe));
      tcp = ((r2 >> 20) & 1) != 0;
    } else {
      // Distinct by construction: (client, server) address pair differs for every j < 2^32.
      const std::uint64_t j = o.distinct != 0 ? i % o.distinct : i;
      src = kNetA | static_cast<std::uint32_t>(j & 0xffff);
      dst = kNetB | static_cast<std::uint32_t>((j >> 16) & 0xffff);
      sport = static_cast<std::uint16_t>(1024 + j % 60000);
      dport = (j & 1) != 0 ? 443 : 53;
      tcp = (j & 1) != 0;
    }
    w.packet(ts, tcp, src, dst, sport, dport, tcp ? 0x02 : 0);  // SYN
    ++s.packets;
    if (o.replyEvery != 0 && i % o.replyEvery == 0) {
      w.packet(ts + 1, tcp, dst, src, dport, sport, tcp ? 0x12 : 0);  // SYN-ACK
      ++s.packets;
    }
    ++s.flows;
    if (tcp) ++s.tcpFlows;
  }
  if (stats != nullptr) *stats = s;
  return w.ok();
}

}  // namespace rustnet::scale
