#include "process/ebpf/ebpf_hints.h"

#include <fcntl.h>
#include <linux/types.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include <cerrno>
#include <chrono>
#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <deque>
#include <fstream>
#include <sstream>
#include <unordered_map>

#include "process/ebpf/event.h"
#include "process/proc_scanner.h"

// The generated skeleton is C; its casts are not ours to fix.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wold-style-cast"
#pragma GCC diagnostic ignored "-Wcast-align"
#pragma GCC diagnostic ignored "-Wpedantic"
#pragma GCC diagnostic ignored "-Wzero-as-null-pointer-constant"
#include "attrib.skel.h"
#pragma GCC diagnostic pop

namespace rustnet::process::ebpf {
namespace {

constexpr std::size_t kMaxCookies = std::size_t{1} << 18;  // live sockets remembered
constexpr std::size_t kMaxClosed = std::size_t{1} << 16;   // closed sockets remembered
constexpr std::int64_t kClosedRetentionNs = 30'000'000'000;  // long enough for any request
constexpr std::int64_t kInfoRefreshNs = 5'000'000'000;

std::int64_t steadyNs() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

// libbpf reports through a print callback; keep the last warning for the fallback reason
// instead of writing to stderr (which the UI owns).
thread_local std::string lastLibbpfMessage;
int libbpfPrint(enum libbpf_print_level level, const char* fmt, va_list args) {
  if (level == LIBBPF_DEBUG) return 0;
  char buf[512];
  const int n = std::vsnprintf(buf, sizeof buf, fmt, args);
  if (n > 0) {
    lastLibbpfMessage.assign(buf, std::min<std::size_t>(static_cast<std::size_t>(n), sizeof buf - 1));
    while (!lastLibbpfMessage.empty() && lastLibbpfMessage.back() == '\n') lastLibbpfMessage.pop_back();
  }
  return 0;
}

#ifndef SO_NETNS_COOKIE
#define SO_NETNS_COOKIE 71  // Linux 5.14
#endif

// The cookie of the network namespace rustnet runs in (what bpf_get_netns_cookie() returns
// for its sockets); 0 when this kernel cannot tell.
std::uint64_t ownNetnsCookie(std::string& error) {
  const int fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  std::uint64_t cookie = 0;
  socklen_t len = sizeof cookie;
  if (fd < 0 || ::getsockopt(fd, SOL_SOCKET, SO_NETNS_COOKIE, &cookie, &len) != 0 ||
      len != sizeof cookie) {
    error = std::string("cannot tell our network namespace (SO_NETNS_COOKIE): ") +
            std::strerror(errno);
    cookie = 0;
  }
  if (fd >= 0) ::close(fd);
  return cookie;
}

std::string cgroup2Root() {
  std::ifstream in("/proc/self/mounts");
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream ss(line);
    std::string dev, path, type;
    ss >> dev >> path >> type;
    if (type == "cgroup2") return path;
  }
  return {};
}

core::IpAddr eventAddr(std::uint8_t family, const __u32 (&words)[4]) {
  std::uint8_t raw[16];
  std::memcpy(raw, words, sizeof raw);
  if (family == AF_INET) return core::IpAddr::v4Bytes(core::Bytes(raw, 4));
  return canonicalAddr(core::IpAddr::v6Bytes(core::Bytes(raw, 16)));
}

class EbpfHints final : public OwnerHints {
public:
  EbpfHints(std::filesystem::path procRoot, rustnet_attrib* skel, int cgroupFd)
      : root_(std::move(procRoot)), skel_(skel), cgroupFd_(cgroupFd) {}
  ~EbpfHints() override {
    if (rb_ != nullptr) ring_buffer__free(rb_);
    rustnet_attrib__destroy(skel_);  // destroys the links: the programs detach
    if (cgroupFd_ >= 0) ::close(cgroupFd_);
  }
  EbpfHints(const EbpfHints&) = delete;
  EbpfHints& operator=(const EbpfHints&) = delete;

