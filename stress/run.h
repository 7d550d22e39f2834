// One stress run: options.rounds rounds, one after the other. Each round opens a fresh network and
// runs a fresh production manager (StdConnManager or StdEventLoopConnManager, on its own
// SteadyClock and ThreadExecutor), driven by the workers, stopped in the middle of it all, waited
// for, checked and destroyed; then every connection of the round must have been closed exactly
// once. Every check reports to `violations`; a hang aborts (the watchdog). Everything the run
// starts has ended when it returns (checked: the process's thread count).
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "options.h"
#include "violations.h"

namespace connmgr::stress {

// Totals over all rounds.
struct RunResult {
  std::uint64_t ops = 0;              // Operations the workers completed.
  std::uint64_t ops_before_stop = 0;  // Of which before stop() (the throughput's measure).
  double seconds_before_stop = 0;     // How long the workers ran before stop().
  std::uint64_t checks = 0;           // Barrier checks of the registry invariants.
  std::uint64_t dialed = 0;    // Connections dialers returned to the manager.
  std::uint64_t accepted = 0;  // Connections the manager's listeners accepted.
  std::uint64_t on_connection = 0;
  std::uint64_t on_disconnection = 0;
  std::uint64_t established_at_end = 0;
  // Per design ("sync", "event-loop"): "operation: result" → count.
  std::map<std::string, std::map<std::string, std::uint64_t>> results;
};

RunResult run_stress(const Options& options, Violations& violations);

}  // namespace connmgr::stress
