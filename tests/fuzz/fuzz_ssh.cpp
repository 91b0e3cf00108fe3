// libFuzzer target: the SSH analyzer fed segments of one connection (fuzz_input.h).
#include "analyzer_target.h"
#include "dpi/ssh/ssh_analyzer.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  rustnet::fuzz::runAnalyzer(rustnet::dpi::ssh::kEntry, {data, size});
  return 0;
}
