#pragma once
// The capture thread's hand-off to one worker: a single-producer single-consumer ring of
// variable-length records (frames and control messages) in one preallocated buffer. The
// producer writes a batch and publishes it with one release store; the consumer reads
// everything published and releases it with one store. No locks, no allocation.
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>

#include "core/cursor.h"
#include "core/spsc_queue.h"
#include "core/time.h"

namespace rustnet::engine {

enum class RecordKind : std::uint8_t {
  Packet,  // a decoded frame (engine/packet_record.h)
  Tick,    // live capture is idle: the time is `ts`
  Finish,  // the source has ended: end every connection and stop
  Wrap,    // internal: the rest of the buffer is unused, continue at the start
};

struct RecordView {
  RecordKind kind;
  core::Timestamp ts;
  std::uint32_t wireLen;
  core::Bytes data;
};

class FrameRing {
public:
  explicit FrameRing(std::size_t bytes) : size_(roundUp(bytes)), buf_(new std::uint8_t[size_]) {}

  // Largest payload a single record may carry.
  [[nodiscard]] std::size_t maxRecord() const { return size_ / 4; }

  // Producer: appends a record whose data is `head` followed by `tail` (not yet visible).
  // False when there is no room right now, or the record is larger than maxRecord().
  bool tryWrite(RecordKind kind, core::Timestamp ts, std::uint32_t wireLen, core::Bytes head,
                core::Bytes tail = {}) {
    const std::size_t size = head.size() + tail.size();
    if (size > maxRecord()) return false;
    const std::size_t need = kHeader + align(size);
    std::size_t pos = head_ & (size_ - 1);
    std::size_t skip = (size_ - pos < need) ? size_ - pos : 0;
    if (!hasRoom(need + skip)) return false;
    if (skip != 0) {
      // Too little room left for a header means an implicit wrap (the consumer knows).
      if (skip >= kHeader) writeHeader(pos, RecordKind::Wrap, {}, 0, 0);
      head_ += skip;
      pos = 0;
    }
    writeHeader(pos, kind, ts, wireLen, static_cast<std::uint32_t>(size));
    std::uint8_t* at = buf_.get() + pos + kHeader;
    if (!head.empty()) std::memcpy(at, head.data(), head.size());
    if (!tail.empty()) std::memcpy(at + head.size(), tail.data(), tail.size());
    head_ += need;
    return true;
  }
  // Producer: makes everything written so far visible to the consumer.
  void publish() { published_.store(head_, std::memory_order_release); }
  [[nodiscard]] bool hasUnpublished() const {
    return head_ != published_.load(std::memory_order_relaxed);
  }

  // Consumer: visits up to `max` published records, then releases their space.
  template <typename F>
  std::size_t consume(F&& f, std::size_t max) {
    const std::size_t end = published_.load(std::memory_order_acquire);
    std::size_t tail = tail_.load(std::memory_order_relaxed);
    std::size_t n = 0;
    while (tail != end && n < max) {
      const std::size_t pos = tail & (size_ - 1);
      if (size_ - pos < kHeader) {
        tail += size_ - pos;
        continue;
      }
      Header h;
      std::memcpy(&h, buf_.get() + pos, kHeader);
      if (static_cast<RecordKind>(h.kind) == RecordKind::Wrap) {
        tail += size_ - pos;
        continue;
      }
      f(RecordView{static_cast<RecordKind>(h.kind), core::Timestamp{h.ts}, h.wireLen,
                   core::Bytes(buf_.get() + pos + kHeader, h.size)});
      tail += kHeader + align(h.size);
      ++n;
    }
    tail_.store(tail, std::memory_order_release);
    return n;
  }
  [[nodiscard]] bool emptyApprox() const {
    return tail_.load(std::memory_order_acquire) == published_.load(std::memory_order_acquire);
  }

private:
  struct Header {
    std::int64_t ts;
    std::uint32_t size;
    std::uint32_t wireLen;
    std::uint8_t kind;
    std::uint8_t pad[7];
  };
  static constexpr std::size_t kHeader = sizeof(Header);
  static_assert(kHeader == 24);

  static constexpr std::size_t align(std::size_t n) { return (n + 7) & ~std::size_t{7}; }
  static std::size_t roundUp(std::size_t n) {
    std::size_t p = 4096;
    while (p < n) p <<= 1;
    return p;
  }
  bool hasRoom(std::size_t need) {
    if (size_ - (head_ - cachedTail_) >= need) return true;
    cachedTail_ = tail_.load(std::memory_order_acquire);
    return size_ - (head_ - cachedTail_) >= need;
  }
  void writeHeader(std::size_t pos, RecordKind kind, core::Timestamp ts, std::uint32_t wireLen,
                   std::uint32_t size) {
    Header h{ts.ns, size, wireLen, static_cast<std::uint8_t>(kind), {}};
    std::memcpy(buf_.get() + pos, &h, kHeader);
  }

  const std::size_t size_;
  std::unique_ptr<std::uint8_t[]> buf_;
  // Producer-owned.
  std::size_t head_ = 0;
  std::size_t cachedTail_ = 0;
  alignas(core::kCacheLine) std::atomic<std::size_t> published_{0};
  alignas(core::kCacheLine) std::atomic<std::size_t> tail_{0};
};

}  // namespace rustnet::engine
