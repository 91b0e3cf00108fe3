// libFuzzer target: our pcapng reader alone, fed from memory (fmemopen) rather than through
// openFile(), whose 1 MiB stdio buffer per open makes the capture_file target slow. Uses
// the capture stage's internal entry point on purpose: this is the parser we own.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

#include "capture/pcapng_source.h"
#include "capture_file_checks.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace rustnet;
  if (size == 0) return 0;  // fmemopen() refuses an empty buffer; openFile() stops earlier
  // fmemopen() wants a mutable buffer even for reading.
  std::string copy(reinterpret_cast<const char*>(data), size);
  std::FILE* fp = fmemopen(copy.data(), copy.size(), "rb");
  if (fp == nullptr) std::abort();
  std::setvbuf(fp, nullptr, _IONBF, 0);
  capture::detail::PcapngParams params;
  params.file = fp;
  params.name = "fuzz.pcapng";
  std::unique_ptr<capture::Source> source;
  try {
    source = capture::detail::openPcapng(std::move(params));
  } catch (const capture::CaptureError& e) {
    fuzz::requirePrintable(e.what());
    return 0;
  }
  fuzz::readToEnd(*source);
  return 0;
}
