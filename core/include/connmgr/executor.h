// Where the manager's spawned work runs: user callbacks, retry dials, automatic requests and
// listener loops. Production: ThreadExecutor. Tests: ManualExecutor, which a test drains.
#pragma once

#include "connmgr/types.h"

namespace connmgr {

// Contract every backend must keep:
// - spawn() never runs the task on the caller's stack; it runs it later, exactly once, on some
//   thread. Tasks may block (a retry dial, an accept loop), so an executor with a fixed number of
//   threads must not be used with dialers or listeners that block.
// - spawn() may be called from inside a task and from timer callbacks, never under the
//   manager's lock.
// - The executor outlives every manager that uses it; the manager's wait() returns only after
//   every task it spawned has finished.
class Executor {
 public:
  virtual ~Executor() = default;
  virtual void spawn(Task task) = 0;
};

}  // namespace connmgr
