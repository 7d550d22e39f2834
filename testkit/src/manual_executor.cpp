#include "connmgr/testkit/manual_executor.h"

#include <utility>

namespace connmgr::testkit {

void ManualExecutor::spawn(Task task) {
  LockGuard<StdMutex> lock(mu_);
  queue_.push_back(std::move(task));
}

std::size_t ManualExecutor::run_ready() {
  std::size_t ran = 0;
  for (;;) {
    Task task;
    {
      LockGuard<StdMutex> lock(mu_);
      if (queue_.empty()) return ran;
      task = std::move(queue_.front());
      queue_.pop_front();
    }
    task();
    ++ran;
  }
}

std::size_t ManualExecutor::queued() const {
  LockGuard<StdMutex> lock(mu_);
  return queue_.size();
}

}  // namespace connmgr::testkit
