#pragma once
// The bounded store behind a Tracker: connections live in a pool of fixed-size chunks
// (addresses and slot numbers never move while a connection lives), found through an
// open-addressing index keyed by the flow hash, and threaded on an intrusive list ordered
// by last activity so that eviction and expiry start from the least recently active.
//
// Memory is allocated only when the pool gains a chunk or the index doubles, both of which
// happen while admitting a new connection; the steady-state packet path never allocates.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "core/flow_key.h"
#include "track/connection.h"

namespace rustnet::track {

class ConnectionTable {
public:
  using Slot = std::uint32_t;
  static constexpr Slot kNoSlot = 0xffffffffu;
  static constexpr std::size_t kChunkSlots = 1024;
  // The index is kept at most half full: linear probing stays short at that load.
  static constexpr std::size_t kMinIndexSize = 64;
  // Slot numbers are 32-bit; a bound above this is clamped.
  static constexpr std::size_t kMaxBound = std::size_t{1} << 30;

  // How a key hashes. By default FlowKey::hash with a seed drawn when the table is made:
  // where a key lands is then unknown to whoever sends the packets, so they cannot pile
  // tuples onto one probe run (shard selection stays unseeded and reproducible). Tests
  // force collisions with their own hasher.
  using Hasher = std::uint64_t (*)(const core::FlowKey&);
  explicit ConnectionTable(std::size_t maxConnections, Hasher hasher = nullptr);
  ~ConnectionTable();
  // Chunks are carved from blocks of this size once the table holds kHugeAfterChunks
  // chunks; the blocks are aligned to it and offered to the kernel as transparent huge
  // pages: a large table then costs one page fault per 2 MiB instead of 512, and its
  // lookups miss the TLB less (first touches cost ~10 µs per 4 KiB page in the VMs we
  // measured on). Small tables keep 256 KiB chunks, so they stay small.
  static constexpr std::size_t kBlockBytes = std::size_t{2} << 20;
  static constexpr std::size_t kHugeAfterChunks = 8;
  ConnectionTable(const ConnectionTable&) = delete;
  ConnectionTable& operator=(const ConnectionTable&) = delete;

  // The hash find() and insert() take; callers compute it once per packet. erase()
  // recomputes it rather than keeping it per connection.
  [[nodiscard]] std::uint64_t hashOf(const core::FlowKey& key) const {
    return hasher_ != nullptr ? hasher_(key) : key.hash(seed_);
  }
  // `hash` must be hashOf(key).
  [[nodiscard]] Slot find(const core::FlowKey& key, std::uint64_t hash) const;
  // Adds a default-constructed connection with `key`, most recently active. Preconditions:
  // the key is absent and !full(). The new connection's fields are left to the caller.
  Slot insert(const core::FlowKey& key, std::uint64_t hash);
  // Removes the connection in `slot` (which must be live); the slot may be reused.
  void erase(Slot slot);
  // Marks `slot` as the most recently active.
  void touch(Slot slot);

  [[nodiscard]] Connection& at(Slot slot) { return slotRef(slot).conn; }
  [[nodiscard]] const Connection& at(Slot slot) const { return slotRef(slot).conn; }
  // nullptr when the slot is free or beyond the pool.
  [[nodiscard]] const Connection* get(std::size_t slot) const;

  // Least recently active first; kNoSlot when empty / at the end.
  [[nodiscard]] Slot oldest() const { return lruTail_; }
  [[nodiscard]] Slot newer(Slot slot) const { return slotRef(slot).newer; }
  [[nodiscard]] Slot newest() const { return lruHead_; }

  [[nodiscard]] std::size_t size() const { return size_; }
  [[nodiscard]] std::size_t bound() const { return bound_; }
  [[nodiscard]] bool full() const { return size_ >= bound_; }
  // Slots allocated so far (live or free): the range forEach-style walks cover.
  [[nodiscard]] std::size_t slotCount() const { return chunks_.size() * kChunkSlots; }
  [[nodiscard]] std::size_t indexSize() const { return index_.size(); }

private:
  struct Entry {
    std::uint32_t slotPlusOne = 0;  // 0: empty
    std::uint32_t tag = 0;          // upper 32 bits of the flow hash
  };
  // The LRU links come first and slots are cache-line aligned, so that a lookup's key
  // compare and the links that touch() rewrites share one cache line. The flow hash is not
  // kept: erase() recomputes it, which is cheaper than 8 more bytes per connection.
  struct alignas(64) SlotData {
    Slot newer = kNoSlot;  // towards the most recently active; free list link when free
    Slot older = kFree;    // kFree marks a free slot
    Connection conn;
    [[nodiscard]] bool live() const { return older != kFree; }
  };
  // Never a slot number (slots are below kMaxBound).
  static constexpr Slot kFree = 0xfffffffeu;
  static_assert(sizeof(SlotData) == 256, "a table slot is meant to fill exactly four cache lines");

  SlotData& slotRef(Slot s) { return chunks_[s / kChunkSlots][s % kChunkSlots]; }
  const SlotData& slotRef(Slot s) const { return chunks_[s / kChunkSlots][s % kChunkSlots]; }
  [[nodiscard]] std::size_t home(std::uint32_t tag) const { return tag >> (32 - indexBits_); }
  [[nodiscard]] std::size_t indexOf(Slot slot) const;  // position of `slot` in index_
  void growIndex();
  void placeInIndex(Entry e);
  Slot allocateSlot();
  void unlink(Slot s);
  void pushNewest(Slot s);

  std::size_t bound_;
  Hasher hasher_;
  std::uint64_t seed_;
  std::size_t size_ = 0;
  // Slot storage: chunks of kChunkSlots slots, carved from blocks (see allocateChunk()).
  struct BlockFree {
    void operator()(void* p) const;
  };
  std::vector<std::unique_ptr<void, BlockFree>> blocks_;
  std::vector<SlotData*> chunks_;  // constructed chunks, in slot order
  std::vector<SlotData*> spare_;   // carved from a block, not yet constructed
  SlotData* allocateChunk();
  Slot freeHead_ = kNoSlot;
  std::vector<Entry> index_;
  unsigned indexBits_ = 0;
  Slot lruHead_ = kNoSlot;  // most recently active
  Slot lruTail_ = kNoSlot;  // least recently active
};

}  // namespace rustnet::track
