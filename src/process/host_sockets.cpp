#include "process/host_sockets.h"

#include <pwd.h>

#include <algorithm>
#include <map>

namespace rustnet::process {
namespace {

// Every tenth listing re-reads every process's fd table (a process that swapped one socket
// for another without changing its fd count is missed by the incremental scan).
constexpr std::uint64_t kFullScanEvery = 10;

std::string userName(std::uint32_t uid, std::map<std::uint32_t, std::string>& cache) {
  if (auto it = cache.find(uid); it != cache.end()) return it->second;
  std::string name;
  passwd pw{};
  passwd* found = nullptr;
  std::vector<char> buf(4096);
  if (getpwuid_r(uid, &pw, buf.data(), buf.size(), &found) == 0 && found != nullptr && pw.pw_name != nullptr) {
    name = pw.pw_name;
  }
  cache.emplace(uid, name);
  return name;
}

}  // namespace

HostSockets listHostSockets(SocketSource& source, ProcScanner& scanner, bool fullScan, std::size_t cap) {
  HostSockets out;
  out.method = source.method();
  std::vector<SocketRecord> records;
  const DumpResult r = source.dump(records);
  if (!r.ok) {
    out.error = r.error.empty() ? std::string("the socket dump failed") : r.error;
    return out;
  }
  out.ok = true;
  scanner.scan(fullScan);
  std::map<std::uint32_t, std::string> users;
  for (const SocketRecord& s : records) {
    const bool tcp = s.tuple.proto == core::proto::kTcp;
    if (!s.listening || (tcp && s.state != kTcpListen)) continue;
    HostSocket h;
    h.proto = s.tuple.proto;
    h.local = s.tuple.local;
    h.dualStack = s.dualStack;
    h.uid = s.uid;
    if (s.inode != 0) {
      const InodeOwners o = scanner.owners(s.inode);
      h.owners = o.count;
      if (o.count == 1) {
        h.pid = o.pid;
        if (auto info = scanner.process(o.pid)) h.process = info->name;
      }
    }
    out.sockets.push_back(std::move(h));
  }
  std::sort(out.sockets.begin(), out.sockets.end(), [](const HostSocket& a, const HostSocket& b) {
    if (a.proto != b.proto) return a.proto < b.proto;
    if (a.local.port != b.local.port) return a.local.port < b.local.port;
    return a.local.addr < b.local.addr;
  });
  if (out.sockets.size() > cap) {
    out.leftOut = out.sockets.size() - cap;
    out.sockets.resize(cap);
  }
  if (r.truncated) out.leftOut += 1;  // the dump itself stopped at kMaxSockets: at least one more
  // Names after the cut: at most `cap` look-ups, cached per uid.
  for (HostSocket& h : out.sockets) h.user = userName(h.uid, users);
  return out;
}

HostWatcher::HostWatcher(std::filesystem::path procRoot, std::chrono::milliseconds every)
    : procRoot_(std::move(procRoot)), every_(every), scanner_(procRoot_) {}

HostWatcher::~HostWatcher() { stop(); }

void HostWatcher::open() {
  if (source_) return;
  auto diag = std::make_unique<SockDiagSource>();
  std::string error;
  if (diag->open(error)) {
    source_ = std::move(diag);
  } else {
    fallbackReason_ = error;
    source_ = std::make_unique<ProcNetSource>(procRoot_);
  }
  refresh();
}

void HostWatcher::refresh() {
  HostSockets list = listHostSockets(*source_, scanner_, refreshes_ % kFullScanEvery == 0);
  ++refreshes_;
  if (!list.ok && source_->method() != Method::Procfs) {
    // sock_diag stopped working: /proc/net for the rest of the run.
    fallbackReason_ = list.error;
    source_ = std::make_unique<ProcNetSource>(procRoot_);
    list = listHostSockets(*source_, scanner_, false);
  }
  if (!list.ok && !fallbackReason_.empty()) list.error = fallbackReason_ + "; " + list.error;
  current_.store(std::make_shared<const HostSockets>(std::move(list)));
}

void HostWatcher::start() {
  if (thread_.joinable()) return;
  open();
  {
    std::lock_guard lock(mutex_);
    stop_ = false;
  }
  thread_ = std::thread([this] { run(); });
}

void HostWatcher::stop() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void HostWatcher::run() {
  std::unique_lock lock(mutex_);
  while (!wake_.wait_for(lock, every_, [this] { return stop_; })) {
    lock.unlock();
    refresh();
    lock.lock();
  }
}

}  // namespace rustnet::process
