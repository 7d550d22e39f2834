// The compile-time half of the platform layer: what the manager locks, waits on and counts with.
//
// ConnManager<Platform> is written once against this concept and instantiated per engine:
// StdPlatform (std_platform.h) for production, tests and stress runs; a Relacy platform for model
// checking; a simulation platform for fuzzing. The runtime half (Clock, Executor, Dialer,
// Listener) is injected through Config as interfaces, because it is never on the lock path.
//
// A Platform is a struct providing:
//   Mutex        Non-recursive, annotated CAPABILITY("mutex"): lock() ACQUIRE(), unlock()
//                RELEASE(). Locking is a plain (non-virtual) call.
//   BatchingMutex  Optional: a Mutex for the synchronous design's registry, which callers queue
//                up on, whose contended waiters let the owner run several critical sections in a
//                row (throughput over fairness). Absent, the registry uses Mutex.
//   CondVar      wait(m) REQUIRES(m), for m a Mutex or BatchingMutex: atomically releases m,
//                blocks until notified (or spuriously), re-acquires m. notify_all(m) REQUIRES(m):
//                called in the critical section that changed the waiters' predicate, so a backend
//                may poll before blocking without losing a wake-up. Callers always wait in a
//                predicate loop.
//   Atomic<T>    std::atomic-like: load(order), store(v, order), fetch_add(v, order),
//                fetch_sub(v, order), exchange(v, order), compare_exchange_strong(expected, v,
//                order); constructible from T. Used for request ids and states that are read
//                without the lock, and for the count of outstanding work.
//   GuardProbe   read() and write(), called at every access of state the manager guards with its
//                mutex: write() where the access may change it, read() where it cannot.
//                Production makes them no-ops; a checker backend makes them shared-memory
//                accesses it tracks, so an access outside the lock shows up as a data race.
//
// Backends guarantee the usual mutex semantics (a release/acquire edge from unlock to the next
// lock) and that a blocked wait() lets other threads (or fibers) run.
#pragma once

#include "connmgr/thread_annotations.h"

namespace connmgr {

// Platform::BatchingMutex if the platform has one, else Platform::Mutex.
template <class Platform>
struct BatchingMutexOf {
  using type = typename Platform::Mutex;
};
template <class Platform>
  requires requires { typename Platform::BatchingMutex; }
struct BatchingMutexOf<Platform> {
  using type = typename Platform::BatchingMutex;
};

// RAII lock over any Platform::Mutex, understood by the thread-safety analysis.
template <class Mutex>
class SCOPED_CAPABILITY LockGuard {
 public:
  explicit LockGuard(Mutex& mu) ACQUIRE(mu) : mu_(mu) { mu_.lock(); }
  ~LockGuard() RELEASE() { mu_.unlock(); }
  LockGuard(const LockGuard&) = delete;
  LockGuard& operator=(const LockGuard&) = delete;

 private:
  Mutex& mu_;
};

}  // namespace connmgr
