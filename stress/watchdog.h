// Turns a hang into a failure. A thread watches a progress counter; if it does not move for
// `limit`, the watchdog prints "WATCHDOG: ..." and dump() to stderr and calls std::abort(), so the
// run fails with a core dump (and, under a sanitizer, its report) instead of hanging CI.
// The watchdog only polls (every 100 ms, a timed wait that the destructor interrupts).
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <string>
#include <thread>

#include "connmgr/std_platform.h"

namespace connmgr::stress {

class Watchdog {
 public:
  Watchdog(std::chrono::seconds limit, const std::atomic<std::uint64_t>& progress,
           std::function<std::string()> dump);
  // Disarms the watchdog and joins its thread.
  ~Watchdog();
  Watchdog(const Watchdog&) = delete;
  Watchdog& operator=(const Watchdog&) = delete;

 private:
  void watch() EXCLUDES(mu_);
  // Waits up to `timeout` for disarming; returns whether the watchdog was disarmed.
  bool disarmed_within(std::chrono::milliseconds timeout) EXCLUDES(mu_);

  const std::chrono::seconds limit_;
  const std::atomic<std::uint64_t>& progress_;
  const std::function<std::string()> dump_;
  StdMutex mu_;
  std::condition_variable changed_;
  bool disarmed_ GUARDED_BY(mu_) = false;
  std::thread thread_;  // Last: started once everything it uses is initialized.
};

}  // namespace connmgr::stress
