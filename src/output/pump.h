#pragma once
// The front half's one loop: drains the engine's events (and snapshots, when a sink wants
// them), holds a live run's events until their process is known (event_hold.h), joins the
// process once, and hands each event to every sink, in order. The terminal UI and the
// headless run both just call it; the end of the run (the summary) goes through it too.
//
//   Pump pump(engine);
//   pump.add(jsonSink, {.filter = &filter});   // before the first poll
//   pump.run(stop);                            // or poll() from a UI loop
//   PumpResult r = pump.finish();              // remaining events, then the summary
//
// A sink that fails gets nothing more; it is counted, logged and named in the summary, and
// the others carry on. In a live run a queued sink (queued_sink.h) writes on its own thread,
// so a slow one costs its own events (counted), never the capture or another sink's events.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "engine/engine.h"
#include "filter/filter.h"
#include "output/event_hold.h"
#include "output/queued_sink.h"
#include "output/sink.h"

namespace rustnet::output {

struct SinkOptions {
  // Only events whose connection matches are handed on (null: every one). Not owned.
  const filter::Filter* filter = nullptr;
  // Live runs: write on the sink's own thread behind a bounded queue. Ignored for files,
  // which wait for a slow sink instead (nothing is lost, nothing is live).
  bool queued = false;
  std::size_t maxQueued = QueuedSink::kMaxQueued;
};

struct PumpResult {
  std::optional<std::string> sourceError;  // why the source ended early
  bool essentialFailed = false;            // stdout: the consumer is gone
  std::vector<std::string> failedSinks;    // names of every sink that failed
};

class Pump {
public:
  // Events drained per round: the vector's slots stay resident, so it is kept modest; the
  // workers' queues hold more meanwhile.
  static constexpr std::size_t kBatch = 1024;
  // How long workers get to answer a snapshot request before the newest one is taken.
  static constexpr auto kSnapshotLatency = std::chrono::milliseconds(30);

  // Live runs with process attribution hold events (kProcessHold); files do not.
  explicit Pump(engine::Engine& engine);
  ~Pump();
  Pump(const Pump&) = delete;
  Pump& operator=(const Pump&) = delete;

  // The sink must outlive the pump's use of it (until finish() returns).
  void add(Sink& sink, SinkOptions options = {});
  // Sinks get a fresh snapshot every `interval` (zero: never, the default).
  void snapshotEvery(std::chrono::milliseconds interval) { snapshotEvery_ = interval; }

  // One round: drains up to kBatch events, hands those due to the sinks, takes a snapshot
  // when due, and tells the sinks once the source is done. Returns the events drained
  // (kBatch means more are waiting). Never blocks on a queued sink.
  std::size_t poll();
  // Polls until the source is done; `stop` (a signal) ends the run as at the end of a file.
  void run(const std::atomic<bool>& stop);
  // Stops the engine, delivers every remaining event, then the summary; the sinks are not
  // used after it returns. Idempotent.
  PumpResult finish();

  [[nodiscard]] bool sourceDone() const { return sourceDone_; }
  [[nodiscard]] bool essentialFailed() const;

private:
  struct Entry {
    Sink* sink = nullptr;                // the caller's
    std::unique_ptr<QueuedSink> queue;   // live runs, when asked
    Sink* target = nullptr;              // where events go: the queue or the sink
    const filter::Filter* filter = nullptr;
    bool failed = false;
    bool delivered = false;              // got something since the last flush
    std::uint64_t filteredOut = 0;       // connection_closed events not handed on
    std::uint64_t lost = 0;              // events not handed on after it failed
  };
  void deliver(engine::ConnectionEvent& e);
  void markFailed(Entry& s);
  void flushSinks();
  void maybeSnapshot(std::chrono::steady_clock::time_point now);
  void endSinks(PumpResult& result);

  engine::Engine& engine_;
  std::vector<Entry> sinks_;
  std::vector<engine::ConnectionEvent> batch_;
  EventHold held_;
  bool hold_ = false;
  bool stopping_ = false;
  bool sourceDone_ = false;
  std::optional<PumpResult> result_;
  core::Timestamp started_;
  std::chrono::milliseconds snapshotEvery_{0};
  std::chrono::steady_clock::time_point nextSnapshot_{};
  std::optional<std::chrono::steady_clock::time_point> takeSnapshotAt_;
};

}  // namespace rustnet::output
