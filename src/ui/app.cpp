#include "ui/app.h"

#include <fmt/format.h>

#include <chrono>
#include <thread>
#include <vector>

#include "ui/clipboard.h"
#include "ui/controller.h"
#include "ui/terminal.h"

namespace rustnet::ui {

namespace {

using Clock = std::chrono::steady_clock;

// How long a worker may take to answer a snapshot request before the UI takes whatever
// is newest (the previous one at worst).
constexpr auto kSnapshotLatency = std::chrono::milliseconds(30);
// Key polling period: also how often events are drained, which keeps the workers' event
// queues from filling (workers wait for the front end rather than drop events).
constexpr int kPollMs = 20;
constexpr auto kMessageLife = std::chrono::seconds(4);
constexpr std::size_t kEventBatch = 4096;

class Loop {
public:
  Loop(engine::Engine& e, const UiConfig& cfg, const std::atomic<bool>& stop, const EventLog& log)
      : engine_(e),
        cfg_(cfg),
        stop_(stop),
        log_(log),
        ctl_(SourceInfo{e.sourceName(), e.isLive()}, storeConfig(e, cfg), cfg.filter),
        term_(TerminalOptions{!cfg.noColor && !noColorRequested()}) {}

  UiResult run() {
    const auto refresh = std::chrono::milliseconds(cfg_.refreshMs);
    auto nextRequest = Clock::now();
    std::optional<Clock::time_point> takeAt;
    bool finished = false;
    bool dirty = true;
    ctl_.rebuild();
    while (!stop_.load(std::memory_order_relaxed)) {
      const std::size_t drained = drain();
      if (log_.onTick) log_.onTick();
      const auto now = Clock::now();
      if (!finished && now >= nextRequest) {
        engine_.requestSnapshot();
        takeAt = now + kSnapshotLatency;
        nextRequest = now + refresh;
      }
      if (takeAt && now >= *takeAt) {
        takeAt.reset();
        ctl_.setProcessMethod(engine_.processMethod());
        ctl_.setSnapshot(engine_.snapshot());
        ctl_.rebuild();
        dirty = true;
      }
      if (!finished && engine_.finished()) {
        // The source has ended: the workers published their last snapshot (and every event
        // is drained). From now on the screen only changes with keys.
        finished = true;
        drain();
        ctl_.setSnapshot(engine_.snapshot());
        ctl_.setSourceDone(engine_.sourceError());
        ctl_.rebuild();
        dirty = true;
      }
      dirty = expireMessage(now) || dirty;
      if (dirty) {
        term_.draw(ctl_.render(term_.width(), term_.height(), RenderOptions{term_.unicode()}));
        dirty = false;
      }
      // A full batch means more events are waiting: do not sleep on the keyboard.
      Key k = term_.readKey(drained == kEventBatch ? 0 : kPollMs);
      while (k.code != KeyCode::None) {
        if (k.code == KeyCode::Resize) ctl_.resize(term_.height());
        const Action a = ctl_.key(k, term_.width(), term_.height());
        if (a.quit) return finish();
        if (a.copy) copy(*a.copy);
        dirty = dirty || a.redraw;
        k = term_.readKey(0);
      }
    }
    return finish();
  }

private:
  static StoreConfig storeConfig(const engine::Engine& e, const UiConfig& cfg) {
    StoreConfig s = cfg.store;
    // A file is explored after its end: everything seen in it stays (up to the cap).
    if (!e.isLive()) s.historyAge = core::Duration{};
    return s;
  }

  std::size_t drain() {
    batch_.clear();
    const std::size_t n = engine_.drainEvents(batch_, kEventBatch);
    for (auto& e : batch_) {
      // Events are not joined with the process map by the workers (snapshots are).
      if (!e.record.process) engine_.joinProcess(e.record);
      if (log_.onEvent) log_.onEvent(e);
      ctl_.onEvent(std::move(e));
    }
    return n;
  }

  bool expireMessage(Clock::time_point now) {
    const std::string& m = ctl_.state().message;
    if (m != lastMessage_) {
      lastMessage_ = m;
      messageAt_ = now;
      return false;
    }
    if (m.empty() || ctl_.state().quitPending || now - messageAt_ < kMessageLife) return false;
    ctl_.clearMessage();
    lastMessage_.clear();
    return true;
  }

  void copy(const std::string& text) {
    // The text is an address we formatted ourselves: no wire bytes go to the terminal.
    term_.sendRaw(osc52(text));
    const std::string tool = copyWithTool(text);
    ctl_.setMessage(tool.empty() ? fmt::format("Copied {} (OSC 52)", text)
                                 : fmt::format("Copied {} (OSC 52 and {})", text, tool));
  }

  UiResult finish() {
    term_.restore();
    // Whatever the workers still hold becomes events (the run ends as at end of file).
    engine_.requestStop();
    while (!engine_.finished()) {
      if (drain() == 0) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    drain();
    return UiResult{engine_.sourceError()};
  }

  engine::Engine& engine_;
  const UiConfig& cfg_;
  const std::atomic<bool>& stop_;
  const EventLog& log_;
  Controller ctl_;
  Terminal term_;
  std::vector<engine::ConnectionEvent> batch_;
  std::string lastMessage_;
  Clock::time_point messageAt_;
};

}  // namespace

UiResult runUi(engine::Engine& engine, const UiConfig& config, const std::atomic<bool>& stop,
               const EventLog& log) {
  Loop loop(engine, config, stop, log);
  return loop.run();
}

}  // namespace rustnet::ui
