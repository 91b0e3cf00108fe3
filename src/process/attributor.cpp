#include "process/attributor.h"

#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace rustnet::process {

bool Requester::push(Request&& r) {
  if (!queue_.tryPush(std::move(r))) {
    dropped_.fetch_add(1, std::memory_order_relaxed);
    return false;
  }
  owner_.wake();
  return true;
}

Attributor::Attributor(AttributionConfig cfg) : cfg_(std::move(cfg)) {
  eventFd_ = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (eventFd_ < 0)
    throw std::runtime_error(std::string("process attribution: eventfd: ") + std::strerror(errno));
}

Attributor::~Attributor() {
  stop();
  ::close(eventFd_);
}

Requester& Attributor::addRequester() {
  if (started_) throw std::logic_error("Attributor::addRequester after start()");
  requesters_.push_back(
      std::unique_ptr<Requester>(new Requester(*this, cfg_.requestQueueCapacity)));
  return *requesters_.back();
}

void Attributor::wake() {
  // Only the first request after the thread last woke pays for the write() syscall.
  if (awakePending_.load(std::memory_order_relaxed)) return;
  if (awakePending_.exchange(true, std::memory_order_acq_rel)) return;
  const std::uint64_t one = 1;
  [[maybe_unused]] auto n = ::write(eventFd_, &one, sizeof one);  // EAGAIN: already signalled
}

void Attributor::open() {
  if (resolver_) return;
  resolver_ = std::make_unique<Resolver>(cfg_);
  {
    std::lock_guard lock(infoMutex_);
    method_ = resolver_->method();
    fallbackReason_ = resolver_->fallbackReason();
  }
  if (cfg_.onNotice && !resolver_->fallbackReason().empty())
    cfg_.onNotice("process attribution: using " + std::string(methodName(resolver_->method())) +
                  " (" + resolver_->fallbackReason() + ")");
  core::SystemClock clock;
  resolver_->refresh(clock.now());
  publish();
}

void Attributor::start() {
  if (started_) return;
  open();
  started_ = true;
  thread_ = std::thread([this] { run(); });
}

void Attributor::stop() {
  if (!thread_.joinable()) return;
  stop_.store(true, std::memory_order_release);
  const std::uint64_t one = 1;
  [[maybe_unused]] auto n = ::write(eventFd_, &one, sizeof one);
  thread_.join();
}

std::shared_ptr<const ProcessMap> Attributor::snapshot() const {
  auto m = map_.load(std::memory_order_acquire);
  if (!m) {
    static const auto kEmpty = std::make_shared<const ProcessMap>();
    return kEmpty;
  }
  return m;
}

Method Attributor::activeMethod() const {
  std::lock_guard lock(infoMutex_);
  return method_;
}

std::string Attributor::fallbackReason() const {
  std::lock_guard lock(infoMutex_);
  return fallbackReason_;
}

Counters Attributor::counters() const {
  Counters c = snapshot()->counters();
  for (const auto& r : requesters_) c.requestsDropped += r->dropped_.load(std::memory_order_relaxed);
  return c;
}

void Attributor::drainRequests() {
  core::SystemClock clock;
  const auto now = clock.now();
  for (auto& r : requesters_) {
    while (auto req = r->queue_.tryPop()) {
      if (req->op == Requester::Op::Lookup) {
        resolver_->request(req->tuple, now);
      } else {
        resolver_->forget(req->tuple, now);
      }
    }
  }
}

void Attributor::publish() {
  auto m = resolver_->publish();
  const auto method = m->method();
  map_.store(std::move(m), std::memory_order_release);
  std::lock_guard lock(infoMutex_);
  if (method != method_ && cfg_.onNotice)
    cfg_.onNotice("process attribution: switched to " + std::string(methodName(method)) + " (" +
                  resolver_->fallbackReason() + ")");
  method_ = method;
  fallbackReason_ = resolver_->fallbackReason();
}

void Attributor::run() {
  core::SystemClock clock;
  auto lastRefresh = clock.now();
  auto nextPeriodic = lastRefresh + cfg_.refreshInterval;
  while (!stop_.load(std::memory_order_acquire)) {
    auto now = clock.now();
    const auto gap = std::max(cfg_.minRequestGap, resolver_->lastScanDuration() * 2);
    auto wait = nextPeriodic - now;
    if (resolver_->hasNewRequests()) wait = std::min(wait, lastRefresh + gap - now);
    const int timeoutMs = static_cast<int>(std::clamp<std::int64_t>(
        (wait.ns + 999'999) / 1'000'000, 0, cfg_.refreshInterval.millisI() + 1));
    // The eBPF ring buffer (when active) is drained as it fills, not only at refreshes, so a
    // burst of socket events between two refreshes does not overflow it.
    pollfd p[2] = {{eventFd_, POLLIN, 0}, {resolver_->hintsFd(), POLLIN, 0}};
    ::poll(p, p[1].fd >= 0 ? 2 : 1, timeoutMs);
    if (p[1].fd >= 0 && (p[1].revents & POLLIN) != 0) resolver_->drainHints();
    std::uint64_t counter = 0;
    [[maybe_unused]] auto n = ::read(eventFd_, &counter, sizeof counter);
    // Cleared before draining: a request pushed after this point writes the eventfd again.
    awakePending_.store(false, std::memory_order_release);
    if (stop_.load(std::memory_order_acquire)) break;
    drainRequests();

    now = clock.now();
    const bool periodic = now >= nextPeriodic;
    if (periodic || (resolver_->hasNewRequests() && now - lastRefresh >= gap)) {
      resolver_->refresh(now);
      lastRefresh = now;
      if (periodic) nextPeriodic = now + cfg_.refreshInterval;
      publish();
    }
  }
}

}  // namespace rustnet::process
