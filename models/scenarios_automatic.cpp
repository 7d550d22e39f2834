// Automatic outbound requests with a small target under dial failures, racing disconnect(),
// remove() and shutdown. Every later dial succeeds, so each failure chain ends.
#include "catalog.h"

namespace connmgr::models {
namespace {

constexpr ReqId kFirstId = 1;

struct TargetOneVsDisconnect {
  static constexpr const char* kName = "automatic_target_1_vs_disconnect";
  static constexpr const char* kSummary =
      "one automatic slot fails or connects, and is replaced, while disconnect() runs";
  static constexpr Threads kThreads{.ops = 2};
  static Setup setup() {
    return {.network = {.dials = {Outcome::either, Outcome::succeed}}, .target_outbound = 1};
  }

  void operate(unsigned thread, World& world) {
    if (thread == 0) world.start();
    else world.disconnect(kFirstId);
  }
};

struct TargetOneVsRemove {
  static constexpr const char* kName = "automatic_target_1_vs_remove";
  static constexpr const char* kSummary =
      "one automatic slot fails or connects while remove() runs (no replacement after removal)";
  static constexpr Threads kThreads{.ops = 2};
  static Setup setup() {
    return {.network = {.dials = {Outcome::either, Outcome::succeed}}, .target_outbound = 1};
  }

  void operate(unsigned thread, World& world) {
    if (thread == 0) world.start();
    else world.remove(kFirstId);
  }
};

// Two slots dial concurrently on two workers while the first dials fail.
struct TargetTwoUnderFailures {
  static constexpr const char* kName = "automatic_target_2_under_failures";
  static constexpr const char* kSummary =
      "two automatic slots dial on two workers: the first dial fails, the next may, then success";
  static constexpr Threads kThreads{.ops = 1, .workers = 2};
  static Setup setup() {
    return {.network = {.dials = {Outcome::fail, Outcome::either, Outcome::succeed}},
            .target_outbound = 2};
  }

  void operate(unsigned, World& world) { world.start(); }
};

// The same slots on one worker (so they take turns), racing disconnect() and its replacement.
struct TargetTwoVsDisconnect {
  static constexpr const char* kName = "automatic_target_2_vs_disconnect";
  static constexpr const char* kSummary =
      "two automatic slots under failures while disconnect() drops one and it is replaced";
  static constexpr Threads kThreads{.ops = 2};
  static Setup setup() {
    return {.network = {.dials = {Outcome::fail, Outcome::either, Outcome::succeed}},
            .target_outbound = 2};
  }

  void operate(unsigned thread, World& world) {
    if (thread == 0) world.start();
    else world.disconnect(kFirstId);
  }
};

struct ManualFailureBesideAutomatic {
  static constexpr const char* kName = "manual_failure_beside_automatic";
  static constexpr const char* kSummary =
      "a manual request fails beside one automatic slot (which a manual failure must not feed)";
  static constexpr Threads kThreads{.ops = 2};
  static Setup setup() {
    return {.network = {.dials = {Outcome::either, Outcome::succeed}}, .target_outbound = 1};
  }

  ModelReqPtr manual = std::make_shared<ModelReq>("10.0.0.3:8333");
  void operate(unsigned thread, World& world) {
    if (thread == 0) world.start();
    else world.connect(manual);
  }
};

struct AutomaticVsShutdown {
  static constexpr const char* kName = "automatic_vs_shutdown";
  static constexpr const char* kSummary =
      "one automatic slot fails or connects, and is replaced, while the manager shuts down";
  static constexpr Threads kThreads{.ops = 2};
  static Setup setup() {
    return {.network = {.dials = {Outcome::either, Outcome::succeed}}, .target_outbound = 1};
  }

  void operate(unsigned thread, World& world) {
    if (thread == 0) world.start();
    else world.shut_down();
  }
};

}  // namespace

std::vector<ScenarioEntry> automatic_scenarios() {
  return {
      entry<TargetOneVsDisconnect>(),
      entry<TargetOneVsRemove>(),
      entry<TargetTwoUnderFailures>(),
      entry<TargetTwoVsDisconnect>(),
      entry<ManualFailureBesideAutomatic>(),
      entry<AutomaticVsShutdown>(),
  };
}

}  // namespace connmgr::models
