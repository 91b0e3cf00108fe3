#pragma once
// Events of a live run wait a moment before the pump hands them to any sink (pump.h): a new
// connection's owner is looked up when its first packet arrives, and is known by then.
// Files have no owners to wait for and go out at once.
#include <chrono>
#include <cstddef>
#include <deque>
#include <utility>

#include "engine/record.h"

namespace rustnet::output {

inline constexpr auto kProcessHold = std::chrono::milliseconds(150);

class EventHold {
public:
  using Clock = std::chrono::steady_clock;

  void push(engine::ConnectionEvent e, Clock::time_point now) { held_.push_back({now, std::move(e)}); }

  // Hands every event held for at least kProcessHold (every one, when `all`) to
  // `write(engine::ConnectionEvent&)`, oldest first; returns how many.
  template <typename Write>
  std::size_t release(Clock::time_point now, bool all, Write&& write) {
    std::size_t n = 0;
    while (!held_.empty() && (all || now - held_.front().arrived >= kProcessHold)) {
      write(held_.front().event);
      held_.pop_front();
      ++n;
    }
    return n;
  }

  [[nodiscard]] bool empty() const { return held_.empty(); }

private:
  struct Held {
    Clock::time_point arrived;
    engine::ConnectionEvent event;
  };
  std::deque<Held> held_;
};

}  // namespace rustnet::output
