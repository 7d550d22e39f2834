// The manager's callbacks, accounted per request (spec A.7 I7, section 0 item 8):
// - on_connection receives a connection the dialer created, never one it already received;
// - once the manager is destroyed, for every request: on_connection calls == on_disconnection
//   calls + (1 if it was still established when the manager was destroyed), i.e. every
//   established connection was reported once and every removal of one was reported once;
// - no callback starts, or is still running, once wait() has returned.
// on_accept closes the inbound connection it is given. One callback in four emulates user work (a
// wait of up to max_work, drawn from the callbacks stream), which widens the windows between a
// callback and the manager's wait() and destruction. Thread-safe.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <unordered_map>

#include "connmgr/std_conn_manager.h"
#include "violations.h"

namespace connmgr::stress {

class Callbacks {
 public:
  // `seed`: the round's seed, of which the callbacks stream is drawn.
  Callbacks(Violations& violations, std::uint64_t seed, std::chrono::microseconds max_work)
      : violations_(violations),
        seed_(seed),
        max_work_us_(static_cast<std::uint64_t>(max_work.count())) {}

  void on_connection(const StdConnReqPtr& req, const ConnectionPtr& conn) EXCLUDES(mu_);
  void on_disconnection(const StdConnReqPtr& req) EXCLUDES(mu_);
  void on_accept(const ConnectionPtr& conn);

  // Call as soon as wait() returned: from then on every callback is a violation.
  void wait_returned();
  // Call once the manager is destroyed, with its snapshot taken after wait() returned.
  void reconcile(const Snapshot& final_snapshot) const EXCLUDES(mu_);

  std::uint64_t connections() const { return connections_.load(); }
  std::uint64_t disconnections() const { return disconnections_.load(); }

 private:
  struct Counts {
    std::uint64_t connected = 0;
    std::uint64_t disconnected = 0;
  };
  // Counts one callback for request `id`; keeps only requests whose two counts differ.
  void count(ReqId id, std::uint64_t Counts::*callback) EXCLUDES(mu_);
  void emulate_work();
  // Marks one callback running; checks it neither starts nor ends after wait() returned.
  class Running;

  Violations& violations_;
  const std::uint64_t seed_;
  const std::uint64_t max_work_us_;
  std::atomic<std::uint64_t> calls_{0};  // Numbers the callbacks; call N uses stream N.
  std::atomic<bool> wait_returned_{false};
  std::atomic<int> running_{0};
  std::atomic<std::uint64_t> connections_{0};
  std::atomic<std::uint64_t> disconnections_{0};
  mutable StdMutex mu_;
  std::unordered_map<ReqId, Counts> per_request_ GUARDED_BY(mu_);
};

}  // namespace connmgr::stress
