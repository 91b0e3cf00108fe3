#pragma once
// The NDJSON event schema: one object per line. Field names follow RustNet's so that
// existing scripts carry over; "source" is always the local side (SPEC §2).
#include <optional>
#include <string>

#include "engine/engine.h"
#include "engine/record.h"
#include "engine/stats.h"

namespace rustnet::output {

std::string formatEvent(const engine::ConnectionEvent& e);
// Appends the same line (with its newline) to `out`: the hot path, which reuses `out`.
void appendEvent(std::string& out, const engine::ConnectionEvent& e);

struct RunInfo {
  std::string source;  // interface or file
  bool live = false;
  core::Timestamp started;   // wall clock at start
  core::Timestamp finished;  // wall clock at the end
  core::Timestamp ended;     // the summary's timestamp: packet time for files
  std::string error;   // why the source ended early; empty when it did not
  std::string processMethod = "off";
  std::string processFallback;
  std::optional<process::Counters> process;
  // The front half (output/pump.h); each written only when it has something to say.
  std::optional<std::uint64_t> connectionsFilteredOut;  // with --filter: closed events not written
  std::uint64_t outputEventsDropped = 0;  // events a slow sink's full queue refused
  std::string outputFailed;               // sinks that failed, comma-separated ("json-log")
};
std::string formatSummary(const engine::EngineStats& s, const RunInfo& run);

}  // namespace rustnet::output
