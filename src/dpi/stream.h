#pragma once
// Keeps one direction of a TCP byte stream in sequence order for analyzers that parse it
// sequentially (HTTP, DNS over TCP, SSH). Bytes already seen (retransmissions, overlaps)
// are trimmed; a segment that starts beyond the expected sequence number is reported as a
// gap, and the analyzer drops whatever it had buffered. No buffering here: TLS, which must
// reorder ClientHello segments, does its own bounded reassembly.
#include <cstdint>

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

}  // namespace rustnet::dpi
