// libFuzzer target: the QUIC analyzer fed datagrams of one flow (fuzz_input.h, UDP flows).
// Random bytes rarely open as Initial packets; fuzz_quic_frames reaches what lies behind
// the decryption.
#include "analyzer_target.h"
#include "dpi/quic/quic_analyzer.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  rustnet::fuzz::runAnalyzer(rustnet::dpi::quic::kEntry, {data, size});
  return 0;
}
