#pragma once
// The terminal UI as one of the pump's sinks: events and snapshots go into the Controller
// (which keeps the state the pure render function draws); the loop in app.cpp redraws
// when changed() says so.
#include <memory>
#include <optional>
#include <utility>
#include <string>

#include "engine/engine.h"
#include "output/sink.h"
#include "ui/controller.h"

namespace rustnet::ui {

class UiSink final : public output::Sink {
public:
  UiSink(Controller& controller, const engine::Engine& engine) : ctl_(controller), engine_(engine) {}

  [[nodiscard]] std::string_view name() const override { return "ui"; }
  bool event(const engine::ConnectionEvent& e) override;
  void snapshot(const std::shared_ptr<const engine::Snapshot>& snap) override;
  void sourceDone(const std::optional<std::string>& error) override;

  // True once after each snapshot or the end of the source: the screen needs a redraw.
  bool takeChanged() { return std::exchange(changed_, false); }

private:
  Controller& ctl_;
  const engine::Engine& engine_;
  bool changed_ = false;
};

}  // namespace rustnet::ui
