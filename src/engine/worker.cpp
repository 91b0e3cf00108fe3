#include "engine/worker.h"

#include <string>
#include <thread>

#include "core/thread_info.h"
#include "engine/packet_record.h"

namespace rustnet::engine {

namespace {
// Idle back-off: spin briefly (a busy file replay refills the ring within microseconds),
// then sleep in growing steps so an idle live monitor costs almost nothing.
class Backoff {
public:
  explicit Backoff(int maxSleepUs) : maxSleepUs_(maxSleepUs) {}
  void idle() {
    if (++spins_ < 64) {
      std::this_thread::yield();
      return;
    }
    std::this_thread::sleep_for(std::chrono::microseconds(sleepUs_));
    if (sleepUs_ < maxSleepUs_) sleepUs_ *= 2;
  }
  void reset() {
    spins_ = 0;
    sleepUs_ = 10;
  }

private:
  int maxSleepUs_;
  int spins_ = 0;
  int sleepUs_ = 10;
};
}  // namespace

Worker::Worker(WorkerConfig config)
    : config_(std::move(config)),
      ring_(config_.ringBytes),
      tracker_(config_.tracker, *this),
      events_(config_.eventQueue) {}

Worker::~Worker() = default;

void Worker::run() {
  core::nameThisThread(("rustnet-work" + std::to_string(config_.index)).c_str());
  Backoff backoff(2000);
  auto visit = [this](const RecordView& r) { handle(r); };
  while (!finished_.load(std::memory_order_relaxed)) {
    const std::size_t n = ring_.consume(visit, 256);
    serviceSnapshotRequest();
    if (n == 0) {
      backoff.idle();
    } else {
      backoff.reset();
    }
  }
}

void Worker::handle(const RecordView& r) {
  switch (r.kind) {
    case RecordKind::Packet: {
      decode::Status st = decode::Status::Malformed;
      if (unpackRecord(r.data, st, view_)) onDecoded(st, view_);
      break;
    }
    case RecordKind::Tick:
      advanceClock(r.ts);
      tracker_.expire(now_);
      break;
    case RecordKind::Finish:
      advanceClock(r.ts);
      tracker_.endAll(now_);
      // A last snapshot so a front end that asks after the end sees the final counters.
      snapshotWanted_.fetch_add(1, std::memory_order_relaxed);
      serviceSnapshotRequest();
      if (!config_.inlined) usage_ = core::thisThreadUsage();
      finished_.store(true, std::memory_order_release);
      break;
    case RecordKind::Wrap:
      break;
  }
}

void Worker::advanceClock(core::Timestamp t) {
  if (t > now_) now_ = t;
}

void Worker::onDecoded(decode::Status st, const decode::PacketView& view) {
  if (view.fragLate) {
    // Made by the fragment table for a frame counted already: it only updates a connection.
    if (st == decode::Status::Ok) {
      tracker_.onPacket(view);
    } else {
      tracker_.creditFragment(view);
    }
    return;
  }
  advanceClock(view.ts);
  if (view.tunnelOuter) {  // the frame is counted through its inner view
    tracker_.onPacket(view);
    tracker_.expire(now_);
    return;
  }
  decode_.bytes += view.wireLen;
  if (view.clipped) ++decode_.truncated;
  if (view.lengthCapped) ++decode_.lengthCapped;
  if (view.tunnel != decode::Tunnel::None) ++decode_.tunnelled;
  if (view.tunnelCapped) ++decode_.tunnelCapped;
  switch (st) {
    case decode::Status::Ok:
      ++decode_.ok;
      tracker_.onPacket(view);
      break;
    case decode::Status::Fragment:
      ++decode_.fragments;
      if (view.fragMatched) tracker_.creditFragment(view);
      break;
    case decode::Status::NotIp: ++decode_.notIp; break;
    case decode::Status::Unsupported: ++decode_.unsupported; break;
    case decode::Status::Malformed: ++decode_.malformed; break;
  }
  tracker_.expire(now_);
}

void Worker::serviceSnapshotRequest() {
  const std::uint64_t wanted = snapshotWanted_.load(std::memory_order_acquire);
  if (wanted == snapshotServed_) return;
  snapshotServed_ = wanted;
  auto snap = std::make_shared<WorkerSnapshot>();
  snap->asOf = now_;
  snap->rows.reserve(tracker_.size());
  tracker_.forEach([&](const track::Connection& c) { snap->rows.push_back(makeRecord(tracker_, c, now_)); });
  snap->decode = decode_;
  snap->tracker = tracker_.counters();
  snap->dpi = tracker_.dpiCounters();
  snapshot_.store(std::move(snap), std::memory_order_release);
}

std::shared_ptr<const WorkerSnapshot> Worker::takeSnapshot() {
  return snapshot_.load(std::memory_order_acquire);
}

namespace {
bool attributable(const track::Connection& c) {
  return c.proto() == core::proto::kTcp || c.proto() == core::proto::kUdp;
}
}  // namespace

void Worker::onNew(const track::Connection& c) {
  if (config_.requester != nullptr && attributable(c)) {
    // Non-blocking; a full queue is counted and the periodic refresh still covers it.
    (void)config_.requester->requestLookup(process::SocketTuple::fromFlow(c.key, c.localIsA));
  }
  push(ConnectionEvent{ConnectionEvent::Kind::New, track::EndReason::ForcedEnd, c.firstSeen,
                       makeRecord(tracker_, c, now_)});
}

void Worker::onClosed(const track::Connection& c, track::EndReason why, core::Timestamp when) {
  if (config_.requester != nullptr && attributable(c)) {
    (void)config_.requester->forget(process::SocketTuple::fromFlow(c.key, c.localIsA));
  }
  push(ConnectionEvent{ConnectionEvent::Kind::Closed, why, when, makeRecord(tracker_, c, when)});
}

void Worker::push(ConnectionEvent&& e) {
  // Events are never dropped: when the front end lags, the worker waits for it (a live
  // capture then backs up into the ring, where drops are counted).
  Backoff backoff(100);  // the front end drains often: don't oversleep
  while (!events_.tryPush(std::move(e))) backoff.idle();
}

std::size_t Worker::drainEvents(std::vector<ConnectionEvent>& out, std::size_t max) {
  std::size_t n = 0;
  while (n < max) {
    auto e = events_.tryPop();
    if (!e) break;
    out.push_back(std::move(*e));
    ++n;
  }
  return n;
}

}  // namespace rustnet::engine
