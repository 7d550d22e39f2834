#include "connmgr/steady_clock.h"

namespace connmgr {
namespace {

// start + delay, saturated to [start, TimePoint::max()].
TimePoint deadline_after(TimePoint start, Duration delay) {
  if (delay <= Duration::zero()) return start;
  if (delay >= TimePoint::max() - start) return TimePoint::max();
  return start + delay;
}

}  // namespace

SteadyClock::SteadyClock() : thread_([this] { run(); }) {}

SteadyClock::~SteadyClock() {
  {
    LockGuard<StdMutex> lock(mu_);
    stopping_ = true;
  }
  wake_.notify_one();
  thread_.join();
}

TimePoint SteadyClock::now() const {
  return std::chrono::time_point_cast<Duration>(std::chrono::steady_clock::now());
}

TimerId SteadyClock::schedule(Duration delay, Task callback) {
  const TimePoint deadline = deadline_after(now(), delay);
  bool earliest;
  TimerId id;
  {
    LockGuard<StdMutex> lock(mu_);
    id = next_id_++;
    timers_.push(deadline, id, std::move(callback));
    earliest = timers_.earliest() == deadline;
  }
  if (earliest) wake_.notify_one();
  return id;
}

bool SteadyClock::cancel(TimerId id) {
  LockGuard<StdMutex> lock(mu_);
  return timers_.cancel(id);
}

void SteadyClock::run() {
  while (std::optional<Task> callback = next_due()) {
    (*callback)();
  }
}

std::optional<Task> SteadyClock::next_due() {
  LockGuard<StdMutex> lock(mu_);
  while (!stopping_) {
    if (std::optional<Task> due = timers_.pop_due(now())) return due;
    if (std::optional<TimePoint> deadline = timers_.earliest()) {
      wait_until(*deadline);
    } else {
      wait();
    }
  }
  return std::nullopt;
}

void SteadyClock::wait_until(TimePoint deadline) {
  std::unique_lock<std::mutex> lock(mu_.native(), std::adopt_lock);
  wake_.wait_until(lock, deadline);
  lock.release();
}

void SteadyClock::wait() {
  std::unique_lock<std::mutex> lock(mu_.native(), std::adopt_lock);
  wake_.wait(lock);
  lock.release();
}

}  // namespace connmgr
