#include "dpi/tls/byte_reassembler.h"

#include <algorithm>
#include <cstring>

namespace rustnet::dpi::tls {

ByteReassembler::Insert ByteReassembler::insert(std::uint64_t offset, core::Bytes data) {
  if (data.empty()) return Insert::Ok;
  if (offset >= capacity_) return Insert::BeyondCap;
  const auto begin = static_cast<std::uint32_t>(offset);
  const std::size_t room = capacity_ - begin;
  const std::size_t n = std::min(room, data.size());
  const auto end = static_cast<std::uint32_t>(begin + n);
  if (!state_) state_ = std::make_unique<State>();
  State& st = *state_;
  // Check the bookkeeping first, so a refused piece leaves the buffer untouched.
  if (!addRange(st, begin, end)) return Insert::TooManyGaps;
  if (st.buf.size() < end) {
    // Grow geometrically (bounded by the cap) so a stream arriving in small pieces costs a
    // handful of allocations, not one per piece.
    st.buf.resize(std::min<std::size_t>(capacity_, std::max<std::size_t>(end, st.buf.size() * 2)));
  }
  std::memcpy(st.buf.data() + begin, data.data(), n);
  return n < data.size() ? Insert::Clipped : Insert::Ok;
}

bool ByteReassembler::addRange(State& st, std::uint32_t begin, std::uint32_t end) {
  auto& ranges = st.ranges;
  auto& count = st.count;
  // Find the ranges the new one touches (overlapping or adjacent) and merge them.
  std::size_t first = 0;
  while (first < count && ranges[first].end < begin) ++first;
  std::size_t last = first;  // one past the last touched range
  while (last < count && ranges[last].begin <= end) ++last;
  if (first == last) {
    // Disjoint: insert at `first`.
    if (count == kMaxReassemblyRanges) return false;
    for (std::size_t i = count; i > first; --i) ranges[i] = ranges[i - 1];
    ranges[first] = Range{begin, end};
    ++count;
    return true;
  }
  const Range merged{std::min(begin, ranges[first].begin), std::max(end, ranges[last - 1].end)};
  ranges[first] = merged;
  const std::size_t removed = last - first - 1;
  for (std::size_t i = first + 1; i + removed < count; ++i) ranges[i] = ranges[i + removed];
  count -= static_cast<std::uint32_t>(removed);
  return true;
}

bool ByteReassembler::shiftForward(std::size_t by) {
  if (by == 0) return true;
  if (by >= capacity_ || highWater() > capacity_ - by) return false;
  if (!state_) return true;  // nothing stored: nothing to move
  State& st = *state_;
  const std::size_t used = highWater();
  if (st.buf.size() < used + by) {
    st.buf.resize(std::min<std::size_t>(capacity_, std::max(used + by, st.buf.size() * 2)));
  }
  std::memmove(st.buf.data() + by, st.buf.data(), used);
  for (std::size_t i = 0; i < st.count; ++i) {
    st.ranges[i].begin += static_cast<std::uint32_t>(by);
    st.ranges[i].end += static_cast<std::uint32_t>(by);
  }
  return true;
}

void ByteReassembler::release() { state_.reset(); }

}  // namespace rustnet::dpi::tls
