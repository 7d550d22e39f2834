// How long a run lasts and where in it stop() lands. The run has three parts: the operations before
// stop() (--ops minus the tail, or --duration-ms of them), the one operation whose worker calls
// stop() first, and a tail of operations on the stopped manager, while the dials, retries and
// callbacks in flight drain. The tail's length is drawn from the schedule stream (0 to 50 per
// worker), so some runs end with many connections still established and some with none.
// Thread-safe.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>

#include "options.h"

namespace connmgr::stress {

class Budget {
 public:
  explicit Budget(const Options& options);

  struct Ticket {
    bool go = false;         // Perform one more operation.
    bool stop_here = false;  // Call stop() first (exactly one ticket of the run says so).
  };
  Ticket next();
  // Operations after the one that calls stop().
  std::uint64_t tail() const { return tail_; }

 private:
  using Clock = std::chrono::steady_clock;

  bool before_stop();

  const bool by_duration_;
  const std::uint64_t tail_;
  const std::uint64_t ops_before_stop_;  // When counting operations.
  const Clock::time_point stop_time_;    // When running for a duration.
  std::atomic<std::uint64_t> issued_{0};
  std::atomic<bool> stop_issued_{false};
  std::atomic<std::uint64_t> tail_issued_{0};
};

}  // namespace connmgr::stress
