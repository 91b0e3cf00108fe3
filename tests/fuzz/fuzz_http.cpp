// libFuzzer target: the HTTP analyzer fed segments of one connection (fuzz_input.h).
#include "analyzer_target.h"
#include "dpi/http/http_analyzer.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  rustnet::fuzz::runAnalyzer(rustnet::dpi::http::kEntry, {data, size});
  return 0;
}
