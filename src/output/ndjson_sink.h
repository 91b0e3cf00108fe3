#pragma once
// NDJSON writers: the --json stream and the --json-log file, each a Sink of the pump.
#include <cstdio>
#include <string>
#include <string_view>

#include "engine/record.h"
#include "output/private_file.h"
#include "output/sink.h"

namespace rustnet::output {

class EventWriter {
public:
  // Bytes of formatted events held before they are written in one piece.
  static constexpr std::size_t kBatchBytes = 64 * 1024;

  // Writes to `out` when it is not null, and to `log` when it is open.
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

// The --json stream (stdout) or the --json-log file as a sink: one NDJSON line per event,
// batched, and the summary line at the end.
class NdjsonSink final : public Sink {
public:
  // stdout: essential (a closed pipe ends the run).
  explicit NdjsonSink(std::FILE* out) : writer_(out, PrivateFile{}), name_("json"), essential_(true) {}
  // --json-log
  explicit NdjsonSink(PrivateFile log) : writer_(nullptr, std::move(log)), name_("json-log") {}

  [[nodiscard]] std::string_view name() const override { return name_; }
  [[nodiscard]] bool essential() const override { return essential_; }
  bool event(const engine::ConnectionEvent& e) override { return writer_.writeEvent(e); }
  bool flush() override { return writer_.flush(); }
  bool end(const RunEnd& end) override { return writer_.write(end.summaryLine) && writer_.flush(); }

private:
  EventWriter writer_;
  std::string_view name_;
  bool essential_ = false;
};

}  // namespace rustnet::output
