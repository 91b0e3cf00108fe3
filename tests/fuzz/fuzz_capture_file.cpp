// libFuzzer target: a whole capture file through openFile() as the command line's --read
// would open it: content sniffing, gzip, classic pcap (libpcap) and pcapng (our reader).
// The input is written to a memory-backed file opened by its /proc path, so every byte goes
// through the same code as a file on disk. Each delivered frame is decoded and checked.
// Slow (the reader's 1 MiB stdio buffer is mapped afresh per input under ASan): the pcapng
// target fuzzes our own reader alone, much faster.
#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>

#include "capture/source.h"
#include "capture_file_checks.h"

namespace {

int memoryFile() {
  static const int fd = [] {
    const int made = memfd_create("rustnet-fuzz-capture", MFD_CLOEXEC);
    if (made < 0) std::abort();
    return made;
  }();
  return fd;
}

bool store(const std::uint8_t* data, std::size_t size) {
  const int fd = memoryFile();
  if (ftruncate(fd, 0) != 0) return false;
  std::size_t done = 0;
  while (done < size) {
    const ssize_t n = pwrite(fd, data + done, size - done, static_cast<off_t>(done));
    if (n <= 0) return false;
    done += static_cast<std::size_t>(n);
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace rustnet;
  if (!store(data, size)) std::abort();
  const std::string path = "/proc/self/fd/" + std::to_string(memoryFile());
  std::unique_ptr<capture::Source> source;
  try {
    source = capture::openFile(path);
  } catch (const capture::CaptureError& e) {
    fuzz::requirePrintable(e.what());
    return 0;
  }
  fuzz::requireDecode(source->name() == path);
  fuzz::readToEnd(*source);
  return 0;
}
