#include "process/proc_scanner.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <string>

#include "core/text.h"

namespace rustnet::process {
namespace {

constexpr std::size_t kTaskCommLen = 15;  // TASK_COMM_LEN - 1: where the kernel cuts comm
constexpr std::size_t kMaxCmdlineRead = 4096;

bool parsePid(const char* s, std::int32_t& pid) {
  const std::string_view v(s);
  if (v.empty() || v.size() > 10) return false;
  auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), pid);
  return ec == std::errc() && p == v.data() + v.size() && pid > 0;
}

// "socket:[12345]" → 12345.
bool socketInode(std::string_view link, std::uint64_t& inode) {
  constexpr std::string_view kPrefix = "socket:[";
  if (link.size() < kPrefix.size() + 2 || link.substr(0, kPrefix.size()) != kPrefix ||
      link.back() != ']')
    return false;
  const auto digits = link.substr(kPrefix.size(), link.size() - kPrefix.size() - 1);
  auto [p, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), inode);
  return ec == std::errc() && p == digits.data() + digits.size() && inode != 0;
}

// Reads at most `cap` bytes of a small file; nullopt when it cannot be opened (gone).
bool readSmallFile(const std::string& path, std::size_t cap, std::string& out) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  out.resize(cap);
  std::size_t got = 0;
  while (got < cap) {
    const ssize_t n = ::read(fd, out.data() + got, cap - got);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    got += static_cast<std::size_t>(n);
  }
  ::close(fd);
  out.resize(got);
  return true;
}

bool readLink(const std::string& path, std::string& out) {
  out.resize(kMaxExecutablePath);
  const ssize_t n = ::readlink(path.c_str(), out.data(), out.size());
  if (n < 0) {
    out.clear();
    return false;
  }
  out.resize(static_cast<std::size_t>(n));
  return true;
}

std::string_view baseName(std::string_view path) {
  constexpr std::string_view kDeleted = " (deleted)";  // exe of a replaced binary
  if (path.size() > kDeleted.size() && path.substr(path.size() - kDeleted.size()) == kDeleted)
    path.remove_suffix(kDeleted.size());
  const auto slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

}  // namespace

std::string processName(std::string_view comm, std::string_view exePath, std::string_view argv0) {
  if (comm.size() == kTaskCommLen) {
    for (auto candidate : {baseName(exePath), baseName(argv0)}) {
      if (candidate.size() > comm.size() && candidate.substr(0, comm.size()) == comm)
        return core::capWireString(candidate, kMaxProcessName);
    }
  }
  return core::capWireString(comm, kMaxProcessName);
}

ProcScanner::ProcScanner(std::filesystem::path procRoot) : root_(std::move(procRoot)) {}

InodeOwners ProcScanner::owners(std::uint64_t inode) const {
  InodeOwners o;
  auto [it, end] = inodeOwners_.equal_range(inode);
  for (; it != end; ++it) {
    o.pid = o.count == 0 ? it->second : o.pid;
    ++o.count;
  }
  return o;
}

std::shared_ptr<const ProcessInfo> ProcScanner::process(std::int32_t pid) const {
  auto it = procs_.find(pid);
  return it == procs_.end() ? nullptr : it->second.info;
}

std::size_t ProcScanner::sharedInodeCount() const {
  std::size_t shared = 0;
  for (auto it = inodeOwners_.begin(); it != inodeOwners_.end();) {
    const auto n = inodeOwners_.count(it->first);
    if (n > 1) ++shared;
    std::advance(it, static_cast<std::ptrdiff_t>(n));
  }
  return shared;
}

void ProcScanner::setInodes(std::int32_t pid, Proc& p, std::vector<std::uint64_t> inodes) {
  for (auto inode : p.inodes) {
    auto [it, end] = inodeOwners_.equal_range(inode);
    for (; it != end; ++it) {
      if (it->second == pid) {
        inodeOwners_.erase(it);
        break;
      }
    }
  }
  for (auto inode : inodes) inodeOwners_.emplace(inode, pid);
  p.inodes = std::move(inodes);
}

