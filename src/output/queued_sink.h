#pragma once
// A sink that writes (stdout, a file) behind a bounded queue drained by its own thread, for
// live runs: the pump never waits on a slow disk or a reader that stopped reading, so the
// workers never wait on the pump and capture never stalls. Past the bound, events for this
// sink are dropped and counted; the other sinks still get every one.
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "output/sink.h"

namespace rustnet::output {

class QueuedSink final : public Sink {
public:
  // Named cap: items (events, flushes) waiting for this sink's thread.
  static constexpr std::size_t kMaxQueued = 32'768;

  explicit QueuedSink(Sink& inner, std::size_t maxQueued = kMaxQueued);
  ~QueuedSink() override;
  QueuedSink(const QueuedSink&) = delete;
  QueuedSink& operator=(const QueuedSink&) = delete;

  [[nodiscard]] std::string_view name() const override { return inner_.name(); }
  [[nodiscard]] bool essential() const override { return inner_.essential(); }
  // These queue and return at once; false once the inner sink has failed.
  bool event(const engine::ConnectionEvent& e) override;
  bool flush() override;
  void snapshot(const std::shared_ptr<const engine::Snapshot>& snap) override;
  void sourceDone(const std::optional<std::string>& error) override;
  // Queues the end, then waits until the inner sink has written everything (the run is
  // over: nothing is left to stall).
  bool end(const RunEnd& end) override;

  // Waits until the queue is empty and the inner sink idle (before the summary is made,
  // so that its failures are known).
  void waitIdle();
  [[nodiscard]] bool failed() const;
  // Events dropped because the queue was full.
  [[nodiscard]] std::uint64_t dropped() const;
  // Events not handed on because the inner sink had failed.
  [[nodiscard]] std::uint64_t discarded() const;

private:
  struct Item {
    enum class Kind : std::uint8_t { Event, Flush, Snapshot, SourceDone, End };
    Kind kind = Kind::Event;
    engine::ConnectionEvent event;
    std::shared_ptr<const engine::Snapshot> snap;
    std::optional<std::string> error;
    // End: owned copies of what RunEnd refers to.
    std::shared_ptr<const engine::EngineStats> stats;
    std::shared_ptr<const RunInfo> run;
    std::string line;
  };
  bool push(Item&& item, bool mayDrop);
  void loop();
  bool handle(Item& item, bool& endResult);

  Sink& inner_;
  const std::size_t maxQueued_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;  // the thread: items arrived, or stop
  std::condition_variable idle_;  // waiters: the queue ran dry
  std::deque<Item> queue_;
  std::size_t inFlight_ = 0;  // taken from the queue, not yet handled
  bool stop_ = false;
  bool failed_ = false;
  bool endResult_ = true;
  std::uint64_t dropped_ = 0;
  std::uint64_t discarded_ = 0;
  std::thread thread_;
};

}  // namespace rustnet::output
