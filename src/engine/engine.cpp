#include "engine/engine.h"

#include <malloc.h>

#include <algorithm>
#include <chrono>
#include <mutex>
#include <span>
#include <thread>

#include "core/thread_info.h"
#include "engine/fragment_table.h"
#include "engine/packet_record.h"
#include "engine/shard.h"
#include "engine/worker.h"

namespace rustnet::engine {

namespace {
constexpr auto kTickInterval = std::chrono::milliseconds(100);
constexpr auto kStatsInterval = std::chrono::milliseconds(500);

int resolveWorkers(int requested) {
  if (requested >= 0) return requested;
  const int cores = static_cast<int>(std::thread::hardware_concurrency());
  return std::max(1, cores - 1);
}

constexpr std::size_t kLiveRingBytes = 32u << 20;
constexpr std::size_t kFileRingBytes = 2u << 20;

std::size_t ringBytesFor(bool live, std::size_t requested) {
  if (requested != 0) return requested;
  return live ? kLiveRingBytes : kFileRingBytes;
}

void joinWith(const process::ProcessMap& map, ConnectionRecord& r) {
  if (r.proto != core::proto::kTcp && r.proto != core::proto::kUdp) return;
  const process::Attribution a = map.find(process::SocketTuple::make(r.proto, r.local, r.remote));
  if (!a.known()) return;
  ProcessInfo p;
  p.pid = a.process->pid;
  p.name = a.process->name;
  p.executable = a.process->executable;
  p.uid = a.hasUid ? static_cast<std::int64_t>(a.uid) : -1;
  p.match = process::matchKindName(a.kind);
  r.process = std::move(p);
}

// Records cross threads: a worker allocates a connection's facts, the front end frees the
// last reference. With glibc's per-thread arenas every such free locks the worker's arena
// and the arenas' heaps grow and shrink by mprotect in turn (on the bench capture: 11,000
// futex and 8,500 mprotect calls, a tenth of the run). Small allocations are served by the
// per-thread caches either way, so one arena costs no contention worth measuring.
void configureAllocator() {
#ifdef __GLIBC__
  static std::once_flag once;
  std::call_once(once, [] { (void)mallopt(M_ARENA_MAX, 1); });
#endif
}

void waitBriefly(int& spins) {
  if (++spins < 64) {
    std::this_thread::yield();
  } else {
    std::this_thread::sleep_for(std::chrono::microseconds(100));
  }
}
}  // namespace

// Runs on the capture thread: hands each frame to its worker (or processes it inline).
class Engine::Dispatcher final : public capture::FrameSink {
public:
  explicit Dispatcher(Engine& e) : e_(e) {}

  void onFrame(const capture::Frame& f) override {
    ++seen_;
    if (f.ts > lastTs_) lastTs_ = f.ts;
    // Decoded once, here: the shard needs the addresses, and the worker (the busier thread)
    // then starts from the result.
    const decode::Status st = decode::decode(f.linkType, f.data, f.wireLen, f.ts, scratch_);
    if (st == decode::Status::Unsupported && !sawUnsupported_) {
      sawUnsupported_ = true;  // named once, in the run's warning (counted by the workers)
      e_.unsupportedDataLink_.store(f.dataLink, std::memory_order_relaxed);
    }
    // Fragments take their first fragment's ports here, before the shard is chosen, so
    // that a datagram's frames all reach the worker that holds its connection.
    fragments_.expire(f.ts);
    std::span<const FragmentTable::Late> late;
    if (scratch_.fragmented) late = fragments_.observe(st, scratch_);
    // A tunnelled frame is two connections' packet: the carrying flow's (to its own shard)
    // and the inner packet's.
    bool ringFull = false;
    if (decode::hasOuterFlow(st, scratch_)) {
      decode::outerView(scratch_, outer_);
      ringFull = !deliver(decode::Status::Ok, outer_);
    }
    ringFull = !deliver(st, scratch_) || ringFull;
    if (ringFull) ++ourDropped_;  // once per frame, even when both of its records were lost
    // Records the fragment table completed late belong to earlier frames: each lost one is
    // a frame's worth of its connection lost.
    for (const FragmentTable::Late& l : late) {
      if (!deliver(l.status, l.view)) ++ourDropped_;
    }
    if (e_.inlineMode_) return;
    const std::size_t n = e_.workers_.size();
    // Files: every shard follows the same packet clock, so that expiry does not depend on
    // how many workers there are (a quiet shard would otherwise keep stale connections).
    if (!e_.live_ && n > 1 && lastTs_.ns / kFileTickNs != lastTickTs_.ns / kFileTickNs) {
      lastTickTs_ = lastTs_;
      broadcast(RecordKind::Tick, lastTs_, false);
    }
  }

