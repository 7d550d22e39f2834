// What the scenario families share: the request a single-request scenario races on, a short way
// to script dial outcomes, and bases for the two shapes that recur: one request connecting while a
// rival operation runs, and automatic outbound starting while a rival operation runs.
#pragma once

#include "model_test.h"
#include "relacy_prelude.h"

namespace connmgr::models {

inline const std::string kAddress = "10.0.0.1:8333";
constexpr ReqId kFirstId = 1;  // The id of the first request a manager registers.

inline ModelReqPtr request(bool permanent) {
  return std::make_shared<ModelReq>(kAddress, permanent);
}

// A manual-mode setup: the outcomes of the successive dials, and how many timers may fire.
inline Setup dials(std::vector<Outcome> outcomes, unsigned timer_budget = 0) {
  return {.network = {.dials = std::move(outcomes)}, .timer_budget = timer_budget};
}

// Thread 0 runs connect(req) then Derived::after_connect (default: nothing); thread 1 runs
// Derived::rival. A timer thread runs when kTimer, by default when the request is permanent (so
// that a failure or a disconnection can be retried). Derived supplies kName, kSummary, setup().
template <class Derived, bool kPermanent, bool kTimer = kPermanent>
struct ConnectVersus {
  static constexpr Threads kThreads{.ops = 2, .timer = kTimer};

  ModelReqPtr req = request(kPermanent);
  void after_connect(World&) {}
  void operate(unsigned thread, World& world) {
    Derived& self = static_cast<Derived&>(*this);
    if (thread == 0) {
      world.connect(req);
      self.after_connect(world);
    } else {
      self.rival(world);
    }
  }
};

// ConnectVersus whose rival shuts the manager down (stop(), then wait()).
template <class Derived, bool kPermanent, bool kTimer = kPermanent>
struct ConnectVsShutdown : ConnectVersus<Derived, kPermanent, kTimer> {
  void rival(World& world) { world.shut_down(); }
};

// Automatic outbound: thread 0 runs start(), thread 1 runs Derived::rival. The default setup is
// one slot whose first dial succeeds or fails; every later dial succeeds, so failure chains end.
template <class Derived>
struct StartVersus {
  static constexpr Threads kThreads{.ops = 2};
  static Setup setup() {
    return {.network = {.dials = {Outcome::either, Outcome::succeed}}, .target_outbound = 1};
  }

  void operate(unsigned thread, World& world) {
    if (thread == 0) world.start();
    else static_cast<Derived&>(*this).rival(world);
  }
};

}  // namespace connmgr::models
