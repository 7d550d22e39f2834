#include "sim_clock.h"

#include "verdict.h"

namespace connmgr::models {

TimePoint SimClock::now() const {
  EnvLock lock(mu_);
  return now_;
}

TimerId SimClock::schedule(Duration delay, Task callback) {
  EnvLock lock(mu_);
  expect(!closed_, "a timer was scheduled after wait() returned");
  const TimerId id = ++last_id_;
  const TimePoint deadline = now_ + std::max(delay, Duration::zero());
  timers_.emplace(Key{deadline, id}, std::move(callback));
  deadlines_.emplace(id, deadline);
  changed_.notify_all(RL_INFO);
  return id;
}

bool SimClock::cancel(TimerId id) {
  EnvLock lock(mu_);
  auto found = deadlines_.find(id);
  if (found == deadlines_.end()) return false;
  timers_.erase(Key{found->second, id});
  deadlines_.erase(found);
  return true;
}

void SimClock::run() {
  for (;;) {
    Task callback;
    TimePoint fired_at;
    {
      EnvLock lock(mu_);
      while (!closed_ && (timers_.empty() || budget_ == 0)) lock.wait(changed_);
      if (closed_) return;
      auto node = timers_.extract(timers_.begin());
      now_ = fired_at = node.key().first;
      deadlines_.erase(node.key().second);
      --budget_;
      callback = std::move(node.mapped());
    }
    note([&] {
      using std::chrono::milliseconds;
      const auto at = std::chrono::duration_cast<milliseconds>(fired_at.time_since_epoch());
      return "timer fires at " + std::to_string(at.count()) + " ms";
    });
    callback();
  }
}

void SimClock::close() {
  EnvLock lock(mu_);
  expect(timers_.empty(), "a timer is still armed after wait() returned");
  closed_ = true;
  changed_.notify_all(RL_INFO);
}

}  // namespace connmgr::models