  // Hands one decoded view to its worker: inline, or through the shard's ring. False when
  // a live capture's ring was full (the caller counts the frame as dropped).
  bool deliver(decode::Status st, const decode::PacketView& view) {
    if (e_.inlineMode_) {
      e_.workers_[0]->onDecoded(st, view);
      return true;
    }
    const std::size_t n = e_.workers_.size();
    const std::size_t shard = n > 1 ? static_cast<std::size_t>(shardHash(st, view) % n) : 0;
    FrameRing& ring = e_.workers_[shard]->ring();
    const core::Bytes payload = recordPayload(st, view);
    if (sizeof(PacketHead) + payload.size() > ring.maxRecord()) {
      ++oversize_;  // only an inner view has a payload, so a frame is counted once
      return true;
    }
    packHead(st, view, head_);
    int spins = 0;
    while (!ring.tryWrite(RecordKind::Packet, view.ts, view.wireLen, headBytes(head_), payload)) {
      // Never stall a live capture: the kernel would drop instead, unseen.
      if (e_.live_) return false;
      ring.publish();
      waitBriefly(spins);
    }
    return true;
  }

  [[nodiscard]] core::Timestamp lastTs() const { return lastTs_; }

  // End of the run: fragments still waiting for their first fragment never get it.
  void finishFragments() { fragments_.finish(); }

  // Sends a control record to every worker, waiting for room.
  void broadcast(RecordKind kind, core::Timestamp ts, bool mayDrop) {
    for (auto& w : e_.workers_) {
      if (e_.inlineMode_) {
        w->handle(RecordView{kind, ts, 0, {}});
        continue;
      }
      FrameRing& ring = w->ring();
      int spins = 0;
      while (!ring.tryWrite(kind, ts, 0, {})) {
        if (mayDrop) break;
        ring.publish();
        waitBriefly(spins);
      }
      ring.publish();
    }
  }

