#pragma once
// Replays a capture file through decode::decode and one dpi::Inspector per TCP/UDP flow,
// the way the tracker does (the first sender is "local", so its packets are Outbound).
// Test-only: the real pipeline lives in src/engine.
#include <filesystem>
#include <memory>
#include <vector>

#include "core/flow_key.h"
#include "dpi/counters.h"
#include "dpi/inspector.h"

namespace rustnet::test {

struct ReplayedFlow {
  core::FlowKey key;
  core::Endpoint initiator;
  std::unique_ptr<dpi::Inspector> inspector;
  std::uint32_t packets = 0;
  std::uint32_t stateChanges = 0;  // feed() calls that reported a change
};

struct Replay {
  std::vector<ReplayedFlow> flows;
  dpi::Counters counters;
  std::size_t packets = 0;
  std::size_t undecoded = 0;
};

Replay replayCapture(const std::filesystem::path& file);

}  // namespace rustnet::test
