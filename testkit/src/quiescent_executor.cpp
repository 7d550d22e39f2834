#include "connmgr/testkit/quiescent_executor.h"

#include <utility>

namespace connmgr::testkit {

void QuiescentExecutor::spawn(Task task) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    ++unfinished_;
  }
  threads_.spawn([this, task = std::move(task)] {
    task();
    std::lock_guard<std::mutex> lock(mu_);
    if (--unfinished_ == 0) idle_.notify_all();
  });
}

void QuiescentExecutor::wait_idle() {
  std::unique_lock<std::mutex> lock(mu_);
  idle_.wait(lock, [&] { return unfinished_ == 0; });
}

}  // namespace connmgr::testkit
