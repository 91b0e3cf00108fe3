// Placeholder until the decoder lands: declares everything Unsupported.
#include "decode/packet.h"

namespace rustnet::decode {

const char* linkTypeName(LinkType) { return "unsupported"; }
const char* statusName(Status) { return "unsupported"; }

Status decode(LinkType, core::Bytes frame, std::uint32_t wireLen, core::Timestamp ts, PacketView& out) {
  out = PacketView{};
  out.ts = ts;
  out.wireLen = wireLen;
  out.capLen = static_cast<std::uint32_t>(frame.size());
  return Status::Unsupported;
}

}  // namespace rustnet::decode
