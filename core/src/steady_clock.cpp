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
    auto it = timers_.emplace(Key{deadline, id}, std::move(callback)).first;
    by_id_.emplace(id, it);
    earliest = it == timers_.begin();
  }
  if (earliest) wake_.notify_one();
  return id;
}

bool SteadyClock::cancel(TimerId id) {
  LockGuard<StdMutex> lock(mu_);
  auto found = by_id_.find(id);
  if (found == by_id_.end()) return false;
  timers_.erase(found->second);
  by_id_.erase(found);
  return true;
}

void SteadyClock::run() {
  while (std::optional<Task> callback = next_due()) {
    (*callback)();
  }
}

std::optional<Task> SteadyClock::next_due() {
  LockGuard<StdMutex> lock(mu_);
  while (!stopping_) {
    if (timers_.empty()) {
      wait();
      continue;
    }
    auto first = timers_.begin();
    if (first->first.first > now()) {
      wait_until(first->first.first);
      continue;
    }
    Task callback = std::move(first->second);
    by_id_.erase(first->first.second);
    timers_.erase(first);
    return callback;
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
