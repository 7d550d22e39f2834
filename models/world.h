// Everything one iteration of a scenario owns: the manager, the services it is wired to, and the
// record of what its callbacks saw.
#pragma once

#include "relacy_conn_manager.h"
#include "relacy_prelude.h"
#include "sim_clock.h"
#include "sim_executor.h"
#include "sim_network.h"

namespace connmgr::models {

// How a scenario configures the manager and its environment.
struct Setup {
  NetworkScript network;
  unsigned timer_budget = 0;          // Timers the clock fires at most (0: time stands still).
  std::uint32_t target_outbound = 0;  // Nonzero: automatic mode, every address is kAutoAddress.
  Duration dial_timeout{0};
};

inline const std::string kAutoAddress = "10.0.0.99:8333";

// Operations go through World: each is logged in Relacy's history and followed by the shared
// registry invariants (check::registry_violations) on a fresh snapshot; so is the start of every
// dial and every callback (user code may call snapshot()). There are two more checks across
// snapshots: a request that remove() or cancel_pending() ended never comes back, and once stop()
// has run nothing new starts (no timer is armed, no request becomes established). Callbacks and
// user code fail the iteration if they run under a platform lock or after the final wait()
// returned.
//
// The last operation thread to finish (finish_operations) shuts the manager down and checks the
// end state: the quiescent invariants, every request connect() registered that is no longer
// registered in a final state (Failed, Canceled or Disconnected), one on_disconnection per removed
// established request and one on_connection per establishment, every service idle, and, once the
// manager is destroyed, every connection the network handed out closed exactly once.
class World {
 public:
  World(const Setup& setup, unsigned operation_threads);

  ModelManager& manager() { return *manager_; }
  SimClock& clock() { return clock_; }
  SimExecutor& executor() { return executor_; }
  SimNetwork& network() { return network_; }

  std::error_code connect(const ModelReqPtr& req,
                          const std::shared_ptr<ModelCancelSource>& cancel = nullptr);
  std::error_code disconnect(ReqId id);
  // remove() and cancel_pending() end a request for good when they succeed: from then on it must
  // stay out of the registry (spec A.7 I4 and I5), which every later check verifies.
  std::error_code remove(ReqId id);
  // Cancels `req` by its address (each scenario request has an address of its own).
  std::error_code cancel_pending(const ModelReqPtr& req);
  // cancel_pending() of the address `requests` share, which must cancel the one with the lowest
  // id among those pending. Requests passed here may only leave Pending by being canceled.
  std::error_code cancel_pending(const std::vector<ModelReqPtr>& requests);
  // Visits every request; the visitor checks each is in a registered state.
  void for_each();
  void start();
  void stop();
  // stop(), then wait() on this thread.
  void shut_down();
  // The caller's cancellation of a connect() made with `source`. From then on that request's
  // failures are not retried (spec section 0 item 1: a manual request's retries are bound to its
  // caller's cancellation): its retry count must not grow. For scenarios that never disconnect
  // that request (a disconnection re-registers it with a retry whatever its caller did).
  void cancel(ModelCancelSource& source);

  // Called by each operation thread when its operations are done.
  void finish_operations();

 private:
  void check_registry();
  void check_ended(const Snapshot& snapshot);
  void check_after_stop(const Snapshot& snapshot);
  void check_caller_canceled(const Snapshot& snapshot);
  void check_unregistered_final(const Snapshot& snapshot);
  void finish();
  void on_connection(const ModelReqPtr& req, const ConnectionPtr& conn);
  void on_disconnection(const ModelReqPtr& req);
  void user_code(const char* what);

  SimClock clock_;
  SimExecutor executor_;
  SimNetwork network_;
  std::unique_ptr<ModelManager> manager_;
  unsigned operations_running_;
  std::vector<ModelReqPtr> connected_requests_;  // Every request passed to connect().
  std::vector<ReqId> ended_;
  struct Counts {
    std::size_t armed_timers = 0;
    std::size_t established = 0;
  };
  std::optional<Counts> after_stop_;  // Last counts seen once stopped.
  // The CancelSource of each connect() that had one, and its request.
  std::vector<std::pair<const ModelCancelSource*, ModelReqPtr>> callers_;
  struct CallerCanceled {
    ModelReqPtr req;
    std::optional<std::uint32_t> retry_count;  // Last seen since the cancellation.
  };
  std::optional<CallerCanceled> caller_canceled_;
  std::size_t connected_ = 0;
  std::size_t disconnected_ = 0;
  bool waited_ = false;
};

}  // namespace connmgr::models