  void publish() {
    if (e_.inlineMode_) {
      e_.workers_[0]->serviceSnapshotRequest();
    } else {
      for (auto& w : e_.workers_) w->ring().publish();
    }
    e_.seen_.store(seen_, std::memory_order_relaxed);
    e_.ourDropped_.store(ourDropped_, std::memory_order_relaxed);
    e_.oversize_.store(oversize_, std::memory_order_relaxed);
    const FragmentCounters& fc = fragments_.counters();
    const std::array<std::uint64_t, 5> fv = {fc.first, fc.credited, fc.unmatched, fc.tableFull,
                                             fc.reassembled};
    for (std::size_t i = 0; i < fv.size(); ++i) {
      e_.fragments_[i].store(fv[i], std::memory_order_relaxed);
    }
  }

private:
  Engine& e_;
  decode::PacketView scratch_;
  decode::PacketView outer_;  // the carrying flow of a tunnelled frame
  PacketHead head_;
  FragmentTable fragments_;
  static constexpr std::int64_t kFileTickNs = 1'000'000'000;
  core::Timestamp lastTs_;
  core::Timestamp lastTickTs_;
  std::uint64_t seen_ = 0;
  std::uint64_t ourDropped_ = 0;
  std::uint64_t oversize_ = 0;
  bool sawUnsupported_ = false;
};

Engine::Engine(EngineConfig config) : config_(std::move(config)) {
  configureAllocator();  // before any thread of ours starts
  if (!config_.readFile.empty()) {
    source_ = capture::openFile(config_.readFile, config_.live.bpfFilter);
  } else {
    source_ = capture::openLive(config_.live);
  }
  sourceName_ = source_->name();
  live_ = source_->isLive();
  linkType_ = source_->linkType();

  if (live_ && config_.attributeProcesses) {
    attributor_ = std::make_unique<process::Attributor>(config_.attribution);
  }

  const int n = resolveWorkers(config_.workers);
  inlineMode_ = (n == 0);
  const std::size_t shards = inlineMode_ ? 1 : static_cast<std::size_t>(n);
  for (std::size_t i = 0; i < shards; ++i) {
    WorkerConfig wc;
    wc.live = live_;
    wc.tracker = config_.tracker;
    wc.tracker.maxConnections = std::max<std::size_t>(1, config_.tracker.maxConnections / shards);
    wc.tracker.idBase = i + 1;
    wc.tracker.idStride = shards;
    wc.index = i;
    wc.inlined = inlineMode_;
    wc.ringBytes = inlineMode_ ? 4096 : ringBytesFor(live_, config_.ringBytesPerWorker);
    if (attributor_) wc.requester = &attributor_->addRequester();
    workers_.push_back(std::make_unique<Worker>(std::move(wc)));
  }
  dispatcher_ = std::make_unique<Dispatcher>(*this);
  // Last of the open step: the attribution's sockets (sock_diag, eBPF) and its first scan.
  if (attributor_) attributor_->open();
}

Engine::~Engine() {
  requestStop();
  if (captureThread_.joinable()) {
    // Keep draining so that workers blocked on a full event queue can finish.
    std::vector<ConnectionEvent> sink;
    while (!finished()) {
      sink.clear();
      drainEvents(sink);
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    captureThread_.join();
  }
  for (auto& t : workerThreads_) {
    if (t.joinable()) t.join();
  }
  if (attributor_) attributor_->stop();
}

void Engine::start() {
  if (started_) return;
  started_ = true;
  if (attributor_) attributor_->start();  // opened already: this only starts its thread
  if (!inlineMode_) {
    for (auto& w : workers_) workerThreads_.emplace_back([wp = w.get()] { wp->run(); });
  }
  captureThread_ = std::thread([this] { captureLoop(); });
}

void Engine::requestStop() {
  if (!stopRequested_.exchange(true) && source_) source_->breakLoop();
}

void Engine::captureLoop() {
  core::nameThisThread("rustnet-capture");
  using Clock = std::chrono::steady_clock;
  auto lastTick = Clock::now();
  auto lastStats = Clock::now();
  core::SystemClock wall;
  for (;;) {
    capture::ReadStatus st = capture::ReadStatus::Stopped;
    if (!stopRequested_.load(std::memory_order_relaxed)) {
      st = source_->dispatch(config_.dispatchBatch, *dispatcher_);
    }
    dispatcher_->publish();
    const auto now = Clock::now();
    if (live_ && now - lastTick >= kTickInterval) {
      dispatcher_->broadcast(RecordKind::Tick, wall.now(), /*mayDrop=*/true);
      lastTick = now;
    }
    if (now - lastStats >= kStatsInterval) {
      publishCaptureStats();
      lastStats = now;
    }
    if (st == capture::ReadStatus::Ok) continue;
    if (st == capture::ReadStatus::Error) sourceError_ = source_->lastError();
    break;
  }
  publishCaptureStats();
  dispatcher_->finishFragments();
  // Files end at their last packet's time; live runs end now.
  dispatcher_->broadcast(RecordKind::Finish, live_ ? wall.now() : dispatcher_->lastTs(), false);
  dispatcher_->publish();
  captureUsage_ = core::thisThreadUsage();
  captureDone_.store(true, std::memory_order_release);
}

StageUsage Engine::stageUsage() const {
  StageUsage t;
  if (!captureDone_.load(std::memory_order_acquire)) return t;
  t.capture = captureUsage_;
  if (!inlineMode_) {
    for (const auto& w : workers_) t.workers.push_back(w->usage());
  }
  return t;
}

void Engine::publishCaptureStats() {
  const capture::CaptureStats s = source_->stats();
  kernelDropped_.store(s.kernelDropped, std::memory_order_relaxed);
  ifaceDropped_.store(s.ifaceDropped, std::memory_order_relaxed);
}

std::size_t Engine::drainEvents(std::vector<ConnectionEvent>& out, std::size_t max) {
  std::size_t n = 0;
  for (auto& w : workers_) {
    if (n >= max) break;
    n += w->drainEvents(out, max - n);
  }
  return n;
}

bool Engine::finished() const {
  if (!captureDone_.load(std::memory_order_acquire)) return false;
  return std::all_of(workers_.begin(), workers_.end(),
                     [](const auto& w) { return w->finished() && !w->hasPendingEvents(); });
}

void Engine::requestSnapshot() {
  for (auto& w : workers_) w->requestSnapshot();
}

std::shared_ptr<const Snapshot> Engine::snapshot() const {
  auto merged = std::make_shared<Snapshot>();
  std::size_t total = 0;
  std::vector<std::shared_ptr<const WorkerSnapshot>> parts;
  for (const auto& w : workers_) {
    parts.push_back(w->takeSnapshot());
    if (parts.back()) total += parts.back()->rows.size();
  }
  merged->rows.reserve(total);
  for (const auto& p : parts) {
    if (!p) continue;
    merged->asOf = std::max(merged->asOf, p->asOf);
    merged->rows.insert(merged->rows.end(), p->rows.begin(), p->rows.end());
    merged->stats.decode += p->decode;
    merged->stats.tracker += p->tracker;
    merged->stats.dpi += p->dpi;
  }
  merged->stats.liveConnections = merged->rows.size();
  if (attributor_) {
    // One map for the whole merge: every row is joined against the same moment.
    const auto map = attributor_->snapshot();
    for (auto& r : merged->rows) joinWith(*map, r);
  }
  merged->stats.capture.seen = seen_.load(std::memory_order_relaxed);
  merged->stats.capture.ourDropped = ourDropped_.load(std::memory_order_relaxed);
  merged->stats.capture.oversize = oversize_.load(std::memory_order_relaxed);
  merged->stats.capture.kernelDropped = kernelDropped_.load(std::memory_order_relaxed);
  merged->stats.capture.ifaceDropped = ifaceDropped_.load(std::memory_order_relaxed);
  merged->unsupportedLink = unsupportedLink();
  merged->stats.capture.fragmentsFirst = fragments_[0].load(std::memory_order_relaxed);
  merged->stats.capture.fragmentsCredited = fragments_[1].load(std::memory_order_relaxed);
  merged->stats.capture.fragmentsUnmatched = fragments_[2].load(std::memory_order_relaxed);
  merged->stats.capture.fragmentsTableFull = fragments_[3].load(std::memory_order_relaxed);
  merged->stats.capture.fragmentsReassembled = fragments_[4].load(std::memory_order_relaxed);
  return merged;
}

EngineStats Engine::stats() const { return snapshot()->stats; }

void Engine::joinProcess(ConnectionRecord& r) const {
  if (attributor_) joinWith(*attributor_->snapshot(), r);
}

std::string Engine::processMethod() const {
  return attributor_ ? std::string(attributor_->activeMethodName()) : std::string("off");
}

std::string Engine::processFallbackReason() const {
  return attributor_ ? attributor_->fallbackReason() : std::string{};
}

std::optional<process::Counters> Engine::processCounters() const {
  if (!attributor_) return std::nullopt;
  return attributor_->counters();
}

std::string Engine::unsupportedLink() const {
  const int dlt = unsupportedDataLink_.load(std::memory_order_relaxed);
  if (dlt == kNoDataLink) return {};
  if (dlt < 0) return "unknown";
  const std::string name = capture::dataLinkName(dlt);
  return name.starts_with("DLT ") ? name : name + ", DLT " + std::to_string(dlt);
}

std::optional<std::string> Engine::sourceError() const {
  if (!captureDone_.load(std::memory_order_acquire)) return std::nullopt;
  return sourceError_;
}

}  // namespace rustnet::engine
