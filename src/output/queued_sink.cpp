#include "output/queued_sink.h"

#include "core/thread_info.h"

namespace rustnet::output {

QueuedSink::QueuedSink(Sink& inner, std::size_t maxQueued)
    : inner_(inner), maxQueued_(maxQueued == 0 ? 1 : maxQueued) {
  thread_ = std::thread([this] { loop(); });
}

QueuedSink::~QueuedSink() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  wake_.notify_one();
  thread_.join();
}

bool QueuedSink::push(Item&& item, bool mayDrop) {
  {
    std::lock_guard lock(mutex_);
    if (failed_) {
      if (item.kind == Item::Kind::Event) ++discarded_;
      return false;
    }
    if (mayDrop && queue_.size() >= maxQueued_) {
      ++dropped_;
      return true;  // counted, not a failure: the sink still works, only slowly
    }
    queue_.push_back(std::move(item));
  }
  wake_.notify_one();
  return true;
}

bool QueuedSink::event(const engine::ConnectionEvent& e) {
  Item item;
  item.event = e;
  return push(std::move(item), true);
}

bool QueuedSink::flush() {
  Item item;
  item.kind = Item::Kind::Flush;
  return push(std::move(item), false);
}

void QueuedSink::snapshot(const std::shared_ptr<const engine::Snapshot>& snap) {
  Item item;
  item.kind = Item::Kind::Snapshot;
  item.snap = snap;
  push(std::move(item), true);
}

void QueuedSink::sourceDone(const std::optional<std::string>& error) {
  Item item;
  item.kind = Item::Kind::SourceDone;
  item.error = error;
  push(std::move(item), false);
}

bool QueuedSink::end(const RunEnd& end) {
  Item item;
  item.kind = Item::Kind::End;
  item.stats = std::make_shared<const engine::EngineStats>(end.stats);
  item.run = std::make_shared<const RunInfo>(end.run);
  item.line = std::string(end.summaryLine);
  if (!push(std::move(item), false)) return false;
  waitIdle();
  std::lock_guard lock(mutex_);
  return endResult_ && !failed_;
}

void QueuedSink::waitIdle() {
  std::unique_lock lock(mutex_);
  idle_.wait(lock, [this] { return queue_.empty() && inFlight_ == 0; });
}

bool QueuedSink::failed() const {
  std::lock_guard lock(mutex_);
  return failed_;
}

std::uint64_t QueuedSink::dropped() const {
  std::lock_guard lock(mutex_);
  return dropped_;
}

std::uint64_t QueuedSink::discarded() const {
  std::lock_guard lock(mutex_);
  return discarded_;
}

bool QueuedSink::handle(Item& item, bool& endResult) {
  switch (item.kind) {
    case Item::Kind::Event:
      return inner_.event(item.event);
    case Item::Kind::Flush:
      return inner_.flush();
    case Item::Kind::Snapshot:
      inner_.snapshot(item.snap);
      return true;
    case Item::Kind::SourceDone:
      inner_.sourceDone(item.error);
      return true;
    case Item::Kind::End:
      endResult = inner_.end(RunEnd{*item.stats, *item.run, item.line});
      return true;
  }
  return true;
}

void QueuedSink::loop() {
  core::nameThisThread("rustnet-sink");
  std::deque<Item> work;
  std::unique_lock lock(mutex_);
  for (;;) {
    wake_.wait(lock, [this] { return stop_ || !queue_.empty(); });
    if (queue_.empty()) return;  // stopping, and nothing left
    work.swap(queue_);
    inFlight_ = work.size();
    bool failed = failed_;
    lock.unlock();
    // Written without the lock: the pump keeps queueing meanwhile.
    bool endResult = true;
    std::uint64_t discarded = 0;
    for (Item& item : work) {
      if (failed) {
        if (item.kind == Item::Kind::Event) ++discarded;
        continue;
      }
      failed = !handle(item, endResult);
    }
    work.clear();
    lock.lock();
    failed_ = failed_ || failed;
    endResult_ = endResult_ && endResult;
    discarded_ += discarded;
    inFlight_ = 0;
    if (queue_.empty()) idle_.notify_all();
  }
}

}  // namespace rustnet::output
