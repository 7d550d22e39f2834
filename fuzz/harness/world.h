// One run of a scenario: the real manager on the Sim, of the design the scenario's config picks
// (ConnManager<SimPlatform> or EventLoopConnManager<SimPlatform>), driven by the scenario's client
// threads, dial faults, addresses and schedule, under every oracle:
// - the lockset probe (guarded state touched without the manager's lock);
// - check::registry_violations after every critical section, and the refinement checker
//   (synchronous design only: it needs the thread each critical section ran for);
// - no dial, close, callback, spawn or address lookup under a lock; no connection closed twice;
// - after stop() and wait(): check::quiescent_violations, the model's final registry, request
//   states and callback counts; after destruction: every connection closed exactly once;
// - liveness: a run that cannot finish (deadlock, lost wake-up) or exceeds its step budget fails.
//
// The run ends in three phases: clients run until each has finished or waits in wait(), they get
// stuck, or virtual time passes kHorizon; then a closer thread calls stop() and wait() while the
// clients may still run; then the manager is destroyed on a fiber.
//
// Compare mode (ops target, config bit 7): the operations run once on each design, on one client
// thread, each completing (with everything it set off at that virtual time) before the next
// starts, under the RunToCompletion schedule; both runs face every oracle above, and then their
// Outcomes must agree (outcome.h). A failure of an event-loop run names "[event loop]".
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "harness/outcome.h"
#include "harness/scenario.h"
#include "sim/strategy.h"

namespace connmgr::fuzz {

struct RunOptions {
  bool trace = false;                // Build the interleaving table.
  bool guarantee = false;            // Describe the scheduler's search guarantee.
  // Snapshot also the critical sections that only viewed the registry, and fail the run if one
  // changed it (the view() contract in conn_manager.h). The replay driver sets it; fuzzing skips
  // those snapshots for speed.
  bool verify_views = false;
  std::optional<Schedule> schedule;  // Overrides the scenario's scheduler (with seed, depth).
  std::uint32_t seed = 0;
  std::uint8_t depth = 2;
  std::uint64_t max_steps = 200000;
};

struct RunResult {
  bool failed = false;
  std::string failure;     // The first oracle violation.
  std::uint64_t hash = 0;  // Of every scheduling decision and observed result.
  std::uint64_t steps = 0;
  sim::FiberId fibers = 0;
  std::string guarantee;       // The scheduler's search guarantee for this run, if asked for.
  std::string trace;           // The interleaving table, if asked for.
  std::size_t tail_front = 0;  // Tail bytes consumed from the front and from the back.
  std::size_t tail_back = 0;
  Outcome outcome;  // Compare mode only.
};

RunResult run(const Scenario& scenario, const RunOptions& options = {});

// The kind of a failure (the text before its first ':'), for minimization.
std::string failure_kind(const std::string& failure);

}  // namespace connmgr::fuzz
