// What a first touch of memory costs on this machine: maps fresh anonymous memory, writes
// one byte per 4 KiB page, and prints the time per page, with 4 KiB pages and with the
// region advised as transparent huge pages. In a VM whose host backs guest memory lazily
// this is several microseconds per page, which is why the engine avoids touching new
// memory on the packet path (docs/performance.md). Usage: fault_bench [MiB=64]
#include <sys/mman.h>

#include <fmt/format.h>

#include <chrono>
#include <cstdint>
#include <cstdlib>

namespace {

constexpr std::size_t kPage = 4096;
constexpr std::size_t kHuge = std::size_t{2} << 20;

double touchSeconds(std::size_t bytes, bool huge) {
  void* base = mmap(nullptr, bytes + kHuge, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (base == MAP_FAILED) return -1;
  // Aligned to 2 MiB so that a huge page can back each 2 MiB of the region.
  auto* p = reinterpret_cast<std::uint8_t*>((reinterpret_cast<std::uintptr_t>(base) + kHuge - 1) & ~(kHuge - 1));
  if (huge) (void)madvise(p, bytes, MADV_HUGEPAGE);
  const auto start = std::chrono::steady_clock::now();
  for (std::size_t i = 0; i < bytes; i += kPage) p[i] = 1;
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  munmap(base, bytes + kHuge);
  return s;
}

}  // namespace

int main(int argc, char** argv) {
  const long mib = argc > 1 ? std::atol(argv[1]) : 64;
  if (mib <= 0) {
    fmt::print(stderr, "usage: {} [MiB=64]\n", argv[0]);
    return 2;
  }
  const std::size_t bytes = static_cast<std::size_t>(mib) << 20;
  for (const bool huge : {false, true}) {
    const double s = touchSeconds(bytes, huge);
    if (s < 0) {
      fmt::print(stderr, "fault_bench: cannot map {} MiB\n", mib);
      return 1;
    }
    fmt::print("pages={} MiB={} total_ms={:.1f} us_per_4k_page={:.2f}\n", huge ? "huge-advised" : "4k", mib,
               s * 1e3, s * 1e6 / static_cast<double>(bytes / kPage));
  }
  return 0;
}
