// Operations racing on one request while its dials complete: every pair of dial completion with
// cancel_pending(), disconnect() and remove(), for a non-permanent and a permanent request, the
// retry timer, a late success, the dial deadline, the caller's cancellation, for_each_conn_req()
// and the triples that combine two of them.
#include "catalog.h"
#include "scenario_kit.h"

namespace connmgr::models {
namespace {

// A dial that succeeds or fails while one other operation runs on the same request. A permanent
// request that fails is retried once (one timer), with the same uncertain outcome.
template <class Derived, bool kPermanent>
struct DialVersus : ConnectVersus<Derived, kPermanent> {
  static Setup setup() { return dials({Outcome::either}, kPermanent ? 1 : 0); }
};

struct DialVsCancelPending : DialVersus<DialVsCancelPending, false> {
  static constexpr const char* kName = "dial_vs_cancel_pending";
  static constexpr const char* kSummary = "a dial succeeds or fails while cancel_pending() runs";
  void rival(World& world) { world.cancel_pending(req); }
};

struct DialVsDisconnect : DialVersus<DialVsDisconnect, false> {
  static constexpr const char* kName = "dial_vs_disconnect";
  static constexpr const char* kSummary = "a dial succeeds or fails while disconnect() runs";
  void rival(World& world) { world.disconnect(kFirstId); }
};

struct DialVsRemove : DialVersus<DialVsRemove, false> {
  static constexpr const char* kName = "dial_vs_remove";
  static constexpr const char* kSummary = "a dial succeeds or fails while remove() runs";
  void rival(World& world) { world.remove(kFirstId); }
};

struct PermanentVsCancelPending : DialVersus<PermanentVsCancelPending, true> {
  static constexpr const char* kName = "permanent_vs_cancel_pending";
  static constexpr const char* kSummary =
      "a permanent request dials, fails and retries while cancel_pending() runs";
  void rival(World& world) { world.cancel_pending(req); }
};

struct PermanentVsDisconnect : DialVersus<PermanentVsDisconnect, true> {
  static constexpr const char* kName = "permanent_vs_disconnect";
  static constexpr const char* kSummary =
      "a permanent request dials, fails or connects, and retries while disconnect() runs";
  void rival(World& world) { world.disconnect(kFirstId); }
};

struct PermanentVsRemove : DialVersus<PermanentVsRemove, true> {
  static constexpr const char* kName = "permanent_vs_remove";
  static constexpr const char* kSummary =
      "a permanent request dials, fails or connects, and retries while remove() runs";
  void rival(World& world) { world.remove(kFirstId); }
};

// The first dial fails for sure, so the retry timer and the redial race with the operation.
template <class Derived>
struct RetryVersus : ConnectVersus<Derived, true> {
  static Setup setup() { return dials({Outcome::fail, Outcome::either}, 1); }
};

struct RetryVsRemove : RetryVersus<RetryVsRemove> {
  static constexpr const char* kName = "retry_vs_remove";
  static constexpr const char* kSummary = "the retry timer fires and redials while remove() runs";
  void rival(World& world) { world.remove(kFirstId); }
};

struct RetryVsDisconnect : RetryVersus<RetryVsDisconnect> {
  static constexpr const char* kName = "retry_vs_disconnect";
  static constexpr const char* kSummary =
      "the retry timer fires and redials while disconnect() runs";
  void rival(World& world) { world.disconnect(kFirstId); }
};

// The dial ends only when canceled: by cancel_pending(), or by the shutdown that follows it when
// cancel_pending() ran before the request was registered.
struct HangingDialVsCancelPending : ConnectVersus<HangingDialVsCancelPending, false> {
  static constexpr const char* kName = "hanging_dial_vs_cancel_pending";
  static constexpr const char* kSummary =
      "a dial that only ends when canceled races cancel_pending(), then shutdown";
  static Setup setup() { return dials({Outcome::hang}); }
  void rival(World& world) {
    world.cancel_pending(req);
    world.shut_down();
  }
};

// Two requests for one address, both pending until canceled: cancel_pending() takes the lowest
// id among those registered, and shutdown ends the other.
struct CancelPendingLowestFirst {
  static constexpr const char* kName = "cancel_pending_lowest_first";
  static constexpr const char* kSummary =
      "two requests for one address register in either order while cancel_pending() runs";
  static constexpr Threads kThreads{.ops = 3};
  static Setup setup() { return dials({Outcome::hang}); }

