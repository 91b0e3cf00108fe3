#include "dpi/inspector.h"

#include "dpi/registry.h"

#include <algorithm>
#include <atomic>
#include <vector>

namespace rustnet::dpi {

Inspector::Inspector(FlowInfo flow) : flow_(flow), facts_(std::make_shared<Facts>()) {}
Inspector::~Inspector() = default;

void Inspector::ownFacts() {
  if (kFactsCopiedOnEveryFeed || facts_.use_count() > 1) {
    // A record made since the last packet still holds them (the front end may be reading
    // them on its thread): the analyzer writes into a copy from here on.
    facts_ = std::make_shared<Facts>(*facts_);
  } else {
    // Sole owner: every other holder has let go, and their release (a release decrement
    // of the count that the load above saw) happens before what the analyzer writes now.
    std::atomic_thread_fence(std::memory_order_acquire);
  }
}

void Inspector::finish() {
  finished_ = true;
  analyzer_.reset();  // only the facts stay with the connection
}

bool Inspector::pickAnalyzer(const Segment& seg) {
  const auto table = analyzers();
  Confidence best = Confidence::None;
  std::size_t bestIndex = 0;
  for (std::size_t i = 0; i < table.size(); ++i) {
    if ((rejected_ & (1u << i)) != 0 || !table[i]->appliesTo(flow_.transport)) continue;
    const Confidence c = table[i]->probe(flow_, seg);
    if (c > best) {
      best = c;
      bestIndex = i;
    }
  }
  if (best == Confidence::None) return false;
  analyzer_ = table[bestIndex]->create(flow_);
  current_ = static_cast<std::uint8_t>(bestIndex);
  return analyzer_ != nullptr;
}

Verdict Inspector::run(const Segment& seg, Context& ctx) {
  // A withdrawn analyzer hands the same payload to the next most confident one; the
  // rejected bit per entry bounds this loop by the size of the registry.
  while (true) {
    if (!analyzer_ && !pickAnalyzer(seg)) return Verdict::NeedMore;
    const Verdict v = analyzer_->feed(seg, ctx);
    if (v != Verdict::NotMine) return v;
    ++ctx.counters.notMine;
    rejected_ |= 1u << current_;
    analyzer_.reset();
    // Facts already set cannot be withdrawn: treat a late NotMine as the end.
    if (facts_->proto() != nullptr) return Verdict::Done;
  }
}

bool Inspector::feed(core::Bytes payload, Direction dir, std::uint32_t tcpSeq,
                     core::Timestamp ts, Counters& counters, bool cut) {
  if (finished_ || payload.empty()) return false;
  ownFacts();
  if (packets_[0] == 0 && packets_[1] == 0 && probes_ == 0) ++counters.inspectors;
  ++counters.packetsInspected;
  counters.bytesInspected += payload.size();
  auto& n = packets_[static_cast<std::size_t>(dir)];
  if (n < UINT16_MAX) ++n;

  const AppProto protoBefore = facts_->proto();
  const AppState stateBefore = facts_->state();
  const auto hintBefore = facts_->idleTimeoutHint();

  Segment seg{payload, dir, tcpSeq, cut};
  Context ctx{*facts_, counters, flow_, ts};
  const bool probing = analyzer_ == nullptr;
  std::vector<std::uint8_t> joined;  // only when a tiny first segment was held back
  Held& held = held_[static_cast<std::size_t>(dir)];
  if (probing) {
    ++probes_;
    if (held.len > 0 && flow_.transport == Transport::Tcp && tcpSeq == held.seq + held.len) {
      joined.assign(held.bytes.begin(), held.bytes.begin() + held.len);
      joined.insert(joined.end(), payload.begin(), payload.end());
      seg = Segment{joined, dir, held.seq, cut};
    }
    held.len = 0;
  }
  const Verdict v = run(seg, ctx);
  if (probing && !analyzer_ && facts_->proto() == nullptr &&
      flow_.transport == Transport::Tcp && seg.data.size() < kProbeHoldBytes) {
    // Too short to recognise ("G", "SS"): keep it to probe together with the next segment.
    std::copy(seg.data.begin(), seg.data.end(), held.bytes.begin());
    held.len = static_cast<std::uint8_t>(seg.data.size());
    held.seq = seg.tcpSeq;
  }

  switch (v) {
    case Verdict::Done: finish(); break;
    case Verdict::Malformed:
      ++counters.malformed;
      finish();
      break;
    case Verdict::Monitor: monitoring_ = true; break;
    case Verdict::Tunnel:
      facts_->openTunnel();
      analyzer_.reset();
      rejected_ = 0;
      probes_ = 0;
      break;
    case Verdict::NeedMore:
    case Verdict::NotMine:
      if (!analyzer_) {
        if (probes_ >= kMaxProbePackets) {
          counters.capHit(Cap::ProbePackets);
          finish();
        }
      } else if (!monitoring_ && n >= kMaxInspectedPackets) {
        counters.capHit(Cap::InspectedPackets);
        finish();
      }
      break;
  }

  if (protoBefore == nullptr && facts_->proto() != nullptr) {
    counters.hit(facts_->proto());
  }
  if (finished_ && facts_->proto() == nullptr) ++counters.unidentified;
  return facts_->proto() != protoBefore || facts_->state() != stateBefore ||
         facts_->idleTimeoutHint() != hintBefore;
}

}  // namespace rustnet::dpi
