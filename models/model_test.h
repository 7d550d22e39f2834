// Binds a scenario to Relacy: one rl::test_suite whose threads run the scenario's operations and
// the environment (network, clock, executor workers).
//
// A scenario is a struct with
//   static constexpr const char* kName, kSummary;
//   static constexpr Threads kThreads;
//   static Setup setup();
//   void operate(unsigned thread, World& world);  // The operations of thread 0..kThreads.ops-1.
// Relacy constructs the scenario (and a fresh World, hence a fresh manager) for every iteration,
// so requests it creates in member initializers are new each time.
#pragma once

#include "relacy_prelude.h"
#include "untracked_heap.h"
#include "world.h"

namespace connmgr::models {

// The threads of a scenario, in index order: operations, the network, the timer (if any), then
// the executor's workers.
struct Threads {
  unsigned ops = 1;
  unsigned workers = 1;
  bool timer = false;

  constexpr unsigned total() const { return ops + 1 + (timer ? 1 : 0) + workers; }

  // "op0", "network", "timer", "worker1"...
  std::string role(unsigned index) const {
    if (index < ops) return "op" + std::to_string(index);
    if (index == ops) return "network";
    if (timer && index == ops + 1) return "timer";
    return "worker" + std::to_string(index - ops - 1 - (timer ? 1 : 0));
  }
};

// Set by the runner for a replay: the test stops after its first iteration, reproduced or not.
struct ReplayMode {
  static inline bool single_iteration = false;
};

// UntrackedHeap is the first base: it is in force before the members allocate and until they
// have released everything.
template <class Scenario>
class ModelTest : private UntrackedHeap,
                  public rl::test_suite<ModelTest<Scenario>, Scenario::kThreads.total()> {
 public:
  static_assert(Scenario::kThreads.total() <= kMaxModelThreads);

  void before() { HeldLocks::reset(); }

  void thread(unsigned index) {
    constexpr Threads threads = Scenario::kThreads;
    if (index < threads.ops) {
      scenario_.operate(index, world_);
      world_.finish_operations();
    } else if (index == threads.ops) {
      world_.network().run();
    } else if (threads.timer && index == threads.ops + 1) {
      world_.clock().run();
    } else {
      world_.executor().run();
    }
  }

  void after() {
    if (ReplayMode::single_iteration) RL_UNTIL(true);
  }

 private:
  World world_{Scenario::setup(), Scenario::kThreads.ops};
  Scenario scenario_;
};

// A scenario as the runner sees it.
struct ScenarioEntry {
  const char* name;
  const char* summary;
  Threads threads;
  bool (*simulate)(rl::test_params& params);
};

template <class Scenario>
constexpr ScenarioEntry entry() {
  return {Scenario::kName, Scenario::kSummary, Scenario::kThreads,
          &rl::simulate<ModelTest<Scenario>>};
}

}  // namespace connmgr::models
