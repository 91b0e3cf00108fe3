#include "output/json_frontend.h"

#include <spdlog/spdlog.h>

#include <chrono>
#include <thread>
#include <vector>

#include "output/event_hold.h"
#include "output/events.h"

namespace rustnet::output {

bool EventWriter::writeOut(std::string_view data) {
  if (data.empty()) return !failed_;
  if (out_ != nullptr && !failed_) {
    if (std::fwrite(data.data(), 1, data.size(), out_) != data.size()) failed_ = true;
  }
  if (log_.isOpen() && !log_.write(data)) failed_ = true;
  return !failed_;
}

bool EventWriter::writeEvent(const engine::ConnectionEvent& e) {
  appendEvent(pending_, e);
  if (pending_.size() < kBatchBytes) return !failed_;
  writeOut(pending_);
  pending_.clear();
  return !failed_;
}

bool EventWriter::write(std::string_view line) {
  writeOut(pending_);
  pending_.clear();
  return writeOut(line);
}

bool EventWriter::flush() {
  writeOut(pending_);
  pending_.clear();
  if (out_ != nullptr && std::fflush(out_) != 0) failed_ = true;
  return !failed_;
}

RunResult runJson(engine::Engine& engine, EventWriter& writer, const std::atomic<bool>& stop) {
  RunResult result;
  const core::Timestamp started = core::SystemClock().now();
  // Events drained per round: the vector's slots stay resident, so it is kept modest; the
  // workers' queues hold more while this thread writes.
  constexpr std::size_t kBatch = 1024;
  std::vector<engine::ConnectionEvent> batch;
  batch.reserve(kBatch);
  // Live: events wait kProcessHold before they are written (event_hold.h). Files: no wait.
  const bool hold = engine.processMethod() != "off";
  EventHold held;
  bool stopping = false;
  auto write = [&](engine::ConnectionEvent& e) {
    engine.joinProcess(e.record);
    if (!writer.writeEvent(e)) result.outputFailed = true;
  };
  for (;;) {
    if (!stopping && (stop.load(std::memory_order_relaxed) || result.outputFailed)) {
      // A closed stdout (consumer gone) ends the run like a signal: nothing more can be said.
      engine.requestStop();
      stopping = true;
    }
    const bool done = engine.finished();  // read before draining: no event can follow it
    batch.clear();
    engine.drainEvents(batch, kBatch);
    const auto now = EventHold::Clock::now();
    bool wrote = false;
    if (hold) {
      for (auto& e : batch) held.push(std::move(e), now);
      wrote = held.release(now, done, write) > 0;
    } else {
      for (auto& e : batch) write(e);
      wrote = !batch.empty();
    }
    if (wrote && !writer.flush()) result.outputFailed = true;
    if (done && held.empty() && batch.empty()) break;
    // Sleep only when idle; a full batch means the workers are producing faster than that.
    if (batch.empty()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  writeSummary(engine, writer, started, result);
  return result;
}

void writeSummary(engine::Engine& engine, EventWriter& writer, core::Timestamp started, RunResult& result) {
  engine.requestSnapshot();
  RunInfo run;
  run.source = engine.sourceName();
  run.live = engine.isLive();
  run.started = started;
  const auto snap = engine.snapshot();
  run.finished = core::SystemClock().now();
  // A file's summary is stamped with its last packet's time, like its events.
  run.ended = engine.isLive() || snap->asOf.isZero() ? run.finished : snap->asOf;
  result.sourceError = engine.sourceError();
  run.processMethod = engine.processMethod();
  run.processFallback = engine.processFallbackReason();
  run.process = engine.processCounters();
  if (result.sourceError) run.error = *result.sourceError;
  engine::EngineStats stats = snap->stats;
  if (!writer.write(formatSummary(stats, run))) result.outputFailed = true;
  if (!writer.flush()) result.outputFailed = true;
  spdlog::info("run ended: {} packets seen, {} connections created", stats.capture.seen,
               stats.tracker.created);
}

}  // namespace rustnet::output
