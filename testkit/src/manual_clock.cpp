#include "connmgr/testkit/manual_clock.h"

namespace connmgr::testkit {

TimePoint ManualClock::now() const {
  LockGuard<StdMutex> lock(mu_);
  return now_;
}

TimerId ManualClock::schedule(Duration delay, Task callback) {
  LockGuard<StdMutex> lock(mu_);
  const TimerId id = ++last_id_;
  const TimePoint deadline = now_ + std::max(delay, Duration::zero());
  timers_.emplace(Key{deadline, id}, std::move(callback));
  deadlines_.emplace(id, deadline);
  armed_changed_.notify_all();
  return id;
}

bool ManualClock::cancel(TimerId id) {
  LockGuard<StdMutex> lock(mu_);
  auto found = deadlines_.find(id);
  if (found == deadlines_.end()) return false;
  timers_.erase(Key{found->second, id});
  deadlines_.erase(found);
  return true;
}

std::size_t ManualClock::advance(Duration span) {
  std::size_t fired = 0;
  mu_.lock();
  const TimePoint target = now_ + std::max(span, Duration::zero());
  while (!timers_.empty() && timers_.begin()->first.first <= target) {
    auto node = timers_.extract(timers_.begin());
    now_ = node.key().first;
    deadlines_.erase(node.key().second);
    mu_.unlock();
    node.mapped()();
    ++fired;
    mu_.lock();
  }
  now_ = target;
  mu_.unlock();
  return fired;
}

std::size_t ManualClock::armed() const {
  LockGuard<StdMutex> lock(mu_);
  return timers_.size();
}

std::optional<TimePoint> ManualClock::next_deadline() const {
  LockGuard<StdMutex> lock(mu_);
  if (timers_.empty()) return std::nullopt;
  return timers_.begin()->first.first;
}

void ManualClock::wait_armed(std::size_t count) const {
  LockGuard<StdMutex> lock(mu_);
  while (timers_.size() < count) {
    std::unique_lock<std::mutex> native(mu_.native(), std::adopt_lock);
    armed_changed_.wait(native);
    native.release();
  }
}

}  // namespace connmgr::testkit
