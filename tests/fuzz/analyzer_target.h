#pragma once
// Drives one registry entry's analyzer directly (no probe), so that the fuzzer reaches its
// parser whatever the first bytes are.
#include <cstdint>

#include "dpi/counters.h"
#include "dpi/facts.h"
#include "dpi/registry.h"
#include "fuzz_checks.h"
#include "fuzz_input.h"

namespace rustnet::fuzz {

inline void runAnalyzer(const dpi::AnalyzerEntry& entry, core::Bytes input) {
  FuzzInput in(input);
  if (!entry.appliesTo(in.flow().transport)) return;
  auto analyzer = entry.create(in.flow());
  dpi::Facts facts;
  dpi::Counters counters;
  dpi::Context ctx{facts, counters, in.flow(), core::Timestamp::fromNanos(1)};
  in.forEachSegment([&](const dpi::Segment& seg) {
    (void)entry.probe(in.flow(), seg);
    const dpi::Verdict v = analyzer->feed(seg, ctx);
    return v == dpi::Verdict::NeedMore || v == dpi::Verdict::Monitor;
  });
  checkFacts(facts);
}

}  // namespace rustnet::fuzz
