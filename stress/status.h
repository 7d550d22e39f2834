// What the watchdog prints about a hung run: each worker's current activity, and the manager's
// snapshot, taken without racing the manager's destruction or blocking on a deadlocked lock.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "connmgr/std_conn_manager.h"
#include "mix.h"

namespace connmgr::stress {

enum class Activity { starting, operating, stopping, waiting, at_barrier, finished };

// One worker's activity. Written by the worker, read by the watchdog. Thread-safe.
class WorkerStatus {
 public:
  void set(Activity activity) EXCLUDES(mu_);
  // Starts operation `op`, the worker's `iteration`-th; clears the request and target.
  void begin(std::uint64_t iteration, Op op) EXCLUDES(mu_);
  void set_request(StdConnReqPtr req) EXCLUDES(mu_);  // The request a connect works on.
  void set_target(ReqId id) EXCLUDES(mu_);            // The id a disconnect or remove aims at.
  // E.g. "iteration 17: connect fake-3 (reqid 12), state Pending".
  std::string describe() const EXCLUDES(mu_);

 private:
  mutable StdMutex mu_;
  Activity activity_ GUARDED_BY(mu_) = Activity::starting;
  Op op_ GUARDED_BY(mu_) = Op::connect;
  std::uint64_t iteration_ GUARDED_BY(mu_) = 0;
  StdConnReqPtr req_ GUARDED_BY(mu_);
  ReqId target_ GUARDED_BY(mu_) = 0;
};

// Lets another thread snapshot the manager while it is attached.
class ManagerProbe {
 public:
  ManagerProbe();
  // Attach the manager's snapshot() after create(); detach (null) before destroying it.
  void attach(std::function<Snapshot()> snapshot);
  // describe_snapshot() of the attached manager, or why there is none: detached, or no answer
  // within `patience` (its lock is probably held forever; the helper thread is then left behind).
  std::string describe(std::chrono::seconds patience) const;

 private:
  struct Shared {
    StdMutex mu;
    std::function<Snapshot()> snapshot GUARDED_BY(mu);
  };
  std::shared_ptr<Shared> shared_;  // Shared with a helper thread that may outlive the probe.
};

// What the watchdog reads about the whole run; outlives every round.
struct RunStatus {
  explicit RunStatus(unsigned workers) : workers(workers) {}
  // Everything below, for the watchdog's dump (waits up to 2 s for the manager's snapshot).
  std::string describe() const;

  std::atomic<std::uint64_t> progress{0};  // Operations completed, over all rounds.
  std::atomic<unsigned> round{0};
  std::atomic<const char*> phase{"starting"};
  std::atomic<std::size_t> dials_in_flight{0};
  std::atomic<std::size_t> accepts_in_flight{0};
  std::vector<WorkerStatus> workers;
  ManagerProbe manager;
};

}  // namespace connmgr::stress
