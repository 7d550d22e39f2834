// The production Clock: std::chrono::steady_clock time and one timer thread.
#pragma once

#include <condition_variable>
#include <optional>
#include <thread>

#include "connmgr/clock.h"
#include "connmgr/std_platform.h"
#include "connmgr/timer_queue.h"

namespace connmgr {

// Keeps the Clock contract (clock.h). now(), schedule() and cancel() may be called from any
// thread, including from a timer callback; schedule() is O(log n), cancel() amortized O(1).
// Callbacks run one at a time on the clock's own thread, in (deadline, id) order, with no lock
// held. Ids increase from 1. The destructor stops and joins the timer thread: a callback running
// at that moment finishes first, timers still pending are dropped without running. The destructor
// must not be called from a timer callback.
class SteadyClock final : public Clock {
 public:
  SteadyClock();
  ~SteadyClock() override;
  SteadyClock(const SteadyClock&) = delete;
  SteadyClock& operator=(const SteadyClock&) = delete;

  TimePoint now() const override;
  TimerId schedule(Duration delay, Task callback) override EXCLUDES(mu_);
  bool cancel(TimerId id) override EXCLUDES(mu_);

 private:
  void run() EXCLUDES(mu_);
  // Blocks until the earliest timer is due and removes it; nullopt once the clock is stopping.
  std::optional<Task> next_due() EXCLUDES(mu_);
  void wait_until(TimePoint deadline) REQUIRES(mu_);
  void wait() REQUIRES(mu_);

  StdMutex mu_;
  std::condition_variable wake_;
  TimerQueue timers_ GUARDED_BY(mu_);
  TimerId next_id_ GUARDED_BY(mu_) = 1;
  bool stopping_ GUARDED_BY(mu_) = false;
  std::thread thread_;
};

}  // namespace connmgr
