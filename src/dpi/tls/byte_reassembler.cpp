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
  // Check the bookkeeping first, so a refused piece leaves the buffer untouched.
  if (!addRange(begin, end)) return Insert::TooManyGaps;
  if (buf_.size() < end) {
    // Grow geometrically (bounded by the cap) so a stream arriving in small pieces costs a
    // handful of allocations, not one per piece.
    buf_.resize(std::min<std::size_t>(capacity_, std::max<std::size_t>(end, buf_.size() * 2)));
  }
  std::memcpy(buf_.data() + begin, data.data(), n);
  return n < data.size() ? Insert::Clipped : Insert::Ok;
}

bool ByteReassembler::addRange(std::uint32_t begin, std::uint32_t end) {
  // Find the ranges the new one touches (overlapping or adjacent) and merge them.
  std::size_t first = 0;
  while (first < rangeCount_ && ranges_[first].end < begin) ++first;
  std::size_t last = first;  // one past the last touched range
  while (last < rangeCount_ && ranges_[last].begin <= end) ++last;
  if (first == last) {
    // Disjoint: insert at `first`.
    if (rangeCount_ == kMaxReassemblyRanges) return false;
    for (std::size_t i = rangeCount_; i > first; --i) ranges_[i] = ranges_[i - 1];
    ranges_[first] = Range{begin, end};
    ++rangeCount_;
    return true;
  }
  const Range merged{std::min(begin, ranges_[first].begin), std::max(end, ranges_[last - 1].end)};
  ranges_[first] = merged;
  const std::size_t removed = last - first - 1;
  for (std::size_t i = first + 1; i + removed < rangeCount_; ++i) ranges_[i] = ranges_[i + removed];
  rangeCount_ -= static_cast<std::uint32_t>(removed);
  return true;
}

bool ByteReassembler::shiftForward(std::size_t by) {
  if (by == 0) return true;
  if (by >= capacity_ || highWater() > capacity_ - by) return false;
  const std::size_t used = highWater();
  if (buf_.size() < used + by) {
    buf_.resize(std::min<std::size_t>(capacity_, std::max(used + by, buf_.size() * 2)));
  }
  std::memmove(buf_.data() + by, buf_.data(), used);
  for (std::size_t i = 0; i < rangeCount_; ++i) {
    ranges_[i].begin += static_cast<std::uint32_t>(by);
    ranges_[i].end += static_cast<std::uint32_t>(by);
  }
  return true;
}

void ByteReassembler::release() {
  std::vector<std::uint8_t>().swap(buf_);
  rangeCount_ = 0;
}

}  // namespace rustnet::dpi::tls
