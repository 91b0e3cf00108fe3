#include "process/resolver.h"

#include <algorithm>
#include <chrono>

#if RUSTNET_HAVE_EBPF
#include "process/ebpf/ebpf_hints.h"
#endif

namespace rustnet::process {
namespace {

constexpr std::size_t kMaxDelta = 2048;  // results published as a delta before the base is rebuilt
constexpr core::Duration kMaintainEvery = core::Duration::seconds(10);
constexpr core::Duration kMinFullScanGap = core::Duration::seconds(1);

std::uint64_t steadyNs() {
  return static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(
                                        std::chrono::steady_clock::now().time_since_epoch())
                                        .count());
}

}  // namespace

Resolver::Resolver(AttributionConfig cfg, std::unique_ptr<SocketSource> source)
    : cfg_(std::move(cfg)), source_(std::move(source)), scanner_(cfg_.procRoot) {
#if RUSTNET_HAVE_EBPF
  if (!source_ && cfg_.backend == SocketBackend::Auto) {
    std::string error;
    hints_ = ebpf::openHints(cfg_.procRoot, error);
    if (!hints_) fallbackReason_ = "ebpf: " + error;
  }
#endif
  if (!source_ && cfg_.backend != SocketBackend::Procfs) {
    auto diag = std::make_unique<SockDiagSource>();
    std::string error;
    if (diag->open(error)) {
      source_ = std::move(diag);
    } else {
      fallbackReason_ += (fallbackReason_.empty() ? "" : "; ") + error;
    }
  }
  if (!source_) source_ = std::make_unique<ProcNetSource>(cfg_.procRoot);
  base_ = std::make_shared<const ResultTable>();
  live_ = std::make_shared<const LiveIndex>();
}

bool Resolver::request(const SocketTuple& t, core::Timestamp now) {
  if (pending_.contains(t)) return true;
  // The tuple is back as a new connection: the ended one's result must not name it.
  if (auto it = cache_.find(t); it != cache_.end() && !it->second.forgetAt.isZero()) drop(t);
  if (pending_.size() >= cfg_.maxPending) {
    ++counters_.requestsDropped;
    return false;
  }
  pending_.emplace(t, now);
  ++counters_.lookups;
  newRequests_ = true;
  return true;
}

void Resolver::forget(const SocketTuple& t, core::Timestamp now) {
  pending_.erase(t);
  auto it = cache_.find(t);
  if (it == cache_.end() || cfg_.forgetDelay <= core::Duration{} ||
      forgotten_.size() >= cfg_.maxCachedResults) {
    drop(t);
    return;
  }
  it->second.forgetAt = now + cfg_.forgetDelay;
  forgotten_.emplace_back(it->second.forgetAt, t);
}

void Resolver::drop(const SocketTuple& t) {
  if (cache_.erase(t) > 0 || base_->contains(t)) {
    delta_[t] = Attribution{};  // hides the base entry until the next rebuild
    deltaDirty_ = true;
  }
}

void Resolver::dropForgotten(core::Timestamp now) {
  while (!forgotten_.empty() && forgotten_.front().first <= now) {
    const auto [due, t] = forgotten_.front();
    forgotten_.pop_front();
    // Stored again since (the tuple came back as a new connection), or forgotten again later:
    // that later state decides.
    if (auto it = cache_.find(t); it != cache_.end() && it->second.forgetAt == due) drop(t);
  }
}

void Resolver::dumpSockets() {
  auto r = source_->dump(sockets_);
  if (!r.ok && source_->method() != Method::Procfs) {
    // sock_diag worked at start-up but not now: fall back for the rest of the run.
    ++counters_.socketSourceErrors;
    fallbackReason_ = r.error;
    source_ = std::make_unique<ProcNetSource>(cfg_.procRoot);
    r = source_->dump(sockets_);
  }
  if (!r.ok) {
    ++counters_.socketSourceErrors;
    sockets_.clear();
  }
  if (r.truncated) ++counters_.socketsTruncated;
}

bool Resolver::pendingNeedsFullScan() const {
  for (const auto& [t, first] : pending_) {
    if (live_->hasUnownedExact(t) || live_->hasUnownedExact(t.reversed())) return true;
  }
  return false;
}

