// libFuzzer target: the NTP analyzer fed datagrams of one connection (fuzz_input.h).
#include "analyzer_target.h"
#include "dpi/ntp/ntp_analyzer.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  rustnet::fuzz::runAnalyzer(rustnet::dpi::ntp::kEntry, {data, size});
  return 0;
}