ScanStats ProcScanner::scan(bool full) {
  ScanStats st;
  st.full = full;
  ++generation_;
  DIR* dir = ::opendir(root_.c_str());
  if (dir != nullptr) {
    const std::string rootStr = root_.string();
    std::string fdPath;
    while (const dirent* e = ::readdir(dir)) {
      std::int32_t pid = 0;
      if (!parsePid(e->d_name, pid)) continue;
      ++st.pidsListed;
      auto it = procs_.find(pid);
      if (it == procs_.end() && procs_.size() >= kMaxProcesses) {
        ++st.processesTruncated;
        continue;
      }
      if (beforeRead_) beforeRead_(pid);
      fdPath = rootStr;
      fdPath += '/';
      fdPath += e->d_name;
      fdPath += "/fd";
      struct stat sb{};
      if (::stat(fdPath.c_str(), &sb) != 0) {
        // Gone since the listing (or not ours to read): whatever it held is released below.
        if (errno == ENOENT || errno == ESRCH) ++st.pidsVanished;
        continue;
      }
      FdSignature sig{sb.st_ino, sb.st_size,
                      std::int64_t{sb.st_mtim.tv_sec} * 1'000'000'000 + sb.st_mtim.tv_nsec};
      if (it == procs_.end()) it = procs_.emplace(pid, Proc{}).first;
      Proc& p = it->second;
      if (full || p.generation == 0 || !(p.sig == sig)) {
        ++st.pidsRescanned;
        if (readProcess(pid, sig, p) == ReadResult::Vanished) {
          ++st.pidsVanished;
          continue;  // generation not bumped: removed below
        }
      }
      p.generation = generation_;
    }
    ::closedir(dir);
  }
  for (auto it = procs_.begin(); it != procs_.end();) {
    if (it->second.generation != generation_) {
      setInodes(it->first, it->second, {});
      it = procs_.erase(it);
    } else {
      ++it;
    }
  }
  return st;
}

ProcScanner::ReadResult ProcScanner::readProcess(std::int32_t pid, const FdSignature& sig,
                                                 Proc& p) {
  const std::string base = root_.string() + '/' + std::to_string(pid);
  const std::string fdDir = base + "/fd";
  const int dfd = ::open(fdDir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd < 0) {
    if (errno != EACCES) return ReadResult::Vanished;
    p.sig = sig;  // not ours to read: try again only when it changes
    setInodes(pid, p, {});
    return ReadResult::Unreadable;
  }
  DIR* d = ::fdopendir(dfd);
  if (d == nullptr) {
    ::close(dfd);
    return ReadResult::Vanished;
  }
  std::vector<std::uint64_t> inodes;
  char link[64];
  std::size_t seen = 0;
  while (const dirent* e = ::readdir(d)) {
    if (e->d_name[0] == '.') continue;
    if (++seen > kMaxFdsPerProcess) break;
    const ssize_t n = ::readlinkat(dirfd(d), e->d_name, link, sizeof link);
    if (n <= 0) continue;  // closed since readdir, or not a link
    std::uint64_t inode = 0;
    if (socketInode(std::string_view(link, static_cast<std::size_t>(n)), inode))
      inodes.push_back(inode);
  }
  ::closedir(d);
  std::sort(inodes.begin(), inodes.end());
  inodes.erase(std::unique(inodes.begin(), inodes.end()), inodes.end());

  std::shared_ptr<const ProcessInfo> info;
  if (!inodes.empty()) {
    info = readInfo(pid, p.info);
    // Its comm is gone, so the process exited while we read it: its sockets went with it,
    // and keeping them would name a process that no longer exists for a reused inode.
    if (!info) {
      setInodes(pid, p, {});
      return ReadResult::Vanished;
    }
  }
  p.sig = sig;
  p.info = std::move(info);
  setInodes(pid, p, std::move(inodes));
  return ReadResult::Ok;
}

std::shared_ptr<const ProcessInfo> readProcessInfo(const std::filesystem::path& procRoot,
                                                   std::int32_t pid) {
  const std::string base = procRoot.string() + '/' + std::to_string(pid);
  std::string comm;
  if (!readSmallFile(base + "/comm", 64, comm)) return nullptr;
  while (!comm.empty() && (comm.back() == '\n' || comm.back() == '\0')) comm.pop_back();
  std::string exe;
  readLink(base + "/exe", exe);  // unreadable for kernel threads and others' processes
  std::string argv0;
  const auto exeBase = baseName(exe);
  if (comm.size() == kTaskCommLen &&
      !(exeBase.size() > comm.size() && exeBase.substr(0, comm.size()) == comm)) {
    std::string cmdline;
    if (readSmallFile(base + "/cmdline", kMaxCmdlineRead, cmdline))
      argv0 = cmdline.substr(0, cmdline.find('\0'));
  }
  auto info = std::make_shared<ProcessInfo>();
  info->pid = pid;
  info->name = processName(comm, exe, argv0);
  info->executable = std::move(exe);
  return info;
}

std::shared_ptr<const ProcessInfo> ProcScanner::readInfo(
    std::int32_t pid, const std::shared_ptr<const ProcessInfo>& old) {
  auto info = readProcessInfo(root_, pid);
  // Keep the same object when nothing changed, so cached results stay shared.
  if (info && old && old->pid == pid && old->name == info->name &&
      old->executable == info->executable)
    return old;
  return info;
}

}  // namespace rustnet::process
