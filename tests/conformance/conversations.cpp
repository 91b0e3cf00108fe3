#include "conformance/conversations.h"

#include <sstream>

#include "support/test_support.h"

namespace rustnet::test {

namespace {

std::vector<std::string> split(const std::string& line, char sep) {
  std::vector<std::string> out;
  std::string cell;
  std::stringstream in(line);
  while (std::getline(in, cell, sep)) out.push_back(cell);
  return out;
}

std::vector<std::string> words(const std::string& line) {
  std::vector<std::string> out;
  std::istringstream in(line);
  std::string w;
  while (in >> w) out.push_back(w);
  return out;
}

bool haveTshark() {
  static const bool have = runCommand("command -v tshark >/dev/null").status == 0;
  return have;
}

const char* kNoDefrag = " -o ip.defragment:FALSE -o ipv6.defragment:FALSE";

}  // namespace

std::string endpoint(const std::string& ip, std::uint64_t port) { return ip + ":" + std::to_string(port); }

std::string pairKey(const std::string& proto, const std::string& a, const std::string& b) {
  return proto + " " + (a < b ? a + " <-> " + b : b + " <-> " + a);
}

std::string directedKey(const std::string& proto, const std::string& from, const std::string& to) {
  return proto + " " + from + " > " + to;
}

std::optional<PairFrames> tsharkPairs(const std::filesystem::path& capture) {
  if (!haveTshark()) return std::nullopt;
  const auto r = runCommand("tshark -n -q" + std::string(kNoDefrag) + " -z conv,tcp -z conv,udp -r '" +
                            capture.string() + "' 2>/dev/null");
  PairFrames out;
  std::string proto;
  std::istringstream in(r.out);
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("TCP Conversations", 0) == 0) proto = "TCP";
    if (line.rfind("UDP Conversations", 0) == 0) proto = "UDP";
    // a <-> b  framesIn bytes unit  framesOut bytes unit  frames bytes unit  start duration
    const auto w = words(line);
    if (proto.empty() || w.size() < 12 || w[1] != "<->") continue;
    out[pairKey(proto, w[0], w[2])] += std::stoull(w[9]);
  }
  return out;
}

