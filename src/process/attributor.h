#pragma once
// Process attribution on its own thread (DESIGN.md "Threads and hand-offs").
//
//   Attributor attr(cfg);
//   Requester& r = attr.addRequester();      // one per packet worker, before start()
//   attr.open();                             // sockets; optional, start() opens too
//   attr.start();
//   r.requestLookup(tuple);                  // worker, on a new TCP/UDP connection
//   r.forget(tuple);                         // worker, when the connection leaves its table
//   auto map = attr.snapshot();              // front end, once per refresh
//   map->find(tuple)                         // per row: Attribution (process, kind)
//   attr.stop();
//
// Requests travel through one bounded SPSC queue per worker and wake the thread through an
// eventfd (written only when the thread is not already awake), so the packet path neither
// blocks nor allocates. The map is published as a std::shared_ptr<const ProcessMap> swapped
// atomically: readers never block the writer.
#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/spsc_queue.h"
#include "process/process_map.h"
#include "process/resolver.h"
#include "process/types.h"

namespace rustnet::process {

class Attributor;

// One packet worker's handle. Not thread-safe: exactly one producer thread per Requester.
class Requester {
public:
  // Never blocks or allocates; false when the queue is full (counted; the periodic refresh
  // and the map's live lookup still cover the connection).
  bool requestLookup(const SocketTuple& t) { return push({t, Op::Lookup}); }
  bool forget(const SocketTuple& t) { return push({t, Op::Forget}); }

private:
  friend class Attributor;
  enum class Op : std::uint8_t { Lookup, Forget };
  struct Request {
    SocketTuple tuple;
    Op op = Op::Lookup;
  };
  Requester(Attributor& owner, std::size_t capacity) : owner_(owner), queue_(capacity) {}
  bool push(Request&& r);

  Attributor& owner_;
  core::SpscQueue<Request> queue_;
  std::atomic<std::uint64_t> dropped_{0};
};

class Attributor {
public:
  explicit Attributor(AttributionConfig cfg);
  ~Attributor();
  Attributor(const Attributor&) = delete;
  Attributor& operator=(const Attributor&) = delete;

  // Call before start(); the reference stays valid for the Attributor's lifetime.
  Requester& addRequester();

  // Opens what lookups need: chooses the backend (sock_diag or eBPF sockets, logging the
  // reason for any fallback) and runs the first refresh synchronously, so the first
  // snapshot is already populated. Starts no thread. Idempotent.
  void open();
  // Opens (when open() was not called) and starts the thread.
  void start();
  // Joins the thread; the last published map (and counters) stay readable.
  void stop();

  // The latest published map; never null after start().
  [[nodiscard]] std::shared_ptr<const ProcessMap> snapshot() const;
  [[nodiscard]] Attribution find(const SocketTuple& t) const { return snapshot()->find(t); }

  [[nodiscard]] Method activeMethod() const;
  [[nodiscard]] std::string_view activeMethodName() const { return methodName(activeMethod()); }
  // Why a preferred method was not used ("" when none was refused).
  [[nodiscard]] std::string fallbackReason() const;
  // As of the last refresh, plus requests dropped at full worker queues.
  [[nodiscard]] Counters counters() const;

private:
  friend class Requester;
  void wake();
  void run();
  void drainRequests();
  void publish();

  AttributionConfig cfg_;
  std::unique_ptr<Resolver> resolver_;
  std::vector<std::unique_ptr<Requester>> requesters_;
  int eventFd_ = -1;
  std::atomic<bool> awakePending_{false};
  std::atomic<bool> stop_{false};
  std::thread thread_;
  bool started_ = false;

  std::atomic<std::shared_ptr<const ProcessMap>> map_;
  mutable std::mutex infoMutex_;  // guards the two below (read by the front end, rarely)
  Method method_ = Method::Procfs;
  std::string fallbackReason_;
};

}  // namespace rustnet::process
