#pragma once
// The headless front end (--json): drains engine events as NDJSON to stdout (and to a
// --json-log file), ends with a summary line. Returns when the engine has finished.
#include <atomic>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>

#include "engine/engine.h"
#include "output/private_file.h"

namespace rustnet::output {

// Outcome of a run, for the exit status and the final error line.
struct RunResult {
  bool outputFailed = false;  // stdout closed or a write failed
  std::optional<std::string> sourceError;
};

class EventWriter {
public:
  // Bytes of formatted events held before they are written in one piece.
  static constexpr std::size_t kBatchBytes = 64 * 1024;

  // `out` may be null (UI runs that only log to a file); `log` may be closed.
  EventWriter(std::FILE* out, PrivateFile log) : out_(out), log_(std::move(log)) {
    pending_.reserve(kBatchBytes + 4096);
  }
  // Formats one event into the pending batch, which goes out once it passes kBatchBytes
  // and at flush(). False once a destination has failed.
  bool writeEvent(const engine::ConnectionEvent& e);
  // Writes the pending batch, then one line, to every destination now.
  bool write(std::string_view line);
  // Writes the pending batch and flushes stdout. False once a destination has failed.
  bool flush();

private:
  bool writeOut(std::string_view data);
  std::FILE* out_;
  PrivateFile log_;
  std::string pending_;  // reused: no allocation per event once it has grown
  bool failed_ = false;
};

// `stop` is set from a signal handler (SIGINT/SIGTERM): the run then ends as at the end of a
// file, reporting every open connection.
RunResult runJson(engine::Engine& engine, EventWriter& writer, const std::atomic<bool>& stop);

// Writes the run's final summary line (after the engine has finished and every event was
// written) and fills in `result`'s source error. `started` is the wall clock at start.
// runJson ends with it; the terminal UI calls it for --json-log.
void writeSummary(engine::Engine& engine, EventWriter& writer, core::Timestamp started, RunResult& result);

}  // namespace rustnet::output
