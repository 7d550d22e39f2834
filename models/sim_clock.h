// A virtual Clock whose timers fire on the scenario's timer thread.
#pragma once

#include "env_lock.h"
#include "relacy_prelude.h"

namespace connmgr::models {

// Time moves only when the timer thread fires a timer: it takes the earliest armed one (ties in
// scheduling order), sets now() to its deadline and runs the callback with no lock held. When it
// does so is the scheduler's choice, so every timer races with everything else in the model.
// `budget` bounds how many timers fire in one iteration (a permanent request whose dials keep
// failing would otherwise retry forever); timers beyond it stay armed until canceled.
// Keeps the Clock contract: cancel() of a timer taken for firing returns false.
class SimClock final : public Clock {
 public:
  explicit SimClock(unsigned budget) : budget_(budget) {}

  TimePoint now() const override;
  TimerId schedule(Duration delay, Task callback) override;
  bool cancel(TimerId id) override;

  // The timer thread's body: fires timers until close().
  void run();
  // Called once the manager's wait() has returned: fails the iteration if a timer is still armed
  // (the manager lost track of it), and ends run().
  void close();

 private:
  using Key = std::pair<TimePoint, TimerId>;

  mutable rl::mutex mu_;
  rl::condition_variable_any changed_;
  TimePoint now_{};
  TimerId last_id_ = 0;
  std::map<Key, Task> timers_;
  std::map<TimerId, TimePoint> deadlines_;
  unsigned budget_;
  bool closed_ = false;
};

}  // namespace connmgr::models
