#include "sim_network.h"

#include "relacy_platform.h"
#include "verdict.h"

namespace connmgr::models {

void SimConnection::close() {
  expect(!HeldLocks::any(), "Connection::close() called under a platform lock");
  expect(++closes_ == 1, "a connection was closed twice");
}

void SimConnection::announce() {
  expect(++announcements_ == 1, "on_connection ran twice for one connection");
}

NetOutcome SimNetwork::dial(const std::string& address, DialContext& context) {
  expect(!HeldLocks::any(), "Dialer::dial() called under a platform lock");
  Call call;
  call.address = address;
  {
    EnvLock lock(mu_);
    expect(!closed_, "a dial started after wait() returned");
    call.outcome = scripted(dials_++);
    in_flight_.push_back(&call);
    work_.notify_all(RL_INFO);
  }
  note([&] { return "dial to " + address + " starts"; });
  observer_();
  if (script_.honor_cancel) {
    context.set_cancel_handler([this, &call] {
      EnvLock lock(mu_);
      call.canceled = true;
      call.changed.notify_all(RL_INFO);
    });
  }
  {
    EnvLock lock(mu_);
    while (!call.result && !call.canceled) lock.wait(call.changed);
    if (!call.result) in_flight_.remove(&call);
  }
  context.clear_cancel_handler();
  if (!call.result) {
    note([&] { return "dial to " + address + " returns its cancellation"; });
    return {nullptr, context.cancellation()};
  }
  return std::move(*call.result);
}

void SimNetwork::run() {
  for (;;) {
    rl::ctx().sched();  // A scheduling point between two completions: each is its own step.
    EnvLock lock(mu_);
    while (!closed_ && completable() == 0) lock.wait(work_);
    if (closed_) return;
    std::size_t pick = completable() > 1 ? rl::rand(static_cast<unsigned>(completable())) : 0;
    for (auto it = in_flight_.begin(); it != in_flight_.end(); ++it) {
      if ((*it)->outcome == Outcome::hang) continue;
      if (pick-- != 0) continue;
      Call& call = **it;
      in_flight_.erase(it);
      complete(call);
      break;
    }
  }
}

void SimNetwork::close() {
  EnvLock lock(mu_);
  expect(in_flight_.empty(), "a dial was still in flight when wait() returned");
  closed_ = true;
  work_.notify_all(RL_INFO);
}

Outcome SimNetwork::scripted(std::size_t index) const {
  return script_.dials[std::min(index, script_.dials.size() - 1)];
}

void SimNetwork::complete(Call& call) {
  bool success = call.outcome == Outcome::succeed;
  if (call.outcome == Outcome::either) success = rl::rand(2) == 0;
  if (success) {
    connections_.push_back(std::make_shared<SimConnection>(call.address));
    call.result = NetOutcome{connections_.back(), {}};
  } else {
    call.result = NetOutcome{nullptr, std::make_error_code(std::errc::connection_refused)};
  }
  note([&] { return "dial to " + call.address + (success ? " succeeds" : " fails"); });
  call.changed.notify_all(RL_INFO);
}

std::size_t SimNetwork::completable() const {
  const auto ends_by_itself = [](const Call* call) { return call->outcome != Outcome::hang; };
  return static_cast<std::size_t>(
      std::count_if(in_flight_.begin(), in_flight_.end(), ends_by_itself));
}

}  // namespace connmgr::models
