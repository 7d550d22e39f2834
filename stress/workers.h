// The stress workers: each draws operations from its own seeded stream and performs them on the
// shared manager until the budget runs out, checking every result against the operation's
// contract in the manager's design (conn_manager.h). The worker whose ticket says so calls stop()
// and then wait(), while the others go on with the tail. Every `check_every` operations all
// workers meet at a barrier whose completion checks the registry invariants on a snapshot; a
// finished worker drops out. Instantiated for StdConnManager and StdEventLoopConnManager.
#pragma once

#include <atomic>
#include <barrier>
#include <chrono>
#include <cstdint>
#include <map>
#include <string>

#include "budget.h"
#include "connmgr/std_conn_manager.h"
#include "mix.h"
#include "network.h"
#include "rng.h"
#include "status.h"
#include "targets.h"
#include "violations.h"

namespace connmgr::stress {

// check::registry_violations on a snapshot, run by the last worker to reach the barrier.
template <class Manager>
struct BarrierCheck {
  const Manager* manager;
  Violations* violations;
  std::atomic<std::uint64_t>* checks;
  void operator()() noexcept;
};
template <class Manager>
using CheckBarrier = std::barrier<BarrierCheck<Manager>>;

// Where the run stood when stop() was called; written by the worker that calls it.
struct StopMark {
  std::atomic<bool> called{false};  // Set just before stop() is called.
  std::uint64_t ops = 0;            // Operations completed before.
  std::chrono::steady_clock::time_point when;
};

// What all workers share; everything outlives them.
template <class Manager>
struct WorkerContext {
  Manager& manager;
  const Network& network;
  Targets& targets;
  Budget& budget;
  CheckBarrier<Manager>& barrier;
  Violations& violations;
  std::atomic<std::uint64_t>& progress;  // Operations completed by all workers (the watchdog's).
  StopMark& stop_mark;
  const Mix& mix;
  unsigned check_every;
};

template <class Manager>
class Worker {
 public:
  Worker(WorkerContext<Manager>& context, std::uint64_t seed, WorkerStatus& status)
      : context_(context), rng_(seed), status_(status) {}
  // Performs operations until the budget runs out, then leaves the barrier.
  void run();
  // How often each "operation: result" occurred (for the coverage summary).
  const std::map<std::string, std::uint64_t>& results() const { return results_; }

 private:
  // One operation and its arguments, drawn from the stream whatever the manager's state, so the
  // stream is the same in every run with the same seed.
  struct Draw {
    Op op;
    std::uint64_t a;
    std::uint64_t b;
  };

  void perform(const Draw& draw);
  void connect(const Draw& draw, bool permanent);
  void for_each(const Draw& draw);
  // Counts `result` (default: ec's message, or "ok") for `op`; a violation unless `expected`.
  // Errc::shut_down is never expected before stop() was called.
  void record(Op op, std::error_code ec, bool expected, std::string result = {});

  WorkerContext<Manager>& context_;
  Rng rng_;
  WorkerStatus& status_;
  std::map<std::string, std::uint64_t> results_;
};

}  // namespace connmgr::stress