  std::vector<ModelReqPtr> reqs{request(false), request(false)};
  void operate(unsigned thread, World& world) {
    if (thread < 2) {
      world.connect(reqs[thread]);
    } else {
      world.cancel_pending(reqs);
      world.shut_down();
    }
  }
};

struct LateSuccessVsRemove : ConnectVersus<LateSuccessVsRemove, false> {
  static constexpr const char* kName = "late_success_vs_remove";
  static constexpr const char* kSummary =
      "a dial that ignores cancellation succeeds after remove() canceled its request";
  static Setup setup() { return {.network = {.dials = {Outcome::succeed}, .honor_cancel = false}}; }
  void rival(World& world) { world.remove(kFirstId); }
};

struct DeadlineVsDial : ConnectVersus<DeadlineVsDial, false, true> {
  static constexpr const char* kName = "deadline_vs_dial";
  static constexpr const char* kSummary =
      "the dial deadline fires while the dial completes and cancel_pending() runs";
  static Setup setup() {
    Setup setup = dials({Outcome::either}, 1);
    setup.dial_timeout = std::chrono::seconds(1);
    return setup;
  }
  void rival(World& world) { world.cancel_pending(req); }
};

struct CallerCancelVsDial {
  static constexpr const char* kName = "caller_cancel_vs_dial";
  static constexpr const char* kSummary =
      "the connect() caller's CancelSource fires while a permanent request dials and retries";
  static constexpr Threads kThreads{.ops = 2, .timer = true};
  static Setup setup() { return dials({Outcome::either}, 1); }

  ModelReqPtr req = request(true);
  std::shared_ptr<ModelCancelSource> cancel = std::make_shared<ModelCancelSource>();
  void operate(unsigned thread, World& world) {
    if (thread == 0) world.connect(req, cancel);
    else world.cancel(*cancel);
  }
};

struct ForEachVsDisconnect : ConnectVersus<ForEachVsDisconnect, true> {
  static constexpr const char* kName = "for_each_vs_disconnect";
  static constexpr const char* kSummary =
      "for_each_conn_req() runs while a permanent request connects, is disconnected and retries";
  static Setup setup() { return dials({Outcome::succeed}, 1); }
  void after_connect(World& world) { world.disconnect(kFirstId); }
  void rival(World& world) { world.for_each(); }
};

struct DisconnectVsDisconnect : ConnectVersus<DisconnectVsDisconnect, true> {
  static constexpr const char* kName = "disconnect_vs_disconnect";
  static constexpr const char* kSummary =
      "two disconnect() calls on an established permanent request (re-register, then cancel)";
  static Setup setup() { return dials({Outcome::succeed}, 1); }
  void after_connect(World& world) { world.disconnect(kFirstId); }
  void rival(World& world) { world.disconnect(kFirstId); }
};

struct DialVsCancelVsDisconnect {
  static constexpr const char* kName = "dial_vs_cancel_vs_disconnect";
  static constexpr const char* kSummary =
      "a dial completes while one thread runs cancel_pending() and another disconnect()";
  static constexpr Threads kThreads{.ops = 3};
  static Setup setup() { return dials({Outcome::either}); }

  ModelReqPtr req = request(false);
  void operate(unsigned thread, World& world) {
    if (thread == 0) world.connect(req);
    else if (thread == 1) world.cancel_pending(req);
    else world.disconnect(kFirstId);
  }
};

// Time stands still here (no timer thread): the retry armed by the disconnection never fires,
// which keeps this three-operation search small.
struct PermanentVsDisconnectVsRemove {
  static constexpr const char* kName = "permanent_vs_disconnect_vs_remove";
  static constexpr const char* kSummary =
      "a permanent request connects or fails while one thread disconnects and another removes it";
  static constexpr Threads kThreads{.ops = 3};
  static Setup setup() { return dials({Outcome::either}); }

  ModelReqPtr req = request(true);
  void operate(unsigned thread, World& world) {
    if (thread == 0) world.connect(req);
    else if (thread == 1) world.disconnect(kFirstId);
    else world.remove(kFirstId);
  }
};

}  // namespace

std::vector<ScenarioEntry> request_scenarios() {
  return {
      entry<DialVsCancelPending>(),
      entry<DialVsDisconnect>(),
      entry<DialVsRemove>(),
      entry<PermanentVsCancelPending>(),
      entry<PermanentVsDisconnect>(),
      entry<PermanentVsRemove>(),
      entry<RetryVsRemove>(),
      entry<RetryVsDisconnect>(),
      entry<HangingDialVsCancelPending>(),
      entry<CancelPendingLowestFirst>(),
      entry<LateSuccessVsRemove>(),
      entry<DeadlineVsDial>(),
      entry<CallerCancelVsDial>(),
      entry<ForEachVsDisconnect>(),
      entry<DisconnectVsDisconnect>(),
      entry<DialVsCancelVsDisconnect>(),
      entry<PermanentVsDisconnectVsRemove>(),
  };
}

}  // namespace connmgr::models
