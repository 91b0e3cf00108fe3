#include "output/pump.h"

#include <spdlog/spdlog.h>

#include <thread>

#include "output/events.h"

namespace rustnet::output {

using Clock = std::chrono::steady_clock;

Pump::Pump(engine::Engine& engine)
    : engine_(engine),
      // Files have no owners to wait for; a live run without attribution neither.
      hold_(engine.processMethod() != "off"),
      started_(core::SystemClock().now()) {
  batch_.reserve(kBatch);
}

Pump::~Pump() = default;

void Pump::add(Sink& sink, SinkOptions options) {
  Entry s;
  s.sink = &sink;
  s.filter = options.filter != nullptr && !options.filter->empty() ? options.filter : nullptr;
  if (options.queued && engine_.isLive()) s.queue = std::make_unique<QueuedSink>(sink, options.maxQueued);
  s.target = s.queue ? s.queue.get() : &sink;
  sinks_.push_back(std::move(s));
}

bool Pump::essentialFailed() const {
  for (const Entry& s : sinks_) {
    if (s.sink->essential() && (s.failed || (s.queue && s.queue->failed()))) return true;
  }
  return false;
}

void Pump::markFailed(Entry& s) {
  if (s.failed) return;
  s.failed = true;
  spdlog::warn("output '{}' failed: it gets no more events (the other outputs carry on)", s.sink->name());
}

void Pump::deliver(engine::ConnectionEvent& e) {
  if (!e.record.process) engine_.joinProcess(e.record);
  const bool closed = e.kind == engine::ConnectionEvent::Kind::Closed;
  for (Entry& s : sinks_) {
    if (s.failed) {
      ++s.lost;
      continue;
    }
    if (s.filter != nullptr && !s.filter->matches(e.record)) {
      if (closed) ++s.filteredOut;
      continue;
    }
    s.delivered = true;
    if (!s.target->event(e)) markFailed(s);
  }
}

void Pump::flushSinks() {
  for (Entry& s : sinks_) {
    if (!s.delivered || s.failed) continue;
    s.delivered = false;
    if (!s.target->flush()) markFailed(s);
  }
}

void Pump::maybeSnapshot(Clock::time_point now) {
  if (snapshotEvery_.count() <= 0) return;
  if (now >= nextSnapshot_) {
    engine_.requestSnapshot();
    takeSnapshotAt_ = now + kSnapshotLatency;
    nextSnapshot_ = now + snapshotEvery_;
  }
  if (takeSnapshotAt_ && now >= *takeSnapshotAt_) {
    takeSnapshotAt_.reset();
    const auto snap = engine_.snapshot();
    for (Entry& s : sinks_) {
      if (!s.failed) s.target->snapshot(snap);
    }
  }
}

std::size_t Pump::poll() {
  if (sourceDone_) return 0;
  if (!stopping_ && essentialFailed()) {
    // A closed stdout (consumer gone) ends the run like a signal: nothing more can be said.
    engine_.requestStop();
    stopping_ = true;
  }
  const bool done = engine_.finished();  // read before draining: no event can follow it
  batch_.clear();
  const std::size_t n = engine_.drainEvents(batch_, kBatch);
  const auto now = Clock::now();
  if (hold_) {
    for (auto& e : batch_) held_.push(std::move(e), now);
    held_.release(now, done, [this](engine::ConnectionEvent& e) { deliver(e); });
  } else {
    for (auto& e : batch_) deliver(e);
  }
  flushSinks();
  if (done && held_.empty() && n == 0) {
    // The workers published their last snapshot, and every event has gone out.
    sourceDone_ = true;
    const auto error = engine_.sourceError();
    const auto snap = snapshotEvery_.count() > 0 ? engine_.snapshot() : nullptr;
    for (Entry& s : sinks_) {
      if (s.failed) continue;
      if (snap) s.target->snapshot(snap);
      s.target->sourceDone(error);
    }
    return 0;
  }
  maybeSnapshot(now);
  return n;
}

void Pump::run(const std::atomic<bool>& stop) {
  while (!sourceDone_) {
    if (!stopping_ && stop.load(std::memory_order_relaxed)) {
      engine_.requestStop();
      stopping_ = true;
    }
    // Sleep only when idle; a full batch means the workers produce faster than that.
    if (poll() == 0 && !sourceDone_) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
}

void Pump::endSinks(PumpResult& result) {
  // Queued sinks finish writing their events first, so that their failures are known.
  for (Entry& s : sinks_) {
    if (s.queue) s.queue->waitIdle();
    if (s.queue && s.queue->failed()) markFailed(s);
  }
  engine_.requestSnapshot();
  RunInfo run;
  run.source = engine_.sourceName();
  run.live = engine_.isLive();
  run.started = started_;
  const auto snap = engine_.snapshot();
  run.finished = core::SystemClock().now();
  // A file's summary is stamped with its last packet's time, like its events.
  run.ended = engine_.isLive() || snap->asOf.isZero() ? run.finished : snap->asOf;
  result.sourceError = engine_.sourceError();
  run.processMethod = engine_.processMethod();
  run.processFallback = engine_.processFallbackReason();
  run.process = engine_.processCounters();
  if (result.sourceError) run.error = *result.sourceError;
  for (const Entry& s : sinks_) {
    if (s.queue) run.outputEventsDropped += s.queue->dropped();
    if (!s.failed) continue;
    if (!run.outputFailed.empty()) run.outputFailed += ',';
    run.outputFailed += s.sink->name();
  }
  const engine::EngineStats& stats = snap->stats;
  for (Entry& s : sinks_) {
    if (s.failed) continue;
    run.connectionsFilteredOut.reset();
    if (s.filter != nullptr) run.connectionsFilteredOut = s.filteredOut;
    const std::string line = formatSummary(stats, run);
    if (!s.target->end(RunEnd{stats, run, line})) markFailed(s);
  }
  for (Entry& s : sinks_) {
    const std::uint64_t dropped = s.queue ? s.queue->dropped() : 0;
    const std::uint64_t lost = s.lost + (s.queue ? s.queue->discarded() : 0);
    if (dropped > 0) spdlog::warn("output '{}' was too slow: {} events dropped", s.sink->name(), dropped);
    if (s.failed) spdlog::warn("output '{}' failed: {} events not written", s.sink->name(), lost);
    if (s.filter != nullptr) {
      spdlog::info("output '{}': {} closed connections filtered out", s.sink->name(), s.filteredOut);
    }
    if (s.failed) {
      result.failedSinks.emplace_back(s.sink->name());
      if (s.sink->essential()) result.essentialFailed = true;
    }
  }
  spdlog::info("run ended: {} packets seen, {} connections created", stats.capture.seen,
               stats.tracker.created);
}

PumpResult Pump::finish() {
  if (result_) return *result_;
  engine_.requestStop();
  stopping_ = true;
  while (!sourceDone_) {
    if (poll() == 0 && !sourceDone_) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  PumpResult result;
  endSinks(result);
  // The queues' threads end here: nothing is written after finish().
  for (Entry& s : sinks_) s.queue.reset();
  result_ = result;
  return result;
}

}  // namespace rustnet::output
