#pragma once
// Keeps one direction of a TCP byte stream in sequence order for analyzers that parse it
// sequentially (HTTP, DNS over TCP, SSH). Bytes already seen (retransmissions, overlaps)
// are trimmed; a segment that starts beyond the expected sequence number is reported as a
// gap, and the analyzer drops whatever it had buffered. No buffering here: TLS, which must
// reorder ClientHello segments, does its own bounded reassembly.
#include <cstdint>
#include <vector>

#include "core/cursor.h"

namespace rustnet::dpi {

class StreamOrder {
public:
  struct Accepted {
    core::Bytes data;  // the new bytes (possibly empty: a pure retransmission)
    bool gap = false;  // bytes before `data` were never seen
  };
  Accepted accept(std::uint32_t seq, core::Bytes data);
  void reset() { started_ = false; }

private:
  std::uint32_t next_ = 0;
  bool started_ = false;
};

// One direction of a stream framed by its messages' own lengths (DNS and STUN over TCP). A
// gap breaks the framing: the side is lost for good and its partial message is dropped.
struct FramedSide {
  StreamOrder order;
  std::vector<std::uint8_t> buf;  // the current message's bytes, while incomplete
  bool lost = false;              // a gap broke the framing: nothing more is read on this side

  // The segment's new bytes (see StreamOrder::accept), after marking the side lost on a gap.
  core::Bytes accept(std::uint32_t seq, core::Bytes data) {
    const auto acc = order.accept(seq, data);
    if (acc.gap) {
      lost = true;
      buf.clear();
      buf.shrink_to_fit();
    }
    return acc.data;
  }
};

}  // namespace rustnet::dpi
