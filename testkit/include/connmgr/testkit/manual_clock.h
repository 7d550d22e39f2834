// A Clock whose time moves only when a test advances it (the virtual time of the unit suite).
#pragma once

#include <condition_variable>
#include <cstddef>
#include <map>
#include <mutex>
#include <optional>
#include <utility>

#include "connmgr/clock.h"
#include "connmgr/std_platform.h"

namespace connmgr::testkit {

// Thread-safe. Time starts at TimePoint{} and never moves by itself: timers fire only inside
// advance(), on the thread that calls it, in (deadline, scheduling order) order, with now() equal
// to each timer's deadline while it runs. A timer scheduled by a firing callback fires in the same
// advance() if its deadline is within the advanced span.
class ManualClock final : public Clock {
 public:
  TimePoint now() const override;
  TimerId schedule(Duration delay, Task callback) override;
  bool cancel(TimerId id) override;

  // Moves time forward by `span` (>= 0), firing every timer that comes due. Returns how many fired.
  std::size_t advance(Duration span);
  // Fires timers due at the current time without moving it.
  std::size_t fire_due() { return advance(Duration::zero()); }
  std::size_t armed() const;
  // Blocks until at least `count` timers are armed (for tests whose timers are armed on other
  // threads).
  void wait_armed(std::size_t count) const;
  // The deadline of the earliest armed timer.
  std::optional<TimePoint> next_deadline() const;

 private:
  using Key = std::pair<TimePoint, TimerId>;

  mutable StdMutex mu_;
  mutable std::condition_variable armed_changed_;
  TimePoint now_ GUARDED_BY(mu_){};
  TimerId last_id_ GUARDED_BY(mu_) = 0;
  std::map<Key, Task> timers_ GUARDED_BY(mu_);
  std::map<TimerId, TimePoint> deadlines_ GUARDED_BY(mu_);
};

}  // namespace connmgr::testkit
