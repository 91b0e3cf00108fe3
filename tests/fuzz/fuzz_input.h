#pragma once
// The input format shared by the DPI fuzz targets and their seed corpora
// (scripts/extract-fuzz-seeds.sh writes it):
//   byte 0      flow: bit 0 UDP (else TCP), bit 1 the remote side is the client,
//               bits 2-4 index of the remote port in kFuzzPorts
//   then        segments: a big-endian 16-bit word (bit 15: inbound, bits 0-14: length)
//               followed by that many payload bytes (fewer if the input ends first)
// TCP sequence numbers follow the bytes sent in each direction, so the in-order paths run
// as on a clean capture; the fuzzer mutates the framing to reach the others.
#include <array>
#include <cstddef>
#include <cstdint>

#include "core/cursor.h"
#include "dpi/analyzer.h"

namespace rustnet::fuzz {

inline constexpr std::array<std::uint16_t, 8> kFuzzPorts = {80, 443, 53, 5353, 5355, 22, 1900, 8080};
// Segments fed per input: enough for every analyzer's bounds to be reached.
inline constexpr std::size_t kMaxFuzzSegments = 256;

class FuzzInput {
public:
  explicit FuzzInput(core::Bytes input) : c_(input) {
    const std::uint8_t config = c_.u8().value_or(0);
    flow_.transport = (config & 1u) != 0 ? dpi::Transport::Udp : dpi::Transport::Tcp;
    flow_.localIsClient = (config & 2u) == 0;
    flow_.remotePort = kFuzzPorts[(config >> 2) & 7u];
    // mDNS talks port to port; the others from an ephemeral port.
    flow_.localPort = flow_.remotePort == 5353 ? 5353 : 40000;
  }

  [[nodiscard]] const dpi::FlowInfo& flow() const { return flow_; }

  // Calls fn(const dpi::Segment&) for each segment until it returns false or input ends.
  template <typename Fn>
  void forEachSegment(Fn&& fn) {
    std::uint32_t seq[2] = {1, 0xffff0000u};  // the inbound side wraps around zero
    for (std::size_t n = 0; n < kMaxFuzzSegments && !c_.empty(); ++n) {
      const auto word = c_.be16();
      if (!word) return;
      const auto dir = (*word & 0x8000u) != 0 ? dpi::Direction::Inbound : dpi::Direction::Outbound;
      const std::size_t len = *word & 0x7fffu;
      const auto data = c_.take(len < c_.remaining() ? len : c_.remaining());
      auto& s = seq[static_cast<std::size_t>(dir)];
      const bool more = fn(dpi::Segment{*data, dir, s});
      s += static_cast<std::uint32_t>(data->size());
      if (!more) return;
    }
  }

private:
  core::Cursor c_;
  dpi::FlowInfo flow_;
};

}  // namespace rustnet::fuzz
