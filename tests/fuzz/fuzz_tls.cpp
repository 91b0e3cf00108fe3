// libFuzzer target: the TLS analyzer fed segments of one connection (fuzz_input.h). The
// framing puts segments in order; the fuzzer reaches reordering by mutating lengths.
#include "analyzer_target.h"
#include "dpi/tls/tls_analyzer.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  rustnet::fuzz::runAnalyzer(rustnet::dpi::tls::kEntry, {data, size});
  return 0;
}
