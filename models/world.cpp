#include "world.h"

#include "verdict.h"

namespace connmgr::models {
namespace {

std::string describe(std::error_code error) { return error ? error.message() : "ok"; }

void expect_no_violations(const std::vector<std::string>& violations) {
  if (violations.empty()) return;
  std::string text = "invariant violated:";
  for (const auto& violation : violations) text += " [" + violation + "]";
  fail(text);
}

}  // namespace

World::World(const Setup& setup, unsigned operation_threads)
    : clock_(setup.timer_budget),
      network_(setup.network, [this] { check_registry(); }),
      operations_running_(operation_threads) {
  ModelConfig config;
  config.dialer = &network_;
  config.clock = &clock_;
  config.executor = &executor_;
  config.on_connection = [this](const ModelReqPtr& req, const ConnectionPtr& conn) {
    on_connection(req, conn);
  };
  config.on_disconnection = [this](const ModelReqPtr& req) { on_disconnection(req); };
  if (setup.target_outbound != 0) {
    config.target_outbound = setup.target_outbound;
    config.get_new_address = [this]() -> std::optional<std::string> {
      user_code("get_new_address");
      return kAutoAddress;
    };
  }
  config.dial_timeout = setup.dial_timeout;
  std::error_code error;
  manager_ = ModelManager::create(std::move(config), error);
  expect(manager_ != nullptr, "the model's config was rejected");
}

std::error_code World::connect(const ModelReqPtr& req,
                               const std::shared_ptr<ModelCancelSource>& cancel) {
  connected_requests_.push_back(req);
  if (cancel) callers_.emplace_back(cancel.get(), req);
  const std::error_code result = manager_->connect(req, cancel);
  note([&] {
    return "connect(" + req->address() + (req->permanent() ? ", permanent" : "") + ") -> " +
           describe(result);
  });
  check_registry();
  return result;
}

std::error_code World::disconnect(ReqId id) {
  const std::error_code result = manager_->disconnect(id);
  note([&] { return "disconnect(" + std::to_string(id) + ") -> " + describe(result); });
  check_registry();
  return result;
}

std::error_code World::remove(ReqId id) {
  const std::error_code result = manager_->remove(id);
  note([&] { return "remove(" + std::to_string(id) + ") -> " + describe(result); });
  if (!result) ended_.push_back(id);
  check_registry();
  return result;
}

std::error_code World::cancel_pending(const ModelReqPtr& req) {
  return cancel_pending(std::vector<ModelReqPtr>{req});
}

std::error_code World::cancel_pending(const std::vector<ModelReqPtr>& requests) {
  const std::string& address = requests.front()->address();
  const std::error_code result = manager_->cancel_pending(address);
  note([&] { return "cancel_pending(" + address + ") -> " + describe(result); });
  if (!result) {
    rl::preemption_disabler observe_only(rl::ctx());
    ReqId canceled = 0;
    ReqId lowest_pending = 0;
    for (const auto& req : requests) {
      const ReqId id = req->id();
      const ConnState state = req->state();
      if (state == ConnState::canceled) canceled = id;
      else if (id != 0 && (lowest_pending == 0 || id < lowest_pending)) lowest_pending = id;
    }
    expect(canceled != 0, "cancel_pending() succeeded but canceled none of the requests");
    if (lowest_pending != 0 && lowest_pending < canceled) {
      fail("cancel_pending() canceled reqid " + std::to_string(canceled) +
           " while reqid " + std::to_string(lowest_pending) + " was pending");
    }
    ended_.push_back(canceled);
  }
  check_registry();
  return result;
}

void World::for_each() {
  std::size_t visited = 0;
  const std::error_code result = manager_->for_each_conn_req([&](const ModelReqPtr& req) {
    const ConnState state = req->state();
    expect(state == ConnState::pending || state == ConnState::established ||
               state == ConnState::failed,
           "for_each_conn_req visited a request that is not registered");
    ++visited;
    return std::error_code{};
  });
  expect(!result, "for_each_conn_req failed");
  note([&] { return "for_each_conn_req visited " + std::to_string(visited); });
  check_registry();
}

void World::start() {
  const std::error_code result = manager_->start();
  note([&] { return "start() -> " + describe(result); });
  check_registry();
}

void World::stop() {
  manager_->stop();
  note([] { return std::string("stop()"); });
  check_registry();
}

void World::shut_down() {
  stop();
  manager_->wait();
  note([] { return std::string("wait() returned"); });
  check_registry();
}

void World::cancel(ModelCancelSource& source) {
  source.cancel();
  note([] { return std::string("CancelSource::cancel()"); });
  for (const auto& [caller, req] : callers_) {
    if (caller == &source) caller_canceled_ = CallerCanceled{req, std::nullopt};
  }
  check_registry();
}

void World::finish_operations() {
  if (--operations_running_ == 0) finish();
}

void World::check_registry() {
  rl::preemption_disabler observe_only(rl::ctx());
  const Snapshot snapshot = manager_->snapshot();
  expect_no_violations(check::registry_violations(snapshot));
  check_ended(snapshot);
  check_after_stop(snapshot);
  check_caller_canceled(snapshot);
}

void World::check_ended(const Snapshot& snapshot) {
  for (ReqId id : ended_) {
    for (const auto* requests : {&snapshot.pending, &snapshot.established}) {
      for (const auto& request : *requests) {
        if (request.id == id)
          fail("reqid " + std::to_string(id) + " is registered again after it ended");
      }
    }
  }
}

// Section 0 item 8: after stop() no retry or dial starts and a dial that completes anyway is
// not tracked, so the armed timers and the established requests can only become fewer.
void World::check_after_stop(const Snapshot& snapshot) {
  if (!snapshot.stopped) return;
  const Counts now{snapshot.armed_timers, snapshot.established.size()};
  if (after_stop_ && now.armed_timers > after_stop_->armed_timers)
    fail("a timer was armed after stop()");
  if (after_stop_ && now.established > after_stop_->established)
    fail("a request was established after stop()");
  after_stop_ = now;
}

// A retry is armed under the manager's lock by a failure that read the caller's flag under that
// lock; a snapshot taken after CancelSource::cancel() returned takes the lock after the flag was
// set, so it already counts every retry armed on a stale read. Any later growth of the retry
// count is a retry scheduled after the caller canceled.
void World::check_caller_canceled(const Snapshot& snapshot) {
  if (!caller_canceled_) return;
  const ReqId id = caller_canceled_->req->id();
  for (const auto& request : snapshot.pending) {
    if (request.id != id) continue;
    std::optional<std::uint32_t>& last = caller_canceled_->retry_count;
    if (last && request.retry_count > *last) {
      fail("reqid " + std::to_string(id) + " was scheduled for a retry after its caller canceled");
    }
    last = request.retry_count;
  }
}

// Spec A.7 I3/I4 and section 0 item 6: a request leaves the registry only in a final state.
void World::check_unregistered_final(const Snapshot& snapshot) {
  for (const auto& req : connected_requests_) {
    const ReqId id = req->id();
    if (id == 0) continue;  // Refused before registration.
    bool registered = false;
    for (const auto* requests : {&snapshot.pending, &snapshot.established}) {
      for (const auto& request : *requests) registered = registered || request.id == id;
    }
    const ConnState state = req->state();
    if (!registered && state != ConnState::failed && state != ConnState::canceled &&
        state != ConnState::disconnected) {
      fail("reqid " + std::to_string(id) + " left the registry in state " + to_string(state));
    }
  }
}

void World::finish() {
  rl::ctx().sched();  // The environment may still run before shutdown begins.
  rl::preemption_disabler observe_only(rl::ctx());
  manager_->stop();
  manager_->wait();
  waited_ = true;
  note([] { return std::string("final wait() returned"); });
  const Snapshot last = manager_->snapshot();
  expect_no_violations(check::quiescent_violations(last));
  check_ended(last);
  check_after_stop(last);
  check_unregistered_final(last);
  if (connected_ != disconnected_ + last.established.size()) {
    fail(std::to_string(connected_) + " on_connection calls for " +
         std::to_string(disconnected_) + " on_disconnection calls and " +
         std::to_string(last.established.size()) + " established requests");
  }
  executor_.close();
  clock_.close();
  network_.close();
  manager_.reset();
  for (const auto& conn : network_.connections())
    expect(conn->closes() == 1, "a connection was never closed");
}

void World::on_connection(const ModelReqPtr& req, const ConnectionPtr& conn) {
  user_code("on_connection");
  const ReqId id = req->id();
  note([&] { return "on_connection(reqid " + std::to_string(id) + ")"; });
  expect(id != 0, "on_connection for an unregistered request");
  static_cast<SimConnection&>(*conn).announce();
  ++connected_;
  check_registry();
  expect(!waited_, "on_connection was still running when wait() returned");
}

void World::on_disconnection(const ModelReqPtr& req) {
  user_code("on_disconnection");
  const ReqId id = req->id();
  note([&] { return "on_disconnection(reqid " + std::to_string(id) + ")"; });
  expect(id != 0, "on_disconnection for an unregistered request");
  ++disconnected_;
  check_registry();
  expect(!waited_, "on_disconnection was still running when wait() returned");
}

void World::user_code(const char* what) {
  if (HeldLocks::any()) fail(std::string(what) + " ran under a platform lock");
  if (waited_) fail(std::string(what) + " ran after wait() returned");
}

}  // namespace connmgr::models
