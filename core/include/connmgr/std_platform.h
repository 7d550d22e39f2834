// The production Platform: std::mutex, std::condition_variable and std::atomic.
#pragma once

#include <atomic>
#include <condition_variable>
#include <mutex>

#include "connmgr/platform.h"

namespace connmgr {

inline void cpu_relax() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#endif
}

// Spins briefly before blocking: the manager's critical sections are a few dozen nanoseconds, far
// shorter than a futex sleep and wake-up.
class CAPABILITY("mutex") StdMutex {
 public:
  void lock() ACQUIRE() {
    for (int spin = 0; spin < kSpins; ++spin) {
      if (mu_.try_lock()) return;
      cpu_relax();
    }
    mu_.lock();
  }
  void unlock() RELEASE() { mu_.unlock(); }
  std::mutex& native() { return mu_; }

 private:
  static constexpr int kSpins = 100;
  std::mutex mu_;
};

// Polls for a notification before blocking: the event-loop design's callers wait for handler
// messages that take a microsecond or two, while a futex sleep and wake-up costs tens of them.
// Correct because notify_all() is called under the waiters' mutex (the CondVar contract in
// platform.h): a predicate change and its notification are one critical section, so a waiter that
// re-locks and sees no new notification cannot have missed a change, and blocks atomically.
class StdCondVar {
 public:
  void wait(StdMutex& mu) REQUIRES(mu) {
    const unsigned seen = notifications_.load(std::memory_order_relaxed);
    mu.unlock();
    for (int spin = 0; spin < kSpins; ++spin) {
      if (notifications_.load(std::memory_order_relaxed) != seen) break;
      cpu_relax();
    }
    mu.lock();
    if (notifications_.load(std::memory_order_relaxed) != seen) return;
    std::unique_lock<std::mutex> lock(mu.native(), std::adopt_lock);
    cv_.wait(lock);
    lock.release();
  }
  void notify_all([[maybe_unused]] StdMutex& mu) REQUIRES(mu) {
    notifications_.fetch_add(1, std::memory_order_relaxed);
    cv_.notify_all();
  }

 private:
  static constexpr int kSpins = 2000;
  std::atomic<unsigned> notifications_{0};
  std::condition_variable cv_;
};

struct NoGuardProbe {
  void read() const {}
  void write() {}
};

struct StdPlatform {
  using Mutex = StdMutex;
  using CondVar = StdCondVar;
  template <class T>
  using Atomic = std::atomic<T>;
  using GuardProbe = NoGuardProbe;
};

}  // namespace connmgr
