// libFuzzer target: a whole connection through the Inspector, as the tracker runs it:
// probing every registered analyzer, the bounds, tunnels and verdict handling.
#include "dpi/inspector.h"
#include "fuzz_checks.h"
#include "fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace rustnet;
  fuzz::FuzzInput in({data, size});
  dpi::Inspector inspector(in.flow());
  dpi::Counters counters;
  std::int64_t t = 0;
  in.forEachSegment([&](const dpi::Segment& seg) {
    inspector.feed(seg.data, seg.dir, seg.tcpSeq, core::Timestamp::fromNanos(++t), counters);
    return !inspector.finished();
  });
  fuzz::checkFacts(inspector.facts());
  fuzz::require(counters.inspectors <= 1);
  return 0;
}