void Resolver::refresh(core::Timestamp now) {
  const auto t0 = steadyNs();
  drainHints();
  dumpSockets();
  bool full = cfg_.fullScanEvery != 0 && refreshCount_ % cfg_.fullScanEvery == 0;
  ++refreshCount_;
  auto scanOnce = [&](bool f) {
    const auto st = scanner_.scan(f);
    counters_.pidsRescanned += st.pidsRescanned;
    counters_.pidsVanished += st.pidsVanished;
    counters_.processesTruncated += st.processesTruncated;
    if (f) {
      ++counters_.fullScans;
      lastFullScan_ = now;
    }
    live_ = LiveIndex::build(sockets_, scanner_, hints_.get());
  };
  scanOnce(full);
  // A requested socket exists but no fd we know of holds it: a process swapped one socket
  // for another without changing its fd count. Read every fd table once (rate-limited).
  if (!full && pendingNeedsFullScan() && now - lastFullScan_ >= kMinFullScanGap) scanOnce(true);

  resolvePending(now);
  dropForgotten(now);
  if (now - lastMaintain_ >= kMaintainEvery) maintainCache(now);
  newRequests_ = false;

  ++counters_.refreshes;
  counters_.sockets = sockets_.size();
  counters_.processes = scanner_.processCount();
  counters_.sharedInodes = scanner_.sharedInodeCount();
  counters_.lastScanNs = steadyNs() - t0;
  counters_.maxScanNs = std::max(counters_.maxScanNs, counters_.lastScanNs);
  counters_.totalScanNs += counters_.lastScanNs;
}

Attribution Resolver::matchClosed(const SocketTuple& t) const {
  Attribution a;
  if (!hints_) return a;
  std::optional<HintOwner> h;
  if ((h = hints_->closedExact(t))) {
    a.kind = MatchKind::Exact;
  } else if ((h = hints_->closedExact(t.reversed()))) {
    a.kind = MatchKind::ExactReversed;
  } else if (t.proto == core::proto::kUdp && (h = hints_->closedUdpLocal(t.local))) {
    a.kind = MatchKind::UnconnectedUdp;
  } else {
    return a;
  }
  a.process = h->process;
  a.uid = h->uid;
  a.hasUid = true;
  return a;
}

void Resolver::resolvePending(core::Timestamp now) {
  if (hints_) counters_.ebpfEventsLost = hints_->eventsLost();
  for (auto it = pending_.begin(); it != pending_.end();) {
    auto a = live_->match(it->first);
    // Nothing live: the process may have closed the socket (or exited) already.
    if (a.kind == MatchKind::None && hints_) {
      a = matchClosed(it->first);
      if (a.known()) ++counters_.resolvedFromEbpf;
    }
    if (a.known()) {
      ++counters_.hits[static_cast<std::size_t>(a.kind)];
      store(it->first, a, now);
    } else if (a.kind == MatchKind::Ambiguous) {
      ++counters_.ambiguous;
    } else if (now - it->second >= cfg_.pendingTimeout) {
      ++counters_.misses;
    } else {
      ++it;
      continue;
    }
    it = pending_.erase(it);
  }
}

void Resolver::store(const SocketTuple& t, const Attribution& a, core::Timestamp now) {
  cache_[t] = CacheEntry{a, now, {}};
  delta_[t] = a;
  deltaDirty_ = true;
  if (cache_.size() > cfg_.maxCachedResults) {
    // Drop the oldest eighth in one go so the cap is not paid for on every insert.
    std::vector<std::pair<core::Timestamp, SocketTuple>> byAge;
    byAge.reserve(cache_.size());
    for (const auto& [k, e] : cache_) byAge.emplace_back(e.confirmed, k);
    const auto drop = std::max<std::size_t>(1, cache_.size() / 8);
    std::nth_element(byAge.begin(), byAge.begin() + static_cast<std::ptrdiff_t>(drop - 1),
                     byAge.end(), [](const auto& x, const auto& y) { return x.first < y.first; });
    for (std::size_t i = 0; i < drop; ++i) cache_.erase(byAge[i].second);
    counters_.cacheEvictions += drop;
    rebuildBase();
  } else if (delta_.size() > kMaxDelta) {
    rebuildBase();
  }
}

void Resolver::maintainCache(core::Timestamp now) {
  lastMaintain_ = now;
  bool changed = false;
  for (auto it = cache_.begin(); it != cache_.end();) {
    const auto* live = live_->exact(it->first);
    if (live != nullptr && live->known() && live->process == it->second.att.process) {
      it->second.confirmed = now;
    } else if (now - it->second.confirmed >= cfg_.cacheRetention) {
      it = cache_.erase(it);
      changed = true;
      continue;
    }
    ++it;
  }
  if (changed || !delta_.empty()) rebuildBase();
}

void Resolver::rebuildBase() {
  auto base = std::make_shared<ResultTable>();
  base->reserve(cache_.size());
  for (const auto& [k, e] : cache_) base->emplace(k, e.att);
  base_ = std::move(base);
  delta_.clear();
  deltaDirty_ = true;
}

std::shared_ptr<const ProcessMap> Resolver::publish() {
  if (deltaDirty_ || !publishedDelta_) {
    publishedDelta_ = std::make_shared<const ResultTable>(delta_);
    deltaDirty_ = false;
  }
  counters_.cachedResults = cache_.size();
  return std::make_shared<const ProcessMap>(live_, base_, publishedDelta_, method(), counters_);
}

}  // namespace rustnet::process
