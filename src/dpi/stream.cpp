#include "dpi/stream.h"

namespace rustnet::dpi {

StreamOrder::Accepted StreamOrder::accept(std::uint32_t seq, core::Bytes data) {
  const auto len = static_cast<std::uint32_t>(data.size());
  if (!started_) {
    started_ = true;
    next_ = seq + len;
    return {data, false};
  }
  // Serial-number arithmetic (RFC 1982): the difference as a signed 32-bit value.
  const auto diff = static_cast<std::int32_t>(seq - next_);
  if (diff == 0) {
    next_ += len;
    return {data, false};
  }
  if (diff < 0) {
    const auto overlap = static_cast<std::uint32_t>(-static_cast<std::int64_t>(diff));
    if (overlap >= len) return {data.subspan(data.size()), false};
    next_ += len - overlap;
    return {data.subspan(overlap), false};
  }
  next_ = seq + len;
  return {data, true};
}

}  // namespace rustnet::dpi
