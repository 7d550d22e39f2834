// An Executor on real threads that a test can wait on until every spawned task has run.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <mutex>

#include "connmgr/executor.h"
#include "connmgr/thread_executor.h"

namespace connmgr::testkit {

// Thread-safe. Tasks run on a ThreadExecutor; wait_idle() returns once no spawned task is left,
// including tasks spawned by tasks. Together with a ManualClock (timers fire only when the test
// advances time) that is quiescence: nothing else can change until the test acts.
class QuiescentExecutor final : public Executor {
 public:
  void spawn(Task task) override;
  void wait_idle();

 private:
  std::mutex mu_;
  std::condition_variable idle_;
  std::size_t unfinished_ = 0;
  ThreadExecutor threads_;  // Last: destroyed (and joined) first.
};

}  // namespace connmgr::testkit
