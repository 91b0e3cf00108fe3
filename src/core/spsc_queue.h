#pragma once
// A bounded single-producer single-consumer queue. No locks, no allocation after
// construction. Indices are free-running; capacity is a power of two.
#include <atomic>
#include <cstddef>
#include <memory>
#include <new>
#include <optional>
#include <utility>

namespace rustnet::core {

inline constexpr std::size_t kCacheLine = 64;

template <typename T>
class SpscQueue {
public:
  explicit SpscQueue(std::size_t capacityPow2)
      : mask_(roundUp(capacityPow2) - 1), slots_(std::make_unique<Slot[]>(mask_ + 1)) {}

  SpscQueue(const SpscQueue&) = delete;
  SpscQueue& operator=(const SpscQueue&) = delete;

  // Producer side. Returns false when full (the value is left untouched).
  bool tryPush(T&& v) {
    const auto head = head_.load(std::memory_order_relaxed);
    if (head - cachedTail_ > mask_) {
      cachedTail_ = tail_.load(std::memory_order_acquire);
      if (head - cachedTail_ > mask_) return false;
    }
    slots_[head & mask_].value = std::move(v);
    head_.store(head + 1, std::memory_order_release);
    return true;
  }

  // Consumer side.
  std::optional<T> tryPop() {
    const auto tail = tail_.load(std::memory_order_relaxed);
    if (tail == cachedHead_) {
      cachedHead_ = head_.load(std::memory_order_acquire);
      if (tail == cachedHead_) return std::nullopt;
    }
    std::optional<T> v(std::move(slots_[tail & mask_].value));
    tail_.store(tail + 1, std::memory_order_release);
    return v;
  }

  [[nodiscard]] bool emptyApprox() const {
    return head_.load(std::memory_order_acquire) == tail_.load(std::memory_order_acquire);
  }
  [[nodiscard]] std::size_t capacity() const { return mask_ + 1; }

private:
  struct Slot {
    T value{};
  };
  static std::size_t roundUp(std::size_t n) {
    std::size_t p = 2;
    while (p < n) p <<= 1;
    return p;
  }

  const std::size_t mask_;
  std::unique_ptr<Slot[]> slots_;
  alignas(kCacheLine) std::atomic<std::size_t> head_{0};
  std::size_t cachedTail_ = 0;  // producer's view of tail_
  alignas(kCacheLine) std::atomic<std::size_t> tail_{0};
  std::size_t cachedHead_ = 0;  // consumer's view of head_
};

}  // namespace rustnet::core
