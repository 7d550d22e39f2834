// The Relacy backend of the platform layer (core/include/connmgr/platform.h).
//
// ConnManager<RelacyPlatform> is the real manager with every lock, wait and lock-free atomic
// access turned into a Relacy scheduling point, so Relacy explores their interleavings and reports
// data races, deadlocks, livelocks and leaks. ShadowProbe makes every access to the registry an
// access to one rl::var: an access made without the manager's mutex is reported as DATA RACE.
#pragma once

#include "relacy_prelude.h"

namespace connmgr {

// Relacy prints the values atomics take in the interleavings it reports; found by ADL.
inline std::ostream& operator<<(std::ostream& out, ConnState state) {
  return out << to_string(state);
}

}  // namespace connmgr

namespace connmgr::models {

// Upper bound on the model threads of any scenario (static and helper threads together).
inline constexpr unsigned kMaxModelThreads = 16;

// How many platform mutexes each model thread holds, so that user code (the dialer, callbacks,
// Connection::close, Executor::spawn) can assert that the manager never calls it under a lock.
// Relacy runs every model thread as a fiber of one OS thread, so plain counters are exact; they
// are reset at the start of every iteration, as a failed iteration abandons its threads.
class HeldLocks {
 public:
  static void reset() { counts_.fill(0); }
  static void acquired() { ++counts_[rl::thread_index()]; }
  static void released() { --counts_[rl::thread_index()]; }
  static bool any() { return counts_[rl::thread_index()] != 0; }

 private:
  static inline std::array<int, kMaxModelThreads> counts_{};
};

// rl::mutex behind the platform's Mutex interface. The debug_info overloads let
// rl::condition_variable_any release and re-acquire it.
class CAPABILITY("mutex") RelacyMutex {
 public:
  void lock() ACQUIRE() { lock(RL_INFO); }
  void unlock() RELEASE() { unlock(RL_INFO); }
  void lock(rl::debug_info_param info) ACQUIRE() {
    mu_.lock(info);
    HeldLocks::acquired();
  }
  void unlock(rl::debug_info_param info) RELEASE() {
    HeldLocks::released();
    mu_.unlock(info);
  }

 private:
  rl::mutex mu_;
};

// Relacy reports a wait that is never notified as DEADLOCK; under the random scheduler it also
// injects spurious wake-ups, which the manager's predicate loops must absorb.
class RelacyCondVar {
 public:
  void wait(RelacyMutex& mu) REQUIRES(mu) { cv_.wait(mu, RL_INFO); }
  void notify_all([[maybe_unused]] RelacyMutex& mu) REQUIRES(mu) { cv_.notify_all(RL_INFO); }

 private:
  rl::condition_variable_any cv_;
};

constexpr rl::memory_order to_relacy(std::memory_order order) {
  switch (order) {
    case std::memory_order::relaxed: return rl::mo_relaxed;
    case std::memory_order::consume: return rl::mo_consume;
    case std::memory_order::acquire: return rl::mo_acquire;
    case std::memory_order::release: return rl::mo_release;
    case std::memory_order::acq_rel: return rl::mo_acq_rel;
    case std::memory_order::seq_cst: return rl::mo_seq_cst;
  }
  return rl::mo_seq_cst;
}

// rl::atomic<T> with std::atomic's member signatures; Relacy models each memory order.
//
// An access made while the thread holds a platform mutex is not a scheduling point: only a
// lock-free reader could tell the moments between two accesses of one critical section apart,
// and the context bound is better spent on lock boundaries and lock-free accesses. Which value
// each load may see (its memory order) is modelled either way.
template <class T>
class RelacyAtomic {
 public:
  explicit RelacyAtomic(T value) : value_(value) {}

  T load(std::memory_order order = std::memory_order::seq_cst) const {
    return access([&] { return value_.load(to_relacy(order), RL_INFO); });
  }
  void store(T value, std::memory_order order = std::memory_order::seq_cst) {
    access([&] { value_.store(value, to_relacy(order), RL_INFO); });
  }
  T fetch_add(T delta, std::memory_order order = std::memory_order::seq_cst) {
    return access([&] { return value_.fetch_add(delta, to_relacy(order), RL_INFO); });
  }
  T fetch_sub(T delta, std::memory_order order = std::memory_order::seq_cst) {
    return access([&] { return value_.fetch_sub(delta, to_relacy(order), RL_INFO); });
  }
  T exchange(T value, std::memory_order order = std::memory_order::seq_cst) {
    return access([&] { return value_.exchange(value, to_relacy(order), RL_INFO); });
  }
  bool compare_exchange_strong(T& expected, T desired,
                               std::memory_order order = std::memory_order::seq_cst) {
    return access(
        [&] { return value_.compare_exchange_strong(expected, desired, to_relacy(order), RL_INFO); });
  }

 private:
  template <class Access>
  static auto access(Access&& body) {
    if (!HeldLocks::any()) return body();
    rl::preemption_disabler inside_critical_section(rl::ctx());
    return body();
  }

  rl::atomic<T> value_;
};

// A shadow variable standing for the whole registry: reads and writes of it are checked by
// Relacy's happens-before race detector like any other shared memory access.
class ShadowProbe {
 public:
  void read() const { static_cast<void>(static_cast<int>(shadow_(RL_INFO))); }
  void write() { shadow_(RL_INFO) = 0; }

 private:
  rl::var<int> shadow_{0};
};

struct RelacyPlatform {
  using Mutex = RelacyMutex;
  using CondVar = RelacyCondVar;
  template <class T>
  using Atomic = RelacyAtomic<T>;
  using GuardProbe = ShadowProbe;
};

}  // namespace connmgr::models
