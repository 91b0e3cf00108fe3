#pragma once
// Small helpers about the calling thread: a name that `top -H` and `ps -L` show, and the
// CPU time it has used (for the benchmarks' per-stage figures).
#include <cstdint>

namespace rustnet::core {

// Names the calling thread (at most 15 characters are kept by the kernel).
void nameThisThread(const char* name);
// What the calling thread has used so far: CPU time, and page faults served without I/O
// (first touches of memory, which are dear in virtual machines).
struct ThreadUsage {
  std::int64_t cpuNs = 0;
  std::int64_t minorFaults = 0;
};
ThreadUsage thisThreadUsage();

}  // namespace rustnet::core
