#include "ui/ui_sink.h"

namespace rustnet::ui {

bool UiSink::event(const engine::ConnectionEvent& e) {
  engine::ConnectionEvent copy = e;  // other sinks may see the same event after this one
  ctl_.onEvent(std::move(copy));
  return true;
}

void UiSink::snapshot(const std::shared_ptr<const engine::Snapshot>& snap) {
  ctl_.setProcessMethod(engine_.processMethod());
  ctl_.setSnapshot(snap);
  ctl_.rebuild();
  changed_ = true;
}

void UiSink::sourceDone(const std::optional<std::string>& error) {
  ctl_.setSourceDone(error);
  ctl_.rebuild();
  changed_ = true;
}

}  // namespace rustnet::ui
