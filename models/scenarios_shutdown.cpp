// Shutdown (stop() then wait() on an operation thread) racing each operation: dials in flight,
// retries, disconnection and removal of a request, cancel_pending() and for_each_conn_req().
#include "catalog.h"
#include "scenario_kit.h"

namespace connmgr::models {
namespace {

struct DialVsShutdown : ConnectVsShutdown<DialVsShutdown, false> {
  static constexpr const char* kName = "dial_vs_shutdown";
  static constexpr const char* kSummary = "a dial succeeds or fails while the manager shuts down";
  static Setup setup() { return dials({Outcome::either}); }
};

struct HangingDialVsShutdown : ConnectVsShutdown<HangingDialVsShutdown, false> {
  static constexpr const char* kName = "hanging_dial_vs_shutdown";
  static constexpr const char* kSummary =
      "a dial that only ends when canceled is in flight (or starting) while the manager shuts down";
  static Setup setup() { return dials({Outcome::hang}); }
};

struct PermanentVsShutdown : ConnectVsShutdown<PermanentVsShutdown, true> {
  static constexpr const char* kName = "permanent_vs_shutdown";
  static constexpr const char* kSummary =
      "a permanent request dials, fails or connects, and retries while the manager shuts down";
  static Setup setup() { return dials({Outcome::either}, 1); }
};

struct RetryVsShutdown : ConnectVsShutdown<RetryVsShutdown, true> {
  static constexpr const char* kName = "retry_vs_shutdown";
  static constexpr const char* kSummary =
      "the retry timer fires and redials while the manager shuts down";
  static Setup setup() { return dials({Outcome::fail, Outcome::either}, 1); }
};

struct HangingRetryVsShutdown : ConnectVsShutdown<HangingRetryVsShutdown, true> {
  static constexpr const char* kName = "hanging_retry_vs_shutdown";
  static constexpr const char* kSummary =
      "a failed permanent request's retry dial, which only ends when canceled, races shutdown";
  static Setup setup() { return dials({Outcome::fail, Outcome::hang}, 1); }
};

struct DisconnectVsShutdown : ConnectVsShutdown<DisconnectVsShutdown, true> {
  static constexpr const char* kName = "disconnect_vs_shutdown";
  static constexpr const char* kSummary =
      "an established permanent request is disconnected (and retried) while the manager shuts down";
  static Setup setup() { return dials({Outcome::succeed}, 1); }
  void after_connect(World& world) { world.disconnect(kFirstId); }
};

struct RemoveVsShutdown : ConnectVsShutdown<RemoveVsShutdown, true> {
  static constexpr const char* kName = "remove_vs_shutdown";
  static constexpr const char* kSummary =
      "a permanent request connects or fails and is removed while the manager shuts down";
  static Setup setup() { return dials({Outcome::either}, 1); }
  void after_connect(World& world) { world.remove(kFirstId); }
};

struct CancelPendingVsShutdown {
  static constexpr const char* kName = "cancel_pending_vs_shutdown";
  static constexpr const char* kSummary =
      "a dial completes while one thread runs cancel_pending() and another shuts down";
  static constexpr Threads kThreads{.ops = 3};
  static Setup setup() { return dials({Outcome::either}); }

  ModelReqPtr req = request(false);
  void operate(unsigned thread, World& world) {
    if (thread == 0) world.connect(req);
    else if (thread == 1) world.cancel_pending(req);
    else world.shut_down();
  }
};

struct ForEachVsShutdown : ConnectVsShutdown<ForEachVsShutdown, true> {
  static constexpr const char* kName = "for_each_vs_shutdown";
  static constexpr const char* kSummary =
      "for_each_conn_req() runs after a permanent dial while the manager shuts down";
  static Setup setup() { return dials({Outcome::either}, 1); }
  void after_connect(World& world) { world.for_each(); }
};

}  // namespace

std::vector<ScenarioEntry> shutdown_scenarios() {
  return {
      entry<DialVsShutdown>(),
      entry<HangingDialVsShutdown>(),
      entry<PermanentVsShutdown>(),
      entry<RetryVsShutdown>(),
      entry<HangingRetryVsShutdown>(),
      entry<DisconnectVsShutdown>(),
      entry<RemoveVsShutdown>(),
      entry<CancelPendingVsShutdown>(),
      entry<ForEachVsShutdown>(),
  };
}

}  // namespace connmgr::models
