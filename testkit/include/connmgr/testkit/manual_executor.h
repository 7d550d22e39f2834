// An Executor that only queues: the test decides when spawned work runs, on its own thread.
#pragma once

#include <cstddef>
#include <deque>

#include "connmgr/executor.h"
#include "connmgr/std_platform.h"

namespace connmgr::testkit {

// Thread-safe. Tasks run only inside run_ready(), in spawn order, on the calling thread. Use it
// only with dialers and listeners that do not block (a blocking task would block the test), and
// drain it after ConnManager::stop(): the manager's wait() and destructor wait for queued tasks.
class ManualExecutor final : public Executor {
 public:
  void spawn(Task task) override;
  // Runs queued tasks, and the tasks they spawn, until the queue is empty. Returns how many ran.
  std::size_t run_ready();
  std::size_t queued() const;

 private:
  mutable StdMutex mu_;
  std::deque<Task> queue_ GUARDED_BY(mu_);
};

}  // namespace connmgr::testkit