  bool attach(std::string& error) {
    struct Prog {
      bpf_program* prog;
      bpf_link** link;
    };
    const Prog progs[] = {
        {skel_->progs.rustnet_sock_create, &skel_->links.rustnet_sock_create},
        {skel_->progs.rustnet_sock_release, &skel_->links.rustnet_sock_release},
        {skel_->progs.rustnet_post_bind4, &skel_->links.rustnet_post_bind4},
        {skel_->progs.rustnet_post_bind6, &skel_->links.rustnet_post_bind6},
        {skel_->progs.rustnet_connect4, &skel_->links.rustnet_connect4},
        {skel_->progs.rustnet_connect6, &skel_->links.rustnet_connect6},
        {skel_->progs.rustnet_sendmsg4, &skel_->links.rustnet_sendmsg4},
        {skel_->progs.rustnet_sendmsg6, &skel_->links.rustnet_sendmsg6},
    };
    for (const auto& p : progs) {
      *p.link = bpf_program__attach_cgroup(p.prog, cgroupFd_);
      if (*p.link == nullptr) {
        error = std::string("attaching ") + bpf_program__name(p.prog) +
                " to the cgroup v2 root: " + std::strerror(errno);
        return false;
      }
    }
    rb_ = ring_buffer__new(bpf_map__fd(skel_->maps.events), &EbpfHints::onEvent, this, nullptr);
    if (rb_ == nullptr) {
      error = std::string("ring buffer: ") + std::strerror(errno);
      return false;
    }
    return true;
  }

  int waitFd() const override { return ring_buffer__epoll_fd(rb_); }

  void drain() override {
    ring_buffer__consume(rb_);
    expireClosed(steadyNs());
  }

  std::optional<HintOwner> byCookie(std::uint64_t cookie) const override {
    auto it = cookies_.find(cookie);
    if (it == cookies_.end() || it->second.shared) return std::nullopt;
    return it->second.owner;
  }
  std::optional<HintOwner> closedExact(const SocketTuple& t) const override {
    auto it = closedExact_.find(t);
    if (it == closedExact_.end()) return std::nullopt;
    return it->second.owner;
  }
  std::optional<HintOwner> closedUdpLocal(const core::Endpoint& local) const override {
    auto at = [&](const core::IpAddr& a) -> std::optional<HintOwner> {
      auto it = closedUdp_.find(udpKey({a, local.port}));
      if (it == closedUdp_.end()) return std::nullopt;
      return it->second.owner;
    };
    if (auto h = at(local.addr)) return h;
    if (local.addr.isV4()) {
      if (auto h = at(core::IpAddr::v4(0))) return h;
    }
    return at(core::IpAddr{});  // [::], dual stack by default
  }
  std::uint64_t eventsLost() const override {
    __u32 key = 0;
    __u64 value = 0;
    bpf_map__lookup_elem(skel_->maps.lost, &key, sizeof key, &value, sizeof value, 0);
    return value;
  }

private:
  struct CookieOwner {
    HintOwner owner;
    bool shared = false;  // used by more than one process
  };
  struct Closed {
    HintOwner owner;
    std::int64_t atNs = 0;
  };

  static SocketTuple udpKey(const core::Endpoint& local) {
    return SocketTuple{core::proto::kUdp, local, {}};
  }

  static int onEvent(void* self, void* data, std::size_t size) {
    if (size < sizeof(rustnet_sock_event)) return 0;
    rustnet_sock_event e;
    std::memcpy(&e, data, sizeof e);
    static_cast<EbpfHints*>(self)->handle(e);
    return 0;
  }

  std::shared_ptr<const ProcessInfo> infoFor(const rustnet_sock_event& e, std::int64_t now) {
    const auto tgid = static_cast<std::int32_t>(e.tgid);
    auto& slot = infos_[tgid];
    if (!slot.info || now - slot.readNs > kInfoRefreshNs) {
      if (auto fresh = readProcessInfo(root_, tgid)) {
        slot.info = std::move(fresh);
      } else if (!slot.info) {
        // Gone already: the event's comm (the calling thread's) is all there is.
        auto info = std::make_shared<ProcessInfo>();
        info->pid = tgid;
        info->name.assign(e.comm, strnlen(e.comm, sizeof e.comm));
        slot.info = std::move(info);
      }
      slot.readNs = now;
    }
    if (infos_.size() > kMaxCookies) infos_.clear();  // crude, but bounded
    return slot.info;
  }

