// The runtime half of the platform on the Sim: a virtual Clock whose callbacks run on fresh timer
// fibers, and an Executor whose every task is a fresh fiber.
#pragma once

#include "connmgr/clock.h"
#include "connmgr/executor.h"
#include "scheduler.h"

namespace connmgr::sim {

// Keeps the Clock contract: a timer taken out for firing can no longer be canceled.
class SimClock final : public Clock {
 public:
  explicit SimClock(Sim& sim) : sim_(sim) {}
  TimePoint now() const override { return sim_.now(); }
  TimerId schedule(Duration delay, Task callback) override {
    return sim_.add_timer(delay, std::move(callback));
  }
  bool cancel(TimerId id) override { return sim_.cancel_timer(id); }

 private:
  Sim& sim_;
};

// spawn() must not be called under a lock (the Executor contract); doing so fails the run.
class SimExecutor final : public Executor {
 public:
  explicit SimExecutor(Sim& sim) : sim_(sim) {}
  void spawn(Task task) override;

 private:
  Sim& sim_;
};

}  // namespace connmgr::sim
