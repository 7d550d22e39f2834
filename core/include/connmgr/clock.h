// Time and timers, injected into the manager (spec A.4 retry waits, the failure throttle, dial
// deadlines, listener back-off). Production: SteadyClock (steady_clock.h). Tests: ManualClock,
// whose timers fire only when the test advances virtual time.
#pragma once

#include <cstdint>

#include "connmgr/types.h"

namespace connmgr {

// Identifies a scheduled timer; 0 is never a valid id.
using TimerId = std::uint64_t;

// Contract every backend must keep:
// - schedule() and cancel() never block for long and may be called with the caller's own locks
//   held; timer callbacks are invoked with none of the clock's locks held, so a callback may take
//   the caller's locks (and may schedule or cancel timers).
// - A callback runs at most once, no earlier than now() + delay, and never after cancel()
//   returned true for it. cancel() returns false when the timer already fired, is firing right
//   now, or was already canceled; the callback may then still be running.
// - Callbacks must be short: they must not block (the manager's callbacks only hand work to the
//   Executor).
class Clock {
 public:
  virtual ~Clock() = default;
  virtual TimePoint now() const = 0;
  virtual TimerId schedule(Duration delay, Task callback) = 0;
  virtual bool cancel(TimerId id) = 0;
};

}  // namespace connmgr
