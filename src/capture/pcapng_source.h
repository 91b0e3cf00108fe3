#pragma once
// Internal to the capture stage: our own reader for pcapng files. libpcap 1.10 refuses a
// file as soon as one interface differs from the first in link type or snapshot length
// (merged captures, "any"-style multi-interface files); this reader gives every interface
// its own link type, carried on each frame, and its own timestamp resolution.
#include <cstdio>
#include <memory>
#include <string>

#include "capture/source.h"

namespace rustnet::capture::detail {

struct GzipReader;

struct PcapngParams {
  std::FILE* file = nullptr;                 // taken over (closed by the source)
  std::unique_ptr<char[]> stdioBuffer;       // the FILE*'s buffer; outlives it
  std::shared_ptr<GzipReader> gzip;          // set for gzip files
  std::string name;
  std::string bpfFilter;
};

// Throws CaptureError when the file does not start with a valid section header block or
// the filter does not compile.
std::unique_ptr<Source> openPcapng(PcapngParams params);

}  // namespace rustnet::capture::detail
