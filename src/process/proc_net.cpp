// /proc/net/{tcp,udp}{,6}: the text form of the kernel's socket tables. Addresses are the
// in-memory (network order) words printed as host-order hex, so they are turned back into
// bytes by copying each parsed word in host order.
#include <charconv>
#include <cstring>
#include <fstream>

#include "process/socket_source.h"

namespace rustnet::process {
namespace {

std::string_view nextField(std::string_view& s) {
  std::size_t i = 0;
  while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
  std::size_t j = i;
  while (j < s.size() && s[j] != ' ' && s[j] != '\t') ++j;
  auto f = s.substr(i, j - i);
  s.remove_prefix(j);
  return f;
}

template <typename T>
bool parseNumber(std::string_view s, T& v, int base) {
  if (s.empty()) return false;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v, base);
  return ec == std::errc() && p == s.data() + s.size();
}

// "0100007F:1F90" (IPv4) or 32 hex digits ":" port (IPv6).
bool parseEndpoint(std::string_view s, bool v6, core::Endpoint& ep) {
  const auto colon = s.find(':');
  if (colon == std::string_view::npos) return false;
  const auto hex = s.substr(0, colon);
  const std::size_t words = v6 ? 4 : 1;
  if (hex.size() != words * 8) return false;
  std::uint8_t raw[16];
  for (std::size_t w = 0; w < words; ++w) {
    std::uint32_t word = 0;
    if (!parseNumber(hex.substr(w * 8, 8), word, 16)) return false;
    std::memcpy(raw + w * 4, &word, 4);
  }
  std::uint16_t port = 0;
  if (!parseNumber(s.substr(colon + 1), port, 16)) return false;
  ep.addr = v6 ? canonicalAddr(core::IpAddr::v6Bytes(core::Bytes(raw, 16)))
               : core::IpAddr::v4Bytes(core::Bytes(raw, 4));
  ep.port = port;
  return true;
}

}  // namespace

bool parseProcNetLine(std::string_view line, std::uint8_t proto, bool v6, SocketRecord& out) {
  // sl local rem st tx:rx tr:when retrnsmt uid timeout inode ...
  auto sl = nextField(line);
  if (sl.empty() || sl.back() != ':') return false;
  const auto local = nextField(line);
  const auto remote = nextField(line);
  const auto st = nextField(line);
  nextField(line);  // tx_queue:rx_queue
  nextField(line);  // tr:tm->when
  nextField(line);  // retrnsmt
  const auto uid = nextField(line);
  nextField(line);  // timeout
  const auto inode = nextField(line);

  SocketRecord r;
  core::Endpoint l, rem;
  if (!parseEndpoint(local, v6, l) || !parseEndpoint(remote, v6, rem)) return false;
  if (!parseNumber(st, r.state, 16)) return false;
  if (!parseNumber(uid, r.uid, 10)) return false;
  if (!parseNumber(inode, r.inode, 10)) return false;
  r.tuple = SocketTuple::make(proto, l, rem);
  if (proto == core::proto::kTcp) {
    r.listening = r.state == kTcpListen;
  } else {
    r.listening = rem.port == 0 && rem.addr.isUnspecified();
  }
  // The text tables do not say whether IPV6_V6ONLY is set; assume the default (off), so a
  // wildcard IPv6 socket may also be the owner of IPv4 traffic.
  r.dualStack = v6;
  out = r;
  return true;
}

DumpResult ProcNetSource::dump(std::vector<SocketRecord>& out) {
  struct Table {
    const char* file;
    std::uint8_t proto;
    bool v6;
  };
  static constexpr Table kTables[] = {{"tcp", core::proto::kTcp, false},
                                      {"tcp6", core::proto::kTcp, true},
                                      {"udp", core::proto::kUdp, false},
                                      {"udp6", core::proto::kUdp, true}};
  DumpResult res;
  out.clear();
  int opened = 0;
  std::string line;
  for (const auto& t : kTables) {
    std::ifstream in(root_ / "net" / t.file);
    if (!in) continue;  // no IPv6 in this kernel, or a fixture without that table
    ++opened;
    SocketRecord rec;
    while (std::getline(in, line)) {
      if (!parseProcNetLine(line, t.proto, t.v6, rec)) continue;
      if (out.size() >= kMaxSockets) {
        res.truncated = true;
        break;
      }
      out.push_back(rec);
    }
  }
  if (opened == 0) {
    res.error = "no readable socket table under " + (root_ / "net").string();
    return res;
  }
  res.ok = true;
  return res;
}

}  // namespace rustnet::process
