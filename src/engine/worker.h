#pragma once
// One worker: decodes the frames of its shard, runs its own Tracker (no sharing, no locks),
// and hands events and snapshots to the front end through SPSC queues.
#include <atomic>
#include <cstdint>
#include <memory>
#include <vector>

#include "core/spsc_queue.h"
#include "core/thread_info.h"
#include "decode/packet.h"
#include "engine/frame_ring.h"
#include "engine/record.h"
#include "engine/stats.h"
#include "process/attributor.h"
#include "track/tracker.h"

namespace rustnet::engine {

struct WorkerSnapshot {
  core::Timestamp asOf;
  std::vector<ConnectionRecord> rows;
  DecodeCounters decode;
  track::TrackerCounters tracker;
  dpi::Counters dpi;
};

struct WorkerConfig {
  track::TrackerConfig tracker;
  std::size_t ringBytes = 32u << 20;
  // Events waiting for the front end. Every slot is constructed up front (~300 bytes
  // each), so this is resident memory; the front ends drain every millisecond or so, and a
  // full queue makes the worker wait rather than lose events.
  std::size_t eventQueue = 1u << 12;
  bool live = false;
  bool inlined = false;   // run by the capture thread (no thread of its own)
  std::size_t index = 0;  // names the thread: rustnet-work<index>
  // Asks the attribution thread about each new TCP/UDP connection; null when off.
  process::Requester* requester = nullptr;
};

class Worker final : private track::EventSink {
public:
  explicit Worker(WorkerConfig config);
  ~Worker() override;
  Worker(const Worker&) = delete;
  Worker& operator=(const Worker&) = delete;

  FrameRing& ring() { return ring_; }

  // Worker thread body: consumes the ring until a Finish record has been handled.
  void run();
  // Handles one record; used by run() and, with zero workers, directly by the capture thread.
  void handle(const RecordView& r);
  // One decoded frame (from a Packet record, or straight from the capture thread when run
  // inline).
  void onDecoded(decode::Status st, const decode::PacketView& view);
  // Builds a snapshot if the front end asked for one since the last.
  void serviceSnapshotRequest();

  // --- front end side ---
  // Moves pending events into `out` (appending). Returns how many.
  std::size_t drainEvents(std::vector<ConnectionEvent>& out, std::size_t max);
  void requestSnapshot() { snapshotWanted_.fetch_add(1, std::memory_order_release); }
  std::shared_ptr<const WorkerSnapshot> takeSnapshot();
  [[nodiscard]] bool finished() const { return finished_.load(std::memory_order_acquire); }
  [[nodiscard]] bool hasPendingEvents() const { return !events_.emptyApprox(); }
  // What the worker thread used, known once finished() (zero when run inline).
  [[nodiscard]] core::ThreadUsage usage() const { return finished() ? usage_ : core::ThreadUsage{}; }

private:
  void onNew(const track::Connection& c) override;
  void onClosed(const track::Connection& c, track::EndReason why, core::Timestamp when) override;
  void push(ConnectionEvent&& e);
  void advanceClock(core::Timestamp t);

  WorkerConfig config_;
  FrameRing ring_;
  track::Tracker tracker_;
  core::SpscQueue<ConnectionEvent> events_;
  // The newest snapshot; replaced whole, so a slow reader simply skips one.
  std::atomic<std::shared_ptr<const WorkerSnapshot>> snapshot_;
  std::atomic<std::uint64_t> snapshotWanted_{0};
  std::uint64_t snapshotServed_ = 0;
  DecodeCounters decode_;
  decode::PacketView view_;  // the Packet record being handled
  core::Timestamp now_;
  std::atomic<bool> finished_{false};
  core::ThreadUsage usage_;  // written before finished_ is released
};

}  // namespace rustnet::engine
