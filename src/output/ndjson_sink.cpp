#include "output/ndjson_sink.h"

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

}  // namespace rustnet::output