  void handle(const rustnet_sock_event& e) {
    const auto now = steadyNs();
    const HintOwner owner{infoFor(e, now), e.uid};
    auto it = cookies_.find(e.cookie);
    if (e.kind == RUSTNET_EV_RELEASE) {
      HintOwner last = owner;
      if (it != cookies_.end()) {
        if (!it->second.shared) last = it->second.owner;
        cookies_.erase(it);
      }
      const core::Endpoint local{eventAddr(e.family, e.local_ip), e.local_port};
      const core::Endpoint remote{eventAddr(e.family, e.remote_ip), e.remote_port};
      if (remote.port != 0) remember(closedExact_, SocketTuple::make(e.proto, local, remote), last, now);
      if (e.proto == IPPROTO_UDP && local.port != 0) remember(closedUdp_, udpKey(local), last, now);
      return;
    }
    if (it == cookies_.end()) {
      if (cookies_.size() >= kMaxCookies) cookies_.erase(cookies_.begin());
      cookies_.emplace(e.cookie, CookieOwner{owner, false});
    } else if (it->second.owner.process && it->second.owner.process->pid != owner.process->pid) {
      it->second.shared = true;
    }
  }

  void remember(std::unordered_map<SocketTuple, Closed, SocketTupleHash>& table,
                const SocketTuple& key, const HintOwner& owner, std::int64_t now) {
    table[key] = Closed{owner, now};
    order_.push_back({&table, key, now});
    if (order_.size() > kMaxClosed) popOldest();
  }
  void popOldest() {
    auto& o = order_.front();
    auto it = o.table->find(o.key);
    if (it != o.table->end() && it->second.atNs == o.atNs) o.table->erase(it);
    order_.pop_front();
  }
  void expireClosed(std::int64_t now) {
    while (!order_.empty() && now - order_.front().atNs > kClosedRetentionNs) popOldest();
  }

  struct InfoSlot {
    std::shared_ptr<const ProcessInfo> info;
    std::int64_t readNs = 0;
  };
  struct Order {
    std::unordered_map<SocketTuple, Closed, SocketTupleHash>* table;
    SocketTuple key;
    std::int64_t atNs;
  };

  std::filesystem::path root_;
  rustnet_attrib* skel_;
  int cgroupFd_;
  ring_buffer* rb_ = nullptr;
  std::unordered_map<std::uint64_t, CookieOwner> cookies_;
  std::unordered_map<std::int32_t, InfoSlot> infos_;
  std::unordered_map<SocketTuple, Closed, SocketTupleHash> closedExact_;
  std::unordered_map<SocketTuple, Closed, SocketTupleHash> closedUdp_;
  std::deque<Order> order_;
};

}  // namespace

std::unique_ptr<OwnerHints> openHints(const std::filesystem::path& procRoot, std::string& error) {
  libbpf_set_print(libbpfPrint);
  lastLibbpfMessage.clear();
  const auto cg = cgroup2Root();
  if (cg.empty()) {
    error = "no cgroup v2 hierarchy is mounted";
    return nullptr;
  }
  // The hooks see every process on the machine, in every network namespace; only ours count.
  const std::uint64_t netns = ownNetnsCookie(error);
  if (netns == 0) return nullptr;
  rustnet_attrib* skel = rustnet_attrib__open();
  if (skel != nullptr) {
    skel->rodata->target_netns = netns;
    if (rustnet_attrib__load(skel) != 0) {
      const int saved = errno;
      rustnet_attrib__destroy(skel);
      skel = nullptr;
      errno = saved;
    }
  }
  if (skel == nullptr) {
    error = std::string("loading the programs failed: ") + std::strerror(errno);
    if (!lastLibbpfMessage.empty()) error += " (" + lastLibbpfMessage + ")";
    return nullptr;
  }
  const int cgfd = ::open(cg.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (cgfd < 0) {
    error = "opening " + cg + ": " + std::strerror(errno);
    rustnet_attrib__destroy(skel);
    return nullptr;
  }
  auto hints = std::make_unique<EbpfHints>(procRoot, skel, cgfd);
  if (!hints->attach(error)) return nullptr;
  return hints;
}

}  // namespace rustnet::process::ebpf
