#include "watchdog.h"

#include <cstdio>
#include <cstdlib>

namespace connmgr::stress {

Watchdog::Watchdog(std::chrono::seconds limit, const std::atomic<std::uint64_t>& progress,
                   std::function<std::string()> dump)
    : limit_(limit), progress_(progress), dump_(std::move(dump)), thread_([this] { watch(); }) {}

Watchdog::~Watchdog() {
  {
    LockGuard<StdMutex> lock(mu_);
    disarmed_ = true;
  }
  changed_.notify_all();
  thread_.join();
}

void Watchdog::watch() {
  using Clock = std::chrono::steady_clock;
  std::uint64_t seen = progress_.load();
  Clock::time_point last_change = Clock::now();
  while (!disarmed_within(std::chrono::milliseconds(100))) {
    if (const std::uint64_t now_seen = progress_.load(); now_seen != seen) {
      seen = now_seen;
      last_change = Clock::now();
    } else if (Clock::now() - last_change >= limit_) {
      std::fprintf(stderr, "WATCHDOG: no progress for %lld s; state of the run:\n%s",
                   static_cast<long long>(limit_.count()), dump_().c_str());
      std::fflush(stderr);
      std::abort();
    }
  }
}

bool Watchdog::disarmed_within(std::chrono::milliseconds timeout) {
  LockGuard<StdMutex> lock(mu_);
  std::unique_lock<std::mutex> native(mu_.native(), std::adopt_lock);
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!disarmed_) {
    if (changed_.wait_until(native, deadline) == std::cv_status::timeout) break;
  }
  native.release();
  return disarmed_;
}

}  // namespace connmgr::stress
