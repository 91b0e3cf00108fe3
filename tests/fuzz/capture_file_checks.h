#pragma once
// What must hold for any capture file a Source was opened on: reading ends (at the end of
// the file or at an error) and stays ended, every frame is consistent and decodes within
// the decoder's invariants, messages are printable single lines, and the count of
// delivered frames matches what the sink saw.
#include <cstdint>
#include <string>

#include "capture/source.h"
#include "decode_checks.h"

namespace rustnet::fuzz {

// A message may carry text from the file or from libpcap; it must stay one printable line.
inline void requirePrintable(const std::string& message) {
  for (const char ch : message) requireDecode(static_cast<unsigned char>(ch) >= 0x20 && ch != 0x7f);
}

class CheckingSink final : public capture::FrameSink {
public:
  void onFrame(const capture::Frame& f) override {
    ++frames;
    requireDecode(f.data.size() <= f.wireLen);
    requireDecode(f.linkType <= decode::LinkType::Unsupported);
    decodeAndCheck(f.linkType, f.data, f.wireLen, f.ts);
  }
  std::uint64_t frames = 0;
};

inline void readToEnd(capture::Source& source) {
  requireDecode(!source.isLive());
  requirePrintable(source.warning());
  CheckingSink sink;
  capture::ReadStatus status = capture::ReadStatus::Ok;
  // Every call delivers a frame or ends the file, so this is bounded by the file's size.
  while ((status = source.dispatch(16, sink)) == capture::ReadStatus::Ok) {
  }
  requireDecode(status == capture::ReadStatus::EndOfFile || status == capture::ReadStatus::Error);
  const std::string error = source.lastError();
  requireDecode((status == capture::ReadStatus::Error) == !error.empty());
  requirePrintable(error);
  // The end is final and nothing more is delivered.
  requireDecode(source.dispatch(16, sink) == status);
  requireDecode(source.stats().received == sink.frames);
}

}  // namespace rustnet::fuzz
