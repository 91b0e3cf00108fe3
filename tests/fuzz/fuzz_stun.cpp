// libFuzzer target: the STUN analyzer fed segments of one connection (fuzz_input.h).
// Classic (cookie-less) STUN is believed only on port 3478, which is not among kFuzzPorts:
// every input is also run with that remote port, so that path is fuzzed too.
#include "analyzer_target.h"
#include "dpi/stun/stun_analyzer.h"

namespace {

using namespace rustnet;

void runOnStunPort(core::Bytes input) {
  fuzz::FuzzInput in(input);
  dpi::FlowInfo flow = in.flow();
  flow.remotePort = dpi::stun::kStunPort;
  auto analyzer = dpi::stun::kEntry.create(flow);
  dpi::Facts facts;
  dpi::Counters counters;
  dpi::Context ctx{facts, counters, flow, core::Timestamp::fromNanos(1)};
  in.forEachSegment([&](const dpi::Segment& seg) {
    (void)dpi::stun::kEntry.probe(flow, seg);
    const dpi::Verdict v = analyzer->feed(seg, ctx);
    return v == dpi::Verdict::NeedMore || v == dpi::Verdict::Monitor;
  });
  fuzz::checkFacts(facts);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  rustnet::fuzz::runAnalyzer(rustnet::dpi::stun::kEntry, {data, size});
  runOnStunPort({data, size});
  return 0;
}
