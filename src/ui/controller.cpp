#include "ui/controller.h"

#include "ui/render.h"
#include "ui/render_parts.h"
#include "ui/view.h"

namespace rustnet::ui {

Controller::Controller(SourceInfo source, StoreConfig store, std::string initialFilter) : store_(store) {
  view_.header.source = std::move(source.name);
  view_.header.live = source.live;
  state_.filterText = std::move(initialFilter);
  filter_ = filter::Filter::parse(state_.filterText);
  appliedFilter_ = state_.filterText;
  view_.filterNotices = filter_.notices();
}

void Controller::onEvent(engine::ConnectionEvent&& e) {
  if (e.kind == engine::ConnectionEvent::Kind::Closed) {
    history_->closed(e.record, e.when, e.reason == track::EndReason::ForcedEnd);
  }
  store_.onEvent(std::move(e));
}

void Controller::setSnapshot(std::shared_ptr<const engine::Snapshot> snap) {
  if (snap) {
    view_.header.stats = snap->stats;
    view_.header.unsupportedLink = snap->unsupportedLink;
    history_->update(*snap);
  }
  store_.setSnapshot(std::move(snap));
}

void Controller::setSourceDone(const std::optional<std::string>& error) {
  view_.header.sourceDone = true;
  view_.header.sourceError = error.value_or(std::string());
}

void Controller::applyFilterText() {
  if (state_.filterText == appliedFilter_) return;
  filter_ = filter::Filter::parse(state_.filterText);
  appliedFilter_ = state_.filterText;
  view_.filterNotices = filter_.notices();
}

void Controller::rebuild() {
  applyFilterText();
  const std::vector<RowRef> all = store_.rows();
  countRows(all, view_.header);
  view_.header.historyDropped = store_.historyDropped();
  view_.header.historyCap = store_.historyCap();
  view_.now = store_.now();
  // The live rows, or with `t` the ended ones; the filter, sort and grouping apply to either.
  view_.totalRows = state_.showEnded ? view_.header.endedRows : view_.header.liveRows;
  view_.rows = filterRows(all, filter_, state_);
  view_.groups.reset();
  if (state_.grouped) {
    view_.rows = groupByProcess(view_.rows, state_, view_.groups);
  } else {
    sortRows(view_.rows, state_);
  }
  resolveSelection(state_, view_.rows, tableRows(lastHeight_));
  view_.history = history_.get();
  view_.historyStats = history_->stats();
  view_.owners = history_->owners();
  rankOwners(view_.owners, state_);
}

void Controller::resize(int height) {
  lastHeight_ = height;
  resolveSelection(state_, view_.rows, tableRows(lastHeight_));
}

Action Controller::key(const Key& k, int width, int height) {
  lastHeight_ = height;
  Action a = handleKey(state_, k, view_, width, height);
  if (a.rowsChanged) rebuild();
  return a;
}

void Controller::setMessage(std::string text, Style style) {
  state_.message = std::move(text);
  state_.messageStyle = style;
}

Frame Controller::render(int width, int height, const RenderOptions& o) const {
  return ui::render(view_, state_, width, height, o);
}

}  // namespace rustnet::ui
