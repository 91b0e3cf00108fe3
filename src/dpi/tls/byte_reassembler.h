#pragma once
// Bounded reassembly of a byte stream that arrives in pieces at known offsets: TCP segments
// of a TLS handshake (offset = sequence number relative to the stream start) and QUIC CRYPTO
// frames (offset carried in the frame). Pieces may arrive out of order, overlap or repeat.
// Everything past `capacity` is dropped and reported, so a peer cannot make us buffer more
// than the cap; the number of disjoint holes is capped too, so bookkeeping stays constant.
// Nothing is allocated until the first piece arrives: the ranges table and the buffer live
// in one heap block (the object itself is 16 bytes, so an analyzer waiting for a reply
// holds no reassembly memory); the buffer grows on demand up to the cap and all of it can
// be released once the analyzer no longer needs it.
#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
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
    return state_ ? core::Bytes(state_->buf.data(), contiguousLength()) : core::Bytes{};
  }
  [[nodiscard]] std::size_t contiguousLength() const {
    return (state_ && state_->count > 0 && state_->ranges[0].begin == 0) ? state_->ranges[0].end : 0;
  }
  // Highest offset stored + 1 (0 when empty).
  [[nodiscard]] std::size_t highWater() const {
    return state_ && state_->count > 0 ? state_->ranges[state_->count - 1].end : 0;
  }
  [[nodiscard]] std::size_t capacity() const { return capacity_; }
  [[nodiscard]] bool contiguousToCapacity() const { return contiguousLength() == capacity_; }
  [[nodiscard]] std::size_t rangeCount() const { return state_ ? state_->count : 0; }

  // Forgets everything and frees the memory.
  void release();

private:
  struct Range {
    std::uint32_t begin = 0;
    std::uint32_t end = 0;  // exclusive
  };
  struct State {
    std::array<Range, kMaxReassemblyRanges> ranges{};
    std::uint32_t count = 0;
    std::vector<std::uint8_t> buf;
  };
  bool addRange(State& st, std::uint32_t begin, std::uint32_t end);

  std::unique_ptr<State> state_;  // null until a piece is stored, and after release()
  std::uint32_t capacity_;
};

}  // namespace rustnet::dpi::tls
