#pragma once
// The terminal front end's loop: polls the pump (events, and snapshots at the refresh
// interval), reads keys and redraws when something changed.
#include <atomic>
#include <string>

#include "engine/engine.h"
#include "output/pump.h"
#include "ui/store.h"

namespace rustnet::ui {

struct UiConfig {
  std::string filter;      // --filter
  bool noColor = false;    // --no-color (NO_COLOR is honoured as well)
  bool noMouse = false;    // --no-mouse
  int refreshMs = 1000;    // -r
  // History of ended connections; historyAge is ignored for files (kept to the end).
  StoreConfig store;
};

// Runs until the user quits (q q, Ctrl+C) or `stop` is set (SIGINT/SIGTERM), feeding the
// screen from `pump` (the UI is one of its sinks). The terminal is restored before it
// returns or throws; then the run ends through pump.finish() (every remaining event and
// the summary go to the other sinks), whose result it returns. Throws std::runtime_error
// when there is no usable terminal.
output::PumpResult runUi(output::Pump& pump, const engine::Engine& engine, const UiConfig& config,
                         const std::atomic<bool>& stop);

}  // namespace rustnet::ui
