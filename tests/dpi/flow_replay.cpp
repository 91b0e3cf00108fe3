#include "flow_replay.h"

#include <unordered_map>

#include "decode/packet.h"
#include "mini_pcap.h"

namespace rustnet::test {

namespace {
struct KeyHash {
  std::size_t operator()(const core::FlowKey& k) const { return static_cast<std::size_t>(k.hash()); }
};
}  // namespace

Replay replayCapture(const std::filesystem::path& file) {
  Replay out;
  std::unordered_map<core::FlowKey, std::size_t, KeyHash> index;
  for (const auto& pkt : readCapture(file)) {
    ++out.packets;
    decode::PacketView v;
    const auto status = decode::decode(pkt.link, core::Bytes(pkt.data), pkt.wireLen, pkt.ts, v);
    if (status != decode::Status::Ok || (v.proto != core::proto::kTcp && v.proto != core::proto::kUdp)) {
      ++out.undecoded;
      continue;
    }
    const core::Endpoint src{v.src, v.sport};
    const core::Endpoint dst{v.dst, v.dport};
    bool srcIsA = false;
    const auto key = core::FlowKey::make(v.proto, src, dst, srcIsA);
    auto [it, inserted] = index.try_emplace(key, out.flows.size());
    if (inserted) {
      dpi::FlowInfo info;
      info.transport = v.proto == core::proto::kTcp ? dpi::Transport::Tcp : dpi::Transport::Udp;
      info.localPort = v.sport;
      info.remotePort = v.dport;
      out.flows.push_back(ReplayedFlow{key, src, std::make_unique<dpi::Inspector>(info)});
    }
    auto& flow = out.flows[it->second];
    ++flow.packets;
    if (v.payload.empty()) continue;
    const auto dir = src == flow.initiator ? dpi::Direction::Outbound : dpi::Direction::Inbound;
    if (flow.inspector->feed(v.payload, dir, v.seq, v.ts, out.counters)) ++flow.stateChanges;
  }
  return out;
}

}  // namespace rustnet::test
