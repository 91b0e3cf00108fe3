#include "process/process_map.h"

#include "process/owner_hints.h"
#include "process/proc_scanner.h"

namespace rustnet::process {
namespace {

const Attribution kAmbiguous{nullptr, MatchKind::Ambiguous, 0, false};

// Whether a socket bound to `bound` (possibly a wildcard) receives traffic for `local`.
bool wildcardCovers(const core::IpAddr& bound, bool dualStack, const core::IpAddr& local) {
  if (!bound.isUnspecified()) return false;
  if (bound.isV4()) return local.isV4();
  return !local.isV4() || dualStack;
}

}  // namespace

std::shared_ptr<const LiveIndex> LiveIndex::build(const std::vector<SocketRecord>& sockets,
                                                  const ProcScanner& scanner,
                                                  const OwnerHints* hints) {
  auto idx = std::make_shared<LiveIndex>();
  idx->exact_.reserve(sockets.size());
  for (const auto& s : sockets) {
    if (s.inode == 0) continue;
    auto own = scanner.owners(s.inode);
    Attribution att;
    att.uid = s.uid;
    att.hasUid = true;
    if (own.count == 1) att.process = scanner.process(own.pid);
    // Shared after a fork, or held by a process not (yet) read: the eBPF record of who
    // created, bound, connected or sent on this very socket settles it.
    if (!att.process && hints != nullptr && s.cookie != 0) {
      if (auto h = hints->byCookie(s.cookie)) {
        att.process = h->process;
        own.count = 1;
      }
    }
    if (s.listening) {
      Bound b;
      b.addr = s.tuple.local.addr;
      b.dualStack = s.dualStack;
      b.owners = att.process ? own.count : (own.count > 1 ? own.count : 0);
      att.kind = s.tuple.proto == core::proto::kTcp ? MatchKind::Listener
                                                     : MatchKind::UnconnectedUdp;
      b.att = att;
      idx->bound_[portKey(s.tuple.proto, s.tuple.local.port)].push_back(std::move(b));
      continue;  // its tuple (remote *:0) never carries traffic: found through bound_ only
    }
    if (own.count > 1) {
      idx->exact_[s.tuple] = kAmbiguous;
    } else if (att.process) {
      att.kind = MatchKind::Exact;
      idx->exact_[s.tuple] = att;
    } else {
      idx->unowned_.insert(s.tuple);
    }
  }
  return idx;
}

const Attribution* LiveIndex::exact(const SocketTuple& t) const {
  auto it = exact_.find(t);
  return it == exact_.end() ? nullptr : &it->second;
}

bool LiveIndex::hasUnownedExact(const SocketTuple& t) const { return unowned_.contains(t); }

Attribution LiveIndex::match(const SocketTuple& t) const {
  if (const auto* a = exact(t)) return *a;
  // A socket with this tuple exists but nobody we can see holds it: guessing from the
  // listeners could name the wrong process.
  if (hasUnownedExact(t)) return {};
  const auto rev = t.reversed();
  if (const auto* a = exact(rev)) {
    Attribution r = *a;
    if (r.kind == MatchKind::Exact) r.kind = MatchKind::ExactReversed;
    return r;
  }
  if (hasUnownedExact(rev)) return {};
  return matchBound(t);
}

Attribution LiveIndex::matchBound(const SocketTuple& t) const {
  auto it = bound_.find(portKey(t.proto, t.local.port));
  if (it == bound_.end()) return {};
  // The kernel delivers to a socket bound to the exact address before a wildcard one, so
  // only when no exact-address socket exists are wildcards considered.
  for (int tier = 0; tier < 2; ++tier) {
    const Bound* chosen = nullptr;
    bool conflict = false;
    bool any = false;
    bool unknown = false;
    for (const auto& b : it->second) {
      const bool fits = tier == 0 ? b.addr == t.local.addr
                                  : wildcardCovers(b.addr, b.dualStack, t.local.addr);
      if (!fits) continue;
      any = true;
      if (b.owners > 1) {
        conflict = true;
      } else if (b.owners == 0) {
        unknown = true;
      } else if (chosen == nullptr) {
        chosen = &b;
      } else if (chosen->att.process->pid != b.att.process->pid) {
        conflict = true;  // SO_REUSEPORT across processes, or v4 and dual-stack v6 sockets
      }
    }
    if (!any) continue;
    // An owned socket next to one whose owner we cannot see is also a conflict: the kernel
    // may hand the traffic to either.
    if (conflict || (chosen != nullptr && unknown)) return kAmbiguous;
    if (chosen == nullptr) return {};
    return chosen->att;
  }
  return {};
}

const Attribution* ProcessMap::cached(const SocketTuple& t) const {
  if (delta_) {
    if (auto it = delta_->find(t); it != delta_->end())
      return it->second.kind == MatchKind::None ? nullptr : &it->second;
  }
  if (base_) {
    if (auto it = base_->find(t); it != base_->end()) return &it->second;
  }
  return nullptr;
}

Attribution ProcessMap::find(const SocketTuple& t) const {
  const Attribution* live = live_ ? live_->exact(t) : nullptr;
  if (live != nullptr && live->known()) return *live;
  // A result made when the socket had one owner outlives a later fork that shares it.
  if (const auto* c = cached(t)) return *c;
  if (live != nullptr) return *live;
  return live_ ? live_->match(t) : Attribution{};
}

}  // namespace rustnet::process
