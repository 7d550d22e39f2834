// Emulated latency: a network round trip inside a dial, or a user callback doing some work. A timed
// wait on a condition variable that cut_short() ends early (a dial's cancel handler calls it).
// It only stretches the windows in which races can happen; nothing synchronizes through it.
#pragma once

#include <chrono>
#include <condition_variable>
#include <optional>

#include "connmgr/std_platform.h"

namespace connmgr::stress {

class Latency {
 public:
  using TimePoint = std::chrono::steady_clock::time_point;

  void cut_short() EXCLUDES(mu_) {
    LockGuard<StdMutex> lock(mu_);
    cut_ = true;
    changed_.notify_all();
  }

  // Blocks until cut_short() or `deadline` (none: until cut_short()).
  void wait_until(std::optional<TimePoint> deadline) EXCLUDES(mu_) {
    LockGuard<StdMutex> lock(mu_);
    std::unique_lock<std::mutex> native(mu_.native(), std::adopt_lock);
    while (!cut_) {
      if (!deadline) changed_.wait(native);
      else if (changed_.wait_until(native, *deadline) == std::cv_status::timeout) break;
    }
    native.release();
  }

 private:
  StdMutex mu_;
  std::condition_variable changed_;
  bool cut_ GUARDED_BY(mu_) = false;
};

}  // namespace connmgr::stress
