// Runs one scenario under one Relacy scheduler and reports the outcome.
#pragma once

#include "model_test.h"
#include "relacy_prelude.h"

namespace connmgr::models {

struct RunOptions {
  rl::scheduler_type_e scheduler = rl::sched_bound;
  unsigned bound = 2;                   // Context bound (preemptions) of the bound scheduler.
  rl::iteration_t iterations = 100000;  // Schedules the random scheduler tries (at least 1)...
  rl::iteration_t first_iteration = 0;  // ...from this one on: iteration i is seeded with i.
  std::string replay;                   // A failure's replay state: re-run only that iteration.
};

// Prints "scenario scheduler iterations time result" on one line. On a failure, prints Relacy's
// verdict and the failing interleaving (in full, then in short) first, and after the result line
// the command line that replays it, once a second replay has shown that it reproduces the same
// verdict. `program` is the path of this binary, for that command line. Returns true on success.
bool run(const ScenarioEntry& scenario, const RunOptions& options, const std::string& program);

const char* scheduler_name(rl::scheduler_type_e scheduler);

}  // namespace connmgr::models
