// How long the UI takes per frame with a large table: 100,000 connections (half with DPI
// facts, a third with a process), filtered, sorted and grouped, then rendered at 160x48.
// Prints milliseconds per frame for each step; no pass/fail threshold.
#include <fmt/format.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "dpi/tls/tls_facts.h"
#include "engine/engine.h"
#include "ui/controller.h"
#include "ui/history.h"

namespace {

using namespace rustnet;
using Clock = std::chrono::steady_clock;

constexpr std::size_t kConnections = 100'000;
constexpr int kFrames = 20;

std::shared_ptr<const engine::Snapshot> bigSnapshot() {
  auto snap = std::make_shared<engine::Snapshot>();
  snap->asOf = core::Timestamp::fromNanos(1'714'564'800LL * 1'000'000'000);
  // A few distinct DPI results shared between rows, as many connections to one site are.
  std::vector<std::shared_ptr<const dpi::Facts>> facts;
  for (const char* sni : {"github.com", "www.google.com", "example.org", "cdn.example.net", "api.example.com"}) {
    auto f = std::make_shared<dpi::Facts>();
    f->setProto(&dpi::tls::kTls);
    f->get<dpi::TlsFacts>().sni = sni;
    f->get<dpi::TlsFacts>().alpn = {"h2", "http/1.1"};
    facts.push_back(std::move(f));
  }
  snap->rows.reserve(kConnections);
  for (std::size_t i = 0; i < kConnections; ++i) {
    engine::ConnectionRecord r;
    r.id = i + 1;
    r.proto = i % 4 == 0 ? core::proto::kUdp : core::proto::kTcp;
    r.local = {core::IpAddr::v4(0xc0a80000u | static_cast<std::uint32_t>(i % 250 + 1)),
               static_cast<std::uint16_t>(30000 + i % 30000)};
    r.remote = {core::IpAddr::v4(0x0a000000u | static_cast<std::uint32_t>(i * 2654435761u % 0xffffff)),
                static_cast<std::uint16_t>(i % 3 == 0 ? 443 : 80 + i % 1000)};
    r.state = i % 7 == 0 ? track::State::TimeWait : track::State::Established;
    r.stateLabel = track::stateName(r.state);
    r.service = i % 3 == 0 ? "https" : "";
    r.firstSeen = snap->asOf - core::Duration::seconds(static_cast<std::int64_t>(i % 600));
    r.lastSeen = snap->asOf;
    r.sent = {i % 100, (i % 100) * 900};
    r.received = {i % 130, (i % 130) * 1400};
    r.rateInBps = static_cast<double>((i * 7919) % 1'000'000);
    r.rateOutBps = static_cast<double>((i * 104729) % 100'000);
    r.idleTimeout = core::Duration::seconds(300);
    if (i % 2 == 0) r.dpi = facts[i % facts.size()];
    if (i % 3 == 0) r.process = engine::ProcessInfo{static_cast<std::int32_t>(1000 + i % 200), 1000,
                                                    i % 2 == 0 ? "firefox-esr" : "curl", "", {}};
    snap->rows.push_back(std::move(r));
  }
  snap->stats.liveConnections = snap->rows.size();
  return snap;
}

template <typename Fn>
double msPerRun(Fn&& fn) {
  const auto start = Clock::now();
  for (int i = 0; i < kFrames; ++i) fn();
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count() / kFrames;
}

// The traffic history (ui/history.h) takes each snapshot once, not each frame: what one
// update costs, every row having moved since the one before (a second later), and what
// the Activity tab's list of owners costs to build.
void benchHistory(const engine::Snapshot& base) {
  engine::Snapshot snap = base;
  ui::History h;
  const auto first = Clock::now();
  h.update(snap);
  const double firstMs = std::chrono::duration<double, std::milli>(Clock::now() - first).count();
  double total = 0;
  for (int i = 0; i < kFrames; ++i) {
    snap.asOf = snap.asOf + core::Duration::seconds(1);
    for (auto& r : snap.rows) {
      r.received.bytes += 1400;
      r.sent.bytes += 900;
      r.lastSeen = snap.asOf;
    }
    const auto start = Clock::now();
    h.update(snap);
    total += std::chrono::duration<double, std::milli>(Clock::now() - start).count();
  }
  std::size_t owners = 0;
  const double list = msPerRun([&] { owners = h.owners().size(); });
  fmt::print("  history: first snapshot {:.2f} ms, update per snapshot {:.2f} ms ({} connections), {} owners listed in {:.3f} ms\n",
             firstMs, total / kFrames, h.stats().connections, owners, list);
}

}  // namespace

int main(int argc, char** argv) {
  // An argument runs only the cases whose description contains it (for profiling one).
  const std::string only = argc > 1 ? argv[1] : "";
  const auto snap = bigSnapshot();
  fmt::print("ui_bench: {} connections, {} frames each, 160x48\n", kConnections, kFrames);
  struct Case {
    const char* filter;
    const char* sortKeys;  // typed after the filter: s = next sort column
    const char* what;
  };
  const Case cases[] = {
      {"", "", "no filter, sort by down rate"},
      {"proto:tcp !state:time_wait", "", "keywords, sort by down rate"},
      {"github", "", "bare word (every field), sort by down rate"},
      {"sni:example port:443", "ssss", "DPI keyword, sort by remote address"},
      {"proto:tcp", "sssssss", "keyword, sort by application text"},
      {"", "ssssssss", "no filter, sort by process"},
      // Grouped by process (a): folded, then with every group unfolded (A = unfold all).
      {"", "a", "grouped by process, folded"},
      {"", "aA", "grouped by process, every group unfolded"},
      {"proto:tcp", "aA", "keyword, grouped, unfolded"},
  };
  for (const Case& c : cases) {
    if (!only.empty() && std::string(c.what).find(only) == std::string::npos) continue;
    ui::Controller ctl(ui::SourceInfo{"bench0", true}, ui::StoreConfig{}, c.filter);
    ctl.setSnapshot(snap);
    ctl.resize(48);
    for (const char* k = c.sortKeys; *k != '\0'; ++k) {
      if (*k == 'A') {
        // Unfolds every group line, as Right on each would.
        for (const ui::RowRef& r : ctl.view().rows) {
          if (r.group != nullptr) ctl.state().expandedGroups.insert(r.rec->id);
        }
        ctl.rebuild();
        continue;
      }
      ctl.key(ui::Key::character(static_cast<unsigned char>(*k)), 160, 48);
    }
    const double rebuild = msPerRun([&] { ctl.rebuild(); });
    const double render = msPerRun([&] {
      const ui::Frame f = ctl.render(160, 48, ui::RenderOptions{true});
      if (f.width() != 160) std::abort();
    });
    fmt::print("  {:<44} {:>7} rows  filter+sort {:7.2f} ms  render {:5.2f} ms  frame {:7.2f} ms\n", c.what,
               ctl.view().rows.size(), rebuild, render, rebuild + render);
  }
  benchHistory(*snap);
  return 0;
}
