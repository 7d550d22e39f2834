// The critical section of an environment object (clock, executor, network).
#pragma once

#include "relacy_prelude.h"

namespace connmgr::models {

// Holds the object's rl::mutex with preemption disabled: the environment's own bookkeeping is not
// what the models check, so each section is one atomic step for Relacy and adds no branches to the
// search. A wait() inside the section still blocks and lets every other thread run.
class EnvLock {
 public:
  explicit EnvLock(rl::mutex& mu) : quiet_(rl::ctx()), mu_(mu) { mu_.lock(RL_INFO); }
  ~EnvLock() { mu_.unlock(RL_INFO); }

  void wait(rl::condition_variable_any& cv) { cv.wait(mu_, RL_INFO); }

 private:
  rl::preemption_disabler quiet_;
  rl::mutex& mu_;
};

}  // namespace connmgr::models
