#include "ui/app.h"

#include <fmt/format.h>

#include <chrono>

#include "process/host_sockets.h"
#include "ui/clipboard.h"
#include "ui/controller.h"
#include "ui/terminal.h"
#include "ui/ui_sink.h"

namespace rustnet::ui {

namespace {

using Clock = std::chrono::steady_clock;

// Key polling period: also how often the pump runs, which keeps the workers' event queues
// from filling (workers wait for the front end rather than drop events).
constexpr int kPollMs = 20;
constexpr auto kMessageLife = std::chrono::seconds(4);

class Loop {
public:
  Loop(output::Pump& pump, const engine::Engine& e, const UiConfig& cfg, const std::atomic<bool>& stop)
      : pump_(pump),
        cfg_(cfg),
        stop_(stop),
        ctl_(SourceInfo{e.sourceName(), e.isLive()}, storeConfig(e, cfg), cfg.filter),
        sink_(ctl_, e),
        term_(TerminalOptions{.color = !cfg.noColor && !noColorRequested(), .mouse = !cfg.noMouse}) {}

  output::PumpResult run() {
    // The UI filters what it shows itself (its filter changes as the user types): it
    // takes every event.
    pump_.add(sink_);
    pump_.snapshotEvery(std::chrono::milliseconds(cfg_.refreshMs));
    // The Host tab's sockets, listed on the watcher's own thread (files included: they are
    // this host's, whatever is being read).
    host_.start();
    bool dirty = true;
    ctl_.rebuild();
    while (!stop_.load(std::memory_order_relaxed)) {
      // After the source has ended the screen only changes with keys.
      const std::size_t drained = pump_.poll();
      const auto now = Clock::now();
      dirty = sink_.takeChanged() || dirty;
      dirty = expireMessage(now) || dirty;
      if (auto h = host_.snapshot(); h != ctl_.view().host) {
        ctl_.setHostSockets(std::move(h));
        dirty = true;
      }
      if (dirty) {
        term_.draw(ctl_.render(term_.width(), term_.height(), RenderOptions{term_.unicode()}));
        dirty = false;
      }
      // A full batch means more events are waiting: do not sleep on the keyboard.
      Key k = term_.readKey(drained == output::Pump::kBatch ? 0 : kPollMs);
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

  output::PumpResult finish() {
    host_.stop();
    term_.restore();
    // Whatever the workers still hold becomes events (the run ends as at end of file);
    // the sink is still alive while they go out.
    return pump_.finish();
  }

  output::Pump& pump_;
  const UiConfig& cfg_;
  const std::atomic<bool>& stop_;
  Controller ctl_;
  UiSink sink_;
  Terminal term_;
  process::HostWatcher host_;
  std::string lastMessage_;
  Clock::time_point messageAt_;
};

}  // namespace

output::PumpResult runUi(output::Pump& pump, const engine::Engine& engine, const UiConfig& config,
                         const std::atomic<bool>& stop) {
  Loop loop(pump, engine, config, stop);
  return loop.run();
}

}  // namespace rustnet::ui
