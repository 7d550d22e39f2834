// The production Platform (WordMutex, BatchingWordMutex, WordCondVar, std::atomic), and StdMutex,
// the mutex of the production backends, which pair it with std::condition_variable.
#pragma once

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>

#include "connmgr/platform.h"

namespace connmgr {

inline void cpu_relax() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#endif
}

// The production backends' mutex (clock, executor, test kits): a std::mutex, which they wait on
// with std::condition_variable through native(). Spins briefly before blocking, since their
// critical sections are far shorter than a futex sleep and wake-up.
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

// How a contended BasicWordMutex waits for its owner.
enum class WaitPolicy {
  // Hand the lock over soon: look again after 1, 2, 4, ... 128 pauses. For locks whose holders
  // pass it to one another (the event loop's queue, the handler and its callers).
  hand_off,
  // Look once after a pause, for an owner about to unlock; if it still holds the lock it is
  // running critical sections back to back, so look only every 128 pauses (about 3 us) from then
  // on and let it run many in a row with the guarded state in its cache, instead of moving the
  // lock and that state's cache lines to the other core after each one. Throughput over
  // fairness, as Go's sync.Mutex in its normal mode. For the synchronous design's registry, which
  // callers queue up on.
  let_owner_batch,
};

// The manager's mutexes: one 32-bit word (free, locked, or locked with possible sleepers), after
// Drepper's "Futexes Are Tricky". An uncontended lock or unlock is one atomic instruction. A
// contended lock spins on plain loads, so waiting does not take the cache line from the owner,
// with pauses between looks as kPolicy says, then sleeps on the word (std::atomic::wait, a futex
// on Linux) after about 100 us. Waited on with WordCondVar, not std::condition_variable.
template <WaitPolicy kPolicy>
class CAPABILITY("mutex") BasicWordMutex {
 public:
  void lock() ACQUIRE() {
    std::uint32_t expected = kFree;
    if (!state_.compare_exchange_strong(expected, kLocked, std::memory_order_acquire))
      lock_contended();
  }
  void unlock() RELEASE() {
    if (state_.exchange(kFree, std::memory_order_release) == kSleepers) state_.notify_one();
  }

 private:
  static constexpr std::uint32_t kFree = 0;
  static constexpr std::uint32_t kLocked = 1;
  static constexpr std::uint32_t kSleepers = 2;
  static constexpr int kMaxPauses = 128;   // Between two looks at the word (about 25 ns each).
  static constexpr int kSpinLimit = 4096;  // Pauses in all before sleeping.

  static int pauses_after(int pauses) {
    return kPolicy == WaitPolicy::hand_off ? std::min(pauses * 2, kMaxPauses) : kMaxPauses;
  }

  [[gnu::noinline]] void lock_contended() {
    for (int pauses = 1, spent = 0; spent < kSpinLimit; spent += pauses, pauses = pauses_after(pauses)) {
      for (int i = 0; i < pauses; ++i) cpu_relax();
      std::uint32_t expected = kFree;
      if (state_.load(std::memory_order_relaxed) == kFree &&
          state_.compare_exchange_weak(expected, kLocked, std::memory_order_acquire)) {
        return;
      }
    }
    // Whoever takes the word from here on leaves it marked kSleepers, so its unlock wakes one.
    while (state_.exchange(kSleepers, std::memory_order_acquire) != kFree)
      state_.wait(kSleepers, std::memory_order_relaxed);
  }

  std::atomic<std::uint32_t> state_{kFree};
};

using WordMutex = BasicWordMutex<WaitPolicy::hand_off>;
using BatchingWordMutex = BasicWordMutex<WaitPolicy::let_owner_batch>;

// Polls for a notification before blocking: the event-loop design's callers wait for handler
// messages that take a microsecond or two, while a futex sleep and wake-up costs tens of them.
// Correct because notify_all() is called under the waiters' mutex (the CondVar contract in
// platform.h): a waiter reads the notification count under the mutex, so any later notification
// changes it, and std::atomic::wait blocks only while the count is still the one it read.
class WordCondVar {
 public:
  template <WaitPolicy kPolicy>
  void wait(BasicWordMutex<kPolicy>& mu) REQUIRES(mu) {
    const std::uint32_t seen = notifications_.load(std::memory_order_relaxed);
    mu.unlock();
    for (int spin = 0; spin < kSpins; ++spin) {
      if (notifications_.load(std::memory_order_relaxed) != seen) break;
      cpu_relax();
    }
    notifications_.wait(seen, std::memory_order_relaxed);
    mu.lock();
  }
  template <WaitPolicy kPolicy>
  void notify_all([[maybe_unused]] BasicWordMutex<kPolicy>& mu) REQUIRES(mu) {
    notifications_.fetch_add(1, std::memory_order_relaxed);
    notifications_.notify_all();
  }

 private:
  static constexpr int kSpins = 2000;
  std::atomic<std::uint32_t> notifications_{0};
};

struct NoGuardProbe {
  void read() const {}
  void write() {}
};

struct StdPlatform {
  using Mutex = WordMutex;
  using BatchingMutex = BatchingWordMutex;
  using CondVar = WordCondVar;
  template <class T>
  using Atomic = std::atomic<T>;
  using GuardProbe = NoGuardProbe;
};

}  // namespace connmgr
