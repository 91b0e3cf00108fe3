#pragma once
// Feeds hand-built conversations through a dpi::Inspector the way the tracker does: one
// payload per call, TCP sequence numbers kept per direction, and optionally one message
// split into two segments or several messages coalesced into one.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "dpi/analyzer.h"
#include "dpi/counters.h"
#include "dpi/inspector.h"

namespace rustnet::test {

using Payload = std::vector<std::uint8_t>;

struct Msg {
  dpi::Direction dir;
  Payload bytes;
};

inline Msg out(Payload b) { return {dpi::Direction::Outbound, std::move(b)}; }
inline Msg in(Payload b) { return {dpi::Direction::Inbound, std::move(b)}; }
inline Payload bytesOf(const std::string& s) { return Payload(s.begin(), s.end()); }
inline Payload concat(Payload a, const Payload& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

inline dpi::FlowInfo tcpFlow(std::uint16_t localPort = 40000, std::uint16_t remotePort = 80) {
  return {dpi::Transport::Tcp, localPort, remotePort, true};
}
inline dpi::FlowInfo udpFlow(std::uint16_t localPort = 40000, std::uint16_t remotePort = 53) {
  return {dpi::Transport::Udp, localPort, remotePort, true};
}

class Conversation {
public:
  explicit Conversation(dpi::FlowInfo flow) : inspector_(std::make_unique<dpi::Inspector>(flow)) {}

  // One segment; returns what Inspector::feed returned.
  bool send(dpi::Direction dir, const Payload& p) {
    auto& seq = seq_[static_cast<std::size_t>(dir)];
    const bool changed = inspector_->feed(p, dir, seq, core::Timestamp::fromNanos(++clock_),
                                          counters_);
    seq += static_cast<std::uint32_t>(p.size());
    return changed;
  }
  // A UDP datagram cut short on the wire (snaplen, or a length beyond the frame).
  void sendCut(dpi::Direction dir, const Payload& p) {
    inspector_->feed(p, dir, 0, core::Timestamp::fromNanos(++clock_), counters_, true);
  }
  // Re-sends bytes already sent (a retransmission): same sequence numbers.
  void resend(dpi::Direction dir, const Payload& p, std::uint32_t offsetBack) {
    auto seq = seq_[static_cast<std::size_t>(dir)] - offsetBack;
    inspector_->feed(p, dir, seq, core::Timestamp::fromNanos(++clock_), counters_);
  }
  void send(const Msg& m) { send(m.dir, m.bytes); }
  // Sends `m` as two segments cut at `at` (0 < at < size).
  void sendSplit(const Msg& m, std::size_t at) {
    send(m.dir, Payload(m.bytes.begin(), m.bytes.begin() + static_cast<std::ptrdiff_t>(at)));
    send(m.dir, Payload(m.bytes.begin() + static_cast<std::ptrdiff_t>(at), m.bytes.end()));
  }
  void sendAll(const std::vector<Msg>& msgs) {
    for (const auto& m : msgs) send(m);
  }
  // Sends every message whole except msgs[index], split at `at`.
  void sendAllSplitting(const std::vector<Msg>& msgs, std::size_t index, std::size_t at) {
    for (std::size_t i = 0; i < msgs.size(); ++i) {
      if (i == index) {
        sendSplit(msgs[i], at);
      } else {
        send(msgs[i]);
      }
    }
  }

  [[nodiscard]] const dpi::Facts& facts() const { return inspector_->facts(); }
  [[nodiscard]] const dpi::Inspector& inspector() const { return *inspector_; }
  [[nodiscard]] const dpi::Counters& counters() const { return counters_; }

private:
  std::unique_ptr<dpi::Inspector> inspector_;
  dpi::Counters counters_;
  std::uint32_t seq_[2] = {1000, 0xfffffff0u};  // the inbound side wraps around
  std::int64_t clock_ = 0;
};

}  // namespace rustnet::test
