#include "core/thread_info.h"

#include <pthread.h>
#include <sys/resource.h>

#include <ctime>

namespace rustnet::core {

void nameThisThread(const char* name) { (void)pthread_setname_np(pthread_self(), name); }

ThreadUsage thisThreadUsage() {
  ThreadUsage u;
  timespec ts{};
  if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts) == 0) {
    u.cpuNs = static_cast<std::int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
  }
  rusage ru{};
  if (getrusage(RUSAGE_THREAD, &ru) == 0) u.minorFaults = ru.ru_minflt;
  return u;
}

}  // namespace rustnet::core
