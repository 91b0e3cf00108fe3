#pragma once
// Where the pump (pump.h) hands what the engine produced: the terminal UI, the --json
// stream, the --json-log file, and later exporters. A new destination is one more Sink,
// never an edit of the others.
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "engine/engine.h"
#include "engine/record.h"
#include "output/events.h"

namespace rustnet::output {

// The end of a run as every sink sees it: the counters, and the summary line already
// formatted with this sink's own figures (its filtered-out count).
struct RunEnd {
  const engine::EngineStats& stats;
  const RunInfo& run;
  std::string_view summaryLine;  // formatSummary(stats, run), newline included
};

class Sink {
public:
  virtual ~Sink() = default;

  // Short and stable ("json", "json-log", "ui"): logs and the summary name a sink by it.
  [[nodiscard]] virtual std::string_view name() const = 0;
  // Whether a failure of this sink ends the run: true for stdout (a closed pipe means the
  // consumer is gone), false for a file or the UI (the others carry on).
  [[nodiscard]] virtual bool essential() const { return false; }

  // One event, in the engine's order for its connection, its process joined when known.
  // False once the sink has failed: it is counted and gets nothing more.
  virtual bool event(const engine::ConnectionEvent& e) = 0;
  // After each round of events: write out what was batched. False once failed.
  virtual bool flush() { return true; }
  // A fresh merged snapshot (only when the pump was asked for snapshots).
  virtual void snapshot(const std::shared_ptr<const engine::Snapshot>& /*snap*/) {}
  // The source has ended and every event was delivered; `error` says why if it failed.
  virtual void sourceDone(const std::optional<std::string>& /*error*/) {}
  // The run is over: the last call a sink receives. False when it could not be written.
  virtual bool end(const RunEnd& /*end*/) { return true; }
};

}  // namespace rustnet::output
