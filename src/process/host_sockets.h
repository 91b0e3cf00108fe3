#pragma once
// This host's listening and bound sockets (TCP LISTEN, UDP bound without a remote) with the
// process holding each, for the UI's Host tab. They come from the same kernel dump as
// process attribution (sock_diag, else /proc/net) and are joined to owners by a
// ProcScanner of their own, on a small thread of their own (HostWatcher): it runs with
// files as well, where attribution is off, and it lists sockets that have no traffic yet.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/flow_key.h"
#include "process/proc_scanner.h"
#include "process/socket_source.h"
#include "process/types.h"

namespace rustnet::process {

// Named cap on the sockets listed: a host can bind a great many (the rest are counted).
inline constexpr std::size_t kMaxHostSockets = 2000;

struct HostSocket {
  std::uint8_t proto = 0;  // core::proto::kTcp or kUdp
  core::Endpoint local;
  bool dualStack = false;  // an IPv6 wildcard that also takes IPv4
  std::uint32_t uid = 0;
  std::string user;        // the uid's name; empty when it has none
  std::int32_t pid = 0;    // 0: no single known owner
  std::uint32_t owners = 0;  // distinct processes holding it (more than one: shared, pid 0)
  std::string process;     // the owner's name (raw: escape to show)
};

struct HostSockets {
  bool ok = false;
  std::string error;    // why the sockets could not be listed
  Method method = Method::Procfs;
  std::vector<HostSocket> sockets;  // ordered by protocol, port, address
  std::size_t leftOut = 0;          // beyond the cap
};

// One listing: dumps `source`, keeps the listening and bound sockets, joins them to the
// owners `scanner` knows (after a scan of its own) and keeps the first `cap` of them.
HostSockets listHostSockets(SocketSource& source, ProcScanner& scanner, bool fullScan,
                            std::size_t cap = kMaxHostSockets);

// Lists the host's sockets every `every` on its own thread and publishes each listing as an
// immutable shared_ptr; the UI thread only loads the pointer.
class HostWatcher {
public:
  explicit HostWatcher(std::filesystem::path procRoot = "/proc",
                       std::chrono::milliseconds every = std::chrono::seconds(2));
  ~HostWatcher();
  HostWatcher(const HostWatcher&) = delete;
  HostWatcher& operator=(const HostWatcher&) = delete;

  // Opens sock_diag (falling back to /proc/net, saying why) and lists once, so the first
  // snapshot is already there. Starts no thread.
  void open();
  // Opens when open() was not called, and starts the thread. Idempotent.
  void start();
  void stop();

  // The newest listing; null before open().
  [[nodiscard]] std::shared_ptr<const HostSockets> snapshot() const { return current_.load(); }

private:
  void refresh();
  void run();

  std::filesystem::path procRoot_;
  std::chrono::milliseconds every_;
  std::unique_ptr<SocketSource> source_;
  std::string fallbackReason_;
  ProcScanner scanner_;
  std::uint64_t refreshes_ = 0;
  std::atomic<std::shared_ptr<const HostSockets>> current_;
  std::mutex mutex_;  // the stop flag's, for the wait (nothing on the packet path)
  std::condition_variable wake_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace rustnet::process
