// Whole-pipeline throughput: runs the engine over a capture file as `rustnet --read FILE
// --json` would (events drained and, unless --no-json, formatted), and prints packets/s,
// ns/packet, peak RSS and the CPU time of each thread. Usage: pipeline_bench FILE [--workers N] [--repeat K] [--no-json]
#include <sys/resource.h>

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include "core/thread_info.h"
#include "engine/engine.h"
#include "output/events.h"

namespace {

using namespace rustnet;

struct Result {
  double seconds = 0;
  std::uint64_t packets = 0;
  std::uint64_t bytes = 0;
  std::uint64_t connections = 0;
  std::uint64_t jsonBytes = 0;
  engine::StageUsage threads;  // capture thread and workers
  core::ThreadUsage front;      // this thread: draining (and formatting) the events
};

Result runOnce(const std::string& file, int workers, bool json) {
  engine::EngineConfig cfg;
  cfg.readFile = file;
  cfg.workers = workers;
  const auto start = std::chrono::steady_clock::now();
  const core::ThreadUsage frontStart = core::thisThreadUsage();
  engine::Engine e(cfg);
  e.start();
  std::vector<engine::ConnectionEvent> events;
  Result r;
  for (;;) {
    const bool done = e.finished();
    events.clear();
    e.drainEvents(events);
    if (json) {
      for (const auto& ev : events) r.jsonBytes += output::formatEvent(ev).size();
    }
    if (done && events.empty()) break;
    if (events.empty()) std::this_thread::sleep_for(std::chrono::microseconds(200));
  }
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  r.threads = e.stageUsage();
  const core::ThreadUsage frontEnd = core::thisThreadUsage();
  r.front = {frontEnd.cpuNs - frontStart.cpuNs, frontEnd.minorFaults - frontStart.minorFaults};
  const auto stats = e.stats();
  r.packets = stats.capture.seen;
  r.bytes = stats.decode.bytes;
  r.connections = stats.tracker.created;
  return r;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    fmt::print(stderr, "usage: {} FILE [--workers N] [--repeat K] [--no-json]\n", argv[0]);
    return 2;
  }
  const std::string file = argv[1];
  int workers = 1;
  int repeat = 3;
  bool json = true;
  for (int i = 2; i < argc; ++i) {
    if (std::strcmp(argv[i], "--workers") == 0 && i + 1 < argc) workers = std::atoi(argv[++i]);
    else if (std::strcmp(argv[i], "--repeat") == 0 && i + 1 < argc) repeat = std::max(1, std::atoi(argv[++i]));
    else if (std::strcmp(argv[i], "--no-json") == 0) json = false;
  }
  std::vector<double> times;
  Result last;
  for (int k = 0; k < repeat; ++k) {
    try {
      last = runOnce(file, workers, json);
    } catch (const std::exception& e) {
      fmt::print(stderr, "pipeline_bench: {}\n", e.what());
      return 1;
    }
    times.push_back(last.seconds);
  }
  std::sort(times.begin(), times.end());
  const double median = times[times.size() / 2];
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  fmt::print("file={} workers={} json={} runs={}\n", file, workers, json ? "yes" : "no", repeat);
  fmt::print("packets={} bytes={} connections={}\n", last.packets, last.bytes, last.connections);
  fmt::print("median_seconds={:.3f} packets_per_second={:.0f} ns_per_packet={:.1f} Mbit_per_second={:.0f}\n",
             median, static_cast<double>(last.packets) / median,
             median * 1e9 / static_cast<double>(std::max<std::uint64_t>(1, last.packets)),
             static_cast<double>(last.bytes) * 8 / median / 1e6);
  fmt::print("peak_rss_mib={:.1f}\n", static_cast<double>(ru.ru_maxrss) / 1024.0);
  // The last run's CPU time and page faults per thread: which stage bounds the wall time.
  // (The capture thread's figures are totals since the thread started, which in a fresh
  // process is the run; the front end's are this run's.)
  auto show = [](std::string_view name, const core::ThreadUsage& u) {
    fmt::print(" {}={:.3f}s/{}", name, static_cast<double>(u.cpuNs) / 1e9, u.minorFaults);
  };
  fmt::print("thread_cpu/faults");
  show("capture", last.threads.capture);
  for (std::size_t i = 0; i < last.threads.workers.size(); ++i) {
    show(fmt::format("worker{}", i), last.threads.workers[i]);
  }
  show("front_end", last.front);
  fmt::print("\n");
  return 0;
}
