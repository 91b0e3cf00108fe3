#pragma once
// Ownership evidence from outside /proc (the eBPF backend): which process created, bound,
// connected or sent on a socket, and which process held a socket that is already closed.
// Consulted where procfs alone cannot answer: sockets whose holder we cannot see or that
// several processes share, and connections whose process and socket are already gone.
#include <cstdint>
#include <memory>
#include <optional>

#include "process/types.h"

namespace rustnet::process {

struct HintOwner {
  std::shared_ptr<const ProcessInfo> process;
  std::uint32_t uid = 0;
};

class OwnerHints {
public:
  virtual ~OwnerHints() = default;
  // A descriptor that becomes readable when events wait (for poll()); -1 when none.
  [[nodiscard]] virtual int waitFd() const = 0;
  // Consumes waiting events. Called on the attribution thread only.
  virtual void drain() = 0;
  // The one process that used the live socket with this cookie (sock_diag's idiag_cookie);
  // nullopt when unknown or when several processes did.
  [[nodiscard]] virtual std::optional<HintOwner> byCookie(std::uint64_t cookie) const = 0;
  // A recently closed socket with exactly this tuple.
  [[nodiscard]] virtual std::optional<HintOwner> closedExact(const SocketTuple& t) const = 0;
  // A recently closed unconnected UDP socket bound to this local endpoint (or a wildcard).
  [[nodiscard]] virtual std::optional<HintOwner> closedUdpLocal(const core::Endpoint& local) const = 0;
  [[nodiscard]] virtual std::uint64_t eventsLost() const = 0;
};

}  // namespace rustnet::process
