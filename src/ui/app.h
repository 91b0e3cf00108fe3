#pragma once
// The terminal front end's loop: drains the engine's events, takes snapshots at the refresh
// interval, reads keys and redraws when something changed.
#include <atomic>
#include <functional>
#include <optional>
#include <string>

#include "engine/engine.h"
#include "ui/store.h"

namespace rustnet::ui {

struct UiConfig {
  std::string filter;      // --filter
  bool noColor = false;    // --no-color (NO_COLOR is honoured as well)
  int refreshMs = 1000;    // -r
  // History of ended connections; historyAge is ignored for files (kept to the end).
  StoreConfig store;
};

struct UiResult {
  std::optional<std::string> sourceError;  // why the source ended early, if it did
};

// What the UI thread hands on for --json-log (main writes it): every event, in order, and
// a tick on every pass of the UI loop, so that events held back can go out on time. Either
// may be empty.
struct EventLog {
  std::function<void(const engine::ConnectionEvent&)> onEvent;
  std::function<void()> onTick;
};

// Runs until the user quits (q q, Ctrl+C) or `stop` is set (SIGINT/SIGTERM). The terminal
// is restored before it returns or throws; the engine is then stopped and drained, every
// remaining event going to `log.onEvent`. Throws std::runtime_error when there is no usable
// terminal.
UiResult runUi(engine::Engine& engine, const UiConfig& config, const std::atomic<bool>& stop,
               const EventLog& log);

}  // namespace rustnet::ui
