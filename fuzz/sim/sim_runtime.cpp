#include "sim_runtime.h"

#include "sim_platform.h"

namespace connmgr::sim {

void SimExecutor::spawn(Task task) {
  expect_unlocked(sim_, "Executor::spawn");
  sim_.spawn(FiberKind::task, std::move(task));
}

}  // namespace connmgr::sim
