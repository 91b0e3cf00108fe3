#include "ui/controller.h"

#include <algorithm>
#include <unordered_map>

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
    countEnded(e.record);
  }
  store_.onEvent(std::move(e));
}

void Controller::setSnapshot(std::shared_ptr<const engine::Snapshot> snap) {
  if (snap) {
    view_.header.stats = snap->stats;
    view_.header.unsupportedLink = snap->unsupportedLink;
    history_->update(*snap);
  }
  const bool fresh = snap != nullptr;
  store_.setSnapshot(std::move(snap));
  if (fresh) {
    // The run's totals: every open row (those known to have ended are left out by rows())
    // plus what the ended ones carried.
    std::uint64_t in = endedIn_;
    std::uint64_t out = endedOut_;
    core::Timestamp first = store_.snapshot()->asOf;  // the first packet's time, for the first point
    for (const RowRef& r : store_.rows()) {
      if (r.rec->firstSeen.ns > 0) first = std::min(first, r.rec->firstSeen);
      if (r.end != nullptr) continue;
      in += r.rec->received.bytes;
      out += r.rec->sent.bytes;
    }
    view_.graph.series.observe(store_.snapshot()->asOf, in, out, first);
  }
}

void Controller::setHostSockets(std::shared_ptr<const process::HostSockets> host) {
  view_.host = std::move(host);
  countHostConnections(store_.rows());
}

void Controller::countEnded(const engine::ConnectionRecord& r) {
  endedIn_ += r.received.bytes;
  endedOut_ += r.sent.bytes;
}

void Controller::buildGraphPanels(const std::vector<RowRef>& all) {
  std::unordered_map<std::string_view, AppShare> apps;
  std::unordered_map<std::string_view, std::uint64_t> states;
  for (const RowRef& row : all) {
    const engine::ConnectionRecord& r = *row.rec;
    std::string_view name = r.dpi ? dpi::appProtoName(r.dpi->proto()) : std::string_view();
    if (name.empty()) name = "other";
    AppShare& a = apps[name];
    ++a.connections;
    a.bytes += r.sent.bytes + r.received.bytes;
    if (r.proto == core::proto::kTcp && !row.gone() && !r.stateLabel.empty()) ++states[r.stateLabel];
  }
  view_.graph.apps.clear();
  for (auto& [name, a] : apps) {
    a.name = std::string(name);
    view_.graph.apps.push_back(std::move(a));
  }
  std::sort(view_.graph.apps.begin(), view_.graph.apps.end(), [](const AppShare& x, const AppShare& y) {
    if (x.bytes != y.bytes) return x.bytes > y.bytes;
    return x.name < y.name;
  });
  view_.graph.tcpStates.clear();
  for (const auto& [name, n] : states) view_.graph.tcpStates.push_back({name, n});
  std::sort(view_.graph.tcpStates.begin(), view_.graph.tcpStates.end(), [](const StateCount& x, const StateCount& y) {
    if (x.count != y.count) return x.count > y.count;
    return x.name < y.name;
  });
}

void Controller::countHostConnections(const std::vector<RowRef>& all) {
  view_.hostConnections.clear();
  if (!view_.host) return;
  // The rows' local addresses by protocol and local port.
  std::unordered_map<std::uint32_t, std::vector<const core::IpAddr*>> byPort;
  for (const RowRef& row : all) {
    const engine::ConnectionRecord& r = *row.rec;
    if (r.proto != core::proto::kTcp && r.proto != core::proto::kUdp) continue;
    byPort[(std::uint32_t{r.proto} << 16) | r.local.port].push_back(&r.local.addr);
  }
  for (const process::HostSocket& h : view_.host->sockets) {
    std::uint32_t n = 0;
    if (auto it = byPort.find((std::uint32_t{h.proto} << 16) | h.local.port); it != byPort.end()) {
      const bool any = h.local.addr.isUnspecified();
      for (const core::IpAddr* a : it->second) {
        // A wildcard takes its own family, and IPv4 too when it is a dual-stack IPv6 one.
        if (any ? (a->isV4() == h.local.addr.isV4() || h.dualStack) : *a == h.local.addr) ++n;
      }
    }
    view_.hostConnections.push_back(n);
  }
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
  buildGraphPanels(all);
  countHostConnections(all);
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
