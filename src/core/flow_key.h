#pragma once
// The identity of a conversation. Endpoints are stored in canonical order (the smaller
// address/port pair first) so that both directions of a flow produce the same key and the
// same hash; the packet's direction relative to the key is returned separately.
#include <cstdint>
#include <cstring>

#include "core/ip_addr.h"

namespace rustnet::core {

// IP protocol numbers, plus a reserved value for ARP rows (which are not IP).
namespace proto {
inline constexpr std::uint8_t kIcmp = 1;
inline constexpr std::uint8_t kIgmp = 2;
inline constexpr std::uint8_t kTcp = 6;
inline constexpr std::uint8_t kUdp = 17;
inline constexpr std::uint8_t kIcmpv6 = 58;
inline constexpr std::uint8_t kArp = 255;  // IANA "reserved": never seen as an IP protocol here
}  // namespace proto

const char* protoName(std::uint8_t p);  // "TCP", "UDP", "ICMP", "ICMPv6", "IGMP", "ARP", "IP"

struct Endpoint {
  IpAddr addr;
  std::uint16_t port = 0;
  friend constexpr bool operator==(const Endpoint&, const Endpoint&) = default;
  friend constexpr auto operator<=>(const Endpoint& x, const Endpoint& y) {
    if (auto c = x.addr <=> y.addr; c != 0) return c;
    return x.port <=> y.port;
  }
};

struct FlowKey {
  Endpoint a;  // the canonically smaller endpoint
  Endpoint b;
  std::uint8_t proto = 0;

  // Builds the canonical key for a packet from src to dst. `srcIsA` tells the caller which
  // side of the key sent this packet.
  static FlowKey make(std::uint8_t proto, Endpoint src, Endpoint dst, bool& srcIsA) {
    FlowKey k;
    k.proto = proto;
    srcIsA = !(dst < src);
    k.a = srcIsA ? src : dst;
    k.b = srcIsA ? dst : src;
    return k;
  }

  friend constexpr bool operator==(const FlowKey&, const FlowKey&) = default;

  // The same value for both directions (the key is canonical). A 64-bit multiply-mix over
  // the address words: cheap, and spreads the low bits that shard selection uses.
  // Unseeded it is fixed, so anyone can compute it (and with IPv6, whose address words are
  // all the sender's to choose, build colliding tuples at will); structures that packets
  // fill pass a secret `seed` (the connection table does). Seed 0 is hash().
  [[nodiscard]] std::uint64_t hash(std::uint64_t seed = 0) const {
    std::uint64_t w[4];
    std::memcpy(w, a.addr.bytes().data(), 16);
    std::memcpy(w + 2, b.addr.bytes().data(), 16);
    std::uint64_t h = 0x9e3779b97f4a7c15ull ^ seed ^ proto;
    h = mix(h ^ w[0]);
    h = mix(h ^ w[1]);
    h = mix(h ^ w[2]);
    h = mix(h ^ w[3]);
    h = mix(h ^ ((std::uint64_t{a.port} << 16) | b.port));
    return h;
  }

private:
  static constexpr std::uint64_t mix(std::uint64_t x) {
    x *= 0xbf58476d1ce4e5b9ull;
    x ^= x >> 31;
    x *= 0x94d049bb133111ebull;
    x ^= x >> 29;
    return x;
  }
};

}  // namespace rustnet::core
