#pragma once
// One Inspector per connection, created by the tracker on the connection's first payload
// packet (never with --no-dpi). It probes the registry until an analyzer claims the
// payloads, runs that analyzer, and stops once the facts are final or a bound is reached.
// Cost bounds, both counted in Counters::capsHit when reached:
//  - kMaxProbePackets payload packets (both directions together) without any analyzer
//    claiming them: the connection stays Unknown and is no longer inspected;
//  - kMaxInspectedPackets payload packets in either direction while the running analyzer
//    still answers NeedMore: the facts found so far are kept, inspection stops.
// An analyzer answering Monitor is exempt from the second bound (see analyzer.h).
#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>

#include "core/cursor.h"
#include "core/time.h"
#include "dpi/analyzer.h"
#include "dpi/counters.h"
#include "dpi/facts.h"

namespace rustnet::dpi {

inline constexpr std::uint32_t kMaxProbePackets = 8;
inline constexpr std::uint32_t kMaxInspectedPackets = 24;  // per direction
// A TCP segment shorter than this that no probe claims is held back (per direction) and
// probed again joined to the next one, so that signatures split after a byte or two
// ("G" + "ET /", "SS" + "H-2.0") are still recognised.
inline constexpr std::size_t kProbeHoldBytes = 16;

// Facts shared with records are copied before an analyzer changes them; sole ownership is
// recognised by a relaxed read of the count and an acquire fence, which ThreadSanitizer
// does not model: under it every feed copies (correct, only slower).
#if defined(__SANITIZE_THREAD__)
inline constexpr bool kFactsCopiedOnEveryFeed = true;
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
inline constexpr bool kFactsCopiedOnEveryFeed = true;
#else
inline constexpr bool kFactsCopiedOnEveryFeed = false;
#endif
#else
inline constexpr bool kFactsCopiedOnEveryFeed = false;
#endif

class Inspector {
public:
  explicit Inspector(FlowInfo flow);
  ~Inspector();
  Inspector(const Inspector&) = delete;
  Inspector& operator=(const Inspector&) = delete;

  // Inspects one payload (empty payloads are ignored). `tcpSeq` is the TCP sequence number
  // of payload[0] (0 for UDP). `cut`: the message goes on beyond `payload` (the snaplen or
  // a length beyond the frame clipped the datagram). Returns true when the protocol, the
  // state or the idle timeout hint changed, so the caller re-evaluates the connection's
  // state and timeout.
  bool feed(core::Bytes payload, Direction dir, std::uint32_t tcpSeq, core::Timestamp ts,
            Counters& counters, bool cut = false);

  // True once nothing more will be learned: further feed() calls are no-ops, and the
  // caller may stop calling.
  [[nodiscard]] bool finished() const { return finished_; }
  [[nodiscard]] const Facts& facts() const { return *facts_; }
  // The facts as they are now, shared rather than copied: records made while inspection
  // runs (events, snapshots) and the connection, once inspection ends, hold these. The
  // inspector never changes facts that someone else holds: before it next feeds an
  // analyzer it copies them if they are shared (copy on write).
  [[nodiscard]] std::shared_ptr<const Facts> shareFacts() const { return facts_; }
  [[nodiscard]] const FlowInfo& flow() const { return flow_; }

private:
  void finish();
  void ownFacts();
  Verdict run(const Segment& seg, Context& ctx);
  bool pickAnalyzer(const Segment& seg);

  struct Held {
    std::array<std::uint8_t, kProbeHoldBytes> bytes{};
    std::uint8_t len = 0;
    std::uint32_t seq = 0;
  };

  FlowInfo flow_;
  std::shared_ptr<Facts> facts_;  // never null
  std::unique_ptr<Analyzer> analyzer_;  // null until a probe wins, and again once finished
  std::uint32_t rejected_ = 0;          // bit per registry entry that answered NotMine
  std::uint8_t current_ = 0;            // registry index of analyzer_
  std::uint16_t packets_[2] = {0, 0};   // payload packets fed, per Direction
  Held held_[2];                        // per Direction, while probing
  std::uint16_t probes_ = 0;
  bool monitoring_ = false;
  bool finished_ = false;
};

}  // namespace rustnet::dpi
