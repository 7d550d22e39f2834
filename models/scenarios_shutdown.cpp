// Shutdown (stop() then wait() on an operation thread) racing each operation: dials in flight,
// retries, disconnection and removal of a request, cancel_pending() and for_each_conn_req().
#include "catalog.h"

namespace connmgr::models {
namespace {

const std::string kAddress = "10.0.0.2:8333";
constexpr ReqId kFirstId = 1;

ModelReqPtr request(bool permanent) { return std::make_shared<ModelReq>(kAddress, permanent); }

struct DialVsShutdown {
  static constexpr const char* kName = "dial_vs_shutdown";
  static constexpr const char* kSummary = "a dial succeeds or fails while the manager shuts down";
  static constexpr Threads kThreads{.ops = 2};
  static Setup setup() { return {.network = {.dials = {Outcome::either}}}; }

  ModelReqPtr req = request(false);
  void operate(unsigned thread, World& world) {
    if (thread == 0) world.connect(req);
    else world.shut_down();
  }
};

struct HangingDialVsShutdown {
  static constexpr const char* kName = "hanging_dial_vs_shutdown";
  static constexpr const char* kSummary =
      "a dial that only ends when canceled is in flight (or starting) while the manager shuts down";
  static constexpr Threads kThreads{.ops = 2};
  static Setup setup() { return {.network = {.dials = {Outcome::hang}}}; }

  ModelReqPtr req = request(false);
  void operate(unsigned thread, World& world) {
    if (thread == 0) world.connect(req);
    else world.shut_down();
  }
};

struct PermanentVsShutdown {
  static constexpr const char* kName = "permanent_vs_shutdown";
  static constexpr const char* kSummary =
      "a permanent request dials, fails or connects, and retries while the manager shuts down";
  static constexpr Threads kThreads{.ops = 2, .timer = true};
  static Setup setup() { return {.network = {.dials = {Outcome::either}}, .timer_budget = 1}; }

  ModelReqPtr req = request(true);
  void operate(unsigned thread, World& world) {
    if (thread == 0) world.connect(req);
    else world.shut_down();
  }
};

struct RetryVsShutdown {
  static constexpr const char* kName = "retry_vs_shutdown";
  static constexpr const char* kSummary =
      "the retry timer fires and redials while the manager shuts down";
  static constexpr Threads kThreads{.ops = 2, .timer = true};
  static Setup setup() {
    return {.network = {.dials = {Outcome::fail, Outcome::either}}, .timer_budget = 1};
  }

  ModelReqPtr req = request(true);
  void operate(unsigned thread, World& world) {
    if (thread == 0) world.connect(req);
    else world.shut_down();
  }
};

struct HangingRetryVsShutdown {
  static constexpr const char* kName = "hanging_retry_vs_shutdown";
  static constexpr const char* kSummary =
      "a failed permanent request's retry dial, which only ends when canceled, races shutdown";
  static constexpr Threads kThreads{.ops = 2, .timer = true};
  static Setup setup() {
    return {.network = {.dials = {Outcome::fail, Outcome::hang}}, .timer_budget = 1};
  }

  ModelReqPtr req = request(true);
  void operate(unsigned thread, World& world) {
    if (thread == 0) world.connect(req);
    else world.shut_down();
  }
};

struct DisconnectVsShutdown {
  static constexpr const char* kName = "disconnect_vs_shutdown";
  static constexpr const char* kSummary =
      "an established permanent request is disconnected (and retried) while the manager shuts down";
  static constexpr Threads kThreads{.ops = 2, .timer = true};
  static Setup setup() { return {.network = {.dials = {Outcome::succeed}}, .timer_budget = 1}; }

  ModelReqPtr req = request(true);
  void operate(unsigned thread, World& world) {
    if (thread == 0) {
      world.connect(req);
      world.disconnect(kFirstId);
    } else {
      world.shut_down();
    }
  }
};

struct RemoveVsShutdown {
  static constexpr const char* kName = "remove_vs_shutdown";
  static constexpr const char* kSummary =
      "a permanent request connects or fails and is removed while the manager shuts down";
  static constexpr Threads kThreads{.ops = 2, .timer = true};
  static Setup setup() { return {.network = {.dials = {Outcome::either}}, .timer_budget = 1}; }

  ModelReqPtr req = request(true);
  void operate(unsigned thread, World& world) {
    if (thread == 0) {
      world.connect(req);
      world.remove(kFirstId);
    } else {
      world.shut_down();
    }
  }
};

struct CancelPendingVsShutdown {
  static constexpr const char* kName = "cancel_pending_vs_shutdown";
  static constexpr const char* kSummary =
      "a dial completes while one thread runs cancel_pending() and another shuts down";
  static constexpr Threads kThreads{.ops = 3};
  static Setup setup() { return {.network = {.dials = {Outcome::either}}}; }

  ModelReqPtr req = request(false);
  void operate(unsigned thread, World& world) {
    if (thread == 0) world.connect(req);
    else if (thread == 1) world.cancel_pending(req);
    else world.shut_down();
  }
};

struct ForEachVsShutdown {
  static constexpr const char* kName = "for_each_vs_shutdown";
  static constexpr const char* kSummary =
      "for_each_conn_req() runs after a permanent dial while the manager shuts down";
  static constexpr Threads kThreads{.ops = 2, .timer = true};
  static Setup setup() { return {.network = {.dials = {Outcome::either}}, .timer_budget = 1}; }

  ModelReqPtr req = request(true);
  void operate(unsigned thread, World& world) {
    if (thread == 0) {
      world.connect(req);
      world.for_each();
    } else {
      world.shut_down();
    }
  }
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
