#include "track/connection_table.h"

#include <algorithm>
#include <cassert>
#include <chrono>
#include <cstdlib>
#include <memory>
#include <new>
#include <random>

#include <sys/mman.h>

namespace rustnet::track {

namespace {
std::uint32_t tagOf(std::uint64_t hash) { return static_cast<std::uint32_t>(hash >> 32); }

std::uint64_t randomSeed(const void* salt) {
  try {
    std::random_device rd;
    return (std::uint64_t{rd()} << 32) ^ rd();
  } catch (const std::exception&) {
    // No entropy source: the clock and an address still differ from run to run.
    return static_cast<std::uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count()) ^
           reinterpret_cast<std::uintptr_t>(salt);
  }
}
}  // namespace

ConnectionTable::ConnectionTable(std::size_t maxConnections, Hasher hasher)
    : bound_(std::clamp<std::size_t>(maxConnections, 1, kMaxBound)), hasher_(hasher), seed_(randomSeed(this)) {
  index_.resize(kMinIndexSize);
  indexBits_ = 6;
  static_assert(kMinIndexSize == 64);
}

ConnectionTable::~ConnectionTable() {
  for (SlotData* c : chunks_) std::destroy_n(c, kChunkSlots);
}

void ConnectionTable::BlockFree::operator()(void* p) const { std::free(p); }

ConnectionTable::SlotData* ConnectionTable::allocateChunk() {
  constexpr std::size_t kChunkBytes = kChunkSlots * sizeof(SlotData);
  static_assert(kBlockBytes % kChunkBytes == 0);
  if (spare_.empty()) {
    const bool huge = chunks_.size() >= kHugeAfterChunks;
    const std::size_t bytes = huge ? kBlockBytes : kChunkBytes;
    // A huge block is aligned to its own size, so that it covers whole huge pages.
    void* p = std::aligned_alloc(huge ? kBlockBytes : alignof(SlotData), bytes);
    if (p == nullptr) throw std::bad_alloc();
    blocks_.emplace_back(p);
#ifdef MADV_HUGEPAGE
    if (huge) (void)madvise(p, bytes, MADV_HUGEPAGE);  // advice only: fine if refused
#endif
    for (std::size_t off = bytes; off > 0; off -= kChunkBytes) {
      spare_.push_back(reinterpret_cast<SlotData*>(static_cast<std::byte*>(p) + off - kChunkBytes));
    }
  }
  SlotData* c = spare_.back();
  spare_.pop_back();
  std::uninitialized_default_construct_n(c, kChunkSlots);
  chunks_.push_back(c);
  return c;
}

const Connection* ConnectionTable::get(std::size_t slot) const {
  if (slot >= slotCount()) return nullptr;
  const SlotData& d = slotRef(static_cast<Slot>(slot));
  return d.live() ? &d.conn : nullptr;
}

ConnectionTable::Slot ConnectionTable::find(const core::FlowKey& key, std::uint64_t hash) const {
  const std::uint32_t tag = tagOf(hash);
  const std::size_t mask = index_.size() - 1;
  // The index is at most half full, so the probe always meets an empty entry.
  for (std::size_t i = home(tag);; i = (i + 1) & mask) {
    const Entry& e = index_[i];
    if (e.slotPlusOne == 0) return kNoSlot;
    if (e.tag == tag) {
      const Slot s = e.slotPlusOne - 1;
      if (slotRef(s).conn.key == key) return s;
    }
  }
}

void ConnectionTable::placeInIndex(Entry e) {
  const std::size_t mask = index_.size() - 1;
  std::size_t i = home(e.tag);
  while (index_[i].slotPlusOne != 0) i = (i + 1) & mask;
  index_[i] = e;
}

void ConnectionTable::growIndex() {
  std::vector<Entry> old(index_.size() * 2);
  old.swap(index_);
  ++indexBits_;
  for (const Entry& e : old) {
    if (e.slotPlusOne != 0) placeInIndex(e);
  }
}

ConnectionTable::Slot ConnectionTable::allocateSlot() {
  if (freeHead_ == kNoSlot) {
    const std::size_t first = slotCount();
    allocateChunk();
    // Thread the new chunk onto the free list so that lower slots are used first.
    for (std::size_t i = kChunkSlots; i-- > 0;) {
      const auto s = static_cast<Slot>(first + i);
      slotRef(s).newer = freeHead_;
      freeHead_ = s;
    }
  }
  const Slot s = freeHead_;
  freeHead_ = slotRef(s).newer;
  return s;
}

ConnectionTable::Slot ConnectionTable::insert(const core::FlowKey& key, std::uint64_t hash) {
  assert(!full());
  if ((size_ + 1) * 2 > index_.size()) growIndex();
  const Slot s = allocateSlot();
  SlotData& d = slotRef(s);
  d.conn = Connection{};
  d.conn.key = key;
  pushNewest(s);
  placeInIndex(Entry{s + 1, tagOf(hash)});
  ++size_;
  return s;
}

std::size_t ConnectionTable::indexOf(Slot slot) const {
  const std::size_t mask = index_.size() - 1;
  std::size_t i = home(tagOf(hashOf(slotRef(slot).conn.key)));
  while (index_[i].slotPlusOne != slot + 1) i = (i + 1) & mask;
  return i;
}

void ConnectionTable::erase(Slot slot) {
  SlotData& d = slotRef(slot);
  assert(d.live());
  // Backward-shift deletion: pull later members of the probe run into the hole so that
  // every remaining entry stays reachable from its home without tombstones.
  const std::size_t mask = index_.size() - 1;
  std::size_t hole = indexOf(slot);
  for (std::size_t j = (hole + 1) & mask; index_[j].slotPlusOne != 0; j = (j + 1) & mask) {
    const std::size_t h = home(index_[j].tag);
    // The entry at j may move to the hole unless its home lies cyclically in (hole, j].
    const bool homeBetween = hole <= j ? (hole < h && h <= j) : (hole < h || h <= j);
    if (!homeBetween) {
      index_[hole] = index_[j];
      hole = j;
    }
  }
  index_[hole] = Entry{};

  unlink(slot);
  d.conn = Connection{};  // drop whatever the connection held as early as possible
  d.older = kFree;
  d.newer = freeHead_;
  freeHead_ = slot;
  --size_;
}

void ConnectionTable::unlink(Slot s) {
  SlotData& d = slotRef(s);
  if (d.newer != kNoSlot) {
    slotRef(d.newer).older = d.older;
  } else {
    lruHead_ = d.older;
  }
  if (d.older != kNoSlot) {
    slotRef(d.older).newer = d.newer;
  } else {
    lruTail_ = d.newer;
  }
  d.newer = d.older = kNoSlot;
}

void ConnectionTable::pushNewest(Slot s) {
  SlotData& d = slotRef(s);
  d.newer = kNoSlot;
  d.older = lruHead_;
  if (lruHead_ != kNoSlot) slotRef(lruHead_).newer = s;
  lruHead_ = s;
  if (lruTail_ == kNoSlot) lruTail_ = s;
}

void ConnectionTable::touch(Slot s) {
  if (lruHead_ == s) return;
  unlink(s);
  pushNewest(s);
}

}  // namespace rustnet::track
