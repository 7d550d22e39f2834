// Automatic outbound requests with a small target under dial failures, racing disconnect(),
// remove(), a manual request and shutdown. Every later dial succeeds, so each failure chain ends.
#include "catalog.h"
#include "scenario_kit.h"

namespace connmgr::models {
namespace {

struct TargetOneVsDisconnect : StartVersus<TargetOneVsDisconnect> {
  static constexpr const char* kName = "automatic_target_1_vs_disconnect";
  static constexpr const char* kSummary =
      "one automatic slot fails or connects, and is replaced, while disconnect() runs";
  void rival(World& world) { world.disconnect(kFirstId); }
};

struct TargetOneVsRemove : StartVersus<TargetOneVsRemove> {
  static constexpr const char* kName = "automatic_target_1_vs_remove";
  static constexpr const char* kSummary =
      "one automatic slot fails or connects while remove() runs (no replacement after removal)";
  void rival(World& world) { world.remove(kFirstId); }
};

// Two slots: the first dial fails, the next may, then every dial succeeds.
Setup two_slots_under_failures() {
  return {.network = {.dials = {Outcome::fail, Outcome::either, Outcome::succeed}},
          .target_outbound = 2};
}

// The two slots dial concurrently on two workers.
struct TargetTwoUnderFailures {
  static constexpr const char* kName = "automatic_target_2_under_failures";
  static constexpr const char* kSummary =
      "two automatic slots dial on two workers: the first dial fails, the next may, then success";
  static constexpr Threads kThreads{.ops = 1, .workers = 2};
  static Setup setup() { return two_slots_under_failures(); }

  void operate(unsigned, World& world) { world.start(); }
};

// The same slots on one worker (so they take turns), racing disconnect() and its replacement.
struct TargetTwoVsDisconnect : StartVersus<TargetTwoVsDisconnect> {
  static constexpr const char* kName = "automatic_target_2_vs_disconnect";
  static constexpr const char* kSummary =
      "two automatic slots under failures while disconnect() drops one and it is replaced";
  static Setup setup() { return two_slots_under_failures(); }
  void rival(World& world) { world.disconnect(kFirstId); }
};

struct ManualFailureBesideAutomatic : StartVersus<ManualFailureBesideAutomatic> {
  static constexpr const char* kName = "manual_failure_beside_automatic";
  static constexpr const char* kSummary =
      "a manual request fails beside one automatic slot (which a manual failure must not feed)";
  ModelReqPtr manual = request(false);
  void rival(World& world) { world.connect(manual); }
};

struct AutomaticVsShutdown : StartVersus<AutomaticVsShutdown> {
  static constexpr const char* kName = "automatic_vs_shutdown";
  static constexpr const char* kSummary =
      "one automatic slot fails or connects, and is replaced, while the manager shuts down";
  void rival(World& world) { world.shut_down(); }
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
