#pragma once
// The engine's public API: opens the source, runs the capture thread and the workers, and
// lets the front end (output::Pump) collect events and snapshots from its own thread.
//
// Start-up is two steps, with a point between them where nothing runs yet:
//
//   Engine engine(config);   // 1. open: the capture (file, or live interface with its BPF
//                            //    filter), process attribution's sock_diag/eBPF sockets and
//                            //    first /proc scan, the workers' memory. No thread of ours.
//                            //    The caller opens its output files (--json-log) here too.
//   ...                      // -> everything is open: the place to drop privileges and
//                            //    enter a sandbox (a later issue). Nothing runs yet, so
//                            //    nothing races with it.
//   engine.start();          // 2. run: the attribution thread, the workers, the capture
//                            //    thread. Opens nothing.
#include <array>
#include <atomic>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "capture/source.h"
#include "core/thread_info.h"
#include "engine/record.h"
#include "engine/stats.h"
#include "process/attributor.h"
#include "track/tracker.h"

namespace rustnet::engine {

struct EngineConfig {
  // Exactly one source: a file to read, or live options.
  std::string readFile;
  capture::LiveOptions live;
  // Worker threads; 0 runs decoding and tracking inline in the capture thread; negative
  // picks cores - 1 (at least 1).
  int workers = -1;
  // Tracker settings; maxConnections is the total, split over the workers.
  track::TrackerConfig tracker;
  // Live captures only: which process owns each TCP/UDP connection (a capture file's
  // sockets are not this host's).
  bool attributeProcesses = true;
  process::AttributionConfig attribution;
  // Bytes of frames queued per worker; 0 picks by source: live captures get room for a
  // burst of about a quarter of a second at 1 Gbit/s (a full ring is a counted drop), files
  // a few batches (a full ring only makes the reader wait), which keeps the RSS small.
  std::size_t ringBytesPerWorker = 0;
  int dispatchBatch = 256;  // frames per pcap_dispatch call
};

// Merged view of every worker at (about) one moment.
// CPU time and page faults per thread of the engine, for benchmarks; complete once
// finished().
struct StageUsage {
  core::ThreadUsage capture;  // includes the decoding and tracking when run inline
  std::vector<core::ThreadUsage> workers;
};

struct Snapshot {
  core::Timestamp asOf;
  std::vector<ConnectionRecord> rows;
  EngineStats stats;
  // The first link type the decoder could not read (Engine::unsupportedLink()); empty when
  // every frame's could be.
  std::string unsupportedLink;
};

class Engine {
public:
  // Step 1, open: the source and the process attribution's sockets (see the top of this
  // file). Throws capture::CaptureError (or std::runtime_error) with a one-line message.
  explicit Engine(EngineConfig config);
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  // Step 2, run: starts the threads; opens nothing. Idempotent.
  void start();
  // Ends the run as if the source had ended: every open connection is reported. Callable
  // from the front end thread at any time; idempotent.
  void requestStop();

  // Appends pending events (bounded by `max`) to `out`; returns how many.
  std::size_t drainEvents(std::vector<ConnectionEvent>& out, std::size_t max = 4096);
  // True once the source has ended, every worker has finished and every event was drained.
  [[nodiscard]] bool finished() const;

  // Asks every worker for a fresh snapshot; collect it later with snapshot().
  void requestSnapshot();
  // The newest snapshot of each worker, merged (empty before the first one arrives).
  [[nodiscard]] std::shared_ptr<const Snapshot> snapshot() const;

  // Counters so far (complete once finished()).
  [[nodiscard]] EngineStats stats() const;

  // Fills `r.process` from the newest process map (front end thread). Snapshots come
  // joined already; events are joined by the front end when it writes them, so that a
  // connection's owner found a moment after its first packet still shows.
  void joinProcess(ConnectionRecord& r) const;
  // "ebpf", "sock_diag", "procfs", or "off" (files, or attribution disabled).
  [[nodiscard]] std::string processMethod() const;
  // Why a preferred attribution method was refused; empty when none was.
  [[nodiscard]] std::string processFallbackReason() const;
  [[nodiscard]] std::optional<process::Counters> processCounters() const;
  // Why the source ended early (a corrupt file, a read error); empty on a clean end.
  [[nodiscard]] std::optional<std::string> sourceError() const;
  // The first link type seen that the decoder cannot read (its name and DLT number, e.g.
  // "FRELAY (Frame Relay), DLT 107"); empty while every frame's could be read. Frames of
  // such types are counted in stats().decode.unsupported.
  [[nodiscard]] std::string unsupportedLink() const;

  [[nodiscard]] std::string sourceName() const { return sourceName_; }
  [[nodiscard]] bool isLive() const { return live_; }
  [[nodiscard]] decode::LinkType linkType() const { return linkType_; }
  [[nodiscard]] int workerCount() const { return static_cast<int>(workers_.size()); }
  [[nodiscard]] bool inlineMode() const { return inlineMode_; }
  [[nodiscard]] StageUsage stageUsage() const;

private:
  class Dispatcher;
  void captureLoop();
  void publishCaptureStats();

  EngineConfig config_;
  std::unique_ptr<capture::Source> source_;
  std::string sourceName_;
  bool live_ = false;
  bool inlineMode_ = false;
  decode::LinkType linkType_ = decode::LinkType::Unsupported;
  std::vector<std::unique_ptr<class Worker>> workers_;
  std::vector<std::thread> workerThreads_;
  std::thread captureThread_;
  std::unique_ptr<Dispatcher> dispatcher_;
  std::unique_ptr<process::Attributor> attributor_;  // live captures only

  bool started_ = false;
  std::atomic<bool> stopRequested_{false};
  std::atomic<bool> captureDone_{false};
  // Written by the capture thread, read by the front end: plain counters, relaxed order.
  std::atomic<std::uint64_t> seen_{0};
  std::atomic<std::uint64_t> ourDropped_{0};
  std::atomic<std::uint64_t> oversize_{0};
  // The dispatcher's FragmentCounters, in their order (first, credited, unmatched,
  // tableFull, reassembled).
  std::array<std::atomic<std::uint64_t>, 5> fragments_{};
  std::atomic<std::uint64_t> kernelDropped_{0};
  std::atomic<std::uint64_t> ifaceDropped_{0};
  static constexpr int kNoDataLink = -2;  // below every DLT and the sources' "unknown" (-1)
  std::atomic<int> unsupportedDataLink_{kNoDataLink};
  core::ThreadUsage captureUsage_;  // written before captureDone_ is released
  std::optional<std::string> sourceError_;  // written before captureDone_ is released
};

}  // namespace rustnet::engine
