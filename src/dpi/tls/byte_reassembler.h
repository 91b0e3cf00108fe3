#pragma once
// Bounded reassembly of a byte stream that arrives in pieces at known offsets: TCP segments
// of a TLS handshake (offset = sequence number relative to the stream start) and QUIC CRYPTO
// frames (offset carried in the frame). Pieces may arrive out of order, overlap or repeat.
// Everything past `capacity` is dropped and reported, so a peer cannot make us buffer more
// than the cap; the number of disjoint holes is capped too, so bookkeeping stays constant.
// The buffer grows on demand up to the cap (one per-connection allocation, amortised) and
// can be released once the analyzer no longer needs it.
#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "core/cursor.h"

namespace rustnet::dpi::tls {

// Disjoint filled ranges tracked at once; a piece that would need more is refused.
inline constexpr std::size_t kMaxReassemblyRanges = 16;

class ByteReassembler {
public:
  enum class Insert : std::uint8_t {
    Ok,          // stored (possibly overlapping data already there)
    Clipped,     // stored up to the capacity; the rest was dropped
    BeyondCap,   // starts at or past the capacity: nothing stored
    TooManyGaps, // would create more than kMaxReassemblyRanges holes: nothing stored
  };

  // Offsets are kept in 32 bits (the ranges table is then 128 bytes, not 256): caps are
  // tens of KiB.
  explicit ByteReassembler(std::size_t capacity)
      : capacity_(static_cast<std::uint32_t>(std::min<std::size_t>(capacity, UINT32_MAX))) {}

  // Stores `data` at stream offset `offset`.
  Insert insert(std::uint64_t offset, core::Bytes data);

  // Moves everything stored `by` bytes later, so that data arriving before what was first
  // taken as the stream start can still be placed. Fails (returns false) when that would
  // push stored data past the capacity.
  bool shiftForward(std::size_t by);

  // Bytes [0, contiguousLength()) have all arrived.
  [[nodiscard]] core::Bytes contiguous() const {
    return core::Bytes(buf_.data(), contiguousLength());
  }
  [[nodiscard]] std::size_t contiguousLength() const {
    return (rangeCount_ > 0 && ranges_[0].begin == 0) ? ranges_[0].end : 0;
  }
  // Highest offset stored + 1 (0 when empty).
  [[nodiscard]] std::size_t highWater() const {
    return rangeCount_ > 0 ? ranges_[rangeCount_ - 1].end : 0;
  }
  [[nodiscard]] std::size_t capacity() const { return capacity_; }
  [[nodiscard]] bool contiguousToCapacity() const { return contiguousLength() == capacity_; }
  [[nodiscard]] std::size_t rangeCount() const { return rangeCount_; }

  // Forgets everything and frees the memory.
  void release();

private:
  struct Range {
    std::uint32_t begin = 0;
    std::uint32_t end = 0;  // exclusive
  };
  bool addRange(std::uint32_t begin, std::uint32_t end);

  std::vector<std::uint8_t> buf_;
  std::array<Range, kMaxReassemblyRanges> ranges_{};
  std::uint32_t capacity_;
  std::uint32_t rangeCount_ = 0;
};

}  // namespace rustnet::dpi::tls
