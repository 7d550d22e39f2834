// Judges a concurrent history of one manager against the ReferenceModel, in the order in which
// the manager's critical sections actually ran.
//
// Why that order rather than a search over all orders (Wing & Gong): spec A.5 makes every step one
// critical section of the manager's mutex. The engine runs one thread at a time and reports the
// registry (a Snapshot) right after each critical section together with the actor that ran it, so
// the critical-section order is a total order consistent with real time in which each operation's
// step lies inside the operation's window. If the model accepts the history in that order, that
// order is a linearization witness; if it rejects it, the implementation's own linearization
// points contradict the spec. That is sound (no false alarm from an incomplete search, no
// exponential blow-up) and stronger than result-only linearizability, because every intermediate
// registry is compared too. A critical section that leaves the registry unchanged is a stutter:
// it may be the point of a step without effect (a lookup that finds nothing, a rejected connect,
// a dial outcome that arrives too late), whose result is then judged at that point.
//
// Which step a critical section can be follows from what its actor is doing, as the engine saw it
// from outside the manager: a client operation in progress, a dial that returned, an address the
// address source handed out; otherwise (timer and retry tasks) every background step the model
// allows is tried. A CancelSource being canceled concurrently is either canceled or not: both are
// tried until its cancel() has returned before a critical section began. With a timed model the
// engine also passes its virtual time, and retry and throttle timers are checked to the tick.
//
// Protocol (actors are the engine's thread ids; every call may record the first violation):
//   begin(actor, op) ... [dial_started, dial_returned] ... end(actor, result)  client operations
//   got_address / dial_started / dial_returned ... finished(actor)              background work
//   critical_section(actor, snapshot)  right after every critical section of the manager
//   connected(id) / disconnected(id)   when on_connection / on_disconnection runs
//   finish(final snapshot, requests)   after stop() and wait()
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "connmgr/check/reference_model.h"

namespace connmgr::check {

using Actor = std::uint32_t;

struct Operation {
  enum class Kind { connect, disconnect, remove, cancel_pending, for_each, start, stop, cancel_caller };
  Kind kind = Kind::connect;
  int request = -1;     // connect: the caller's request object (an engine-chosen key).
  int caller = -1;      // connect: its CancelSource (-1 none); cancel_caller: the source.
  std::string address;  // connect, cancel_pending.
  bool permanent = false;
  ReqId id = 0;  // disconnect, remove.
};

struct OperationResult {
  std::error_code error;
  ReqId id = 0;     // connect: the request's id afterwards.
  Listing listing;  // for_each: what the visitor saw, ascending ids.
};

class RefinementChecker {
 public:
  // With `name_steps`, last_step() names each matched step (for traces).
  explicit RefinementChecker(ReferenceModel::Config config, bool name_steps = false)
      : model_(config), trial_(config), name_steps_(name_steps) {
    actors_.reserve(32);
  }
  // Starts judging a new history, as a checker just constructed with these arguments would,
  // keeping the storage earlier histories grew (for engines that judge many short runs). What a
  // history allocates beyond that storage it also frees, so a run under libFuzzer allocates no
  // more than it frees (libFuzzer re-runs such an input as a leak suspect).
  void restart(ReferenceModel::Config config, bool name_steps = false);

  void begin(Actor actor, const Operation& op);
  void end(Actor actor, const OperationResult& result);
  void got_address(Actor actor, const std::optional<std::string>& address);
  void dial_started(Actor actor);
  void dial_returned(Actor actor, const DialResult& dial);
  void finished(Actor actor);
  // `now`: the engine's virtual time, for a timed model (ReferenceModel::Config::timed).
  // `unchanged`: the engine compared `snapshot` with the one it passed last time and found it
  // equal, so the checker may reuse what it derived from that one.
  void critical_section(Actor actor, const Snapshot& snapshot, TimePoint now = {},
                        bool unchanged = false);
  void connected(ReqId id);
  void disconnected(ReqId id);
  // `requests`: the state each caller request object (by key) reports at the end.
  void finish(const Snapshot& snapshot, const std::vector<ConnState>& requests);

  const std::string& violation() const { return violation_; }
  // The model step the last critical section was matched to ("" for a stutter, or unnamed).
  const std::string& last_step() const { return last_step_; }

 private:
  enum class Phase { idle, registering, registered, dialing, completing, settled };
  struct ActorState {
    std::optional<Operation> op;
    Phase phase = Phase::idle;
    ReqId request = 0;  // The request this actor registered or dials.
    DialResult dial;
    std::optional<std::optional<std::string>> address;  // An answer of the address source, unconsumed.
    bool linearized = false;                            // The current phase's step took effect.
    Results results;                                    // What the step allowed, where it took effect.
    Results acceptable;                                 // What stutters in the window allowed.
    // The distinct listings of for_each's window: the first listing_count (the others are spare
    // storage, kept so that later operations do not allocate their own).
    std::vector<Listing> listings;
    std::size_t listing_count = 0;
    bool skippable = false;  // Some stutter showed the step may have had no effect.

    // Back to the value-initialized state (an idle actor), every field above.
    void reset();
  };
  enum class StepKind { operation, registers, completes, automatic, no_address, retry_fires, redials };
  // A step the model might take for a critical section.
  struct Step {
    StepKind kind = StepKind::operation;
    ReqId request = 0;  // The request the step redials, completes or retries.
    int caller = -1;    // The CancelSource the step consults, and the branch it assumes.
    bool caller_canceled = false;
  };
  struct Effect {
    ReqId request = 0;  // The request the step registered (registers, automatic).
    Results results;
    Listing listing;
  };
  // `ended`: cancel() returned, but the critical section in progress may have read the source
  // before; it becomes `canceled` once that critical section is reported.
  enum class CallerState { live, canceling, ended, canceled };

  ActorState& actor_state(Actor actor);
  void judge_critical_section(ActorState& state, const Snapshot& snapshot, bool unchanged);
  // Fills steps_ (reused: this runs after every critical section).
  void candidates(const ActorState& state);
  // Applies `step` to `model` and writes what it did into `effect`; false if the model does not
  // allow the step there.
  bool apply(ReferenceModel& model, const Step& step, const ActorState& state, Effect& effect) const;
  // Whether a step may see the CancelSource live, and whether it may see it canceled.
  struct Branches {
    bool live;
    bool canceled;
  };
  Branches caller_branches(int caller) const;
  void record(ActorState& state, const Step& step, const Effect& effect);
  void judge(const ActorState& state, const OperationResult& result);
  std::string name(const Step& step, const Effect& effect, const ActorState& state) const;
  void fail(std::string message);

  ReferenceModel model_;
  ReferenceModel trial_;  // Where one of several candidate steps is tried.
  bool name_steps_;
  std::vector<ActorState> actors_;  // Indexed by actor.
  std::vector<CallerState> callers_;
  std::vector<std::uint64_t> connected_;
  std::vector<std::uint64_t> disconnected_;
  std::string violation_;
  std::string last_step_;
  ModelState observed_;  // The registry a failing snapshot shows (storage reused).
  // The model shows the last snapshot judged (every judged critical section ends with the model
  // matching the registry, or with a violation).
  bool model_shows_last_ = false;
  Effect effect_;           // The effect of the candidate step being tried (reused).
  std::vector<Step> steps_;  // The candidates of the critical section being judged.
};

std::string describe(const Operation& op);

}  // namespace connmgr::check
