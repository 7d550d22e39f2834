// The simulation Platform (core/include/connmgr/platform.h): ConnManager<SimPlatform> is the real
// manager with every lock, wait and atomic access turned into a scheduling point of the Sim.
//
// SimGuardProbe checks the manager's locking discipline deterministically with a lockset (Eraser):
// each access intersects the probe's candidate set with the mutexes the accessing fiber holds; an
// empty intersection (no lock held, or none held at every earlier access) fails the run. When the
// mutex that guards the probe is released after an access, the GuardMonitor's hook runs on the
// releasing fiber: that is the end of one of the manager's critical sections.
#pragma once

#include <atomic>
#include <functional>
#include <vector>

#include "connmgr/platform.h"
#include "scheduler.h"

namespace connmgr::sim {

// Fails the run if the running fiber holds a platform mutex (for calls the manager must make
// without its lock: dials, closes, callbacks, spawns).
void expect_unlocked(Sim& sim, const char* what);

class CAPABILITY("mutex") SimMutex {
 public:
  SimMutex() = default;
  ~SimMutex();
  SimMutex(const SimMutex&) = delete;
  SimMutex& operator=(const SimMutex&) = delete;
  // A scheduling point, then blocks while another fiber holds the mutex. Locking a mutex the
  // caller already holds fails the run (self-deadlock).
  void lock() ACQUIRE();
  // Not a scheduling point; wakes every waiter (they compete again).
  void unlock() RELEASE();

 private:
  FiberId owner_ = 0;
  bool locked_ = false;
  std::vector<FiberId> waiters_;
};

class SimCondVar {
 public:
  SimCondVar() = default;
  ~SimCondVar();
  SimCondVar(const SimCondVar&) = delete;
  SimCondVar& operator=(const SimCondVar&) = delete;
  // Releases `mu`, blocks until notified, re-acquires `mu` (no spurious wake-ups: a lost
  // notification shows up as a stuck run).
  void wait(SimMutex& mu) REQUIRES(mu);
  // Fails the run unless the running fiber holds `mu` (the CondVar contract in platform.h).
  void notify_all(SimMutex& mu) REQUIRES(mu);

 private:
  std::vector<FiberId> waiters_;
};

// Sequentially consistent (one fiber runs at a time); every operation is a scheduling point.
template <class T>
class SimAtomic {
 public:
  constexpr SimAtomic(T value) : value_(value) {}  // NOLINT: std::atomic's converting constructor.

  T load(std::memory_order = std::memory_order::seq_cst) const {
    point();
    return value_;
  }
  void store(T value, std::memory_order = std::memory_order::seq_cst) {
    point();
    value_ = value;
  }
  T fetch_add(T delta, std::memory_order = std::memory_order::seq_cst) {
    point();
    T old = value_;
    value_ = old + delta;
    return old;
  }
  T fetch_sub(T delta, std::memory_order = std::memory_order::seq_cst) {
    point();
    T old = value_;
    value_ = old - delta;
    return old;
  }
  T exchange(T value, std::memory_order = std::memory_order::seq_cst) {
    point();
    T old = value_;
    value_ = value;
    return old;
  }
  bool compare_exchange_strong(T& expected, T desired, std::memory_order = std::memory_order::seq_cst) {
    point();
    if (value_ != expected) {
      expected = value_;
      return false;
    }
    value_ = desired;
    return true;
  }

 private:
  static void point() {
    if (Sim* sim = Sim::active()) sim->yield();
  }
  T value_;
};

class SimGuardProbe {
 public:
  SimGuardProbe() = default;
  ~SimGuardProbe();
  SimGuardProbe(const SimGuardProbe&) = delete;
  SimGuardProbe& operator=(const SimGuardProbe&) = delete;
  void read() const { access(false); }
  void write() { access(true); }
  // Whether `mutex` was held at every access so far.
  bool guarded_by(const void* mutex) const;

 private:
  friend class GuardMonitor;
  void access(bool write) const;
  mutable std::vector<const void*> lockset_;
  mutable bool accessed_ = false;
};

// Watches the probes of this thread's Sim and reports the end of each critical section that
// touched one, and whether it wrote (a section that only read, GuardProbe::read(), left the
// guarded state as it was). While the hook runs (in Sim::Quiet mode) probe accesses are not
// tracked.
class GuardMonitor {
 public:
  using Hook = std::function<void(bool wrote)>;
  explicit GuardMonitor(Sim& sim);
  ~GuardMonitor();
  GuardMonitor(const GuardMonitor&) = delete;
  GuardMonitor& operator=(const GuardMonitor&) = delete;

  static GuardMonitor* active() { return active_; }
  void set_hook(Hook hook) { hook_ = std::move(hook); }
  void accessed(const SimGuardProbe& probe, bool write);
  void released(const void* mutex);

 private:
  static thread_local GuardMonitor* active_;
  Sim& sim_;
  Hook hook_;
  const SimGuardProbe* touched_ = nullptr;
  bool wrote_ = false;  // The current section wrote touched_.
  bool in_hook_ = false;
};

struct SimPlatform {
  using Mutex = SimMutex;
  using CondVar = SimCondVar;
  template <class T>
  using Atomic = SimAtomic<T>;
  using GuardProbe = SimGuardProbe;
};

}  // namespace connmgr::sim
