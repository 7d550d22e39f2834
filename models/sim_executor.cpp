#include "sim_executor.h"

#include "relacy_platform.h"
#include "verdict.h"

namespace connmgr::models {

void SimExecutor::spawn(Task task) {
  expect(!HeldLocks::any(), "Executor::spawn() called under a platform lock");
  EnvLock lock(mu_);
  expect(!closed_, "work was spawned after wait() returned");
  queue_.push_back(std::move(task));
  changed_.notify_one(RL_INFO);  // One task needs one worker; waking all would only add branches.
}

void SimExecutor::run() {
  for (;;) {
    Task task;
    {
      EnvLock lock(mu_);
      while (!closed_ && queue_.empty()) lock.wait(changed_);
      if (queue_.empty()) return;
      task = std::move(queue_.front());
      queue_.pop_front();
    }
    task();
  }
}

void SimExecutor::close() {
  EnvLock lock(mu_);
  expect(queue_.empty(), "a spawned task had not started when wait() returned");
  closed_ = true;
  changed_.notify_all(RL_INFO);
}

}  // namespace connmgr::models
