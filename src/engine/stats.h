#pragma once
// Run counters, summed over the capture thread and every worker.
#include <cstdint>

#include "dpi/counters.h"
#include "track/tracker.h"

namespace rustnet::engine {

struct DecodeCounters {
  std::uint64_t ok = 0;
  std::uint64_t fragments = 0;    // non-first IP fragments (no ports: counted, not tracked)
  std::uint64_t notIp = 0;
  std::uint64_t unsupported = 0;  // link type we cannot decode
  std::uint64_t malformed = 0;
  std::uint64_t bytes = 0;        // wire bytes of every frame seen by the workers

  DecodeCounters& operator+=(const DecodeCounters& o) {
    ok += o.ok;
    fragments += o.fragments;
    notIp += o.notIp;
    unsupported += o.unsupported;
    malformed += o.malformed;
    bytes += o.bytes;
    return *this;
  }
};

struct CaptureCounters {
  std::uint64_t seen = 0;           // frames read from the source
  std::uint64_t kernelDropped = 0;  // the kernel's counters (live)
  std::uint64_t ifaceDropped = 0;
  std::uint64_t ourDropped = 0;     // a worker's ring was full (live only; files wait instead)
  std::uint64_t oversize = 0;       // frames larger than a ring record (dropped, counted)
};

struct EngineStats {
  CaptureCounters capture;
  DecodeCounters decode;
  track::TrackerCounters tracker;
  dpi::Counters dpi;
  std::uint64_t liveConnections = 0;
};


}  // namespace rustnet::engine