std::optional<DirectedCounts> tsharkDirected(const std::filesystem::path& capture) {
  if (!haveTshark()) return std::nullopt;
  // Every occurrence of each field (tunnels repeat them), in the order of the layers.
  const auto r = runCommand(
      "tshark -n" + std::string(kNoDefrag) + " -r '" + capture.string() +
      "' -T fields -E occurrence=a -E aggregator=, -e frame.len -e frame.protocols -e ip.src"
      " -e ip.dst -e ipv6.src -e ipv6.dst -e tcp.srcport -e tcp.dstport -e udp.srcport"
      " -e udp.dstport -e ip.id -e ip.frag_offset -e ipv6.fraghdr.ident -e ipv6.fraghdr.offset"
      " -e tcp.hdr_len -e ipv6.routing.segleft -e ipv6.routing.src.addr"
      " -e ipv6.routing.mipv6.home_address -e ipv6.routing.srh.addr -e ip.len -e ip.hdr_len"
      " 2>/dev/null");
  enum { kLen, kLayers, kIpSrc, kIpDst, kIp6Src, kIp6Dst, kTcpSrc, kTcpDst, kUdpSrc, kUdpDst, kIpId,
         kIpOffset, kFragId, kFragOffset, kTcpHdrLen, kSegLeft, kSourceRoute, kHomeAddress, kSegments,
         kIpLen, kIpHdrLen, kFields };
  DirectedCounts out;
  std::map<std::string, std::string> fragmentOwner;  // "src>dst#id" → directed key
  std::istringstream in(r.out);
  std::string line;
  while (std::getline(in, line)) {
    auto cells = split(line, '\t');
    cells.resize(kFields);
    std::vector<std::vector<std::string>> f;
    for (const auto& c : cells) f.push_back(split(c, ','));
    const auto at = [&](int field, std::size_t i) { return i < f[field].size() ? f[field][i] : std::string(); };
    if (f[kLen].empty()) continue;
    const std::uint64_t len = std::stoull(f[kLen][0]);
    std::size_t ip = 0, ip6 = 0, frag = 0, tcp = 0, udp = 0;
    bool v6 = false;
    std::string src, dst, id, offset;
    std::uint64_t ipPayload = 0;  // IPv4: bytes after the header, by the total length
    for (const auto& layer : split(at(kLayers, 0), ':')) {
      if (layer == "icmp" || layer == "icmpv6") break;  // quoted headers are not conversations
      std::string key;
      if (layer == "ip") {
        v6 = false;
        src = at(kIpSrc, ip), dst = at(kIpDst, ip), id = at(kIpId, ip), offset = at(kIpOffset, ip);
        const std::string total = at(kIpLen, ip), header = at(kIpHdrLen, ip);
        ipPayload = !total.empty() && !header.empty() && std::stoull(total) > std::stoull(header)
                        ? std::stoull(total) - std::stoull(header)
                        : 0;
        ++ip;
      } else if (layer == "ipv6") {
        v6 = true;
        src = at(kIp6Src, ip6), dst = at(kIp6Dst, ip6), id.clear(), offset.clear();
        ++ip6;
      } else if (layer == "ipv6.routing" && v6 && !at(kSegLeft, 0).empty() && at(kSegLeft, 0) != "0") {
        // The conversation's peer is the final destination the routing header names.
        if (!f[kSourceRoute].empty()) {
          dst = f[kSourceRoute].back();
        } else if (!f[kHomeAddress].empty()) {
          dst = f[kHomeAddress].back();
        } else if (!f[kSegments].empty()) {
          dst = f[kSegments].front();
        }
      } else if (layer == "ipv6.fraghdr" && v6) {
        id = at(kFragId, frag), offset = at(kFragOffset, frag);
        ++frag;
      } else if (layer == "tcp" || layer == "udp") {
        const bool isTcp = layer == "tcp";
        const std::size_t i = isTcp ? tcp++ : udp++;
        const std::string sport = at(isTcp ? kTcpSrc : kUdpSrc, i);
        const std::string dport = at(isTcp ? kTcpDst : kUdpDst, i);
        if (sport.empty() || dport.empty()) continue;
        // A TCP header shorter than 20 bytes, or longer than the IPv4 packet holds (tshark
        // then reads on into the frame's padding), is no conversation for tshark (nor for us).
        if (isTcp && !at(kTcpHdrLen, i).empty()) {
          const std::uint64_t hdr = std::stoull(at(kTcpHdrLen, i));
          if (hdr < 20 || (!v6 && ipPayload != 0 && hdr > ipPayload)) continue;
        }
        key = directedKey(isTcp ? "TCP" : "UDP", endpoint(src, std::stoull(sport)), endpoint(dst, std::stoull(dport)));
        if (!id.empty()) fragmentOwner[src + ">" + dst + "#" + id] = key;
      } else if (layer == "data" && !offset.empty() && offset != "0") {
        // A later fragment: its datagram's conversation, when the first fragment was seen.
        const auto owner = fragmentOwner.find(src + ">" + dst + "#" + id);
        if (owner != fragmentOwner.end()) key = owner->second;
      }
      if (key.empty()) continue;
      auto& c = out[key];
      ++c.packets;
      c.bytes += len;
    }
  }
  return out;
}

namespace {
template <typename Visit>
void forEachClosed(const std::vector<nlohmann::json>& events, Visit visit) {
  for (const auto& e : events) {
    if (e.value("event", "") != "connection_closed") continue;
    const std::string proto = e.value("protocol", "");
    if (proto != "TCP" && proto != "UDP") continue;
    visit(proto, endpoint(e.value("source_ip", ""), e.value("source_port", 0)),
          endpoint(e.value("destination_ip", ""), e.value("destination_port", 0)), e);
  }
}
}  // namespace

PairFrames ourPairs(const std::vector<nlohmann::json>& events) {
  PairFrames out;
  forEachClosed(events, [&](const std::string& proto, const std::string& a, const std::string& b,
                            const nlohmann::json& e) {
    out[pairKey(proto, a, b)] += e.value("packets_sent", 0ULL) + e.value("packets_received", 0ULL);
  });
  return out;
}

DirectedCounts ourDirected(const std::vector<nlohmann::json>& events) {
  DirectedCounts out;
  forEachClosed(events, [&](const std::string& proto, const std::string& a, const std::string& b,
                            const nlohmann::json& e) {
    const auto add = [&](const std::string& from, const std::string& to, const char* dir) {
      const std::uint64_t packets = e.value(std::string("packets_") + dir, 0ULL);
      if (packets == 0) return;
      auto& c = out[directedKey(proto, from, to)];
      c.packets += packets;
      c.bytes += e.value(std::string("bytes_") + dir, 0ULL);
    };
    add(a, b, "sent");
    add(b, a, "received");
  });
  return out;
}

}  // namespace rustnet::test
