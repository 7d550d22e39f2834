// An Executor whose tasks run on the scenario's worker threads.
#pragma once

#include "env_lock.h"
#include "relacy_prelude.h"

namespace connmgr::models {

// Tasks queue in spawn order; each worker thread takes the oldest and runs it with no lock held.
// A fixed number of workers is enough here, unlike with real dialers: every model dial ends on
// its own (the network thread completes it, or cancellation does), so a task blocked in a dial
// only delays the tasks queued behind it. Fails the iteration if the manager spawns while it
// holds a platform lock, or after its wait() returned.
class SimExecutor final : public Executor {
 public:
  void spawn(Task task) override;

  // A worker thread's body: runs tasks until close().
  void run();
  // Called once the manager's wait() has returned: fails the iteration if a task has not been
  // started yet (wait() returned before the work it counts), and ends run().
  void close();

 private:
  rl::mutex mu_;
  rl::condition_variable_any changed_;
  std::deque<Task> queue_;
  bool closed_ = false;
};

}  // namespace connmgr::models
