#pragma once
// Socket inode → owning pid(s), read from /proc/<pid>/fd and kept incrementally.
//
// Change detection: a process's fd table is re-read only when it is new, or when the
// signature of its /proc/<pid>/fd directory changed: the directory's inode number (a new
// process reusing the pid gets a new procfs inode), its size (since Linux 6.2 procfs reports
// the number of open fds there; in fixture trees on tmpfs it grows with the entries) and its
// mtime (fixture trees). Limit: a process that closes one socket and opens another between
// two refreshes keeps the same count and is missed until the next full scan, which the
// caller asks for periodically and whenever a requested socket's inode has no owner.
#include <cstdint>
#include <ctime>
#include <filesystem>
#include <functional>
#include <memory>
#include <unordered_map>
#include <vector>

#include "process/types.h"

namespace rustnet::process {

struct ScanStats {
  std::uint64_t pidsListed = 0;
  std::uint64_t pidsRescanned = 0;
  std::uint64_t pidsVanished = 0;
  std::uint64_t processesTruncated = 0;
  bool full = false;
};

struct InodeOwners {
  std::int32_t pid = 0;  // the only owner when count == 1
  std::uint32_t count = 0;
};

class ProcScanner {
public:
  explicit ProcScanner(std::filesystem::path procRoot);

  // Brings the map up to date: new processes and changed fd tables (or every process when
  // `full`) are read; processes that exited are forgotten.
  ScanStats scan(bool full);

  [[nodiscard]] InodeOwners owners(std::uint64_t inode) const;
  // What is known about a pid that owns at least one socket; null otherwise.
  [[nodiscard]] std::shared_ptr<const ProcessInfo> process(std::int32_t pid) const;
  [[nodiscard]] std::size_t processCount() const { return procs_.size(); }
  [[nodiscard]] std::size_t sharedInodeCount() const;

  // Tests: called with each pid just before its fd table is read, so a fixture can make a
  // process vanish in the middle of a scan.
  void setBeforeReadHook(std::function<void(std::int32_t)> hook) { beforeRead_ = std::move(hook); }

private:
  struct FdSignature {
    std::uint64_t ino = 0;
    std::int64_t size = 0;
    std::int64_t mtimeNs = 0;
    friend bool operator==(const FdSignature&, const FdSignature&) = default;
  };
  struct Proc {
    FdSignature sig;
    std::vector<std::uint64_t> inodes;  // sorted, unique
    std::shared_ptr<const ProcessInfo> info;
    std::uint64_t generation = 0;
  };
  enum class ReadResult { Ok, Vanished, Unreadable };

  ReadResult readProcess(std::int32_t pid, const FdSignature& sig, Proc& p);
  std::shared_ptr<const ProcessInfo> readInfo(std::int32_t pid,
                                              const std::shared_ptr<const ProcessInfo>& old);
  void setInodes(std::int32_t pid, Proc& p, std::vector<std::uint64_t> inodes);

  std::filesystem::path root_;
  std::unordered_map<std::int32_t, Proc> procs_;
  std::unordered_multimap<std::uint64_t, std::int32_t> inodeOwners_;
  std::uint64_t generation_ = 0;
  std::function<void(std::int32_t)> beforeRead_;
};

// Reads /proc/<pid>/{comm,exe,cmdline} under `procRoot`; null when the process is gone.
std::shared_ptr<const ProcessInfo> readProcessInfo(const std::filesystem::path& procRoot,
                                                   std::int32_t pid);

// Chooses the name shown for a process: comm, unless comm was cut at 15 characters and is a
// prefix of the executable's (or argv[0]'s) basename, which is then used instead.
std::string processName(std::string_view comm, std::string_view exePath, std::string_view argv0);

}  // namespace rustnet::process
