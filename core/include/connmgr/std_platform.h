// The production Platform: std::mutex, std::condition_variable and std::atomic.
#pragma once

#include <atomic>
#include <condition_variable>
#include <mutex>

#include "connmgr/platform.h"

namespace connmgr {

// Spins briefly before blocking: the manager's critical sections are a few dozen nanoseconds, far
// shorter than a futex sleep and wake-up.
class CAPABILITY("mutex") StdMutex {
 public:
  void lock() ACQUIRE() {
    for (int spin = 0; spin < kSpins; ++spin) {
      if (mu_.try_lock()) return;
#if defined(__x86_64__) || defined(__i386__)
      __builtin_ia32_pause();
#endif
    }
    mu_.lock();
  }
  void unlock() RELEASE() { mu_.unlock(); }
  std::mutex& native() { return mu_; }

 private:
  static constexpr int kSpins = 100;
  std::mutex mu_;
};

class StdCondVar {
 public:
  void wait(StdMutex& mu) REQUIRES(mu) {
    std::unique_lock<std::mutex> lock(mu.native(), std::adopt_lock);
    cv_.wait(lock);
    lock.release();
  }
  void notify_all() { cv_.notify_all(); }

 private:
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
