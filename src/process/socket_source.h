#pragma once
// Where the kernel's socket tables come from: netlink sock_diag by default, /proc/net as the
// fallback (and for fixture trees in tests). Each dump lists every TCP and UDP socket of the
// caller's network namespace, IPv4 and IPv6, with the inode that joins it to a process.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "process/types.h"

namespace rustnet::process {

struct SocketRecord {
  SocketTuple tuple;         // addresses canonicalised (v4-mapped → IPv4)
  std::uint64_t inode = 0;   // 0: no owning file (TIME_WAIT, request sockets, orphans)
  std::uint64_t cookie = 0;  // the kernel's socket cookie (sock_diag only; 0 from /proc/net)
  std::uint32_t uid = 0;
  std::uint8_t state = 0;    // kernel TCP state number (UDP reuses them: 1 connected, 7 not)
  bool listening = false;    // TCP LISTEN, or UDP without a remote endpoint
  bool dualStack = false;    // IPv6 socket that also accepts IPv4 (IPV6_V6ONLY off or unknown)
};

struct DumpResult {
  bool ok = false;
  bool truncated = false;  // stopped at kMaxSockets
  std::string error;       // why it failed, for logs and the fallback reason
};

class SocketSource {
public:
  virtual ~SocketSource() = default;
  // Replaces `out` with a fresh listing (reusing its capacity).
  virtual DumpResult dump(std::vector<SocketRecord>& out) = 0;
  [[nodiscard]] virtual Method method() const = 0;
};

// Kernel TCP state numbers (include/net/tcp_states.h), the ones the matcher cares about.
inline constexpr std::uint8_t kTcpEstablished = 1;
inline constexpr std::uint8_t kTcpTimeWait = 6;
inline constexpr std::uint8_t kTcpClose = 7;
inline constexpr std::uint8_t kTcpListen = 10;
inline constexpr std::uint8_t kTcpNewSynRecv = 12;

// /proc/net/{tcp,udp}{,6} under `procRoot` (normally "/proc").
class ProcNetSource final : public SocketSource {
public:
  explicit ProcNetSource(std::filesystem::path procRoot) : root_(std::move(procRoot)) {}
  DumpResult dump(std::vector<SocketRecord>& out) override;
  [[nodiscard]] Method method() const override { return Method::Procfs; }

private:
  std::filesystem::path root_;
};

// Parses one data line of a /proc/net/{tcp,udp}{,6} table; false for the header or a line
// that does not have the expected shape.
bool parseProcNetLine(std::string_view line, std::uint8_t proto, bool v6, SocketRecord& out);

// NETLINK_SOCK_DIAG dumps (inet_diag_req_v2) for TCP and UDP over AF_INET and AF_INET6.
class SockDiagSource final : public SocketSource {
public:
  SockDiagSource();
  ~SockDiagSource() override;
  SockDiagSource(const SockDiagSource&) = delete;
  SockDiagSource& operator=(const SockDiagSource&) = delete;

  // Opens the netlink socket and runs one probe dump; false (with the reason) when sock_diag
  // is unusable here, so the caller can fall back to /proc/net.
  bool open(std::string& error);
  DumpResult dump(std::vector<SocketRecord>& out) override;
  [[nodiscard]] Method method() const override { return Method::SockDiag; }

private:
  bool dumpOne(std::uint8_t family, std::uint8_t proto, std::vector<SocketRecord>& out,
               DumpResult& result);

  int fd_ = -1;
  std::uint32_t seq_ = 0;
  std::vector<std::uint8_t> buf_;
};

}  // namespace rustnet::process
