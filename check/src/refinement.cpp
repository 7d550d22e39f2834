#include "connmgr/check/refinement.h"

#include <algorithm>
#include <utility>

#include "connmgr/error.h"

namespace connmgr::check {
namespace {

std::string describe(const std::error_code& error) { return error ? error.message() : "ok"; }

// Adds `listing` to the first `count` listings, those an operation's window allowed, unless it is
// among them already. An entry past `count` is overwritten, so its storage is reused.
void remember(std::vector<Listing>& listings, std::size_t& count, const Listing& listing) {
  const auto allowed = listings.begin() + static_cast<std::ptrdiff_t>(count);
  if (std::find(listings.begin(), allowed, listing) != allowed) return;
  if (count == listings.size()) {
    listings.push_back(listing);
  } else {
    listings[count] = listing;
  }
  ++count;
}

template <class T>
T& grow(std::vector<T>& items, std::size_t index) {
  if (index >= items.size()) items.resize(index + 1);
  return items[index];
}

}  // namespace

std::string describe(const Operation& op) {
  switch (op.kind) {
    case Operation::Kind::connect:
      return "connect(r" + std::to_string(op.request) + " " + op.address +
             (op.permanent ? " permanent" : "") +
             (op.caller >= 0 ? " cancel-source " + std::to_string(op.caller) : "") + ")";
    case Operation::Kind::disconnect:
      return "disconnect(" + std::to_string(op.id) + ")";
    case Operation::Kind::remove:
      return "remove(" + std::to_string(op.id) + ")";
    case Operation::Kind::cancel_pending:
      return "cancel_pending(" + op.address + ")";
    case Operation::Kind::for_each:
      return "for_each_conn_req()";
    case Operation::Kind::start:
      return "start()";
    case Operation::Kind::stop:
      return "stop()";
    case Operation::Kind::cancel_caller:
      return "cancel-source " + std::to_string(op.caller) + ".cancel()";
  }
  return "?";
}

void RefinementChecker::restart(ReferenceModel::Config config, bool name_steps) {
  model_.restart(config);
  trial_.restart(config);
  name_steps_ = name_steps;
  // Idle actors are what a fresh checker grows on demand; keeping them keeps their storage.
  for (ActorState& state : actors_) state.reset();
  callers_.clear();
  connected_.clear();
  disconnected_.clear();
  violation_.clear();
  last_step_.clear();
  model_shows_last_ = false;
}

RefinementChecker::ActorState& RefinementChecker::actor_state(Actor actor) { return grow(actors_, actor); }

void RefinementChecker::ActorState::reset() {
  op.reset();
  phase = Phase::idle;
  request = 0;
  dial = DialResult{};
  address.reset();
  linearized = false;
  results.clear();
  acceptable.clear();
  listing_count = 0;
  skippable = false;
}

void RefinementChecker::begin(Actor actor, const Operation& op) {
  ActorState& state = actor_state(actor);
  state.reset();
  if (op.kind == Operation::Kind::connect) state.phase = Phase::registering;
  if (op.kind == Operation::Kind::cancel_caller)
    grow(callers_, static_cast<std::size_t>(op.caller)) = CallerState::canceling;
  state.op = op;
}

void RefinementChecker::end(Actor actor, const OperationResult& result) {
  ActorState& state = actor_state(actor);
  const Operation& op = *state.op;
  switch (op.kind) {
    case Operation::Kind::connect:
      if (state.phase == Phase::registering) {
        judge(state, result);
        if (result.id != model_.id_of(op.request)) {
          fail(describe(op) + " left the request with id " + std::to_string(result.id) + ", the model says " +
               std::to_string(model_.id_of(op.request)));
        }
      } else if (state.phase == Phase::completing || state.phase == Phase::settled) {
        judge(state, result);
        if (result.id != state.request)
          fail(describe(op) + " changed the request's id to " + std::to_string(result.id));
      } else {
        fail(describe(op) + " returned while its request was registered but its dial had not returned");
      }
      break;
    case Operation::Kind::cancel_caller:
      callers_[static_cast<std::size_t>(op.caller)] = CallerState::ended;
      break;
    case Operation::Kind::for_each:
      if (const auto allowed = state.listings.begin() + static_cast<std::ptrdiff_t>(state.listing_count);
          std::find(state.listings.begin(), allowed, result.listing) == allowed)
        fail(describe(op) + " visited requests that no registry in its window held");
      break;
    default:
      judge(state, result);
  }
  state.reset();
}

void RefinementChecker::judge(const ActorState& state, const OperationResult& result) {
  const Results& allowed = state.linearized ? state.results : state.acceptable;
  if (allowed.contains(result.error)) return;
  fail(describe(*state.op) + " returned " + describe(result.error) + "; the model allows " +
       allowed.describe() +
       (state.linearized ? " at the critical section where it took effect" : " at no point of its window"));
}

void RefinementChecker::got_address(Actor actor, const std::optional<std::string>& address) {
  ActorState& state = actor_state(actor);
  state.address = address;
  state.skippable = false;
}

void RefinementChecker::dial_started(Actor actor) {
  ActorState& state = actor_state(actor);
  if (state.phase != Phase::registered) {
    fail(state.op ? describe(*state.op) + " dialed before its request was registered"
                  : "a background dial started without a registration or redial before it");
    return;
  }
  state.phase = Phase::dialing;
}

void RefinementChecker::dial_returned(Actor actor, const DialResult& dial) {
  ActorState& state = actor_state(actor);
  state.phase = Phase::completing;
  state.dial = dial;
  state.linearized = false;
  state.acceptable.clear();
  state.skippable = false;
}

void RefinementChecker::finished(Actor actor) {
  if (actor >= actors_.size()) return;
  const ActorState& state = actors_[actor];
  if (state.address && !state.skippable) {
    fail(state.address->has_value()
             ? "an automatic request got address " + **state.address + " but never registered"
             : "an automatic request found no address but no failed attempt was counted");
  } else if (state.phase == Phase::completing && !state.linearized && !state.skippable) {
    fail("the dial outcome of reqid " + std::to_string(state.request) + " never took effect");
  } else if (state.phase == Phase::registered || state.phase == Phase::dialing) {
    fail("a task registered or redialed reqid " + std::to_string(state.request) +
         " but never completed a dial");
  }
  actors_[actor].reset();
}

RefinementChecker::Branches RefinementChecker::caller_branches(int caller) const {
  const auto index = static_cast<std::size_t>(caller);
  if (caller < 0 || index >= callers_.size()) return {true, false};
  switch (callers_[index]) {
    case CallerState::live:
      return {true, false};
    case CallerState::canceling:
    case CallerState::ended:
      return {true, true};
    case CallerState::canceled:
      break;
  }
  return {false, true};
}

void RefinementChecker::candidates(const ActorState& state) {
  std::vector<Step>& steps = steps_;
  steps.clear();
  auto with_caller = [&](StepKind kind, ReqId request, int caller) {
    const Branches branches = caller_branches(caller);
    if (branches.live) steps.push_back(Step{kind, request, caller, false});
    if (branches.canceled) steps.push_back(Step{kind, request, caller, true});
  };
  if (state.phase == Phase::completing) {
    with_caller(StepKind::completes, state.request, model_.caller_of(state.request));
  } else if (state.op) {
    const Operation& op = *state.op;
    if (op.kind == Operation::Kind::connect) {
      if (state.phase == Phase::registering) with_caller(StepKind::registers, 0, op.caller);
    } else if (op.kind != Operation::Kind::cancel_caller) {
      steps.push_back(Step{});
    }
  } else if (state.address) {
    steps.push_back(
        Step{state.address->has_value() ? StepKind::automatic : StepKind::no_address, 0, -1, false});
  } else if (state.phase == Phase::idle) {
    for (ReqId id = 1; id <= model_.state().last_id(); ++id) {
      const ModelRequest* r = model_.state().registered(id, Place::pending);
      if (r == nullptr) continue;
      if (r->retry_scheduled) with_caller(StepKind::retry_fires, id, r->caller);
      if (!r->dialing && !r->retry_scheduled && r->redials_owed != 0)
        steps.push_back(Step{StepKind::redials, id, -1, false});
    }
  }
}

bool RefinementChecker::apply(ReferenceModel& model, const Step& step, const ActorState& state,
                              Effect& effect) const {
  effect.request = 0;
  effect.results.clear();
  effect.listing.clear();
  switch (step.kind) {
    case StepKind::operation: {
      const Operation& op = *state.op;
      switch (op.kind) {
        case Operation::Kind::disconnect:
        case Operation::Kind::remove:
          effect.results = {model.disconnect_or_remove(op.id, op.kind == Operation::Kind::disconnect)};
          break;
        case Operation::Kind::cancel_pending:
          effect.results = {model.cancel_pending(op.address)};
          break;
        case Operation::Kind::for_each:
          model.for_each(effect.listing);
          break;
        case Operation::Kind::start:
          effect.results = {model.start()};
          break;
        case Operation::Kind::stop:
          model.stop();
          effect.results = {std::error_code{}};
          break;
        case Operation::Kind::connect:
        case Operation::Kind::cancel_caller:
          return false;
      }
      return true;
    }
    case StepKind::registers: {
      const Operation& op = *state.op;
      effect.request = model.connect(op.request, op.address, op.permanent, op.caller, step.caller_canceled,
                                     effect.results);
      return true;
    }
    case StepKind::completes:
      effect.results = model.complete(step.request, state.dial, step.caller_canceled);
      return true;
    case StepKind::automatic: {
      const ReqId before = model.state().last_id();
      if (!model.automatic_register(**state.address)) return false;
      if (model.state().last_id() != before) effect.request = model.state().last_id();
      return true;
    }
    case StepKind::no_address:
      return model.address_failed();
    case StepKind::retry_fires:
      return model.retry_fired(step.request, step.caller_canceled);
    case StepKind::redials:
      if (!model.redial(step.request)) return false;
      effect.request = step.request;
      return true;
  }
  return false;
}

void RefinementChecker::critical_section(Actor actor, const Snapshot& snapshot, TimePoint now,
                                         bool unchanged) {
  if (!violation_.empty()) return;
  last_step_.clear();
  model_.set_time(now);
  judge_critical_section(actor_state(actor), snapshot, unchanged && model_shows_last_);
  model_shows_last_ = violation_.empty();
  for (CallerState& state : callers_) {
    if (state == CallerState::ended) state = CallerState::canceled;
  }
}

// A single candidate is applied to the model in place (a mismatch ends the check anyway); several
// are tried on a copy (trial_, whose storage is reused).
void RefinementChecker::judge_critical_section(ActorState& state, const Snapshot& snapshot,
                                               bool unchanged) {
  const bool determined = state.op || state.address || state.phase == Phase::completing;
  if (unchanged || shows(snapshot, model_.state())) {
    if (!determined || state.linearized) return;
    candidates(state);
    for (const Step& step : steps_) {
      trial_ = model_;
      if (!apply(trial_, step, state, effect_) || !(trial_.state() == model_.state())) continue;
      state.acceptable.add_all(effect_.results);
      if (state.op && state.op->kind == Operation::Kind::for_each)
        remember(state.listings, state.listing_count, effect_.listing);
      state.skippable = true;
    }
    return;
  }
  candidates(state);
  const std::vector<Step>& steps = steps_;
  auto who = [&] { return state.op ? describe(*state.op) : std::string("background work"); };
  if (steps.empty()) {
    abstract(snapshot, observed_);
    fail("a critical section of " + who() + " changed the registry where the spec allows no step:" +
         describe_difference(model_.state(), observed_));
    return;
  }
  const bool several = steps.size() > 1;
  for (const Step& step : steps) {
    if (several) trial_ = model_;
    ReferenceModel& model = several ? trial_ : model_;
    if (apply(model, step, state, effect_) && shows(snapshot, model.state())) {
      if (several) std::swap(model_, trial_);
      if (name_steps_) last_step_ = name(step, effect_, state);
      record(state, step, effect_);
      return;
    }
  }
  if (several) {
    trial_ = model_;
    static_cast<void>(apply(trial_, steps.front(), state, effect_));
  }
  abstract(snapshot, observed_);
  fail("a critical section of " + who() + " disagrees with the spec's step \"" +
       name(steps.front(), Effect{}, state) + "\":" +
       describe_difference((several ? trial_ : model_).state(), observed_));
}

std::string RefinementChecker::name(const Step& step, const Effect& effect, const ActorState& state) const {
  const std::string id = std::to_string(step.request);
  switch (step.kind) {
    case StepKind::operation:
      return describe(*state.op);
    case StepKind::registers:
      return effect.request != 0 ? "connect registers reqid " + std::to_string(effect.request) : "connect";
    case StepKind::completes:
      return "dial of reqid " + id + " completes";
    case StepKind::automatic:
      return "automatic request for " + **state.address + " registers";
    case StepKind::no_address:
      return "automatic request without an address fails";
    case StepKind::retry_fires:
      return "retry timer of reqid " + id + " fires";
    case StepKind::redials:
      return "reqid " + id + " redials";
  }
  return "?";
}

void RefinementChecker::record(ActorState& state, const Step& step, const Effect& effect) {
  if (step.caller >= 0 && step.caller_canceled)
    callers_[static_cast<std::size_t>(step.caller)] = CallerState::canceled;
  state.linearized = true;
  state.results = effect.results;
  if (state.op) {
    if (step.kind == StepKind::registers && effect.request != 0) {
      state.phase = Phase::registered;
      state.request = effect.request;
      state.linearized = false;
    } else if (step.kind == StepKind::completes) {
      state.phase = Phase::settled;
    }
    if (state.op->kind == Operation::Kind::for_each) remember(state.listings, state.listing_count, effect.listing);
    return;
  }
  state.address.reset();
  state.linearized = false;
  state.request = effect.request;
  state.phase = effect.request != 0 ? Phase::registered : Phase::idle;
}

void RefinementChecker::connected(ReqId id) {
  if (++grow(connected_, id) > model_.connections_of(id))
    fail("on_connection for reqid " + std::to_string(id) + " beyond the model's establishments");
}

void RefinementChecker::disconnected(ReqId id) {
  if (++grow(disconnected_, id) > model_.disconnections_of(id))
    fail("on_disconnection for reqid " + std::to_string(id) + " beyond the model's removals");
}

void RefinementChecker::finish(const Snapshot& snapshot, const std::vector<ConnState>& requests) {
  if (!violation_.empty()) return;
  model_shows_last_ = false;
  abstract(snapshot, observed_);
  if (!(observed_ == model_.state()))
    fail("final registry differs from the model:" + describe_difference(model_.state(), observed_));
  for (ReqId id = 1; id <= model_.state().last_id(); ++id) {
    const std::uint64_t up = grow(connected_, id);
    const std::uint64_t down = grow(disconnected_, id);
    if (up != model_.connections_of(id) || down != model_.disconnections_of(id)) {
      fail("reqid " + std::to_string(id) + ": " + std::to_string(up) + " on_connection and " +
           std::to_string(down) + " on_disconnection calls; the model says " +
           std::to_string(model_.connections_of(id)) + " and " +
           std::to_string(model_.disconnections_of(id)));
    }
  }
  for (std::size_t key = 0; key < requests.size(); ++key) {
    const ReqId id = model_.id_of(static_cast<int>(key));
    const ConnState expected = id == 0 ? ConnState::pending : model_.state_of(id);
    if (requests[key] != expected) {
      fail("request r" + std::to_string(key) + " (reqid " + std::to_string(id) + ") ends " +
           to_string(requests[key]) + ", the model says " + to_string(expected));
    }
  }
}

void RefinementChecker::fail(std::string message) {
  if (violation_.empty()) violation_ = "model: " + std::move(message);
}

}  // namespace connmgr::check
