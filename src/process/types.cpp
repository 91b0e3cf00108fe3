#include "process/types.h"

#include <cstring>

namespace rustnet::process {

core::IpAddr canonicalAddr(const core::IpAddr& a) {
  if (a.isV4()) return a;
  static constexpr std::uint8_t kMapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  const auto& b = a.bytes();
  if (std::memcmp(b.data(), kMapped, sizeof kMapped) != 0) return a;
  return core::IpAddr::v4Bytes(core::Bytes(b.data() + 12, 4));
}

SocketTuple SocketTuple::make(std::uint8_t proto, core::Endpoint local, core::Endpoint remote) {
  local.addr = canonicalAddr(local.addr);
  remote.addr = canonicalAddr(remote.addr);
  return {proto, local, remote};
}

SocketTuple SocketTuple::fromFlow(const core::FlowKey& key, bool localIsA) {
  return make(key.proto, localIsA ? key.a : key.b, localIsA ? key.b : key.a);
}

std::uint64_t SocketTuple::hash() const {
  // Not symmetric on purpose (local and remote mean different things here), so reuse the
  // canonical key's mixer on an oriented copy and fold the orientation in.
  bool srcIsA = true;
  const auto key = core::FlowKey::make(proto, local, remote, srcIsA);
  return key.hash() ^ (srcIsA ? 0 : 0x5bd1e9955bd1e995ull);
}

std::string_view matchKindName(MatchKind k) {
  switch (k) {
    case MatchKind::None: return "none";
    case MatchKind::Exact: return "exact";
    case MatchKind::ExactReversed: return "exact_reversed";
    case MatchKind::Listener: return "listener";
    case MatchKind::UnconnectedUdp: return "unconnected_udp";
    case MatchKind::Ambiguous: return "ambiguous";
  }
  return "none";
}

std::string_view hitLabel(std::size_t i) {
  if (i >= kMatchKindCount) return {};
  const auto kind = static_cast<MatchKind>(i);
  if (kind == MatchKind::None || kind == MatchKind::Ambiguous) return {};
  return matchKindName(kind);
}

std::string_view methodName(Method m) {
  switch (m) {
    case Method::Ebpf: return "ebpf";
    case Method::SockDiag: return "sock_diag";
    case Method::Procfs: return "procfs";
  }
  return "procfs";
}

}  // namespace rustnet::process
